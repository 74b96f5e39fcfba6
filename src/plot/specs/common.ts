/**
 * Shared pieces of the spec builders: the spec type, theme/schema finishing, input validation and
 * thinning of long series (inline data must stay small enough for a notebook).
 */
import { InputError } from '../../core/errors';
import { DEFAULT_HEIGHT, DEFAULT_WIDTH, PALETTE, publicationConfig } from '../theme';

/** Major version of Vega-Lite the specs target (the installed vega-lite 6). */
export const VEGA_LITE_MAJOR = 6;

/** A Vega-Lite top-level specification (plain JSON; mutate freely before rendering). */
export type VlSpec = Record<string, unknown>;

/** Options every builder accepts. Sizes are in px of the plot area (1 px = 1 pt in the PDF). */
export interface FigureOptions {
  title?: string;
  width?: number;
  height?: number;
  xTitle?: string;
  yTitle?: string;
}

/** Adds `$schema`, the publication theme and the title to a spec built by this module. */
export function finishSpec(spec: VlSpec, opts: FigureOptions = {}, sized = true): VlSpec {
  const out: VlSpec = { $schema: `https://vega.github.io/schema/vega-lite/v${VEGA_LITE_MAJOR}.json` };
  if (opts.title) out.title = opts.title;
  if (sized) {
    out.width = opts.width ?? DEFAULT_WIDTH;
    out.height = opts.height ?? DEFAULT_HEIGHT;
  }
  Object.assign(out, spec);
  out.config = publicationConfig();
  return out;
}

/** The palette colour for series number i (wraps around). */
export function paletteColor(i: number): string {
  return PALETTE[i % PALETTE.length];
}

/** Copies a numeric array, checking length and finiteness; `what` names the array in the error. */
export function numbers(values: ArrayLike<number>, what: string, length?: number): number[] {
  if (values === undefined || values === null || typeof values.length !== 'number')
    throw new InputError(`${what}: expected an array of numbers, got ${values === null ? 'null' : typeof values}`);
  if (length !== undefined && values.length !== length)
    throw new InputError(`${what}: expected ${length} values (one per point), got ${values.length}`);
  const out = new Array<number>(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = Number(values[i]);
    if (!Number.isFinite(v)) throw new InputError(`${what}[${i}] is ${values[i]}, expected a finite number`);
    out[i] = v;
  }
  return out;
}

/** Throws unless at least one series is given. */
export function requireSeries<T>(series: readonly T[] | undefined, what: string): readonly T[] {
  if (!Array.isArray(series) || series.length === 0) throw new InputError(`${what}: expected at least one series`);
  return series;
}

/** Indices of at most `maxPoints` points spread evenly over the index range (always keeps first and last). */
export function thinLinear(n: number, maxPoints: number): number[] {
  if (n <= maxPoints) return Array.from({ length: n }, (_, i) => i);
  const out: number[] = [];
  for (let k = 0; k < maxPoints; k++) out.push(Math.round((k * (n - 1)) / (maxPoints - 1)));
  return [...new Set(out)];
}

/**
 * Indices of at most about `maxPoints` points spread evenly in log(x) (for log-axis plots of
 * monotonically increasing positive x); points with x ≤ 0 are dropped.
 */
export function thinLog(x: readonly number[], maxPoints: number): number[] {
  const pos: number[] = [];
  for (let i = 0; i < x.length; i++) if (x[i] > 0) pos.push(i);
  if (pos.length <= maxPoints) return pos;
  const lo = Math.log(x[pos[0]]);
  const hi = Math.log(x[pos[pos.length - 1]]);
  const out: number[] = [];
  let next = lo;
  const step = (hi - lo) / (maxPoints - 1);
  for (const i of pos) {
    const l = Math.log(x[i]);
    if (l >= next - 1e-12) {
      out.push(i);
      next = l + step;
    }
  }
  if (out[out.length - 1] !== pos[pos.length - 1]) out.push(pos[pos.length - 1]);
  return out;
}

