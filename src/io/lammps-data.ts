/**
 * LAMMPS data files (atom styles atomic, charge and full; orthogonal or triclinic boxes; Masses,
 * Atoms, Velocities sections; other sections skipped). Species come from a caller-given type map or by
 * matching the Masses to standard element masses. Positions are kept as written (LAMMPS frame and
 * origin; a non-zero origin goes to info.lammps_origin); atoms are sorted by id; per-atom `type`,
 * `masses`, and when present `image` (ix iy iz), `charges`, `molecule`, `velocities` (Å/fs) are kept.
 * The writer rotates the structure into the lower-triangular convention when needed.
 */
import type { AtomArray, InfoValue, Structure } from '../core/structure';
import { getFloatArray } from '../core/structure';
import { FileLines, LineSource, StringLines, errorAt, tokens } from './lines';
import { fmt, fmtAll, parseFloatAt, parseIntAt } from './numbers';
import { buildStructure, checkCount } from './frame';
import { withAtomicFile } from './atomic';
import {
  LammpsBox, LammpsReadOptions, boxToCell, cellToBox, elementsForTypes, massesForWriting, toLammpsOrientation,
  typesForWriting, velocityFromMetal, velocityToMetal,
} from './lammps-common';

/** Atom styles understood by the data reader and writer. */
export type AtomStyle = 'atomic' | 'charge' | 'full';

/** Options of {@link readLammpsData}. */
export interface LammpsDataReadOptions extends LammpsReadOptions {
  /** Atom style when the Atoms header has no "# style" comment (default: inferred from the column count). */
  atomStyle?: AtomStyle;
}

const SECTIONS = new Set([
  'Atoms', 'Velocities', 'Masses', 'Ellipsoids', 'Lines', 'Triangles', 'Bodies', 'Bonds', 'Angles', 'Dihedrals', 'Impropers',
  'Pair Coeffs', 'PairIJ Coeffs', 'Bond Coeffs', 'Angle Coeffs', 'Dihedral Coeffs', 'Improper Coeffs',
  'BondBond Coeffs', 'BondAngle Coeffs', 'MiddleBondTorsion Coeffs', 'EndBondTorsion Coeffs', 'AngleTorsion Coeffs',
  'AngleAngleTorsion Coeffs', 'BondBond13 Coeffs', 'AngleAngle Coeffs',
]);

const STYLE_COLUMNS: Record<AtomStyle, { pos: number; type: number; q?: number; mol?: number; n: number }> = {
  atomic: { type: 1, pos: 2, n: 5 },
  charge: { type: 1, q: 2, pos: 3, n: 6 },
  full: { mol: 1, type: 2, q: 3, pos: 4, n: 7 },
};

function stripComment(line: string): string {
  const h = line.indexOf('#');
  return (h >= 0 ? line.slice(0, h) : line).trim();
}

/** Reads a LAMMPS data file from a line source. */
export function parseLammpsDataLines(src: LineSource, opts: LammpsDataReadOptions = {}): Structure {
  try {
    return parse(src, opts);
  } finally {
    src.close();
  }
}

