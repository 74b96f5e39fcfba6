import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { exportPotential } from '../../src/lammps/potential';
import { parseUf3 } from '../../src/ufp/formatLammps';
import { loadPotential } from '../../src/ufp/files';
import { UF3Potential } from '../../src/ufp/potential';
import { readFrames } from '../../src/io/formats';
import { InputError } from '../../src/core/errors';
import { BENCH_UF3, FIX, tmp } from './helpers';

test('a .uf3 potential is copied byte for byte; pair_style uf3 3 with the file element order', () => {
  const p = exportPotential({ kind: 'uf3', file: BENCH_UF3, skinA: 1, belowRange: 'error' }, ['S', 'Li', 'P'], 'md.json');
  assert.deepEqual(p.elements, ['Li', 'P', 'S']);
  assert.deepEqual(Object.keys(p.files), ['bench_lps.uf3']);
  assert.equal(p.files['bench_lps.uf3'], readFileSync(BENCH_UF3, 'utf8'));
  assert.deepEqual(p.commands, [['pair_style', 'uf3', '3'], ['pair_coeff', '*', '*', 'bench_lps.uf3', 'Li', 'P', 'S']]);
  assert.equal(p.skinA, 1);
  assert.equal(p.cutoffA, 5.5);
  assert.equal(p.oneBodyEv, undefined);
});

test('a uf3 JSON model becomes a .uf3 that LAMMPS-style evaluation reproduces: same forces, energy minus the 1-body term', () => {
  const dir = tmp();
  const json = join(dir, 'W_model_2and3.uf3.json');
  copyFileSync(join(FIX, 'ufp/W_model_2and3.uf3.json'), json);
  const p = exportPotential({ kind: 'uf3', file: json, skinA: 0.5, belowRange: 'error' }, ['W'], 'md.json');
  assert.deepEqual(Object.keys(p.files), ['W_model_2and3.uf3']);
  assert.deepEqual(p.commands, [['pair_style', 'uf3', '3'], ['pair_coeff', '*', '*', 'W_model_2and3.uf3', 'W']]);
  const eW = p.oneBodyEv!.W;
  assert.ok(Number.isFinite(eW) && eW !== 0);
  assert.match(p.notes.join(' '), /no 1-body term/);
  const written = new UF3Potential(parseUf3(p.files['W_model_2and3.uf3'], 'written.uf3'));
  const original = loadPotential(json);
  let frames = 0;
  for (const s of readFrames(join(FIX, 'ufp/W_test_5configs.xyz'))) {
    const a = original.bind(s.species, s.pbc).compute(s.positions, s.cell);
    const b = written.bind(s.species, s.pbc).compute(s.positions, s.cell);
    const n = s.species.length;
    assert.ok(Math.abs(b.energy - (a.energy - n * eW)) <= 1e-10 * Math.abs(a.energy), `energy ${b.energy} vs ${a.energy - n * eW}`);
    for (let k = 0; k < 3 * n; k++) assert.ok(Math.abs(a.forces[k] - b.forces[k]) <= 1e-12, `force ${k}`);
    for (let k = 0; k < 9; k++) assert.ok(Math.abs(a.virial[k] - b.virial[k]) <= 1e-10 * (1 + Math.abs(a.virial[k])), `virial ${k}`);
    frames++;
  }
  assert.equal(frames, 5);
});

test('Lennard-Jones: explicit pair_coeff for every type pair with ufnmr\'s Lorentz–Berthelot mixing, shift as configured', () => {
  const pairs = { 'Ne-Ne': { epsilon: 0.004, sigma: 2.7, cutoff: 6 }, 'Xe-Xe': { epsilon: 0.0225, sigma: 3.9, cutoff: 10 } };
  const p = exportPotential({ kind: 'lennard-jones', pairs, shift: true, skinA: 1 }, ['Xe', 'Ne'], 'md.json');
  assert.deepEqual(p.elements, ['Ne', 'Xe']);
  assert.deepEqual(p.files, {});
  assert.deepEqual(p.commands, [
    ['pair_style', 'lj/cut', '10'],
    ['pair_coeff', '1', '1', '0.004', '2.7', '6'],
    ['pair_coeff', '1', '2', String(Math.sqrt(0.004 * 0.0225)), String((2.7 + 3.9) / 2), '10'],
    ['pair_coeff', '2', '2', '0.0225', '3.9', '10'],
    ['pair_modify', 'shift', 'yes'],
  ]);
  const q = exportPotential({ kind: 'lennard-jones', pairs: { 'Ar-Ar': { epsilon: 0.01, sigma: 3.4, cutoff: 8.5 } }, shift: false, skinA: 2 }, ['Ar'], 'md.json');
  assert.deepEqual(q.commands[q.commands.length - 1], ['pair_modify', 'shift', 'no']);
  assert.throws(() => exportPotential({ kind: 'lennard-jones', pairs: { 'Ne-Xe': pairs['Ne-Ne'] }, shift: true, skinA: 1 }, ['Ne', 'Xe'], 'md.json'), /Ne-Ne is missing and cannot be mixed/);
});

test('unrepresentable or incomplete potentials are rejected with the key named', () => {
  assert.throws(() => exportPotential({ kind: 'uf3', file: BENCH_UF3, skinA: 1, belowRange: 'extrapolate' }, ['Li'], 'md.json'),
    (e: unknown) => e instanceof InputError && /md\.json\.potential\.belowRange/.test(e.message));
  assert.throws(() => exportPotential({ kind: 'uf3', file: BENCH_UF3, skinA: 1, belowRange: 'error' }, ['Li', 'Ge'], 'md.json'),
    (e: unknown) => e instanceof InputError && /element\(s\) Ge/.test(e.message));
  assert.throws(() => exportPotential({ kind: 'lennard-jones', pairs: { 'Ar-Ar': { epsilon: 0.01, sigma: 3.4, cutoff: 8.5 } }, shift: true, skinA: 1 }, ['Kr'], 'md.json'),
    (e: unknown) => e instanceof InputError && /lennardJones has no parameters for element\(s\) Kr/.test(e.message));
});
