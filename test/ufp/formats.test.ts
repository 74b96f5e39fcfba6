/** LAMMPS .uf3 and uf3 JSON: content, round trips (identical energies), malformed files, fuzzing. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, mkdtempSync, rmSync, existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import {
  parseUf3, formatUf3, parseUf3Json, formatUf3Json, UF3Potential, UF3Kernel, readModel, writeModel, mirrorThreeBody,
  LAMMPS_MAX_LINE, uniformKnots, UF3Model,
} from '../../src/ufp';
import { ParseError, InputError } from '../../src/core/errors';
import { rng, randomTriclinicCell } from '../helpers/random';
import { randomModel, randomPositions } from './helpers/randomModel';

const FIX = join(__dirname, '..', 'fixtures', 'ufp');
const NB = readFileSync(join(FIX, 'Nb.uf3'), 'utf8');
const LPS = readFileSync(join(FIX, 'bench_lps.uf3'), 'utf8');

function energy(model: UF3Model, seed = 4): number {
  const u = rng(seed);
  const cell = randomTriclinicCell(u, 30 * 18, 0.4);
  const x = randomPositions(cell, 30, 1.3, seed);
  const species = Array.from({ length: 30 }, (_, i) => model.elements[i % model.elements.length]);
  return new UF3Potential(model).bind(species, [true, true, true]).compute(x, cell).energy;
}

test('Nb.uf3: blocks, knots and coefficients as written', () => {
  const m = parseUf3(NB, 'Nb.uf3');
  assert.deepEqual(m.elements, ['Nb']);
  assert.equal(m.twoBody.length, 1);
  const t = m.twoBody[0];
  assert.equal(t.cutoff, 8);
  assert.equal(t.knots.length, 31);
  assert.equal(t.coefficients.length, 27);
  assert.equal(t.coefficients[2], 55.85833391113556);
  const b = m.threeBody[0];
  assert.deepEqual(b.cutoffs, { ij: 4, ik: 4, jk: 8 });
  assert.deepEqual(b.shape, [11, 11, 19]);
  assert.equal(b.knots.jk.length, 23);
  assert.equal(b.knots.ij[4], 0.50087499999999996);
  assert.equal(b.knots.jk[4], 0.50093749999999992);
});

test('.uf3 round trip: written files parse back to the same model and identical energies; lines fit LAMMPS', () => {
  for (const [name, text] of [['Nb.uf3', NB], ['bench_lps.uf3', LPS]]) {
    const m = parseUf3(text, name);
    const out = formatUf3(m, { date: '2024-01-01', author: 'test' });
    for (const line of out.split('\n')) assert.ok(line.length <= LAMMPS_MAX_LINE);
    const back = parseUf3(out, 'written.uf3');
    assert.deepEqual(back.twoBody, m.twoBody);
    assert.deepEqual(back.threeBody, m.threeBody);
    assert.equal(energy(back), energy(m));
  }
  // non-uniform random 3-element model: written as 'nk', reads back bit-identically
  const r = randomModel({ seed: 9, nonUniform: true });
  const text = formatUf3(r);
  assert.match(text, /^2B Li Li 0 3 nk$/m);
  const back = parseUf3(text, 'random.uf3');
  assert.equal(energy(back), energy({ ...r, oneBody: {} }));
  // uniform model is written 'uk'
  assert.match(formatUf3(randomModel({ seed: 9 })), /^3B S S S 0 3 uk$/m);
});

test('uf3 JSON: W model reads, round-trips, and converts to .uf3 with the 1-body term dropped', () => {
  const text = readFileSync(join(FIX, 'W_model_2and3.uf3.json'), 'utf8');
  const m = parseUf3Json(text, 'W_model_2and3.uf3.json');
  assert.equal(m.oneBody.W, -6.6648165028500017);
  assert.deepEqual(m.threeBody[0].shape, [9, 9, 15]);
  const back = parseUf3Json(formatUf3Json(m), 'back.json');
  assert.equal(energy(back), energy(m));
  const lammps = parseUf3(formatUf3(m), 'W.uf3');
  const e1 = energy(m), e2 = energy(lammps);
  assert.ok(Math.abs(e1 - e2 - 30 * -6.6648165028500017) < 1e-9);
  // files on disk: atomic write, extension selects the format
  const dir = mkdtempSync(join(tmpdir(), 'ufp-'));
  try {
    writeModel(join(dir, 'w.json'), m);
    writeModel(join(dir, 'w.uf3'), m);
    assert.equal(energy(readModel(join(dir, 'w.json'))), e1);
    assert.equal(energy(readModel(join(dir, 'w.uf3'))), e2);
    assert.deepEqual(readdirSync(dir).sort(), ['w.json', 'w.uf3']);
  } finally {
    rmSync(dir, { recursive: true });
  }
});

test('a 3-body block given from the other neighbour (Li-S-P instead of Li-P-S) is the same potential', () => {
  const m = randomModel({ seed: 21 });
  const flipped = { ...m, threeBody: m.threeBody.map((t) => (t.elements[1] !== t.elements[2] ? mirrorThreeBody(t) : t)) };
  assert.ok(flipped.threeBody.some((t) => t.elements.join('-') === 'Li-S-P'));
  assert.ok(Math.abs(energy(flipped) - energy(m)) < 1e-10 * Math.abs(energy(m)));
  assert.equal(formatUf3(flipped, { date: 'd' }), formatUf3(m, { date: 'd' }));
});

test('a line longer than LAMMPS can read is refused when writing (or rounded on request)', () => {
  const m = randomModel({ seed: 2, twoBodyOnly: true, elements: ['Li'] });
  const k = Array.from(uniformKnots(0.7, 5.3, 70));
  m.twoBody[0] = { ...m.twoBody[0], knots: k, coefficients: k.slice(4).map((_, q) => (q < 70 ? Math.sin(q) / 3 : 0)), cutoff: 5.3 };
  assert.throws(() => formatUf3(m), (e: unknown) => e instanceof InputError && /knots of 2B Li-Li need \d+ characters/.test(e.message));
  const rounded = parseUf3(formatUf3(m, { allowRounding: true }), 'rounded.uf3');
  assert.ok(Math.abs(rounded.twoBody[0].knots[10] - k[10]) < 1e-9);
});

/** Applies an edit to the bench file and expects a ParseError whose message matches. */
function expectParseError(edit: (lines: string[]) => string[], re: RegExp, base = LPS): void {
  const text = edit(base.split('\n')).join('\n');
  assert.throws(() => parseUf3(text, 'bad.uf3'), (e: unknown) => {
    assert.ok(e instanceof ParseError, `not a ParseError: ${e}`);
    assert.match((e as Error).message, re);
    return true;
  });
}

