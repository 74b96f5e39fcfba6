import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pointChargeEfg, parseCharges, chargesBySpecies, structurePointChargeEfg } from '../../src/efg/ewald';
import { erfc } from '../../src/efg/erfc';
import { createStructure, supercell, rotateStructure } from '../../src/core/structure';
import { fractionalToCartesian } from '../../src/core/cell';
import { InputError } from '../../src/core/errors';
import { COULOMB_EV_A } from '../../src/core/units';
import { rng, randomTriclinicCell, randomRotation } from '../helpers/random';
import { rotateTensor } from '../../src/efg/tensor';

const PBC: [boolean, boolean, boolean] = [true, true, true];
const maxAbs = (a: ArrayLike<number>) => { let m = 0; for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i])); return m; };
const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => { let d = 0; for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i] - b[i])); return d; };

/** A random neutral triclinic system: n atoms with random charges summing to zero. */
function randomSystem(seed: number, n: number, vol: number) {
  const u = rng(seed);
  const cell = randomTriclinicCell(u, vol, 0.5);
  // well-separated random fractional positions (reject close pairs so the EFG stays moderate)
  const frac: number[] = [];
  while (frac.length < 3 * n) {
    const f = [u(), u(), u()];
    const p = fractionalToCartesian(cell, f);
    let ok = true;
    for (let j = 0; j < frac.length / 3 && ok; j++) {
      const pj = fractionalToCartesian(cell, frac.slice(3 * j, 3 * j + 3));
      if (Math.hypot(p[0] - pj[0], p[1] - pj[1], p[2] - pj[2]) < 1.2) ok = false;
    }
    if (ok) frac.push(...f);
  }
  const q = Array.from({ length: n }, () => 4 * u() - 2);
  const mean = q.reduce((a, b) => a + b, 0) / n;
  return { cell, positions: fractionalToCartesian(cell, frac), charges: q.map((x) => x - mean), u };
}

test('erfc matches scipy.special.erfc to 5e-15 relative', () => {
  // reference values printed by scipy 1.17 (scipy.special.erfc)
  const ref: [number, number][] = [[-1.5, 1.9661051464753108], [0, 1], [1e-3, 0.9988716212090307], [0.3, 0.6713732405408726],
    [0.5, 0.4795001221869535], [1, 0.15729920705028516], [1.7, 0.01620954140922544], [2.2, 0.00186284629798189],
    [2.5, 0.00040695201744495886], [3, 2.2090496998585445e-05], [4, 1.541725790028002e-08], [5, 1.5374597944280347e-12],
    [6, 2.1519736712498913e-17], [8, 1.1224297172982928e-29], [12, 1.3562611692059047e-64]];
  for (const [x, v] of ref) assert.ok(Math.abs(erfc(x) - v) <= 5e-15 * v, `erfc(${x}) = ${erfc(x)}, expected ${v}`);
  // continuity across the branch switch
  const slope = (2 / Math.sqrt(Math.PI)) * Math.exp(-1.8 * 1.8);
  assert.ok(Math.abs(erfc(1.8 - 1e-9) - erfc(1.8 + 1e-9) - 2e-9 * slope) < 1e-15);
});

test('Ewald EFG is independent of the splitting parameter α to 1e-8 relative (neutral and charged cells)', () => {
  for (const seed of [1, 2, 3]) {
    const { cell, positions, charges } = randomSystem(seed, 7, 160);
    for (const q of [charges, charges.map((x, i) => (i === 0 ? x + 0.7 : x))]) {
      const ref = pointChargeEfg(positions, cell, PBC, q).tensors;
      const scaleRef = maxAbs(ref);
      for (const alpha of [0.15, 0.3, 0.6, 1.2, 2.0]) {
        const t = pointChargeEfg(positions, cell, PBC, q, { alpha }).tensors;
        assert.ok(maxDiff(t, ref) < 1e-8 * scaleRef, `α=${alpha}: ${maxDiff(t, ref) / scaleRef}`);
      }
    }
  }
});

