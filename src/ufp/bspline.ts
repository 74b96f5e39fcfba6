/**
 * Cubic B-splines on clamped knot vectors (science.md §2): knot helpers and a reference evaluation of
 * the four non-zero basis functions and their derivatives (Cox–de Boor with derivatives, Piegl & Tiller,
 * The NURBS Book, algorithm A2.3). Used to build the per-interval polynomial tables of the fast kernel,
 * by the featurizer and as independent truth in tests. Distances in Å.
 *
 * Conventions: a knot vector t[0..n+3] for n coefficients; t[0..3] = r_min and t[n..n+3] = r_max
 * (clamped); intervals [t[s], t[s+1]) for spans s = 3 … n−1; on span s the non-zero basis functions are
 * B_{s−3} … B_s.
 */
import { InputError } from '../core/errors';

/** Spline degree used everywhere (cubic). */
export const DEGREE = 3;

/** Clamped uniform knot vector on [rMin, rMax] with `intervals` equal intervals (intervals + 7 knots, Å). */
export function uniformKnots(rMin: number, rMax: number, intervals: number): Float64Array {
  if (!(Number.isInteger(intervals) && intervals >= 1)) throw new InputError(`number of spline intervals must be a positive integer, got ${intervals}`);
  if (!(Number.isFinite(rMin) && Number.isFinite(rMax) && rMax > rMin)) throw new InputError(`spline range needs r_min < r_max, got [${rMin}, ${rMax}] Å`);
  const t = new Float64Array(intervals + 7);
  for (let i = 0; i < 3; i++) { t[i] = rMin; t[intervals + 4 + i] = rMax; }
  for (let k = 0; k <= intervals; k++) t[3 + k] = k === intervals ? rMax : rMin + ((rMax - rMin) * k) / intervals;
  return t;
}

/**
 * Checks that `knots` is a clamped cubic knot vector with strictly increasing interior knots; returns an
 * error description or undefined. (`nCoeff` when given must equal knots.length − 4.)
 */
export function knotProblem(knots: ArrayLike<number>, nCoeff?: number): string | undefined {
  const m = knots.length;
  if (m < 8) return `a cubic knot vector needs at least 8 knots (4 coefficients), got ${m}`;
  if (nCoeff !== undefined && nCoeff !== m - 4) return `${m} knots need ${m - 4} coefficients, got ${nCoeff}`;
  for (let i = 0; i < m; i++) if (!Number.isFinite(knots[i])) return `knot ${i} is not a finite number`;
  if (!(knots[0] === knots[1] && knots[1] === knots[2] && knots[2] === knots[3])) return 'the first 4 knots must be equal (clamped knot vector)';
  if (!(knots[m - 1] === knots[m - 2] && knots[m - 2] === knots[m - 3] && knots[m - 3] === knots[m - 4])) return 'the last 4 knots must be equal (clamped knot vector)';
  for (let i = 3; i < m - 4; i++) if (!(knots[i + 1] > knots[i])) return `knots must increase strictly between the clamped ends (knot ${i + 1} = ${knots[i + 1]} ≤ knot ${i} = ${knots[i]})`;
  return undefined;
}

/** True when the interior knots are equally spaced to within `relTol` of the spacing. */
export function isUniform(knots: ArrayLike<number>, relTol = 1e-9): boolean {
  const m = knots.length, nInt = m - 7;
  const h = (knots[m - 1] - knots[0]) / nInt;
  for (let k = 0; k <= nInt; k++) if (Math.abs(knots[3 + k] - (knots[0] + k * h)) > relTol * h) return false;
  return true;
}

/**
 * Span s (3 ≤ s ≤ n−1) with t[s] ≤ r < t[s+1]; r at or beyond the last knot gives the last span and r
 * below the first knot the first span (callers decide what happens outside [r_min, r_max]).
 */
export function findSpan(knots: ArrayLike<number>, r: number): number {
  const n = knots.length - 4;
  if (r >= knots[n]) return n - 1;
  if (r <= knots[3]) return 3;
  let lo = 3, hi = n; // t[lo] ≤ r < t[hi]
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (r < knots[mid]) hi = mid; else lo = mid;
  }
  return lo;
}

/**
 * Values and derivatives up to order `nd` (≤ 3) of the 4 non-zero basis functions on span s at r:
 * ders[k*4 + b] = d^k B_{s−3+b}/dr^k (1/Å^k). Exact polynomial evaluation (also valid for r outside the
 * span, as the span's polynomial). Returns ders.
 */
