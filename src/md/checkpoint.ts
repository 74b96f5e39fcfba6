/**
 * MD checkpoints: one JSON file holding everything needed to continue a run bit-identically
 * (positions, velocities, forces, virial, cell, step, integrator/thermostat/barostat state incl. RNG
 * state, observer file offsets). Float arrays are stored as base64 of their little-endian float64
 * bytes (exact, −0 and all). Written atomically (temporary file + fsync + rename).
 */
import { existsSync, readFileSync } from 'node:fs';
import { ParseError, InputError } from '../core/errors';
import type { Pbc } from '../core/cell';
import { writeFileAtomic } from '../io/atomic';
import type { MDSystem } from './system';

/** Checkpoint contents. */
export interface Checkpoint {
  format: 'ufnmr-md-checkpoint';
  version: 1;
  step: number;
  timeFs: number;
  species: string[];
  pbc: Pbc;
  dof: number;
  masses: Float64Array;
  positions: Float64Array;
  velocities: Float64Array;
  forces: Float64Array;
  cell: Float64Array;
  virial: Float64Array;
  potentialEnergy: number;
  /** State of the stage integrator, observers, and anything else the run needs (JSON). */
  run: Record<string, unknown>;
  created: string;
}

const ARRAYS = ['masses', 'positions', 'velocities', 'forces', 'cell', 'virial'] as const;

/** Encodes a float64 array as base64 (little-endian bytes). */
export function encodeF64(a: Float64Array): string {
  const b = Buffer.alloc(a.length * 8);
  for (let i = 0; i < a.length; i++) b.writeDoubleLE(a[i], 8 * i);
  return b.toString('base64');
}

/** Decodes {@link encodeF64}; throws ParseError naming the array when malformed. */
export function decodeF64(s: unknown, file: string, name: string, expected?: number): Float64Array {
  if (typeof s !== 'string') throw new ParseError({ file, array: name }, 'a base64 string of float64 values', typeof s);
  const b = Buffer.from(s, 'base64');
  if (b.length % 8 !== 0 || (expected !== undefined && b.length !== expected * 8))
    throw new ParseError({ file, array: name }, `${expected ?? 'a whole number of'} float64 values`, `${b.length} bytes`);
  const out = new Float64Array(b.length / 8);
  for (let i = 0; i < out.length; i++) out[i] = b.readDoubleLE(8 * i);
  return out;
}

/** A checkpoint of the system plus run state. */
export function makeCheckpoint(sys: MDSystem, run: Record<string, unknown>): Checkpoint {
  return {
    format: 'ufnmr-md-checkpoint', version: 1, step: sys.step, timeFs: sys.timeFs, species: [...sys.species], pbc: [...sys.pbc] as Pbc,
    dof: sys.dof, masses: Float64Array.from(sys.masses), positions: Float64Array.from(sys.positions), velocities: Float64Array.from(sys.velocities),
    forces: Float64Array.from(sys.forces), cell: Float64Array.from(sys.cell), virial: Float64Array.from(sys.virial), potentialEnergy: sys.potentialEnergy,
    run, created: new Date().toISOString(),
  };
}

/** Writes a checkpoint atomically. */
export function writeCheckpoint(path: string, cp: Checkpoint): void {
  const obj: Record<string, unknown> = { ...cp };
  for (const k of ARRAYS) obj[k] = encodeF64(cp[k]);
  obj.potentialEnergy = encodeF64(new Float64Array([cp.potentialEnergy]));
  obj.timeFs = encodeF64(new Float64Array([cp.timeFs]));
  writeFileAtomic(path, JSON.stringify(obj));
}

/** Reads and validates a checkpoint file. */
export function readCheckpoint(path: string): Checkpoint {
  if (!existsSync(path)) throw new InputError(`checkpoint ${path} does not exist (nothing to resume)`);
  let o: Record<string, unknown>;
  try {
    o = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new ParseError({ file: path, line: 1 }, 'a JSON checkpoint', (e as Error).message);
  }
  if (o?.format !== 'ufnmr-md-checkpoint' || o.version !== 1) throw new ParseError({ file: path, array: 'format' }, 'format "ufnmr-md-checkpoint" version 1', `${String(o?.format)} ${String(o?.version)}`);
  const species = o.species as string[];
  if (!Array.isArray(species) || species.length === 0) throw new ParseError({ file: path, array: 'species' }, 'a list of element symbols');
  const n = species.length;
  if (!Number.isInteger(o.step) || (o.step as number) < 0) throw new ParseError({ file: path, array: 'step' }, 'a non-negative integer', String(o.step));
  const cp = {
    ...o,
    masses: decodeF64(o.masses, path, 'masses', n),
    positions: decodeF64(o.positions, path, 'positions', 3 * n),
    velocities: decodeF64(o.velocities, path, 'velocities', 3 * n),
    forces: decodeF64(o.forces, path, 'forces', 3 * n),
    cell: decodeF64(o.cell, path, 'cell', 9),
    virial: decodeF64(o.virial, path, 'virial', 9),
    potentialEnergy: decodeF64(o.potentialEnergy, path, 'potentialEnergy', 1)[0],
    timeFs: decodeF64(o.timeFs, path, 'timeFs', 1)[0],
  } as Checkpoint;
  if (typeof cp.run !== 'object' || cp.run === null) throw new ParseError({ file: path, array: 'run' }, 'an object with the run state');
  return cp;
}

/** Copies a checkpoint's state into a system with the same atoms. */
export function restoreSystem(sys: MDSystem, cp: Checkpoint, file = 'checkpoint'): void {
  if (cp.species.length !== sys.species.length || cp.species.some((e, i) => e !== sys.species[i]))
    throw new InputError(`${file}: its ${cp.species.length} atoms do not match the configured structure (${sys.species.length} atoms); resume with the same structure`);
  sys.masses.set(cp.masses); sys.positions.set(cp.positions); sys.velocities.set(cp.velocities); sys.forces.set(cp.forces);
  sys.cell.set(cp.cell); sys.virial.set(cp.virial);
  sys.potentialEnergy = cp.potentialEnergy; sys.step = cp.step; sys.timeFs = cp.timeFs; sys.dof = cp.dof;
  sys.pbc = [...cp.pbc] as Pbc;
}
