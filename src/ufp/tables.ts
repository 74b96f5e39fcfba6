/**
 * Precomputed per-interval polynomial tables for the UF3 kernel (as LAMMPS ML-UF3 caches its B-spline
 * constants, but in the normalised span coordinate u = (r − t_s)/h_s ∈ [0, 1), which is better conditioned):
 *  - a 2-body curve stores per span the cubic of V (eV) and the quadratic of dV/dr (eV/Å);
 *  - a 3-body leg stores per span the cubics of its 4 non-zero basis functions and the quadratics of
 *    their r-derivatives (1/Å).
 * All tables are flat Float64Arrays; knots are Å.
 */
import { basisPolynomials, isUniform } from './bspline';

/** Stride of one 2-body span: [a0, a1, a2, a3, d0, d1, d2, 1/h]: V = a(u), dV/dr = d(u). */
export const CURVE_STRIDE = 8;
/** Stride of one 3-body leg span: 4 basis cubics (16) then 4 derivative quadratics (12, in 1/Å). */
export const LEG_STRIDE = 28;

/** Span lookup data shared by curves and legs. */
export interface SpanGrid {
  /** First knot (r_min), Å. */
  t0: number;
  /** Last knot (r_max), Å. */
  tEnd: number;
  /** Number of non-empty spans (intervals). */
  nSpan: number;
  /** Equally spaced interior knots: the span index is ⌊(r − t0)/h⌋ directly. */
  uniform: boolean;
  /** 1/h for the uniform guess (nSpan/(tEnd − t0)), 1/Å. */
  invH: number;
  /** Interior knots t_3 … t_n (nSpan + 1 values), Å. */
  breaks: Float64Array;
}

function spanGrid(knots: ArrayLike<number>): SpanGrid {
  const m = knots.length, nSpan = m - 7;
  const breaks = new Float64Array(nSpan + 1);
  for (let k = 0; k <= nSpan; k++) breaks[k] = knots[3 + k];
  return { t0: knots[0], tEnd: knots[m - 1], nSpan, uniform: isUniform(knots), invH: nSpan / (knots[m - 1] - knots[0]), breaks };
}

/** Span index (0 … nSpan−1) containing r (clamped at both ends). */
export function spanIndex(g: SpanGrid, r: number): number {
  let k = Math.floor((r - g.t0) * g.invH);
  if (k < 0) k = 0; else if (k >= g.nSpan) k = g.nSpan - 1;
  if (!g.uniform) {
    const b = g.breaks;
    while (k > 0 && r < b[k]) k--;
    while (k < g.nSpan - 1 && r >= b[k + 1]) k++;
  }
  return k;
}

/** A 2-body curve compiled to per-span polynomials. */
export interface CurveTable extends SpanGrid {
  /** CURVE_STRIDE values per span. */
  poly: Float64Array;
}

/** Compiles V(r) = Σ c_n B_n(r) on `knots` into a CurveTable. */
export function compileCurve(knots: ArrayLike<number>, coefficients: ArrayLike<number>): CurveTable {
  const g = spanGrid(knots);
  const bp = basisPolynomials(knots);
  const poly = new Float64Array(g.nSpan * CURVE_STRIDE);
  for (let sp = 0; sp < g.nSpan; sp++) {
    const invh = 1 / (g.breaks[sp + 1] - g.breaks[sp]);
    const o = sp * CURVE_STRIDE;
    for (let b = 0; b < 4; b++) {
      const c = coefficients[sp + b];
      for (let k = 0; k < 4; k++) poly[o + k] += c * bp[(sp * 4 + b) * 4 + k];
    }
    poly[o + 4] = poly[o + 1] * invh;
    poly[o + 5] = 2 * poly[o + 2] * invh;
    poly[o + 6] = 3 * poly[o + 3] * invh;
    poly[o + 7] = invh;
  }
  return { ...g, poly };
}

/** Value (eV) and derivative (eV/Å) of a compiled curve at r (r_min ≤ r ≤ r_max). */
export function evaluateCurve(c: CurveTable, r: number): [number, number] {
  const k = spanIndex(c, r);
  const o = k * CURVE_STRIDE, p = c.poly;
  const u = (r - c.breaks[k]) * p[o + 7];
  return [p[o] + u * (p[o + 1] + u * (p[o + 2] + u * p[o + 3])), p[o + 4] + u * (p[o + 5] + u * p[o + 6])];
}

/** The basis functions of one 3-body leg compiled to per-span polynomials. */
export interface LegTable extends SpanGrid {
  /** LEG_STRIDE values per span. */
  poly: Float64Array;
  /** 1/h per span, 1/Å. */
  invHSpan: Float64Array;
}

/** Compiles the 4 non-zero basis functions (and derivatives) of every span of `knots`. */
export function compileLeg(knots: ArrayLike<number>): LegTable {
  const g = spanGrid(knots);
  const bp = basisPolynomials(knots);
  const poly = new Float64Array(g.nSpan * LEG_STRIDE);
  const invHSpan = new Float64Array(g.nSpan);
  for (let sp = 0; sp < g.nSpan; sp++) {
    const invh = 1 / (g.breaks[sp + 1] - g.breaks[sp]);
    invHSpan[sp] = invh;
    const o = sp * LEG_STRIDE;
    for (let b = 0; b < 4; b++) {
      const q = (sp * 4 + b) * 4;
      poly[o + 4 * b] = bp[q];
      poly[o + 4 * b + 1] = bp[q + 1];
      poly[o + 4 * b + 2] = bp[q + 2];
      poly[o + 4 * b + 3] = bp[q + 3];
      poly[o + 16 + 3 * b] = bp[q + 1] * invh;
      poly[o + 16 + 3 * b + 1] = 2 * bp[q + 2] * invh;
      poly[o + 16 + 3 * b + 2] = 3 * bp[q + 3] * invh;
    }
  }
  return { ...g, poly, invHSpan };
}

/**
 * Evaluates the 4 non-zero basis functions of a leg at r: writes B (4) and dB/dr (4, 1/Å) to
 * out[offset … offset+7] and returns the index of the first non-zero coefficient (= span index).
 */
export function evaluateLeg(t: LegTable, r: number, out: Float64Array, offset = 0): number {
  const k = spanIndex(t, r);
  const o = k * LEG_STRIDE, p = t.poly;
  const u = (r - t.breaks[k]) * t.invHSpan[k];
  for (let b = 0; b < 4; b++) {
    out[offset + b] = p[o + 4 * b] + u * (p[o + 4 * b + 1] + u * (p[o + 4 * b + 2] + u * p[o + 4 * b + 3]));
    out[offset + 4 + b] = p[o + 16 + 3 * b] + u * (p[o + 16 + 3 * b + 1] + u * p[o + 16 + 3 * b + 2]);
  }
  return k;
}
