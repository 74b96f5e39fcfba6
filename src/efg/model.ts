/**
 * The equivariant EFG model: invariant-gated linear combination of equivariant feature tensors (descriptors.ts),
 *   V_i = s_y · Σ_f c_f(x̂_i) · F_if / s_f,        c_f(x̂) = w_f + Σ_h W2[h,f] · tanh(Σ_d W1[d,h] x̂_d + b1[h]),
 * with x̂ = (x − mean)/std the standardised invariants, s_f the RMS of feature f over the training set and s_y the RMS
 * target component. Because the coefficients c_f are rotation invariant and each F_f rotates as R·F·Rᵀ, V rotates
 * exactly; it is symmetric and traceless by construction. With hidden = 0 the model is linear in w (a ridge fit).
 * This file holds the parameters and the float64 pure-JS inference used for prediction; training (tfjs) is in
 * train.ts and must give the same numbers (verified in tests).
 */
import { InputError } from '../core/errors';
import type { DescriptorSettings, Features } from './descriptors';
import { featureCounts } from './descriptors';

/** Parameters of an EFG model (all plain arrays of float64; row-major matrices). */
export interface EfgModelParams {
  settings: DescriptorSettings;
  /** Hidden units of the invariant gate (0: linear model). */
  hidden: number;
  invMean: Float64Array;
  invStd: Float64Array;
  /** RMS of each feature tensor over the training set (its normalisation). */
  tenScale: Float64Array;
  /** Output scale s_y (V/Å²). */
  yScale: number;
  /** nTen linear weights. */
  w: Float64Array;
  /** nInv × hidden. */
  W1: Float64Array;
  /** hidden. */
  b1: Float64Array;
  /** hidden × nTen. */
  W2: Float64Array;
}

/** Checks that parameter shapes agree with the settings (InputError otherwise). */
export function checkParams(p: EfgModelParams): void {
  const { nInv, nTen } = featureCounts(p.settings), H = p.hidden;
  const want: [string, ArrayLike<number>, number][] = [
    ['invMean', p.invMean, nInv], ['invStd', p.invStd, nInv], ['tenScale', p.tenScale, nTen], ['w', p.w, nTen],
    ['W1', p.W1, nInv * H], ['b1', p.b1, H], ['W2', p.W2, H * nTen],
  ];
  for (const [name, a, len] of want) {
    if (!a || a.length !== len) throw new InputError(`EFG model parameter ${name} has ${a?.length} values, expected ${len}`);
    for (let i = 0; i < a.length; i++) if (!Number.isFinite(a[i])) throw new InputError(`EFG model parameter ${name}[${i}] is not finite`);
  }
  if (!(p.yScale > 0)) throw new InputError(`EFG model yScale must be positive, got ${p.yScale}`);
}

/**
 * Predicts EFG tensors (V/Å², 9 per centre, row-major) from features with the float64 pure-JS implementation.
 * `out` may be reused across frames; `scratch` avoids allocation when given (length ≥ hidden + nTen).
 */
export function predictFromFeatures(p: EfgModelParams, f: Features, out: Float64Array = new Float64Array(9 * f.n), scratch?: Float64Array): Float64Array {
  const nInv = f.nInv, nTen = f.nTen, H = p.hidden;
  if (p.w.length !== nTen || p.invMean.length !== nInv) throw new InputError(`features (${nInv} invariants, ${nTen} tensors) do not match the model (${p.invMean.length}, ${p.w.length})`);
  const buf = scratch && scratch.length >= H + nTen ? scratch : new Float64Array(H + nTen);
  const { inv, ten } = f;
  const { invMean, invStd, tenScale, w, W1, b1, W2, yScale } = p;
  for (let t = 0; t < f.n; t++) {
    const oi = t * nInv;
    for (let h = 0; h < H; h++) buf[h] = b1[h];
    for (let d = 0; d < nInv; d++) {
      const x = (inv[oi + d] - invMean[d]) / invStd[d];
      if (x === 0) continue;
      const row = d * H;
      for (let h = 0; h < H; h++) buf[h] += x * W1[row + h];
    }
    for (let h = 0; h < H; h++) buf[h] = Math.tanh(buf[h]);
    for (let k = 0; k < nTen; k++) buf[H + k] = w[k];
    for (let h = 0; h < H; h++) {
      const a = buf[h], row = h * nTen;
      for (let k = 0; k < nTen; k++) buf[H + k] += a * W2[row + k];
    }
    let xx = 0, yy = 0, zz = 0, xy = 0, xz = 0, yz = 0;
    const ot = t * nTen * 6;
    for (let k = 0; k < nTen; k++) {
      const c = buf[H + k] / tenScale[k], o = ot + 6 * k;
      xx += c * ten[o]; yy += c * ten[o + 1]; zz += c * ten[o + 2]; xy += c * ten[o + 3]; xz += c * ten[o + 4]; yz += c * ten[o + 5];
    }
    const o9 = 9 * t;
    out[o9] = yScale * xx; out[o9 + 4] = yScale * yy; out[o9 + 8] = yScale * zz;
    out[o9 + 1] = out[o9 + 3] = yScale * xy; out[o9 + 2] = out[o9 + 6] = yScale * xz; out[o9 + 5] = out[o9 + 7] = yScale * yz;
  }
  return out;
}
