/**
 * LAMMPS text dumps (dump custom/atom): multi-frame streaming, columns in any order. Understood
 * columns: id type element mass x y z xs ys zs xu yu zu xsu ysu zsu ix iy iz vx vy vz fx fy fz q;
 * every other numeric column is kept as a per-atom float array under its own name (e.g. c_ape).
 * Orthogonal and triclinic ("xy xz yz") bounds; atoms sorted by id. Positions are the wrapped x (or
 * xs) when present, else the unwrapped xu (or xsu); the unwrapped ones are always kept in
 * `unwrapped_positions`. Velocities are converted from Å/ps (metal) to Å/fs; forces are eV/Å.
 */
import type { AtomArray, InfoValue, Structure } from '../core/structure';
import { getFloatArray } from '../core/structure';
import { FileLines, LineSource, StringLines, errorAt, requireLine, tokens } from './lines';
import { fmt, fmtAll, parseFloatAt, parseIntAt, shiftedExactly } from './numbers';
import { buildStructure, checkCount, labelElement } from './frame';
import { AtomicFile, withAtomicFile } from './atomic';
import {
  LammpsBox, LammpsReadOptions, boxToCell, cellToBox, elementsForTypes, massesForWriting, toLammpsOrientation,
  typesForWriting, velocityFromMetal, velocityToMetal,
} from './lammps-common';

const TRIPLES: Record<string, [string, string, string]> = {
  x: ['x', 'y', 'z'], xs: ['xs', 'ys', 'zs'], xu: ['xu', 'yu', 'zu'], xsu: ['xsu', 'ysu', 'zsu'],
  ix: ['ix', 'iy', 'iz'], vx: ['vx', 'vy', 'vz'], fx: ['fx', 'fy', 'fz'],
};
const TRIPLE_MEMBERS = new Set(Object.values(TRIPLES).flat());
const INT_COLUMNS = new Set(['id', 'type', 'ix', 'iy', 'iz']);

function parseBox(src: LineSource, header: string): { box: LammpsBox; pbc: [boolean, boolean, boolean] } {
  const words = tokens(header).slice(3); // after ITEM: BOX BOUNDS
  if (words.includes('abc') || words.includes('origin')) throw errorAt(src, 'restricted triclinic BOX BOUNDS (general "abc origin" boxes are not supported)', header);
  const triclinic = words[0] === 'xy' && words[1] === 'xz' && words[2] === 'yz';
  const flags = triclinic ? words.slice(3) : words;
  const pbc: [boolean, boolean, boolean] = [true, true, true];
  if (flags.length === 3) flags.forEach((f, k) => { if (!/^[pfsm]{1,2}$/.test(f)) throw errorAt(src, 'boundary flags such as pp pp pp', header); pbc[k] = f === 'pp' || f === 'p'; });
  else if (flags.length !== 0) throw errorAt(src, 'ITEM: BOX BOUNDS [xy xz yz] followed by three boundary flags', header);
  const b = new Float64Array(9);
  for (let k = 0; k < 3; k++) {
    const t = tokens(requireLine(src, `box bounds line ${k + 1} of 3`));
    if (t.length !== (triclinic ? 3 : 2)) throw errorAt(src, `${triclinic ? 3 : 2} numbers (lo hi${triclinic ? ' tilt' : ''})`, t.join(' '));
    for (let j = 0; j < t.length; j++) b[3 * k + j] = parseFloatAt(t[j], src, 'a box bound');
  }
  const [xy, xz, yz] = triclinic ? [b[2], b[5], b[8]] : [0, 0, 0];
  const box: LammpsBox = {
    lo: [b[0] - Math.min(0, xy, xz, xy + xz), b[3] - Math.min(0, yz), b[6]],
    hi: [b[1] - Math.max(0, xy, xz, xy + xz), b[4] - Math.max(0, yz), b[7]],
    xy, xz, yz,
  };
  return { box, pbc };
}