test('Ewald EFG equals the direct sum over growing neutral (whole-cell) shells, converging as 1/K²', () => {
  const { cell, positions, charges } = randomSystem(4, 6, 150);
  const ref = pointChargeEfg(positions, cell, PBC, charges, { sites: [0] }).tensors;
  const n = charges.length;
  // direct sum over the (2K+1)³ block of whole cells around site 0
  const direct = (K: number) => {
    const out = new Float64Array(9);
    for (let a = -K; a <= K; a++) for (let b = -K; b <= K; b++) for (let c = -K; c <= K; c++)
      for (let j = 0; j < n; j++) {
        if (a === 0 && b === 0 && c === 0 && j === 0) continue;
        const d = [0, 1, 2].map((k) => positions[3 * j + k] - positions[k] + a * cell[k] + b * cell[3 + k] + c * cell[6 + k]);
        const r2 = d[0] ** 2 + d[1] ** 2 + d[2] ** 2, f = (COULOMB_EV_A * charges[j]) / (r2 * r2 * Math.sqrt(r2));
        for (let p = 0; p < 3; p++) for (let s = 0; s < 3; s++) out[3 * p + s] += f * (3 * d[p] * d[s] - (p === s ? r2 : 0));
      }
    return out;
  };
  const scale = maxAbs(ref);
  const sums = [4, 8, 16, 32].map(direct);
  const errs = sums.map((s) => maxDiff(s, ref) / scale);
  for (let k = 1; k < errs.length; k++) assert.ok(errs[k] < errs[k - 1] / 3.3, `errors ${errs}`);
  assert.ok(errs[3] < 1e-4, `K=32 error ${errs[3]}`);
  // Richardson extrapolation of the 1/K² tail lands on the Ewald value
  const extrap = sums[3].map((v, k) => (4 * v - sums[2][k]) / 3);
  assert.ok(maxDiff(extrap, ref) / scale < 3e-6, `extrapolated ${maxDiff(extrap, ref) / scale}`);
});

test('EFG vanishes on cubic sites: NaCl (conventional and primitive, rotated), CsCl', () => {
  const a = 5.64, unit = (COULOMB_EV_A * 1) / (a / 2) ** 3;
  const nacl = createStructure({
    species: ['Na', 'Na', 'Na', 'Na', 'Cl', 'Cl', 'Cl', 'Cl'],
    positions: fractionalToCartesian(new Float64Array([a, 0, 0, 0, a, 0, 0, 0, a]),
      [0, 0, 0, 0, 0.5, 0.5, 0.5, 0, 0.5, 0.5, 0.5, 0, 0.5, 0, 0, 0, 0.5, 0, 0, 0, 0.5, 0.5, 0.5, 0.5]),
    cell: [a, 0, 0, 0, a, 0, 0, 0, a],
  });
  assert.ok(maxAbs(structurePointChargeEfg(nacl, { Na: 1, Cl: -1 }).tensors) < 1e-10 * unit);
  const prim = createStructure({ species: ['Na', 'Cl'], positions: [0, 0, 0, a / 2, 0, 0], cell: [0, a / 2, a / 2, a / 2, 0, a / 2, a / 2, a / 2, 0] });
  const rotated = rotateStructure(prim, randomRotation(rng(9)));
  assert.ok(maxAbs(structurePointChargeEfg(rotated, { Na: 1, Cl: -1 }).tensors) < 1e-10 * unit);
  const b = 4.12;
  const cscl = createStructure({ species: ['Cs', 'Cl'], positions: [0, 0, 0, b / 2, b / 2, b / 2], cell: [b, 0, 0, 0, b, 0, 0, 0, b] });
  assert.ok(maxAbs(structurePointChargeEfg(cscl, { Cs: 1, Cl: -1 }).tensors) < 1e-10 * unit);
  // a tetragonal distortion makes it non-zero, with the axial symmetry of the cell
  const tet = createStructure({ species: ['Cs', 'Cl'], positions: [0, 0, 0, b / 2, b / 2, 0.55 * b], cell: [b, 0, 0, 0, b, 0, 0, 0, 1.1 * b] });
  const t = structurePointChargeEfg(tet, { Cs: 1, Cl: -1 }).tensors;
  assert.ok(Math.abs(t[8]) > 1e-3 * unit && Math.abs(t[0] - t[4]) < 1e-10 * unit && Math.abs(t[1]) < 1e-10 * unit);
});