function parse(src: LineSource, opts: LammpsDataReadOptions): Structure {
  const title = src.next();
  if (title === undefined) throw errorAt(src, 'a LAMMPS data file (title line)', 'an empty file');
  let natoms: number | undefined, ntypes: number | undefined;
  const box: LammpsBox = { lo: [0, 0, 0], hi: [NaN, NaN, NaN], xy: 0, xz: 0, yz: 0 };
  const boxSeen = [false, false, false];
  let section: string | undefined;
  let sectionComment = '';
  // header
  for (;;) {
    const raw = src.next();
    if (raw === undefined) break;
    const line = stripComment(raw);
    if (line === '') continue;
    if (SECTIONS.has(line)) { section = line; sectionComment = raw.includes('#') ? raw.slice(raw.indexOf('#') + 1).trim() : ''; break; }
    const t = tokens(line);
    const ends = (kw: string, nums: number) => t.length === nums + kw.split(' ').length && t.slice(nums).join(' ') === kw;
    if (ends('atoms', 1)) natoms = parseIntAt(t[0], src, 'the number of atoms', 0);
    else if (ends('atom types', 1)) ntypes = parseIntAt(t[0], src, 'the number of atom types', 1);
    else if (/ [xyz]lo [xyz]hi$/.test(line)) {
      const k = 'xyz'.indexOf(t[t.length - 2][0]);
      if (t.length !== 4 || t[3] !== `${'xyz'[k]}hi`) throw errorAt(src, `"${'xyz'[k]}lo ${'xyz'[k]}hi" after two numbers`, raw);
      box.lo[k] = parseFloatAt(t[0], src, `${'xyz'[k]}lo`);
      box.hi[k] = parseFloatAt(t[1], src, `${'xyz'[k]}hi`);
      boxSeen[k] = true;
    } else if (/ xy xz yz$/.test(line)) {
      if (t.length !== 6) throw errorAt(src, 'three tilt factors before "xy xz yz"', raw);
      box.xy = parseFloatAt(t[0], src, 'xy'); box.xz = parseFloatAt(t[1], src, 'xz'); box.yz = parseFloatAt(t[2], src, 'yz');
    } else if (/(avec|bvec|cvec|abc origin)$/.test(line)) {
      throw errorAt(src, 'a restricted triclinic box (xlo xhi … xy xz yz); general triclinic (avec/bvec/cvec) is not supported', line);
    } else if (!/^[+-]?\d+(\s+[+-]?\d+)*\s+[a-z][a-z ]*$/.test(line)) {
      throw errorAt(src, 'a header line such as "N atoms", "N atom types", "xlo xhi" or a section name', raw);
    }
  }
  if (natoms === undefined) throw errorAt(src, 'an "N atoms" header line');
  if (ntypes === undefined) throw errorAt(src, 'an "N atom types" header line');
  if (!boxSeen.every(Boolean)) throw errorAt(src, 'xlo xhi, ylo yhi and zlo zhi header lines');
  checkCount(natoms, 8, src.sizeBytes, src, 'a number of atoms');
  checkCount(ntypes, 1, src.sizeBytes, src, 'a number of atom types');
  const n = natoms;

  const masses: (number | undefined)[] = new Array(ntypes).fill(undefined);
  let massesSeen = false;
  const ids = new Float64Array(n);
  const typeOf = new Int32Array(n);
  const pos = new Float64Array(3 * n);
  let image: Int32Array | undefined;
  let charges: Float64Array | undefined;
  let molecule: Int32Array | undefined;
  let vel: Float64Array | undefined;
  let velIds: Float64Array | undefined;
  let atomsSeen = false;

  while (section !== undefined) {
    const current = section, comment = sectionComment;
    const header = src.lineNo;
    section = undefined;
    // section body: numeric lines until the next section name or the end
    const body: { t: string[]; line: number }[] = [];
    for (;;) {
      const raw = src.peek();
      if (raw === undefined) break;
      const line = stripComment(raw);
      if (line !== '' && /^[A-Za-z]/.test(line)) {
        if (!SECTIONS.has(line)) { src.next(); throw errorAt(src, 'a known section name (Atoms, Masses, Velocities, … Coeffs, Bonds, …)', raw); }
        src.next();
        section = line;
        sectionComment = raw.includes('#') ? raw.slice(raw.indexOf('#') + 1).trim() : '';
        break;
      }
      src.next();
      if (current === 'Atoms' || current === 'Masses' || current === 'Velocities') {
        if (line !== '') body.push({ t: tokens(line), line: src.lineNo });
        if (body.length > n + ntypes + 1) throw errorAt(src, `at most ${current === 'Masses' ? ntypes : n} lines in the ${current} section`);
      }
    }
    const at = (line: number) => ({ file: src.file, line });
    if (current === 'Masses') {
      massesSeen = true;
      if (body.length !== ntypes) throw errorAt(src, `${ntypes} lines in the Masses section (line ${header})`, `${body.length}`);
      for (const { t, line } of body) {
        const ty = parseIntAt(t[0], at(line), 'an atom type', 1);
        if (ty > ntypes) throw errorAt(src, `an atom type ≤ ${ntypes}`, t[0], line);
        const m = parseFloatAt(t[1], at(line), 'a mass');
        if (!(m > 0)) throw errorAt(src, 'a positive mass', t[1], line);
        masses[ty - 1] = m;
      }
    } else if (current === 'Atoms') {
      if (atomsSeen) throw errorAt(src, 'a single Atoms section', undefined, header);
      atomsSeen = true;
      if (body.length !== n) throw errorAt(src, `${n} lines in the Atoms section (line ${header})`, `${body.length}`);
      const ncols = body.length ? body[0].t.length : 0;
      let style: AtomStyle | undefined = (['atomic', 'charge', 'full'] as AtomStyle[]).find((s) => s === comment.split(/\s+/)[0]);
      if (!style && comment !== '') throw errorAt(src, 'atom style atomic, charge or full in the Atoms header', comment, header);
      style ??= opts.atomStyle ?? (ncols === 5 || ncols === 8 ? 'atomic' : ncols === 6 || ncols === 9 ? 'charge' : ncols === 7 || ncols === 10 ? 'full' : undefined);
      if (!style) throw errorAt(src, 'Atoms lines with 5/8 (atomic), 6/9 (charge) or 7/10 (full) columns', `${ncols}`, body[0]?.line);
      const sc = STYLE_COLUMNS[style];
      const withImage = ncols === sc.n + 3;
      if (withImage) image = new Int32Array(3 * n);
      if (sc.q !== undefined) charges = new Float64Array(n);
      if (sc.mol !== undefined) molecule = new Int32Array(n);
      body.forEach(({ t, line }, i) => {
        if (t.length !== ncols) throw errorAt(src, `${ncols} columns like the first Atoms line`, `${t.length}`, line);
        const w = at(line);
        ids[i] = parseIntAt(t[0], w, 'an atom id', 1);
        const ty = parseIntAt(t[sc.type], w, 'an atom type', 1);
        if (ty > ntypes) throw errorAt(src, `an atom type ≤ ${ntypes}`, t[sc.type], line);
        typeOf[i] = ty;
        for (let k = 0; k < 3; k++) pos[3 * i + k] = parseFloatAt(t[sc.pos + k], w, 'a coordinate');
        if (image) for (let k = 0; k < 3; k++) image[3 * i + k] = parseIntAt(t[sc.n + k], w, 'an image flag');
        if (charges) charges[i] = parseFloatAt(t[sc.q!], w, 'a charge');
        if (molecule) molecule[i] = parseIntAt(t[sc.mol!], w, 'a molecule id');
      });
    } else if (current === 'Velocities') {
      if (body.length !== n) throw errorAt(src, `${n} lines in the Velocities section (line ${header})`, `${body.length}`);
      vel = new Float64Array(3 * n);
      velIds = new Float64Array(n);
      body.forEach(({ t, line }, i) => {
        const w = at(line);
        if (t.length < 4) throw errorAt(src, 'id vx vy vz', t.join(' '), line);
        velIds![i] = parseIntAt(t[0], w, 'an atom id', 1);
        for (let k = 0; k < 3; k++) vel![3 * i + k] = velocityFromMetal(parseFloatAt(t[1 + k], w, 'a velocity (Å/ps)'));
      });
    }
  }
  if (!atomsSeen) throw errorAt(src, 'an Atoms section');
  const elements = elementsForTypes(ntypes, massesSeen ? masses : undefined, opts.typeMap, src);

  // sort by id
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => ids[a] - ids[b]);
  for (let k = 1; k < n; k++) if (ids[order[k]] === ids[order[k - 1]]) throw errorAt(src, 'unique atom ids', String(ids[order[k]]));
  const species = order.map((i) => elements[typeOf[i] - 1]);
  const positions = new Float64Array(3 * n);
  order.forEach((i, j) => positions.set(pos.subarray(3 * i, 3 * i + 3), 3 * j));
  const arrays: Record<string, AtomArray> = {};
  arrays.type = { kind: 'int', width: 1, data: Int32Array.from(order, (i) => typeOf[i]) };
  if (massesSeen) arrays.masses = { kind: 'float', width: 1, data: Float64Array.from(order, (i) => masses[typeOf[i] - 1]!) };
  if (image) { const d = new Int32Array(3 * n); order.forEach((i, j) => d.set(image!.subarray(3 * i, 3 * i + 3), 3 * j)); arrays.image = { kind: 'int', width: 3, data: d }; }
  if (charges) arrays.charges = { kind: 'float', width: 1, data: Float64Array.from(order, (i) => charges![i]) };
  if (molecule) arrays.molecule = { kind: 'int', width: 1, data: Int32Array.from(order, (i) => molecule![i]) };
  if (vel) {
    const where = new Map<number, number>();
    velIds!.forEach((id, i) => where.set(id, i));
    const d = new Float64Array(3 * n);
    order.forEach((i, j) => {
      const v = where.get(ids[i]);
      if (v === undefined) throw errorAt(src, `a velocity for atom id ${ids[i]}`);
      d.set(vel!.subarray(3 * v, 3 * v + 3), 3 * j);
    });
    arrays.velocities = { kind: 'float', width: 3, data: d };
  }
  const sortedIds = order.map((i) => ids[i]);
  if (sortedIds.some((id, j) => id !== j + 1)) arrays.id = { kind: 'int', width: 1, data: Int32Array.from(sortedIds, (x) => (x > 2147483647 ? -1 : x)) };
  const { cell, origin } = boxToCell(box);
  const info: Record<string, InfoValue> = {};
  if (title.trim() !== '') info.comment = title.trim();
  if (origin.some((x) => x !== 0)) info.lammps_origin = origin;
  return buildStructure({ species, positions, cell, pbc: true, arrays, info }, src);
}

