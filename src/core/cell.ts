/**
 * Triclinic cell math. A cell is a Float64Array(9), row-major, whose rows are the lattice vectors
 * a, b, c in Å: r = f0·a + f1·b + f2·c for fractional coordinates f. Positions are flat
 * Float64Array(3N) in Å.
 */
import { InputError } from './errors';

/** 3×3 matrix, row-major, rows = lattice vectors (Å). */
export type Mat3 = Float64Array;
/** Periodicity along a, b, c. */
export type Pbc = [boolean, boolean, boolean];

/** A cell from 9 numbers or three row vectors. */
export function mat3(rows: ArrayLike<number> | ArrayLike<ArrayLike<number>>): Mat3 {
  const out = new Float64Array(9);
  if (rows.length === 9) for (let i = 0; i < 9; i++) out[i] = Number((rows as ArrayLike<number>)[i]);
  else if (rows.length === 3) for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) out[3 * i + j] = Number((rows as ArrayLike<ArrayLike<number>>)[i][j]);
  else throw new InputError(`a 3×3 matrix needs 9 numbers or 3 rows, got ${rows.length}`);
  return out;
}

/** Orthorhombic cell with edge lengths a, b, c (Å). */
export function orthorhombic(a: number, b: number, c: number): Mat3 {
  return new Float64Array([a, 0, 0, 0, b, 0, 0, 0, c]);
}

/** Cell from lattice parameters a, b, c (Å) and α, β, γ (degrees); a along x, b in the xy plane. */
export function cellFromParameters(a: number, b: number, c: number, alpha: number, beta: number, gamma: number): Mat3 {
  const d = Math.PI / 180;
  const ca = cosd(alpha), cb = cosd(beta), cg = cosd(gamma), sg = Math.sin(gamma * d);
  const cx = c * cb;
  const cy = (c * (ca - cb * cg)) / sg;
  const cz2 = c * c - cx * cx - cy * cy;
  if (!(cz2 > 0) || !(a > 0) || !(b > 0) || !(c > 0)) throw new InputError(`inconsistent cell parameters a=${a} b=${b} c=${c} α=${alpha} β=${beta} γ=${gamma}`);
  return new Float64Array([a, 0, 0, b * cg, b * sg, 0, cx, cy, Math.sqrt(cz2)]);
}

function cosd(x: number): number {
  // exact zeros for right angles so orthorhombic cells stay orthorhombic
  if (x === 90) return 0;
  return Math.cos((x * Math.PI) / 180);
}

/** Lattice parameters [a, b, c (Å), α, β, γ (degrees)]. */
export function cellParameters(cell: Mat3): [number, number, number, number, number, number] {
  const a = rowNorm(cell, 0), b = rowNorm(cell, 1), c = rowNorm(cell, 2);
  const ang = (i: number, j: number, li: number, lj: number) =>
    (Math.acos(Math.max(-1, Math.min(1, rowDot(cell, i, j) / (li * lj)))) * 180) / Math.PI;
  return [a, b, c, ang(1, 2, b, c), ang(0, 2, a, c), ang(0, 1, a, b)];
}

function rowDot(m: Mat3, i: number, j: number): number {
  return m[3 * i] * m[3 * j] + m[3 * i + 1] * m[3 * j + 1] + m[3 * i + 2] * m[3 * j + 2];
}
function rowNorm(m: Mat3, i: number): number {
  return Math.sqrt(rowDot(m, i, i));
}

/** Determinant of a 3×3 matrix. */
export function det3(m: ArrayLike<number>): number {
  return (
    m[0] * (m[4] * m[8] - m[5] * m[7]) - m[1] * (m[3] * m[8] - m[5] * m[6]) + m[2] * (m[3] * m[7] - m[4] * m[6])
  );
}

/** Inverse of a 3×3 matrix; throws when singular. */
export function inv3(m: ArrayLike<number>, out: Float64Array = new Float64Array(9)): Float64Array {
  const d = det3(m);
  if (!(Math.abs(d) > 0) || !Number.isFinite(d)) throw new InputError('singular or non-finite 3×3 matrix (cell vectors are linearly dependent)');
  const i = 1 / d;
  const r0 = (m[4] * m[8] - m[5] * m[7]) * i, r1 = (m[2] * m[7] - m[1] * m[8]) * i, r2 = (m[1] * m[5] - m[2] * m[4]) * i;
  const r3 = (m[5] * m[6] - m[3] * m[8]) * i, r4 = (m[0] * m[8] - m[2] * m[6]) * i, r5 = (m[2] * m[3] - m[0] * m[5]) * i;
  const r6 = (m[3] * m[7] - m[4] * m[6]) * i, r7 = (m[1] * m[6] - m[0] * m[7]) * i, r8 = (m[0] * m[4] - m[1] * m[3]) * i;
  out[0] = r0; out[1] = r1; out[2] = r2; out[3] = r3; out[4] = r4; out[5] = r5; out[6] = r6; out[7] = r7; out[8] = r8;
  return out;
}

