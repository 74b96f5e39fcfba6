/** Loading and saving UF3 models: LAMMPS .uf3 or uf3 JSON, chosen by extension (or content). */
import { readFileSync } from 'node:fs';
import { InputError } from '../core/errors';
import { writeFileAtomic } from '../io/atomic';
import type { UF3Model } from './model';
import { parseUf3, formatUf3, Uf3WriteOptions } from './formatLammps';
import { parseUf3Json, formatUf3Json } from './formatJson';
import { UF3Potential, UF3Options } from './potential';

/** Parses model text: JSON when it starts with '{' (or the name ends in .json), else LAMMPS .uf3. */
export function parseModel(text: string, file: string): UF3Model {
  const json = file.toLowerCase().endsWith('.json') || text.trimStart().startsWith('{');
  return json ? parseUf3Json(text, file) : parseUf3(text, file);
}

/** Reads a UF3 model from a .uf3 or uf3 .json file. */
export function readModel(path: string): UF3Model {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new InputError(`cannot read UF3 potential ${path}: ${(e as Error).message}`);
  }
  return parseModel(text, path);
}

/** Loads a UF3 potential (.uf3: energies as LAMMPS, no 1-body; .json: with 1-body energies). */
export function loadPotential(path: string, options: UF3Options = {}): UF3Potential {
  return new UF3Potential(readModel(path), options);
}

/** Writes a model atomically (temp file + rename): .json → uf3 JSON, anything else → LAMMPS .uf3. */
export function writeModel(path: string, model: UF3Model, opts: Uf3WriteOptions = {}): void {
  const text = path.toLowerCase().endsWith('.json') ? formatUf3Json(model) : formatUf3(model, opts);
  writeFileAtomic(path, text);
}
