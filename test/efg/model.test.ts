import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { readExtxyzFrames, writeExtxyz } from '../../src/io/extxyz';
import { readNpy } from '../../src/io/npy';
import { rotateStructure, supercell, createStructure, cloneStructure, type Structure } from '../../src/core/structure';
import { InputError, ParseError } from '../../src/core/errors';
import { defaultDescriptorSettings, Featurizer, type DescriptorSettings } from '../../src/efg/descriptors';
import { buildDataset, datasetFeatures } from '../../src/efg/dataset';
import { predictFromFeatures, type EfgModelParams } from '../../src/efg/model';
import { trainEfgModel, predictWithTf, normalisation, tensorInvariants, invariantLoss, invariantsTf } from '../../src/efg/train';
import { loadTf } from '../../src/efg/backend';
import { saveEfgModel, loadEfgModel, roundWeightsToFloat32 } from '../../src/efg/artifacts';
import { EfgPredictor, predictTrajectory, predictTrajectoryParallel } from '../../src/efg/predict';
import { readEfgFrames } from '../../src/efg/efgFrames';
import { rotateTensor, tensorFromNmrParameters, principalComponents } from '../../src/efg/tensor';
import { readTrainConfig } from '../../src/efg/pipeline';
import { rng, randomRotation, gaussian } from '../helpers/random';

const FIXTURE = join(__dirname, '..', 'fixtures', 'efg', 'lps3.xyz');
const SHIPPED = join(__dirname, '..', '..', 'data', 'models', 'efg-lps');
const frames = (): Structure[] => [...readExtxyzFrames(FIXTURE)];
const relDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let d = 0, m = 0;
  for (let i = 0; i < a.length; i++) { d = Math.max(d, Math.abs(a[i] - b[i])); m = Math.max(m, Math.abs(b[i])); }
  return d / m;
};

/** A model with random (seeded) non-zero weights, gate included, so every part of the model is exercised. */
function randomModel(settings: DescriptorSettings, seed: number, hidden = 5): EfgModelParams {
  const ds = buildDataset(frames().map((s, k) => ({ structure: s, label: `f${k}` })), settings);
  const g = gaussian(rng(seed));
  const { nInv, nTen } = ds;
  return {
    settings, hidden, ...normalisation(ds),
    w: Float64Array.from({ length: nTen }, g), W1: Float64Array.from({ length: nInv * hidden }, () => 0.5 * g()),
    b1: Float64Array.from({ length: hidden }, g), W2: Float64Array.from({ length: hidden * nTen }, () => 0.3 * g()),
  };
}

test('model output rotates exactly: ‖V(Rx) − R V(x) Rᵀ‖/‖V‖ < 1e-5 for random rotations and a reflection', () => {
  const s = frames()[1];
  for (const params of [randomModel(defaultDescriptorSettings(), 1), loadEfgModel(SHIPPED).params]) {
    const p = new EfgPredictor(params);
    const ref = Float64Array.from(p.predict(s).tensors);
    const u = rng(7);
    const rots = [randomRotation(u), randomRotation(u), randomRotation(u), new Float64Array([1, 0, 0, 0, 1, 0, 0, 0, -1])];
    for (const R of rots) {
      const got = p.predict(rotateStructure(s, R)).tensors;
      const want = new Float64Array(ref.length);
      for (let i = 0; i < ref.length / 9; i++) rotateTensor(ref, R, want, 9 * i, 9 * i);
      assert.ok(relDiff(got, want) < 1e-10, `rotation error ${relDiff(got, want)}`);
    }
    // symmetric and traceless
    for (let i = 0; i < ref.length; i += 9) {
      assert.ok(Math.abs(ref[i] + ref[i + 4] + ref[i + 8]) < 1e-12 && ref[i + 1] === ref[i + 3]);
    }
  }
});

