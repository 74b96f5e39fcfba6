/**
 * Fuzz test of every reader: valid fixtures are mutated (truncation, byte flips, deleted / duplicated /
 * swapped lines, garbled numbers) thousands of times. Each reader must either return structures with only
 * finite numbers and known elements, or throw a ParseError: never a TypeError/RangeError or anything else.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readFileSync, writeFileSync, cpSync } from 'node:fs';
import { ParseError } from '../../src/core/errors';
import { isElement } from '../../src/core/elements';
import type { Structure } from '../../src/core/structure';
import { parseExtxyz } from '../../src/io/extxyz';
import { parsePoscar } from '../../src/io/poscar';
import { parseCif } from '../../src/io/cif';
import { parseLammpsData } from '../../src/io/lammps-data';
import { parseLammpsDump } from '../../src/io/lammps-dump';
import { parseMagres } from '../../src/io/magres';
import { parseOutcar } from '../../src/io/outcar';
import { parseNpy, encodeNpy, readNpyRows } from '../../src/io/npy';
import { readDeepmdFrames } from '../../src/io/deepmd';
import { rng } from '../helpers/random';
import { FIXTURES, tempDir } from './helpers';

const fix = (f: string) => readFileSync(join(FIXTURES, f), 'utf8');
const firstFrames = (text: string, lines: number) => text.split('\n').slice(0, lines).join('\n') + '\n';

type Reader = (text: string) => Structure[];
const READERS: { name: string; text: string; read: Reader }[] = [
  { name: 'extxyz (GPAW EFG)', text: firstFrames(fix('lps_gpaw_pbe_efg_2frames.xyz'), 18), read: (t) => parseExtxyz(t, 'f.xyz') },
  { name: 'extxyz (gigli, 2 frames)', text: firstFrames(fix('gigli2024_test_3frames.xyz'), 68), read: (t) => parseExtxyz(t, 'f.xyz') },
  { name: 'poscar', text: fix('CONTCAR_gamma-Li3PS4_xas-tools'), read: (t) => [parsePoscar(t, {}, 'POSCAR')] },
  { name: 'poscar selective', text: 'sd\n1.0\n4 0 0\n0.5 4 0\n0 0 4\nLi S\n1 1\nSelective dynamics\nDirect\n0 0 0 T F T\n0.5 0.5 0.5 F F F\n', read: (t) => [parsePoscar(t, {}, 'POSCAR')] },
  { name: 'cif (Pnma sites)', text: fix('beta-Li3PS4_Li-sites_GEMDAT.cif'), read: (t) => [parseCif(t, {}, 'f.cif')] },
  { name: 'cif (P1)', text: firstFrames(fix('beta-Li3PS4_ordered_8d4b_Pnma_from-Chen2025-frame0.cif'), 40), read: (t) => [parseCif(t, {}, 'f.cif')] },
  { name: 'lammps data', text: firstFrames(fix('lammps_unittest.data'), 49).replace('64 atoms', '16 atoms'), read: (t) => [parseLammpsData(t, {}, 'f.data')] },
  { name: 'lammps data (type map)', text: 'tri\n\n3 atoms\n2 atom types\n0 4 xlo xhi\n0 5 ylo yhi\n0 6 zlo zhi\n1 -2 3 xy xz yz\n\nMasses\n\n1 6.94\n2 32.06\n\nAtoms # atomic\n\n2 2 1 1 1 0 0 1\n1 1 0 0 0 0 0 0\n3 1 2 2 2 -1 0 0\n\nVelocities\n\n1 1 2 3\n2 0 0 0\n3 -1 -2 -3\n', read: (t) => [parseLammpsData(t, { typeMap: ['Li', 'S'] }, 'f.data')] },
  { name: 'lammps dump', text: firstFrames(fix('NeXe_LJ_dump_3frames.lammpstrj'), 9 + 20).replace('ATOMS\n64', 'ATOMS\n20'), read: (t) => parseLammpsDump(t, { typeMap: ['Ne', 'Xe'] }, 'f.dump') },
  { name: 'lammps dump (triclinic, scaled, element)', text: 'ITEM: TIMESTEP\n7\nITEM: NUMBER OF ATOMS\n2\nITEM: BOX BOUNDS xy xz yz pp pp pp\n-0.5 11 1\n0 8.25 -0.5\n0 6 0.25\nITEM: ATOMS zs element ys id xs xu yu zu vx vy vz\n0.5 S 0.5 2 0.5 1 2 3 1000 0 0\n0 Li 0 1 0 -9 -8 -7 0 0 -2000\nITEM: TIMESTEP\n8\nITEM: NUMBER OF ATOMS\n1\nITEM: BOX BOUNDS pp pp ff\n0 1\n0 1\n0 1\nITEM: ATOMS id type x y z ix iy iz q\n1 1 0.5 0.5 0.5 0 1 -1 0.3\n', read: (t) => parseLammpsDump(t, { typeMap: ['P'] }, 'f.dump') },
  { name: 'magres (minimal)', text: fix('test_efg_magresview.magres'), read: (t) => [parseMagres(t, 'f.magres')] },
  { name: 'magres (CASTEP)', text: firstFrames(fix('nacl_soprano.magres'), 241), read: (t) => [parseMagres(t, 'f.magres')] },
  { name: 'outcar', text: fix('OUTCAR_synthetic_LiS'), read: (t) => parseOutcar(t, {}, 'OUTCAR') },
];

const GARBAGE = ['nan', 'NaN', 'inf', '-inf', '1e999', '-1e999', '1e-999', '', '-', '.', '1.2.3', '0x1f', '99999999999999999999', '-1', '0', '-0', 'abc', 'T', '"', "'", '#', ';', '=', '[', ']', '{', '}', '1/0', 'ITEM:', 'loop_', '_cell_length_a', '<atoms>', '[/atoms]', '1e308', '5e-324'];
const NUMBER = /[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/g;

/** One random mutation of a text. */
function mutate(text: string, u: () => number): string {
  const pick = <T>(xs: T[]) => xs[Math.floor(u() * xs.length)];
  const lines = text.split('\n');
  const li = Math.floor(u() * lines.length);
  switch (Math.floor(u() * 8)) {
    case 0: return text.slice(0, Math.floor(u() * text.length));
    case 1: { // byte flip
      const i = Math.floor(u() * text.length);
      const c = pick(['0', '9', '-', '.', 'e', ' ', '\n', 'x', '\t', '\u0000', '\u00e9', String.fromCharCode(32 + Math.floor(u() * 95))]);
      return text.slice(0, i) + c + text.slice(i + 1);
    }
    case 2: lines.splice(li, 1); return lines.join('\n');
    case 3: lines.splice(li, 0, lines[li]); return lines.join('\n');
    case 4: { const lj = Math.floor(u() * lines.length); [lines[li], lines[lj]] = [lines[lj], lines[li]]; return lines.join('\n'); }
    case 5: lines.splice(li, 0, pick(GARBAGE) + ' ' + pick(GARBAGE)); return lines.join('\n');
    default: { // garble a number
      const matches = [...text.matchAll(NUMBER)];
      if (matches.length === 0) return text + pick(GARBAGE);
      const m = pick(matches);
      return text.slice(0, m.index!) + pick(GARBAGE) + text.slice(m.index! + m[0].length);
    }
  }
}

