/**
 * VASP POSCAR/CONTCAR: VASP 5 (species line) and VASP 4 (species from the caller, or from the comment
 * line when it names them); scale factor (one number, negative = target volume in Å³, or three
 * per-axis factors); Direct or Cartesian coordinates; selective dynamics kept as the per-atom bool
 * array `selective_dynamics` (width 3, true = free to move). Anything after the coordinates
 * (velocities, predictor–corrector data) is ignored. The writer uses Cartesian coordinates with scale 1
 * by default so that a round trip is bit-exact.
 */
import { InputError } from '../core/errors';
import type { AtomArray, InfoValue, Structure } from '../core/structure';
import { det3, cartesianToFractional } from '../core/cell';
import { isElement } from '../core/elements';
import { FileLines, LineSource, StringLines, errorAt, requireLine, tokens } from './lines';
import { fmt, fmtAll, parseFloatAt, parseIntAt, toFloat, toInt } from './numbers';
import { buildStructure, checkCount, labelElement } from './frame';
import { withAtomicFile } from './atomic';

/** Options of the POSCAR reader. */
export interface PoscarReadOptions {
  /** Element of each species block, for VASP 4 files without a species line. */
  species?: readonly string[];
}

/** Element symbol from a POTCAR-style name such as "Li_sv" or "S/abc123". */
function potcarElement(tok: string, src: LineSource): string {
  return labelElement(tok.split(/[_/.]/)[0], src, 'an element name in the species line');
}

/** Reads a POSCAR/CONTCAR from a line source. */
export function parsePoscarLines(src: LineSource, opts: PoscarReadOptions = {}): Structure {
  try {
    return parse(src, opts);
  } finally {
    src.close();
  }
}

function parse(src: LineSource, opts: PoscarReadOptions): Structure {
  const comment = requireLine(src, 'the comment line of a POSCAR').trim();
  const st = tokens(requireLine(src, 'the scale factor'));
  if (st.length === 0) throw errorAt(src, 'a scale factor');
  const scaleToks = st.length >= 3 && st.slice(0, 3).every((x) => toFloat(x) !== undefined) ? st.slice(0, 3) : st.slice(0, 1);
  const scales = scaleToks.map((t) => parseFloatAt(t, src, 'the scale factor'));
  if (scales.some((x) => x === 0) || (scales.length === 3 && scales.some((x) => x < 0))) throw errorAt(src, 'a non-zero scale factor (negative = volume) or three positive factors', st.join(' '));
  const lattice = new Float64Array(9);
  for (let r = 0; r < 3; r++) {
    const t = tokens(requireLine(src, `lattice vector ${r + 1}`));
    if (t.length < 3) throw errorAt(src, `three components of lattice vector ${r + 1}`, t.join(' '));
    for (let k = 0; k < 3; k++) lattice[3 * r + k] = parseFloatAt(t[k], src, `lattice vector ${r + 1}`);
  }
  let sx = 1, sy = 1, sz = 1;
  if (scales.length === 3) [sx, sy, sz] = scales;
  else if (scales[0] < 0) {
    const v = Math.abs(det3(lattice));
    if (!(v > 0)) throw errorAt(src, 'linearly independent lattice vectors');
    sx = sy = sz = Math.cbrt(-scales[0] / v);
  } else sx = sy = sz = scales[0];
  const cell = new Float64Array(9);
  for (let r = 0; r < 3; r++) { cell[3 * r] = lattice[3 * r] * sx; cell[3 * r + 1] = lattice[3 * r + 1] * sy; cell[3 * r + 2] = lattice[3 * r + 2] * sz; }

  let t = tokens(requireLine(src, 'the species names (VASP 5) or the atom counts'));
  let names: string[];
  if (t.length > 0 && toInt(t[0]) === undefined) {
    names = t.map((x) => potcarElement(x, src));
    t = tokens(requireLine(src, 'the atom counts'));
  } else {
    const guess = tokens(comment).slice(0, t.length);
    if (opts.species) names = [...opts.species];
    else if (guess.length === t.length && guess.every(isElement)) names = guess;
    else throw errorAt(src, 'a VASP 5 species line, or the species given by the caller (VASP 4 file)', t.join(' '));
    for (const e of names) if (!isElement(e)) throw errorAt(src, 'element symbols for the VASP 4 species', e);
  }
  const counts = t.map((x) => parseIntAt(x, src, 'an atom count', 0));
  if (counts.length !== names.length) throw errorAt(src, `${names.length} atom counts (one per species)`, `${counts.length}`);
  const n = counts.reduce((a, b) => a + b, 0);
  checkCount(n, 6, src.sizeBytes, src, 'a total number of atoms');
  let mode = requireLine(src, 'Selective dynamics, Direct or Cartesian').trim();
  let selective = false;
  if (/^[sS]/.test(mode)) { selective = true; mode = requireLine(src, 'Direct or Cartesian').trim(); }
  const cartesian = /^[cCkK]/.test(mode);
  if (!cartesian && !/^[dD]/.test(mode)) throw errorAt(src, 'Direct or Cartesian', mode);
  const species: string[] = [];
  names.forEach((e, k) => { for (let i = 0; i < counts[k]; i++) species.push(e); });
  const coords = new Float64Array(3 * n);
  const flags = selective ? new Uint8Array(3 * n) : undefined;
  for (let i = 0; i < n; i++) {
    const a = tokens(requireLine(src, `coordinates of atom ${i + 1} of ${n}`));
    if (a.length < (selective ? 6 : 3)) throw errorAt(src, selective ? 'three coordinates and three T/F flags' : 'three coordinates', a.join(' '));
    for (let k = 0; k < 3; k++) coords[3 * i + k] = parseFloatAt(a[k], src, 'a coordinate');
    if (flags) for (let k = 0; k < 3; k++) {
      const f = a[3 + k];
      if (f !== 'T' && f !== 'F' && f !== 't' && f !== 'f') throw errorAt(src, 'a selective-dynamics flag T or F', f);
      flags[3 * i + k] = f === 'T' || f === 't' ? 1 : 0;
    }
  }
  let positions: Float64Array;
  if (cartesian) {
    positions = coords;
    if (sx !== 1 || sy !== 1 || sz !== 1) for (let i = 0; i < n; i++) { positions[3 * i] *= sx; positions[3 * i + 1] *= sy; positions[3 * i + 2] *= sz; }
  } else {
    positions = new Float64Array(3 * n);
    for (let i = 0; i < n; i++) {
      const a = coords[3 * i], b = coords[3 * i + 1], c = coords[3 * i + 2];
      for (let k = 0; k < 3; k++) positions[3 * i + k] = a * cell[k] + b * cell[3 + k] + c * cell[6 + k];
    }
  }
  const arrays: Record<string, AtomArray> = {};
  if (flags) arrays.selective_dynamics = { kind: 'bool', width: 3, data: flags };
  const info: Record<string, InfoValue> = {};
  if (comment !== '') info.comment = comment;
  return buildStructure({ species, positions, cell, pbc: true, arrays, info }, src);
}

