/**
 * EFG tensor conventions (science.md §3). A tensor is 9 numbers, row-major [Vxx,Vxy,Vxz,Vyx,…,Vzz],
 * V/Å² unless a name says otherwise. Principal values follow the Haeberlen/NQR order
 * |V_xx| ≤ |V_yy| ≤ |V_zz|; η = (V_xx − V_yy)/V_zz ∈ [0, 1]; C_Q = e·Q·V_zz/h (Hz).
 * Euler angles are ZYZ (active): V = R·diag(V_xx, V_yy, V_zz)·Rᵀ with R = Rz(α)·Ry(β)·Rz(γ); the columns of R
 * are the principal axes (x, y, z of the principal frame) in the laboratory frame.
 */
import { InputError } from '../core/errors';
import {
  EFG_AU_IN_V_PER_A2, V_PER_A2_IN_V_PER_M2, Q_LI7_M2, MILLIBARN_M2, ELEMENTARY_CHARGE_C, PLANCK_J_S,
} from '../core/units';

/** Quadrupole moment of 7Li in millibarn (science.md §1). */
export const Q_LI7_MB = Q_LI7_M2 / MILLIBARN_M2;

/** V/Å² → atomic units (Hartree/(e·bohr²)). */
export function vPerA2ToAu(v: number): number {
  return v / EFG_AU_IN_V_PER_A2;
}
/** Atomic units → V/Å². */
export function auToVPerA2(au: number): number {
  return au * EFG_AU_IN_V_PER_A2;
}
/** V/Å² → V/m². */
export function vPerA2ToVPerM2(v: number): number {
  return v * V_PER_A2_IN_V_PER_M2;
}
/** V/m² → V/Å². */
export function vPerM2ToVPerA2(v: number): number {
  return v / V_PER_A2_IN_V_PER_M2;
}

/** Quadrupolar coupling constant C_Q = e·Q·V_zz/h in Hz, for V_zz in V/Å² and Q in millibarn (default 7Li, −40.1 mb). */
export function quadrupolarCouplingHz(vzzVPerA2: number, qMillibarn: number = Q_LI7_MB): number {
  return (ELEMENTARY_CHARGE_C * qMillibarn * MILLIBARN_M2 * vzzVPerA2 * V_PER_A2_IN_V_PER_M2) / PLANCK_J_S;
}

/** C_Q per unit V_zz: Hz per (V/Å²) for a quadrupole moment Q in millibarn (7Li: −96.96 kHz per V/Å²). */
export function cqHzPerVPerA2(qMillibarn: number = Q_LI7_MB): number {
  return quadrupolarCouplingHz(1, qMillibarn);
}

/** Largest asymmetry |V_ab − V_ba| of a 3×3 tensor (same unit as the tensor). */
export function asymmetry(t: ArrayLike<number>, o = 0): number {
  return Math.max(Math.abs(t[o + 1] - t[o + 3]), Math.abs(t[o + 2] - t[o + 6]), Math.abs(t[o + 5] - t[o + 7]));
}

/** Trace of a 3×3 tensor. */
export function trace(t: ArrayLike<number>, o = 0): number {
  return t[o] + t[o + 4] + t[o + 8];
}

/** Frobenius norm of a 3×3 tensor. */
export function frobenius(t: ArrayLike<number>, o = 0): number {
  let s = 0;
  for (let k = 0; k < 9; k++) s += t[o + k] * t[o + k];
  return Math.sqrt(s);
}

/** Symmetric traceless part (V + Vᵀ)/2 − tr(V)/3·I of one 3×3 tensor, written to out[oo..oo+8]. */
export function symmetricTraceless(t: ArrayLike<number>, out: Float64Array = new Float64Array(9), o = 0, oo = 0): Float64Array {
  const tr3 = (t[o] + t[o + 4] + t[o + 8]) / 3;
  const xy = 0.5 * (t[o + 1] + t[o + 3]), xz = 0.5 * (t[o + 2] + t[o + 6]), yz = 0.5 * (t[o + 5] + t[o + 7]);
  out[oo] = t[o] - tr3; out[oo + 4] = t[o + 4] - tr3; out[oo + 8] = t[o + 8] - tr3;
  out[oo + 1] = out[oo + 3] = xy; out[oo + 2] = out[oo + 6] = xz; out[oo + 5] = out[oo + 7] = yz;
  return out;
}

