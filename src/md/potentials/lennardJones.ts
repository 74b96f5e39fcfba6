/**
 * Multi-species Lennard-Jones potential (LAMMPS `lj/cut`), optionally shifted to zero at each pair's cutoff:
 *   V(r) = 4ε[(σ/r)¹² − (σ/r)⁶] − V_shift,  r < r_c,   V_shift = 4ε[(σ/r_c)¹² − (σ/r_c)⁶] when shifted, else 0.
 * Pairs not given explicitly use Lorentz–Berthelot mixing (σ = (σ_a+σ_b)/2, ε = √(ε_a ε_b), r_c = max).
 * Evaluated over a half Verlet list; works as a serial Calculator and as a RangeKernel for workers.
 * Units: ε eV, σ and r_c Å; forces eV/Å; virial W = Σ r⊗f (eV).
 */
import { InputError } from '../../core/errors';
import type { Mat3, Pbc } from '../../core/cell';
import type { Calculator, Potential } from '../../core/potential';
import { VerletNeighborList } from '../../core/neighbors';
import { RangeKernel, SerialKernelCalculator, KernelSpec } from '../parallel/kernel';

/** Parameters of one element pair. */
export interface LJPair {
  /** Well depth, eV. */
  epsilon: number;
  /** Zero crossing, Å. */
  sigma: number;
  /** Cutoff, Å. */
  cutoff: number;
}

/** Serialisable definition of an LJ potential. */
export interface LennardJonesParams {
  /** Pair parameters keyed "A-B" (either order); same-element pairs "A-A" feed the mixing rule. */
  pairs: Record<string, LJPair>;
  /** Shift each pair to zero energy at its cutoff (default true; LAMMPS lj/cut default is false). */
  shift?: boolean;
  /** Verlet skin, Å (default 1). */
  skin?: number;
}

/** Data a kernel is built from (serialisable). */
export interface LJKernelData {
  params: LennardJonesParams;
  species: string[];
  pbc: Pbc;
}

interface PairTable { elements: string[]; eps: Float64Array; sig: Float64Array; rc: Float64Array }

function pairTable(params: LennardJonesParams): PairTable {
  if (!params || typeof params.pairs !== 'object' || params.pairs === null) throw new InputError('Lennard-Jones parameters need a "pairs" object');
  const elements: string[] = [];
  const given = new Map<string, LJPair>();
  for (const [key, p] of Object.entries(params.pairs)) {
    const parts = key.split('-');
    if (parts.length !== 2 || !parts[0] || !parts[1]) throw new InputError(`Lennard-Jones pair key ${JSON.stringify(key)} must look like "Ne-Xe"`);
    for (const [name, v] of [['epsilon', p?.epsilon], ['sigma', p?.sigma], ['cutoff', p?.cutoff]] as const)
      if (!(typeof v === 'number' && Number.isFinite(v) && (name === 'epsilon' ? v >= 0 : v > 0)))
        throw new InputError(`Lennard-Jones pair ${key}: ${name} must be a ${name === 'epsilon' ? 'non-negative' : 'positive'} number (${name === 'epsilon' ? 'eV' : 'Å'}), got ${JSON.stringify(v)}`);
    for (const e of parts) if (!elements.includes(e)) elements.push(e);
    const [a, b] = parts;
    if (given.has(`${a}-${b}`) || given.has(`${b}-${a}`)) throw new InputError(`Lennard-Jones pair ${key} is given twice`);
    given.set(`${a}-${b}`, p);
  }
  const t = elements.length;
  const eps = new Float64Array(t * t), sig = new Float64Array(t * t), rc = new Float64Array(t * t);
  for (let a = 0; a < t; a++)
    for (let b = 0; b < t; b++) {
      const ea = elements[a], eb = elements[b];
      let p = given.get(`${ea}-${eb}`) ?? given.get(`${eb}-${ea}`);
      if (!p) {
        const pa = given.get(`${ea}-${ea}`), pb = given.get(`${eb}-${eb}`);
        if (!pa || !pb) throw new InputError(`Lennard-Jones pair ${ea}-${eb} is missing and cannot be mixed (needs ${ea}-${ea} and ${eb}-${eb})`);
        p = { epsilon: Math.sqrt(pa.epsilon * pb.epsilon), sigma: 0.5 * (pa.sigma + pb.sigma), cutoff: Math.max(pa.cutoff, pb.cutoff) };
      }
      eps[a * t + b] = p.epsilon; sig[a * t + b] = p.sigma; rc[a * t + b] = p.cutoff;
    }
  return { elements, eps, sig, rc };
}

/** A Lennard-Jones Potential. */
export class LennardJones implements Potential {
  readonly name = 'lennard-jones';
  readonly cutoff: number;
  readonly elements: readonly string[];

  constructor(readonly params: LennardJonesParams) {
    const tab = pairTable(params);
    if (params.skin !== undefined && !(params.skin >= 0)) throw new InputError(`Lennard-Jones skin must be ≥ 0 Å, got ${params.skin}`);
    this.elements = tab.elements;
    this.cutoff = Math.max(...tab.rc);
  }

  bind(species: readonly string[], pbc: Pbc): SerialKernelCalculator & Calculator {
    return new SerialKernelCalculator(createLennardJonesKernel({ params: this.params, species: [...species], pbc }));
  }

  /** Worker recipe for parallel evaluation of this potential on these species. */
  kernelSpec(species: readonly string[], pbc: Pbc): KernelSpec {
    return { module: __filename, factory: 'createLennardJonesKernel', data: { params: this.params, species: [...species], pbc } satisfies LJKernelData };
  }
}

/** Builds an LJ range kernel from serialisable data (also called inside worker threads). */
export function createLennardJonesKernel(data: LJKernelData): RangeKernel {
  return new LJKernel(data);
}

