/**
 * Conversions at the LAMMPS boundary (`units metal`, science.md §1): time in ps, pressure in bar,
 * velocities in Å/ps; ufnmr keeps fs, GPa and Å/fs. Also the number and seed formats LAMMPS accepts.
 */
import { InputError } from '../core/errors';

/** fs → ps (LAMMPS metal time unit), e.g. the timestep and damping times Tdamp/Pdamp. */
export function psFromFs(fs: number): number {
  return fs / 1000;
}

/** GPa → bar (LAMMPS metal pressure unit): 1 GPa = 10⁴ bar. */
export function barFromGPa(gpa: number): number {
  return gpa * 1e4;
}

/** Bulk modulus K (bar) = 1/β_T for an isothermal compressibility β_T in 1/GPa (`fix press/berendsen … modulus K`). */
export function modulusBarFromCompressibility(compressibilityPerGPa: number): number {
  return 1e4 / compressibilityPerGPa;
}

/** Largest seed LAMMPS's Marsaglia generator accepts (fix langevin, temp/csvr: 0 < seed ≤ 900000000). */
export const LAMMPS_MAX_SEED = 900000000;

/**
 * A valid LAMMPS seed (1 … 900000000) derived deterministically from a non-negative integer `seed` and a
 * stream number (e.g. the stage index): ((seed mod M)·1000 + stream) mod M + 1 with M = 900000000 − 1.
 */
export function lammpsSeed(seed: number, stream = 0): number {
  if (!Number.isInteger(seed) || seed < 0) throw new InputError(`seed must be a non-negative integer, got ${seed}`);
  const m = LAMMPS_MAX_SEED - 1;
  return (((seed % m) * 1000 + stream) % m) + 1;
}

/** The seed of `velocity create`: the md.json seed itself when LAMMPS accepts it (1 … 900000000), else {@link lammpsSeed}. */
export function velocitySeed(seed: number): number {
  return Number.isInteger(seed) && seed >= 1 && seed <= LAMMPS_MAX_SEED ? seed : lammpsSeed(seed);
}

/** A number as written in the deck: the shortest string that reads back to the same double. */
export function num(x: number): string {
  if (!Number.isFinite(x)) throw new InputError(`cannot write the non-finite number ${x} into a LAMMPS input`);
  return Object.is(x, -0) ? '0' : String(x);
}