/** n points log-spaced from a to b (a, b > 0). */
export function logspace(a: number, b: number, n: number): number[] {
  const la = Math.log(a);
  const lb = Math.log(b);
  return Array.from({ length: n }, (_, i) => Math.exp(la + ((lb - la) * i) / Math.max(1, n - 1)));
}

/** Quantitative encoding with a title and optional log scale. */
export function quantitative(field: string, title: string | string[], scale: Record<string, unknown> = {}): Record<string, unknown> {
  if (scale.type === 'log') return { field, type: 'quantitative', title, scale: { ...scale }, axis: { labelExpr: LOG_LABELS } };
  return { field, type: 'quantitative', title, scale: { zero: false, ...scale } };
}

/** Log axes label only the ticks 1, 2 and 5 × 10^k (a short decade otherwise crowds "0.2 0.3 0.4 …" together). */
const LOG_LABELS = "indexof(['1', '2', '5'], slice(format(datum.value, '.0e'), 0, 1)) >= 0 ? datum.label : ''";

/** Colour encoding of a series label with the palette in the given label order. */
export function seriesColor(labels: readonly string[], title: string | null = null): Record<string, unknown> {
  return {
    field: 'series', type: 'nominal', title,
    scale: { domain: [...labels], range: labels.map((_, i) => paletteColor(i)) },
    legend: labels.length > 1 ? {} : null,
  };
}

/** Series labels, defaulting to "series 1", … and checked for duplicates. */
export function labelsOf(series: readonly { label?: string }[], what: string): string[] {
  const labels = series.map((s, i) => s.label ?? `series ${i + 1}`);
  const seen = new Set<string>();
  for (const l of labels) {
    if (seen.has(l)) throw new InputError(`${what}: duplicate series label ${JSON.stringify(l)}`);
    seen.add(l);
  }
  return labels;
}

const SUPERSCRIPT: Record<string, string> = { '-': '⁻', '0': '⁰', '1': '¹', '2': '²', '3': '³', '4': '⁴', '5': '⁵', '6': '⁶', '7': '⁷', '8': '⁸', '9': '⁹' };

/**
 * Axis properties for a log axis over [lo, hi]: labels 10ⁿ at decades only when the range spans a
 * decade or more, otherwise compact scientific labels.
 */
export function powerOfTenAxis(lo: number, hi: number): Record<string, unknown> {
  if (!(lo > 0) || !(hi / lo >= 10)) return { format: '.2~e' };
  let sup = "format(round(log(datum.value) / LN10), 'd')";
  for (const [d, s] of Object.entries(SUPERSCRIPT)) sup = `replace(${sup}, regexp('${d}', 'g'), '${s}')`;
  return { labelExpr: `abs(log(datum.value) / LN10 - round(log(datum.value) / LN10)) < 1e-6 ? '10' + ${sup} : ''` };
}

/** Splits an axis title "quantity (unit)" onto two lines when it is longer than `maxPx` (estimated at 0.6 em). */
export function wrapTitle(title: string, maxPx: number, fontSizePx = 12): string | string[] {
  if (title.length * 0.6 * fontSizePx <= maxPx) return title;
  const k = title.lastIndexOf(' (');
  if (k > 0) return [title.slice(0, k), title.slice(k + 1)];
  const mid = title.lastIndexOf(' ', Math.floor(title.length / 2));
  return mid > 0 ? [title.slice(0, mid), title.slice(mid + 1)] : title;
}

/** Layer of fitted curves: black dashed lines, one per series, over the data (rows carry `series`). */
export function fitLayer(rows: Record<string, unknown>[], xField: string, yField: string): VlSpec {
  return {
    data: { values: rows },
    mark: { type: 'line', strokeDash: [5, 3], strokeWidth: 1.3, color: '#000000', clip: true },
    encoding: { x: { field: xField, type: 'quantitative' }, y: { field: yField, type: 'quantitative' }, detail: { field: 'series' } },
  };
}