/** Result of {@link checkTensors}: the worst deviations found, relative to each tensor's norm. */
export interface TensorCheck {
  count: number;
  /** Largest |V_ab − V_ba| / ‖V‖ and the tensor where it occurs. */
  maxAsymmetry: number; worstAsymmetric: number;
  /** Largest |tr V| / ‖V‖ and the tensor where it occurs. */
  maxTrace: number; worstTrace: number;
}

/**
 * Measures how far a flat list of 3×3 tensors (9 per tensor) is from symmetric and traceless, relative to
 * max(‖V‖, floor): the floor (default 1e-6 V/Å²) keeps numerically zero tensors (cubic sites) from failing.
 */
export function checkTensors(tensors: ArrayLike<number>, floor = 1e-6): TensorCheck {
  if (tensors.length % 9 !== 0) throw new InputError(`tensor list length ${tensors.length} is not a multiple of 9`);
  const r: TensorCheck = { count: tensors.length / 9, maxAsymmetry: 0, worstAsymmetric: -1, maxTrace: 0, worstTrace: -1 };
  for (let i = 0; i < r.count; i++) {
    const o = 9 * i;
    for (let k = 0; k < 9; k++) if (!Number.isFinite(tensors[o + k])) throw new InputError(`tensor ${i} has a non-finite component`);
    const n = Math.max(frobenius(tensors, o), floor);
    const a = asymmetry(tensors, o) / n, tr = Math.abs(trace(tensors, o)) / n;
    if (a > r.maxAsymmetry) { r.maxAsymmetry = a; r.worstAsymmetric = i; }
    if (tr > r.maxTrace) { r.maxTrace = tr; r.worstTrace = i; }
  }
  return r;
}

/** Options for {@link validateTensors}. */
export interface ValidateTensorOptions {
  /** Allowed relative asymmetry and trace (fractions of ‖V‖); default 1e-3. */
  tolerance?: number;
  /** Replace out-of-tolerance tensors by their symmetric traceless part instead of throwing (default false). */
  symmetrise?: boolean;
  /** Where the tensors came from, for messages (e.g. "frame 3 of data.xyz"). */
  source?: string;
  /** Absolute floor (V/Å²) of the norm the tolerance is relative to (default 1e-6). */
  floor?: number;
}

/**
 * Checks that tensors are symmetric and traceless within a relative tolerance. Within tolerance they are
 * projected onto the symmetric traceless part (removing numerical noise); beyond it an InputError names the
 * tensor unless `symmetrise` is set. Returns a new array.
 */
export function validateTensors(tensors: ArrayLike<number>, opts: ValidateTensorOptions = {}): Float64Array {
  const tol = opts.tolerance ?? 1e-3;
  const c = checkTensors(tensors, opts.floor);
  const where = opts.source ? ` in ${opts.source}` : '';
  if (!opts.symmetrise) {
    if (c.maxAsymmetry > tol)
      throw new InputError(`EFG tensor ${c.worstAsymmetric}${where} is not symmetric: |V_ab − V_ba|/‖V‖ = ${c.maxAsymmetry.toExponential(2)} > ${tol} (pass symmetrise to project it)`);
    if (c.maxTrace > tol)
      throw new InputError(`EFG tensor ${c.worstTrace}${where} is not traceless: |tr V|/‖V‖ = ${c.maxTrace.toExponential(2)} > ${tol} (pass symmetrise to project it)`);
  }
  const out = new Float64Array(tensors.length);
  for (let i = 0; i < c.count; i++) symmetricTraceless(tensors, out, 9 * i, 9 * i);
  return out;
}

/**
 * Eigen-decomposition of a symmetric 3×3 matrix by cyclic Jacobi rotations (accurate to round-off).
 * Returns eigenvalues and eigenvectors as the COLUMNS of a row-major matrix (right-handed).
 */
