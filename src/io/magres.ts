/**
 * CASTEP .magres files (magres-abinitio-v1.0; both [block]…[/block] and <block>…</block> syntax):
 * the [atoms] block (lattice, atoms with species, label and index, positions in Å), the [magres]
 * block (ms shielding tensors in ppm; efg, efg_local, efg_nonlocal tensors in atomic units converted to
 * V/Å² with EFG_AU_IN_V_PER_A2; sus), and [calculation] keys. Tensors are 9 numbers row-major per atom,
 * matched to atoms by (label, index). Per-atom arrays: ms, efg, efg_local, efg_nonlocal,
 * magres_label, magres_index. info: units (efg_units "V/A^2", efg_units_in_file, ms_units), calc_* keys,
 * symmetry_operations (count; the atom list is already complete).
 */
import type { AtomArray, InfoValue, Structure } from '../core/structure';
import { EFG_AU_IN_V_PER_A2 } from '../core/units';
import { FileLines, LineSource, StringLines, errorAt, tokens } from './lines';
import { parseFloatAt, parseIntAt, parseFloatsInto } from './numbers';
import { buildStructure, labelElement } from './frame';

const TENSORS = ['ms', 'efg', 'efg_local', 'efg_nonlocal'] as const;
type TensorName = (typeof TENSORS)[number];
const ALLOWED_UNITS: Record<string, string[]> = {
  atom: ['Angstrom'], lattice: ['Angstrom'], ms: ['ppm'], efg: ['au'], efg_local: ['au'], efg_nonlocal: ['au'],
  isc: ['10^19.T^2.J^-1'], isc_fc: ['10^19.T^2.J^-1'], isc_spin: ['10^19.T^2.J^-1'], isc_orbital_p: ['10^19.T^2.J^-1'],
  isc_orbital_d: ['10^19.T^2.J^-1'], sus: ['10^-6.cm^3.mol^-1'],
};

/** Reads a magres file from a line source. */
export function parseMagresLines(src: LineSource): Structure {
  try {
    return parse(src);
  } finally {
    src.close();
  }
}