function checkStructure(s: Structure, where: string): void {
  const finite = (xs: ArrayLike<number>, what: string) => {
    for (let i = 0; i < xs.length; i++) if (!Number.isFinite(xs[i])) assert.fail(`${where}: non-finite ${what}[${i}] = ${xs[i]}`);
  };
  assert.equal(s.positions.length, 3 * s.species.length, `${where}: positions length`);
  for (const e of s.species) assert.ok(isElement(e), `${where}: unknown element ${e}`);
  finite(s.positions, 'positions');
  finite(s.cell, 'cell');
  for (const [k, a] of Object.entries(s.arrays)) {
    assert.equal(a.data.length, a.width * s.species.length, `${where}: array ${k} length`);
    if (a.kind === 'float' || a.kind === 'int') finite(a.data as ArrayLike<number>, k);
  }
  for (const [k, v] of Object.entries(s.info)) {
    if (typeof v === 'number') finite([v], k);
    if (Array.isArray(v)) for (const x of v) if (typeof x === 'number') finite([x], k);
  }
}

function expectParseErrorOrValid(run: () => Structure[], where: string, sample: string): 'ok' | 'error' {
  let out: Structure[];
  try {
    out = run();
  } catch (e) {
    if (e instanceof ParseError) {
      assert.ok(e.file && e.expected, `${where}: ParseError without file/expected`);
      return 'error';
    }
    assert.fail(`${where}: ${(e as Error)?.name}: ${(e as Error)?.message}\n--- input (first 400 chars) ---\n${sample.slice(0, 400)}`);
  }
  for (const s of out) checkStructure(s, where);
  return 'ok';
}

