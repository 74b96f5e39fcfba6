import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  MinimumImage, cartesianToFractional, fractionalToCartesian, wrapPositions, volume, cellFromParameters,
  cellParameters, toLowerTriangular, perpendicularWidths, det3, inv3, mul3,
} from '../../src/core/cell';
import { rng, randomTriclinicCell } from '../helpers/random';

test('fractional ↔ Cartesian round trip on random triclinic cells', () => {
  const u = rng(1);
  for (let t = 0; t < 50; t++) {
    const cell = randomTriclinicCell(u, 500, 1.5);
    const pos = Float64Array.from({ length: 30 }, () => 20 * (u() - 0.5));
    const back = fractionalToCartesian(cell, cartesianToFractional(cell, pos));
    for (let i = 0; i < pos.length; i++) assert.ok(Math.abs(back[i] - pos[i]) < 1e-10);
  }
});

test('wrapping keeps fractions in [0,1) and moves by lattice vectors only', () => {
  const u = rng(2);
  const cell = randomTriclinicCell(u, 300, 1.2);
  const pos = Float64Array.from({ length: 300 }, () => 60 * (u() - 0.5));
  const w = wrapPositions(cell, [true, true, true], pos);
  const f = cartesianToFractional(cell, w);
  const shift = cartesianToFractional(cell, pos.map((x, i) => x - w[i]));
  for (let i = 0; i < f.length; i++) {
    assert.ok(f[i] >= -1e-12 && f[i] < 1 + 1e-12, `fraction ${f[i]}`);
    assert.ok(Math.abs(shift[i] - Math.round(shift[i])) < 1e-9);
  }
});

test('minimum image equals brute force over many images for strongly skewed cells', () => {
  const u = rng(3);
  for (let t = 0; t < 200; t++) {
    const cell = randomTriclinicCell(u, 200, 1.5); // strongly skewed (tilts up to 1.5 cell lengths)
    const mi = new MinimumImage(cell);
    const d = [30 * (u() - 0.5), 30 * (u() - 0.5), 30 * (u() - 0.5)];
    const out = new Float64Array(3);
    const r = mi.apply(d[0], d[1], d[2], out);
    let best = Infinity;
    for (let a = -20; a <= 20; a++) for (let b = -20; b <= 20; b++) for (let c = -20; c <= 20; c++) {
      const x = d[0] + a * cell[0] + b * cell[3] + c * cell[6];
      const y = d[1] + a * cell[1] + b * cell[4] + c * cell[7];
      const z = d[2] + a * cell[2] + b * cell[5] + c * cell[8];
      best = Math.min(best, Math.hypot(x, y, z));
    }
    assert.ok(Math.abs(r - best) < 1e-9, `trial ${t}: ${r} vs ${best}`);
    assert.ok(Math.abs(Math.hypot(out[0], out[1], out[2]) - r) < 1e-12);
    const n = cartesianToFractional(cell, [out[0] - d[0], out[1] - d[1], out[2] - d[2]]);
    for (const x of n) assert.ok(Math.abs(x - Math.round(x)) < 1e-9, 'image differs by a lattice vector');
  }
});

test('minimum image respects non-periodic directions', () => {
  const mi = new MinimumImage(new Float64Array([10, 0, 0, 0, 10, 0, 0, 0, 10]), [true, false, true]);
  const out = new Float64Array(3);
  mi.apply(9, 9, 9, out);
  assert.deepEqual([...out].map((x) => Math.round(x * 1e9) / 1e9), [-1, 9, -1]);
});

test('cell parameters round trip and volume', () => {
  const cell = cellFromParameters(7.1, 8.2, 9.3, 75, 95, 110);
  const p = cellParameters(cell);
  [7.1, 8.2, 9.3, 75, 95, 110].forEach((x, i) => assert.ok(Math.abs(p[i] - x) < 1e-10));
  const ortho = cellFromParameters(12.819, 8.2195, 6.1236, 90, 90, 90);
  assert.ok(Math.abs(volume(ortho) - 12.819 * 8.2195 * 6.1236) < 1e-9);
  assert.equal(ortho[3], 0);
  const w = perpendicularWidths(ortho);
  assert.ok(Math.abs(w[0] - 12.819) < 1e-12 && Math.abs(w[2] - 6.1236) < 1e-12);
});

test('rotation to the LAMMPS lower-triangular convention preserves shape', () => {
  const u = rng(4);
  for (let t = 0; t < 20; t++) {
    const cell = randomTriclinicCell(u, 400, 0.8);
    if (det3(cell) < 0) continue;
    const { cell: lt, rotation } = toLowerTriangular(cell);
    assert.ok(lt[1] === 0 && lt[2] === 0 && lt[5] === 0 && lt[0] > 0 && lt[4] > 0 && lt[8] > 0);
    const p0 = cellParameters(cell), p1 = cellParameters(lt);
    p0.forEach((x, i) => assert.ok(Math.abs(x - p1[i]) < 1e-9));
    // R is orthogonal
    const rrt = mul3(rotation, inv3(rotation));
    for (let i = 0; i < 9; i++) assert.ok(Math.abs(rrt[i] - (i % 4 === 0 ? 1 : 0)) < 1e-12);
    assert.ok(Math.abs(det3(rotation) - 1) < 1e-12);
  }
});
