/** The neighbour-list record shared by the force kernels, the MD engine and the analysis code. */

/**
 * A neighbour list in CSR form. Entry e (start[i] ≤ e < start[i+1]) says that atom index[e], shifted
 * by the lattice translation n = image[3e..3e+2], lies within `cutoff` of atom i:
 * r_ij = x_j + n·H − x_i (H rows = a, b, c; x the positions the list was built from, unwrapped).
 * A pair is listed when |r_ij| < cutoff (strict); an atom is never its own neighbour at n = 0, but
 * its periodic images are when the cell is small enough.
 */
export interface NeighborList {
  /** Å, radius the list was built with (cutoff + skin for Verlet lists). */
  cutoff: number;
  /** full: every i→j and j→i; half: each unordered pair (incl. self-image pairs) once. */
  full: boolean;
  /** CSR offsets, length N+1: neighbours of i are entries start[i] .. start[i+1]-1. */
  start: Int32Array;
  /** Neighbour atom j of each entry. */
  index: Int32Array;
  /** 3 ints per entry: lattice translation n so that r_ij = x_j + n·H − x_i (H rows = a,b,c). */
  image: Int32Array;
}

/** Options of the neighbour-list builders. */
export interface NeighborListOptions {
  /** Full list (default true) or half list (each unordered pair once, stored under one of its atoms). */
  full?: boolean;
  /** Advanced: bins per cutoff length of the cell grid (default 1.5, or 2 for strongly skewed cells; see bench/neighbors.bench.ts). */
  binsPerCutoff?: number;
}
