/**
 * Correlation-function plots on a log time axis (ACF of ω_Q, SAE F2, …) with stretched-exponential
 * fits drawn as dashed lines: (1 − Z)·exp(−(t/τ)^β) + Z (science.md §4).
 */
import { InputError } from '../../core/errors';
import { FigureOptions, VlSpec, finishSpec, fitLayer, labelsOf, logspace, numbers, quantitative, requireSeries, seriesColor, thinLog, wrapTitle } from './common';

/** Parameters of a stretched exponential with plateau (τ in ps). */
export interface KwwCurve {
  tauPs: number;
  beta: number;
  plateau: number;
  /** Amplitude at t = 0 (default 1, for a normalised ACF). */
  amplitude?: number;
}

/** One correlation function: lag times (ps) and values, with an optional fit. */
export interface CorrelationSeries {
  label?: string;
  lagPs: ArrayLike<number>;
  values: ArrayLike<number>;
  /** A fitted curve: KWW parameters, or explicit points. */
  fit?: KwwCurve | { lagPs: ArrayLike<number>; values: ArrayLike<number> };
  /** Lag window the fit used (ps): shaded on the plot. */
  fitWindowPs?: [number, number];
}

/** Input of {@link acfPlot}. */
export interface AcfInput extends FigureOptions {
  series: readonly CorrelationSeries[];
  /** Largest number of data points drawn per series (log-thinned); default 300. */
  maxPoints?: number;
  /** Log scale on y as well (default false). */
  logY?: boolean;
}

/** Value of the KWW curve (1 − Z)·A·exp(−(t/τ)^β) + Z·A at lag t (ps). */
export function kwwValue(c: KwwCurve, tPs: number): number {
  const a = c.amplitude ?? 1;
  return a * ((1 - c.plateau) * Math.exp(-Math.pow(tPs / c.tauPs, c.beta)) + c.plateau);
}

/** Vega-Lite spec: data as lines with small points, fits dashed, log lag axis (ps). */
export function acfPlot(input: AcfInput): VlSpec {
  const series = requireSeries(input.series, 'acf plot');
  const labels = labelsOf(series, 'acf plot');
  const rows: Record<string, unknown>[] = [];
  const fits: Record<string, unknown>[] = [];
  const windows: Record<string, unknown>[] = [];
  series.forEach((s, k) => {
    const what = `acf series ${JSON.stringify(labels[k])}`;
    const t = numbers(s.lagPs, `${what} lagPs`);
    const v = numbers(s.values, `${what} values`, t.length);
    const keep = thinLog(t, input.maxPoints ?? 300);
    if (keep.length === 0) throw new InputError(`${what}: no positive lag times to draw on a log axis`);
    for (const i of keep) if (!input.logY || v[i] > 0) rows.push({ series: labels[k], t: t[i], v: v[i] });
    if (s.fit) {
      let ft: number[], fv: number[];
      if ('tauPs' in s.fit) {
        const c = s.fit;
        if (!(c.tauPs > 0) || !(c.beta > 0)) throw new InputError(`${what} fit: tauPs and beta must be positive`);
        ft = logspace(t[keep[0]], t[keep[keep.length - 1]], 160);
        fv = ft.map((x) => kwwValue(c, x));
      } else {
        ft = numbers(s.fit.lagPs, `${what} fit lagPs`);
        fv = numbers(s.fit.values, `${what} fit values`, ft.length);
      }
      for (let i = 0; i < ft.length; i++) if (ft[i] > 0 && (!input.logY || fv[i] > 0)) fits.push({ series: labels[k], t: ft[i], v: fv[i] });
    }
    if (s.fitWindowPs) windows.push({ series: labels[k], t0: s.fitWindowPs[0], t1: s.fitWindowPs[1] });
  });
  const color = seriesColor(labels);
  const x = quantitative('t', input.xTitle ?? 'Lag time t (ps)', { type: 'log' });
  const y = quantitative('v', wrapTitle(input.yTitle ?? 'G(t) / G(0)', input.height ?? 220), input.logY ? { type: 'log' } : {});
  const layers: VlSpec[] = [];
  if (windows.length)
    layers.push({
      data: { values: windows },
      mark: { type: 'rect', opacity: 0.08, color: '#000000' },
      encoding: { x: { field: 't0', type: 'quantitative' }, x2: { field: 't1' }, y: { value: 0 }, y2: { value: 'height' } },
    });
  layers.push({
    data: { values: rows },
    mark: { type: 'line', point: { size: 10, filled: true, opacity: 0.7 }, strokeWidth: 1, opacity: 0.8, clip: true },
    encoding: { x, y, color },
  });
  if (fits.length) layers.push(fitLayer(fits, 't', 'v'));
  return finishSpec({ layer: layers }, input);
}
