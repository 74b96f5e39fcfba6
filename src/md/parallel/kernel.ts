/**
 * Range kernels: the form in which a force field takes part in atom-decomposed parallel force evaluation.
 * A kernel is built from plain serialisable data (so a worker thread can build its own copy) and adds
 * the contributions of the centre atoms i ∈ [i0, i1) — the pairs and triplets that it would assign to
 * those atoms in a serial evaluation — to caller-given force and virial buffers. Summing the ranges of
 * a partition of [0, N) gives the serial result up to floating-point reassociation.
 */
import type { Mat3 } from '../../core/cell';
import type { Calculator, ForceResult } from '../../core/potential';

/** A force kernel over centre-atom ranges. */
export interface RangeKernel {
  readonly natoms: number;
  /** Brings neighbour data up to date for these positions (Å) and cell; call before computeRange. */
  prepare(positions: Float64Array, cell: Mat3): void;
  /**
   * Adds forces (eV/Å, 3N) and virial (eV, 9) of centre atoms [i0, i1) to the buffers and returns their
   * energy (eV). `energies` (per atom, eV), when given, is added to as well.
   */
  computeRange(positions: Float64Array, cell: Mat3, i0: number, i1: number, forces: Float64Array, virial: Float64Array, energies?: Float64Array): number;
  /** Forces a neighbour-list rebuild at the next prepare (used at checkpoints for bit-identical resumes). */
  resetNeighbors?(): void;
  /**
   * Optional relative cost of each centre atom for these positions (after prepare), used to balance
   * thread ranges. Must be deterministic (no timing), so that runs are reproducible.
   */
  atomCosts?(positions: Float64Array, cell: Mat3): Float64Array;
}

/**
 * How a worker builds a kernel: `require(module)[factory](data)` must return a RangeKernel.
 * `module` is an absolute path (use require.resolve) and `data` must survive structured cloning.
 */
export interface KernelSpec {
  module: string;
  factory: string;
  data: unknown;
}

/** A Calculator that evaluates a range kernel serially over all atoms. */
export class SerialKernelCalculator implements Calculator {
  constructor(readonly kernel: RangeKernel) {}

  compute(positions: Float64Array, cell: Mat3, out?: ForceResult): ForceResult {
    const n = this.kernel.natoms;
    const res = out ?? { energy: 0, forces: new Float64Array(3 * n), virial: new Float64Array(9) };
    res.forces.fill(0);
    res.virial.fill(0);
    const en = res.energies && res.energies.length === n ? res.energies : undefined;
    en?.fill(0);
    this.kernel.prepare(positions, cell);
    res.energy = this.kernel.computeRange(positions, cell, 0, n, res.forces, res.virial, en);
    return res;
  }

  /** Forces a neighbour-list rebuild at the next compute. */
  resetNeighbors(): void {
    this.kernel.resetNeighbors?.();
  }
}
