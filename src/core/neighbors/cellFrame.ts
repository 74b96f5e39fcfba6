/** The lattice frame a neighbour search bins in: a non-singular cell even for non-periodic directions. */
import { InputError } from '../errors';
import { det3, type Mat3, type Pbc } from '../cell';

/**
 * A non-singular copy of `cell` for binning (Å, rows = lattice vectors). Periodic rows are kept as
 * they are and must be linearly independent; a non-periodic row is kept when the whole cell is
 * non-singular, otherwise (e.g. the all-zero cell of a molecule) it is replaced by a unit vector
 * orthogonal to the periodic rows. Images along non-periodic directions are always 0, so the
 * replacement never shows in a neighbour list.
 */
export function binningCell(cell: Mat3, pbc: Pbc, what = 'cell'): Float64Array {
  if (!cell || cell.length !== 9) throw new InputError(`${what} must have 9 numbers (3 rows), got ${cell?.length}`);
  if (!Array.isArray(pbc) || pbc.length !== 3) throw new InputError(`pbc must be 3 booleans, got ${JSON.stringify(pbc)}`);
  for (let k = 0; k < 9; k++) if (!Number.isFinite(cell[k])) throw new InputError(`${what} has a non-finite component at [${Math.floor(k / 3)}][${k % 3}]`);
  const norms = [0, 1, 2].map((r) => Math.hypot(cell[3 * r], cell[3 * r + 1], cell[3 * r + 2]));
  for (let r = 0; r < 3; r++) if (pbc[r] && !(norms[r] > 0)) throw new InputError(`${what}: lattice vector ${'abc'[r]} is zero but the direction is periodic`);
  if (norms.every((x) => x > 0) && Math.abs(det3(cell)) > 1e-9 * norms[0] * norms[1] * norms[2]) return Float64Array.from(cell);
  // Orthonormal basis of the periodic rows (Gram–Schmidt), completed with unit axes.
  const basis: number[][] = [];
  const addIfIndependent = (v: number[], required: boolean, r: number): boolean => {
    const w = [...v];
    const len0 = Math.hypot(w[0], w[1], w[2]);
    for (const q of basis) {
      const d = w[0] * q[0] + w[1] * q[1] + w[2] * q[2];
      w[0] -= d * q[0]; w[1] -= d * q[1]; w[2] -= d * q[2];
    }
    const len = Math.hypot(w[0], w[1], w[2]);
    if (!(len > 1e-6 * len0)) {
      if (required) throw new InputError(`${what}: periodic lattice vector ${'abc'[r]} is linearly dependent on the other periodic vectors (degenerate cell)`);
      return false;
    }
    basis.push([w[0] / len, w[1] / len, w[2] / len]);
    return true;
  };
  for (let r = 0; r < 3; r++) if (pbc[r]) addIfIndependent([cell[3 * r], cell[3 * r + 1], cell[3 * r + 2]], true, r);
  const extra: number[][] = [];
  for (const axis of [[1, 0, 0], [0, 1, 0], [0, 0, 1]]) if (basis.length < 3 && addIfIndependent(axis, false, -1)) extra.push(basis[basis.length - 1]);
  const out = Float64Array.from(cell);
  let e = 0;
  for (let r = 0; r < 3; r++) if (!pbc[r]) { const v = extra[e++]; out[3 * r] = v[0]; out[3 * r + 1] = v[1]; out[3 * r + 2] = v[2]; }
  return out;
}
