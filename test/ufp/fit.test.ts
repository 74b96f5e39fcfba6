/**
 * The UF3 fitter end to end: recovery of the known Lennard-Jones pair curves from uf3's Ne–Xe LAMMPS
 * dump, threads = serial, outputs (files, .uf3 round trip), configuration checks.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { mkdtempSync, rmSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { runFit, writeFitOutputs, validateFitConfig, FitConfig } from '../../src/ufp/fit/fit';
import { compileCurve, evaluateCurve, readModel, UF3Potential } from '../../src/ufp';
import { buildNeighborList } from '../../src/core/neighbors';
import { InputError } from '../../src/core/errors';

const FIX = join(__dirname, '..', 'fixtures', 'ufp');
/** lj/cut parameters of NeXe_generate.in: ε (eV), σ (Å), r_c (Å). */
const LJ: Record<string, [number, number, number]> = { 'Ne-Ne': [0.003705453303, 2.73, 6], 'Ne-Xe': [0.006323399148, 3.472, 8], 'Xe-Xe': [0.02206037315, 3.92, 10] };

const NEXE: FitConfig = {
  elements: ['Ne', 'Xe'],
  data: [{ path: 'nexe_every8.lammpstrj', typeMap: ['Ne', 'Xe'], energy: 'sum:c_ape', label: 'nexe' }],
  // ~0.1 Å knots: the cubic-spline error of the steep LJ wall at the closest distances stays well below 1 meV
  basis: { twoBody: { rMin: 3.2, rMax: 10, intervals: 68, pairs: { 'Ne-Ne': { rMin: 2.0, rMax: 6, intervals: 40 }, 'Ne-Xe': { rMin: 2.6, rMax: 8, intervals: 54 } } } },
  // LAMMPS lj/cut energies jump by −V(r_c) where a pair crosses r_c, which no smooth curve can follow:
  // fit the forces (κ = 0) with the 1-body energies fixed at 0; the curves then vanish smoothly at r_c
  oneBody: { Ne: 0, Xe: 0 },
  solve: { kappa: 0, ridge1: 1e-8, ridge2: 1e-12, curvature2: 0 },
  split: { validationFraction: 0.2 },
};

test('the fitter recovers the Lennard-Jones pair curves of the Ne–Xe dump to within 1 meV over the data range', async () => {
  const r = await runFit(NEXE, FIX);
  // pair-distance range covered by the data
  const rmin: Record<string, number> = { 'Ne-Ne': Infinity, 'Ne-Xe': Infinity, 'Xe-Xe': Infinity };
  for (const s of [...r.frames.train, ...r.frames.validation]) {
    const l = buildNeighborList(s.positions, s.cell, s.pbc, 4.5, { full: true });
    for (let i = 0; i < s.species.length; i++) for (let e = l.start[i]; e < l.start[i + 1]; e++) {
      const j = l.index[e];
      const d = [0, 1, 2].map((c) => s.positions[3 * j + c] - s.positions[3 * i + c] + l.image[3 * e] * s.cell[c] + l.image[3 * e + 1] * s.cell[3 + c] + l.image[3 * e + 2] * s.cell[6 + c]);
      const key = [s.species[i], s.species[j]].sort().join('-');
      rmin[key] = Math.min(rmin[key], Math.hypot(d[0], d[1], d[2]));
    }
  }
  for (const t of r.model.twoBody) {
    const key = t.elements.join('-');
    const [eps, sig, rc] = LJ[key];
    const c = compileCurve(t.knots, t.coefficients);
    let worst = 0;
    for (let x = rmin[key]; x < rc; x += 0.002) {
      // UF3 sums ordered pairs: 2·V2 is the pair energy
      const lj = 4 * eps * ((sig / x) ** 12 - (sig / x) ** 6);
      worst = Math.max(worst, Math.abs(2 * evaluateCurve(c, x)[0] - lj));
    }
    assert.ok(worst < 1e-3, `${key}: max |2V2 − V_LJ| = ${(worst * 1e3).toFixed(3)} meV over [${rmin[key].toFixed(2)}, ${rc}] Å`);
  }
  assert.ok(r.validation.nexe.forceRmse < 1e-3 && r.validation.nexe.frames === 10);
  assert.deepEqual(r.counts, { nexe: { train: 41, validation: 10 } });
});

