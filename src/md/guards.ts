/**
 * Blow-up detection: non-finite energies/forces/positions, temperature runaway and conserved-energy
 * runaway. A failed check raises a SimulationError naming the step and the atoms involved.
 */
import { SimulationError } from '../core/errors';
import { KB_EV_PER_K } from '../core/units';
import { MDSystem, MVV2E } from './system';

/** Limits; any may be disabled with Infinity. */
export interface GuardOptions {
  /** Stop when the instantaneous temperature exceeds this (K). Default 20000 K. */
  maxTemperatureK?: number;
  /** Stop when |conserved − conserved at start| per atom exceeds this (eV/atom). Default 1 eV/atom. */
  maxEnergyDriftPerAtom?: number;
  /** Check temperature and energy every this many steps (NaN checks run every step). Default 10. */
  every?: number;
}

/** Resolved guard settings. */
export interface Guards { maxTemperatureK: number; maxEnergyDriftPerAtom: number; every: number }

/** Defaults filled in. */
export function resolveGuards(g: GuardOptions = {}): Guards {
  return { maxTemperatureK: g.maxTemperatureK ?? 20000, maxEnergyDriftPerAtom: g.maxEnergyDriftPerAtom ?? 1, every: g.every ?? 10 };
}

/** Throws SimulationError when energy, a force or a position is not finite. */
export function checkFinite(sys: MDSystem): void {
  const bad: number[] = [];
  const f = sys.forces, x = sys.positions, v = sys.velocities;
  for (let k = 0; k < f.length; k++) {
    if (!Number.isFinite(f[k]) || !Number.isFinite(x[k]) || !Number.isFinite(v[k])) {
      const i = Math.floor(k / 3);
      if (bad[bad.length - 1] !== i) bad.push(i);
      if (bad.length >= 10) break;
    }
  }
  if (bad.length || !Number.isFinite(sys.potentialEnergy))
    throw new SimulationError(`blow-up at step ${sys.step}: ${bad.length ? `non-finite force/position/velocity on atom(s) ${describe(sys, bad)}` : `potential energy is ${sys.potentialEnergy}`}`);
}

/** Throws SimulationError when the temperature or the conserved energy ran away. */
export function checkRunaway(sys: MDSystem, g: Guards, temperatureK: number, conserved: number, conserved0: number): void {
  if (temperatureK > g.maxTemperatureK)
    throw new SimulationError(`blow-up at step ${sys.step}: temperature ${temperatureK.toFixed(0)} K exceeds ${g.maxTemperatureK} K; fastest atoms ${describe(sys, fastest(sys, 5), true)}`);
  const n = sys.masses.length;
  const drift = Math.abs(conserved - conserved0) / n;
  if (!(drift <= g.maxEnergyDriftPerAtom))
    throw new SimulationError(`blow-up at step ${sys.step}: conserved energy moved by ${drift.toExponential(3)} eV/atom (limit ${g.maxEnergyDriftPerAtom}); fastest atoms ${describe(sys, fastest(sys, 5), true)}`);
}

function fastest(sys: MDSystem, k: number): number[] {
  const n = sys.masses.length, ke = new Float64Array(n), v = sys.velocities;
  for (let i = 0; i < n; i++) ke[i] = sys.masses[i] * (v[3 * i] ** 2 + v[3 * i + 1] ** 2 + v[3 * i + 2] ** 2);
  return Array.from(ke.keys()).sort((a, b) => ke[b] - ke[a]).slice(0, k);
}

function describe(sys: MDSystem, atoms: number[], withT = false): string {
  return atoms.map((i) => {
    const v = sys.velocities, x = sys.positions;
    const t = (sys.masses[i] * MVV2E * (v[3 * i] ** 2 + v[3 * i + 1] ** 2 + v[3 * i + 2] ** 2)) / (3 * KB_EV_PER_K);
    const pos = `(${[x[3 * i], x[3 * i + 1], x[3 * i + 2]].map((c) => c.toFixed(3)).join(', ')}) Å`;
    return `${i} ${sys.species[i]} at ${pos}${withT ? `, ${t.toFixed(0)} K` : ''}`;
  }).join('; ');
}
