/**
 * The list of `ufnmr` sub-commands. Each entry loads its module lazily so that `ufnmr --help`
 * stays fast and a command's heavy dependencies (tfjs, vega) load only when it runs.
 */
import type { Command } from './command';

/** A registered command: its name, one-line summary, and a loader. */
export interface CommandEntry {
  name: string;
  summary: string;
  load: () => Command;
}

/* eslint-disable @typescript-eslint/no-require-imports */
export const COMMANDS: CommandEntry[] = [
  { name: 'convert', summary: 'convert structures and trajectories between file formats (extxyz, POSCAR, CIF, LAMMPS, DeePMD, …)', load: () => require('./commands/convert').default },
  { name: 'acf', summary: '7Li quadrupolar-frequency ACF of an EFG tensor series and its KWW fit', load: () => require('./commands/acf').default },
  { name: 'sae', summary: '7Li spin-alignment-echo F2^ss/F2^cc on powder grids, with grid convergence', load: () => require('./commands/sae').default },
  { name: 'eval', summary: 'energy, forces and stress of a structure with a UF3 potential', load: () => require('./commands/eval').default },
  { name: 'md', summary: 'molecular dynamics (NVE/NVT/NPT, ladders, melt-quench) with checkpoints and --resume', load: () => require('./commands/md').default },
  { name: 'fit', summary: 'fit a UF3 potential to DFT energies and forces', load: () => require('./commands/fit').default },
  { name: 'efg point-charge', summary: 'point-charge EFG tensors of every atom by Ewald summation (V/Å²)', load: () => require('./commands/efg-point-charge').default },
  { name: 'efg train', summary: 'train the equivariant EFG model (tfjs) from a JSON config', load: () => require('./commands/efg-train').default },
  { name: 'efg predict', summary: 'predict EFG tensors of every Li in a trajectory (.npy series, V/Å²)', load: () => require('./commands/efg-predict').default },
  { name: 'msd', summary: 'mean squared displacement per element (FFT, streaming) and tracer diffusion coefficients', load: () => require('./commands/msd').default },
  { name: 'hops', summary: 'Li hop rates from a trajectory (site CIF with hysteresis, or amorphous analysis) with Γ = 6D/a²', load: () => require('./commands/hops').default },
  { name: 'lammps export', summary: 'write an md.json run as a LAMMPS deck (pair_style uf3 potential, data file, in.lammps, README.txt)', load: () => require('./commands/lammps-export').default },
  { name: 'study', summary: 'the main job: MD per temperature → EFG → ω_Q ACF/KWW rates vs site hops and MSD, Arrhenius, figures (resumable)', load: () => require('./commands/study').default },
];