/** Matrix product A·B of 3×3 matrices. */
export function mul3(a: ArrayLike<number>, b: ArrayLike<number>, out: Float64Array = new Float64Array(9)): Float64Array {
  const r = new Float64Array(9);
  for (let i = 0; i < 3; i++)
    for (let j = 0; j < 3; j++) r[3 * i + j] = a[3 * i] * b[j] + a[3 * i + 1] * b[3 + j] + a[3 * i + 2] * b[6 + j];
  out.set(r);
  return out;
}

/** Transpose of a 3×3 matrix. */
export function transpose3(m: ArrayLike<number>, out: Float64Array = new Float64Array(9)): Float64Array {
  const r = [m[0], m[3], m[6], m[1], m[4], m[7], m[2], m[5], m[8]];
  out.set(r);
  return out;
}

/** Cell volume, Å³ (absolute value of the determinant). */
export function volume(cell: Mat3): number {
  return Math.abs(det3(cell));
}

/** Reciprocal vectors without the 2π, as rows: b_i·a_j = δ_ij (1/Å). */
export function reciprocalCell(cell: Mat3): Mat3 {
  return transpose3(inv3(cell));
}

/** Distances between opposite faces of the cell, Å (the widths that bound a cutoff sphere). */
export function perpendicularWidths(cell: Mat3): [number, number, number] {
  const r = reciprocalCell(cell);
  return [1 / rowNorm(r, 0), 1 / rowNorm(r, 1), 1 / rowNorm(r, 2)];
}

/** Fractional coordinates of Cartesian positions (Å → fractions), f = r·H⁻¹. */
export function cartesianToFractional(cell: Mat3, positions: ArrayLike<number>, out = new Float64Array(positions.length)): Float64Array {
  const h = inv3(cell);
  for (let i = 0; i < positions.length; i += 3) {
    const x = positions[i], y = positions[i + 1], z = positions[i + 2];
    out[i] = x * h[0] + y * h[3] + z * h[6];
    out[i + 1] = x * h[1] + y * h[4] + z * h[7];
    out[i + 2] = x * h[2] + y * h[5] + z * h[8];
  }
  return out;
}

/** Cartesian positions (Å) of fractional coordinates, r = f·H. */
export function fractionalToCartesian(cell: Mat3, frac: ArrayLike<number>, out = new Float64Array(frac.length)): Float64Array {
  const h = cell;
  for (let i = 0; i < frac.length; i += 3) {
    const a = frac[i], b = frac[i + 1], c = frac[i + 2];
    out[i] = a * h[0] + b * h[3] + c * h[6];
    out[i + 1] = a * h[1] + b * h[4] + c * h[7];
    out[i + 2] = a * h[2] + b * h[5] + c * h[8];
  }
  return out;
}

/** Wraps positions into the cell along periodic directions (fractions in [0, 1)). */
export function wrapPositions(cell: Mat3, pbc: Pbc, positions: ArrayLike<number>, out = new Float64Array(positions.length)): Float64Array {
  const f = cartesianToFractional(cell, positions);
  for (let i = 0; i < f.length; i += 3)
    for (let k = 0; k < 3; k++)
      if (pbc[k]) {
        let v = f[i + k] - Math.floor(f[i + k]);
        if (v >= 1) v = 0; // -1e-17 - floor(...) rounds to 1
        f[i + k] = v;
      }
  return fractionalToCartesian(cell, f, out);
}

/**
 * Minimum-image convention for any cell, however skewed. Precomputes the inverse cell and the
 * perpendicular widths; `apply` returns the shortest lattice-equivalent vector of d. Exact: after
 * wrapping the fractional vector to [−½, ½), every image that could be shorter is searched
 * (|n_k − f_k|·w_k ≤ |d_wrapped| bounds the candidates).
 */
