/**
 * MD traces: one panel per quantity (temperature K, energies eV, pressure, volume …) stacked over a
 * shared time axis (ps); each panel may hold several series (e.g. instantaneous and running mean).
 */
import { InputError } from '../../core/errors';
import { DEFAULT_WIDTH } from '../theme';
import { FigureOptions, VlSpec, finishSpec, numbers, paletteColor, thinLinear, wrapTitle } from './common';

/** One panel: a quantity with its unit and one or more series over the shared time axis. */
export interface TracePanel {
  quantity: string;
  unit?: string;
  /** A single series, or several labelled ones of equal length. */
  values?: ArrayLike<number>;
  series?: readonly { label: string; values: ArrayLike<number> }[];
  /** Horizontal reference (e.g. the thermostat target temperature). */
  target?: number;
}

/** Input of {@link tracePlot}. */
export interface TraceInput extends FigureOptions {
  timePs: ArrayLike<number>;
  panels: readonly TracePanel[];
  /** Height of each panel in px (default 110). */
  panelHeight?: number;
  maxPoints?: number;
}

/** Vega-Lite spec: panels stacked vertically, time axis labelled on the bottom panel only. */
export function tracePlot(input: TraceInput): VlSpec {
  const t = numbers(input.timePs, 'trace timePs');
  if (!Array.isArray(input.panels) || input.panels.length === 0) throw new InputError('trace plot: expected at least one panel');
  const keep = thinLinear(t.length, input.maxPoints ?? 1500);
  const width = input.width ?? DEFAULT_WIDTH;
  const panels = input.panels.map((p, k) => {
    const list: readonly { label: string; values: ArrayLike<number> }[] = p.series ?? (p.values ? [{ label: p.quantity, values: p.values }] : []);
    if (list.length === 0) throw new InputError(`trace panel ${JSON.stringify(p.quantity)}: give values or series`);
    const rows: Record<string, unknown>[] = [];
    list.forEach((s) => {
      const v = numbers(s.values, `trace panel ${JSON.stringify(p.quantity)} series ${JSON.stringify(s.label)}`, t.length);
      for (const i of keep) rows.push({ series: s.label, t: t[i], v: v[i] });
    });
    const last = k === input.panels.length - 1;
    const labels = list.map((s) => s.label);
    const layers: VlSpec[] = [{
      data: { values: rows },
      mark: { type: 'line', strokeWidth: 1, clip: true },
      encoding: {
        x: { field: 't', type: 'quantitative', title: last ? (input.xTitle ?? 'Time (ps)') : null, axis: last ? {} : { labels: false }, scale: { zero: false, nice: false } },
        y: { field: 'v', type: 'quantitative', title: wrapTitle(p.unit ? `${p.quantity} (${p.unit})` : p.quantity, input.panelHeight ?? 110), scale: { zero: false } },
        color: {
          field: 'series', type: 'nominal', title: null,
          scale: { domain: labels, range: labels.map((_, i) => paletteColor(list.length === 1 ? k : i)) },
          legend: list.length > 1 ? { orient: 'right' } : null,
        },
      },
    }];
    if (p.target !== undefined)
      layers.push({ data: { values: [{}] }, mark: { type: 'rule', color: '#000000', strokeDash: [4, 3], strokeWidth: 0.8 }, encoding: { y: { datum: p.target, type: 'quantitative' } } });
    return { width, height: input.panelHeight ?? 110, layer: layers, resolve: { scale: { color: 'independent' } } };
  });
  return finishSpec({ vconcat: panels, spacing: 6, resolve: { scale: { color: 'independent' } } }, input, false);
}