test('invariant to translations and permutations of like atoms; unchanged in a supercell', () => {
  const s = frames()[2];
  const p = new EfgPredictor(randomModel(defaultDescriptorSettings(), 2));
  const ref = Float64Array.from(p.predict(s).tensors);
  const moved = cloneStructure(s);
  for (let i = 0; i < moved.positions.length; i++) moved.positions[i] += [3.7, -11.2, 0.4][i % 3];
  assert.ok(relDiff(p.predict(moved).tensors, ref) < 1e-10, 'translation');
  // reverse the atom order (Li stay Li, S stay S): tensors follow their atoms
  const n = s.species.length, order = Array.from({ length: n }, (_, i) => n - 1 - i);
  const perm = createStructure({ species: order.map((i) => s.species[i]), positions: order.flatMap((i) => [s.positions[3 * i], s.positions[3 * i + 1], s.positions[3 * i + 2]]), cell: s.cell });
  const byAtom = new Map<number, Float64Array>();
  Array.from(p.predict(s).centres).forEach((a, k) => byAtom.set(a, ref.subarray(9 * k, 9 * k + 9)));
  const r = p.predict(perm); // (the predictor reuses its output buffer: read r before the next call)
  r.centres.forEach((a, k) => assert.ok(relDiff(r.tensors.subarray(9 * k, 9 * k + 9), byAtom.get(order[a])!) < 1e-10, `permuted centre ${a}`));
  const sc = supercell(s, [2, 1, 2]);
  const t = p.predict(sc).tensors, nLi = ref.length / 9;
  for (let img = 0; img < 4; img++) assert.ok(relDiff(t.subarray(9 * nLi * img, 9 * nLi * (img + 1)), ref) < 1e-10, `supercell image ${img}`);
});

test('moments equal a brute-force sum over all periodic images', () => {
  const s = frames()[0]; // 16 atoms, cell edges ≈ 6–7.6 Å < 2 × cutoff: several images of the same atom count
  const d = { ...defaultDescriptorSettings(), dipoles: false };
  const f = new Featurizer(d).featurizeStructure(s);
  const K = d.nRadial, rc = d.cutoff, delta = (rc - d.rMin) / (K - 1), sigma = d.width * delta;
  const i = f.centres[0], want = new Float64Array(3 * K * 6), wantInv = new Float64Array(3 * K);
  for (let j = 0; j < s.species.length; j++)
    for (let a = -2; a <= 2; a++) for (let b = -2; b <= 2; b++) for (let c = -2; c <= 2; c++) {
      const v = [0, 1, 2].map((k) => s.positions[3 * j + k] + a * s.cell[k] + b * s.cell[3 + k] + c * s.cell[6 + k] - s.positions[3 * i + k]);
      const r = Math.hypot(v[0], v[1], v[2]);
      if (r < 1e-9 || r >= rc) continue;
      const sp = d.species.indexOf(s.species[j]), u = v.map((x) => x / r);
      for (let k = 0; k < K; k++) {
        const g = (d.rRef / r) ** d.power * Math.exp(-(((r - d.rMin - k * delta) / sigma) ** 2)) * 0.5 * (1 + Math.cos((Math.PI * r) / rc));
        const o = (sp * K + k) * 6;
        wantInv[sp * K + k] += g;
        [u[0] * u[0] - 1 / 3, u[1] * u[1] - 1 / 3, u[2] * u[2] - 1 / 3, u[0] * u[1], u[0] * u[2], u[1] * u[2]].forEach((t, q) => { want[o + q] += g * t; });
      }
    }
  assert.ok(relDiff(f.inv.subarray(0, 3 * K), wantInv) < 1e-12);
  assert.ok(relDiff(f.ten.subarray(0, 3 * K * 6), want) < 1e-12);
});