test('malformed .uf3 files: ParseError naming the file, line and block', () => {
  const idx = (lines: string[], s: string) => lines.findIndex((l) => l.startsWith(s));
  // knots/coefficient counts
  expectParseError((l) => { const i = idx(l, '2B Li P') + 2; l[i] = l[i].split(' ').slice(1).join(' '); return l; }, /bad\.uf3:11: expected 23 knots of the 2B block Li-P/);
  expectParseError((l) => { const i = idx(l, '2B Li P') + 3; l[i] = '18'; return l; }, /bad\.uf3:13: expected 18 coefficients of the 2B block Li-P/);
  expectParseError((l) => { const i = idx(l, '2B Li P') + 1; l[i] = '5.5 22'; return l; }, /bad\.uf3:11: expected 22 knots/);
  expectParseError((l) => { const i = idx(l, '3B Li P S') + 5; l[i] = '9 9 14'; return l; }, /bad\.uf3:405: expected knot counts \(ij, ik, jk\) = \(L\+4, M\+4, N\+4\) in the 3B block Li-P-S/);
  expectParseError((l) => { const i = idx(l, '3B Li P S') + 6; l[i] = l[i] + ' 0.5'; return l; }, /bad\.uf3:406: expected 15 coefficients in row \(0, 0\) of the 3B block Li-P-S/);
  // missing and duplicate blocks
  expectParseError((l) => { const i = idx(l, '2B Li S') - 1; l.splice(i, 7); return l; }, /missing Li-S/);
  expectParseError((l) => { const i = idx(l, '3B P Li S') - 1; l.splice(i, 89); return l; }, /missing P-Li-S/);
  expectParseError((l) => [...l.slice(0, 7), ...l.slice(0, 7), ...l.slice(7)], /bad\.uf3:9: expected one 2B block per element pair \(Li-Li already defined at line 1\)/);
  // header and block lines
  expectParseError((l) => { l[0] = l[0].replace('UNITS: metal', 'UNITS: real'); return l; }, /bad\.uf3:1: expected UNITS: metal/);
  expectParseError((l) => { l[0] = '#UF3 POT DATE: x'; return l; }, /bad\.uf3:1: expected "UNITS:"/);
  expectParseError((l) => { l[1] = '2B Li Li 1 3 uk'; return l; }, /bad\.uf3:2: expected leading trim 0 and trailing trim 3/);
  expectParseError((l) => { l[1] = '2B Li Li 0 3 xk'; return l; }, /'uk' \(uniform knots\) or 'nk'/);
  expectParseError((l) => { l[1] = '4B Li Li 0 3 uk'; return l; }, /bad\.uf3:2: expected '2B' or '3B'/);
  expectParseError((l) => { l[1] = '2B Li Li 0 3'; return l; }, /expected 6 words on a 2B line/);
  expectParseError((l) => { const i = idx(l, '3B Li P S') + 1; l[i] = l[i].replace(/^7\.0/, '7.1'); return l; }, /R_jk = 2·R_ik in the 3B block Li-P-S/);
  // numbers and knots
  expectParseError((l) => { l[5] = l[5].replace(/^\S+/, '1.0.0'); return l; }, /bad\.uf3:6: expected a number in the coefficients of the 2B block Li-Li, found "1\.0\.0"/);
  expectParseError((l) => { l[2] = '5.5 23.0'; return l; }, /bad\.uf3:3: expected the number of knots of the 2B block Li-Li, found "23\.0"/);
  expectParseError((l) => { const w = l[3].split(' '); w[5] = String(Number(w[5]) + 0.05); l[3] = w.join(' '); return l; }, /marked 'uk'/);
  expectParseError((l) => { const w = l[3].split(' '); [w[5], w[6]] = [w[6], w[5]]; l[3] = w.join(' '); return l; }, /strictly increasing knots/);
  // LAMMPS line buffer
  expectParseError((l) => { l[4] = l[4] + ' '.repeat(LAMMPS_MAX_LINE); return l; }, /bad\.uf3:5: expected a line of at most 1022 characters/);
  // a same-element 3-body grid must be symmetric
  expectParseError((l) => { const i = idx(l, '3B Li Li Li') + 6 + 3 * 9 + 4; const w = l[i].trim().split(/\s+/); w[5] = String(Number(w[5]) + 1); l[i] = w.join(' '); return l; }, /bad\.uf3:89: expected a symmetric coefficient grid in the 3B block Li-Li-Li.*row \(4, 3\) differs from row \(3, 4\)/);
  // truncation and empty files
  expectParseError((l) => l.slice(0, 47), /bad\.uf3:48: expected .*found "end of file"/);
  assert.throws(() => parseUf3('', 'empty.uf3'), (e: unknown) => e instanceof ParseError && /empty\.uf3: expected at least one 2B block/.test((e as Error).message));
});