test('unchanged in supercells, under translation and under rotation of the whole cell', () => {
  const { cell, positions, charges, u } = randomSystem(5, 6, 140);
  const species = ['Li', 'Li', 'P', 'S', 'S', 'S'];
  const s = createStructure({ species, positions, cell });
  const q = Float64Array.from(charges);
  const ref = structurePointChargeEfg(s, q).tensors;
  const scale = maxAbs(ref);
  const sc = supercell(s, [2, 1, 3]);
  const tsc = structurePointChargeEfg(sc, Float64Array.from({ length: 36 }, (_, i) => q[i % 6])).tensors;
  for (let img = 0; img < 6; img++) assert.ok(maxDiff(tsc.subarray(54 * img, 54 * img + 54), ref) < 1e-9 * scale);
  const shifted = createStructure({ species, positions: positions.map((x, i) => x + [1.3, -7.1, 22.4][i % 3]), cell });
  assert.ok(maxDiff(structurePointChargeEfg(shifted, q).tensors, ref) < 1e-9 * scale);
  for (let t = 0; t < 3; t++) {
    const R = randomRotation(u);
    const rot = structurePointChargeEfg(rotateStructure(s, R), q).tensors;
    for (let i = 0; i < 6; i++) assert.ok(maxDiff(rot.subarray(9 * i, 9 * i + 9), rotateTensor(ref, R, undefined, 9 * i)) < 1e-9 * scale);
  }
});

test('Sternheimer factor scales by (1 − γ∞); sites select atoms; a molecule (no pbc) is a plain sum', () => {
  const { cell, positions, charges } = randomSystem(6, 5, 120);
  const full = pointChargeEfg(positions, cell, PBC, charges).tensors;
  const st = pointChargeEfg(positions, cell, PBC, charges, { sternheimer: 0.26, sites: [3, 1] }).tensors;
  for (let k = 0; k < 9; k++) {
    assert.ok(Math.abs(st[k] - 0.74 * full[27 + k]) < 1e-12 * maxAbs(full));
    assert.ok(Math.abs(st[9 + k] - 0.74 * full[9 + k]) < 1e-12 * maxAbs(full));
  }
  // two charges on the z axis: V_zz at the origin from q at distance d is 2 k q / d³
  const mol = pointChargeEfg([0, 0, 0, 0, 0, 2], new Float64Array(9), [false, false, false], [1, 3], { sites: [0] }).tensors;
  assert.ok(Math.abs(mol[8] - (2 * COULOMB_EV_A * 3) / 8) < 1e-12 && Math.abs(mol[0] + COULOMB_EV_A * 3 / 8) < 1e-12);
});

test('bad input: charge strings, missing species, coinciding atoms, partial periodicity', () => {
  assert.deepEqual(parseCharges('Li=1, P=5,S=-2'), { Li: 1, P: 5, S: -2 });
  assert.deepEqual(parseCharges('Li=0.8,S=-1.2e0'), { Li: 0.8, S: -1.2 });
  for (const bad of ['', 'Li', 'Li=abc', 'Li=1,Li=2', 'li=1']) assert.throws(() => parseCharges(bad), InputError, bad);
  assert.throws(() => chargesBySpecies(['Li', 'P', 'Cl'], { Li: 1, P: 5 }), /no charge given for Cl/);
  const cell = new Float64Array([5, 0, 0, 0, 5, 0, 0, 0, 5]);
  assert.throws(() => pointChargeEfg([0, 0, 0, 5, 0, 0], cell, PBC, [1, -1]), /coincide/);
  assert.throws(() => pointChargeEfg([0, 0, 0, 1, 0, 0], cell, [true, true, false], [1, -1]), InputError);
  assert.throws(() => pointChargeEfg([0, 0, 0, 1, 0, 0], cell, PBC, [1, NaN]), InputError);
  assert.throws(() => pointChargeEfg([0, 0, 0, 1, 0, 0], cell, PBC, [1, -1], { sites: [2] }), InputError);
});
