import { test } from 'node:test';
import assert from 'node:assert/strict';
import { exportStructure, initialStructure, reduceTilts } from '../../src/lammps/structure';
import { parseLammpsData } from '../../src/io/lammps-data';
import { readStructure } from '../../src/io/formats';
import { createStructure, floatArray, getFloatArray } from '../../src/core/structure';
import { InputError } from '../../src/core/errors';
import { atomicMass } from '../../src/core/elements';
import { rng, gaussian, randomTriclinicCell } from '../helpers/random';
import { BENCH_STEP0, NEXE, benchConfigObject, config } from './helpers';

function det3(m: ArrayLike<number>): number {
  return m[0] * (m[4] * m[8] - m[5] * m[7]) - m[1] * (m[3] * m[8] - m[5] * m[6]) + m[2] * (m[3] * m[7] - m[4] * m[6]);
}

function inv3(m: ArrayLike<number>): number[] {
  const d = det3(m);
  return [
    (m[4] * m[8] - m[5] * m[7]) / d, (m[2] * m[7] - m[1] * m[8]) / d, (m[1] * m[5] - m[2] * m[4]) / d,
    (m[5] * m[6] - m[3] * m[8]) / d, (m[0] * m[8] - m[2] * m[6]) / d, (m[2] * m[3] - m[0] * m[5]) / d,
    (m[3] * m[7] - m[4] * m[6]) / d, (m[1] * m[6] - m[0] * m[7]) / d, (m[0] * m[4] - m[1] * m[3]) / d,
  ];
}

function mul3(a: ArrayLike<number>, b: ArrayLike<number>): number[] {
  const out = new Array(9).fill(0);
  for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) for (let k = 0; k < 3; k++) out[3 * i + j] += a[3 * i + k] * b[3 * k + j];
  return out;
}

/** r' = R·r for every 3-vector of a flat array. */
function rotateVectors(R: ArrayLike<number>, v: ArrayLike<number>): Float64Array {
  const out = new Float64Array(v.length);
  for (let o = 0; o < v.length; o += 3) for (let i = 0; i < 3; i++) out[o + i] = R[3 * i] * v[o] + R[3 * i + 1] * v[o + 1] + R[3 * i + 2] * v[o + 2];
  return out;
}

test('bench structure: the data file reads back to the same atoms, box, masses and velocities (Å/ps ↔ Å/fs)', () => {
  const cfg = config(benchConfigObject());
  const s0 = initialStructure(cfg);
  const st = exportStructure(s0, ['Li', 'P', 'S'], cfg.masses, true, 'md.json');
  assert.equal(st.rotation, undefined);
  assert.equal(st.triclinic, false);
  assert.deepEqual(st.massesAmu, [6.94, 30.974, 32.06]);
  assert.deepEqual(st.counts, [288, 96, 384]);
  const back = parseLammpsData(st.text, {}, 'structure.data'); // types named from the Masses section
  assert.deepEqual(back.species, s0.species);
  assert.deepEqual([...back.positions], [...s0.positions]);
  assert.deepEqual([...back.cell], [...s0.cell]);
  const v0 = getFloatArray(s0, 'velocities', 3)!, v1 = getFloatArray(back, 'velocities', 3)!;
  for (let k = 0; k < v0.length; k++) assert.ok(Math.abs(v1[k] - v0[k]) <= 1e-15 * Math.abs(v0[k]) + 1e-300, `velocity ${k}`);
  const m = getFloatArray(back, 'masses', 1)!;
  back.species.forEach((e, i) => assert.equal(m[i], { Li: 6.94, P: 30.974, S: 32.06 }[e]));
  // without velocities (md.json velocities "zero" or Maxwell–Boltzmann) no Velocities section is written
  const noV = exportStructure(s0, ['Li', 'P', 'S'], cfg.masses, false, 'md.json');
  assert.ok(!/^Velocities/m.test(noV.text));
  assert.equal(readStructure(BENCH_STEP0, { typeMap: ['Li', 'P', 'S'] }).species.length, 768);
});