/** Reads a POSCAR/CONTCAR file. */
export function readPoscar(path: string, opts: PoscarReadOptions = {}): Structure {
  return parsePoscarLines(new FileLines(path), opts);
}

/** Parses POSCAR text. */
export function parsePoscar(text: string, opts: PoscarReadOptions = {}, name = '<string>'): Structure {
  return parsePoscarLines(new StringLines(text, name), opts);
}

/** Options of the POSCAR writer. */
export interface PoscarWriteOptions {
  /** Write fractional (Direct) coordinates instead of Cartesian (not bit-exact on reading back). */
  direct?: boolean;
  comment?: string;
}

/** POSCAR text (VASP 5). Species are written as blocks of consecutive equal elements (a block may repeat). */
export function formatPoscar(s: Structure, opts: PoscarWriteOptions = {}): string {
  if (!s.pbc.some(Boolean) && s.cell.every((x) => x === 0)) throw new InputError('POSCAR needs a cell: this structure has none');
  const n = s.species.length;
  const names: string[] = [], counts: number[] = [];
  for (const e of s.species) {
    if (names.length && names[names.length - 1] === e) counts[counts.length - 1]++;
    else { names.push(e); counts.push(1); }
  }
  const comment = (opts.comment ?? (typeof s.info.comment === 'string' ? s.info.comment : names.map((e, i) => `${e}${counts[i]}`).join(''))).replace(/[\r\n]+/g, ' ');
  const out = [comment, '1.0'];
  for (let r = 0; r < 3; r++) out.push(fmtAll(s.cell, 3 * r, 3 * r + 3));
  out.push(names.join(' '), counts.join(' '));
  const sd = s.arrays.selective_dynamics;
  const flags = sd && sd.kind === 'bool' && sd.width === 3 ? sd.data : undefined;
  if (flags) out.push('Selective dynamics');
  out.push(opts.direct ? 'Direct' : 'Cartesian');
  const c = opts.direct ? cartesianToFractional(s.cell, s.positions) : s.positions;
  for (let i = 0; i < n; i++) {
    let l = `${fmt(c[3 * i])} ${fmt(c[3 * i + 1])} ${fmt(c[3 * i + 2])}`;
    if (flags) l += ` ${flags[3 * i] ? 'T' : 'F'} ${flags[3 * i + 1] ? 'T' : 'F'} ${flags[3 * i + 2] ? 'T' : 'F'}`;
    out.push(l);
  }
  return out.join('\n') + '\n';
}

/** Writes a POSCAR file atomically. */
export function writePoscar(path: string, s: Structure, opts: PoscarWriteOptions = {}): void {
  const text = formatPoscar(s, opts);
  withAtomicFile(path, (f) => f.write(text));
}