test('two-hop induced-dipole and induced-quadrupole tensors equal brute-force evaluations', () => {
  const s = frames()[0];
  const d = defaultDescriptorSettings();
  const f = new Featurizer(d).featurizeStructure(s);
  const S = 3, C = S * d.nRadial, rc = d.cutoff, n = s.species.length;
  const fc = (r: number) => (r < rc ? 0.5 * (1 + Math.cos((Math.PI * r) / rc)) : 0);
  const images = (i: number, j: number, fn: (v: number[], r: number) => void) => {
    for (let a = -2; a <= 2; a++) for (let b = -2; b <= 2; b++) for (let c = -2; c <= 2; c++) {
      const v = [0, 1, 2].map((k) => s.positions[3 * j + k] + a * s.cell[k] + b * s.cell[3 + k] + c * s.cell[6 + k] - s.positions[3 * i + k]);
      const r = Math.hypot(v[0], v[1], v[2]);
      if (r > 1e-9 && r < rc) fn(v, r);
    }
  };
  // field per unit charge of species sf at atom j
  const field = (j: number, sf: number) => {
    const e = [0, 0, 0];
    for (let l = 0; l < n; l++) if (d.species.indexOf(s.species[l]) === sf) images(j, l, (v, r) => { for (let k = 0; k < 3; k++) e[k] -= (fc(r) * v[k]) / r ** 3; });
    return e;
  };
  const i = f.centres[1];
  const full = (m: number[][]) => [m[0][0], m[1][1], m[2][2], m[0][1], m[0][2], m[1][2]];
  for (let sf = 0; sf < S; sf++) for (let sd = 0; sd < S; sd++) {
    const d1 = [[0, 0, 0], [0, 0, 0], [0, 0, 0]], d2 = [[0, 0, 0], [0, 0, 0], [0, 0, 0]];
    for (let j = 0; j < n; j++) {
      if (d.species.indexOf(s.species[j]) !== sd) continue;
      const e = field(j, sf);
      images(i, j, (v, r) => {
        const u = v.map((x) => -x / r), h = fc(r) / r ** 4, dot = u[0] * e[0] + u[1] * e[1] + u[2] * e[2];
        for (let a = 0; a < 3; a++) for (let b = 0; b < 3; b++) {
          d1[a][b] += h * (0.5 * (u[a] * e[b] + u[b] * e[a]) - (a === b ? dot / 3 : 0));
          d2[a][b] += h * dot * (u[a] * u[b] - (a === b ? 1 / 3 : 0));
        }
      });
    }
    // induced quadrupoles: G_j[sf] = Σ f_c (3uuᵀ − I)/r³ and the three forms with f_c/r⁵
    const q = [0, 1, 2].map(() => [[0, 0, 0], [0, 0, 0], [0, 0, 0]]);
    for (let j = 0; j < n; j++) {
      if (d.species.indexOf(s.species[j]) !== sd) continue;
      const G = [[0, 0, 0], [0, 0, 0], [0, 0, 0]];
      for (let l = 0; l < n; l++) if (d.species.indexOf(s.species[l]) === sf) images(j, l, (v, r) => { for (let a = 0; a < 3; a++) for (let b = 0; b < 3; b++) G[a][b] += (fc(r) * (3 * v[a] * v[b] / (r * r) - (a === b ? 1 : 0))) / r ** 3; });
      images(i, j, (v, r) => {
        const u = v.map((x) => -x / r), h = fc(r) / r ** 5;
        const Gu = [0, 1, 2].map((a) => G[a][0] * u[0] + G[a][1] * u[1] + G[a][2] * u[2]), uGu = u[0] * Gu[0] + u[1] * Gu[1] + u[2] * Gu[2];
        for (let a = 0; a < 3; a++) for (let b = 0; b < 3; b++) {
          q[0][a][b] += h * G[a][b];
          q[1][a][b] += h * (0.5 * (u[a] * Gu[b] + u[b] * Gu[a]) - (a === b ? uGu / 3 : 0));
          q[2][a][b] += h * uGu * (u[a] * u[b] - (a === b ? 1 / 3 : 0));
        }
      });
    }
    for (let form = 0; form < 3; form++) {
      const o = 6 * (1 * f.nTen + C + 2 * S * S + form * S * S + sf * S + sd), w = full(q[form]), sc = Math.max(...w.map(Math.abs), 1e-4);
      for (let k = 0; k < 6; k++) assert.ok(Math.abs(f.ten[o + k] - w[k]) < 1e-12 * sc, `Q${form + 1}[${sf},${sd}]`);
    }
    const o1 = 6 * (1 * f.nTen + C + sf * S + sd), o2 = 6 * (1 * f.nTen + C + S * S + sf * S + sd);
    const w1 = full(d1), w2 = full(d2), scale = Math.max(...w1.map(Math.abs), ...w2.map(Math.abs), 1e-3);
    for (let q = 0; q < 6; q++) {
      assert.ok(Math.abs(f.ten[o1 + q] - w1[q]) < 1e-12 * scale, `D1[${sf},${sd}]`);
      assert.ok(Math.abs(f.ten[o2 + q] - w2[q]) < 1e-12 * scale, `D2[${sf},${sd}]`);
    }
  }
});

