/**
 * LAMMPS export: an md.json run as a LAMMPS folder (potential for pair_style uf3 or lj/cut, data file,
 * in.lammps, README.txt) for long runs on a cluster; plus a small input-script parser. Units at the
 * boundary: metal (ps, bar, Å/ps); ufnmr's fs, GPa, Å/fs inside.
 */
export * from './metal';
export * from './deckText';
export * from './potential';
export * from './structure';
export * from './ensembles';
export * from './deck';
export * from './readme';
export * from './export';