export class MinimumImage {
  private readonly h: Mat3;
  private readonly hinv: Float64Array;
  private readonly widths: [number, number, number];
  constructor(cell: Mat3, private readonly pbc: Pbc = [true, true, true]) {
    this.h = Float64Array.from(cell);
    this.hinv = inv3(cell);
    this.widths = perpendicularWidths(cell);
  }

  /** Shortest image of the vector (dx, dy, dz) (Å), written to out[0..2]; returns its length. */
  apply(dx: number, dy: number, dz: number, out: Float64Array | number[] = new Float64Array(3)): number {
    const h = this.h, hi = this.hinv;
    const f = [dx * hi[0] + dy * hi[3] + dz * hi[6], dx * hi[1] + dy * hi[4] + dz * hi[7], dx * hi[2] + dy * hi[5] + dz * hi[8]];
    for (let k = 0; k < 3; k++) if (this.pbc[k]) f[k] -= Math.round(f[k]);
    let bx = f[0] * h[0] + f[1] * h[3] + f[2] * h[6];
    let by = f[0] * h[1] + f[1] * h[4] + f[2] * h[7];
    let bz = f[0] * h[2] + f[1] * h[5] + f[2] * h[8];
    let best = bx * bx + by * by + bz * bz;
    const r0 = Math.sqrt(best);
    const lo = [0, 0, 0], hiN = [0, 0, 0];
    for (let k = 0; k < 3; k++) {
      if (!this.pbc[k]) continue;
      const span = r0 / this.widths[k];
      lo[k] = Math.ceil(f[k] - span - 1e-12);
      hiN[k] = Math.floor(f[k] + span + 1e-12);
    }
    for (let n0 = lo[0]; n0 <= hiN[0]; n0++)
      for (let n1 = lo[1]; n1 <= hiN[1]; n1++)
        for (let n2 = lo[2]; n2 <= hiN[2]; n2++) {
          if (n0 === 0 && n1 === 0 && n2 === 0) continue;
          const g0 = f[0] - n0, g1 = f[1] - n1, g2 = f[2] - n2;
          const x = g0 * h[0] + g1 * h[3] + g2 * h[6];
          const y = g0 * h[1] + g1 * h[4] + g2 * h[7];
          const z = g0 * h[2] + g1 * h[5] + g2 * h[8];
          const r2 = x * x + y * y + z * z;
          if (r2 < best) { best = r2; bx = x; by = y; bz = z; }
        }
    out[0] = bx; out[1] = by; out[2] = bz;
    return Math.sqrt(best);
  }
}

/** Minimum-image distance between positions i and j (Å). For many calls build a MinimumImage once. */
export function minimumImageDistance(cell: Mat3, pbc: Pbc, positions: ArrayLike<number>, i: number, j: number): number {
  return new MinimumImage(cell, pbc).apply(
    positions[3 * j] - positions[3 * i], positions[3 * j + 1] - positions[3 * i + 1], positions[3 * j + 2] - positions[3 * i + 2]);
}

/**
 * Rotation that brings a cell to LAMMPS's lower-triangular convention (a along x, b in xy, c with
 * positive z): returns the new cell and the 3×3 rotation R such that r' = R·r (rows of the new cell = R·a etc.).
 */
export function toLowerTriangular(cell: Mat3): { cell: Mat3; rotation: Float64Array } {
  if (det3(cell) <= 0) throw new InputError('a left-handed cell cannot be rotated to the LAMMPS convention (det ≤ 0)');
  const A = [cell[0], cell[1], cell[2]], B = [cell[3], cell[4], cell[5]], C = [cell[6], cell[7], cell[8]];
  const dot = (u: number[], v: number[]) => u[0] * v[0] + u[1] * v[1] + u[2] * v[2];
  const ax = Math.sqrt(dot(A, A));
  const bx = dot(B, A) / ax;
  const by = Math.sqrt(Math.max(0, dot(B, B) - bx * bx));
  const cx = dot(C, A) / ax;
  const cy = (dot(B, C) - bx * cx) / by;
  const cz = Math.sqrt(Math.max(0, dot(C, C) - cx * cx - cy * cy));
  const out = new Float64Array([ax, 0, 0, bx, by, 0, cx, cy, cz]);
  // R maps old cartesian to new: new = R old  ⇔ Hnew = Hold · Rᵀ  ⇒ Rᵀ = Hold⁻¹ Hnew
  const rt = mul3(inv3(cell), out);
  return { cell: out, rotation: transpose3(rt) };
}