test('two featurization threads give the same fit as one; the written .uf3 reloads to identical energies', async () => {
  const cfg: FitConfig = {
    ...NEXE,
    data: [{ ...NEXE.data[0], count: 16 }],
    basis: { twoBody: { rMin: 2.0, rMax: 8, intervals: 20 } },
    oneBody: undefined,
    solve: { kappa: 0.5, ridge1: 1e-6, ridge2: 1e-10, curvature2: 1e-9 },
    scan: { kappa: [0.3, 0.6], curvature: [1e-9, 1e-7] },
    output: { dir: '', name: 'nexe-test' },
  };
  const one = await runFit({ ...cfg, threads: 1 }, FIX);
  const two = await runFit({ ...cfg, threads: 2 }, FIX);
  assert.equal(one.scan.length, 4);
  assert.deepEqual(one.settings, two.settings);
  const a = one.model.twoBody[2].coefficients, b = two.model.twoBody[2].coefficients;
  a.forEach((v, q) => assert.ok(Math.abs(v - b[q]) < 1e-8 * Math.max(1, Math.abs(v))));
  const dir = mkdtempSync(join(tmpdir(), 'ufp-fit-'));
  try {
    const files = writeFitOutputs(two, { ...cfg, output: { dir, name: 'nexe-test' } }, FIX);
    for (const f of Object.values(files)) assert.ok(existsSync(f), f);
    const metrics = JSON.parse(readFileSync(files.metrics, 'utf8'));
    assert.equal(metrics.uf3RoundTripMaxDiffEV, 0);
    assert.equal(metrics.scan.length, 4);
    const f = two.frames.validation[0];
    const fromJson = new UF3Potential(readModel(files.json)).bind(f.species, f.pbc).compute(f.positions, f.cell).energy;
    const fromUf3 = new UF3Potential(readModel(files.uf3)).bind(f.species, f.pbc).compute(f.positions, f.cell).energy;
    const oneBody = f.species.reduce((s, e) => s + two.model.oneBody[e], 0);
    assert.ok(Math.abs(fromJson - fromUf3 - oneBody) < 1e-9);
    assert.deepEqual(JSON.parse(readFileSync(files.config, 'utf8')).basis, cfg.basis);
  } finally {
    rmSync(dir, { recursive: true });
  }
});

test('scan.ridge3 scans the 3-body ridge alone (smaller 3-body coefficients); every candidate reaches onCandidate', async () => {
  const cfg: FitConfig = {
    elements: ['W'],
    data: [{ path: 'W_test_5configs.xyz', label: 'w' }],
    basis: { twoBody: { rMin: 1.5, rMax: 5.5, intervals: 10 }, threeBody: { rMin: 1.5, rMax: 3.5, intervals: 4 } },
    solve: { kappa: 0.5, ridge1: 1e-6, curvature2: 1e-8, curvature3: 1e-8 },
    split: { validationFraction: 0 },
    scan: { ridge: [1e-8], ridge3: [1e-8, 1e-3, 1e-1] },
    threads: 1,
  };
  const seen: { ridge2: number; ridge3: number; norm3: number; score: number }[] = [];
  const r = await runFit(cfg, FIX, () => {}, (model, row) => {
    const norm3 = Math.sqrt(model.threeBody.reduce((a, t) => a + t.coefficients.reduce((b, c) => b + c * c, 0), 0));
    seen.push({ ridge2: row.settings.ridge2!, ridge3: row.settings.ridge3!, norm3, score: row.score });
  });
  assert.equal(r.scan.length, 3);
  assert.deepEqual(seen.map((x) => x.ridge3), [1e-8, 1e-3, 1e-1]);
  assert.ok(seen.every((x) => x.ridge2 === 1e-8), 'ridge2 stays at scan.ridge');
  assert.deepEqual(seen.map((x) => x.score), r.scan.map((x) => x.score));
  assert.ok(seen[0].norm3 > seen[1].norm3 && seen[1].norm3 > seen[2].norm3, `3-body coefficient norms ${seen.map((x) => x.norm3).join(', ')}`);
  assert.throws(() => validateFitConfig({ ...cfg, scan: { ridge3: [-1] } }), /scan\.ridge3/);
});

