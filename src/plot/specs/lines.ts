/**
 * The generic x–y line figure behind MSD, RDF and learning-curve plots: several labelled series,
 * optional dashed companion curves (fits), optional log axes and horizontal reference lines.
 */
import { FigureOptions, VlSpec, finishSpec, fitLayer, labelsOf, numbers, quantitative, requireSeries, seriesColor, thinLinear, thinLog } from './common';

/** One labelled curve; `dashed` holds an optional companion (e.g. a fit) drawn as a black dashed line over it. */
export interface XYSeries {
  label?: string;
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  dashed?: { x: ArrayLike<number>; y: ArrayLike<number> };
}

/** Input of {@link linePlot}. */
export interface LinePlotInput extends FigureOptions {
  series: readonly XYSeries[];
  xTitle: string;
  yTitle: string;
  logX?: boolean;
  logY?: boolean;
  /** Horizontal reference lines (e.g. g(r) = 1). */
  hlines?: readonly number[];
  /** Largest number of points drawn per series; default 1000. */
  maxPoints?: number;
  /** Draw small point markers on the data lines (default false). */
  points?: boolean;
  /** Legend position (Vega-Lite legend orient), default top-right. */
  legendOrient?: string;
}

/** Vega-Lite spec of labelled lines with optional dashed companions and reference lines. */
export function linePlot(input: LinePlotInput): VlSpec {
  const series = requireSeries(input.series, input.title ?? 'line plot');
  const labels = labelsOf(series, input.title ?? 'line plot');
  const rows: Record<string, unknown>[] = [];
  const dashed: Record<string, unknown>[] = [];
  const maxPoints = input.maxPoints ?? 1000;
  const ok = (x: number, y: number) => (!input.logX || x > 0) && (!input.logY || y > 0);
  series.forEach((s, k) => {
    const what = `series ${JSON.stringify(labels[k])}`;
    const x = numbers(s.x, `${what} x`);
    const y = numbers(s.y, `${what} y`, x.length);
    const keep = input.logX ? thinLog(x, maxPoints) : thinLinear(x.length, maxPoints);
    for (const i of keep) if (ok(x[i], y[i])) rows.push({ series: labels[k], x: x[i], y: y[i] });
    if (s.dashed) {
      const dx = numbers(s.dashed.x, `${what} dashed x`);
      const dy = numbers(s.dashed.y, `${what} dashed y`, dx.length);
      for (let i = 0; i < dx.length; i++) if (ok(dx[i], dy[i])) dashed.push({ series: labels[k], x: dx[i], y: dy[i] });
    }
  });
  const color = seriesColor(labels);
  if (input.legendOrient && color.legend !== null) color.legend = { orient: input.legendOrient };
  const x = quantitative('x', input.xTitle, input.logX ? { type: 'log' } : {});
  const y = quantitative('y', input.yTitle, input.logY ? { type: 'log' } : {});
  const layers: VlSpec[] = [];
  for (const h of input.hlines ?? [])
    layers.push({ data: { values: [{}] }, mark: { type: 'rule', color: '#7f7f7f', strokeDash: [2, 2], strokeWidth: 0.8 }, encoding: { y: { datum: h, type: 'quantitative' } } });
  layers.push({
    data: { values: rows },
    mark: { type: 'line', strokeWidth: 1.4, clip: true, ...(input.points ? { point: { size: 12, filled: true } } : {}) },
    encoding: { x, y, color },
  });
  if (dashed.length) layers.push(fitLayer(dashed, 'x', 'y'));
  return finishSpec({ layer: layers }, input);
}
