import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { writeFileSync, readFileSync, appendFileSync } from 'node:fs';
import { parseExtxyz, readExtxyzFrames, writeExtxyz, formatExtxyzFrame } from '../../src/io/extxyz';
import { splitKeyValues, interpretValue } from '../../src/io/extxyz-header';
import { FileLines, StringLines } from '../../src/io/lines';
import { ParseError } from '../../src/core/errors';
import { createStructure } from '../../src/core/structure';
import { rng } from '../helpers/random';
import { FIXTURES, tempDir, assertSameStructure, randomStructure } from './helpers';

test('extxyz: known values of the EFG fixture (GPAW, 2 frames)', () => {
  const frames = [...readExtxyzFrames(join(FIXTURES, 'lps_gpaw_pbe_efg_2frames.xyz'))];
  assert.equal(frames.length, 2);
  const f = frames[0];
  assert.equal(f.species.length, 16);
  assert.equal(f.species[0], 'Li');
  assert.deepEqual([...f.cell], [6.0292863588177, 0, 0, 0, 6.4555569043862, 0, 0, 0, 7.6143254496873]);
  assert.deepEqual(f.pbc, [true, true, true]);
  assert.equal(f.info.energy, -68.58154492812066);
  assert.equal(f.info.efg_units, 'V/A^2');
  assert.equal(f.info.kpts, '[2, 2, 2]');
  assert.equal(f.info.dft, 'GPAW 22.8 PBE PW400 FermiDirac(0.01) Li-1s-valence');
  assert.equal((f.info.stress as number[]).length, 9);
  const efg = f.arrays.efg;
  assert.equal(efg.kind, 'float');
  assert.equal(efg.width, 9);
  assert.equal(efg.data[0], -0.25027122);
  assert.equal(efg.data[8], -0.30452101);
  assert.deepEqual([...f.positions.subarray(0, 3)], [3.1236153, 5.01444954, 5.56794707]);
});

test('extxyz: Z column and force alias (uf3 tungsten file)', () => {
  const [f] = [...readExtxyzFrames(join(FIXTURES, 'W_test_1config.xyz'))];
  assert.equal(f.species.length, 128);
  assert.ok(f.species.every((s) => s === 'W'));
  assert.equal(f.arrays.forces.width, 3);
  assert.equal(f.arrays.Z.kind, 'int');
  assert.equal(f.info.config_type, 'md_bulk');
  const onlyZ = '2\nProperties=Z:I:1:pos:R:3\n3 0 0 0\n16 1 1 1\n';
  assert.deepEqual(parseExtxyz(onlyZ)[0].species, ['Li', 'S']);
  assert.deepEqual(parseExtxyz(onlyZ)[0].pbc, [false, false, false]);
});

test('extxyz: comment-line syntax (quotes, escapes, braces, brackets, flags)', () => {
  const line = 'a=1 b=2.5 c="x y" d="1 2 3" e=T f="T F T" g={4 5 6} h=["p", "q r"] flag "quoted key"="s\\"t" i=[7] j=[true, false] k= l=-3e-5';
  const entries = splitKeyValues(line, 'x', 2);
  const m = Object.fromEntries(entries.map((e) => [e.key, interpretValue(e)]));
  assert.deepEqual(m, { a: 1, b: 2.5, c: 'x y', d: [1, 2, 3], e: true, f: [true, false, true], g: [4, 5, 6], h: ['p', 'q r'], flag: true, 'quoted key': 's"t', i: [7], j: [true, false], k: '', l: -3e-5 });
  assert.throws(() => splitKeyValues('a="open', 'x', 2), ParseError);
  assert.throws(() => splitKeyValues('a=[1, 2', 'x', 2), ParseError);
  const plain = parseExtxyz('1\njust a comment\nLi 0 0 0\n')[0];
  assert.equal(plain.info.comment, 'just a comment');
});