export function symmetricEigen(t: ArrayLike<number>, o = 0): { values: [number, number, number]; vectors: Float64Array } {
  const a = [
    [t[o], 0.5 * (t[o + 1] + t[o + 3]), 0.5 * (t[o + 2] + t[o + 6])],
    [0, t[o + 4], 0.5 * (t[o + 5] + t[o + 7])],
    [0, 0, t[o + 8]],
  ];
  a[1][0] = a[0][1]; a[2][0] = a[0][2]; a[2][1] = a[1][2];
  const v = [[1, 0, 0], [0, 1, 0], [0, 0, 1]];
  for (let sweep = 0; sweep < 50; sweep++) {
    const off = Math.abs(a[0][1]) + Math.abs(a[0][2]) + Math.abs(a[1][2]);
    const scale = Math.abs(a[0][0]) + Math.abs(a[1][1]) + Math.abs(a[2][2]) + off;
    if (off === 0 || off <= 1e-300 || off < 1e-17 * scale) break;
    for (const [p, q] of [[0, 1], [0, 2], [1, 2]]) {
      const apq = a[p][q];
      if (apq === 0) continue;
      const theta = (a[q][q] - a[p][p]) / (2 * apq);
      const tt = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
      const c = 1 / Math.sqrt(tt * tt + 1), s = tt * c;
      for (let k = 0; k < 3; k++) {
        const akp = a[k][p], akq = a[k][q];
        a[k][p] = c * akp - s * akq; a[k][q] = s * akp + c * akq;
      }
      for (let k = 0; k < 3; k++) {
        const apk = a[p][k], aqk = a[q][k];
        a[p][k] = c * apk - s * aqk; a[q][k] = s * apk + c * aqk;
      }
      for (let k = 0; k < 3; k++) {
        const vkp = v[k][p], vkq = v[k][q];
        v[k][p] = c * vkp - s * vkq; v[k][q] = s * vkp + c * vkq;
      }
    }
  }
  const vectors = new Float64Array([v[0][0], v[0][1], v[0][2], v[1][0], v[1][1], v[1][2], v[2][0], v[2][1], v[2][2]]);
  return { values: [a[0][0], a[1][1], a[2][2]], vectors };
}

/** Principal components of an EFG tensor in Haeberlen order, with η, C_Q and the principal frame. */
export interface PrincipalComponents {
  /** V_xx, V_yy, V_zz with |V_xx| ≤ |V_yy| ≤ |V_zz| (V/Å²). */
  vxx: number; vyy: number; vzz: number;
  /** Asymmetry η = (V_xx − V_yy)/V_zz ∈ [0, 1] (0 when V = 0). */
  eta: number;
  /** Principal axes as the columns of a right-handed rotation matrix (row-major). */
  axes: Float64Array;
}

/** Haeberlen principal components of the symmetric traceless part of tensor t (V/Å²). */
export function principalComponents(t: ArrayLike<number>, o = 0): PrincipalComponents {
  const st = symmetricTraceless(t, new Float64Array(9), o);
  const { values, vectors } = symmetricEigen(st);
  const order = [0, 1, 2].sort((i, j) => Math.abs(values[i]) - Math.abs(values[j]) || values[i] - values[j]);
  const axes = new Float64Array(9);
  for (let c = 0; c < 3; c++) for (let r = 0; r < 3; r++) axes[3 * r + c] = vectors[3 * r + order[c]];
  // right-handed: z = x × y
  const det = axes[0] * (axes[4] * axes[8] - axes[5] * axes[7]) - axes[1] * (axes[3] * axes[8] - axes[5] * axes[6]) + axes[2] * (axes[3] * axes[7] - axes[4] * axes[6]);
  if (det < 0) for (let r = 0; r < 3; r++) axes[3 * r + 2] = -axes[3 * r + 2];
  const [vxx, vyy, vzz] = order.map((i) => values[i]);
  let eta = vzz === 0 ? 0 : (vxx - vyy) / vzz;
  eta = Math.min(1, Math.max(0, eta)); // round-off can push it a hair outside [0, 1]
  return { vxx, vyy, vzz, eta, axes };
}

/** ZYZ Euler angles (radians) α ∈ (−π, π], β ∈ [0, π], γ ∈ (−π, π] of a rotation matrix R = Rz(α)Ry(β)Rz(γ). */
export function eulerZYZFromRotation(R: ArrayLike<number>): { alpha: number; beta: number; gamma: number } {
  const beta = Math.acos(Math.max(-1, Math.min(1, R[8])));
  const sb = Math.sin(beta);
  if (sb > 1e-12) return { alpha: Math.atan2(R[5], R[2]), beta, gamma: Math.atan2(R[7], -R[6]) };
  // gimbal lock: only α ± γ is defined; put it all in α
  if (R[8] > 0) return { alpha: Math.atan2(R[3], R[0]), beta: 0, gamma: 0 };
  return { alpha: Math.atan2(-R[3], -R[0]), beta: Math.PI, gamma: 0 };
}

