/** File formats: readers and writers for structures and trajectories, plus atomic output helpers. */
export * from './atomic';
export * from './lines';
export * from './numbers';
export * from './npy';
export * from './extxyz';
export { splitKeyValues, interpretValue } from './extxyz-header';
export * from './lammps-common';
export * from './lammps-data';
export * from './lammps-dump';
export * from './cif';
export { parseCifBlocks, cifValues, cifNumber } from './cif-syntax';
export * from './symmetry-operations';
export * from './poscar';
export * from './deepmd';
export * from './magres';
export * from './outcar';
export * from './frame-slice';
export * from './formats';
