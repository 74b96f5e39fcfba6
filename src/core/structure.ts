/**
 * Structure: one configuration of atoms (ASE's Atoms idea, with flat typed arrays).
 * species[i] is an element symbol, positions is Float64Array(3N) in Å, cell rows are lattice
 * vectors (Å), pbc per lattice direction; optional per-atom arrays (forces eV/Å, velocities Å/fs,
 * efg V/Å² as 9 components row-major, charges e, …) and per-frame info (energy eV, stress eV/Å³ …).
 */
import { InputError } from './errors';
import { isElement, atomicMass } from './elements';
import { Mat3, Pbc, volume, wrapPositions, fractionalToCartesian, cartesianToFractional } from './cell';

/** A per-atom array: `width` values per atom, stored flat (atom-major). */
export type AtomArray =
  | { kind: 'float'; width: number; data: Float64Array }
  | { kind: 'int'; width: number; data: Int32Array }
  | { kind: 'bool'; width: number; data: Uint8Array }
  | { kind: 'string'; width: number; data: string[] };

/** A per-frame info value as found in extended XYZ comment lines and similar headers. */
export type InfoValue = number | string | boolean | number[] | string[] | boolean[];

/** One configuration. Conventional array names: forces, velocities, efg, charges, masses, ms. */
export interface Structure {
  species: string[];
  /** Cartesian positions, Å, flat [x0,y0,z0,x1,…]. */
  positions: Float64Array;
  /** Rows are lattice vectors, Å. All zeros for a non-periodic structure without a cell. */
  cell: Mat3;
  pbc: Pbc;
  arrays: Record<string, AtomArray>;
  /** Per-frame values: energy (eV), stress (9, eV/Å³, row-major), virial (9, eV), free text … */
  info: Record<string, InfoValue>;
}

/** Options accepted by {@link createStructure}. */
export interface StructureInit {
  species: string[];
  positions: ArrayLike<number>;
  cell?: ArrayLike<number>;
  pbc?: Pbc | boolean;
  arrays?: Record<string, AtomArray>;
  info?: Record<string, InfoValue>;
}

/** Builds a validated Structure (checks counts, elements, finite numbers, cell consistency). */
export function createStructure(init: StructureInit): Structure {
  const n = init.species.length;
  const positions = Float64Array.from(init.positions);
  const cell = init.cell ? Float64Array.from(init.cell) : new Float64Array(9);
  const pbc: Pbc = typeof init.pbc === 'boolean' ? [init.pbc, init.pbc, init.pbc] : init.pbc ? [...init.pbc] as Pbc : init.cell ? [true, true, true] : [false, false, false];
  const s: Structure = { species: [...init.species], positions, cell, pbc, arrays: { ...(init.arrays ?? {}) }, info: { ...(init.info ?? {}) } };
  validateStructure(s);
  void n;
  return s;
}

/** Throws InputError when the structure is inconsistent (counts, unknown elements, NaN, singular periodic cell). */
export function validateStructure(s: Structure): void {
  const n = s.species.length;
  if (s.positions.length !== 3 * n) throw new InputError(`positions hold ${s.positions.length} numbers for ${n} atoms (expected ${3 * n})`);
  for (let i = 0; i < n; i++) if (!isElement(s.species[i])) throw new InputError(`unknown element ${JSON.stringify(s.species[i])} for atom ${i}`);
  for (let i = 0; i < s.positions.length; i++)
    if (!Number.isFinite(s.positions[i])) throw new InputError(`non-finite coordinate for atom ${Math.floor(i / 3)}`);
  if (s.cell.length !== 9) throw new InputError(`cell must have 9 numbers, got ${s.cell.length}`);
  for (let i = 0; i < 9; i++) if (!Number.isFinite(s.cell[i])) throw new InputError('non-finite cell component');
  if (s.pbc.some(Boolean)) {
    const v = volume(s.cell);
    if (!(v > 1e-12)) throw new InputError(`periodic structure has a degenerate cell (volume ${v} Å³)`);
  }
  for (const [name, a] of Object.entries(s.arrays)) {
    if (!(a.width >= 1) || a.data.length !== a.width * n)
      throw new InputError(`per-atom array ${JSON.stringify(name)} has ${a.data.length} values, expected ${n} atoms × ${a.width}`);
  }
}

/** Number of atoms. */
export function natoms(s: Structure): number {
  return s.species.length;
}

