/**
 * UF3 as a {@link Potential} (src/core/potential.ts) and as a range kernel for atom-decomposed parallel
 * evaluation (the shape of src/md/parallel/kernel.ts RangeKernel: prepare + computeRange, built inside a
 * worker from serialisable {@link UF3KernelData} through `kernelSpec`).
 *
 * Energy = Σ 1-body (model.oneBody, 0 for .uf3 files, as in LAMMPS) + 2-body + 3-body (science.md §2);
 * forces eV/Å; virial W = Σ r⊗f (eV). Neighbours come from a full Verlet list (cutoff + skin).
 */
import type { Mat3, Pbc } from '../core/cell';
import { InputError } from '../core/errors';
import type { Calculator, ForceResult, Potential } from '../core/potential';
import { VerletNeighborList } from '../core/neighbors';
import type { UF3Model } from './model';
import { validateModel } from './model';
import { UF3Kernel, BelowRange } from './kernel';

/** Options of a bound UF3 potential. */
export interface UF3Options {
  /** Verlet skin, Å (default 1; 0 rebuilds the list whenever an atom moves). */
  skin?: number;
  /** 2-body pairs closer than the lowest knot: 'error' (default, TooCloseError) or 'extrapolate'. */
  belowRange?: BelowRange;
  /** Add the 1-body energies of the model (default true; .uf3 models have none). */
  includeOneBody?: boolean;
}

/** Everything a worker needs to build a UF3 range kernel (structured-clone safe). */
export interface UF3KernelData extends UF3Options {
  model: UF3Model;
  species: string[];
  pbc: Pbc;
}

/** Element type (index into model.elements) of every atom; InputError names an element the model lacks. */
export function speciesTypes(model: UF3Model, species: readonly string[]): Int32Array {
  const idx = new Map(model.elements.map((e, i) => [e, i]));
  return Int32Array.from(species, (e, i) => {
    const t = idx.get(e);
    if (t === undefined) throw new InputError(`the UF3 potential has no parameters for ${e} (atom ${i}); it knows ${model.elements.join(', ')}`);
    return t;
  });
}

/** A UF3 kernel bound to one system: owns the type map, its neighbour list and the 1-body offsets. */
export class UF3RangeKernel {
  readonly natoms: number;
  readonly kernel: UF3Kernel;
  readonly types: Int32Array;
  private readonly e1: Float64Array;
  private readonly pbc: Pbc;
  private readonly skin: number;
  private nl: VerletNeighborList;

  constructor(data: UF3KernelData) {
    this.kernel = new UF3Kernel(data.model, { belowRange: data.belowRange });
    this.types = speciesTypes(data.model, data.species);
    this.natoms = data.species.length;
    this.pbc = [data.pbc[0], data.pbc[1], data.pbc[2]];
    this.skin = data.skin ?? 1;
    if (!(this.skin >= 0 && Number.isFinite(this.skin))) throw new InputError(`UF3 Verlet skin must be a finite number ≥ 0 Å, got ${data.skin}`);
    const withOneBody = data.includeOneBody ?? true;
    this.e1 = Float64Array.from(data.model.elements, (e) => (withOneBody ? data.model.oneBody[e] ?? 0 : 0));
    this.nl = new VerletNeighborList(this.kernel.cutoff, this.skin, { full: true });
  }

  /** Brings the neighbour list up to date for these positions (Å) and cell. */
  prepare(positions: Float64Array, cell: Mat3): void {
    if (positions.length !== 3 * this.natoms) throw new InputError(`positions hold ${positions.length} numbers for ${this.natoms} atoms`);
    this.nl.update(positions, cell, this.pbc);
  }

  /**
   * Adds forces (eV/Å) and virial (eV) of centre atoms [i0, i1) to the buffers and returns their energy
   * (eV, including their 1-body terms); call prepare first. Per-atom energies are added to `energies`.
   */
  computeRange(positions: Float64Array, cell: Mat3, i0: number, i1: number, forces: Float64Array, virial: Float64Array, energies?: Float64Array): number {
    let e = this.kernel.computeRange(i0, i1, positions, cell, this.types, this.nl.list, forces, virial, energies);
    for (let i = i0; i < i1; i++) {
      const v = this.e1[this.types[i]];
      e += v;
      if (energies) energies[i] += v;
    }
    return e;
  }

