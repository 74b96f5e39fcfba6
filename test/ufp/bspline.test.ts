/** Cubic B-spline basis and the per-span polynomial tables against the recursive Cox–de Boor definition. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  basisDerivatives, basisPolynomials, findSpan, uniformKnots, isUniform, knotProblem, evaluateSplineReference,
  compileCurve, evaluateCurve, compileLeg, evaluateLeg, spanIndex,
} from '../../src/ufp';
import { rng } from '../helpers/random';

/** B_{i,p}(r) by the textbook recursion (right-continuous; the last basis function is 1 at r = t_end). */
function coxDeBoor(t: ArrayLike<number>, i: number, p: number, r: number): number {
  if (p === 0) {
    const last = t[t.length - 1];
    if (r === last) return t[i] < last && t[i + 1] === last ? 1 : 0;
    return t[i] <= r && r < t[i + 1] ? 1 : 0;
  }
  const a = t[i + p] - t[i], b = t[i + p + 1] - t[i + 1];
  return (a > 0 ? ((r - t[i]) / a) * coxDeBoor(t, i, p - 1, r) : 0) + (b > 0 ? ((t[i + p + 1] - r) / b) * coxDeBoor(t, i + 1, p - 1, r) : 0);
}

function nonUniformKnots(u: () => number): number[] {
  const inner = [1.1];
  for (let k = 0; k < 9; k++) inner.push(inner[inner.length - 1] + 0.15 + 0.6 * u());
  return [inner[0], inner[0], inner[0], ...inner, inner[9], inner[9], inner[9]];
}

test('basis values and derivatives equal Cox–de Boor (uniform and non-uniform knots)', () => {
  const u = rng(5);
  for (const knots of [Array.from(uniformKnots(0.5, 5.5, 10)), nonUniformKnots(u)]) {
    const n = knots.length - 4;
    for (let trial = 0; trial < 200; trial++) {
      const r = knots[0] + (knots[n + 3] - knots[0]) * u();
      const s = findSpan(knots, r);
      assert.ok(knots[s] <= r && r < knots[s + 1]);
      const d = basisDerivatives(knots, s, r, 3);
      let sum = 0;
      for (let b = 0; b < 4; b++) {
        assert.ok(Math.abs(d[b] - coxDeBoor(knots, s - 3 + b, 3, r)) < 1e-13);
        sum += d[b];
        // first derivative by central differences of the recursion (inside the span)
        const h = 1e-6;
        if (r - h > knots[s] && r + h < knots[s + 1]) {
          const fd = (coxDeBoor(knots, s - 3 + b, 3, r + h) - coxDeBoor(knots, s - 3 + b, 3, r - h)) / (2 * h);
          assert.ok(Math.abs(fd - d[4 + b]) < 1e-6 * Math.max(1, Math.abs(d[4 + b])));
        }
      }
      assert.ok(Math.abs(sum - 1) < 1e-14, 'partition of unity');
      assert.ok(Math.abs(d[4] + d[5] + d[6] + d[7]) < 1e-12 && Math.abs(d[8] + d[9] + d[10] + d[11]) < 1e-10);
    }
  }
});

test('per-span polynomial tables reproduce the basis and spline everywhere, including both ends', () => {
  const u = rng(8);
  for (const knots of [Array.from(uniformKnots(1.5, 3.5, 6)), nonUniformKnots(u)]) {
    const n = knots.length - 4;
    assert.equal(isUniform(knots), knots.length === 13);
    const coef = Array.from({ length: n }, () => u() - 0.5);
    const curve = compileCurve(knots, coef);
    const leg = compileLeg(knots);
    const bp = basisPolynomials(knots);
    const out = new Float64Array(8);
    const rs = [knots[0], knots[n + 3], ...knots.slice(4, n), ...Array.from({ length: 300 }, () => knots[0] + (knots[n + 3] - knots[0]) * u())];
    for (const r of rs) {
      const [v, dv] = evaluateCurve(curve, r);
      const [rv, rdv] = evaluateSplineReference(knots, coef, r);
      assert.ok(Math.abs(v - rv) < 1e-13 && Math.abs(dv - rdv) < 1e-11, `r = ${r}`);
      const k = evaluateLeg(leg, r, out);
      assert.equal(k, spanIndex(leg, r));
      // the closed span containing r (at an interior knot the uniform index may pick either side: same values)
      assert.ok(knots[k + 3] <= r && r <= knots[k + 4]);
      for (let b = 0; b < 4; b++) assert.ok(Math.abs(out[b] - coxDeBoor(knots, k + b, 3, r)) < 1e-13);
      // basisPolynomials in u = (r − t_s)/h
      const uu = (r - knots[k + 3]) / (knots[k + 4] - knots[k + 3]);
      for (let b = 0; b < 4; b++) {
        const q = (k * 4 + b) * 4;
        assert.ok(Math.abs(bp[q] + uu * (bp[q + 1] + uu * (bp[q + 2] + uu * bp[q + 3])) - out[b]) < 1e-13);
      }
    }
    // the last basis function is 1 at the end; with zero trailing coefficients V, V′ vanish there
    const trimmed = coef.map((c, q) => (q >= n - 3 ? 0 : c));
    const [v, dv] = evaluateCurve(compileCurve(knots, trimmed), knots[n + 3]);
    assert.ok(Math.abs(v) < 1e-15 && Math.abs(dv) < 1e-13);
  }
});

test('knot vector checks', () => {
  assert.equal(knotProblem(uniformKnots(0, 1, 3)), undefined);
  assert.match(knotProblem([0, 0, 0, 1, 2, 2, 2, 2])!, /first 4 knots/);
  assert.match(knotProblem([0, 0, 0, 0, 1, 1, 2, 2, 2, 2])!, /increase strictly/);
  assert.match(knotProblem(uniformKnots(0, 1, 3), 5)!, /10 knots need 6 coefficients/);
  assert.throws(() => uniformKnots(2, 1, 3), /r_min < r_max/);
});