test('fuzz: mutated text fixtures give valid structures or ParseErrors, never anything else', () => {
  const u = rng(20241125);
  const perReader = 450;
  let errors = 0, oks = 0;
  for (const r of READERS) {
    assert.ok(r.read(r.text).length > 0, `${r.name}: the unmutated fixture must parse`);
    for (let k = 0; k < perReader; k++) {
      let t = r.text;
      const m = 1 + Math.floor(u() * 3);
      for (let j = 0; j < m; j++) t = mutate(t, u);
      const res = expectParseErrorOrValid(() => r.read(t), `${r.name} #${k}`, t);
      if (res === 'error') errors++; else oks++;
    }
  }
  // the mutations must actually exercise both outcomes
  assert.ok(errors > 1000 && oks > 200, `errors ${errors}, ok ${oks}`);
});

test('fuzz: mutated .npy bytes and DeePMD systems give ParseErrors (or valid data)', () => {
  const u = rng(77);
  const good = Buffer.from(encodeNpy({ dtype: 'float64', shape: [3, 4], data: Float64Array.from({ length: 12 }, (_, i) => i / 3) }));
  const numpy = readFileSync(join(FIXTURES, 'numpy_int64_3x4.npy'));
  for (let k = 0; k < 1500; k++) {
    const src = k % 2 ? good : numpy;
    const b = Buffer.from(src);
    const op = Math.floor(u() * 3);
    if (op === 0) { const n = Math.floor(u() * b.length); try { parseNpy(b.subarray(0, n), 'f.npy'); } catch (e) { assert.ok(e instanceof ParseError, `truncate ${n}: ${e}`); } continue; }
    const flips = 1 + Math.floor(u() * 4);
    for (let j = 0; j < flips; j++) b[Math.floor(u() * (op === 1 ? Math.min(b.length, 128) : b.length))] = Math.floor(u() * 256);
    try {
      const a = parseNpy(b, 'f.npy');
      assert.equal(a.data.length, a.shape.reduce((x, y) => x * y, 1));
    } catch (e) {
      assert.ok(e instanceof ParseError, `flip case ${k}: ${(e as Error).name}: ${(e as Error).message}`);
    }
  }
  const { dir, cleanup } = tempDir();
  try {
    const sys = join(FIXTURES, 'deepmd_beta-Li3PS4_5frames');
    const files = ['type.raw', 'type_map.raw', 'set.000/box.npy', 'set.000/coord.npy', 'set.000/energy.npy', 'set.000/force.npy', 'set.000/virial.npy'];
    for (let k = 0; k < 60; k++) {
      const d = join(dir, `s${k}`);
      cpSync(sys, d, { recursive: true });
      const f = join(d, files[Math.floor(u() * files.length)]);
      const b = readFileSync(f);
      const cut = u() < 0.4;
      if (cut) writeFileSync(f, b.subarray(0, Math.floor(u() * b.length)));
      else { for (let j = 0; j < 3; j++) b[Math.floor(u() * Math.min(b.length, 160))] = Math.floor(u() * 256); writeFileSync(f, b); }
      expectParseErrorOrValid(() => [...readDeepmdFrames(d)], `deepmd #${k} (${f})`, '');
      try { if (f.endsWith('.npy')) readNpyRows(f, 0, 1); } catch (e) { assert.ok(e instanceof ParseError || /outside/.test((e as Error).message), String(e)); }
    }
  } finally {
    cleanup();
  }
});
