/** Neighbour lists: linked-cell construction (any cutoff, triclinic, mixed pbc), Verlet skin, pair vectors. */
export * from './types';
export * from './build';
export * from './verlet';
export * from './vectors';