test('fused inference equals features + predictFromFeatures for every feature set and gate size', () => {
  for (const [over, hidden] of [[{}, 5], [{}, 0], [{ quadrupoles: false }, 3], [{ dipoles: false }, 2], [{ dipoles: false, quadrupoles: false, power: 0 }, 4]] as const) {
    const settings = { ...defaultDescriptorSettings(), ...over };
    const m = randomModel(settings, 11, hidden);
    for (const s of frames()) {
      const fz = new Featurizer(settings);
      const want = predictFromFeatures(m, fz.featurizeStructure(s));
      const got = new EfgPredictor(m).predict(s).tensors;
      assert.ok(relDiff(got, want) < 1e-12, `${JSON.stringify(over)} hidden ${hidden}: ${relDiff(got, want)}`);
    }
  }
});

test('ridge fit recovers a known linear model exactly; tfjs graph equals the pure-JS inference', async () => {
  const settings = defaultDescriptorSettings();
  const truth = randomModel(settings, 3, 0);
  const labelled = frames().map((s, k) => ({ structure: s, label: `f${k}` }));
  const ds = buildDataset(labelled, settings);
  ds.y.set(predictFromFeatures(truth, datasetFeatures(ds)));
  const fit = await trainEfgModel(ds, undefined, { hidden: 0, epochs: 0, ridge: 1e-12 });
  assert.ok(relDiff(predictFromFeatures(fit.params, datasetFeatures(ds)), ds.y) < 1e-6, 'ridge reproduces targets');
  const m = roundWeightsToFloat32(randomModel(settings, 4, 6));
  const js = predictFromFeatures(m, datasetFeatures(ds));
  const tf = await predictWithTf(m, ds);
  assert.ok(relDiff(tf, js) < 1e-5, `tfjs vs JS ${relDiff(tf, js)}`);
});

test('Adam training is reproducible with a seed and improves on the ridge start', async () => {
  const labelled = frames().map((s, k) => ({ structure: s, label: `f${k}` }));
  const settings = { ...defaultDescriptorSettings(), nRadial: 4 };
  const ds = buildDataset(labelled, settings);
  const opts = { hidden: 4, epochs: 60, patience: 1000, seed: 5, learningRate: 0.01 };
  const a = await trainEfgModel(ds, undefined, opts), b = await trainEfgModel(ds, undefined, opts);
  assert.deepEqual(Array.from(a.params.W2), Array.from(b.params.W2));
  assert.ok(a.history.length === 60 && a.backend.length > 0);
  assert.ok(a.history.at(-1)!.trainLoss < a.history[0].trainLoss, 'training lowers the loss');
});

test('tensor invariants: Tr V² = V_zz²(3 + η²)/2, det V = V_zz³(1 − η²)/4, rotation invariant; invariant loss', () => {
  const r = rng(11);
  const ts: number[] = [];
  for (let k = 0; k < 20; k++) {
    const t = tensorFromNmrParameters((r() - 0.5) * 4e5, r(), { alpha: 6 * r(), beta: 3 * r(), gamma: 6 * r() });
    const { vzz, eta } = principalComponents(t);
    const { i2, i3 } = tensorInvariants(t);
    assert.ok(Math.abs(i2[0] - (vzz * vzz * (3 + eta * eta)) / 2) < 1e-12 * vzz * vzz, `I2 ${i2[0]}`);
    assert.ok(Math.abs(i3[0] - (vzz ** 3 * (1 - eta * eta)) / 4) < 1e-12 * Math.abs(vzz) ** 3, `I3 ${i3[0]}`);
    const rot = tensorInvariants(rotateTensor(t, randomRotation(r)));
    assert.ok(Math.abs(rot.i2[0] - i2[0]) < 1e-12 * i2[0] && Math.abs(rot.i3[0] - i3[0]) < 1e-11 * Math.abs(vzz) ** 3);
    ts.push(...t);
  }
  const ref = Float64Array.from(ts);
  assert.equal(invariantLoss(ref, ref), 0);
  // a rotated copy has the same invariants (loss 0), the negated tensors only the same Tr V² (det changes sign)
  const rotated = new Float64Array(ref.length);
  for (let k = 0; k < 20; k++) rotateTensor(ref, randomRotation(r), rotated, 9 * k, 9 * k);
  assert.ok(invariantLoss(rotated, ref) < 1e-20);
  // −V keeps Tr V² and flips det V: the I3 term is ⟨(2 I3)²⟩/⟨I3²⟩ = 4 exactly, the I2 term 0
  const lossNeg = invariantLoss(ref.map((x) => -x), ref);
  assert.ok(Math.abs(lossNeg - 4) < 1e-12, `loss of −V ${lossNeg}`);
});

