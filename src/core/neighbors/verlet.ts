/** Verlet neighbour list: a cell list built with cutoff + skin, rebuilt only when atoms moved enough. */
import { InputError } from '../errors';
import type { Mat3, Pbc } from '../cell';
import type { NeighborList, NeighborListOptions } from './types';
import { NeighborListBuilder } from './build';

/**
 * A neighbour list with a skin (Å): built with radius cutoff + skin, it stays valid (lists every pair
 * closer than `cutoff`) until some atom has moved more than skin/2 from where it was at the last
 * build, since then no pair distance can have shrunk by more than the skin. `update` rebuilds when
 * that happens, when the cell, the pbc or the atom count changed, or on the first call. Displacements
 * are measured on the raw positions: re-wrapping atoms into the cell counts as a move (and rebuilds),
 * which keeps the stored lattice translations right.
 */
export class VerletNeighborList {
  /** Number of builds so far. */
  builds = 0;
  private current: NeighborList | null = null;
  private readonly builder = new NeighborListBuilder();
  private readonly full: boolean;
  private ref = new Float64Array(0);
  private readonly refCell = new Float64Array(9);
  private refPbc: Pbc = [false, false, false];

  /** cutoff and skin in Å (skin ≥ 0; the list holds pairs closer than cutoff + skin). */
  constructor(readonly cutoff: number, readonly skin: number, opts: NeighborListOptions = {}) {
    if (!(cutoff > 0 && Number.isFinite(cutoff))) throw new InputError(`Verlet list cutoff must be a positive finite number of Å, got ${cutoff}`);
    if (!(skin >= 0 && Number.isFinite(skin))) throw new InputError(`Verlet list skin must be a finite number of Å ≥ 0, got ${skin}`);
    this.full = opts.full ?? true;
  }

  /** The current list (radius cutoff + skin). Throws before the first `update`. */
  get list(): NeighborList {
    if (!this.current) throw new InputError('VerletNeighborList.list read before the first update()');
    return this.current;
  }

  /** Brings the list up to date for positions (Å, 3N), cell and pbc; true when it was rebuilt. */
  update(positions: Float64Array, cell: Mat3, pbc: Pbc): boolean {
    if (!this.needsRebuild(positions, cell, pbc)) return false;
    this.current = this.builder.build(positions, cell, pbc, this.cutoff + this.skin, { full: this.full });
    if (this.ref.length !== positions.length) this.ref = new Float64Array(positions.length);
    this.ref.set(positions);
    this.refCell.set(cell);
    this.refPbc = [pbc[0], pbc[1], pbc[2]];
    this.builds++;
    return true;
  }

  /** Largest displacement (Å) of any atom since the last build (0 before the first build). */
  maxDisplacement(positions: Float64Array): number {
    if (!this.current || positions.length !== this.ref.length) return 0;
    let m2 = 0;
    const r = this.ref;
    for (let k = 0; k < r.length; k += 3) {
      const dx = positions[k] - r[k], dy = positions[k + 1] - r[k + 1], dz = positions[k + 2] - r[k + 2];
      const d2 = dx * dx + dy * dy + dz * dz;
      if (d2 > m2) m2 = d2;
    }
    return Math.sqrt(m2);
  }

  private needsRebuild(positions: Float64Array, cell: Mat3, pbc: Pbc): boolean {
    if (!this.current || positions.length !== this.ref.length) return true;
    for (let k = 0; k < 9; k++) if (cell[k] !== this.refCell[k]) return true;
    for (let k = 0; k < 3; k++) if (pbc[k] !== this.refPbc[k]) return true;
    const lim2 = (this.skin / 2) ** 2, r = this.ref;
    for (let k = 0; k < r.length; k += 3) {
      const dx = positions[k] - r[k], dy = positions[k + 1] - r[k + 1], dz = positions[k + 2] - r[k + 2];
      const d2 = dx * dx + dy * dy + dz * dz;
      if (!(d2 <= lim2)) return true; // also catches NaN: the rebuild then reports the bad atom
    }
    return false;
  }
}
