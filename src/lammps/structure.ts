/**
 * The starting structure of an md.json as a LAMMPS data file: the configured frame and supercell, rotated
 * into LAMMPS's lower-triangular frame when needed (positions, cell and velocities together), tilt factors
 * reduced into LAMMPS's ranges (the same lattice), one mass per type (md.json masses, else the structure's,
 * else standard) and atom types in the potential's element order.
 */
import { InputError } from '../core/errors';
import { atomicMass } from '../core/elements';
import { Structure, cloneStructure, floatArray, getFloatArray, supercell } from '../core/structure';
import type { MDConfig } from '../md/config';
import { readStructure } from '../io/formats';
import { toLammpsOrientation } from '../io/lammps-common';
import { formatLammpsData } from '../io/lammps-data';

/** The data file and what the deck needs to know about it. */
export interface StructureExport {
  /** Data file text. */
  text: string;
  /** The structure as written (LAMMPS frame; velocities Å/fs). */
  structure: Structure;
  /** Mass of each type (amu), index type−1. */
  massesAmu: number[];
  /** Atoms of each type, index type−1. */
  counts: number[];
  /** Rotation R (3×3 row-major, r' = R·r) applied to reach the LAMMPS frame; undefined when none was needed. */
  rotation?: Float64Array;
  /** True when the box has non-zero tilt factors (a triclinic LAMMPS box). */
  triclinic: boolean;
  /** True when tilt factors were reduced by lattice vectors (same crystal, other cell vectors). */
  tiltsReduced: boolean;
}

/** The initial structure of a config: its frame and supercell (as `ufnmr md` builds it). */
export function initialStructure(cfg: MDConfig): Structure {
  const s = readStructure(cfg.structure, { index: cfg.frame, typeMap: cfg.typeMap });
  return cfg.supercell ? supercell(s, cfg.supercell) : s;
}

/** Per-element masses (amu): md.json `masses`, else the structure's uniform per-element masses, else standard. */
export function elementMasses(s: Structure, elements: readonly string[], configMasses: Record<string, number> | undefined, where: string): number[] {
  const m = getFloatArray(s, 'masses', 1);
  return elements.map((e) => {
    const c = configMasses?.[e];
    if (c !== undefined) return c;
    if (!m) return atomicMass(e);
    let v: number | undefined;
    for (let i = 0; i < s.species.length; i++) {
      if (s.species[i] !== e) continue;
      if (v === undefined) v = m[i];
      else if (m[i] !== v) throw new InputError(`${where}: the structure gives ${e} atoms different masses (${v}, ${m[i]} amu); LAMMPS atom_style atomic has one mass per type — set "masses": {"${e}": …} in the config`);
    }
    return v ?? atomicMass(e);
  });
}

/**
 * Shifts the tilt factors of a lower-triangular cell (rows a, b, c) into LAMMPS's ranges
 * |xy| ≤ lx/2, |xz| ≤ lx/2, |yz| ≤ ly/2 by adding lattice vectors (c −= round(yz/ly)·b, then
 * c −= round(xz/lx)·a, b −= round(xy/lx)·a), after zeroing round-off tilts (< 1e-12 of the box length,
 * e.g. of a rotated orthogonal cell); returns the new cell and whether it changed.
 */
export function reduceTilts(cell: Float64Array): { cell: Float64Array; changed: boolean } {
  const c = Float64Array.from(cell);
  // round-off tilts of a rotated orthogonal cell (|tilt| < 1e-12 of the box length) are zero
  for (const [k, len] of [[3, c[0]], [6, c[0]], [7, c[4]]]) if (Math.abs(c[k]) < 1e-12 * len) c[k] = 0;
  const sub = (row: number, by: number, k: number) => { if (k !== 0) for (let j = 0; j < 3; j++) c[3 * row + j] -= k * c[3 * by + j]; };
  sub(2, 1, Math.round(c[7] / c[4]));
  sub(2, 0, Math.round(c[6] / c[0]));
  sub(1, 0, Math.round(c[3] / c[0]));
  return { cell: c, changed: c.some((x, k) => x !== cell[k]) };
}

/**
 * The data file of a config's initial structure with types in `elements` order; velocities are written
 * only when `withVelocities` (md.json "velocities": "structure"). `where` names the config in messages.
 */
export function exportStructure(s0: Structure, elements: readonly string[], configMasses: Record<string, number> | undefined, withVelocities: boolean, where: string): StructureExport {
  const { structure: rotated, rotation } = toLammpsOrientation(s0);
  const s = rotated === s0 ? cloneStructure(s0) : rotated;
  const reduced = reduceTilts(s.cell);
  if (reduced.changed) {
    s.cell = reduced.cell;
    delete s.arrays.image; // image flags refer to the old cell vectors
  }
  const typeOf = new Map(elements.map((e, t) => [e, t]));
  const counts = elements.map(() => 0);
  for (const e of s.species) counts[typeOf.get(e)!]++;
  // types without atoms get the standard mass (as the data writer gives them)
  const masses = elementMasses(s, elements, configMasses, where).map((m, t) => (counts[t] > 0 ? m : atomicMass(elements[t])));
  const perAtom = Float64Array.from(s.species, (e) => masses[typeOf.get(e)!]);
  s.arrays.masses = floatArray(1, perAtom);
  delete s.arrays.type; // types come from `elements`
  if (!withVelocities) delete s.arrays.velocities;
  s.info.comment = `ufnmr export of ${where}: ${s.species.length} atoms, types ${elements.map((e, t) => `${t + 1}=${e}`).join(' ')}`;
  const text = formatLammpsData(s, { typeMap: elements, velocities: withVelocities });
  const triclinic = s.cell[3] !== 0 || s.cell[6] !== 0 || s.cell[7] !== 0;
  return { text, structure: s, massesAmu: masses, counts, rotation, triclinic, tiltsReduced: reduced.changed };
}