test('LAMMPS reading rules: text between blocks ignored, blank lines before the block line, wrapped coefficient records', () => {
  const lines = LPS.split('\n');
  lines.splice(0, 0, 'some comment line', '');
  lines.splice(3, 0, '', '   ');
  const i = lines.findIndex((l) => l.startsWith('2B Li P')) + 4;
  const w = lines[i].split(' ');
  lines.splice(i, 1, w.slice(0, 7).join(' '), w.slice(7).join(' '));
  const m = parseUf3(lines.join('\n'), 'wrapped.uf3');
  assert.equal(energy(m), energy(parseUf3(LPS, 'bench_lps.uf3')));
});

test('malformed uf3 JSON: ParseError naming the file and the key', () => {
  const w = JSON.parse(readFileSync(join(FIX, 'W_model_2and3.uf3.json'), 'utf8'));
  const bad = (edit: (o: any) => void, re: RegExp) => {
    const o = structuredClone(w);
    edit(o);
    assert.throws(() => parseUf3Json(JSON.stringify(o), 'bad.json'), (e: unknown) => e instanceof ParseError && re.test((e as Error).message));
  };
  assert.throws(() => parseUf3Json('{"coefficients": ', 'bad.json'), /bad\.json: expected valid JSON/);
  bad((o) => { delete o.element_list; }, /bad\.json \[element_list\]/);
  bad((o) => { o.coefficients['W-Mo'] = [1]; }, /coefficients\["W-Mo"\].*found "Mo"/);
  bad((o) => { o.coefficients['W-W'].pop(); }, /bad\.json \[coefficients\["W-W"\]\]: expected 18 coefficients for 22 knots/);
  bad((o) => { o.coefficients['W-W-W'][2].pop(); }, /coefficients\["W-W-W"\]\[2\]\]: expected 9 rows/);
  bad((o) => { o.coefficients['W-W-W'][2][1][3] = 'x'; }, /coefficients\["W-W-W"\]\[2\]\[1\]\[3\]\]: expected a finite number/);
  bad((o) => { o.knots['W-W-W'] = [o.knots['W-W-W'][0]]; }, /three knot vectors/);
  bad((o) => { delete o.coefficients['W-W']; }, /missing 2B block for W-W/);
  bad((o) => { o.degree = 2; }, /no 3-body coefficients in a degree-2 model/);
});