/** Deep copy. */
export function cloneStructure(s: Structure): Structure {
  const arrays: Record<string, AtomArray> = {};
  for (const [k, a] of Object.entries(s.arrays)) arrays[k] = copyArray(a);
  const info: Record<string, InfoValue> = {};
  for (const [k, v] of Object.entries(s.info)) info[k] = Array.isArray(v) ? ([...v] as InfoValue) : v;
  return { species: [...s.species], positions: Float64Array.from(s.positions), cell: Float64Array.from(s.cell), pbc: [...s.pbc] as Pbc, arrays, info };
}

function copyArray(a: AtomArray): AtomArray {
  switch (a.kind) {
    case 'float': return { kind: 'float', width: a.width, data: Float64Array.from(a.data) };
    case 'int': return { kind: 'int', width: a.width, data: Int32Array.from(a.data) };
    case 'bool': return { kind: 'bool', width: a.width, data: Uint8Array.from(a.data) };
    case 'string': return { kind: 'string', width: a.width, data: [...a.data] };
  }
}

/** A float per-atom array (width values per atom). */
export function floatArray(width: number, data: ArrayLike<number>): AtomArray {
  return { kind: 'float', width, data: Float64Array.from(data) };
}

/** The float per-atom array `name`, or undefined. Throws when it exists with another kind or width. */
export function getFloatArray(s: Structure, name: string, width?: number): Float64Array | undefined {
  const a = s.arrays[name];
  if (!a) return undefined;
  if (a.kind !== 'float' && a.kind !== 'int') throw new InputError(`per-atom array ${JSON.stringify(name)} is ${a.kind}, expected numbers`);
  if (width !== undefined && a.width !== width) throw new InputError(`per-atom array ${JSON.stringify(name)} has width ${a.width}, expected ${width}`);
  return a.kind === 'float' ? a.data : Float64Array.from(a.data);
}

/** Per-atom masses (amu): the `masses` array when present, else standard atomic masses. */
export function masses(s: Structure): Float64Array {
  const m = getFloatArray(s, 'masses', 1);
  if (m) return m;
  const cache = new Map<string, number>();
  const out = new Float64Array(s.species.length);
  s.species.forEach((e, i) => {
    let v = cache.get(e);
    if (v === undefined) cache.set(e, (v = atomicMass(e)));
    out[i] = v;
  });
  return out;
}

/** Total mass density, g/cm³. */
export function density(s: Structure): number {
  let m = 0;
  for (const x of masses(s)) m += x;
  return (m * 1.66053906660) / volume(s.cell); // amu/Å³ → g/cm³
}

/** Distinct element symbols in order of first appearance. */
export function uniqueSpecies(s: Structure): string[] {
  return [...new Set(s.species)];
}

/** Element counts, e.g. {Li: 12, P: 4, S: 16}. */
export function composition(s: Structure): Record<string, number> {
  const out: Record<string, number> = {};
  for (const e of s.species) out[e] = (out[e] ?? 0) + 1;
  return out;
}

/** Hill-ordered-free chemical formula in order of first appearance, e.g. "Li12P4S16". */
export function formula(s: Structure): string {
  return Object.entries(composition(s)).map(([e, n]) => (n === 1 ? e : `${e}${n}`)).join('');
}

/**
 * Species as type indices into typeMap (Int32Array), for hot loops. Throws InputError naming the
 * element when a species is not in typeMap.
 */
export function speciesIndices(s: Structure, typeMap: readonly string[]): Int32Array {
  const idx = new Map(typeMap.map((e, i) => [e, i]));
  const out = new Int32Array(s.species.length);
  for (let i = 0; i < out.length; i++) {
    const t = idx.get(s.species[i]);
    if (t === undefined) throw new InputError(`element ${s.species[i]} (atom ${i}) is not among ${JSON.stringify(typeMap)}`);
    out[i] = t;
  }
  return out;
}

/** Indices of atoms of one element. */
export function indicesOf(s: Structure, symbol: string): Int32Array {
  const out: number[] = [];
  s.species.forEach((e, i) => { if (e === symbol) out.push(i); });
  return Int32Array.from(out);
}

/** A copy with positions wrapped into the cell along periodic directions. */
export function wrapped(s: Structure): Structure {
  const c = cloneStructure(s);
  c.positions = wrapPositions(s.cell, s.pbc, s.positions);
  return c;
}

/** Fractional coordinates of all atoms. */
export function scaledPositions(s: Structure): Float64Array {
  return cartesianToFractional(s.cell, s.positions);
}

/**
 * Supercell na×nb×nc. Atom order: all atoms of image (0,0,0), then image (0,0,1), … (c fastest);
 * per-atom arrays are repeated, extensive info (energy, virial) is multiplied, stress kept.
 */
