/**
 * What LAMMPS data and dump files share: the box (lo/hi bounds and xy xz yz tilts ↔ cell rows),
 * rotation of a structure into LAMMPS's lower-triangular convention, type ↔ element mapping, and the
 * metal-unit velocity conversion (Å/ps in files, Å/fs in ufnmr).
 */
import { InputError, ParseError } from '../core/errors';
import { ELEMENTS, isElement, atomicMass } from '../core/elements';
import { toLowerTriangular } from '../core/cell';
import { Structure, rotateStructure, getFloatArray } from '../core/structure';
import { A_PER_PS_IN_A_PER_FS } from '../core/units';
import { shiftedExactly, Where } from './numbers';

/** Options shared by the LAMMPS readers. */
export interface LammpsReadOptions {
  /** Element of each atom type, index type−1 (e.g. ['Li', 'P', 'S']). Overrides masses. */
  typeMap?: readonly string[];
}

/** A LAMMPS box: bounds along x, y, z and the tilt factors. */
export interface LammpsBox {
  lo: [number, number, number];
  hi: [number, number, number];
  xy: number;
  xz: number;
  yz: number;
}

/** Cell rows a = (xhi−xlo, 0, 0), b = (xy, yhi−ylo, 0), c = (xz, yz, zhi−zlo) and the origin (lo). */
export function boxToCell(b: LammpsBox): { cell: Float64Array; origin: [number, number, number] } {
  return {
    cell: new Float64Array([b.hi[0] - b.lo[0], 0, 0, b.xy, b.hi[1] - b.lo[1], 0, b.xz, b.yz, b.hi[2] - b.lo[2]]),
    origin: [...b.lo],
  };
}

/** Box of a lower-triangular cell placed at `origin` (chooses hi so that hi − lo recovers the cell exactly). */
export function cellToBox(cell: Float64Array, origin: readonly number[] = [0, 0, 0]): LammpsBox {
  if (cell[1] !== 0 || cell[2] !== 0 || cell[5] !== 0) throw new InputError('cell is not lower-triangular (LAMMPS convention)');
  if (!(cell[0] > 0 && cell[4] > 0 && cell[8] > 0)) throw new InputError('LAMMPS box needs positive xhi−xlo, yhi−ylo, zhi−zlo');
  const hi = [0, 1, 2].map((k) => shiftedExactly(cell[4 * k], origin[k])) as [number, number, number];
  return { lo: [origin[0], origin[1], origin[2]], hi, xy: cell[3], xz: cell[6], yz: cell[7] };
}

/** True when the cell is already in LAMMPS's lower-triangular form with a positive diagonal. */
export function isLammpsCell(cell: Float64Array): boolean {
  return cell[1] === 0 && cell[2] === 0 && cell[5] === 0 && cell[0] > 0 && cell[4] > 0 && cell[8] > 0;
}

/**
 * The structure in LAMMPS orientation: unchanged when the cell is already lower-triangular, else
 * rotated (positions, cell and every 3-vector / 3×3 per-atom float array) by R from toLowerTriangular.
 */
export function toLammpsOrientation(s: Structure): { structure: Structure; rotation?: Float64Array } {
  if (!s.pbc.some(Boolean) && s.cell.every((x) => x === 0)) throw new InputError('LAMMPS files need a cell: this structure has none');
  if (isLammpsCell(s.cell)) return { structure: s };
  const { cell, rotation } = toLowerTriangular(s.cell);
  const r = rotateStructure(s, rotation);
  r.cell = cell;
  return { structure: r, rotation };
}

function loc(w: Where): { file: string; line?: number; array?: string } {
  return 'next' in w ? { file: w.file, line: w.lineNo > 0 ? w.lineNo : undefined } : w;
}

/** The element whose standard mass is within 0.1 amu of `mass`, if exactly one is. */
export function elementForMass(mass: number): string | undefined {
  const hits = ELEMENTS.filter((e) => Math.abs(e.mass - mass) < 0.1);
  return hits.length === 1 ? hits[0].symbol : undefined;
}