/** Reads a LAMMPS data file. */
export function readLammpsData(path: string, opts: LammpsDataReadOptions = {}): Structure {
  return parseLammpsDataLines(new FileLines(path), opts);
}

/** Parses LAMMPS data text. */
export function parseLammpsData(text: string, opts: LammpsDataReadOptions = {}, name = '<string>'): Structure {
  return parseLammpsDataLines(new StringLines(text, name), opts);
}

/** Options of {@link formatLammpsData}. */
export interface LammpsDataWriteOptions {
  /** Element of each type (index type−1); default: the `type` array when consistent, else species order. */
  typeMap?: readonly string[];
  atomStyle?: AtomStyle;
  /** Write the Velocities section when the structure has velocities (default true). */
  velocities?: boolean;
}

/** LAMMPS data text of a structure (rotated to the lower-triangular convention when needed). */
export function formatLammpsData(s0: Structure, opts: LammpsDataWriteOptions = {}): string {
  const { structure: s } = toLammpsOrientation(s0);
  const n = s.species.length;
  const style = opts.atomStyle ?? (s.arrays.molecule ? 'full' : s.arrays.charges ? 'charge' : 'atomic');
  const { types, elements } = typesForWriting(s, opts.typeMap);
  const masses = massesForWriting(s, types, elements);
  const origin = Array.isArray(s.info.lammps_origin) && s.info.lammps_origin.length === 3 && s.info.lammps_origin.every((x) => typeof x === 'number')
    ? (s.info.lammps_origin as number[]) : [0, 0, 0];
  const box = cellToBox(s.cell, origin);
  const comment = typeof s.info.comment === 'string' && !s.info.comment.includes('\n') ? s.info.comment : `ufnmr ${elements.join(' ')}`;
  const out: string[] = [comment, '', `${n} atoms`, `${elements.length} atom types`, ''];
  out.push(`${fmt(box.lo[0])} ${fmt(box.hi[0])} xlo xhi`, `${fmt(box.lo[1])} ${fmt(box.hi[1])} ylo yhi`, `${fmt(box.lo[2])} ${fmt(box.hi[2])} zlo zhi`);
  if (box.xy !== 0 || box.xz !== 0 || box.yz !== 0) out.push(`${fmt(box.xy)} ${fmt(box.xz)} ${fmt(box.yz)} xy xz yz`);
  out.push('', 'Masses', '');
  elements.forEach((e, t) => out.push(`${t + 1} ${fmt(masses[t])} # ${e}`));
  out.push('', `Atoms # ${style}`, '');
  const img = s.arrays.image?.kind === 'int' && s.arrays.image.width === 3 ? s.arrays.image.data : undefined;
  const q = style !== 'atomic' ? getFloatArray(s, 'charges', 1) : undefined;
  const mol = s.arrays.molecule?.kind === 'int' && s.arrays.molecule.width === 1 ? s.arrays.molecule.data : undefined;
  const idArr = s.arrays.id?.kind === 'int' && s.arrays.id.width === 1 && new Set(s.arrays.id.data).size === n && s.arrays.id.data.every((x) => x >= 1) ? s.arrays.id.data : undefined;
  const id = (i: number) => (idArr ? idArr[i] : i + 1);
  const p = s.positions;
  for (let i = 0; i < n; i++) {
    let l = `${id(i)} `;
    if (style === 'full') l += `${mol ? mol[i] : 0} `;
    l += `${types[i]} `;
    if (style !== 'atomic') l += `${q ? fmt(q[i]) : '0'} `;
    l += fmtAll(p, 3 * i, 3 * i + 3);
    if (img) l += ` ${img[3 * i]} ${img[3 * i + 1]} ${img[3 * i + 2]}`;
    out.push(l);
  }
  const v = opts.velocities !== false ? getFloatArray(s, 'velocities', 3) : undefined;
  if (v) {
    out.push('', 'Velocities', '');
    for (let i = 0; i < n; i++) out.push(`${id(i)} ${fmt(velocityToMetal(v[3 * i]))} ${fmt(velocityToMetal(v[3 * i + 1]))} ${fmt(velocityToMetal(v[3 * i + 2]))}`);
  }
  return out.join('\n') + '\n';
}

/** Writes a LAMMPS data file atomically. */
export function writeLammpsData(path: string, s: Structure, opts: LammpsDataWriteOptions = {}): void {
  const text = formatLammpsData(s, opts);
  withAtomicFile(path, (f) => f.write(text));
}