class LJKernel implements RangeKernel {
  readonly natoms: number;
  private readonly types: Int32Array;
  private readonly nt: number;
  private readonly c12: Float64Array; private readonly c6: Float64Array;
  private readonly e12: Float64Array; private readonly e6: Float64Array;
  private readonly rc2: Float64Array; private readonly vshift: Float64Array;
  private nl: VerletNeighborList;
  private readonly pbc: Pbc;
  private readonly cutoff: number;
  private readonly skin: number;

  constructor(data: LJKernelData) {
    const tab = pairTable(data.params);
    const idx = new Map(tab.elements.map((e, i) => [e, i]));
    this.natoms = data.species.length;
    this.types = Int32Array.from(data.species, (e, i) => {
      const t = idx.get(e);
      if (t === undefined) throw new InputError(`Lennard-Jones potential has no parameters for ${e} (atom ${i}); it knows ${tab.elements.join(', ')}`);
      return t;
    });
    const t = (this.nt = tab.elements.length);
    const shift = data.params.shift ?? true;
    this.c12 = new Float64Array(t * t); this.c6 = new Float64Array(t * t);
    this.e12 = new Float64Array(t * t); this.e6 = new Float64Array(t * t);
    this.rc2 = new Float64Array(t * t); this.vshift = new Float64Array(t * t);
    for (let k = 0; k < t * t; k++) {
      const e = tab.eps[k], s6 = tab.sig[k] ** 6, s12 = s6 * s6, rc = tab.rc[k];
      this.c12[k] = 48 * e * s12; this.c6[k] = 24 * e * s6;
      this.e12[k] = 4 * e * s12; this.e6[k] = 4 * e * s6;
      this.rc2[k] = rc * rc;
      this.vshift[k] = shift ? 4 * e * (s12 / rc ** 12 - s6 / rc ** 6) : 0;
    }
    this.pbc = [...data.pbc] as Pbc;
    this.cutoff = Math.max(...tab.rc);
    this.skin = data.params.skin ?? 1;
    this.nl = new VerletNeighborList(this.cutoff, this.skin, { full: false });
  }

  prepare(positions: Float64Array, cell: Mat3): void {
    if (positions.length !== 3 * this.natoms) throw new InputError(`positions hold ${positions.length} numbers for ${this.natoms} atoms`);
    this.nl.update(positions, cell, this.pbc);
  }

  /** Relative cost of each centre atom: 1 + its half-list entries. */
  atomCosts(): Float64Array {
    const { start } = this.nl.list;
    return Float64Array.from({ length: this.natoms }, (_, i) => 1 + start[i + 1] - start[i]);
  }

  resetNeighbors(): void {
    this.nl = new VerletNeighborList(this.cutoff, this.skin, { full: false });
  }

  computeRange(x: Float64Array, h: Mat3, i0: number, i1: number, f: Float64Array, w: Float64Array, energies?: Float64Array): number {
    const { start, index, image } = this.nl.list;
    const types = this.types, nt = this.nt, rc2 = this.rc2, c12 = this.c12, c6 = this.c6, e12 = this.e12, e6 = this.e6, vs = this.vshift;
    const h0 = h[0], h1 = h[1], h2 = h[2], h3 = h[3], h4 = h[4], h5 = h[5], h6 = h[6], h7 = h[7], h8 = h[8];
    let energy = 0, wxx = 0, wxy = 0, wxz = 0, wyy = 0, wyz = 0, wzz = 0;
    for (let i = i0; i < i1; i++) {
      const xi = x[3 * i], yi = x[3 * i + 1], zi = x[3 * i + 2], ti = types[i] * nt;
      let fxi = 0, fyi = 0, fzi = 0;
      for (let e = start[i], end = start[i + 1]; e < end; e++) {
        const j = index[e], n0 = image[3 * e], n1 = image[3 * e + 1], n2 = image[3 * e + 2];
        const dx = x[3 * j] + n0 * h0 + n1 * h3 + n2 * h6 - xi;
        const dy = x[3 * j + 1] + n0 * h1 + n1 * h4 + n2 * h7 - yi;
        const dz = x[3 * j + 2] + n0 * h2 + n1 * h5 + n2 * h8 - zi;
        const r2 = dx * dx + dy * dy + dz * dz, k = ti + types[j];
        if (r2 >= rc2[k]) continue;
        if (!(r2 > 0)) throw new InputError(`atoms ${i} and ${j} coincide (distance ${Math.sqrt(r2)} Å)`);
        const ir2 = 1 / r2, ir6 = ir2 * ir2 * ir2;
        const fpair = ir6 * (c12[k] * ir6 - c6[k]) * ir2; // −(dV/dr)/r
        const v = ir6 * (e12[k] * ir6 - e6[k]) - vs[k];
        energy += v;
        if (energies) { energies[i] += 0.5 * v; energies[j] += 0.5 * v; }
        const fx = fpair * dx, fy = fpair * dy, fz = fpair * dz;
        fxi -= fx; fyi -= fy; fzi -= fz;
        f[3 * j] += fx; f[3 * j + 1] += fy; f[3 * j + 2] += fz;
        wxx += dx * fx; wxy += dx * fy; wxz += dx * fz; wyy += dy * fy; wyz += dy * fz; wzz += dz * fz;
      }
      f[3 * i] += fxi; f[3 * i + 1] += fyi; f[3 * i + 2] += fzi;
    }
    w[0] += wxx; w[1] += wxy; w[2] += wxz; w[3] += wxy; w[4] += wyy; w[5] += wyz; w[6] += wxz; w[7] += wyz; w[8] += wzz;
    return energy;
  }
}