/** Rotation matrix R = Rz(α)·Ry(β)·Rz(γ) (row-major) from ZYZ Euler angles in radians. */
export function rotationFromEulerZYZ(alpha: number, beta: number, gamma: number): Float64Array {
  const ca = Math.cos(alpha), sa = Math.sin(alpha), cb = Math.cos(beta), sb = Math.sin(beta), cg = Math.cos(gamma), sg = Math.sin(gamma);
  return new Float64Array([
    ca * cb * cg - sa * sg, -ca * cb * sg - sa * cg, ca * sb,
    sa * cb * cg + ca * sg, -sa * cb * sg + ca * cg, sa * sb,
    -sb * cg, sb * sg, cb,
  ]);
}

/** Tensor V = R·diag(V_xx, V_yy, V_zz)·Rᵀ (row-major, V/Å²) for a rotation R whose columns are the principal axes. */
export function tensorFromPrincipal(vxx: number, vyy: number, vzz: number, R: ArrayLike<number>, out: Float64Array = new Float64Array(9)): Float64Array {
  const d = [vxx, vyy, vzz];
  for (let a = 0; a < 3; a++)
    for (let b = 0; b < 3; b++) out[3 * a + b] = R[3 * a] * d[0] * R[3 * b] + R[3 * a + 1] * d[1] * R[3 * b + 1] + R[3 * a + 2] * d[2] * R[3 * b + 2];
  return out;
}

/** Tensor from NMR parameters: C_Q (Hz), η and ZYZ Euler angles (rad) of the principal frame, for Q in millibarn. */
export function tensorFromNmrParameters(cqHz: number, eta: number, euler: { alpha: number; beta: number; gamma: number }, qMillibarn: number = Q_LI7_MB): Float64Array {
  if (!(eta >= 0 && eta <= 1)) throw new InputError(`η must lie in [0, 1], got ${eta}`);
  const vzz = cqHz / cqHzPerVPerA2(qMillibarn);
  const vxx = (-vzz * (1 - eta)) / 2, vyy = (-vzz * (1 + eta)) / 2;
  return tensorFromPrincipal(vxx, vyy, vzz, rotationFromEulerZYZ(euler.alpha, euler.beta, euler.gamma));
}

/** NMR parameters of one tensor: V_zz (V/Å²), C_Q (Hz, for Q in millibarn), η and ZYZ Euler angles (rad). */
export interface NmrParameters {
  vzz: number; cqHz: number; eta: number;
  alpha: number; beta: number; gamma: number;
}

/** C_Q (Hz), η, V_zz and Euler angles of the tensor at offset o of t (V/Å²). */
export function nmrParameters(t: ArrayLike<number>, qMillibarn: number = Q_LI7_MB, o = 0): NmrParameters {
  const p = principalComponents(t, o);
  const e = eulerZYZFromRotation(p.axes);
  return { vzz: p.vzz, cqHz: quadrupolarCouplingHz(p.vzz, qMillibarn), eta: p.eta, ...e };
}

/** C_Q (Hz) and η for each of many tensors (9 numbers each, V/Å²). */
export function cqAndEta(tensors: ArrayLike<number>, qMillibarn: number = Q_LI7_MB): { cqHz: Float64Array; eta: Float64Array } {
  const n = Math.floor(tensors.length / 9);
  const cqHz = new Float64Array(n), eta = new Float64Array(n);
  const k = cqHzPerVPerA2(qMillibarn);
  for (let i = 0; i < n; i++) {
    const p = principalComponents(tensors, 9 * i);
    cqHz[i] = k * p.vzz; eta[i] = p.eta;
  }
  return { cqHz, eta };
}

/** Rotates a tensor: R·V·Rᵀ (row-major R), written to out. */
export function rotateTensor(t: ArrayLike<number>, R: ArrayLike<number>, out: Float64Array = new Float64Array(9), o = 0, oo = 0): Float64Array {
  const tmp = new Float64Array(9);
  for (let a = 0; a < 3; a++)
    for (let b = 0; b < 3; b++) {
      let s = 0;
      for (let u = 0; u < 3; u++) for (let v = 0; v < 3; v++) s += R[3 * a + u] * t[o + 3 * u + v] * R[3 * b + v];
      tmp[3 * a + b] = s;
    }
  out.set(tmp, oo);
  return out;
}