/** Reads one dump frame, or undefined at a clean end of the file. */
export function readLammpsDumpFrame(src: LineSource, opts: LammpsReadOptions = {}): Structure | undefined {
  let first = src.next();
  while (first !== undefined && first.trim() === '') first = src.next();
  if (first === undefined) return undefined;
  if (first.trim() !== 'ITEM: TIMESTEP') throw errorAt(src, 'ITEM: TIMESTEP', first);
  const info: Record<string, InfoValue> = {};
  info.timestep = parseIntAt(tokens(requireLine(src, 'the timestep'))[0], src, 'the timestep');
  let n: number | undefined;
  let boxed: { box: LammpsBox; pbc: [boolean, boolean, boolean] } | undefined;
  for (;;) {
    const line = requireLine(src, 'an ITEM: line (NUMBER OF ATOMS, BOX BOUNDS, ATOMS …)').trim();
    if (line === 'ITEM: NUMBER OF ATOMS') {
      n = parseIntAt(tokens(requireLine(src, 'the number of atoms'))[0], src, 'the number of atoms', 0);
      checkCount(n, 4, src.sizeBytes, src, 'a number of atoms');
    } else if (line.startsWith('ITEM: BOX BOUNDS')) boxed = parseBox(src, line);
    else if (line === 'ITEM: TIME') info.time = parseFloatAt(tokens(requireLine(src, 'the time'))[0], src, 'the time');
    else if (line === 'ITEM: UNITS') info.units = requireLine(src, 'the units').trim();
    else if (line.startsWith('ITEM: ATOMS')) {
      if (n === undefined) throw errorAt(src, 'ITEM: NUMBER OF ATOMS before ITEM: ATOMS');
      if (!boxed) throw errorAt(src, 'ITEM: BOX BOUNDS before ITEM: ATOMS');
      return readAtoms(src, tokens(line).slice(2), n, boxed, info, opts);
    } else throw errorAt(src, 'ITEM: NUMBER OF ATOMS, BOX BOUNDS, TIME, UNITS or ATOMS', line);
  }
}