test('extxyz: round trip read→write→read is bit-exact (random triclinic frames, all column kinds, info kinds)', () => {
  const u = rng(7);
  const frames = [0, 1, 2].map((k) => randomStructure(u, 5 + 7 * k, {
    extraArrays: true,
    info: { energy: -1 / 3, name: 'a "quoted" \\ name=x', flag: true, stress: [1e-300, -0, 5e21, 1, 2, 3, 4, 5, 6], bools: [true, false], one: [0.1], strs: ['a b', 'c'], neg: -0, tiny: 5e-324 },
  }));
  frames[1].pbc = [true, false, true];
  const { dir, cleanup } = tempDir();
  try {
    const p = join(dir, 'a.extxyz');
    assert.equal(writeExtxyz(p, frames), 3);
    const back = [...readExtxyzFrames(p)];
    assert.equal(back.length, 3);
    back.forEach((b, i) => assertSameStructure(frames[i], b));
    // and the fixture itself: read → write → read → identical structures and identical text
    const fix = [...readExtxyzFrames(join(FIXTURES, 'lps_gpaw_pbe_efg_2frames.xyz'))];
    const p2 = join(dir, 'b.xyz');
    writeExtxyz(p2, fix);
    const again = [...readExtxyzFrames(p2)];
    fix.forEach((f, i) => assertSameStructure(f, again[i]));
    assert.equal(fix.map(formatExtxyzFrame).join(''), readFileSync(p2, 'utf8'));
  } finally {
    cleanup();
  }
});

test('extxyz: a non-periodic frame without a cell round-trips', () => {
  const s = createStructure({ species: ['Li', 'S'], positions: [0, 0.1, 0.2, 1.5, -2, 3e-9] });
  const back = parseExtxyz(formatExtxyzFrame(s))[0];
  assertSameStructure(s, back);
});

test('extxyz: streaming yields frame 1 before it reaches a corrupt frame 2; chunked lines equal string lines', () => {
  const { dir, cleanup } = tempDir();
  try {
    const p = join(dir, 's.xyz');
    const good = formatExtxyzFrame(randomStructure(rng(3), 4));
    writeFileSync(p, good + '3\nProperties=species:S:1:pos:R:3\nLi 0 0 0\n');
    const gen = readExtxyzFrames(p);
    const first = gen.next();
    assert.equal(first.done, false);
    assert.throws(() => gen.next(), (e: unknown) => e instanceof ParseError && /s\.xyz:10: expected atom line 2 of 3/.test((e as Error).message));
    // chunk boundaries inside multi-byte characters and CRLF
    const text = 'γ-Li3PS4 line\r\nsecond ✓ line\n\nlast without newline ü';
    const q = join(dir, 'l.txt');
    writeFileSync(q, text);
    for (const chunk of [1, 2, 3, 5, 7, 64]) {
      const a = new FileLines(q, q, chunk), b = new StringLines(text);
      const la: string[] = [], lb: string[] = [];
      for (let l = a.next(); l !== undefined; l = a.next()) la.push(l);
      for (let l = b.next(); l !== undefined; l = b.next()) lb.push(l);
      assert.deepEqual(la, lb, `chunk ${chunk}`);
      assert.deepEqual(la, ['γ-Li3PS4 line', 'second ✓ line', '', 'last without newline ü']);
    }
    appendFileSync(q, '\n');
  } finally {
    cleanup();
  }
});

test('extxyz: bad input gives ParseErrors that name file and line', () => {
  const cases: [string, RegExp][] = [
    ['2\nProperties=species:S:1:pos:R:3\nLi 0 0 0\n', /x\.xyz:4: expected atom line 2 of 2/],
    ['1\nProperties=species:S:1:pos:R:3\nXx 0 0 0\n', /x\.xyz:3: expected an element symbol/],
    ['1\nProperties=species:S:1:pos:R:3\nLi 0 nan 0\n', /x\.xyz:3: expected a finite number for a position/],
    ['1\nProperties=species:S:1:pos:R:3\nLi 0 0\n', /x\.xyz:3: expected 4 columns/],
    ['1\nLattice="1 0 0 0 1 0 0 0" Properties=species:S:1:pos:R:3\nLi 0 0 0\n', /Lattice with 9 numbers/],
    ['1\nLattice="1 0 0 2 0 0 0 0 1"\nLi 0 0 0\n', /degenerate cell/],
    ['x\n', /x\.xyz:1: expected an integer/],
    ['1\npbc="T T T"\nLi 0 0 0\n', /a Lattice for a periodic frame/],
    ['1\nProperties=species:S:1:pos:Q:3\nLi 0 0 0\n', /column kind/],
  ];
  for (const [text, re] of cases) assert.throws(() => parseExtxyz(text, 'x.xyz'), (e: unknown) => e instanceof ParseError && re.test((e as Error).message), text);
});
