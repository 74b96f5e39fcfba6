/** ufnmr: ultra-fast 7Li NMR simulations. Public API, one namespace per layer. */
export * from './core';
export * as io from './io';
export * as nmr from './nmr';
export * as plot from './plot';
export * as ufp from './ufp';
export * as efg from './efg';
export * as dynamics from './dynamics';
export * as md from './md';
export * as study from './study';
export * as lammps from './lammps';
