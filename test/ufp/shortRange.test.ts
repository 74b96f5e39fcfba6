/**
 * Short-range wall of the UF3 fitter: the ZBL pair energy, its B-spline representation, the dual QP
 * solver for shape constraints (checked by the KKT conditions), and an end-to-end fit on the Ne–Xe
 * Lennard-Jones dump whose basis reaches far below the data: the curves are monotone and rise at least
 * as steeply as the prior below the data edge, and still follow Lennard-Jones where the data are dense.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { zblPair, projectCurve, zblPrior, pairEdges, monotoneWallConstraints } from '../../src/ufp/fit/shortRange';
import { solveQP, constraintValue, LinearConstraint } from '../../src/ufp/fit/qp';
import { buildLayout } from '../../src/ufp/fit/basis';
import { runFit, FitConfig, validateFitConfig } from '../../src/ufp/fit/fit';
import { uniformKnots, evaluateSplineReference } from '../../src/ufp/bspline';
import { compileCurve, evaluateCurve } from '../../src/ufp';
import { InputError } from '../../src/core/errors';
import { mulberry32 } from '../../src/core/random';

const FIX = join(__dirname, '..', 'fixtures', 'ufp');

test('ZBL pair energy: reference values, Coulomb limit, derivative by central differences', () => {
  // values from an independent evaluation of the ZBL formula (Ziegler, Biersack, Littmark 1985), eV
  const ref: [number, number, number, number][] = [[3, 16, 1.5, 3.8194187162993285], [16, 16, 2.0, 2.768972183738252], [15, 16, 1.2, 28.55416279681139], [3, 3, 1.0, 5.544013312772331]];
  for (const [z1, z2, r, e] of ref) assert.ok(Math.abs(zblPair(z1, z2, r)[0] - e) < 1e-9 * e, `${z1}-${z2} at ${r} Å`);
  // screening → 1 as r → 0: the bare Coulomb energy Z1 Z2 e²/(4πε0 r)
  const r = 1e-7;
  assert.ok(Math.abs((zblPair(8, 14, r)[0] * r) / (8 * 14 * 14.399645) - 1) < 1e-5);
  for (const x of [0.3, 0.9, 1.7, 2.6, 4.5]) {
    const h = 1e-5, fd = (zblPair(3, 16, x + h)[0] - zblPair(3, 16, x - h)[0]) / (2 * h);
    assert.ok(Math.abs(zblPair(3, 16, x)[1] - fd) < 1e-6 * Math.max(1, Math.abs(fd)), `derivative at ${x} Å`);
    assert.ok(zblPair(3, 16, x)[1] < 0);
  }
  assert.throws(() => zblPair(3, 16, 0), InputError);
});

test('projection onto a trimmed B-spline basis: exact for a representable cubic, small relative error for ZBL', () => {
  const knots = Array.from(uniformKnots(1, 6, 20));
  const n = knots.length - 4;
  const free = Array.from({ length: n }, (_, q) => q < n - 3); // trailing trim 3: V, V′, V″ vanish at 6 Å
  const cubic = (r: number) => 0.01 * (6 - r) ** 3;
  const p = projectCurve(knots, cubic, free);
  assert.ok(p.maxErrorEv < 1e-10, `cubic error ${p.maxErrorEv}`);
  for (let q = n - 3; q < n; q++) assert.equal(p.coefficients[q], 0);
  for (const x of [1.3, 2.2, 4.9]) assert.ok(Math.abs(evaluateSplineReference(knots, p.coefficients, x)[0] - cubic(x)) < 1e-10);
  // the layout prior: every Li–P–S pair's ZBL/2 within a few per cent (relative) from one knot interval up to 3 Å
  const layout = buildLayout({ elements: ['Li', 'P', 'S'], twoBody: { rMin: 0.75, rMax: 6, intervals: 28 } });
  const prior = zblPrior(layout);
  for (const [k, v] of Object.entries(prior.pairs)) assert.ok(v.maxRelError < 0.03, `${k}: ${v.maxRelError}`);
  const ls = layout.pairs.find((q) => q.elements.join('-') === 'Li-S')!;
  const c = compileCurve(ls.knots, prior.pairs['Li-S'].coefficients);
  assert.ok(Math.abs(2 * evaluateCurve(c, 1.5)[0] / zblPair(3, 16, 1.5)[0] - 1) < 0.01);
});

test('dual QP: the solution satisfies the KKT conditions of min ½xᵀGx − bᵀx, Ax ≥ s', () => {
  const rnd = mulberry32(5);
  const P = 30;
  // G = MᵀM + I (positive definite)
  const M = Array.from({ length: P * P }, () => rnd() - 0.5);
  const G = new Float64Array(P * P);
  for (let i = 0; i < P; i++) for (let j = 0; j < P; j++) { let s = i === j ? 1 : 0; for (let k = 0; k < P; k++) s += M[k * P + i] * M[k * P + j]; G[i * P + j] = s; }
  const b = Float64Array.from({ length: P }, () => 4 * (rnd() - 0.5));
  // monotone-difference constraints x_q − x_{q+1} ≥ 0.3 on the first 12 entries, and one bound x_20 ≥ 2
  const cons: LinearConstraint[] = [];
  for (let q = 0; q < 12; q++) cons.push({ cols: Int32Array.from([q, q + 1]), vals: Float64Array.from([1, -1]), rhs: 0.3 });
  cons.push({ cols: Int32Array.from([20]), vals: Float64Array.from([1]), rhs: 2 });
  const r = solveQP(Float64Array.from(G), b, cons);
  assert.ok(r.active > 0 && r.active <= cons.length);
  // stationarity G x − b = Aᵀλ, λ ≥ 0, feasibility, complementary slackness
  const grad = Float64Array.from({ length: P }, (_, i) => { let s = -b[i]; for (let j = 0; j < P; j++) s += G[i * P + j] * r.x[j]; return s; });
  cons.forEach((c, k) => { for (let a = 0; a < c.cols.length; a++) grad[c.cols[a]] -= r.multipliers[k] * c.vals[a]; });
  for (let i = 0; i < P; i++) assert.ok(Math.abs(grad[i]) < 1e-9, `stationarity ${i}: ${grad[i]}`);
  cons.forEach((c, k) => {
    const slack = constraintValue(c, r.x) - c.rhs;
    assert.ok(slack > -1e-10, `constraint ${k} violated by ${-slack}`);
    assert.ok(r.multipliers[k] >= 0);
    assert.ok(Math.abs(r.multipliers[k] * slack) < 1e-9, `complementarity ${k}`);
  });
  // no constraint active: the unconstrained solution
  const loose = solveQP(Float64Array.from(G), b, [{ cols: Int32Array.from([0]), vals: Float64Array.from([1]), rhs: -1e9 }]);
  assert.equal(loose.active, 0);
});

// Ne–Xe Lennard-Jones data (uf3's example; see fit.test.ts) with 2-body bases that start far below the data
const LJ: Record<string, [number, number]> = { 'Ne-Ne': [0.003705453303, 2.73], 'Ne-Xe': [0.006323399148, 3.472], 'Xe-Xe': [0.02206037315, 3.92] };
const WALL: FitConfig = {
  elements: ['Ne', 'Xe'],
  data: [{ path: 'nexe_every8.lammpstrj', typeMap: ['Ne', 'Xe'], energy: 'sum:c_ape', label: 'nexe' }],
  basis: { twoBody: { rMin: 1.6, rMax: 10, intervals: 84, pairs: { 'Ne-Ne': { rMin: 1.2, rMax: 6, intervals: 48 }, 'Ne-Xe': { rMin: 1.4, rMax: 8, intervals: 66 } } } },
  oneBody: { Ne: 0, Xe: 0 },
  solve: { kappa: 0, ridge1: 1e-8, ridge2: 1e-12, curvature2: 1e-10 },
  split: { validationFraction: 0.2 },
  shortRange: { prior: 'zbl', monotoneWall: true, edgeCount: 10 },
};

test('fit with the ZBL wall: below the data edge every pair curve is monotone and at least as steep as the prior', async () => {
  const r = await runFit(WALL, FIX);
  const sr = r.shortRange!;
  assert.ok(sr && sr.constraints > 0 && sr.prior === 'zbl');
  const prior = zblPrior(buildLayout({ elements: ['Ne', 'Xe'], ...WALL.basis }));
  for (const t of r.model.twoBody) {
    const key = t.elements.join('-');
    const c = compileCurve(t.knots, t.coefficients), p = compileCurve(t.knots, prior.pairs[key].coefficients);
    const edge = sr.edges.edge[key], r0 = t.knots[0];
    assert.ok(edge > sr.edges.min[key] && edge - r0 > 0.8, `${key}: the basis reaches ${(edge - r0).toFixed(2)} Å below the edge`);
    // monotone below the edge; V − prior does not fall towards short r once three knot intervals below it
    const h = t.knots[5] - t.knots[4];
    let last = -Infinity;
    for (let x = edge; x >= r0; x -= 0.01) {
      assert.ok(evaluateCurve(c, x)[1] < 0, `${key}: V′ ≥ 0 at ${x.toFixed(2)} Å`);
      if (x > edge - 3 * h) continue;
      const d = evaluateCurve(c, x)[0] - evaluateCurve(p, x)[0];
      assert.ok(d >= last - 1e-9, `${key}: V − prior falls at ${x.toFixed(2)} Å`);
      last = d;
    }
    // well inside the data the Lennard-Jones curve is still recovered (2·V2 is the pair energy)
    const [eps, sig] = LJ[key];
    let worst = 0;
    for (let x = edge + 0.4; x < edge + 2; x += 0.01) worst = Math.max(worst, Math.abs(2 * evaluateCurve(c, x)[0] - 4 * eps * ((sig / x) ** 12 - (sig / x) ** 6)));
    assert.ok(worst < 3e-3, `${key}: |2V2 − V_LJ| up to ${(worst * 1e3).toFixed(2)} meV above the edge`);
  }
  // no repulsive-core post-processing when the wall is fitted
  assert.equal(r.core, undefined);
});

test('pair edges and wall constraints: k-th shortest distance, constraints only below the edge; config checks', () => {
  const layout = buildLayout({ elements: ['Li', 'S'], twoBody: { rMin: 1, rMax: 5, intervals: 16 } });
  // one frame: a Li–S chain with distances 2.0, 2.1, 2.2, … (open boundaries)
  const xs = [0, 2.0, 4.1, 6.3, 8.6];
  const frame = { label: 'x', source: 'x', index: 0, species: ['Li', 'S', 'Li', 'S', 'Li'], positions: Float64Array.from(xs.flatMap((x) => [x, 0, 0])), cell: new Float64Array(9), pbc: [false, false, false] as [boolean, boolean, boolean], energy: 0, forces: new Float64Array(15) };
  const e = pairEdges([frame], ['Li', 'S'], 3, 5);
  assert.ok(Math.abs(e.min['Li-S'] - 2.0) < 1e-12 && Math.abs(e.edge['Li-S'] - 2.2) < 1e-12);
  assert.ok(Math.abs(e.min['Li-Li'] - 4.1) < 1e-12);
  const prior = zblPrior(layout);
  const cons = monotoneWallConstraints(layout, prior, { 'Li-S': 2.2, 'Li-Li': 4.1, 'S-S': 1.0 });
  const ls = cons.filter((c) => c.label!.startsWith('Li-S'));
  // derivative basis functions on [t_{q+1}, t_{q+4}], knots 1, 1, 1, 1, 1.25, …: below 2.2 Å for q ≤ 3 (steeper than
  // the prior), centred below 2.2 Å for q = 4, 5 (monotone only; q = 5: [1.75, 2.5])
  assert.deepEqual(ls.map((c) => c.label), [0, 1, 2, 3, 4, 5].map((q) => `Li-S q=${q} ${q <= 3 ? 'steep' : 'monotone'}`));
  assert.ok(ls.slice(4).every((c) => c.rhs === 0) && ls.slice(0, 4).every((c) => c.rhs > 0));
  assert.equal(cons.filter((c) => c.label!.startsWith('S-S')).length, 0);
  assert.throws(() => validateFitConfig({ ...WALL, shortRange: { prior: 'lj' as never } }), InputError);
  assert.throws(() => validateFitConfig({ ...WALL, shortRange: { edgeCount: 0 } }), InputError);
  assert.throws(() => validateFitConfig({ ...WALL, shortRange: { hardness: 1 } as never }), InputError);
});
