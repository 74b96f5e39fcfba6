/**
 * CIF structures. Reading: cell parameters, the atom-site loop (fractional or Cartesian coordinates,
 * element from _atom_site_type_symbol or the label, occupancies), symmetry operations
 * (_symmetry_equiv_pos_as_xyz / _space_group_symop_operation_xyz, looped or single) expanded to P1 with
 * duplicates merged under periodic boundaries. Every atom carries `site_label` (string) and `occupancy`
 * (float); info reports the block, space group, number of operations and whether any site is partially
 * occupied. Writing: P1 with fractional coordinates in their shortest exact form.
 * The cell is built from a, b, c, α, β, γ with a along x and b in the xy plane.
 */
import { InputError, ParseError } from '../core/errors';
import type { InfoValue, Structure } from '../core/structure';
import { cellFromParameters, cellParameters, cartesianToFractional, volume } from '../core/cell';
import { FileLines, LineSource, StringLines } from './lines';
import { fmt } from './numbers';
import { buildStructure, labelElement } from './frame';
import { withAtomicFile } from './atomic';
import { CifBlock, CifValue, cifNumber, cifValues, isMissing, parseCifBlocks } from './cif-syntax';
import { SymOp, applySymOp, parseSymOp, wrapFraction } from './symmetry-operations';

/** Options of the CIF reader. */
export interface CifReadOptions {
  /** Name (without data_) or index of the data block to read; default: the first block with atom sites. */
  block?: string | number;
  /** Two images of one site closer than this (Å) are merged (default 0.01 Å). */
  mergeTolerance?: number;
}

const SYMOP_TAGS = ['_space_group_symop_operation_xyz', '_symmetry_equiv_pos_as_xyz', '_space_group_symop.operation_xyz', '_symmetry_equiv.pos_as_xyz'];

function numberOf(b: CifBlock, tag: string, file: string, required: boolean, fallback?: number): number {
  const v = cifValues(b, tag)?.[0];
  if (isMissing(v)) {
    if (required || fallback === undefined) throw new ParseError({ file, line: v?.line ?? b.line }, `a number for ${tag}`);
    return fallback;
  }
  const x = cifNumber(v!.text);
  if (x === undefined) throw new ParseError({ file, line: v!.line }, `a number for ${tag}`, v!.text);
  return x;
}

function hasAtomSites(b: CifBlock): boolean {
  return b.loops.some((l) => l.tags.includes('_atom_site_fract_x') || l.tags.includes('_atom_site_cartn_x'));
}

/** Reads the chosen data block of a CIF source as a P1 structure. */
export function parseCifLines(src: LineSource, opts: CifReadOptions = {}): Structure {
  let blocks: CifBlock[];
  try {
    blocks = parseCifBlocks(src);
  } finally {
    src.close();
  }
  const file = src.file;
  if (blocks.length === 0) throw new ParseError({ file }, 'a data_ block');
  let b: CifBlock | undefined;
  if (typeof opts.block === 'number') b = blocks[opts.block];
  else if (typeof opts.block === 'string') b = blocks.find((x) => x.name === opts.block);
  else b = blocks.find(hasAtomSites);
  if (!b) throw new ParseError({ file }, opts.block !== undefined ? `a data block ${JSON.stringify(opts.block)}` : 'a data block with an _atom_site_ loop');
  return blockToStructure(b, file, opts.mergeTolerance ?? 0.01);
}

