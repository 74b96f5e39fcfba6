/**
 * The potential (calculator) interface shared by force fields (src/ufp, test potentials) and the MD
 * engine (ASE's Calculator idea, split so hot loops avoid per-call setup):
 *   potential.bind(species, pbc) → calculator;  calculator.compute(positions, cell, out).
 * Virial convention (LAMMPS): W_ab = −∂E/∂ε_ab = Σ_pairs r_a f_b (eV). Stress σ = −W/V = (1/V)∂E/∂ε
 * (eV/Å³, ASE sign: negative under compression; pressure = −tr σ / 3). All 9 components, row-major.
 */
import type { Mat3, Pbc } from './cell';
import { volume } from './cell';
import type { Structure } from './structure';

/** Energy (eV), forces (eV/Å, 3N) and virial (eV, 3×3 row-major) of one configuration. */
export interface ForceResult {
  energy: number;
  forces: Float64Array;
  virial: Float64Array;
  /** Optional per-atom energies (eV). */
  energies?: Float64Array;
}

/** A potential bound to one set of species and periodicity; reuses buffers and neighbour lists. */
export interface Calculator {
  /** Computes energy, forces and virial for these positions (Å) and cell; writes into `out` when given. */
  compute(positions: Float64Array, cell: Mat3, out?: ForceResult): ForceResult;
  /** Releases workers or other resources (optional). */
  dispose?(): void | Promise<void>;
}

/** A force field: knows its elements and range, and binds to a concrete system. */
export interface Potential {
  readonly name: string;
  /** Interaction range, Å (largest cutoff of any term). */
  readonly cutoff: number;
  /** Elements the potential can handle. */
  readonly elements: readonly string[];
  /** A calculator for atoms of these species (throws InputError for an element the potential lacks). */
  bind(species: readonly string[], pbc: Pbc): Calculator;
}

/** Allocates an empty ForceResult for n atoms. */
export function newForceResult(n: number): ForceResult {
  return { energy: 0, forces: new Float64Array(3 * n), virial: new Float64Array(9) };
}

/** One-shot evaluation of a potential on a structure. */
export function computeStructure(p: Potential, s: Structure): ForceResult {
  const calc = p.bind(s.species, s.pbc);
  try {
    return calc.compute(s.positions, s.cell);
  } finally {
    void calc.dispose?.();
  }
}

/** Stress σ = −W/V (eV/Å³, 3×3 row-major) from a virial W (eV). */
export function stressFromVirial(virial: ArrayLike<number>, cell: Mat3): Float64Array {
  const v = volume(cell);
  return Float64Array.from({ length: 9 }, (_, i) => -virial[i] / v);
}

/** Voigt order used by LAMMPS and the CLI: [xx, yy, zz, yz, xz, xy] from a 3×3 row-major tensor. */
export function toVoigt(t: ArrayLike<number>): number[] {
  return [t[0], t[4], t[8], t[5], t[2], t[1]];
}
