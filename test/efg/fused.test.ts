import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readExtxyzFrames } from '../../src/io/extxyz';
import { cloneStructure, createStructure, supercell, type Structure } from '../../src/core/structure';
import { cutoffFunction, defaultDescriptorSettings, Featurizer, type DescriptorSettings } from '../../src/efg/descriptors';
import { FusedEfgEvaluator } from '../../src/efg/fused';
import { predictFromFeatures, type EfgModelParams } from '../../src/efg/model';
import { featureCounts } from '../../src/efg/descriptors';
import { rng, gaussian } from '../helpers/random';

const frames = (): Structure[] => [...readExtxyzFrames(join(__dirname, '..', 'fixtures', 'efg', 'lps3.xyz'))];
const relDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let d = 0, m = 0;
  for (let i = 0; i < a.length; i++) { d = Math.max(d, Math.abs(a[i] - b[i])); m = Math.max(m, Math.abs(b[i])); }
  return d / m;
};

/** Random (seeded) parameters with a plausible normalisation, so that gate and every tensor form matter. */
function randomParams(settings: DescriptorSettings, seed: number, hidden: number): EfgModelParams {
  const { nInv, nTen } = featureCounts(settings), g = gaussian(rng(seed));
  return {
    settings, hidden, yScale: 0.7,
    invMean: Float64Array.from({ length: nInv }, () => 0.5 + 0.2 * g()), invStd: Float64Array.from({ length: nInv }, () => 1 + 0.3 * Math.abs(g())),
    tenScale: Float64Array.from({ length: nTen }, () => 0.5 + Math.abs(g())), w: Float64Array.from({ length: nTen }, g),
    W1: Float64Array.from({ length: nInv * hidden }, () => 0.5 * g()), b1: Float64Array.from({ length: hidden }, g), W2: Float64Array.from({ length: hidden * nTen }, () => 0.3 * g()),
  };
}

/** Reference: features at the centres, then the model head (model.ts). */
function reference(p: EfgModelParams, s: Structure, centres: Int32Array): Float64Array {
  const fz = new Featurizer(p.settings);
  return predictFromFeatures(p, fz.featurize(s.positions, s.cell, s.pbc, fz.typeIndices(s.species), centres));
}

test('cutoff polynomial equals ½(1 + cos x) to 1e-15 on [0, π]', () => {
  let worst = 0;
  for (let i = 0; i <= 100000; i++) {
    const x = (Math.PI * i) / 100000;
    worst = Math.max(worst, Math.abs(cutoffFunction(x) - 0.5 * (1 + Math.cos(x))));
  }
  assert.ok(worst < 1e-15, `worst deviation ${worst}`);
  assert.ok(Math.abs(cutoffFunction(0) - 1) < 1e-15);
  assert.ok(Math.abs(cutoffFunction(Math.PI)) < 1e-16);
});

test('fused evaluation at any set of centres (Li, P, S, a subset) equals features + head', () => {
  const s = frames()[1];
  for (const [settings, hidden] of [[defaultDescriptorSettings(), 8], [{ ...defaultDescriptorSettings(), quadrupoles: false, nRadial: 5 }, 3], [{ ...defaultDescriptorSettings(), power: 2, width: 0.7 }, 1]] as const) {
    const p = randomParams(settings, 5 + hidden, hidden);
    const ev = new FusedEfgEvaluator(p);
    const types = Int32Array.from(ev.typeIndices(s.species));
    const n = s.species.length;
    const sets = [
      Int32Array.from({ length: n }, (_, i) => i), // every atom a centre: every pair is counted in both directions
      Int32Array.from({ length: n }, (_, i) => i).filter((i) => s.species[i] !== 'Li'), // no Li
      Int32Array.from([n - 1, 0, 5]), // a few, out of order
    ];
    for (const centres of sets) {
      const got = ev.evaluate(s.positions, s.cell, s.pbc, types, centres);
      const want = reference(p, s, centres);
      assert.ok(relDiff(got, want) < 1e-12, `hidden ${hidden}, ${centres.length} centres: ${relDiff(got, want)}`);
    }
  }
});

test('fused evaluator reuses its buffers across systems of different sizes; open boundaries', () => {
  const [a, b] = frames();
  const p = randomParams(defaultDescriptorSettings(), 3, 4);
  const big = supercell(b, [2, 2, 1]);
  const cluster = createStructure({ species: a.species, positions: a.positions, cell: new Float64Array(9), pbc: [false, false, false] });
  const systems = [a, big, cluster, a, big];
  const ev = new FusedEfgEvaluator(p);
  for (const s of systems) {
    const types = Int32Array.from(ev.typeIndices(s.species)), centres = ev.centresOf(s.species);
    const fresh = new FusedEfgEvaluator(p).evaluate(s.positions, s.cell, s.pbc, types, centres);
    const reused = ev.evaluate(s.positions, s.cell, s.pbc, types, centres);
    assert.deepEqual(Array.from(reused), Array.from(fresh));
    assert.ok(relDiff(reused, reference(p, s, centres)) < 1e-12);
  }
  // the cluster differs from the periodic cell (its images are absent) and has no NaN
  const t = ev.evaluate(cluster.positions, cluster.cell, cluster.pbc, Int32Array.from(ev.typeIndices(cluster.species)), ev.centresOf(cluster.species));
  assert.ok(t.every(Number.isFinite));
  // frames moved by whole lattice vectors (wrapped vs unwrapped coordinates) give the same tensors
  const shifted = cloneStructure(a);
  for (let i = 0; i < shifted.species.length; i += 3) for (let k = 0; k < 3; k++) shifted.positions[3 * i + k] += a.cell[3 + k] - 2 * a.cell[k];
  const types = Int32Array.from(ev.typeIndices(a.species)), centres = ev.centresOf(a.species);
  const ref = Float64Array.from(ev.evaluate(a.positions, a.cell, a.pbc, types, centres));
  assert.ok(relDiff(ev.evaluate(shifted.positions, shifted.cell, shifted.pbc, types, centres), ref) < 1e-12);
});