  /**
   * Relative cost of each centre atom for thread ranges (call after prepare): list entries + owned 2-body pairs
   * + 3 × evaluated triplets (fitted to the serial time of atom blocks of computeRange for two Li3PS4 potentials,
   * crystal and glass, atoms listed element by element: block costs within ±5 %). Deterministic: counts only.
   */
  atomCosts(positions: Float64Array, cell: Mat3): Float64Array {
    const n = this.natoms, c = this.kernel.centreCounts(positions, cell, this.types, this.nl.list, new Float64Array(3 * n));
    return Float64Array.from({ length: n }, (_, i) => c[3 * i] + c[3 * i + 1] + 3 * c[3 * i + 2]);
  }

  /** Forces a neighbour-list rebuild at the next prepare. */
  resetNeighbors(): void {
    this.nl = new VerletNeighborList(this.kernel.cutoff, this.skin, { full: true });
  }
}

/** Builds a UF3 range kernel from serialisable data (the factory named in kernelSpec; used by workers). */
export function createUF3RangeKernel(data: UF3KernelData): UF3RangeKernel {
  return new UF3RangeKernel(data);
}

/** Serial calculator over a UF3 range kernel. */
export class UF3Calculator implements Calculator {
  constructor(readonly rangeKernel: UF3RangeKernel) {}

  /** Energy (eV), forces (eV/Å) and virial (eV) for positions (Å) and cell (rows, Å). */
  compute(positions: Float64Array, cell: Mat3, out?: ForceResult): ForceResult {
    const n = this.rangeKernel.natoms;
    const res = out ?? { energy: 0, forces: new Float64Array(3 * n), virial: new Float64Array(9) };
    res.forces.fill(0);
    res.virial.fill(0);
    const en = res.energies && res.energies.length === n ? res.energies : undefined;
    en?.fill(0);
    this.rangeKernel.prepare(positions, cell);
    res.energy = this.rangeKernel.computeRange(positions, cell, 0, n, res.forces, res.virial, en);
    return res;
  }

  /** Forces a neighbour-list rebuild at the next compute. */
  resetNeighbors(): void {
    this.rangeKernel.resetNeighbors();
  }
}

/** A UF3 potential (LAMMPS pair_style uf3 semantics, plus 1-body energies when the model has them). */
export class UF3Potential implements Potential {
  readonly name: string;
  readonly cutoff: number;
  readonly elements: readonly string[];

  constructor(readonly model: UF3Model, readonly options: UF3Options = {}) {
    validateModel(model);
    this.name = typeof model.meta?.name === 'string' ? model.meta.name : 'uf3';
    this.elements = [...model.elements];
    let rc = 0;
    for (const t of model.twoBody) rc = Math.max(rc, t.cutoff);
    this.cutoff = rc;
  }

  /** A calculator for these species (InputError for an element the model lacks). */
  bind(species: readonly string[], pbc: Pbc): UF3Calculator {
    return new UF3Calculator(new UF3RangeKernel(this.kernelData(species, pbc)));
  }

  /** The serialisable data a worker builds its kernel from. */
  kernelData(species: readonly string[], pbc: Pbc): UF3KernelData {
    speciesTypes(this.model, species);
    return { model: this.model, species: [...species], pbc: [pbc[0], pbc[1], pbc[2]], ...this.options };
  }

  /** Worker recipe: `require(module)[factory](data)` builds a UF3RangeKernel. */
  kernelSpec(species: readonly string[], pbc: Pbc): { module: string; factory: string; data: UF3KernelData } {
    return { module: __filename, factory: 'createUF3RangeKernel', data: this.kernelData(species, pbc) };
  }
}
