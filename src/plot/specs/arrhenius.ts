/** Arrhenius plot: rate (Hz) on a log axis against 1000/T (K⁻¹), error bars, and fitted lines. */
import { InputError } from '../../core/errors';
import { KB_EV_PER_K } from '../../core/units';
import { FigureOptions, VlSpec, finishSpec, labelsOf, numbers, powerOfTenAxis, quantitative, requireSeries, seriesColor } from './common';

/** One set of rates with optional 1σ errors and an Arrhenius fit rate = A·exp(−Ea/(k_B T)). */
export interface ArrheniusSeries {
  label?: string;
  temperatureK: ArrayLike<number>;
  rateHz: ArrayLike<number>;
  /** Symmetric 1σ uncertainty of each rate (Hz). */
  rateErrHz?: ArrayLike<number>;
  fit?: { eaEv: number; prefactorHz: number };
}

/** Input of {@link arrheniusPlot}. */
export interface ArrheniusInput extends FigureOptions {
  series: readonly ArrheniusSeries[];
  /** Print Ea of each fit in the legend label (default true). */
  showEa?: boolean;
}

/** Rate A·exp(−Ea/(k_B T)) in Hz for Ea in eV, T in K. */
export function arrheniusRate(eaEv: number, prefactorHz: number, temperatureK: number): number {
  return prefactorHz * Math.exp(-eaEv / (KB_EV_PER_K * temperatureK));
}

/** Vega-Lite spec: points (shape and colour per series), error bars clipped at positive rates, dashed fits. */
export function arrheniusPlot(input: ArrheniusInput): VlSpec {
  const series = requireSeries(input.series, 'arrhenius plot');
  const base = labelsOf(series, 'arrhenius plot');
  const labels = base.map((l, k) => {
    const f = series[k].fit;
    return f && (input.showEa ?? true) ? `${l} (Eₐ = ${f.eaEv.toFixed(3)} eV)` : l;
  });
  const pts: Record<string, unknown>[] = [];
  const fits: Record<string, unknown>[] = [];
  series.forEach((s, k) => {
    const what = `arrhenius series ${JSON.stringify(base[k])}`;
    const T = numbers(s.temperatureK, `${what} temperatureK`);
    const r = numbers(s.rateHz, `${what} rateHz`, T.length);
    const e = s.rateErrHz ? numbers(s.rateErrHz, `${what} rateErrHz`, T.length) : undefined;
    for (let i = 0; i < T.length; i++) {
      if (!(T[i] > 0)) throw new InputError(`${what} temperatureK[${i}] = ${T[i]}: expected a positive temperature`);
      if (!(r[i] > 0)) throw new InputError(`${what} rateHz[${i}] = ${r[i]}: rates must be positive on a log axis`);
      const row: Record<string, unknown> = { series: labels[k], x: 1000 / T[i], T: T[i], r: r[i] };
      if (e) {
        row.lo = Math.max(r[i] - e[i], r[i] * 1e-3);
        row.hi = r[i] + e[i];
      }
      pts.push(row);
    }
    if (s.fit) {
      const tMin = Math.min(...T), tMax = Math.max(...T);
      const x0 = 1000 / tMax, x1 = 1000 / tMin, pad = 0.05 * (x1 - x0 || x0);
      for (let j = 0; j <= 40; j++) {
        const x = x0 - pad + ((x1 - x0 + 2 * pad) * j) / 40;
        fits.push({ series: labels[k], x, r: arrheniusRate(s.fit.eaEv, s.fit.prefactorHz, 1000 / x) });
      }
    }
  });
  const color = seriesColor(labels);
  const x = quantitative('x', input.xTitle ?? '1000 / T (K⁻¹)');
  const all = [...pts.flatMap((p) => [p.r, p.lo ?? p.r, p.hi ?? p.r]), ...fits.map((f) => f.r)] as number[];
  const y = { ...quantitative('r', input.yTitle ?? 'Rate (s⁻¹)', { type: 'log' }), axis: powerOfTenAxis(Math.min(...all), Math.max(...all)) };
  const layers: VlSpec[] = [];
  if (fits.length)
    layers.push({ data: { values: fits }, mark: { type: 'line', strokeDash: [5, 3], strokeWidth: 1.2 }, encoding: { x, y, color, detail: { field: 'series' } } });
  if (pts.some((p) => p.lo !== undefined))
    layers.push({
      data: { values: pts.filter((p) => p.lo !== undefined) },
      mark: { type: 'rule', strokeWidth: 1.2 },
      encoding: { x, y: { field: 'lo', type: 'quantitative', scale: { type: 'log' } }, y2: { field: 'hi' }, color },
    });
  layers.push({
    data: { values: pts },
    mark: { type: 'point', filled: true, size: 45 },
    encoding: {
      x, y, color, shape: { field: 'series', type: 'nominal', title: null, scale: { domain: labels } },
      tooltip: [{ field: 'T', title: 'T (K)' }, { field: 'r', title: 'rate (Hz)', format: '.3e' }],
    },
  });
  return finishSpec({ layer: layers }, input);
}