function readAtoms(src: LineSource, cols: string[], n: number, boxed: { box: LammpsBox; pbc: [boolean, boolean, boolean] }, info: Record<string, InfoValue>, opts: LammpsReadOptions): Structure {
  const header = src.lineNo;
  if (cols.length === 0) throw errorAt(src, 'column names after ITEM: ATOMS');
  if (new Set(cols).size !== cols.length) throw errorAt(src, 'distinct column names', cols.join(' '));
  const idx = (c: string) => cols.indexOf(c);
  const has = (t: string) => TRIPLES[t].every((c) => idx(c) >= 0);
  for (const t of Object.values(TRIPLES)) {
    const present = t.filter((c) => idx(c) >= 0).length;
    if (present !== 0 && present !== 3) throw errorAt(src, `all of ${t.join(' ')} or none`, cols.join(' '));
  }
  const posKey = ['x', 'xs', 'xu', 'xsu'].find(has);
  if (!posKey) throw errorAt(src, 'position columns (x y z, xs ys zs, xu yu zu or xsu ysu zsu)', cols.join(' '));
  const elCol = idx('element');
  // read the table: numeric columns into one Float64Array per column
  const num: (Float64Array | undefined)[] = cols.map((c, j) => (j === elCol ? undefined : new Float64Array(n)));
  const elements: string[] = elCol >= 0 ? new Array(n) : [];
  const isInt = cols.map((c) => INT_COLUMNS.has(c));
  for (let i = 0; i < n; i++) {
    const t = tokens(requireLine(src, `atom line ${i + 1} of ${n}`));
    if (t.length !== cols.length) throw errorAt(src, `${cols.length} columns (${cols.join(' ')})`, `${t.length} columns`);
    for (let j = 0; j < cols.length; j++) {
      if (j === elCol) { elements[i] = t[j]; continue; }
      num[j]![i] = isInt[j] ? parseIntAt(t[j], src, `column ${cols[j]}`) : parseFloatAt(t[j], src, `column ${cols[j]}`);
    }
  }
  const col = (c: string) => num[idx(c)];
  // order by id
  const ids = col('id');
  let order: Int32Array = Int32Array.from({ length: n }, (_, i) => i);
  if (ids) {
    order.sort((a, b) => ids[a] - ids[b]);
    for (let k = 1; k < n; k++) if (ids[order[k]] === ids[order[k - 1]]) throw errorAt(src, 'unique atom ids', String(ids[order[k]]), header);
  }
  const at = { file: src.file, line: header };
  // species
  let species: string[];
  const types = col('type');
  if (elCol >= 0) species = Array.from(order, (i) => labelElement(elements[i], at, 'an element in the element column'));
  else if (types) {
    let maxType = 0;
    for (let i = 0; i < n; i++) { if (types[i] < 1) throw errorAt(src, 'atom types ≥ 1', String(types[i]), header); maxType = Math.max(maxType, types[i]); }
    checkCount(maxType, 1, src.sizeBytes + n, at, 'an atom type');
    const mass = col('mass');
    let masses: (number | undefined)[] | undefined;
    if (mass) { masses = new Array(maxType).fill(undefined); for (let i = 0; i < n; i++) masses[types[i] - 1] = mass[i]; }
    const els = elementsForTypes(maxType, masses, opts.typeMap, at);
    species = Array.from(order, (i) => els[types[i] - 1]);
  } else throw errorAt(src, 'an element or type column', cols.join(' '), header);

  const { cell, origin } = boxToCell(boxed.box);
  const gather3 = (t: [string, string, string], f?: (v: number) => number): Float64Array => {
    const a = col(t[0])!, b = col(t[1])!, c = col(t[2])!;
    const out = new Float64Array(3 * n);
    order.forEach((i, j) => { out[3 * j] = a[i]; out[3 * j + 1] = b[i]; out[3 * j + 2] = c[i]; });
    if (f) for (let k = 0; k < out.length; k++) out[k] = f(out[k]);
    return out;
  };
  const toCart = (frac: Float64Array): Float64Array => {
    for (let i = 0; i < frac.length; i += 3) {
      const a = frac[i], b = frac[i + 1], c = frac[i + 2];
      frac[i] = origin[0] + a * cell[0] + b * cell[3] + c * cell[6];
      frac[i + 1] = origin[1] + a * cell[1] + b * cell[4] + c * cell[7];
      frac[i + 2] = origin[2] + a * cell[2] + b * cell[5] + c * cell[8];
    }
    return frac;
  };
  const coords = (key: string) => (key === 'x' || key === 'xu' ? gather3(TRIPLES[key]) : toCart(gather3(TRIPLES[key])));
  const positions = coords(posKey);
  const arrays: Record<string, AtomArray> = {};
  if (posKey === 'x' || posKey === 'xs') {
    const u = ['xu', 'xsu'].find(has);
    if (u) arrays.unwrapped_positions = { kind: 'float', width: 3, data: coords(u) };
  } else {
    // only unwrapped coordinates in the file: they are the positions, and they are marked as unwrapped
    arrays.unwrapped_positions = { kind: 'float', width: 3, data: Float64Array.from(positions) };
  }
  if (types) arrays.type = { kind: 'int', width: 1, data: Int32Array.from(order, (i) => types[i]) };
  if (ids) {
    const sorted = Array.from(order, (i) => ids[i]);
    if (sorted.some((v, j) => v !== j + 1)) arrays.id = { kind: 'int', width: 1, data: Int32Array.from(sorted, (v) => (v > 2147483647 || v < -2147483648 ? -1 : v)) };
  }
  if (has('ix')) { const g = gather3(TRIPLES.ix); arrays.image = { kind: 'int', width: 3, data: Int32Array.from(g, (v) => (Math.abs(v) > 2147483647 ? 0 : v)) }; }
  if (has('vx')) arrays.velocities = { kind: 'float', width: 3, data: gather3(TRIPLES.vx, velocityFromMetal) };
  if (has('fx')) arrays.forces = { kind: 'float', width: 3, data: gather3(TRIPLES.fx) };
  const rename: Record<string, string> = { q: 'charges', mass: 'masses' };
  cols.forEach((c, j) => {
    if (j === elCol || c === 'id' || c === 'type' || TRIPLE_MEMBERS.has(c)) return;
    const v = num[j]!;
    arrays[rename[c] ?? c] = { kind: 'float', width: 1, data: Float64Array.from(order, (i) => v[i]) };
  });
  if (origin.some((x) => x !== 0)) info.lammps_origin = origin;
  return buildStructure({ species, positions, cell, pbc: boxed.pbc, arrays, info }, at);
}

