/**
 * One registry of file formats: detection from the file name (or an explicit format name) and
 * readStructure / readFrames / writeFrames that dispatch to the readers and writers of src/io.
 *
 * | name | files | read | write |
 * |---|---|---|---|
 * | extxyz | *.xyz, *.extxyz | frames | frames |
 * | poscar | POSCAR*, CONTCAR*, *.vasp, *.poscar | one | one |
 * | cif | *.cif | one | one (P1) |
 * | lammps-data | *.data, *.lmp, data.* | one | one |
 * | lammps-dump | *.lammpstrj, *.dump, dump.* | frames | frames |
 * | deepmd | directory with type.raw | frames | frames |
 * | magres | *.magres | one | — |
 * | outcar | OUTCAR* | frames | — |
 * | uftraj | *.uftraj (ufnmr MD trajectory) | frames | — |
 * | npy | *.npy (arrays, not structures: use readNpy / readNpyRows / NpyWriter) | — | — |
 */
import { existsSync, statSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { InputError } from '../core/errors';
import type { Structure, InfoValue, AtomArray } from '../core/structure';
import { buildStructure } from './frame';
import { readExtxyzFrames, writeExtxyz } from './extxyz';
import { readPoscar, writePoscar } from './poscar';
import { readCif, writeCif } from './cif';
import { readLammpsData, writeLammpsData, AtomStyle } from './lammps-data';
import { readLammpsDumpFrames, writeLammpsDump } from './lammps-dump';
import { isDeepmdSystem, readDeepmdFrames, writeDeepmd } from './deepmd';
import { readMagres } from './magres';
import { readOutcarFrames } from './outcar';
import { TrajectoryReader } from './trajectory';
import { FrameSlice, sliceFrames } from './frame-slice';

/** Names of the known formats. */
export type FormatName = 'extxyz' | 'poscar' | 'cif' | 'lammps-data' | 'lammps-dump' | 'deepmd' | 'magres' | 'outcar' | 'uftraj' | 'npy';

/** What a format can do. */
export interface FormatInfo {
  name: FormatName;
  description: string;
  /** 'frames': many structures per file; 'one': a single structure; false: not readable as structures. */
  read: 'frames' | 'one' | false;
  write: 'frames' | 'one' | false;
}

/** All formats of the registry. */
export const FORMATS: readonly FormatInfo[] = [
  { name: 'extxyz', description: 'extended XYZ (.xyz, .extxyz)', read: 'frames', write: 'frames' },
  { name: 'poscar', description: 'VASP POSCAR/CONTCAR (.vasp, .poscar)', read: 'one', write: 'one' },
  { name: 'cif', description: 'CIF (.cif; written as P1)', read: 'one', write: 'one' },
  { name: 'lammps-data', description: 'LAMMPS data file (.data, .lmp)', read: 'one', write: 'one' },
  { name: 'lammps-dump', description: 'LAMMPS text dump (.lammpstrj, .dump)', read: 'frames', write: 'frames' },
  { name: 'deepmd', description: 'DeePMD npy system (directory with type.raw and set.*/)', read: 'frames', write: 'frames' },
  { name: 'magres', description: 'CASTEP .magres (read only)', read: 'one', write: false },
  { name: 'outcar', description: 'VASP OUTCAR (read only)', read: 'frames', write: false },
  { name: 'uftraj', description: 'ufnmr binary MD trajectory (.uftraj, read only here)', read: 'frames', write: false },
  { name: 'npy', description: 'NumPy array (.npy): arrays, not structures', read: false, write: false },
];

const ALIASES: Record<string, FormatName> = {
  xyz: 'extxyz', extxyz: 'extxyz', poscar: 'poscar', contcar: 'poscar', vasp: 'poscar', cif: 'cif',
  'lammps-data': 'lammps-data', lammpsdata: 'lammps-data', data: 'lammps-data', lmp: 'lammps-data',
  'lammps-dump': 'lammps-dump', lammpstrj: 'lammps-dump', dump: 'lammps-dump', deepmd: 'deepmd', 'deepmd/npy': 'deepmd',
  magres: 'magres', outcar: 'outcar', uftraj: 'uftraj', npy: 'npy',
};

/** The format named `name` (case-insensitive; aliases such as xyz, vasp, lammpstrj accepted). */
export function formatByName(name: string): FormatName {
  const f = ALIASES[name.toLowerCase()];
  if (!f) throw new InputError(`unknown format ${JSON.stringify(name)}; known: ${FORMATS.map((x) => x.name).join(', ')}`);
  return f;
}

/** The format of a path from its name (and, for directories, its contents); InputError when unknown. */
export function detectFormat(path: string): FormatName {
  const base = basename(path.replace(/[/\\]+$/, ''));
  const up = base.toUpperCase();
  const ext = extname(base).toLowerCase();
  if (existsSync(path) && statSync(path).isDirectory()) {
    if (isDeepmdSystem(path)) return 'deepmd';
    throw new InputError(`${path} is a directory but not a DeePMD system (no type.raw)`);
  }
  if (up.startsWith('POSCAR') || up.startsWith('CONTCAR') || ext === '.vasp' || ext === '.poscar') return 'poscar';
  if (up.startsWith('OUTCAR')) return 'outcar';
  switch (ext) {
    case '.xyz': case '.extxyz': return 'extxyz';
    case '.cif': return 'cif';
    case '.data': case '.lmp': return 'lammps-data';
    case '.lammpstrj': case '.dump': return 'lammps-dump';
    case '.magres': return 'magres';
    case '.uftraj': return 'uftraj';
    case '.npy': return 'npy';
  }
  if (/^data\./i.test(base)) return 'lammps-data';
  if (/^dump\./i.test(base)) return 'lammps-dump';
  throw new InputError(`cannot tell the format of ${path} from its name; give it explicitly (${FORMATS.map((x) => x.name).join(', ')})`);
}

/** Options of the registry readers (each reader uses the ones that apply to it). */
export interface ReadOptions {
  /** Format name; default: detected from the path. */
  format?: FormatName | string;
  /** Element of each type (LAMMPS types 1…, DeePMD type indices 0…, VASP 4 / OUTCAR species blocks). */
  typeMap?: readonly string[];
  /** LAMMPS data atom style when the file does not say. */
  atomStyle?: AtomStyle;
  /** CIF data block (name or index). */
  block?: string | number;
  /** CIF duplicate-merging distance, Å. */
  mergeTolerance?: number;
  /** Frames to read (start:stop:step semantics). */
  frames?: FrameSlice;
}

function* uftrajFrames(path: string): Generator<Structure> {
  const r = new TrajectoryReader(path);
  const h = r.header;
  try {
    for (const fr of r.frames()) {
      const arrays: Record<string, AtomArray> = {};
      if (fr.velocities) arrays.velocities = { kind: 'float', width: 3, data: Float64Array.from(fr.velocities) };
      if (fr.forces) arrays.forces = { kind: 'float', width: 3, data: Float64Array.from(fr.forces) };
      const info: Record<string, InfoValue> = { step: fr.step, timestep: fr.step, time_fs: fr.timeFs, ...fr.scalars };
      yield buildStructure({ species: h.species, positions: fr.positions, cell: fr.cell, pbc: h.pbc, arrays, info }, { file: path, array: `step ${fr.step}` });
    }
  } finally {
    r.close();
  }
}

function* one(s: () => Structure): Generator<Structure> {
  yield s();
}

/** Streams the frames of any supported file (single-structure formats yield one frame). */
export function readFrames(path: string, opts: ReadOptions = {}): Generator<Structure> {
  if (!existsSync(path)) throw new InputError(`file not found: ${path}`);
  const fmt = opts.format ? formatByName(opts.format) : detectFormat(path);
  const typeMap = opts.typeMap;
  let gen: Generator<Structure>;
  switch (fmt) {
    case 'extxyz': gen = readExtxyzFrames(path); break;
    case 'poscar': gen = one(() => readPoscar(path, { species: typeMap })); break;
    case 'cif': gen = one(() => readCif(path, { block: opts.block, mergeTolerance: opts.mergeTolerance })); break;
    case 'lammps-data': gen = one(() => readLammpsData(path, { typeMap, atomStyle: opts.atomStyle })); break;
    case 'lammps-dump': gen = readLammpsDumpFrames(path, { typeMap }); break;
    case 'deepmd': gen = readDeepmdFrames(path, { typeMap }); break;
    case 'magres': gen = one(() => readMagres(path)); break;
    case 'outcar': gen = readOutcarFrames(path, { species: typeMap }); break;
    case 'uftraj': gen = uftrajFrames(path); break;
    case 'npy': throw new InputError(`${path} is a .npy array, not structures: use readNpy / readNpyRows`);
  }
  return opts.frames ? sliceFrames(gen, opts.frames) : gen;
}

/** Frame `index` (default 0; negative counts from the end) of any supported file. */
export function readStructure(path: string, opts: ReadOptions & { index?: number } = {}): Structure {
  const index = opts.index ?? 0;
  if (!Number.isInteger(index)) throw new InputError(`frame index must be an integer, got ${index}`);
  const gen = readFrames(path, { ...opts, frames: undefined });
  if (index < 0) {
    const keep: Structure[] = [];
    for (const s of gen) { keep.push(s); if (keep.length > -index) keep.shift(); }
    if (keep.length < -index) throw new InputError(`${path}: frame ${index} requested, the file has ${keep.length} frame(s)`);
    return keep[0];
  }
  let k = 0;
  for (const s of gen) {
    if (k === index) { gen.return(undefined); return s; }
    k++;
  }
  throw new InputError(`${path}: frame ${index} requested, the file has ${k} frame(s)`);
}

/** Options of the registry writers. */
export interface WriteOptions {
  /** Format name; default: detected from the path. */
  format?: FormatName | string;
  /** Element of each type (LAMMPS types, DeePMD type_map). */
  typeMap?: readonly string[];
  atomStyle?: AtomStyle;
  /** POSCAR: fractional coordinates instead of Cartesian. */
  direct?: boolean;
  /** DeePMD: frames per set. */
  setSize?: number;
}

function formatForWriting(path: string, format?: string): FormatName {
  if (format) return formatByName(format);
  if (existsSync(path) && statSync(path).isDirectory() && !isDeepmdSystem(path))
    throw new InputError(`${path} is a directory: give the format (deepmd) or a file name`);
  return detectFormat(path);
}

function single(frames: Iterable<Structure>, fmt: string): Structure {
  let first: Structure | undefined;
  let count = 0;
  for (const s of frames) {
    if (count++ === 0) first = s;
    else throw new InputError(`${fmt} holds one structure, got more than one frame: select one (e.g. --frames=-1 for the last)`);
  }
  if (!first) throw new InputError('no frames to write');
  return first;
}

/** Writes frames in any writable format (atomically); returns the number of frames written. */
export function writeFrames(path: string, frames: Iterable<Structure>, opts: WriteOptions = {}): number {
  const fmt = formatForWriting(path, opts.format);
  const info = FORMATS.find((f) => f.name === fmt)!;
  if (!info.write) throw new InputError(`${fmt} is read-only in ufnmr; write ${FORMATS.filter((f) => f.write).map((f) => f.name).join(', ')}`);
  frames = nonEmpty(frames);
  switch (fmt) {
    case 'extxyz': return writeExtxyz(path, frames);
    case 'lammps-dump': return writeLammpsDump(path, frames, { typeMap: opts.typeMap });
    case 'deepmd': return writeDeepmd(path, frames, { typeMap: opts.typeMap, setSize: opts.setSize });
    case 'poscar': writePoscar(path, single(frames, fmt), { direct: opts.direct }); return 1;
    case 'cif': writeCif(path, single(frames, fmt), basename(path, extname(path))); return 1;
    case 'lammps-data': writeLammpsData(path, single(frames, fmt), { typeMap: opts.typeMap, atomStyle: opts.atomStyle }); return 1;
    default: throw new InputError(`${fmt} cannot be written`);
  }
}

/** The same frames, but an InputError before anything is written when there are none. */
function nonEmpty(frames: Iterable<Structure>): Iterable<Structure> {
  const it = frames[Symbol.iterator]();
  const first = it.next();
  if (first.done) throw new InputError('no frames to write');
  return (function* () {
    yield first.value;
    for (let r = it.next(); !r.done; r = it.next()) yield r.value;
  })();
}

/** Writes one structure in any writable format (atomically). */
export function writeStructure(path: string, s: Structure, opts: WriteOptions = {}): void {
  writeFrames(path, [s], opts);
}
