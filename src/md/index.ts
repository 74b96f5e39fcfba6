/**
 * Molecular dynamics: system state, integrators (velocity Verlet, BAOAB), thermostats (Langevin, Bussi,
 * Nosé–Hoover chains), C-rescale barostat, FIRE, the simulation loop with observers/checkpoints/progress,
 * parallel force evaluation, protocols and the md.json runner. Units: Å, fs, amu, eV, K; velocities Å/fs.
 */
export * from './random';
export * from './system';
export * from './velocities';
export * from './integrators/types';
export * from './integrators/integrator';
export * from './thermostats/langevin';
export * from './thermostats/bussi';
export * from './thermostats/noseHoover';
export * from './barostats/cRescale';
export * from './minimize/fire';
export * from './potentials/lennardJones';
export * from './parallel/kernel';
export * from './parallel/parallelCalculator';
export * from './observers';
export * from './checkpoint';
export * from './guards';
export * from './progress';
export * from './simulation';
export * from './config';
export * from './protocols';
export * from './run';
export * from './drift';
