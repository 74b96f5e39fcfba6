/** UF3 ultra-fast potentials: B-splines, model data, force kernel, LAMMPS/uf3 formats, potential, fitting. */
export * from './bspline';
export * from './tables';
export * from './model';
export * from './errors';
export * from './kernel';
export * from './formatLammps';
export * from './formatJson';
export * from './potential';
export * from './files';