test('the tfjs invariants used in training equal Tr V² and det V of the 3 × 3 tensors', async () => {
  const { tf } = await loadTf();
  const r = rng(12), g = gaussian(r), n = 25;
  const six = Float32Array.from({ length: 6 * n }, g); // xx, yy, zz, xy, xz, yz (trace not removed: the formulas hold for any symmetric tensor)
  const full = new Float64Array(9 * n);
  for (let k = 0; k < n; k++) {
    const [xx, yy, zz, xy, xz, yz] = six.slice(6 * k, 6 * k + 6);
    full.set([xx, xy, xz, xy, yy, yz, xz, yz, zz], 9 * k);
  }
  const t = tf.tensor2d(six, [n, 6]);
  const { i2, i3 } = invariantsTf(tf, t);
  const a2 = i2.dataSync(), a3 = i3.dataSync();
  const ref = tensorInvariants(full);
  for (let k = 0; k < n; k++) {
    assert.ok(Math.abs(a2[k] - ref.i2[k]) < 1e-5 * (1 + Math.abs(ref.i2[k])), `I2 ${a2[k]} vs ${ref.i2[k]}`);
    assert.ok(Math.abs(a3[k] - ref.i3[k]) < 1e-5 * (1 + Math.abs(ref.i3[k])), `I3 ${a3[k]} vs ${ref.i3[k]}`);
  }
  tf.dispose([t, i2, i3]);
});

