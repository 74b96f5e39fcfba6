/**
 * VASP OUTCAR (read only), streamed ionic step by ionic step: species (POTCAR TITEL lines) and
 * "ions per type", the direct lattice vectors, POSITION/TOTAL-FORCE blocks (Å, eV/Å), the final
 * energies of each step ("FREE ENERGIE OF THE ION-ELECTRON SYSTEM": free energy TOTEN, energy without
 * entropy, energy(sigma->0)), and with LEFG the EFG tensors ("Electric field gradients (V/A^2)", V_xx
 * V_yy V_zz V_xy V_xz V_yz → per-atom `efg`, 9 components, V/Å²) and the table after diagonalisation
 * (`efg_principal` = V_xx V_yy V_zz as VASP prints them, VASP's |V_zz| > |V_xx| > |V_yy| convention, and
 * `efg_eta`). info.energy is the free energy TOTEN (the energy whose derivatives are the forces).
 * Ionic steps are delimited by the "Iteration N(" headers.
 */
import type { AtomArray, InfoValue, Structure } from '../core/structure';
import { FileLines, LineSource, StringLines, errorAt, requireLine, tokens } from './lines';
import { toFortranFloat, parseIntAt } from './numbers';
import { buildStructure, checkCount, labelElement } from './frame';

/** Options of the OUTCAR reader. */
export interface OutcarReadOptions {
  /** Element of each ion type when the OUTCAR has no TITEL lines. */
  species?: readonly string[];
}

const NUM = /[+-]?(?:\d+\.\d*|\.\d+|\d+)(?:[eEdD][+-]?\d+)?/g;

/** The numbers of a fixed-format line; fused fields like "1.5-2.5" are split; anything else is a ParseError. */
function numbers(line: string, src: LineSource, count: number, what: string): number[] {
  const out: number[] = [];
  for (const tok of tokens(line)) {
    const parts = tok.match(NUM);
    if (!parts || parts.join('') !== tok) throw errorAt(src, `${count} numbers (${what})`, line.trim());
    for (const p of parts) {
      const v = toFortranFloat(p);
      if (v === undefined) throw errorAt(src, `${count} numbers (${what})`, line.trim());
      out.push(v);
    }
  }
  if (out.length < count) throw errorAt(src, `${count} numbers (${what})`, line.trim());
  return out;
}

function skipDashes(src: LineSource, what: string): void {
  const l = requireLine(src, `a dashed line (${what})`);
  if (!/^\s*-{5,}\s*$/.test(l)) throw errorAt(src, `a dashed line (${what})`, l.trim());
}

interface Pending {
  step: number;
  positions?: Float64Array;
  forces?: Float64Array;
  info: Record<string, InfoValue>;
  arrays: Record<string, AtomArray>;
}

