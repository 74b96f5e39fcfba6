/**
 * Figures of a study (Vega-Lite specs from src/plot, written by saveFigure): ACF curves with their KWW fits
 * per temperature, the Arrhenius comparison of the three rates, Li MSD curves with the diffusion fits, and
 * the per-temperature rate comparison. Spec builders are pure; {@link writeStudyFigures} renders them.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { acfPlot, type CorrelationSeries } from '../plot/specs/acf';
import { arrheniusPlot, type ArrheniusSeries } from '../plot/specs/arrhenius';
import { msdPlot } from '../plot/specs/msd';
import { hopRatePlot, type HopRateRow } from '../plot/specs/hopRates';
import type { VlSpec } from '../plot/specs/common';
import { saveFigure, type FigureFormat } from '../plot/render/saveFigure';
import type { MsdStageResult, NmrStageResult } from './analysisStages';
import type { MethodArrhenius, TemperatureRow } from './summary';

/** What the figure builders need: the table rows, the fits and the per-temperature curves. */
export interface FigureInputs {
  name: string;
  rows: TemperatureRow[];
  arrhenius: Record<'nmr' | 'hops' | 'msd', MethodArrhenius>;
  acf: { temperatureK: number; nmr: NmrStageResult }[];
  msd: { temperatureK: number; msd: MsdStageResult }[];
}

/** ACF of ω_Q per temperature with the fitted stretched exponentials and fit windows. */
export function acfFigure(x: FigureInputs): VlSpec {
  const series: CorrelationSeries[] = x.acf.map(({ temperatureK, nmr }) => {
    const s: CorrelationSeries = { label: `${temperatureK} K`, lagPs: nmr.lagPs.slice(1), values: nmr.acf.slice(1) };
    if (nmr.fit.ok) { s.fit = { tauPs: nmr.fit.tauPs, beta: nmr.fit.beta, plateau: nmr.fit.plateau, amplitude: nmr.fit.amplitude }; s.fitWindowPs = nmr.fit.windowPs; }
    return s;
  });
  return acfPlot({ series, title: `${x.name}: 7Li ω_Q autocorrelation (powder) and KWW fits`, yTitle: 'C(t)' });
}

const METHODS: ['nmr' | 'hops' | 'msd', string][] = [['nmr', 'NMR 1/τ'], ['hops', 'site hops'], ['msd', 'Γ = 6D/a²']];

function methodRate(r: TemperatureRow, m: 'nmr' | 'hops' | 'msd'): [number | undefined, number | undefined] {
  if (m === 'nmr') return r.nmr.unresolved ? [undefined, undefined] : [r.nmr.rateHz, r.nmr.rateErrHz];
  if (m === 'hops') return [r.hops.rateHz, r.hops.rateErrHz];
  return [r.msd.gammaHz, r.msd.gammaErrHz];
}

/** Arrhenius plot of the NMR, hop and MSD rates with their fits. */
export function arrheniusFigure(x: FigureInputs): VlSpec | undefined {
  const series: ArrheniusSeries[] = [];
  for (const [m, label] of METHODS) {
    const pts = x.rows.map((r) => [r.temperatureK, ...methodRate(r, m)] as const).filter(([, k]) => k !== undefined && k > 0 && Number.isFinite(k));
    if (pts.length === 0) continue;
    const f = x.arrhenius[m];
    const errs = pts.map(([, , e]) => (e !== undefined && Number.isFinite(e) && e > 0 ? e : 0));
    series.push({ label, temperatureK: pts.map((p) => p[0]), rateHz: pts.map((p) => p[1]!), rateErrHz: errs, fit: 'eaEv' in f ? { eaEv: f.eaEv, prefactorHz: f.prefactor } : undefined });
  }
  return series.length ? arrheniusPlot({ series, title: `${x.name}: Li jump rates, NMR vs dynamics` }) : undefined;
}

/** Li MSD per temperature with the linear fits that give D. */
export function msdFigure(x: FigureInputs): VlSpec {
  return msdPlot({
    title: `${x.name}: Li mean squared displacement`,
    series: x.msd.map(({ temperatureK, msd }) => {
      const li = msd.elements.find((e) => e.element === 'Li')!;
      return { label: `${temperatureK} K`, timePs: msd.lagPs, msdA2: li.msdA2, fit: { slopeA2PerPs: 6 * msd.li.dA2PerPs, interceptA2: msd.li.interceptA2, t0Ps: msd.li.windowPs[0], t1Ps: msd.li.windowPs[1] } };
    }),
  });
}

/** Rates of the three methods per temperature (points with error bars on a log axis). */
export function rateTableFigure(x: FigureInputs): VlSpec | undefined {
  const rows: HopRateRow[] = [];
  for (const r of x.rows) for (const [m, label] of METHODS) {
    const [k, e] = methodRate(r, m);
    if (k !== undefined && k > 0 && Number.isFinite(k)) rows.push({ group: `${r.temperatureK} K`, method: label, rateHz: k, errHz: e !== undefined && Number.isFinite(e) ? e : undefined });
  }
  return rows.length ? hopRatePlot({ rows, logY: true, title: `${x.name}: jump rates per temperature` }) : undefined;
}

/** Renders every figure into `dir` (created); returns the written files by figure. */
export async function writeStudyFigures(x: FigureInputs, dir: string, formats: readonly FigureFormat[]): Promise<Record<string, string[]>> {
  mkdirSync(dir, { recursive: true });
  const specs: [string, VlSpec | undefined][] = [['acf', acfFigure(x)], ['arrhenius', arrheniusFigure(x)], ['msd', msdFigure(x)], ['rates', rateTableFigure(x)]];
  const out: Record<string, string[]> = {};
  for (const [name, spec] of specs) {
    if (!spec) continue;
    const saved = await saveFigure(spec, join(dir, name), { formats });
    out[name] = Object.values(saved).filter((p): p is string => !!p).map((p) => p.slice(dir.length + 1));
  }
  return out;
}
