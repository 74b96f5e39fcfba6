/**
 * DeePMD "npy" systems: a directory with type_map.raw (element names), type.raw (type index per atom),
 * an optional `nopbc` marker and set.NNN/ folders holding box.npy (frames × 9, rows = cell vectors, Å),
 * coord.npy (frames × 3N, Å), and optionally energy.npy (eV), force.npy (frames × 3N, eV/Å) and
 * virial.npy (frames × 9, eV). Frames stream one at a time (rows read from disk on demand).
 * Energies go to info.energy, virials to info.virial (9 numbers, eV), forces to the `forces` array.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputError, ParseError } from '../core/errors';
import type { AtomArray, InfoValue, Structure } from '../core/structure';
import { getFloatArray } from '../core/structure';
import { isElement } from '../core/elements';
import { NpyRowReader, NpyWriter, NpyDtype } from './npy';
import { buildStructure } from './frame';
import { replaceDirectoryAtomic } from './atomic';
import { toInt } from './numbers';

/** Options of the DeePMD reader. */
export interface DeepmdReadOptions {
  /** Element names when the system has no type_map.raw. */
  typeMap?: readonly string[];
}

/** True when `dir` looks like a DeePMD npy system (has type.raw). */
export function isDeepmdSystem(dir: string): boolean {
  try {
    return statSync(dir).isDirectory() && existsSync(join(dir, 'type.raw'));
  } catch {
    return false;
  }
}

function readRaw(path: string): string[] {
  return readFileSync(path, 'utf8').split(/\s+/).filter(Boolean);
}

/** Element of every atom of a DeePMD system (from type.raw and type_map.raw or the typeMap option). */
export function deepmdSpecies(dir: string, opts: DeepmdReadOptions = {}): string[] {
  const typeFile = join(dir, 'type.raw');
  if (!existsSync(typeFile)) throw new ParseError({ file: typeFile }, 'a type.raw file (DeePMD system)');
  const mapFile = join(dir, 'type_map.raw');
  const map = opts.typeMap ? [...opts.typeMap] : existsSync(mapFile) ? readRaw(mapFile) : undefined;
  if (!map) throw new ParseError({ file: mapFile }, 'a type_map.raw file or a type map from the caller');
  map.forEach((e, i) => { if (!isElement(e)) throw new ParseError({ file: mapFile, line: i + 1 }, 'an element symbol', e); });
  const toks = readRaw(typeFile);
  return toks.map((t, i) => {
    const k = toInt(t);
    if (k === undefined || k < 0 || k >= map.length) throw new ParseError({ file: typeFile, array: `atom ${i}` }, `a type index 0…${map.length - 1}`, t);
    return map[k];
  });
}

/** The set.* folders of a system in order. */
export function deepmdSets(dir: string): string[] {
  return readdirSync(dir).filter((d) => /^set\.\d+$/.test(d) && statSync(join(dir, d)).isDirectory()).sort((a, b) => Number(a.slice(4)) - Number(b.slice(4)));
}

function toF64(d: ArrayLike<number | bigint>): Float64Array {
  const out = new Float64Array(d.length);
  for (let i = 0; i < d.length; i++) out[i] = Number(d[i]);
  return out;
}

/** Streams the frames of a DeePMD npy system, set by set, frame by frame. */
export function* readDeepmdFrames(dir: string, opts: DeepmdReadOptions = {}): Generator<Structure> {
  const species = deepmdSpecies(dir, opts);
  const n = species.length;
  const pbc = !existsSync(join(dir, 'nopbc'));
  const sets = deepmdSets(dir);
  if (sets.length === 0) throw new ParseError({ file: dir }, 'at least one set.NNN folder');
  for (const set of sets) {
    const readers: Record<string, NpyRowReader> = {};
    try {
      for (const name of ['box', 'coord', 'energy', 'force', 'virial']) {
        const p = join(dir, set, `${name}.npy`);
        if (existsSync(p)) readers[name] = new NpyRowReader(p);
      }
      const coord = readers.coord;
      if (!coord) throw new ParseError({ file: join(dir, set) }, 'coord.npy');
      if (pbc && !readers.box) throw new ParseError({ file: join(dir, set) }, 'box.npy (or a nopbc marker file)');
      const expect: Record<string, number> = { box: 9, coord: 3 * n, energy: 1, force: 3 * n, virial: 9 };
      for (const [name, r] of Object.entries(readers)) {
        const file = join(dir, set, `${name}.npy`);
        if (r.rowLength !== expect[name]) throw new ParseError({ file, array: name }, `${expect[name]} values per frame (${n} atoms)`, `${r.rowLength} (shape ${r.shape.join('×')})`);
        if (r.rows !== coord.rows) throw new ParseError({ file, array: name }, `${coord.rows} frames like coord.npy`, `${r.rows}`);
      }
      for (let f = 0; f < coord.rows; f++) {
        const where = { file: join(dir, set), array: `frame ${f}` };
        const positions = toF64(coord.read(f, 1).data);
        const cell = readers.box ? toF64(readers.box.read(f, 1).data) : new Float64Array(9);
        const info: Record<string, InfoValue> = {};
        const arrays: Record<string, AtomArray> = {};
        if (readers.energy) info.energy = Number(readers.energy.read(f, 1).data[0]);
        if (readers.virial) info.virial = Array.from(toF64(readers.virial.read(f, 1).data));
        if (readers.force) arrays.forces = { kind: 'float', width: 3, data: toF64(readers.force.read(f, 1).data) };
        yield buildStructure({ species, positions, cell, pbc, arrays, info }, where);
      }
    } finally {
      for (const r of Object.values(readers)) r.close();
    }
  }
}