function parse(src: LineSource): Structure {
  const first = src.next();
  if (first === undefined || !/^#\$magres-abinitio-v1\.\d+/.test(first.trim())) throw errorAt(src, 'a first line #$magres-abinitio-v1.0', first ?? 'an empty file');
  let block: string | undefined;
  let blockLine = 0;
  const units: Record<string, string> = {};
  let cell: Float64Array | undefined;
  const species: string[] = [], labels: string[] = [], indices: number[] = [], pos: number[] = [];
  const key = new Map<string, number>();
  const tensorLines: Record<TensorName, { label: string; index: number; v: Float64Array; line: number }[]> = { ms: [], efg: [], efg_local: [], efg_nonlocal: [] };
  const info: Record<string, InfoValue> = {};
  let symops = 0;
  const seenBlocks = new Set<string>();
  for (let raw = src.next(); raw !== undefined; raw = src.next()) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const open = /^[\[<]([A-Za-z_]+)[\]>]$/.exec(line), close = /^[\[<]\/([A-Za-z_]+)[\]>]$/.exec(line);
    if (close) {
      if (close[1] !== block) throw errorAt(src, block ? `the end of block ${block}` : 'a block to close', line);
      block = undefined;
      continue;
    }
    if (open) {
      if (block !== undefined) throw errorAt(src, `the end of block ${block} (opened at line ${blockLine}) before a new block`, line);
      block = open[1];
      blockLine = src.lineNo;
      if (seenBlocks.has(block) && ['atoms', 'magres'].includes(block)) throw errorAt(src, `a single [${block}] block`, line);
      seenBlocks.add(block);
      continue;
    }
    if (block === undefined) throw errorAt(src, 'a [block] header such as [atoms] or [magres]', line);
    if (block !== 'atoms' && block !== 'magres' && block !== 'calculation') continue; // e.g. [magres_old]: free text
    const t = tokens(line);
    const kw = t[0];
    if (block === 'calculation') {
      if (/^calc_\w+$/.test(kw)) {
        const v = t.slice(1).join(' ');
        const old = info[kw];
        info[kw] = old === undefined ? v : Array.isArray(old) ? [...(old as string[]), v] : [old as string, v];
      }
      continue;
    }
    if (kw === 'units') {
      if (t.length !== 3) throw errorAt(src, 'units <quantity> <unit>', line);
      const allowed = ALLOWED_UNITS[t[1]];
      if (allowed && !allowed.includes(t[2])) throw errorAt(src, `${t[1]} in ${allowed.join(' or ')}`, t[2]);
      units[t[1]] = t[2];
      continue;
    }
    if (block === 'atoms') {
      if (kw === 'lattice') {
        if (t.length !== 10) throw errorAt(src, 'lattice followed by 9 numbers', line);
        cell = new Float64Array(9);
        parseFloatsInto(t, 1, 9, cell, 0, src, 'a lattice component');
      } else if (kw === 'symmetry') symops++;
      else if (kw === 'atom') {
        if (t.length !== 7) throw errorAt(src, 'atom <species> <label> <index> <x> <y> <z>', line);
        const el = labelElement(t[1], src, 'an element as the atom species');
        const index = parseIntAt(t[3], src, 'an atom index', 1);
        const k = `${t[2]} ${index}`;
        if (key.has(k)) throw errorAt(src, `a unique label and index (${k} repeats)`, line);
        key.set(k, species.length);
        species.push(el); labels.push(t[2]); indices.push(index);
        for (let d = 0; d < 3; d++) pos.push(parseFloatAt(t[4 + d], src, 'a coordinate'));
      } else throw errorAt(src, 'lattice, symmetry, atom or units in the [atoms] block', kw);
    } else {
      // [magres]
      if ((TENSORS as readonly string[]).includes(kw)) {
        if (t.length !== 12) throw errorAt(src, `${kw} <label> <index> followed by 9 numbers`, line);
        const v = new Float64Array(9);
        parseFloatsInto(t, 3, 9, v, 0, src, `a ${kw} component`);
        tensorLines[kw as TensorName].push({ label: t[1], index: parseIntAt(t[2], src, 'an atom index', 1), v, line: src.lineNo });
      } else if (kw === 'sus') {
        if (t.length !== 10) throw errorAt(src, 'sus followed by 9 numbers', line);
        const v = new Float64Array(9);
        parseFloatsInto(t, 1, 9, v, 0, src, 'a sus component');
        info.sus = Array.from(v);
      } else if (!/^isc(_\w+)?$/.test(kw)) throw errorAt(src, 'ms, efg, efg_local, efg_nonlocal, isc*, sus or units in the [magres] block', kw);
    }
  }
  if (block !== undefined) throw errorAt(src, `the end of block ${block} (opened at line ${blockLine})`, 'end of file');
  if (!seenBlocks.has('atoms')) throw errorAt(src, 'an [atoms] block');
  const n = species.length;
  const arrays: Record<string, AtomArray> = {
    magres_label: { kind: 'string', width: 1, data: labels },
    magres_index: { kind: 'int', width: 1, data: Int32Array.from(indices) },
  };
  for (const name of TENSORS) {
    const rows = tensorLines[name];
    if (rows.length === 0) continue;
    if (!units[name]) throw errorAt(src, `a "units ${name} …" line before the ${name} tensors`, undefined, rows[0].line);
    const data = new Float64Array(9 * n);
    const seen = new Uint8Array(n);
    const factor = name === 'ms' ? 1 : EFG_AU_IN_V_PER_A2;
    for (const r of rows) {
      const i = key.get(`${r.label} ${r.index}`);
      if (i === undefined) throw errorAt(src, `a ${name} tensor for an atom listed in [atoms]`, `${r.label} ${r.index}`, r.line);
      if (seen[i]) throw errorAt(src, `one ${name} tensor per atom`, `${r.label} ${r.index} again`, r.line);
      seen[i] = 1;
      for (let k = 0; k < 9; k++) data[9 * i + k] = r.v[k] * factor;
    }
    const missing = seen.indexOf(0);
    if (missing >= 0) throw errorAt(src, `a ${name} tensor for every atom`, `none for ${labels[missing]} ${indices[missing]}`, rows[rows.length - 1].line);
    arrays[name] = { kind: 'float', width: 9, data };
    if (name === 'ms') info.ms_units = 'ppm';
    else { info[`${name}_units`] = 'V/A^2'; info[`${name}_units_in_file`] = units[name]; }
  }
  if (symops) info.symmetry_operations = symops;
  return buildStructure({ species, positions: pos, cell, pbc: cell !== undefined, arrays, info }, src);
}

/** Reads a CASTEP .magres file. */
export function readMagres(path: string): Structure {
  return parseMagresLines(new FileLines(path));
}

/** Parses .magres text. */
export function parseMagres(text: string, name = '<string>'): Structure {
  return parseMagresLines(new StringLines(text, name));
}
