/** Helpers shared by the `ufnmr efg …` commands: reading one structure from the common formats, option parsing. */
import { basename, extname } from 'node:path';
import { existsSync } from 'node:fs';
import { InputError } from '../../core/errors';
import type { Structure } from '../../core/structure';
import { readExtxyzFrames } from '../../io/extxyz';
import { readPoscar } from '../../io/poscar';
import { readCif } from '../../io/cif';

/** Reads frame `frame` (0-based; extended XYZ only) of a structure file: .xyz/.extxyz, POSCAR/CONTCAR/.vasp, .cif. */
export function readStructureForEfg(path: string, frame = 0): Structure {
  if (!existsSync(path)) throw new InputError(`structure file not found: ${path}`);
  const ext = extname(path).toLowerCase(), name = basename(path).toUpperCase();
  if (ext === '.xyz' || ext === '.extxyz') {
    let k = 0;
    for (const s of readExtxyzFrames(path)) { if (k === frame) return s; k++; }
    throw new InputError(`${path}: frame ${frame} requested, the file has ${k} frame(s)`);
  }
  if (frame !== 0) throw new InputError(`--frame applies to extended XYZ files only`);
  if (ext === '.vasp' || ext === '.poscar' || name.startsWith('POSCAR') || name.startsWith('CONTCAR')) return readPoscar(path);
  if (ext === '.cif') return readCif(path);
  throw new InputError(`${path}: unknown structure format (use .xyz/.extxyz, POSCAR/CONTCAR/.vasp or .cif)`);
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
