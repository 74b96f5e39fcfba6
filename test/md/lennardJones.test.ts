import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { LennardJones } from '../../src/md/potentials/lennardJones';
import { InputError } from '../../src/core/errors';
import { rng, randomTriclinicCell } from '../helpers/random';
import { readLammpsDumpFrames } from '../../src/io';
import { getFloatArray } from '../../src/core/structure';

const NEXE = new LennardJones({
  shift: false,
  pairs: {
    'Ne-Ne': { epsilon: 0.003705453303, sigma: 2.73, cutoff: 6 },
    'Ne-Xe': { epsilon: 0.006323399148, sigma: 3.472, cutoff: 8 },
    'Xe-Xe': { epsilon: 0.02206037315, sigma: 3.92, cutoff: 10 },
  },
});

test('LJ reproduces the LAMMPS lj/cut Ne–Xe dump (forces, per-atom energies; cutoff > half the cell)', () => {
  for (const fr of readLammpsDumpFrames(join(__dirname, '../fixtures/md/nexe_2frames.lammpstrj'), { typeMap: ['Ne', 'Xe'] })) {
    const n = fr.species.length;
    const calc = NEXE.bind(fr.species, fr.pbc);
    const out = { energy: 0, forces: new Float64Array(3 * n), virial: new Float64Array(9), energies: new Float64Array(n) };
    calc.compute(fr.positions, fr.cell, out);
    const fref = getFloatArray(fr, 'forces', 3)!, eref = getFloatArray(fr, 'c_ape', 1)!;
    let maxF = 0, maxE = 0;
    for (let k = 0; k < fref.length; k++) maxF = Math.max(maxF, Math.abs(out.forces[k] - fref[k]));
    for (let i = 0; i < n; i++) maxE = Math.max(maxE, Math.abs(out.energies[i] - eref[i]));
    assert.ok(maxF < 2e-9, `force error ${maxF}`);
    assert.ok(maxE < 2e-9, `per-atom energy error ${maxE}`);
    const esum = eref.reduce((a, b) => a + b, 0);
    assert.ok(Math.abs(out.energy - esum) < 1e-7);
  }
});

function randomSystem(seed: number, n: number) {
  const u = rng(seed);
  const cell = randomTriclinicCell(u, n * 20, 0.4);
  const pos = new Float64Array(3 * n);
  // jittered grid in fractional coordinates keeps atoms apart
  const m = Math.ceil(Math.cbrt(n));
  for (let i = 0; i < n; i++) {
    const f = [(i % m + 0.3 * u()) / m, (Math.floor(i / m) % m + 0.3 * u()) / m, (Math.floor(i / (m * m)) + 0.3 * u()) / m];
    const img = [Math.floor(3 * u()) - 1, Math.floor(3 * u()) - 1, Math.floor(3 * u()) - 1]; // some atoms outside the cell
    for (let k = 0; k < 3; k++) pos[3 * i + k] = (f[0] + img[0]) * cell[k] + (f[1] + img[1]) * cell[3 + k] + (f[2] + img[2]) * cell[6 + k];
  }
  const species = Array.from({ length: n }, (_, i) => (i % 3 === 0 ? 'Xe' : 'Ne'));
  return { cell, pos, species };
}

const MIXED = new LennardJones({ pairs: { 'Ne-Ne': { epsilon: 0.01, sigma: 2.0, cutoff: 5 }, 'Xe-Xe': { epsilon: 0.02, sigma: 2.4, cutoff: 6 } } });

test('LJ forces are −∂E/∂x and the virial is −∂E/∂ε (central differences, triclinic, mixed pairs, shifted)', () => {
  const { cell, pos, species } = randomSystem(3, 27);
  const calc = MIXED.bind(species, [true, true, true]);
  const E = (x: Float64Array, h: Float64Array) => new LennardJones(MIXED.params).bind(species, [true, true, true]).compute(x, h).energy;
  const ref = calc.compute(pos, cell);
  const d = 1e-5;
  for (const k of [0, 4, 11, 30, 77]) {
    const p = Float64Array.from(pos), m = Float64Array.from(pos);
    p[k] += d; m[k] -= d;
    const fd = -(E(p, cell) - E(m, cell)) / (2 * d);
    assert.ok(Math.abs(fd - ref.forces[k]) < 1e-6 * Math.max(1, Math.abs(fd)), `force ${k}: ${ref.forces[k]} vs ${fd}`);
  }
  for (let a = 0; a < 3; a++)
    for (let b = 0; b < 3; b++) {
      const strained = (s: number) => {
        const def = (v: Float64Array) => { const o = Float64Array.from(v); for (let i = 0; i < v.length; i += 3) o[i + a] += s * v[i + b]; return o; };
        return E(def(pos), def(cell));
      };
      const fd = -(strained(d) - strained(-d)) / (2 * d);
      assert.ok(Math.abs(fd - ref.virial[3 * a + b]) < 1e-6 * Math.max(1, Math.abs(fd)), `virial ${a}${b}: ${ref.virial[3 * a + b]} vs ${fd}`);
    }
});

test('LJ: translation invariance, zero net force, shifted energy continuous at the cutoff', () => {
  const { cell, pos, species } = randomSystem(5, 20);
  const calc = MIXED.bind(species, [true, true, true]);
  const a = calc.compute(pos, cell);
  const e0 = a.energy, f0 = Float64Array.from(a.forces);
  const moved = pos.map((v, k) => v + [1.3, -0.7, 2.9][k % 3]);
  const b = calc.compute(moved, cell);
  assert.ok(Math.abs(b.energy - e0) < 1e-10 * Math.abs(e0), `energy ${b.energy} vs ${e0}`);
  for (let k = 0; k < 3; k++) { let s = 0; for (let i = k; i < f0.length; i += 3) s += f0[i]; assert.ok(Math.abs(s) < 1e-10, `net force ${s}`); }
  const pair = MIXED.bind(['Ne', 'Ne'], [false, false, false]);
  const at = (r: number) => pair.compute(new Float64Array([0, 0, 0, r, 0, 0]), new Float64Array(9)).energy;
  assert.ok(Math.abs(at(5 - 1e-9)) < 1e-9 && at(5 + 1e-9) === 0);
});

test('LJ rejects bad parameters and unknown elements', () => {
  assert.throws(() => new LennardJones({ pairs: { 'Ne-Ne': { epsilon: -1, sigma: 2, cutoff: 5 } } }), InputError);
  assert.throws(() => new LennardJones({ pairs: { NeNe: { epsilon: 1, sigma: 2, cutoff: 5 } } }), InputError);
  assert.throws(() => new LennardJones({ pairs: { 'Ne-Ne': { epsilon: 1, sigma: 2, cutoff: 5 }, 'Xe-Ar': { epsilon: 1, sigma: 2, cutoff: 5 } } }), /cannot be mixed/);
  assert.throws(() => MIXED.bind(['Ne', 'Ar'], [true, true, true]), /no parameters for Ar/);
});
