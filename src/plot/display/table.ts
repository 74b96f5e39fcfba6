/**
 * Tables as MIME bundles (text/html + text/plain) from danfojs-node DataFrames/Series, arrays of row
 * objects, or column records {name: values[]}.
 */
import { InputError } from '../../core/errors';
import { MimeBundle, publish } from './jupyter';

/** A table in plain form: column names, an index label per row, and cell values row by row. */
export interface PlainTable {
  columns: string[];
  index: string[];
  rows: unknown[][];
}

/** Things {@link toPlainTable} accepts. */
export type TableLike =
  | { columns: readonly string[]; values: readonly unknown[]; index?: readonly unknown[] }
  | { values: readonly unknown[]; index?: readonly unknown[]; name?: unknown }
  | readonly Record<string, unknown>[]
  | Record<string, ArrayLike<unknown>>;

/** Normalises a DataFrame, Series, row objects or column record into a {@link PlainTable}. */
export function toPlainTable(t: TableLike): PlainTable {
  if (Array.isArray(t)) {
    const columns = [...new Set(t.flatMap((r) => Object.keys(r ?? {})))];
    return { columns, index: t.map((_, i) => String(i)), rows: t.map((r) => columns.map((c) => (r as Record<string, unknown>)[c])) };
  }
  const o = t as Record<string, unknown>;
  const index = (n: number) => (Array.isArray(o.index) && o.index.length === n ? o.index.map(String) : Array.from({ length: n }, (_, i) => String(i)));
  if (Array.isArray(o.columns) && Array.isArray(o.values)) {
    const rows = (o.values as unknown[]).map((r) => (Array.isArray(r) ? [...r] : [r]));
    return { columns: (o.columns as unknown[]).map(String), index: index(rows.length), rows };
  }
  if (Array.isArray(o.values) && !Array.isArray((o.values as unknown[])[0])) {
    const vals = o.values as unknown[];
    return { columns: [o.name !== undefined ? String(o.name) : 'value'], index: index(vals.length), rows: vals.map((v) => [v]) };
  }
  const columns = Object.keys(o);
  if (columns.length === 0) throw new InputError('table: no columns');
  const cols = columns.map((c) => {
    const v = o[c] as ArrayLike<unknown>;
    if (v === null || typeof v !== 'object' || typeof v.length !== 'number') throw new InputError(`table column ${JSON.stringify(c)}: expected an array`);
    return v;
  });
  const n = cols[0].length;
  cols.forEach((v, k) => {
    if (v.length !== n) throw new InputError(`table column ${JSON.stringify(columns[k])}: ${v.length} values, expected ${n} like column ${JSON.stringify(columns[0])}`);
  });
  return { columns, index: index(n), rows: Array.from({ length: n }, (_, i) => cols.map((v) => v[i])) };
}

/** Formats one cell: integers below 1e6 as is, other numbers to 6 significant digits (exponent outside 1e-4…1e6). */
export function formatCell(v: unknown): string {
  if (typeof v === 'number') {
    if (Number.isInteger(v) && Math.abs(v) < 1e6) return String(v);
    if (!Number.isFinite(v)) return String(v);
    const a = Math.abs(v);
    return a !== 0 && (a < 1e-4 || a >= 1e6) ? v.toExponential(4) : String(Number(v.toPrecision(6)));
  }
  if (v === null || v === undefined) return '';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

const escapeHtml = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

/** Rows shown for a table of n rows: all, or the first and last half of `maxRows` with a gap marker (−1). */
function shownRows(n: number, maxRows: number): number[] {
  if (n <= maxRows) return Array.from({ length: n }, (_, i) => i);
  const h = Math.floor(maxRows / 2);
  return [...Array.from({ length: h }, (_, i) => i), -1, ...Array.from({ length: h }, (_, i) => n - h + i)];
}

/** Options of {@link tableBundle}. */
export interface TableOptions {
  /** Most rows shown (head and tail), default 60. */
  maxRows?: number;
  /** Show the index column (default true for DataFrames/Series, false for rows and column records). */
  showIndex?: boolean;
  caption?: string;
}

/** The {text/html, text/plain} bundle of a table. */
export function tableBundle(t: TableLike, opts: TableOptions = {}): MimeBundle {
  const p = toPlainTable(t);
  const isFrame = !Array.isArray(t) && Array.isArray((t as { values?: unknown }).values);
  const showIndex = opts.showIndex ?? isFrame;
  const rows = shownRows(p.rows.length, opts.maxRows ?? 60);
  const head = [...(showIndex ? [''] : []), ...p.columns];
  const body = rows.map((i) => (i < 0 ? head.map(() => '…') : [...(showIndex ? [p.index[i]] : []), ...p.rows[i].map(formatCell)]));
  const numeric = p.columns.map((_, c) => p.rows.every((r) => typeof r[c] === 'number'));
  const right = [...(showIndex ? [false] : []), ...numeric];
  let html = '<table class="dataframe ufnmr-table" style="border-collapse:collapse">';
  if (opts.caption) html += `<caption>${escapeHtml(opts.caption)}</caption>`;
  html += '<thead><tr>' + head.map((h) => `<th>${escapeHtml(h)}</th>`).join('') + '</tr></thead><tbody>';
  for (const r of body) html += '<tr>' + r.map((c, k) => `<td${right[k] ? ' style="text-align:right"' : ''}>${escapeHtml(c)}</td>`).join('') + '</tr>';
  html += `</tbody></table><p style="font-size:smaller">${p.rows.length} rows × ${p.columns.length} columns</p>`;
  const widths = head.map((h, k) => Math.max([...h].length, ...body.map((r) => [...r[k]].length)));
  const pad = (s: string, k: number) => (right[k] ? s.padStart(widths[k]) : s.padEnd(widths[k]));
  const lines = [head.map(pad).join('  '), ...body.map((r) => r.map(pad).join('  '))].map((l) => l.trimEnd());
  const text = (opts.caption ? `${opts.caption}\n` : '') + lines.join('\n') + `\n[${p.rows.length} rows × ${p.columns.length} columns]`;
  return { 'text/html': html, 'text/plain': text };
}

/** Displays a table (DataFrame, Series, row objects, or column record) in the notebook; prints it elsewhere. */
export function showTable(t: TableLike, opts: TableOptions = {}): void {
  publish(tableBundle(t, opts));
}
