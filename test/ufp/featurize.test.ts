/**
 * Featurizer and normal equations against the kernel: x_E·c and X_F·c reproduce the energy and forces of
 * the model with coefficients c, and a fit to data made by a model of the same basis recovers it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildLayout, modelFromCoefficients, triangleFeasible, BasisSpec } from '../../src/ufp/fit/basis';
import { Featurizer } from '../../src/ufp/fit/featurize';
import { NormalEquations, rmseOf } from '../../src/ufp/fit/normal';
import { solveCoefficients, curvatureRows } from '../../src/ufp/fit/solve';
import { UF3Potential, speciesTypes } from '../../src/ufp';
import { rng, randomTriclinicCell } from '../helpers/random';
import { randomPositions } from './helpers/randomModel';

const SPEC: BasisSpec = {
  elements: ['Li', 'P', 'S'],
  twoBody: { rMin: 0.9, rMax: 4.8, intervals: 10, pairs: { 'P-Li': { rMax: 4.4, intervals: 9 } } },
  threeBody: { rMin: 1.0, rMax: 3.2, intervals: 7 },
};

function randomCoefficients(n: number, seed: number, order: Uint8Array): Float64Array {
  const u = rng(seed);
  return Float64Array.from({ length: n }, (_, q) => (order[q] === 1 ? -2 + u() : order[q] === 2 ? 0.3 * (u() - 0.5) : 0.2 * (u() - 0.5)));
}

function frames(count: number, seed: number) {
  const out = [];
  for (let f = 0; f < count; f++) {
    const u = rng(seed + f);
    const n = 14 + (f % 3) * 4;
    const cell = randomTriclinicCell(u, n * 16, 0.4);
    const x = randomPositions(cell, n, 1.3, seed + 100 + f);
    const species = Array.from({ length: n }, (_, i) => ['Li', 'Li', 'P', 'S', 'S'][(i + f) % 5]);
    out.push({ cell, x, species });
  }
  return out;
}

test('layout: trims, symmetric compression and triangle mask', () => {
  const lay = buildLayout(SPEC);
  assert.equal(lay.oneBody.length, 3);
  const ll = lay.pairs.find((p) => p.elements.join('-') === 'Li-P')!;
  assert.equal(ll.knots[ll.knots.length - 1], 4.4);
  assert.deepEqual(Array.from(ll.column.slice(-3)), [-1, -1, -1]);
  const sym = lay.triples.find((t) => t.elements.join('-') === 'Li-S-S')!;
  const [L, M, N] = sym.shape;
  for (let l = 0; l < L; l++) for (let m = 0; m < M; m++) for (let n = 0; n < N; n++) assert.equal(sym.column[(l * M + m) * N + n], sym.column[(m * M + l) * N + n]);
  // a grid point whose jk support lies beyond r_ij + r_ik can never be non-zero: masked
  const kij = sym.knots.ij, kjk = sym.knots.jk;
  assert.equal(triangleFeasible(kij, kij, kjk, 3, 3, N - 4), kjk[N - 4] < kij[7] + kij[7]);
  let masked = 0;
  for (let l = 3; l < L - 3; l++) for (let m = 3; m < M - 3; m++) for (let n = 3; n < N - 3; n++) if (!triangleFeasible(kij, kij, kjk, l, m, n)) { masked++; assert.equal(sym.column[(l * M + m) * N + n], -1); }
  assert.ok(masked > 0);
  assert.equal(lay.order.length, lay.nColumns);
});

test('features reproduce the kernel: x_E·c = E and X_F·c = F for random coefficients', () => {
  const lay = buildLayout(SPEC);
  const c = randomCoefficients(lay.nColumns, 3, lay.order);
  const model = modelFromCoefficients(lay, c);
  const fz = new Featurizer(lay);
  for (const { cell, x, species } of frames(3, 10)) {
    const types = speciesTypes(model, species);
    const feat = fz.featurize(types, x, cell, [true, true, true]);
    const ref = new UF3Potential(model).bind(species, [true, true, true]).compute(x, cell);
    let e = 0;
    for (let q = 0; q < lay.nColumns; q++) e += feat.energyRow[q] * c[q];
    assert.ok(Math.abs(e - ref.energy) < 1e-10 * Math.max(1, Math.abs(ref.energy)), `${e} vs ${ref.energy}`);
    let worst = 0;
    for (let r = 0; r < 3 * species.length; r++) {
      let f = 0;
      for (let q = 0; q < feat.nLocal; q++) f += feat.forceRows[r * feat.stride + q] * c[feat.columns[q]];
      worst = Math.max(worst, Math.abs(f - ref.forces[r]));
    }
    assert.ok(worst < 1e-10, `force row error ${worst}`);
  }
});

test('a fit to data from a model of the same basis recovers it (energies, forces, RMSE from the normal equations)', () => {
  const lay = buildLayout({ ...SPEC, threeBody: { rMin: 1.0, rMax: 3.0, intervals: 6 } });
  const truth = randomCoefficients(lay.nColumns, 5, lay.order);
  const model = modelFromCoefficients(lay, truth);
  const fz = new Featurizer(lay);
  const ne = new NormalEquations(lay.nColumns);
  const data = frames(24, 40);
  for (const { cell, x, species } of data) {
    const r = new UF3Potential(model).bind(species, [true, true, true]).compute(x, cell);
    ne.addFrame(fz.featurize(speciesTypes(model, species), x, cell, [true, true, true]), r.energy / species.length, r.forces);
  }
  const c = solveCoefficients(ne, lay, { kappa: 0.5, ridge1: 1e-12, ridge2: 1e-12, ridge3: 1e-12 });
  const err = rmseOf(ne, c);
  assert.ok(err.energy < 1e-6 && err.forces < 1e-6, JSON.stringify(err));
  // energies of fresh configurations agree (the fit generalises: it is the same function)
  const fitted = modelFromCoefficients(lay, c);
  for (const { cell, x, species } of frames(2, 90)) {
    const a = new UF3Potential(model).bind(species, [true, true, true]).compute(x, cell).energy;
    const b = new UF3Potential(fitted).bind(species, [true, true, true]).compute(x, cell).energy;
    assert.ok(Math.abs(a - b) < 1e-4 * species.length, `${a} vs ${b}`);
  }
  // the RMSE from the normal equations equals the direct residual of a perturbed solution
  const cp = Float64Array.from(c, (v, q) => v + (q % 7 === 0 ? 1e-3 : 0));
  const pm = modelFromCoefficients(lay, cp);
  let se = 0;
  for (const { cell, x, species } of data) {
    const r0 = new UF3Potential(model).bind(species, [true, true, true]).compute(x, cell);
    const r1 = new UF3Potential(pm).bind(species, [true, true, true]).compute(x, cell);
    se += ((r1.energy - r0.energy) / species.length) ** 2;
  }
  assert.ok(Math.abs(Math.sqrt(se / data.length) - rmseOf(ne, cp).energy) < 1e-9);
  assert.ok(curvatureRows(lay).three.length > 0);
});
