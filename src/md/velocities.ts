/**
 * Initial velocities: Maxwell–Boltzmann draws from a seeded stream, per-group temperatures,
 * centre-of-mass momentum removal and optional exact rescaling (as LAMMPS `velocity create` does).
 */
import { InputError } from '../core/errors';
import { KB_EV_PER_K } from '../core/units';
import { Rng } from './random';
import { MDSystem, MVV2E, removeComMomentum, scaleVelocities, groupTemperature, temperature } from './system';

/** Options of {@link maxwellBoltzmann}. */
export interface MaxwellBoltzmannOptions {
  /** Temperature of all atoms (K) unless a group sets its own. */
  temperatureK: number;
  /** Random seed (integer); or pass an Rng. */
  seed?: number;
  rng?: Rng;
  /** Per-group temperatures (K): atoms listed here are drawn at their group's temperature. */
  groups?: { atoms: ArrayLike<number>; temperatureK: number }[];
  /** Remove the centre-of-mass momentum afterwards (default true). */
  removeCom?: boolean;
  /** Rescale each group (or everything) to hit its temperature exactly (default true). */
  exact?: boolean;
}

/** Draws velocities (Å/fs) from the Maxwell–Boltzmann distribution, in place. */
export function maxwellBoltzmann(sys: MDSystem, opts: MaxwellBoltzmannOptions): void {
  const n = sys.masses.length;
  const rng = opts.rng ?? new Rng(opts.seed ?? 0, 1);
  checkT(opts.temperatureK, 'temperatureK');
  const tAtom = new Float64Array(n).fill(opts.temperatureK);
  const groups = opts.groups ?? [];
  for (const [g, grp] of groups.entries()) {
    checkT(grp.temperatureK, `groups[${g}].temperatureK`);
    for (let a = 0; a < grp.atoms.length; a++) {
      const i = grp.atoms[a];
      if (!Number.isInteger(i) || i < 0 || i >= n) throw new InputError(`groups[${g}] names atom ${i}, but there are ${n} atoms`);
      tAtom[i] = grp.temperatureK;
    }
  }
  const v = sys.velocities, m = sys.masses;
  for (let i = 0; i < n; i++) {
    const s = Math.sqrt((KB_EV_PER_K * tAtom[i]) / (m[i] * MVV2E));
    v[3 * i] = s * rng.normal(); v[3 * i + 1] = s * rng.normal(); v[3 * i + 2] = s * rng.normal();
  }
  if (opts.removeCom ?? true) removeComMomentum(sys);
  if (opts.exact ?? true) {
    if (groups.length === 0) {
      const t = temperature(sys);
      if (t > 0) scaleVelocities(sys, Math.sqrt(opts.temperatureK / t));
      else if (opts.temperatureK > 0) throw new InputError('cannot reach a positive temperature with these degrees of freedom');
    } else {
      for (const grp of groups) {
        const t = groupTemperature(sys, grp.atoms);
        if (t > 0) { const l = Math.sqrt(grp.temperatureK / t); for (let a = 0; a < grp.atoms.length; a++) { const o = 3 * grp.atoms[a]; v[o] *= l; v[o + 1] *= l; v[o + 2] *= l; } }
      }
    }
  }
}

function checkT(t: number, name: string): void {
  if (!(t >= 0) || !Number.isFinite(t)) throw new InputError(`${name} must be a non-negative temperature in K, got ${t}`);
}
