/** Parity plot (model vs reference) with the y = x line and RMSE / MAE / R² printed in the corner. */
import { InputError } from '../../core/errors';
import { FigureOptions, VlSpec, finishSpec, numbers, paletteColor, thinLinear } from './common';

/** Error metrics of predicted vs reference values (same unit as the values; r2 dimensionless). */
export interface ParityMetrics {
  n: number;
  rmse: number;
  mae: number;
  /** Coefficient of determination 1 − SS_res/SS_tot (NaN when the reference is constant). */
  r2: number;
  maxAbs: number;
}

/** RMSE, MAE, R² and max |error| of predicted vs reference (unit of the inputs). */
export function parityMetrics(reference: ArrayLike<number>, predicted: ArrayLike<number>): ParityMetrics {
  const n = reference.length;
  if (predicted.length !== n) throw new InputError(`parity: ${n} reference values but ${predicted.length} predicted`);
  if (n === 0) throw new InputError('parity: no points');
  let mean = 0;
  for (let i = 0; i < n; i++) mean += reference[i];
  mean /= n;
  let ss = 0, sa = 0, st = 0, mx = 0;
  for (let i = 0; i < n; i++) {
    const e = predicted[i] - reference[i];
    ss += e * e;
    sa += Math.abs(e);
    mx = Math.max(mx, Math.abs(e));
    st += (reference[i] - mean) ** 2;
  }
  return { n, rmse: Math.sqrt(ss / n), mae: sa / n, r2: st > 0 ? 1 - ss / st : NaN, maxAbs: mx };
}

/** Input of {@link parityPlot}. */
export interface ParityInput extends FigureOptions {
  reference: ArrayLike<number>;
  predicted: ArrayLike<number>;
  /** Optional group per point (e.g. tensor component "xx", element, train/test): coloured separately. */
  group?: readonly string[];
  /** Quantity and unit for the axis titles, e.g. "V_zz" and "V/Å²". */
  quantity?: string;
  unit?: string;
  /** Names of the two sources (default "DFT" and "model"). */
  referenceName?: string;
  predictedName?: string;
  /** Largest number of points drawn (metrics always use all points); default 5000. */
  maxPoints?: number;
  /** Print the metrics in the top-left corner (default true). */
  showMetrics?: boolean;
}

/** Vega-Lite spec of a parity plot: points, dashed y = x line, equal x/y domains, metrics text. */
export function parityPlot(input: ParityInput): VlSpec {
  const ref = numbers(input.reference, 'parity reference');
  const pred = numbers(input.predicted, 'parity predicted', ref.length);
  if (ref.length === 0) throw new InputError('parity: no points');
  if (input.group && input.group.length !== ref.length)
    throw new InputError(`parity group: expected ${ref.length} labels (one per point), got ${input.group.length}`);
  const m = parityMetrics(ref, pred);
  const unit = input.unit ? ` (${input.unit})` : '';
  const q = input.quantity ? ` ${input.quantity}` : '';
  const xTitle = input.xTitle ?? `${input.referenceName ?? 'DFT'}${q}${unit}`;
  const yTitle = input.yTitle ?? `${input.predictedName ?? 'Model'}${q}${unit}`;
  let lo = Math.min(...ref, ...pred);
  let hi = Math.max(...ref, ...pred);
  const pad = 0.04 * (hi - lo || Math.abs(hi) || 1);
  lo -= pad;
  hi += pad;
  const keep = thinLinear(ref.length, input.maxPoints ?? 5000);
  const rows = keep.map((i) => (input.group ? { x: ref[i], y: pred[i], group: input.group[i] } : { x: ref[i], y: pred[i] }));
  const groups = input.group ? [...new Set(input.group)] : [];
  const scale = { domain: [lo, hi], nice: false, zero: false };
  const layers: VlSpec[] = [
    {
      data: { values: [{ x: lo, y: lo }, { x: hi, y: hi }] },
      mark: { type: 'line', color: '#7f7f7f', strokeDash: [4, 3], strokeWidth: 1, clip: true },
      encoding: { x: { field: 'x', type: 'quantitative', scale }, y: { field: 'y', type: 'quantitative', scale } },
    },
    {
      data: { values: rows },
      mark: { type: 'point', filled: true, opacity: 0.6, size: 16, clip: true, ...(groups.length ? {} : { color: paletteColor(0) }) },
      encoding: {
        x: { field: 'x', type: 'quantitative', title: xTitle, scale },
        y: { field: 'y', type: 'quantitative', title: yTitle, scale },
        ...(groups.length
          ? { color: { field: 'group', type: 'nominal', title: null, scale: { domain: groups, range: groups.map((_, i) => paletteColor(i)) }, legend: { orient: 'bottom-right' } } }
          : {}),
      },
    },
  ];
  if (input.showMetrics ?? true) {
    const u = input.unit ? ` ${input.unit}` : '';
    const lines = [`RMSE ${fmt(m.rmse)}${u}`, `MAE ${fmt(m.mae)}${u}`, `R² ${Number.isFinite(m.r2) ? m.r2.toFixed(4) : 'n/a'}`, `N ${m.n}`];
    layers.push({
      data: { values: [{ t: lines }] },
      mark: { type: 'text', align: 'left', baseline: 'top', x: 6, y: 6, lineHeight: 13, fontSize: 10 },
      encoding: { text: { field: 't' } },
    });
  }
  return finishSpec({ layer: layers, resolve: { scale: { color: 'independent' } } }, { ...input, height: input.height ?? input.width ?? 260, width: input.width ?? 260 });
}

/** Three significant digits, no exponent for moderate magnitudes. */
export function fmt(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-3 || a >= 1e5)) return v.toExponential(2);
  return Number(v.toPrecision(3)).toString();
}