test('fit configuration errors are reported before any work', () => {
  const bad = (c: unknown, re: RegExp) => assert.throws(() => validateFitConfig(c as FitConfig), (e: unknown) => e instanceof InputError && re.test((e as Error).message));
  bad({ ...NEXE, learningRate: 1 }, /unknown key "learningRate"/);
  bad({ ...NEXE, data: [] }, /at least one data source/);
  bad({ ...NEXE, basis: {} }, /basis\.twoBody/);
  bad({ ...NEXE, basis: { twoBody: { rMin: 3, rMax: 2, intervals: 5 } } }, /rMin < rMax/);
  bad({ ...NEXE, scan: { kappa: [1.5] } }, /scan\.kappa/);
  bad({ ...NEXE, oneBody: { Ne: 0 } }, /Xe is missing/);
  bad({ ...NEXE, basis: { twoBody: { rMin: 2, rMax: 6, intervals: 1 }, trims: { leading2: 2 } } }, /no free coefficient/);
});

test('train/validation split modes: tail, interleave, random; per-source fractions', async () => {
  const { splitFrames } = await import('../../src/ufp/fit/data');
  const mk = (label: string, n: number) => Array.from({ length: n }, (_, q) => ({ label, source: label, index: q, species: ['Ne'], positions: new Float64Array(3), cell: new Float64Array(9), pbc: [false, false, false] as [boolean, boolean, boolean], energy: 0, forces: new Float64Array(3) }));
  const sources = [{ spec: { path: 'a' }, frames: mk('a', 10) }, { spec: { path: 'b', validation: 0.5 }, frames: mk('b', 4) }];
  const tail = splitFrames(sources, { validationFraction: 0.2 });
  assert.deepEqual(tail.validation.map((f) => `${f.label}${f.index}`), ['a8', 'a9', 'b2', 'b3']);
  const inter = splitFrames(sources, { validationFraction: 0.2, mode: 'interleave' });
  assert.deepEqual(inter.validation.map((f) => `${f.label}${f.index}`), ['a2', 'a7', 'b1', 'b3']);
  const rnd = splitFrames(sources, { validationFraction: 0.2, mode: 'random', seed: 3 });
  assert.equal(rnd.validation.length, 4);
  assert.equal(rnd.train.length + rnd.validation.length, 14);
  assert.throws(() => splitFrames(sources, { mode: 'blocks' as never }), /tail, interleave or random/);
});

test('repulsive core: coefficients below the data rise monotonically; energies at data distances are unchanged', async () => {
  const { repulsiveCore, buildLayout, modelFromCoefficients } = await import('../../src/ufp/fit/basis');
  const lay = buildLayout({ elements: ['Ne', 'Xe'], twoBody: { rMin: 1.0, rMax: 6, intervals: 25 } });
  // an attractive well reaching down to r_min: no wall
  const c = Float64Array.from({ length: lay.nColumns }, (_, q) => (lay.order[q] === 1 ? 0 : -0.1 * Math.sin((q % 28) / 4)));
  const m = modelFromCoefficients(lay, c);
  const rData = { 'Ne-Ne': 2.0, 'Ne-Xe': 2.5, 'Xe-Xe': 3.1 };
  const { model, replaced } = repulsiveCore(m, rData, 1, 0.05);
  for (const t of model.twoBody) {
    const key = t.elements.join('-');
    const curve = compileCurve(t.knots, t.coefficients), old = compileCurve(m.twoBody.find((q) => q.elements.join('-') === key)!.knots, m.twoBody.find((q) => q.elements.join('-') === key)!.coefficients);
    assert.ok(replaced[key] > 0);
    for (let r = rData[key as keyof typeof rData]; r < 6; r += 0.01) assert.equal(evaluateCurve(curve, r)[0], evaluateCurve(old, r)[0]);
    // on the spans where only replaced coefficients (and the first data one) act, the curve rises towards short r
    const qs = replaced[key];
    for (let r = t.knots[0]; r < t.knots[qs + 1]; r += 0.01) assert.ok(evaluateCurve(curve, r)[1] < 0, `${key} at ${r}`);
  }
});