/**
 * Element of each type 1..ntypes (returned index type−1): from typeMap when given, else from the
 * Masses section; ParseError naming what is missing.
 */
export function elementsForTypes(ntypes: number, masses: (number | undefined)[] | undefined, typeMap: readonly string[] | undefined, where: Where): string[] {
  if (typeMap) {
    if (typeMap.length < ntypes) throw new ParseError(loc(where), `a type map with ${ntypes} elements`, typeMap.join(','));
    for (const e of typeMap) if (!isElement(e)) throw new ParseError(loc(where), 'element symbols in the type map', e);
    return typeMap.slice(0, ntypes);
  }
  if (!masses) throw new ParseError(loc(where), 'a Masses section or a type map (typeMap / --type-map Li,P,S) to name the atom types');
  return Array.from({ length: ntypes }, (_, t) => {
    const m = masses[t];
    if (m === undefined) throw new ParseError(loc(where), `a mass for atom type ${t + 1} (or a type map)`);
    const e = elementForMass(m);
    if (!e) throw new ParseError(loc(where), `a mass within 0.1 amu of exactly one element for type ${t + 1} (or a type map)`, String(m));
    return e;
  });
}

/**
 * Type number (1-based) of each atom and the element of each type for writing: from typeMap when
 * given, else a `type` int array when it agrees with the species, else species in order of first appearance.
 */
export function typesForWriting(s: Structure, typeMap?: readonly string[]): { types: Int32Array; elements: string[] } {
  const n = s.species.length;
  const types = new Int32Array(n);
  if (typeMap) {
    const idx = new Map(typeMap.map((e, i) => [e, i + 1]));
    for (let i = 0; i < n; i++) {
      const t = idx.get(s.species[i]);
      if (t === undefined) throw new InputError(`element ${s.species[i]} (atom ${i}) is not in the type map ${typeMap.join(',')}`);
      types[i] = t;
    }
    return { types, elements: [...typeMap] };
  }
  const ta = s.arrays.type;
  if (ta && ta.kind === 'int' && ta.width === 1) {
    const elements: string[] = [];
    let ok = true;
    for (let i = 0; i < n && ok; i++) {
      const t = ta.data[i];
      if (!(t >= 1 && t <= 10000)) { ok = false; break; }
      if (elements[t - 1] === undefined) elements[t - 1] = s.species[i];
      else if (elements[t - 1] !== s.species[i]) ok = false;
    }
    if (ok) {
      for (let t = 0; t < elements.length; t++) if (elements[t] === undefined) elements[t] = s.species[0] ?? 'H';
      types.set(ta.data);
      return { types, elements };
    }
  }
  const elements = [...new Set(s.species)];
  const idx = new Map(elements.map((e, i) => [e, i + 1]));
  for (let i = 0; i < n; i++) types[i] = idx.get(s.species[i])!;
  return { types, elements };
}

/** Mass of each type for writing: the `masses` array when it is uniform within each type, else standard masses. */
export function massesForWriting(s: Structure, types: Int32Array, elements: string[]): number[] {
  const per = elements.map((e) => atomicMass(e));
  const m = s.arrays.masses ? getFloatArray(s, 'masses', 1) : undefined;
  if (!m) return per;
  const seen = elements.map(() => NaN);
  for (let i = 0; i < types.length; i++) {
    const t = types[i] - 1;
    if (Number.isNaN(seen[t])) seen[t] = m[i];
    else if (seen[t] !== m[i]) return per;
  }
  return seen.map((v, t) => (Number.isNaN(v) ? per[t] : v));
}

/** Å/ps (LAMMPS metal) → Å/fs. */
export function velocityFromMetal(v: number): number {
  return v * A_PER_PS_IN_A_PER_FS;
}

/** Å/fs → Å/ps (LAMMPS metal). */
export function velocityToMetal(v: number): number {
  return v / A_PER_PS_IN_A_PER_FS;
}
