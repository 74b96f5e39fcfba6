/**
 * The mutable state of an MD run (flat typed arrays) and the basic kinematics on it: kinetic energy,
 * temperature, pressure, centre-of-mass momentum. Units: Å, fs, amu, eV; velocities Å/fs.
 * m·v² in amu·Å²/fs² is converted to eV with MVV2E = AMU_A2_PER_FS2_IN_EV (≈ 103.6427).
 */
import { InputError } from '../core/errors';
import type { Mat3, Pbc } from '../core/cell';
import { volume } from '../core/cell';
import type { Calculator, ForceResult } from '../core/potential';
import { Structure, masses as structureMasses, getFloatArray, floatArray, createStructure } from '../core/structure';
import { AMU_A2_PER_FS2_IN_EV, KB_EV_PER_K } from '../core/units';

/** m[amu]·v[Å/fs]² → eV. */
export const MVV2E = AMU_A2_PER_FS2_IN_EV;

/** Everything that evolves in an MD run. Arrays are owned by the system and updated in place. */
export interface MDSystem {
  species: string[];
  /** amu, per atom. */
  masses: Float64Array;
  /** Å, 3N, unwrapped (atoms are never wrapped back into the cell during a run). */
  positions: Float64Array;
  /** Å/fs, 3N. */
  velocities: Float64Array;
  /** eV/Å, 3N, at the current positions. */
  forces: Float64Array;
  /** Rows = lattice vectors, Å. */
  cell: Mat3;
  pbc: Pbc;
  /** Potential energy at the current positions, eV. */
  potentialEnergy: number;
  /** Virial W = Σ r⊗f (eV, 3×3 row-major, LAMMPS sign) at the current positions. */
  virial: Float64Array;
  /** Steps taken so far. */
  step: number;
  /** Simulated time, fs. */
  timeFs: number;
  /** Degrees of freedom used for the temperature (3N − 3 when the COM momentum is kept at zero). */
  dof: number;
}

/** Options of {@link createSystem}. */
export interface SystemOptions {
  /** Per-element masses (amu) overriding the standard ones, e.g. {Li: 6.94}. */
  masses?: Record<string, number>;
  /** Velocities (Å/fs, 3N); default: the structure's `velocities` array, else zeros. */
  velocities?: ArrayLike<number>;
  /** Degrees of freedom; default 3N − 3 for a periodic system, 3N otherwise. */
  dof?: number;
}

/** An MD system from a structure (positions copied; velocities from options or the structure). */
export function createSystem(s: Structure, opts: SystemOptions = {}): MDSystem {
  const n = s.species.length;
  if (n === 0) throw new InputError('an MD system needs at least one atom');
  const m = Float64Array.from(structureMasses(s));
  if (opts.masses) {
    for (const [el, v] of Object.entries(opts.masses))
      if (!(v > 0) || !Number.isFinite(v)) throw new InputError(`mass of ${el} must be a positive number of amu, got ${v}`);
    s.species.forEach((e, i) => { const v = opts.masses![e]; if (v !== undefined) m[i] = v; });
  }
  const vel = new Float64Array(3 * n);
  const given = opts.velocities ?? getFloatArray(s, 'velocities', 3);
  if (given) {
    if (given.length !== 3 * n) throw new InputError(`velocities hold ${given.length} numbers for ${n} atoms (expected ${3 * n})`);
    for (let i = 0; i < 3 * n; i++) {
      if (!Number.isFinite(given[i])) throw new InputError(`non-finite velocity for atom ${Math.floor(i / 3)}`);
      vel[i] = given[i];
    }
  }
  const periodic = s.pbc.some(Boolean);
  const dof = opts.dof ?? (periodic && n > 1 ? 3 * n - 3 : 3 * n);
  if (!(dof > 0)) throw new InputError(`degrees of freedom must be positive, got ${dof}`);
  return {
    species: [...s.species], masses: m, positions: Float64Array.from(s.positions), velocities: vel,
    forces: new Float64Array(3 * n), cell: Float64Array.from(s.cell), pbc: [...s.pbc] as Pbc,
    potentialEnergy: NaN, virial: new Float64Array(9), step: 0, timeFs: 0, dof,
  };
}

/** Number of atoms. */
export function atomCount(sys: MDSystem): number {
  return sys.masses.length;
}

/** Recomputes forces, potential energy and virial at the current positions and cell. */
export function evaluateForces(sys: MDSystem, calc: Calculator, scratch?: ForceResult): void {
  const out = scratch ?? { energy: 0, forces: sys.forces, virial: sys.virial };
  out.forces = sys.forces; out.virial = sys.virial;
  const r = calc.compute(sys.positions, sys.cell, out);
  if (r.forces !== sys.forces) sys.forces.set(r.forces);
  if (r.virial !== sys.virial) sys.virial.set(r.virial);
  sys.potentialEnergy = r.energy;
}

