/**
 * UF3 kernel against independent truth: a naive literal evaluation, central finite differences of the
 * energy (forces and strain derivative = virial) on triclinic cells with 3-element potentials, and
 * invariances (rotation, translation, permutation, supercell, range decomposition).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { UF3Potential, UF3Kernel, TooCloseError, speciesTypes } from '../../src/ufp';
import { buildNeighborList } from '../../src/core/neighbors';
import { InputError } from '../../src/core/errors';
import { rng, randomRotation, randomTriclinicCell } from '../helpers/random';
import { randomModel, randomPositions } from './helpers/randomModel';
import { naiveEvaluate } from './helpers/naive';

const PBC: [boolean, boolean, boolean] = [true, true, true];

function system(n: number, seed: number, volumePerAtom = 18, elements = ['Li', 'P', 'S']) {
  const u = rng(seed);
  const cell = randomTriclinicCell(u, n * volumePerAtom, 0.5);
  const x = randomPositions(cell, n, 1.25, seed + 1);
  const species = Array.from({ length: n }, (_, i) => elements[i % elements.length]);
  return { cell, x, species };
}

function maxAbs(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]));
  return m;
}

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

for (const nonUniform of [false, true]) {
  test(`kernel equals the naive literal evaluation (${nonUniform ? 'non-uniform' : 'uniform'} knots, small triclinic cell with self-images)`, () => {
    const model = randomModel({ seed: 3, nonUniform });
    const { cell, x, species } = system(14, 11, 16);
    const res = new UF3Potential(model).bind(species, PBC).compute(x, cell);
    const ref = naiveEvaluate(model, species, x, cell);
    assert.ok(Math.abs(res.energy - ref.energy) <= 1e-10 * Math.max(1, Math.abs(ref.energy)), `${res.energy} vs ${ref.energy}`);
    assert.ok(maxDiff(res.forces, ref.forces) <= 1e-10 * Math.max(1, maxAbs(ref.forces)));
    // the test is meaningful: the 3-body term contributes
    const two = naiveEvaluate({ ...model, threeBody: [] }, species, x, cell);
    assert.ok(Math.abs(two.energy - ref.energy) > 1e-3);
  });
}

test('forces are −∂E/∂x and the virial is −∂E/∂ε (central differences, triclinic, 3 elements, nk knots)', () => {
  const model = randomModel({ seed: 5, nonUniform: true });
  const { cell, x, species } = system(18, 21);
  const calc = new UF3Potential(model, { skin: 0 }).bind(species, PBC);
  const res = calc.compute(x, cell);
  const F = Float64Array.from(res.forces), W = Float64Array.from(res.virial);
  const h = 1e-5;
  const e = (pos: Float64Array, c: Float64Array) => calc.compute(pos, c).energy;
  let worst = 0;
  for (let q = 0; q < x.length; q++) {
    const xp = Float64Array.from(x), xm = Float64Array.from(x);
    xp[q] += h; xm[q] -= h;
    const fd = -(e(xp, cell) - e(xm, cell)) / (2 * h);
    worst = Math.max(worst, Math.abs(fd - F[q]));
  }
  assert.ok(worst < 1e-6 * Math.max(1, maxAbs(F)), `force FD error ${worst}`);
  const strained = (a: number, b: number, s: number) => {
    const eps = new Float64Array(9);
    eps[3 * a + b] = s;
    const apply = (v: Float64Array) => {
      const out = Float64Array.from(v);
      for (let p = 0; p < v.length; p += 3)
        for (let r = 0; r < 3; r++) out[p + r] = v[p + r] + eps[3 * r] * v[p] + eps[3 * r + 1] * v[p + 1] + eps[3 * r + 2] * v[p + 2];
      return out;
    };
    return e(apply(x), apply(cell));
  };
  let worstW = 0;
  for (let a = 0; a < 3; a++) for (let b = 0; b < 3; b++) {
    const fd = -(strained(a, b, h) - strained(a, b, -h)) / (2 * h);
    worstW = Math.max(worstW, Math.abs(fd - W[3 * a + b]));
  }
  assert.ok(worstW < 1e-6 * Math.max(1, maxAbs(W)), `virial FD error ${worstW}`);
  assert.ok(maxAbs(W) > 0.1 && maxAbs(F) > 0.1);
});

test('rotation, translation and permutation invariance; a supercell has N× the energy', () => {
  const model = randomModel({ seed: 8 });
  const { cell, x, species } = system(20, 31);
  const base = new UF3Potential(model).bind(species, PBC).compute(x, cell);
  const u = rng(99);
  // rotation: E invariant, forces rotate, virial R W Rᵀ
  const R = randomRotation(u);
  const rot = (v: Float64Array) => {
    const o = new Float64Array(v.length);
    for (let p = 0; p < v.length; p += 3) for (let r = 0; r < 3; r++) o[p + r] = R[3 * r] * v[p] + R[3 * r + 1] * v[p + 1] + R[3 * r + 2] * v[p + 2];
    return o;
  };
  const rr = new UF3Potential(model).bind(species, PBC).compute(rot(x), rot(cell));
  assert.ok(Math.abs(rr.energy - base.energy) < 1e-9 * Math.abs(base.energy));
  assert.ok(maxDiff(rr.forces, rot(base.forces)) < 1e-9);
  // translation (and wrapping an atom by a lattice vector)
  const xt = Float64Array.from(x, (v, q) => v + [0.37, -1.3, 2.2][q % 3]);
  for (let k = 0; k < 3; k++) xt[k] += cell[3 + k] - 2 * cell[6 + k];
  const rt = new UF3Potential(model).bind(species, PBC).compute(xt, cell);
  assert.ok(Math.abs(rt.energy - base.energy) < 1e-9 * Math.abs(base.energy));
  assert.ok(maxDiff(rt.forces, base.forces) < 1e-9);
  assert.ok(maxDiff(rt.virial, base.virial) < 1e-8);
  // permutation
  const n = species.length;
  const perm = Array.from({ length: n }, (_, i) => i).sort(() => u() - 0.5);
  const xp = new Float64Array(3 * n);
  perm.forEach((src, dst) => xp.set(x.subarray(3 * src, 3 * src + 3), 3 * dst));
  const rp = new UF3Potential(model).bind(perm.map((s) => species[s]), PBC).compute(xp, cell);
  assert.ok(Math.abs(rp.energy - base.energy) < 1e-9 * Math.abs(base.energy));
  perm.forEach((src, dst) => { for (let k = 0; k < 3; k++) assert.ok(Math.abs(rp.forces[3 * dst + k] - base.forces[3 * src + k]) < 1e-9); });
  // 2×1×3 supercell
  const reps = [2, 1, 3];
  const big: number[] = [], bigSpecies: string[] = [];
  for (let a = 0; a < reps[0]; a++) for (let b = 0; b < reps[1]; b++) for (let c = 0; c < reps[2]; c++)
    for (let i = 0; i < n; i++) {
      for (let k = 0; k < 3; k++) big.push(x[3 * i + k] + a * cell[k] + b * cell[3 + k] + c * cell[6 + k]);
      bigSpecies.push(species[i]);
    }
  const bigCell = Float64Array.from(cell, (v, q) => v * reps[Math.floor(q / 3)]);
  const rs = new UF3Potential(model).bind(bigSpecies, PBC).compute(Float64Array.from(big), bigCell);
  assert.ok(Math.abs(rs.energy - 6 * base.energy) < 1e-9 * Math.abs(rs.energy));
  assert.ok(maxDiff(rs.virial, base.virial.map((v) => 6 * v)) < 1e-8 * maxAbs(rs.virial));
  assert.ok(maxDiff(rs.forces.subarray(0, 3 * n), base.forces) < 1e-9);
});

test('centre ranges partition the evaluation exactly (worker atom decomposition)', () => {
  const model = randomModel({ seed: 12 });
  const { cell, x, species } = system(30, 41);
  const k = new UF3Kernel(model);
  const types = speciesTypes(model, species);
  const list = buildNeighborList(x, cell, PBC, k.cutoff + 0.5, { full: true });
  const n = species.length;
  const fAll = new Float64Array(3 * n), wAll = new Float64Array(9);
  const eAll = k.computeRange(0, n, x, cell, types, list, fAll, wAll);
  const f1 = new Float64Array(3 * n), w1 = new Float64Array(9), f2 = new Float64Array(3 * n), w2 = new Float64Array(9);
  const e1 = k.computeRange(0, 13, x, cell, types, list, f1, w1);
  const e2 = new UF3Kernel(model).computeRange(13, n, x, cell, types, list, f2, w2);
  assert.ok(Math.abs(e1 + e2 - eAll) < 1e-10 * Math.abs(eAll));
  assert.ok(maxDiff(f1.map((v, q) => v + f2[q]), fAll) < 1e-11);
  assert.ok(maxDiff(w1.map((v, q) => v + w2[q]), wAll) < 1e-10);
  // per-atom energies add up to the total
  const en = new Float64Array(n);
  const e3 = k.computeRange(0, n, x, cell, types, list, new Float64Array(3 * n), new Float64Array(9), en);
  assert.ok(Math.abs(en.reduce((s, v) => s + v, 0) - e3) < 1e-10 * Math.abs(e3));
});

test('non-periodic cluster: energy equals the naive evaluation and forces sum to zero', () => {
  const model = randomModel({ seed: 14 });
  const { x, species } = system(12, 51, 14);
  const cell = new Float64Array(9);
  const pbc: [boolean, boolean, boolean] = [false, false, false];
  const res = new UF3Potential(model).bind(species, pbc).compute(x, cell);
  const ref = naiveEvaluate(model, species, x, cell, pbc);
  assert.ok(Math.abs(res.energy - ref.energy) < 1e-10 * Math.max(1, Math.abs(ref.energy)));
  for (let k = 0; k < 3; k++) {
    let s = 0;
    for (let i = 0; i < species.length; i++) s += res.forces[3 * i + k];
    assert.ok(Math.abs(s) < 1e-10);
  }
});

test('atoms closer than the lowest 2-body knot: TooCloseError naming both atoms, or linear extrapolation', () => {
  const model = randomModel({ seed: 2, r2: [1.5, 4.6], twoBodyOnly: true });
  const cell = new Float64Array([10, 0, 0, 0, 10, 0, 0, 0, 10]);
  const species = ['Li', 'S', 'P'];
  const at = (r: number) => new Float64Array([1, 1, 1, 1 + r, 1, 1, 6, 6, 6]);
  const calc = new UF3Potential(model).bind(species, PBC);
  assert.throws(() => calc.compute(at(1.2), cell), (e: unknown) => e instanceof TooCloseError && e instanceof InputError && e.i === 0 && e.j === 1 && /atoms 0 \(Li\) and 1 \(S\)/.test(e.message) && /1\.2000 Å/.test(e.message));
  const ex = new UF3Potential(model, { belowRange: 'extrapolate' }).bind(species, PBC);
  const e0 = ex.compute(at(1.5), cell).energy;
  const eIn = ex.compute(at(1.5 + 1e-7), cell).energy;
  const eOut = ex.compute(at(1.5 - 1e-7), cell).energy;
  // continuous value and slope across r_min
  assert.ok(Math.abs((eIn - e0) - (e0 - eOut)) < 1e-9);
  const deep = ex.compute(at(0.3), cell);
  assert.ok(Number.isFinite(deep.energy) && deep.forces.every(Number.isFinite));
});

test('bad input: an element the potential lacks, non-finite positions', () => {
  const model = randomModel({ seed: 2 });
  assert.throws(() => new UF3Potential(model).bind(['Li', 'O'], PBC), /no parameters for O \(atom 1\)/);
  const cell = new Float64Array([10, 0, 0, 0, 10, 0, 0, 0, 10]);
  const calc = new UF3Potential(model).bind(['Li', 'S'], PBC);
  assert.throws(() => calc.compute(new Float64Array([1, 1, 1, NaN, 2, 2]), cell), InputError);
});