export function supercell(s: Structure, reps: [number, number, number]): Structure {
  const [na, nb, nc] = reps;
  if (![na, nb, nc].every((k) => Number.isInteger(k) && k >= 1)) throw new InputError(`supercell repetitions must be positive integers, got ${reps.join('×')}`);
  const n = s.species.length, m = na * nb * nc;
  const frac = cartesianToFractional(s.cell, s.positions);
  const nf = new Float64Array(3 * n * m);
  const species: string[] = [];
  let img = 0;
  for (let a = 0; a < na; a++)
    for (let b = 0; b < nb; b++)
      for (let c = 0; c < nc; c++, img++) {
        for (let i = 0; i < n; i++) {
          const o = 3 * (img * n + i);
          nf[o] = (frac[3 * i] + a) / na;
          nf[o + 1] = (frac[3 * i + 1] + b) / nb;
          nf[o + 2] = (frac[3 * i + 2] + c) / nc;
          species.push(s.species[i]);
        }
      }
  const cell = Float64Array.from(s.cell);
  for (let k = 0; k < 3; k++) { cell[k] *= na; cell[3 + k] *= nb; cell[6 + k] *= nc; }
  const positions = fractionalToCartesian(cell, nf);
  // exact copies of the original coordinates shifted by integer lattice vectors (avoid round-off)
  img = 0;
  for (let a = 0; a < na; a++)
    for (let b = 0; b < nb; b++)
      for (let c = 0; c < nc; c++, img++)
        for (let i = 0; i < n; i++)
          for (let k = 0; k < 3; k++)
            positions[3 * (img * n + i) + k] = s.positions[3 * i + k] + a * s.cell[k] + b * s.cell[3 + k] + c * s.cell[6 + k];
  const arrays: Record<string, AtomArray> = {};
  for (const [name, arr] of Object.entries(s.arrays)) arrays[name] = repeatArray(arr, m);
  const info: Record<string, InfoValue> = { ...s.info };
  for (const key of ['energy', 'free_energy']) if (typeof info[key] === 'number') info[key] = (info[key] as number) * m;
  if (Array.isArray(info.virial)) info.virial = (info.virial as number[]).map((v) => v * m);
  return { species, positions, cell, pbc: [...s.pbc] as Pbc, arrays, info };
}

function repeatArray(a: AtomArray, m: number): AtomArray {
  const len = a.data.length;
  switch (a.kind) {
    case 'float': { const d = new Float64Array(len * m); for (let k = 0; k < m; k++) d.set(a.data, k * len); return { kind: 'float', width: a.width, data: d }; }
    case 'int': { const d = new Int32Array(len * m); for (let k = 0; k < m; k++) d.set(a.data, k * len); return { kind: 'int', width: a.width, data: d }; }
    case 'bool': { const d = new Uint8Array(len * m); for (let k = 0; k < m; k++) d.set(a.data, k * len); return { kind: 'bool', width: a.width, data: d }; }
    case 'string': { const d: string[] = []; for (let k = 0; k < m; k++) d.push(...a.data); return { kind: 'string', width: a.width, data: d }; }
  }
}

/** Applies a rotation R (3×3 row-major) to positions, cell rows and vector/tensor per-atom arrays. */
export function rotateStructure(s: Structure, R: ArrayLike<number>): Structure {
  const c = cloneStructure(s);
  const rot = (v: Float64Array) => {
    for (let i = 0; i < v.length; i += 3) {
      const x = v[i], y = v[i + 1], z = v[i + 2];
      v[i] = R[0] * x + R[1] * y + R[2] * z;
      v[i + 1] = R[3] * x + R[4] * y + R[5] * z;
      v[i + 2] = R[6] * x + R[7] * y + R[8] * z;
    }
  };
  rot(c.positions);
  rot(c.cell);
  for (const a of Object.values(c.arrays)) {
    if (a.kind !== 'float') continue;
    if (a.width === 3) rot(a.data);
    else if (a.width === 9) {
      for (let i = 0; i < a.data.length; i += 9) {
        const t = a.data.subarray(i, i + 9);
        const rt = new Float64Array(9);
        for (let p = 0; p < 3; p++) for (let q = 0; q < 3; q++) {
          let acc = 0;
          for (let u = 0; u < 3; u++) for (let v = 0; v < 3; v++) acc += R[3 * p + u] * t[3 * u + v] * R[3 * q + v];
          rt[3 * p + q] = acc;
        }
        t.set(rt);
      }
    }
  }
  return c;
}
