/**
 * Hop-rate comparison: rates (Hz) from different methods (NMR ACF fit, counted site hops, MSD) per
 * temperature or per site pair, as grouped bars with 1σ error bars (linear axis) or as points (log axis).
 */
import { InputError } from '../../core/errors';
import { FigureOptions, VlSpec, finishSpec, numbers, paletteColor, powerOfTenAxis } from './common';

/** One rate: a group (temperature or site pair), the method that produced it, value and 1σ error in Hz. */
export interface HopRateRow {
  group: string;
  method: string;
  rateHz: number;
  errHz?: number;
}

/** Input of {@link hopRatePlot}. */
export interface HopRateInput extends FigureOptions {
  rows: readonly HopRateRow[];
  /** Log rate axis: points with error bars instead of bars (default false). */
  logY?: boolean;
  /** Title of the group axis (default "Temperature"). */
  groupTitle?: string;
}

/** Vega-Lite spec of grouped rates per group and method with error bars. */
export function hopRatePlot(input: HopRateInput): VlSpec {
  if (!Array.isArray(input.rows) || input.rows.length === 0) throw new InputError('hop-rate plot: expected at least one row');
  const rate = numbers(input.rows.map((r) => r.rateHz), 'hop-rate rateHz');
  const err = numbers(input.rows.map((r) => r.errHz ?? 0), 'hop-rate errHz');
  const rows = input.rows.map((r, i) => {
    if (input.logY && !(rate[i] > 0)) throw new InputError(`hop-rate rateHz[${i}] = ${rate[i]}: must be positive on a log axis`);
    const lo = rate[i] - err[i];
    return { group: String(r.group), method: String(r.method), rate: rate[i], lo: input.logY ? Math.max(lo, rate[i] * 1e-3) : lo, hi: rate[i] + err[i], hasErr: r.errHz !== undefined };
  });
  const groups = [...new Set(rows.map((r) => r.group))];
  const methods = [...new Set(rows.map((r) => r.method))];
  const x = { field: 'group', type: 'nominal', title: input.xTitle ?? input.groupTitle ?? 'Temperature', sort: groups, axis: { labelAngle: 0 } };
  const xOffset = { field: 'method', type: 'nominal', sort: methods, scale: { paddingOuter: 0.1 } };
  const color = { field: 'method', type: 'nominal', title: null, scale: { domain: methods, range: methods.map((_, i) => paletteColor(i)) }, legend: { orient: 'top', direction: 'horizontal' } };
  const yTitle = input.yTitle ?? 'Hop rate (s⁻¹)';
  const y = { field: 'rate', type: 'quantitative', title: yTitle, scale: input.logY ? { type: 'log' } : { zero: true }, ...(input.logY ? { axis: powerOfTenAxis(Math.min(...rows.map((r) => r.lo)), Math.max(...rows.map((r) => r.hi))) } : {}) };
  const main: VlSpec = input.logY
    ? { mark: { type: 'point', filled: true, size: 50 }, encoding: { x, xOffset, y, color, shape: { field: 'method', type: 'nominal', legend: null } } }
    : { mark: { type: 'bar' }, encoding: { x, xOffset, y, color } };
  const bars: VlSpec = {
    transform: [{ filter: 'datum.hasErr' }],
    mark: { type: 'rule', color: '#000000', strokeWidth: 1 },
    encoding: { x, xOffset, y: { field: 'lo', type: 'quantitative', title: yTitle }, y2: { field: 'hi' } },
  };
  const width = input.width ?? Math.max(160, groups.length * (methods.length * 22 + 20));
  return finishSpec({ data: { values: rows }, layer: [main, bars] }, { ...input, width });
}