test('fuzzing: mutated .uf3 and JSON files only ever raise ParseError (or load into a working kernel)', () => {
  const u = rng(1234);
  const sources: [string, string][] = [['Nb.uf3', NB], ['lps.uf3', LPS.split('\n').slice(0, 200).join('\n')]];
  const json = readFileSync(join(FIX, 'W_model_2.uf3.json'), 'utf8');
  let parsed = 0;
  for (let trial = 0; trial < 400; trial++) {
    const [name, base] = trial % 4 === 3 ? ['W.json', json] : sources[trial % 2];
    let text = base;
    const lines = text.split('\n');
    const op = Math.floor(u() * 6);
    const at = Math.floor(u() * lines.length);
    if (op === 0) lines.splice(at, 1);
    else if (op === 1) lines.splice(at, 0, lines[Math.floor(u() * lines.length)]);
    else if (op === 2) text = text.slice(0, Math.floor(u() * text.length));
    else if (op === 3) lines[at] = lines[at].replace(/\d/, String.fromCharCode(32 + Math.floor(u() * 90)));
    else if (op === 4) lines[at] = lines[at].split(' ').reverse().join(' ');
    else lines[at] = lines[at].replace(/(\d)\.(\d)/, '$1$2.');
    if (op !== 2) text = lines.join('\n');
    try {
      const m = name.endsWith('.json') ? parseUf3Json(text, name) : parseUf3(text, name);
      new UF3Kernel(m);
      parsed++;
    } catch (e) {
      assert.ok(e instanceof ParseError, `${name} op ${op}: ${(e as Error).name}: ${(e as Error).message}`);
    }
  }
  assert.ok(parsed > 10 && parsed < 400);
  assert.ok(!existsSync(join(FIX, 'bad.uf3')));
});
