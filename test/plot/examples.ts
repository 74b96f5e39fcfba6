/**
 * One example spec of every figure type, built from analytic or seeded synthetic data (shared by the
 * plot tests and the gallery script).
 */
import * as plot from '../../src/plot';
import { gaussian, rng } from '../helpers/random';

/** Example specs by figure type. */
export function exampleSpecs(): Record<string, plot.VlSpec> {
  const g = gaussian(rng(7));
  const ref = Array.from({ length: 300 }, () => 0.6 * g());
  const pred = ref.map((v) => v + 0.03 * g());
  const comps = ref.map((_, i) => ['xx', 'yy', 'zz', 'xy', 'xz', 'yz'][i % 6]);
  const lag = Array.from({ length: 2000 }, (_, i) => 0.01 * i);
  const kww = (tau: number, beta: number, z: number) => lag.map((t) => (1 - z) * Math.exp(-Math.pow(t / tau, beta)) + z);
  const noisy = (v: number[]) => v.map((x) => x + 0.004 * g());
  const Ts = [400, 500, 600, 700, 800];
  const kB = 8.617333262e-5;
  const rates = (ea: number, a: number) => Ts.map((T) => a * Math.exp(-ea / (kB * T)));
  const t = Array.from({ length: 500 }, (_, i) => 0.02 * i);
  const r = Array.from({ length: 400 }, (_, i) => 0.02 * (i + 1));
  const peak = (r0: number, w: number, h: number) => r.map((x) => (x < r0 - 0.6 ? 0 : 1 + h * Math.exp(-((x - r0) ** 2) / (2 * w * w))));
  return {
    parity: plot.parityPlot({ reference: ref, predicted: pred, group: comps, quantity: 'V_ab', unit: 'V/Å²', title: 'EFG parity' }),
    acf: plot.acfPlot({
      title: '7Li ω_Q autocorrelation',
      series: [
        { label: '500 K', lagPs: lag, values: noisy(kww(2.0, 0.6, 0.05)), fit: { tauPs: 2.0, beta: 0.6, plateau: 0.05 }, fitWindowPs: [0.05, 15] },
        { label: '700 K', lagPs: lag, values: noisy(kww(0.4, 0.7, 0.02)), fit: { tauPs: 0.4, beta: 0.7, plateau: 0.02 } },
      ],
    }),
    arrhenius: plot.arrheniusPlot({
      title: 'Li hopping rates',
      series: [
        { label: 'NMR ACF', temperatureK: Ts, rateHz: rates(0.25, 1e13), rateErrHz: rates(0.25, 1e13).map((x) => 0.15 * x), fit: { eaEv: 0.25, prefactorHz: 1e13 } },
        { label: 'site hops', temperatureK: Ts, rateHz: rates(0.22, 5e12), fit: { eaEv: 0.22, prefactorHz: 5e12 } },
      ],
    }),
    msd: plot.msdPlot({
      title: 'Li mean-squared displacement',
      series: [
        { label: '600 K', timePs: t, msdA2: t.map((x) => 0.6 * x + 1.5 * (1 - Math.exp(-x / 0.2))), fit: { slopeA2PerPs: 0.6, interceptA2: 1.5, t0Ps: 2, t1Ps: 10 } },
        { label: '800 K', timePs: t, msdA2: t.map((x) => 1.8 * x + 2 * (1 - Math.exp(-x / 0.2))), fit: { slopeA2PerPs: 1.8, interceptA2: 2, t0Ps: 2, t1Ps: 10 } },
      ],
    }),
    rdf: plot.rdfPlot({
      title: 'Radial distribution functions',
      series: [
        { label: 'Li–S', rA: r, g: peak(2.45, 0.12, 3) },
        { label: 'P–S', rA: r, g: peak(2.05, 0.05, 12) },
        { label: 'Li–Li', rA: r, g: peak(3.1, 0.3, 1.2) },
      ],
    }),
    trace: plot.tracePlot({
      title: 'NVT run, 600 K',
      timePs: t,
      panels: [
        { quantity: 'Temperature', unit: 'K', values: t.map((x) => 600 + 30 * g() + 200 * Math.exp(-x)), target: 600 },
        { quantity: 'Potential energy', unit: 'eV', values: t.map((x) => -250 + 0.5 * g() + 3 * Math.exp(-x)) },
        { quantity: 'Pressure', unit: 'GPa', series: [{ label: 'instantaneous', values: t.map(() => 0.1 + 0.3 * g()) }, { label: 'running mean', values: t.map((_, i) => 0.1 + 0.3 / Math.sqrt(i + 1)) }] },
      ],
    }),
    hopRates: plot.hopRatePlot({
      title: 'Hop rates by method',
      rows: Ts.flatMap((T, i) => [
        { group: `${T} K`, method: 'NMR ACF', rateHz: rates(0.25, 1e13)[i] / 1e9, errHz: 0.1 * rates(0.25, 1e13)[i] / 1e9 },
        { group: `${T} K`, method: 'site hops', rateHz: rates(0.22, 5e12)[i] / 1e9, errHz: 0.05 * rates(0.22, 5e12)[i] / 1e9 },
      ]),
      yTitle: 'Hop rate (10⁹ s⁻¹)',
    }),
    learningCurve: plot.learningCurvePlot({
      title: 'EFG model training',
      yTitle: 'Loss (MSE, (V/Å²)²)',
      series: [
        { label: 'train', epoch: t.map((_, i) => i + 1), loss: t.map((_, i) => 0.02 + 1 / (i + 1)) },
        { label: 'validation', epoch: t.map((_, i) => i + 1), loss: t.map((_, i) => 0.03 + 1.1 / (i + 1) + 0.002 * Math.abs(g())) },
      ],
    }),
  };
}