/** Streams the ionic steps of an OUTCAR source as structures. */
export function* outcarFrames(src: LineSource, opts: OutcarReadOptions = {}): Generator<Structure> {
  try {
    const titel: string[] = [];
    let counts: number[] | undefined;
    let species: string[] | undefined;
    let n = 0;
    let cell: Float64Array | undefined;
    let cur: Pending = { step: 1, info: {}, arrays: {} };
    let emitted = 0;
    const natoms = (): number => {
      if (species) return n;
      if (!counts) throw errorAt(src, 'an "ions per type" line before the first POSITION or EFG block');
      const names = opts.species ? [...opts.species] : titel;
      if (names.length !== counts.length) throw errorAt(src, `${counts.length} species (POTCAR TITEL lines or the species option)`, names.join(' ') || 'none');
      species = [];
      names.forEach((e, k) => { for (let i = 0; i < counts![k]; i++) species!.push(labelElement(e, src, 'an element')); });
      n = species.length;
      return n;
    };
    const finish = (): Structure | undefined => {
      if (!cur.positions) return undefined;
      if (!cell) throw errorAt(src, 'the direct lattice vectors before the positions');
      const arrays: Record<string, AtomArray> = { ...cur.arrays, forces: { kind: 'float', width: 3, data: cur.forces! } };
      return buildStructure({ species: species!, positions: cur.positions, cell, pbc: true, arrays, info: { ...cur.info, ionic_step: cur.step } }, src);
    };
    for (let line = src.next(); line !== undefined; line = src.next()) {
      if (line.includes('TITEL  =')) {
        const t = tokens(line.slice(line.indexOf('=') + 1));
        if (t.length < 2) throw errorAt(src, 'TITEL = <type> <name> …', line.trim());
        titel.push(t[1].split(/[_.]/)[0]);
      } else if (line.includes('ions per type =')) {
        counts = tokens(line.slice(line.indexOf('=') + 1)).map((x) => parseIntAt(x, src, 'an ion count', 0));
        const total = counts.reduce((a, b) => a + b, 0);
        checkCount(total, 40, src.sizeBytes, src, 'a number of ions');
        species = undefined;
      } else if (line.includes('direct lattice vectors')) {
        const c = new Float64Array(9);
        for (let r = 0; r < 3; r++) c.set(numbers(requireLine(src, `lattice vector ${r + 1}`), src, 6, 'direct and reciprocal lattice vector').slice(0, 3), 3 * r);
        cell = c;
      } else if (/Iteration\s+\d+\s*\(/.test(line)) {
        const step = parseIntAt(/Iteration\s+(\d+)/.exec(line)![1], src, 'an ionic step number', 1);
        if (step !== cur.step) {
          const f = finish();
          if (f) { emitted++; yield f; }
          cur = { step, info: {}, arrays: {} };
        }
      } else if (line.includes('POSITION') && line.includes('TOTAL-FORCE')) {
        const N = natoms();
        skipDashes(src, 'under POSITION');
        const p = new Float64Array(3 * N), f = new Float64Array(3 * N);
        for (let i = 0; i < N; i++) {
          const v = numbers(requireLine(src, `position and force of ion ${i + 1} of ${N}`), src, 6, 'x y z fx fy fz');
          if (v.length !== 6) throw errorAt(src, '6 numbers (x y z fx fy fz)', `${v.length}`);
          p.set(v.slice(0, 3), 3 * i); f.set(v.slice(3), 3 * i);
        }
        skipDashes(src, 'after the positions');
        if (cur.positions) { const prev = finish(); if (prev) { emitted++; yield prev; } cur = { step: cur.step + 1, info: {}, arrays: {} }; }
        cur.positions = p; cur.forces = f;
      } else if (line.includes('FREE ENERGIE OF THE ION-ELECTRON SYSTEM')) {
        skipDashes(src, 'under FREE ENERGIE');
        for (let k = 0; k < 6; k++) {
          const l = src.next();
          if (l === undefined) break;
          const toten = /free\s+energy\s+TOTEN\s*=\s*(\S+)/.exec(l);
          const e0 = /energy\s+without\s+entropy\s*=\s*(\S+)\s+energy\(sigma->0\)\s*=\s*(\S+)/.exec(l);
          const num = (s: string, what: string) => { const v = toFortranFloat(s); if (v === undefined) throw errorAt(src, `a number for ${what}`, s); return v; };
          if (toten) { cur.info.free_energy = num(toten[1], 'TOTEN'); cur.info.energy = cur.info.free_energy; }
          if (e0) { cur.info.energy_without_entropy = num(e0[1], 'energy without entropy'); cur.info.energy_sigma0 = num(e0[2], 'energy(sigma->0)'); break; }
        }
      } else if (/^\s*Electric field gradients \(V\/A\^2\)\s*$/.test(line)) {
        const N = natoms();
        skipDashes(src, 'EFG table');
        requireLine(src, 'the EFG column header');
        skipDashes(src, 'EFG table');
        const efg = new Float64Array(9 * N);
        for (let i = 0; i < N; i++) {
          const v = numbers(requireLine(src, `the EFG of ion ${i + 1} of ${N}`), src, 7, 'ion V_xx V_yy V_zz V_xy V_xz V_yz');
          if (v.length !== 7 || v[0] !== i + 1) throw errorAt(src, `ion ${i + 1} followed by 6 EFG components`, `${v.length - 1} numbers for ion ${v[0]}`);
          const [xx, yy, zz, xy, xz, yz] = v.slice(1);
          efg.set([xx, xy, xz, xy, yy, yz, xz, yz, zz], 9 * i);
        }
        cur.arrays.efg = { kind: 'float', width: 9, data: efg };
        cur.info.efg_units = 'V/A^2';
      } else if (line.includes('Electric field gradients after diagonalization')) {
        const N = natoms();
        const l = requireLine(src, 'the EFG convention line or a dashed line');
        if (!/^\s*-{5,}\s*$/.test(l)) skipDashes(src, 'diagonalised EFG table');
        requireLine(src, 'the column header');
        skipDashes(src, 'diagonalised EFG table');
        const pr = new Float64Array(3 * N), eta = new Float64Array(N);
        for (let i = 0; i < N; i++) {
          const v = numbers(requireLine(src, `the principal EFG of ion ${i + 1} of ${N}`), src, 5, 'ion V_xx V_yy V_zz asymmetry');
          if (v.length !== 5 || v[0] !== i + 1) throw errorAt(src, `ion ${i + 1} followed by V_xx V_yy V_zz and the asymmetry`, `${v.length - 1} numbers for ion ${v[0]}`);
          pr.set(v.slice(1, 4), 3 * i);
          eta[i] = v[4];
        }
        cur.arrays.efg_principal = { kind: 'float', width: 3, data: pr };
        cur.arrays.efg_eta = { kind: 'float', width: 1, data: eta };
        cur.info.efg_units = 'V/A^2';
      }
    }
    const last = finish();
    if (last) { emitted++; yield last; }
    if (emitted === 0) throw errorAt(src, 'at least one POSITION/TOTAL-FORCE block (an OUTCAR of a finished ionic step)', 'end of file');
  } finally {
    src.close();
  }
}

/** Streams the ionic steps of a VASP OUTCAR file. */
export function* readOutcarFrames(path: string, opts: OutcarReadOptions = {}): Generator<Structure> {
  yield* outcarFrames(new FileLines(path), opts);
}

/** All ionic steps of OUTCAR text. */
export function parseOutcar(text: string, opts: OutcarReadOptions = {}, name = '<string>'): Structure[] {
  return [...outcarFrames(new StringLines(text, name), opts)];
}