test('a rotated, skewed triclinic cell is rotated into the LAMMPS frame with its velocities; tilts reduced, same lattice', () => {
  const u = rng(11), g = gaussian(u);
  for (let trial = 0; trial < 5; trial++) {
    const cell = randomTriclinicCell(u, 900, 1.4);
    const n = 40;
    const frac = Array.from({ length: 3 * n }, () => u());
    const pos = new Float64Array(3 * n);
    for (let i = 0; i < n; i++) for (let k = 0; k < 3; k++) pos[3 * i + k] = frac[3 * i] * cell[k] + frac[3 * i + 1] * cell[3 + k] + frac[3 * i + 2] * cell[6 + k];
    const vel = Float64Array.from({ length: 3 * n }, () => 0.01 * g());
    const s = createStructure({ species: Array.from({ length: n }, (_, i) => (i % 3 ? 'Ne' : 'Xe')), positions: pos, cell, arrays: { velocities: floatArray(3, vel) } });
    const st = exportStructure(s, ['Ne', 'Xe'], undefined, true, 'md.json');
    assert.ok(st.rotation, 'a general cell needs a rotation');
    const back = parseLammpsData(st.text, { typeMap: ['Ne', 'Xe'] });
    const c = back.cell;
    assert.ok(c[1] === 0 && c[2] === 0 && c[5] === 0 && c[0] > 0 && c[4] > 0 && c[8] > 0, 'lower-triangular box');
    assert.ok(Math.abs(c[3]) <= c[0] / 2 + 1e-12 && Math.abs(c[6]) <= c[0] / 2 + 1e-12 && Math.abs(c[7]) <= c[4] / 2 + 1e-12, `tilts in range: ${[c[3], c[6], c[7]]}`);
    // same lattice: new cell rows = M · (R·old rows) with M integer and det M = 1
    const rotatedRows = mul3(cell, [st.rotation![0], st.rotation![3], st.rotation![6], st.rotation![1], st.rotation![4], st.rotation![7], st.rotation![2], st.rotation![5], st.rotation![8]]);
    const M = mul3(c, inv3(rotatedRows));
    for (const x of M) assert.ok(Math.abs(x - Math.round(x)) < 1e-9, `integer lattice transform, got ${x}`);
    assert.ok(Math.abs(det3(M) - 1) < 1e-9);
    const rp = rotateVectors(st.rotation!, pos), rv = rotateVectors(st.rotation!, vel);
    const v1 = getFloatArray(back, 'velocities', 3)!;
    for (let k = 0; k < 3 * n; k++) {
      assert.ok(Math.abs(back.positions[k] - rp[k]) < 1e-10, `position ${k}`);
      assert.ok(Math.abs(v1[k] - rv[k]) < 1e-14, `velocity ${k}`);
    }
    assert.deepEqual(back.species, s.species);
    assert.equal(st.triclinic, true);
  }
});

test('reduceTilts: lattice-vector shifts into LAMMPS ranges; round-off tilts of rotated orthogonal cells become 0', () => {
  const r = reduceTilts(new Float64Array([10, 0, 0, 13, 8, 0, -7, 9.5, 6]));
  assert.equal(r.changed, true);
  // c −= 1·b → (−20, 1.5, 6); c −= (−2)·a → (0, 1.5, 6); b −= 1·a → (3, 8, 0)
  assert.deepEqual([...r.cell], [10, 0, 0, 3, 8, 0, 0, 1.5, 6]);
  const tiny = reduceTilts(new Float64Array([14, 0, 0, 3e-15, 14, 0, -5e-16, 2e-15, 14]));
  assert.deepEqual([...tiny.cell], [14, 0, 0, 0, 14, 0, 0, 0, 14]);
  assert.equal(reduceTilts(new Float64Array([5, 0, 0, 1, 5, 0, 0, 0, 5])).changed, false);
});

test('masses: md.json masses override, one mass per type is required, types without atoms get standard masses', () => {
  const s = readStructure(NEXE, { typeMap: ['Ne', 'Xe'] });
  const st = exportStructure(s, ['Ar', 'Ne', 'Xe'], { Ne: 20, Ar: 50 }, false, 'md.json');
  assert.equal(st.massesAmu[0], atomicMass('Ar'), 'Ar has no atoms: standard mass, as the data writer gives it');
  assert.equal(st.massesAmu[1], 20);
  assert.equal(st.massesAmu[2], atomicMass('Xe'));
  assert.match(st.text, new RegExp(`^1 ${atomicMass('Ar')} # Ar$`, 'm'));
  assert.match(st.text, /^2 20 # Ne$/m);
  const m = new Float64Array(s.species.length).fill(20.18);
  m[5] = 22;
  const odd = { ...s, arrays: { ...s.arrays, masses: floatArray(1, m) } };
  assert.throws(() => exportStructure(odd, ['Ne', 'Xe'], undefined, false, 'md.json'), (e: unknown) => e instanceof InputError && /one mass per type/.test(e.message));
  assert.doesNotThrow(() => exportStructure(odd, ['Ne', 'Xe'], { Ne: 20.18 }, false, 'md.json'));
});
