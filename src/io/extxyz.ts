/**
 * Extended XYZ (libAtoms/ASE): natoms line, key=value comment line (Lattice, Properties, pbc, info),
 * then one line per atom with the columns that Properties declares (kinds S/R/I/L, any width).
 * Multi-frame files stream frame by frame. The species column may be `species` or `Z`; `pos` (or
 * `positions`) holds Cartesian positions in Å; a column named `force` is stored as `forces`.
 */
import { InputError } from '../core/errors';
import type { AtomArray, InfoValue, Structure } from '../core/structure';
import { elementByZ, isElement } from '../core/elements';
import { FileLines, LineSource, StringLines, errorAt, requireLine, tokens } from './lines';
import { fmt, parseFloatAt, parseIntAt } from './numbers';
import { splitKeyValues, interpretValue, toBool, formatKey, formatValue } from './extxyz-header';
import { buildStructure, checkCount } from './frame';
import { AtomicFile, withAtomicFile } from './atomic';

type Kind = 'S' | 'R' | 'I' | 'L';
interface Column { name: string; kind: Kind; width: number }

const ARRAY_ALIASES: Record<string, string> = { force: 'forces' };
const RESERVED = new Set(['lattice', 'properties', 'pbc']);

function parseProperties(value: string, src: LineSource): Column[] {
  const parts = value.split(':');
  if (parts.length % 3 !== 0 || parts.length === 0) throw errorAt(src, 'Properties=name:kind:width triples', value);
  const cols: Column[] = [];
  for (let i = 0; i < parts.length; i += 3) {
    const kind = parts[i + 1] as Kind;
    if (!['S', 'R', 'I', 'L'].includes(kind)) throw errorAt(src, `a column kind S, R, I or L in Properties for ${parts[i]}`, parts[i + 1]);
    const width = parseIntAt(parts[i + 2], src, `the width of column ${parts[i]}`, 1);
    if (width > 1000) throw errorAt(src, `a column width ≤ 1000 for ${parts[i]}`, String(width));
    if (parts[i] === '' || cols.some((c) => c.name === parts[i])) throw errorAt(src, 'distinct non-empty column names in Properties', parts[i]);
    cols.push({ name: parts[i], kind, width });
  }
  return cols;
}