function blockToStructure(b: CifBlock, file: string, tol: number): Structure {
  const par = ['a', 'b', 'c'].map((x) => numberOf(b, `_cell_length_${x}`, file, true));
  const ang = ['alpha', 'beta', 'gamma'].map((x) => numberOf(b, `_cell_angle_${x}`, file, false, 90));
  let cell: Float64Array;
  try {
    cell = cellFromParameters(par[0], par[1], par[2], ang[0], ang[1], ang[2]);
    if (!(volume(cell) > 1e-6 * par[0] * par[1] * par[2])) throw new InputError('degenerate cell');
  } catch (e) {
    if (e instanceof InputError) throw new ParseError({ file, line: b.line }, 'consistent cell parameters', `a=${par[0]} b=${par[1]} c=${par[2]} α=${ang[0]} β=${ang[1]} γ=${ang[2]}`);
    throw e;
  }
  const loop = b.loops.find((l) => l.tags.includes('_atom_site_fract_x')) ?? b.loops.find((l) => l.tags.includes('_atom_site_cartn_x'));
  if (!loop) throw new ParseError({ file, line: b.line }, 'an _atom_site_ loop with _atom_site_fract_x/y/z (or _atom_site_Cartn_x/y/z)');
  const fract = loop.tags.includes('_atom_site_fract_x');
  const col = (t: string) => loop.tags.indexOf(t);
  const cx = ['x', 'y', 'z'].map((a) => col(fract ? `_atom_site_fract_${a}` : `_atom_site_cartn_${a}`));
  if (cx.some((k) => k < 0)) throw new ParseError({ file, line: loop.line }, 'x, y and z coordinate columns in the atom-site loop');
  const cLabel = col('_atom_site_label'), cType = col('_atom_site_type_symbol'), cOcc = col('_atom_site_occupancy');
  const cMult = col('_atom_site_symmetry_multiplicity');
  if (cLabel < 0 && cType < 0) throw new ParseError({ file, line: loop.line }, '_atom_site_label or _atom_site_type_symbol');

  // symmetry operations
  let ops: SymOp[] = [];
  let opValues: CifValue[] | undefined;
  for (const t of SYMOP_TAGS) if ((opValues = cifValues(b, t))) break;
  if (opValues) ops = opValues.filter((v) => !isMissing(v)).map((v) => parseSymOp(v.text, { file, line: v.line }));
  if (ops.length === 0) ops = [parseSymOp('x,y,z', { file })];

  const inv = cartesianToFractional;
  const species: string[] = [];
  const labels: string[] = [];
  const occ: number[] = [];
  const fracs: number[] = [];
  const warnings: string[] = [];
  let partial = false;
  const f = new Float64Array(3), g = new Float64Array(3);
  for (const row of loop.rows) {
    const line = row[0].line;
    const num = (k: number, what: string) => {
      const v = cifNumber(row[k].text);
      if (v === undefined) throw new ParseError({ file, line: row[k].line }, `a number for ${what}`, row[k].text);
      return v;
    };
    for (let k = 0; k < 3; k++) f[k] = num(cx[k], `coordinate ${'xyz'[k]}`);
    if (!fract) { const fr = inv(cell, f); f.set(fr); }
    const label = cLabel >= 0 ? row[cLabel].text : '';
    const typeText = cType >= 0 && !isMissing(row[cType]) ? row[cType].text : label;
    const el = labelElement(typeText, { file, line }, 'an element in _atom_site_type_symbol or _atom_site_label');
    const o = cOcc >= 0 && !isMissing(row[cOcc]) ? num(cOcc, '_atom_site_occupancy') : 1;
    if (!(o > 0 && o <= 1 + 1e-6)) throw new ParseError({ file, line }, 'an occupancy in (0, 1]', String(o));
    if (o < 1) partial = true;
    // images of this site
    const start = fracs.length / 3;
    for (const op of ops) {
      applySymOp(op, f, g);
      for (let k = 0; k < 3; k++) g[k] = wrapFraction(g[k]);
      let dup = false;
      for (let j = start; j < fracs.length / 3 && !dup; j++) {
        let dx = g[0] - fracs[3 * j], dy = g[1] - fracs[3 * j + 1], dz = g[2] - fracs[3 * j + 2];
        dx -= Math.round(dx); dy -= Math.round(dy); dz -= Math.round(dz);
        const x = dx * cell[0] + dy * cell[3] + dz * cell[6], y = dx * cell[1] + dy * cell[4] + dz * cell[7], z = dx * cell[2] + dy * cell[5] + dz * cell[8];
        if (x * x + y * y + z * z < tol * tol) dup = true;
      }
      if (dup) continue;
      fracs.push(g[0], g[1], g[2]);
      species.push(el); labels.push(label || el); occ.push(o);
    }
    const images = fracs.length / 3 - start;
    if (cMult >= 0 && !isMissing(row[cMult]) && ops.length > 1) {
      const m = cifNumber(row[cMult].text);
      if (m !== undefined && m !== images) warnings.push(`site ${label || el}: ${images} images, multiplicity says ${m}`);
    }
  }
  const n = species.length;
  const positions = new Float64Array(3 * n);
  for (let i = 0; i < n; i++) {
    const a = fracs[3 * i], bb = fracs[3 * i + 1], c = fracs[3 * i + 2];
    for (let k = 0; k < 3; k++) positions[3 * i + k] = a * cell[k] + bb * cell[3 + k] + c * cell[6 + k];
  }
  const info: Record<string, InfoValue> = { cif_block: b.name, symmetry_operations: ops.length, partial_occupancy: partial };
  const sg = cifValues(b, '_symmetry_space_group_name_h-m')?.[0] ?? cifValues(b, '_space_group_name_h-m_alt')?.[0];
  if (sg && !isMissing(sg)) info.spacegroup = sg.text;
  if (warnings.length) info.cif_warnings = warnings;
  return buildStructure({
    species, positions, cell, pbc: true,
    arrays: { site_label: { kind: 'string', width: 1, data: labels }, occupancy: { kind: 'float', width: 1, data: Float64Array.from(occ) } },
    info,
  }, { file, line: b.line });
}