/** Streams the frames of a LAMMPS dump source. */
export function* lammpsDumpFrames(src: LineSource, opts: LammpsReadOptions = {}): Generator<Structure> {
  try {
    for (;;) {
      const f = readLammpsDumpFrame(src, opts);
      if (!f) return;
      yield f;
    }
  } finally {
    src.close();
  }
}

/** Streams the frames of a LAMMPS dump file (bounded memory). */
export function* readLammpsDumpFrames(path: string, opts: LammpsReadOptions = {}): Generator<Structure> {
  yield* lammpsDumpFrames(new FileLines(path), opts);
}

/** All frames of LAMMPS dump text. */
export function parseLammpsDump(text: string, opts: LammpsReadOptions = {}, name = '<string>'): Structure[] {
  return [...lammpsDumpFrames(new StringLines(text, name), opts)];
}

/** Options of the dump writer. */
export interface LammpsDumpWriteOptions {
  /** Element of each type (index type−1); default: the `type` array when consistent, else species order. */
  typeMap?: readonly string[];
}

const KNOWN_ARRAYS = new Set(['id', 'type', 'image', 'velocities', 'forces', 'charges', 'masses', 'unwrapped_positions']);

/** One frame as LAMMPS dump text (rotated to the lower-triangular convention when needed). */
export function formatLammpsDumpFrame(s0: Structure, opts: LammpsDumpWriteOptions = {}, defaultTimestep = 0): string {
  const { structure: s } = toLammpsOrientation(s0);
  const n = s.species.length;
  const { types, elements } = typesForWriting(s, opts.typeMap);
  const origin = Array.isArray(s.info.lammps_origin) && s.info.lammps_origin.length === 3 && s.info.lammps_origin.every((x) => typeof x === 'number')
    ? (s.info.lammps_origin as number[]) : [0, 0, 0];
  const box = cellToBox(s.cell, origin);
  const ts = typeof s.info.timestep === 'number' && Number.isSafeInteger(s.info.timestep) ? s.info.timestep : defaultTimestep;
  const out: string[] = ['ITEM: TIMESTEP', String(ts)];
  if (typeof s.info.time === 'number') out.push('ITEM: TIME', fmt(s.info.time));
  if (typeof s.info.units === 'string' && /^\w+$/.test(s.info.units)) out.push('ITEM: UNITS', s.info.units);
  out.push('ITEM: NUMBER OF ATOMS', String(n));
  const flags = s.pbc.map((p) => (p ? 'pp' : 'ff')).join(' ');
  const { xy, xz, yz } = box;
  if (xy !== 0 || xz !== 0 || yz !== 0) {
    const mx = Math.min(0, xy, xz, xy + xz), Mx = Math.max(0, xy, xz, xy + xz), my = Math.min(0, yz), My = Math.max(0, yz);
    out.push(`ITEM: BOX BOUNDS xy xz yz ${flags}`,
      `${fmt(shiftedExactly(box.lo[0], mx))} ${fmt(shiftedExactly(box.hi[0], Mx))} ${fmt(xy)}`,
      `${fmt(shiftedExactly(box.lo[1], my))} ${fmt(shiftedExactly(box.hi[1], My))} ${fmt(xz)}`,
      `${fmt(box.lo[2])} ${fmt(box.hi[2])} ${fmt(yz)}`);
  } else {
    out.push(`ITEM: BOX BOUNDS ${flags}`, `${fmt(box.lo[0])} ${fmt(box.hi[0])}`, `${fmt(box.lo[1])} ${fmt(box.hi[1])}`, `${fmt(box.lo[2])} ${fmt(box.hi[2])}`);
  }
  const uw = getFloatArray(s, 'unwrapped_positions', 3);
  const onlyUnwrapped = uw !== undefined && uw.every((x, i) => x === s.positions[i]);
  const cols = ['id', 'type', 'element', ...(onlyUnwrapped ? ['xu', 'yu', 'zu'] : ['x', 'y', 'z'])];
  const parts: ((i: number) => string)[] = [];
  const idArr = s.arrays.id?.kind === 'int' && s.arrays.id.width === 1 && new Set(s.arrays.id.data).size === n ? s.arrays.id.data : undefined;
  const p = s.positions;
  parts.push((i) => `${idArr ? idArr[i] : i + 1} ${types[i]} ${elements[types[i] - 1]} ${fmtAll(p, 3 * i, 3 * i + 3)}`);
  if (uw && !onlyUnwrapped) { cols.push('xu', 'yu', 'zu'); parts.push((i) => fmtAll(uw, 3 * i, 3 * i + 3)); }
  const img = s.arrays.image?.kind === 'int' && s.arrays.image.width === 3 ? s.arrays.image.data : undefined;
  if (img) { cols.push('ix', 'iy', 'iz'); parts.push((i) => `${img[3 * i]} ${img[3 * i + 1]} ${img[3 * i + 2]}`); }
  const v = s.arrays.velocities ? getFloatArray(s, 'velocities', 3) : undefined;
  if (v) { cols.push('vx', 'vy', 'vz'); parts.push((i) => `${fmt(velocityToMetal(v[3 * i]))} ${fmt(velocityToMetal(v[3 * i + 1]))} ${fmt(velocityToMetal(v[3 * i + 2]))}`); }
  const f = s.arrays.forces ? getFloatArray(s, 'forces', 3) : undefined;
  if (f) { cols.push('fx', 'fy', 'fz'); parts.push((i) => fmtAll(f, 3 * i, 3 * i + 3)); }
  const q = s.arrays.charges ? getFloatArray(s, 'charges', 1) : undefined;
  if (q) { cols.push('q'); parts.push((i) => fmt(q[i])); }
  if (s.arrays.masses) {
    const m = massesForWriting(s, types, elements);
    cols.push('mass'); parts.push((i) => fmt(m[types[i] - 1]));
  }
  for (const [name, a] of Object.entries(s.arrays)) {
    if (KNOWN_ARRAYS.has(name) || a.kind !== 'float' || a.width !== 1 || /\s/.test(name) || TRIPLE_MEMBERS.has(name) || name === 'element' || name === 'q' || name === 'mass') continue;
    cols.push(name);
    parts.push((i) => fmt(a.data[i]));
  }
  out.push(`ITEM: ATOMS ${cols.join(' ')}`);
  for (let i = 0; i < n; i++) out.push(parts.map((g) => g(i)).join(' '));
  return out.join('\n') + '\n';
}

/** Appends frames to an open atomic file as LAMMPS dump text; returns the number of frames. */
export function writeLammpsDumpTo(file: AtomicFile, frames: Iterable<Structure>, opts: LammpsDumpWriteOptions = {}): number {
  let k = 0;
  for (const s of frames) file.write(formatLammpsDumpFrame(s, opts, k++));
  return k;
}

/** Writes frames to a LAMMPS dump file atomically; returns the number of frames. */
export function writeLammpsDump(path: string, frames: Iterable<Structure>, opts: LammpsDumpWriteOptions = {}): number {
  return withAtomicFile(path, (f) => writeLammpsDumpTo(f, frames, opts));
}

