/** Pair vectors and distances from a neighbour list. */
import { InputError } from '../errors';
import type { Mat3 } from '../cell';
import type { NeighborList } from './types';

/** r_ij = x_j + n·H − x_i (Å) for every entry, 3 numbers per entry, written to `out` (allocated when absent). */
export function neighborVectors(list: NeighborList, positions: Float64Array, cell: Mat3, out?: Float64Array): Float64Array {
  const n = list.start.length - 1, m = list.index.length;
  if (positions.length !== 3 * n) throw new InputError(`neighborVectors: positions hold ${positions.length} numbers, the list was built for ${n} atoms (expected ${3 * n})`);
  if (cell.length !== 9) throw new InputError(`neighborVectors: cell must have 9 numbers, got ${cell.length}`);
  if (!out) out = new Float64Array(3 * m);
  else if (out.length < 3 * m) throw new InputError(`neighborVectors: output holds ${out.length} numbers, expected at least ${3 * m} (3 per entry)`);
  const { start, index, image } = list;
  const h0 = cell[0], h1 = cell[1], h2 = cell[2], h3 = cell[3], h4 = cell[4], h5 = cell[5], h6 = cell[6], h7 = cell[7], h8 = cell[8];
  for (let i = 0; i < n; i++) {
    const xi = positions[3 * i], yi = positions[3 * i + 1], zi = positions[3 * i + 2];
    for (let e = start[i], end = start[i + 1]; e < end; e++) {
      const j = 3 * index[e], a = image[3 * e], b = image[3 * e + 1], c = image[3 * e + 2];
      out[3 * e] = positions[j] + (a * h0 + b * h3 + c * h6) - xi;
      out[3 * e + 1] = positions[j + 1] + (a * h1 + b * h4 + c * h7) - yi;
      out[3 * e + 2] = positions[j + 2] + (a * h2 + b * h5 + c * h8) - zi;
    }
  }
  return out;
}

/** |r_ij| (Å) for every entry, written to `out` (allocated when absent). */
export function neighborDistances(list: NeighborList, positions: Float64Array, cell: Mat3, out?: Float64Array): Float64Array {
  const m = list.index.length;
  const v = neighborVectors(list, positions, cell);
  if (!out) out = new Float64Array(m);
  else if (out.length < m) throw new InputError(`neighborDistances: output holds ${out.length} numbers, expected at least ${m}`);
  for (let e = 0; e < m; e++) out[e] = Math.sqrt(v[3 * e] * v[3 * e] + v[3 * e + 1] * v[3 * e + 1] + v[3 * e + 2] * v[3 * e + 2]);
  return out;
}