/** Reads one frame from `src`, or returns undefined at a clean end of the file. */
export function readExtxyzFrame(src: LineSource): Structure | undefined {
  let first = src.next();
  while (first !== undefined && first.trim() === '') first = src.next();
  if (first === undefined) return undefined;
  const natLine = src.lineNo;
  const t0 = tokens(first);
  if (t0.length !== 1) throw errorAt(src, 'the number of atoms alone on the line', first);
  const n = parseIntAt(t0[0], src, 'the number of atoms', 0);
  checkCount(n, 4, src.sizeBytes, src, 'a number of atoms');
  const comment = requireLine(src, 'the comment line of an extended XYZ frame');
  const commentLine = src.lineNo;

  const info: Record<string, InfoValue> = {};
  let cell: Float64Array | undefined;
  let pbc: [boolean, boolean, boolean] | undefined;
  let cols: Column[] = [{ name: 'species', kind: 'S', width: 1 }, { name: 'pos', kind: 'R', width: 3 }];
  if (comment.includes('=')) {
    for (const e of splitKeyValues(comment, src.file, commentLine)) {
      const lk = e.key.toLowerCase();
      if (lk === 'lattice') {
        const toks = e.value.trim().split(/[\s,]+/).filter(Boolean);
        if (toks.length !== 9) throw errorAt(src, 'Lattice with 9 numbers', e.value);
        cell = Float64Array.from(toks, (t) => parseFloatAt(t, src, 'a Lattice component'));
      } else if (lk === 'properties') {
        cols = parseProperties(e.value, src);
      } else if (lk === 'pbc') {
        const toks = e.value.trim().split(/[\s,]+/).filter(Boolean);
        const b = toks.map(toBool);
        if (b.length === 1 && b[0] !== undefined) pbc = [b[0], b[0], b[0]];
        else if (b.length === 3 && b.every((x) => x !== undefined)) pbc = b as [boolean, boolean, boolean];
        else throw errorAt(src, 'pbc as three T/F flags', e.value);
      } else {
        info[e.key] = interpretValue(e);
      }
    }
  } else if (comment.trim() !== '') {
    info.comment = comment;
  }
  if (pbc && pbc.some(Boolean) && !cell) throw errorAt(src, 'a Lattice for a periodic frame (pbc has T)', comment, commentLine);

  let speciesCol = cols.findIndex((c) => c.name === 'species');
  const zCol = cols.findIndex((c) => c.name === 'Z');
  const useZ = speciesCol < 0 && zCol >= 0;
  if (useZ) speciesCol = zCol;
  const posCol = cols.findIndex((c) => c.name === 'pos' || c.name === 'positions');
  if (speciesCol < 0) throw errorAt(src, 'a species (or Z) column in Properties', undefined, commentLine);
  if (posCol < 0) throw errorAt(src, 'a pos column in Properties', undefined, commentLine);
  const sc = cols[speciesCol], pc = cols[posCol];
  if (sc.width !== 1 || (useZ ? sc.kind !== 'I' : sc.kind !== 'S')) throw errorAt(src, useZ ? 'Z:I:1' : 'species:S:1', `${sc.name}:${sc.kind}:${sc.width}`, commentLine);
  if (pc.kind !== 'R' || pc.width !== 3) throw errorAt(src, 'pos:R:3', `${pc.name}:${pc.kind}:${pc.width}`, commentLine);

  const species: string[] = new Array(n);
  const positions = new Float64Array(3 * n);
  const arrays: Record<string, AtomArray> = {};
  const store: (AtomArray | undefined)[] = cols.map((c, ci) => {
    if (ci === speciesCol || ci === posCol) return undefined;
    let a: AtomArray;
    switch (c.kind) {
      case 'R': a = { kind: 'float', width: c.width, data: new Float64Array(c.width * n) }; break;
      case 'I': a = { kind: 'int', width: c.width, data: new Int32Array(c.width * n) }; break;
      case 'L': a = { kind: 'bool', width: c.width, data: new Uint8Array(c.width * n) }; break;
      default: a = { kind: 'string', width: c.width, data: new Array<string>(c.width * n) };
    }
    const name = ARRAY_ALIASES[c.name] !== undefined && !cols.some((d) => d.name === ARRAY_ALIASES[c.name]) ? ARRAY_ALIASES[c.name] : c.name;
    arrays[name] = a;
    return a;
  });
  const total = cols.reduce((s, c) => s + c.width, 0);

  for (let i = 0; i < n; i++) {
    const line = requireLine(src, `atom line ${i + 1} of ${n} (frame starting at line ${natLine})`);
    const t = tokens(line);
    if (t.length !== total) throw errorAt(src, `${total} columns (${cols.map((c) => `${c.name}:${c.kind}:${c.width}`).join(':')})`, `${t.length} columns`);
    let k = 0;
    for (let ci = 0; ci < cols.length; ci++) {
      const c = cols[ci];
      if (ci === speciesCol) {
        if (useZ) species[i] = elementFromZ(t[k], src);
        else {
          if (!isElement(t[k])) throw errorAt(src, 'an element symbol in the species column', t[k]);
          species[i] = t[k];
        }
      } else if (ci === posCol) {
        for (let d = 0; d < 3; d++) positions[3 * i + d] = parseFloatAt(t[k + d], src, 'a position');
      } else {
        const a = store[ci]!;
        const o = c.width * i;
        for (let d = 0; d < c.width; d++) {
          const tok = t[k + d];
          switch (a.kind) {
            case 'float': a.data[o + d] = parseFloatAt(tok, src, `column ${c.name}`); break;
            case 'int': {
              const v = parseIntAt(tok, src, `column ${c.name}`);
              if (v < -2147483648 || v > 2147483647) throw errorAt(src, `a 32-bit integer in column ${c.name}`, tok);
              a.data[o + d] = v; break;
            }
            case 'bool': {
              const b = toBool(tok);
              if (b === undefined) throw errorAt(src, `T or F in column ${c.name}`, tok);
              a.data[o + d] = b ? 1 : 0; break;
            }
            case 'string': a.data[o + d] = tok; break;
          }
        }
      }
      k += c.width;
    }
  }
  return buildStructure({ species, positions, cell, pbc: pbc ?? (cell ? [true, true, true] : [false, false, false]), arrays, info }, src);
}