/** Reads a CIF file (one data block) as a P1 structure. */
export function readCif(path: string, opts: CifReadOptions = {}): Structure {
  return parseCifLines(new FileLines(path), opts);
}

/** Parses CIF text. */
export function parseCif(text: string, opts: CifReadOptions = {}, name = '<string>'): Structure {
  return parseCifLines(new StringLines(text, name), opts);
}

function cifText(s: string): string {
  if (s !== '' && !/[\s'"#;$_\[\]]/.test(s[0]) && !/\s/.test(s)) return s;
  if (!s.includes("'")) return `'${s}'`;
  if (!s.includes('"')) return `"${s}"`;
  return `\n;${s}\n;\n`;
}

/** P1 CIF text of a periodic structure (site labels and occupancies kept when present). */
export function formatCif(s: Structure, name = 'ufnmr'): string {
  if (!s.pbc.every(Boolean)) throw new InputError('CIF needs a structure periodic in all three directions');
  const [a, b, c, al, be, ga] = cellParameters(s.cell);
  const frac = cartesianToFractional(s.cell, s.positions);
  const lab = s.arrays.site_label?.kind === 'string' && s.arrays.site_label.width === 1 ? s.arrays.site_label.data : undefined;
  const occ = s.arrays.occupancy?.kind === 'float' && s.arrays.occupancy.width === 1 ? s.arrays.occupancy.data : undefined;
  const blockName = name.replace(/\s+/g, '_') || 'ufnmr';
  const out = [
    `data_${blockName}`,
    `_cell_length_a ${fmt(a)}`, `_cell_length_b ${fmt(b)}`, `_cell_length_c ${fmt(c)}`,
    `_cell_angle_alpha ${fmt(al)}`, `_cell_angle_beta ${fmt(be)}`, `_cell_angle_gamma ${fmt(ga)}`,
    "_space_group_name_H-M_alt 'P 1'", '_space_group_IT_number 1', '',
    'loop_', '_space_group_symop_operation_xyz', "'x, y, z'", '',
    'loop_', '_atom_site_label', '_atom_site_type_symbol', '_atom_site_fract_x', '_atom_site_fract_y', '_atom_site_fract_z', '_atom_site_occupancy',
  ];
  for (let i = 0; i < s.species.length; i++) {
    const label = lab && lab[i] ? lab[i] : `${s.species[i]}${i + 1}`;
    out.push(`${cifText(label)} ${s.species[i]} ${fmt(frac[3 * i])} ${fmt(frac[3 * i + 1])} ${fmt(frac[3 * i + 2])} ${occ ? fmt(occ[i]) : '1'}`);
  }
  return out.join('\n') + '\n';
}

/** Writes a P1 CIF file atomically. */
export function writeCif(path: string, s: Structure, name?: string): void {
  const text = formatCif(s, name);
  withAtomicFile(path, (f) => f.write(text));
}