/** Kinetic energy Σ ½ m v² (eV), optionally over an index subset. */
export function kineticEnergy(sys: MDSystem, atoms?: ArrayLike<number>): number {
  const v = sys.velocities, m = sys.masses;
  let k = 0;
  if (atoms) {
    for (let a = 0; a < atoms.length; a++) {
      const i = atoms[a], o = 3 * i;
      k += m[i] * (v[o] * v[o] + v[o + 1] * v[o + 1] + v[o + 2] * v[o + 2]);
    }
  } else {
    for (let i = 0, o = 0; i < m.length; i++, o += 3) k += m[i] * (v[o] * v[o] + v[o + 1] * v[o + 1] + v[o + 2] * v[o + 2]);
  }
  return 0.5 * MVV2E * k;
}

/** Kinetic tensor Σ m v_a v_b (eV, 3×3 row-major) = twice the kinetic energy tensor. */
export function kineticTensor(sys: MDSystem, out = new Float64Array(9)): Float64Array {
  out.fill(0);
  const v = sys.velocities, m = sys.masses;
  for (let i = 0, o = 0; i < m.length; i++, o += 3)
    for (let a = 0; a < 3; a++) for (let b = 0; b < 3; b++) out[3 * a + b] += m[i] * v[o + a] * v[o + b];
  for (let k = 0; k < 9; k++) out[k] *= MVV2E;
  return out;
}

/** Instantaneous temperature 2K/(dof·k_B), K. */
export function temperature(sys: MDSystem): number {
  return (2 * kineticEnergy(sys)) / (sys.dof * KB_EV_PER_K);
}

/** Temperature of a group of atoms, K (3 degrees of freedom per atom). */
export function groupTemperature(sys: MDSystem, atoms: ArrayLike<number>): number {
  return atoms.length ? (2 * kineticEnergy(sys, atoms)) / (3 * atoms.length * KB_EV_PER_K) : NaN;
}

/** Pressure tensor P = (Σ m v⊗v + W)/V (eV/Å³, 3×3 row-major; compression positive, LAMMPS sign). */
export function pressureTensor(sys: MDSystem, out = new Float64Array(9)): Float64Array {
  kineticTensor(sys, out);
  const vol = volume(sys.cell);
  for (let k = 0; k < 9; k++) out[k] = (out[k] + sys.virial[k]) / vol;
  return out;
}

/** Scalar pressure (2K + tr W)/(3V), eV/Å³, with K from the dof-based temperature as LAMMPS does. */
export function pressure(sys: MDSystem): number {
  const vol = volume(sys.cell);
  return (2 * kineticEnergy(sys) + sys.virial[0] + sys.virial[4] + sys.virial[8]) / (3 * vol);
}

/** Centre-of-mass velocity (Å/fs). */
export function comVelocity(sys: MDSystem): [number, number, number] {
  const v = sys.velocities, m = sys.masses;
  let px = 0, py = 0, pz = 0, mt = 0;
  for (let i = 0, o = 0; i < m.length; i++, o += 3) { px += m[i] * v[o]; py += m[i] * v[o + 1]; pz += m[i] * v[o + 2]; mt += m[i]; }
  return [px / mt, py / mt, pz / mt];
}

/** Removes the centre-of-mass momentum (in place). */
export function removeComMomentum(sys: MDSystem): void {
  const [cx, cy, cz] = comVelocity(sys);
  const v = sys.velocities;
  for (let o = 0; o < v.length; o += 3) { v[o] -= cx; v[o + 1] -= cy; v[o + 2] -= cz; }
}

/** Multiplies all velocities by λ. */
export function scaleVelocities(sys: MDSystem, lambda: number): void {
  const v = sys.velocities;
  for (let k = 0; k < v.length; k++) v[k] *= lambda;
}

/** A Structure snapshot of the system (positions, cell; velocities Å/fs and forces eV/Å as arrays). */
export function systemToStructure(sys: MDSystem, opts: { velocities?: boolean; forces?: boolean } = {}): Structure {
  const arrays: Structure['arrays'] = {};
  if (opts.velocities) arrays.velocities = floatArray(3, sys.velocities);
  if (opts.forces) arrays.forces = floatArray(3, sys.forces);
  return createStructure({
    species: sys.species, positions: sys.positions, cell: sys.cell, pbc: sys.pbc, arrays,
    info: { energy: sys.potentialEnergy, step: sys.step, time_fs: sys.timeFs },
  });
}