function elementFromZ(tok: string, src: LineSource): string {
  const z = parseIntAt(tok, src, 'an atomic number in the Z column', 1);
  if (z > 118) throw errorAt(src, 'an atomic number 1–118', tok);
  return elementByZ(z).symbol;
}

/** Streams the frames of an extended XYZ source. */
export function* extxyzFrames(src: LineSource): Generator<Structure> {
  try {
    for (;;) {
      const f = readExtxyzFrame(src);
      if (!f) return;
      yield f;
    }
  } finally {
    src.close();
  }
}

/** Streams the frames of an extended XYZ file (bounded memory). */
export function* readExtxyzFrames(path: string): Generator<Structure> {
  yield* extxyzFrames(new FileLines(path));
}

/** All frames of an extended XYZ text. */
export function parseExtxyz(text: string, name = '<string>'): Structure[] {
  return [...extxyzFrames(new StringLines(text, name))];
}

function columnKind(a: AtomArray, name: string): Kind {
  switch (a.kind) {
    case 'float': return 'R';
    case 'int': return 'I';
    case 'bool': return 'L';
    case 'string':
      if (a.data.some((x) => x === '' || /\s/.test(x))) throw new InputError(`per-atom string array ${name} has empty values or whitespace: not writable as extended XYZ`);
      return 'S';
  }
}

/** One frame as extended XYZ text (numbers in their shortest exact form). */
export function formatExtxyzFrame(s: Structure): string {
  const n = s.species.length;
  const names = Object.keys(s.arrays).filter((k) => k !== 'species' && k !== 'pos' && k !== 'positions');
  for (const k of names) if (/[:\s]/.test(k) || k === '') throw new InputError(`per-atom array name ${JSON.stringify(k)} cannot be an extended XYZ column`);
  const kinds = names.map((k) => columnKind(s.arrays[k], k));
  const props = ['species:S:1', 'pos:R:3', ...names.map((k, i) => `${k}:${kinds[i]}:${s.arrays[k].width}`)].join(':');
  const head: string[] = [];
  const hasCell = s.cell.some((x) => x !== 0);
  if (hasCell) head.push(`Lattice="${Array.from(s.cell, fmt).join(' ')}"`);
  head.push(`Properties=${props}`);
  for (const [k, v] of Object.entries(s.info)) {
    if (RESERVED.has(k.toLowerCase())) continue;
    head.push(`${formatKey(k)}=${formatValue(v)}`);
  }
  if (hasCell || s.pbc.some(Boolean)) head.push(`pbc="${s.pbc.map((b) => (b ? 'T' : 'F')).join(' ')}"`);
  const lines: string[] = [String(n), head.join(' ')];
  const p = s.positions;
  for (let i = 0; i < n; i++) {
    let l = `${s.species[i]} ${fmt(p[3 * i])} ${fmt(p[3 * i + 1])} ${fmt(p[3 * i + 2])}`;
    for (const k of names) {
      const a = s.arrays[k];
      for (let d = 0; d < a.width; d++) {
        const v = a.data[a.width * i + d];
        l += ' ' + (a.kind === 'bool' ? (v ? 'T' : 'F') : a.kind === 'string' ? v : fmt(v as number));
      }
    }
    lines.push(l);
  }
  return lines.join('\n') + '\n';
}

/** Appends frames to an open atomic file. */
export function writeExtxyzTo(file: AtomicFile, frames: Iterable<Structure>): number {
  let count = 0;
  for (const s of frames) { file.write(formatExtxyzFrame(s)); count++; }
  return count;
}

/** Writes frames to an extended XYZ file atomically; returns the number of frames. */
export function writeExtxyz(path: string, frames: Iterable<Structure>): number {
  return withAtomicFile(path, (f) => writeExtxyzTo(f, frames));
}
