/**
 * Accuracy of predicted EFG tensors against references (both V/Å², 9 per centre): component errors, R² over
 * tensors (Frobenius), C_Q (kHz, 7Li unless Q is given) and η errors (science.md §3).
 */
import { InputError } from '../core/errors';
import { cqAndEta, Q_LI7_MB } from './tensor';

/** Accuracy figures; C_Q in kHz, components in V/Å². */
export interface EfgMetrics {
  n: number;
  /** RMS error over all 9 components of all tensors (V/Å²). */
  componentRmse: number;
  /** Mean absolute error over all 9 components (V/Å²). */
  componentMae: number;
  /** 1 − Σ‖V − V_ref‖² / Σ‖V_ref − mean V_ref‖² (Frobenius norms). */
  r2: number;
  /** Mean |C_Q − C_Q,ref| (kHz) and the same for |C_Q| (signs of C_Q are fragile when η ≈ 1). */
  cqMaeKHz: number;
  absCqMaeKHz: number;
  /** Mean |η − η_ref|. */
  etaMae: number;
  /** Standard deviation of the reference C_Q across centres (kHz): the spread a model must beat. */
  cqStdRefKHz: number;
}

/** Compares predicted with reference tensors (9 numbers each, V/Å²); Q in millibarn (default 7Li). */
export function efgMetrics(pred: ArrayLike<number>, ref: ArrayLike<number>, qMillibarn: number = Q_LI7_MB): EfgMetrics {
  if (pred.length !== ref.length || ref.length % 9 !== 0 || ref.length === 0) throw new InputError(`efgMetrics: ${pred.length} predicted vs ${ref.length} reference numbers (need equal, non-zero multiples of 9)`);
  const n = ref.length / 9;
  const mean = new Float64Array(9);
  for (let i = 0; i < n; i++) for (let c = 0; c < 9; c++) mean[c] += ref[9 * i + c] / n;
  let sse = 0, sae = 0, sst = 0;
  for (let i = 0; i < ref.length; i++) {
    const e = pred[i] - ref[i];
    sse += e * e; sae += Math.abs(e);
    const d = ref[i] - mean[i % 9];
    sst += d * d;
  }
  const p = cqAndEta(pred, qMillibarn), r = cqAndEta(ref, qMillibarn);
  let cq = 0, acq = 0, eta = 0, m = 0, s2 = 0;
  for (let i = 0; i < n; i++) {
    cq += Math.abs(p.cqHz[i] - r.cqHz[i]); acq += Math.abs(Math.abs(p.cqHz[i]) - Math.abs(r.cqHz[i]));
    eta += Math.abs(p.eta[i] - r.eta[i]); m += r.cqHz[i] / n;
  }
  for (let i = 0; i < n; i++) s2 += (r.cqHz[i] - m) ** 2 / n;
  return {
    n, componentRmse: Math.sqrt(sse / ref.length), componentMae: sae / ref.length, r2: 1 - sse / sst,
    cqMaeKHz: cq / n / 1e3, absCqMaeKHz: acq / n / 1e3, etaMae: eta / n, cqStdRefKHz: Math.sqrt(s2) / 1e3,
  };
}

/** Least-squares global scale s minimising Σ‖s·V − V_ref‖² (for the point-charge baseline). */
export function bestScale(pred: ArrayLike<number>, ref: ArrayLike<number>): number {
  let num = 0, den = 0;
  for (let i = 0; i < ref.length; i++) { num += pred[i] * ref[i]; den += pred[i] * pred[i]; }
  if (!(den > 0)) throw new InputError('bestScale: the predictions are all zero');
  return num / den;
}
