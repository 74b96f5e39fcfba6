/** Interatomic contact checks of study structures (collapsed structures, unphysical bonds). */
import { existsSync } from 'node:fs';
import { InputError } from '../core/errors';
import { buildNeighborList } from '../core/neighbors/build';
import { neighborVectors } from '../core/neighbors/vectors';
import type { Structure } from '../core/structure';
import { readStructure } from '../io/formats';

/** Shortest distance (Å) between atoms of each element pair (e.g. "Li-S"), up to 4 Å (pairs farther apart are left out). */
export function shortestDistances(s: Structure, cutoffA = 4): Record<string, number> {
  const list = buildNeighborList(s.positions, s.cell, s.pbc, cutoffA, { full: false });
  const v = neighborVectors(list, s.positions, s.cell);
  const out: Record<string, number> = {};
  for (let i = 0; i < s.species.length; i++) for (let q = list.start[i]; q < list.start[i + 1]; q++) {
    const key = [s.species[i], s.species[list.index[q]]].sort().join('-');
    const d = Math.hypot(v[3 * q], v[3 * q + 1], v[3 * q + 2]);
    if (!(d >= (out[key] ?? Infinity))) out[key] = d;
  }
  return out;
}

/**
 * Throws when two atoms of a structure file are closer than `minA` (Å): a potential extrapolated below its data
 * (belowRange "extrapolate") can let atoms fuse without any other sign, and a study must not go on from that.
 */
export function checkContacts(file: string, minA: number): void {
  if (!existsSync(file)) return;
  const d = shortestDistances(readStructure(file), Math.max(minA, 0.5));
  const bad = Object.entries(d).filter(([, v]) => v < minA);
  if (bad.length) throw new InputError(`${file}: atoms closer than ${minA} Å (${bad.map(([k, v]) => `${k} ${v.toFixed(2)} Å`).join(', ')}): the structure collapsed; check the potential (belowRange) or lower the temperature`);
}
