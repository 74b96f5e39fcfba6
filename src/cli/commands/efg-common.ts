/** Helpers shared by the `ufnmr efg …` commands: reading one structure from the common formats, option parsing. */
import { existsSync } from 'node:fs';
import { InputError } from '../../core/errors';
import type { Structure } from '../../core/structure';
import { readStructure } from '../../io/formats';

/** Reads frame `frame` (0-based) of any structure file io's registry knows (extxyz, POSCAR, CIF, LAMMPS, magres…). */
export function readStructureForEfg(path: string, frame = 0): Structure {
  if (!existsSync(path)) throw new InputError(`structure file not found: ${path}`);
  return readStructure(path, { index: frame });
}

/** A non-negative integer option value (or the default). */
export function intOption(v: unknown, name: string, dflt: number): number {
  if (v === undefined) return dflt;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new InputError(`--${name} must be a non-negative integer, got ${JSON.stringify(v)}`);
  return n;
}

/** A finite number option value (or undefined). */
export function numberOption(v: unknown, name: string): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (typeof v !== 'string' || v.trim() === '' || !Number.isFinite(n)) throw new InputError(`--${name} must be a number, got ${JSON.stringify(v)}`);
  return n;
}

/** The value of a required string option. */
export function requiredString(v: unknown, name: string): string {
  if (typeof v !== 'string' || v === '') throw new InputError(`--${name} is required`);
  return v;
}
