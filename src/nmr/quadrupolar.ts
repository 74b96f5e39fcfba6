/**
 * 7Li quadrupolar frequency ω_Q from EFG tensors (science.md §4):
 *     ω_Q = e Q (bᵀ V b) / (2ħ)   [rad/s],  V in V/Å², b a unit vector along B0 in the MD frame.
 * Tensors are handled through their 5 irreducible (L = 2) components v_m = Tr(V E_m) in an orthonormal basis
 * E_m of traceless symmetric matrices, so that Tr(A B) = Σ_m a_m b_m and bᵀVb = Σ_m d_m(b) v_m with
 * d_m(b) = bᵀ E_m b. The isotropic and antisymmetric parts of an input tensor are dropped (a physical EFG has none).
 */
import { ELEMENTARY_CHARGE_C, HBAR_J_S, Q_LI7_M2, V_PER_A2_IN_V_PER_M2 } from '../core/units';
import { InputError } from '../core/errors';

/** Number of irreducible components of a traceless symmetric 3×3 tensor. */
export const N_IRREDUCIBLE = 5;

/** e Q/(2ħ): ω_Q in rad/s per V/Å² of bᵀVb, for a quadrupole moment Q in m² (default 7Li, −40.1 mb). */
export function omegaQPerVPerA2(quadrupoleMomentM2: number = Q_LI7_M2): number {
  return (ELEMENTARY_CHARGE_C * quadrupoleMomentM2 * V_PER_A2_IN_V_PER_M2) / (2 * HBAR_J_S);
}

/** C_Q in Hz per V/Å² of V_zz: e Q/h (science.md §1; −96.96 kHz for 7Li). */
export function cqHzPerVPerA2(quadrupoleMomentM2: number = Q_LI7_M2): number {
  return omegaQPerVPerA2(quadrupoleMomentM2) / Math.PI;
}

const S2 = Math.SQRT1_2, S6 = 1 / Math.sqrt(6);

/**
 * The 5 irreducible components (V/Å²) of 3×3 row-major tensors at `src[srcOff + 9k …]`, written to
 * `out[outOff + 5k …]` for k < count: [(xx−yy)/√2, (2zz−xx−yy)/√6, √2·xy, √2·xz, √2·yz] (symmetrised).
 */
export function irreducibleComponents(src: ArrayLike<number>, srcOff: number, count: number, out: Float64Array, outOff: number): void {
  for (let k = 0; k < count; k++) {
    const p = srcOff + 9 * k, q = outOff + 5 * k;
    const xx = src[p], yy = src[p + 4], zz = src[p + 8];
    out[q] = (xx - yy) * S2;
    out[q + 1] = (2 * zz - xx - yy) * S6;
    out[q + 2] = (src[p + 1] + src[p + 3]) * S2;
    out[q + 3] = (src[p + 2] + src[p + 6]) * S2;
    out[q + 4] = (src[p + 5] + src[p + 7]) * S2;
  }
}

/** Projection coefficients d_m(b) = bᵀE_m b (so that bᵀVb = Σ d_m v_m) for a unit vector b; out has 5 entries. */
export function directionCoefficients(b: ArrayLike<number>, out: Float64Array = new Float64Array(5)): Float64Array {
  const [x, y, z] = [b[0], b[1], b[2]];
  out[0] = (x * x - y * y) * S2;
  out[1] = (2 * z * z - x * x - y * y) * S6;
  out[2] = 2 * x * y * S2;
  out[3] = 2 * x * z * S2;
  out[4] = 2 * y * z * S2;
  return out;
}

/** Normalises a B0 direction; throws InputError for a zero or non-finite vector. */
export function unitVector(b: ArrayLike<number>, what = 'B0 direction'): Float64Array {
  if (b.length !== 3) throw new InputError(`${what}: expected 3 components, got ${b.length}`);
  const n = Math.hypot(b[0], b[1], b[2]);
  if (!(n > 0) || !Number.isFinite(n)) throw new InputError(`${what}: expected a non-zero finite vector, got [${Array.from(b).join(', ')}]`);
  return new Float64Array([b[0] / n, b[1] / n, b[2] / n]);
}

/**
 * ω_Q(t) (rad/s) of every Li for one B0 direction: tensors (nFrames × nLi × 9, V/Å²) → Float64Array(nFrames × nLi).
 */
export function omegaQSeries(tensors: ArrayLike<number>, nLi: number, b0: ArrayLike<number>, quadrupoleMomentM2: number = Q_LI7_M2): Float64Array {
  return omegaQSeriesMulti(tensors, nLi, unitVector(b0), quadrupoleMomentM2);
}

/**
 * ω_Q(t) (rad/s) for a set of directions (nDir × 3, unit vectors): → Float64Array(nFrames × nLi × nDir).
 */
export function omegaQSeriesMulti(tensors: ArrayLike<number>, nLi: number, directions: ArrayLike<number>, quadrupoleMomentM2: number = Q_LI7_M2): Float64Array {
  if (!(nLi > 0) || tensors.length % (9 * nLi) !== 0) throw new InputError(`tensor series: length ${tensors.length} is not a multiple of nLi·9 = ${9 * nLi}`);
  if (directions.length % 3 !== 0) throw new InputError(`directions: length ${directions.length} is not a multiple of 3`);
  const nDir = directions.length / 3;
  const n = tensors.length / 9;
  const kappa = omegaQPerVPerA2(quadrupoleMomentM2);
  const d = new Float64Array(5 * nDir);
  for (let j = 0; j < nDir; j++) directionCoefficients(unitVector([directions[3 * j], directions[3 * j + 1], directions[3 * j + 2]], `direction ${j}`), d.subarray(5 * j, 5 * j + 5));
  const v = new Float64Array(5);
  const out = new Float64Array(n * nDir);
  for (let k = 0; k < n; k++) {
    irreducibleComponents(tensors, 9 * k, 1, v, 0);
    for (let j = 0; j < nDir; j++) {
      const q = 5 * j;
      out[k * nDir + j] = kappa * (d[q] * v[0] + d[q + 1] * v[1] + d[q + 2] * v[2] + d[q + 3] * v[3] + d[q + 4] * v[4]);
    }
  }
  return out;
}