test('training weighted toward C_Q/η (invariantWeight) lowers the invariant error; unknown training keys are rejected', async () => {
  const labelled = frames().map((s, k) => ({ structure: s, label: `f${k}` }));
  const settings = { ...defaultDescriptorSettings(), nRadial: 4 };
  const ds = buildDataset(labelled, settings);
  const base = { hidden: 4, epochs: 150, patience: 1000, seed: 5, learningRate: 0.01 };
  const plain = await trainEfgModel(ds, undefined, base);
  const weighted = await trainEfgModel(ds, undefined, { ...base, invariantWeight: 20 });
  const again = await trainEfgModel(ds, undefined, { ...base, invariantWeight: 20 });
  assert.deepEqual(Array.from(weighted.params.W2), Array.from(again.params.W2), 'reproducible');
  const lp = invariantLoss(predictFromFeatures(plain.params, datasetFeatures(ds)), ds.y);
  const lw = invariantLoss(predictFromFeatures(weighted.params, datasetFeatures(ds)), ds.y);
  assert.ok(lw < 0.8 * lp, `invariant loss: weighted ${lw} vs components only ${lp}`);
  await assert.rejects(() => trainEfgModel(ds, undefined, { ...base, invariantWeight: -1 }), InputError);
  const dir = mkdtempSync(join(tmpdir(), 'efg-cfg-'));
  try {
    writeFileSync(join(dir, 'c.json'), JSON.stringify({ data: ['x.xyz'], output: 'm', training: { invariantWeigth: 1 } }));
    assert.throws(() => readTrainConfig(join(dir, 'c.json')), (e: Error) => e instanceof ParseError && /invariantWeigth/.test(e.message) && /c\.json/.test(e.message));
    writeFileSync(join(dir, 'c.json'), JSON.stringify({ data: ['x.xyz'], output: 'm', training: { invariantWeight: 1, hidden: 4 } }));
    assert.equal(readTrainConfig(join(dir, 'c.json')).config.training!.invariantWeight, 1);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('save/load round trip, tfjs-compatible weights, version and species errors', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'efg-model-'));
  try {
    const m = roundWeightsToFloat32(randomModel(defaultDescriptorSettings(), 6, 3));
    saveEfgModel(dir, m, { note: 'test' });
    const back = loadEfgModel(dir);
    assert.equal(back.metadata.note, 'test');
    const s = frames()[1];
    assert.deepEqual(Array.from(new EfgPredictor(back.params).predict(s).tensors), Array.from(new EfgPredictor(m).predict(s).tensors));
    // weights.bin + manifest decode with TensorFlow.js itself
    const tf = require('@tensorflow/tfjs') as typeof import('@tensorflow/tfjs');
    const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
    const bin = readFileSync(join(dir, 'weights.bin'));
    const named = tf.io.decodeWeights(bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength), json.weightsManifest[0].weights);
    assert.deepEqual(Array.from(named['efg/W2'].dataSync()), Array.from(Float32Array.from(m.W2)));
    // another format version
    writeFileSync(join(dir, 'model.json'), JSON.stringify({ ...json, formatVersion: 99 }));
    assert.throws(() => loadEfgModel(dir), (e: Error) => e instanceof ParseError && /formatVersion 1/.test(e.message));
    writeFileSync(join(dir, 'model.json'), JSON.stringify({ ...json, format: 'keras' }));
    assert.throws(() => loadEfgModel(dir), ParseError);
    writeFileSync(join(dir, 'model.json'), JSON.stringify(json));
    writeFileSync(join(dir, 'weights.bin'), bin.subarray(0, 8));
    assert.throws(() => loadEfgModel(dir), ParseError);
    assert.throws(() => loadEfgModel(join(dir, 'nope')), InputError);
    // an element the model does not know
    const na = createStructure({ species: ['Li', 'Na'], positions: [0, 0, 0, 2, 0, 0], cell: [8, 0, 0, 0, 8, 0, 0, 0, 8] });
    assert.throws(() => new EfgPredictor(m).predict(na, 'x.xyz frame 3'), (e: Error) => e instanceof InputError && /x.xyz frame 3: element Na/.test(e.message));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('datasets: files without EFG data and non-symmetric tensors are reported; symmetrise only when asked', () => {
  const dir = mkdtempSync(join(tmpdir(), 'efg-data-'));
  try {
    const s = frames()[0];
    const noEfg = cloneStructure(s);
    delete noEfg.arrays.efg;
    writeExtxyz(join(dir, 'plain.xyz'), [noEfg]);
    assert.throws(() => readEfgFrames(join(dir, 'plain.xyz')), (e: Error) => e instanceof InputError && /no EFG data in any of its 1 frame/.test(e.message));
    const bad = cloneStructure(s);
    (bad.arrays.efg.data as Float64Array)[1] += 0.5; // V_xy ≠ V_yx on atom 0 (a Li)
    const settings = defaultDescriptorSettings();
    assert.throws(() => buildDataset([{ structure: bad, label: 'bad#0' }], settings), (e: Error) => e instanceof InputError && /bad#0.*not symmetric/.test(e.message));
    const ds = buildDataset([{ structure: bad, label: 'bad#0' }], settings, { symmetrise: true });
    assert.ok(Math.abs(ds.y[1] - ds.y[3]) < 1e-15);
    const au = cloneStructure(s);
    au.info.efg_units = 'au';
    assert.ok(Math.abs(buildDataset([{ structure: au, label: 'a' }], settings).y[0] / buildDataset([{ structure: s, label: 's' }], settings).y[0] - 97.1736) < 1e-9);
    au.info.efg_units = 'furlongs';
    assert.throws(() => buildDataset([{ structure: au, label: 'a' }], settings), /unknown efg_units/);
    assert.throws(() => readEfgFrames(join(dir, 'nothing.magres')), InputError);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('EFG data from CASTEP .magres (atomic units → V/Å²) and VASP OUTCAR (LEFG step only)', () => {
  const fx = (f: string) => join(__dirname, '..', 'fixtures', 'efg', f);
  const mag = readEfgFrames(fx('nacl_soprano.magres'));
  assert.equal(mag.length, 1);
  const s = mag[0].structure;
  // rock salt: the DFT EFG and the point-charge EFG both vanish by symmetry at Na
  const settings = { ...defaultDescriptorSettings(['Na', 'Cl']), centre: 'Na' };
  const ds = buildDataset(mag, settings);
  assert.ok(ds.n > 0 && ds.y.every((v) => Math.abs(v) < 0.05), 'NaCl EFG ≈ 0');
  const out = readEfgFrames(fx('OUTCAR_synthetic_LiS'));
  assert.equal(out.length, 1);
  assert.equal(out.skipped, 1);
  assert.equal(out[0].label, 'OUTCAR_synthetic_LiS#1');
  assert.equal(out[0].structure.arrays.efg.width, 9);
});

test('predictTrajectory streams frames × nLi × 3 × 3 float64 equal to per-frame predictions, also with workers', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'efg-pred-'));
  try {
    const s = frames()[1];
    const u = rng(8), g = gaussian(u);
    const traj = [0, 1, 2].map(() => { const c = cloneStructure(s); for (let i = 0; i < c.positions.length; i++) c.positions[i] += 0.05 * g(); delete c.arrays.efg; return c; });
    writeExtxyz(join(dir, 't.xyz'), traj);
    const m = loadEfgModel(SHIPPED).params;
    const r = predictTrajectory(m, join(dir, 't.xyz'), join(dir, 'out.npy'));
    assert.equal(r.frames, 3);
    const npy = readNpy(join(dir, 'out.npy'));
    assert.deepEqual(npy.shape, [3, 12, 3, 3]);
    assert.equal(npy.dtype, 'float64');
    const p = new EfgPredictor(m);
    traj.forEach((t, k) => assert.deepEqual(Array.from((npy.data as Float64Array).subarray(108 * k, 108 * (k + 1))), Array.from(p.predict(t).tensors)));
    // two worker threads write the same series, bit for bit
    const par = await predictTrajectoryParallel(m, join(dir, 't.xyz'), join(dir, 'par.npy'), { workers: 2 });
    assert.equal(par.frames, 3);
    assert.deepEqual(Array.from(readNpy(join(dir, 'par.npy')).data as Float64Array), Array.from(npy.data as Float64Array));
    // a frame with other atoms aborts and leaves no output file behind
    writeExtxyz(join(dir, 'mixed.xyz'), [traj[0], frames()[0]]);
    assert.throws(() => predictTrajectory(m, join(dir, 'mixed.xyz'), join(dir, 'mixed.npy')), /differ from frame 0/);
    assert.throws(() => readFileSync(join(dir, 'mixed.npy')));
    await assert.rejects(predictTrajectoryParallel(m, join(dir, 'mixed.xyz'), join(dir, 'mixed2.npy'), { workers: 2 }), /differ from frame 0/);
    assert.throws(() => readFileSync(join(dir, 'mixed2.npy')));

  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the shipped model: metadata, and its test metrics beat the point-charge baseline', () => {
  const m = loadEfgModel(SHIPPED);
  const meta = m.metadata as { species: string[]; trainingData: { fingerprint: string; test: string[] }; metrics: { test: { r2: number; cqMaeKHz: number; cqStdRefKHz: number }; baselineTest: { r2: number } } };
  assert.deepEqual(meta.species, ['Li', 'P', 'S']);
  assert.ok(meta.trainingData.fingerprint.length === 16 && meta.trainingData.test.length > 0);
  assert.ok(meta.metrics.test.r2 > meta.metrics.baselineTest.r2);
  assert.ok(meta.metrics.test.cqMaeKHz < meta.metrics.test.cqStdRefKHz);
  // the model reproduces the DFT tensors of the fixture frames to a useful degree (R² over components)
  const ds = buildDataset(frames().map((s, k) => ({ structure: s, label: `f${k}` })), m.params.settings);
  const pred = predictFromFeatures(m.params, datasetFeatures(ds));
  let sse = 0, sst = 0;
  for (let i = 0; i < pred.length; i++) { sse += (pred[i] - ds.y[i]) ** 2; sst += ds.y[i] ** 2; }
  assert.ok(1 - sse / sst > 0.7, `fixture R² ${1 - sse / sst}`);
});

test('shipped model on the ordered β-Li3PS4 cell (not in the training data) is close to the GPAW values quoted for it', () => {
  const { readStructure } = require('../../src/io/formats') as typeof import('../../src/io/formats');
  const s = readStructure(join(__dirname, '..', 'fixtures', 'efg', 'beta-Li3PS4_ordered_8d4b_Pnma_from-Chen2025-frame0.cif'));
  const r = new EfgPredictor(loadEfgModel(SHIPPED).params).predict(s);
  const { cqAndEta } = require('../../src/efg/tensor') as typeof import('../../src/efg/tensor');
  const { cqHz, eta } = cqAndEta(r.tensors);
  const labels = s.arrays.site_label.data as string[];
  const site = (k: number) => (Number(labels[r.centres[k]].replace('Li', '')) <= 8 ? '8d' : '4b');
  const ref = { '8d': { cq: -147.7, eta: 0.7 }, '4b': { cq: 199.0, eta: 0.77 } };
  for (let k = 0; k < cqHz.length; k++) {
    const want = ref[site(k)];
    assert.ok(Math.abs(cqHz[k] / 1e3 - want.cq) < 25, `${site(k)} C_Q ${cqHz[k] / 1e3} kHz vs ${want.cq}`);
    assert.ok(Math.abs(eta[k] - want.eta) < 0.2, `${site(k)} η ${eta[k]} vs ${want.eta}`);
  }
});