/** Options of the DeePMD writer. */
export interface DeepmdWriteOptions {
  /** Element names in type order (default: species in order of first appearance in the first frame). */
  typeMap?: readonly string[];
  /** Frames per set.NNN folder (default 5000). */
  setSize?: number;
  dtype?: Extract<NpyDtype, 'float64' | 'float32'>;
}

/**
 * Writes frames (all with the same atoms in the same order) as a DeePMD npy system, streaming
 * frame by frame; the directory is replaced atomically. Energy, forces and virial are written when the
 * first frame has them (then every frame must). Returns the number of frames.
 */
export function writeDeepmd(dir: string, frames: Iterable<Structure>, opts: DeepmdWriteOptions = {}): number {
  const setSize = opts.setSize ?? 5000;
  if (!(Number.isInteger(setSize) && setSize >= 1)) throw new InputError(`setSize must be a positive integer, got ${setSize}`);
  const dtype = opts.dtype ?? 'float64';
  return replaceDirectoryAtomic(dir, (tmp) => {
    let count = 0;
    let species: string[] | undefined;
    let has = { energy: false, force: false, virial: false };
    let writers: Record<string, NpyWriter> | undefined;
    const closeSet = () => { if (writers) for (const w of Object.values(writers)) w.close(); writers = undefined; };
    try {
      for (const s of frames) {
        const n = s.species.length;
        if (!species) {
          species = [...s.species];
          const map = opts.typeMap ? [...opts.typeMap] : [...new Set(species)];
          const idx = new Map(map.map((e, i) => [e, i]));
          const types = species.map((e, i) => {
            const t = idx.get(e);
            if (t === undefined) throw new InputError(`element ${e} (atom ${i}) is not in the type map ${map.join(',')}`);
            return t;
          });
          writeFileSync(join(tmp, 'type_map.raw'), map.join('\n') + '\n');
          writeFileSync(join(tmp, 'type.raw'), types.join('\n') + '\n');
          if (!s.pbc.some(Boolean)) writeFileSync(join(tmp, 'nopbc'), '');
          has = { energy: typeof s.info.energy === 'number', force: !!s.arrays.forces, virial: Array.isArray(s.info.virial) };
        } else if (n !== species.length || s.species.some((e, i) => e !== species![i])) {
          throw new InputError(`frame ${count}: a DeePMD system needs the same atoms in the same order in every frame`);
        }
        if (count % setSize === 0) {
          closeSet();
          const setDir = join(tmp, `set.${String(count / setSize).padStart(3, '0')}`);
          mkdirSync(setDir);
          writers = {
            box: new NpyWriter(join(setDir, 'box.npy'), { dtype, rowShape: [9] }),
            coord: new NpyWriter(join(setDir, 'coord.npy'), { dtype, rowShape: [3 * n] }),
          };
          if (has.energy) writers.energy = new NpyWriter(join(setDir, 'energy.npy'), { dtype, rowShape: [] });
          if (has.force) writers.force = new NpyWriter(join(setDir, 'force.npy'), { dtype, rowShape: [3 * n] });
          if (has.virial) writers.virial = new NpyWriter(join(setDir, 'virial.npy'), { dtype, rowShape: [9] });
        }
        const w = writers!;
        w.box.append(s.cell);
        w.coord.append(s.positions);
        if (w.energy) {
          if (typeof s.info.energy !== 'number') throw new InputError(`frame ${count} has no energy (the first frame had one)`);
          w.energy.append([s.info.energy]);
        }
        if (w.force) {
          const f = getFloatArray(s, 'forces', 3);
          if (!f) throw new InputError(`frame ${count} has no forces (the first frame had them)`);
          w.force.append(f);
        }
        if (w.virial) {
          const v = s.info.virial;
          if (!Array.isArray(v) || v.length !== 9 || !v.every((x) => typeof x === 'number')) throw new InputError(`frame ${count} has no 9-component virial (the first frame had one)`);
          w.virial.append(v as number[]);
        }
        count++;
      }
      closeSet();
    } catch (e) {
      if (writers) for (const w of Object.values(writers)) w.abort();
      throw e;
    }
    if (count === 0) throw new InputError('no frames to write');
    return count;
  });
}