export function basisDerivatives(knots: ArrayLike<number>, s: number, r: number, nd: number, ders: Float64Array = new Float64Array(16)): Float64Array {
  const p = DEGREE;
  // ndu[j][r]: basis functions (upper triangle incl. diagonal) and knot differences (lower triangle)
  const ndu = [new Float64Array(4), new Float64Array(4), new Float64Array(4), new Float64Array(4)];
  const left = new Float64Array(4), right = new Float64Array(4);
  ndu[0][0] = 1;
  for (let j = 1; j <= p; j++) {
    left[j] = r - knots[s + 1 - j];
    right[j] = knots[s + j] - r;
    let saved = 0;
    for (let q = 0; q < j; q++) {
      ndu[j][q] = right[q + 1] + left[j - q];
      const tmp = ndu[q][j - 1] / ndu[j][q];
      ndu[q][j] = saved + right[q + 1] * tmp;
      saved = left[j - q] * tmp;
    }
    ndu[j][j] = saved;
  }
  for (let j = 0; j <= p; j++) ders[j] = ndu[j][p];
  const a = [new Float64Array(4), new Float64Array(4)];
  for (let q = 0; q <= p; q++) {
    let s1 = 0, s2 = 1;
    a[0][0] = 1;
    for (let k = 1; k <= nd; k++) {
      let d = 0;
      const rk = q - k, pk = p - k;
      if (q >= k) {
        a[s2][0] = a[s1][0] / ndu[pk + 1][rk];
        d = a[s2][0] * ndu[rk][pk];
      }
      const j1 = rk >= -1 ? 1 : -rk;
      const j2 = q - 1 <= pk ? k - 1 : p - q;
      for (let j = j1; j <= j2; j++) {
        a[s2][j] = (a[s1][j] - a[s1][j - 1]) / ndu[pk + 1][rk + j];
        d += a[s2][j] * ndu[rk + j][pk];
      }
      if (q <= pk) {
        a[s2][k] = -a[s1][k - 1] / ndu[pk + 1][q];
        d += a[s2][k] * ndu[q][pk];
      }
      ders[k * 4 + q] = d;
      const t = s1; s1 = s2; s2 = t;
    }
  }
  let f = p;
  for (let k = 1; k <= nd; k++) {
    for (let q = 0; q <= p; q++) ders[k * 4 + q] *= f;
    f *= p - k;
  }
  return ders;
}

/**
 * Value (eV) and derivative (eV/Å) of Σ_n c_n B_n(r) by direct basis evaluation (reference, slow).
 * Outside [t_0, t_last] the value is 0.
 */
export function evaluateSplineReference(knots: ArrayLike<number>, coefficients: ArrayLike<number>, r: number): [number, number] {
  const n = knots.length - 4;
  if (r < knots[0] || r > knots[n + 3]) return [0, 0];
  const s = findSpan(knots, r);
  const d = basisDerivatives(knots, s, r, 1);
  let v = 0, dv = 0;
  for (let b = 0; b < 4; b++) { v += coefficients[s - 3 + b] * d[b]; dv += coefficients[s - 3 + b] * d[4 + b]; }
  return [v, dv];
}

/**
 * Per-span polynomial constants of the 4 non-zero basis functions in the normalised coordinate
 * u = (r − t_s)/(t_{s+1} − t_s) ∈ [0, 1): B_{s−3+b}(r) = Σ_k out[(span·4 + b)·4 + k] u^k, span = s − 3.
 * Exact Taylor expansion at the span start (Float64Array of 16 per span).
 */
export function basisPolynomials(knots: ArrayLike<number>): Float64Array {
  const n = knots.length - 4, nSpan = n - 3;
  const out = new Float64Array(16 * nSpan);
  const d = new Float64Array(16);
  for (let sp = 0; sp < nSpan; sp++) {
    const s = sp + 3, h = knots[s + 1] - knots[s];
    basisDerivatives(knots, s, knots[s], 3, d);
    for (let b = 0; b < 4; b++) {
      const o = (sp * 4 + b) * 4;
      out[o] = d[b];
      out[o + 1] = d[4 + b] * h;
      out[o + 2] = (d[8 + b] * h * h) / 2;
      out[o + 3] = (d[12 + b] * h * h * h) / 6;
    }
  }
  return out;
}
