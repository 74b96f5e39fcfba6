/**
 * Dense symmetric positive-definite solves for the fit: Cholesky factorisation in place, solves with the
 * factor, and the strictly convex quadratic programme min ½cᵀGc − bᵀc subject to a few linear
 * inequalities A c ≥ s (shape constraints), solved through its dual (Goldfarb & Idnani's idea: the
 * constraints are few, so the m×m dual matrix H = A G⁻¹ Aᵀ is small).
 */
import { InputError } from '../../core/errors';

/** One linear inequality Σ vals[k]·c[cols[k]] ≥ rhs. */
export interface LinearConstraint {
  cols: Int32Array;
  vals: Float64Array;
  rhs: number;
  /** What it encodes (for reports), e.g. "Li-S q=3". */
  label?: string;
}

/** Overwrites G (P×P, full symmetric, row-major) with its lower Cholesky factor L (G = LLᵀ). */
export function choleskyFactor(G: Float64Array, P: number): void {
  for (let j = 0; j < P; j++) {
    const rj = j * P;
    let d = G[rj + j];
    for (let k = 0; k < j; k++) d -= G[rj + k] * G[rj + k];
    if (!(d > 0)) throw new InputError(`the normal equations are not positive definite at column ${j} (pivot ${d}); increase the ridge regularisation`);
    const ljj = Math.sqrt(d);
    G[rj + j] = ljj;
    const inv = 1 / ljj;
    for (let i = j + 1; i < P; i++) {
      const ri = i * P;
      let s = G[ri + j];
      for (let k = 0; k < j; k++) s -= G[ri + k] * G[rj + k];
      G[ri + j] = s * inv;
    }
  }
}

/** Solves LLᵀx = b with the factor from {@link choleskyFactor}. */
export function choleskySolveFactored(L: Float64Array, b: ArrayLike<number>): Float64Array {
  const P = b.length;
  const y = new Float64Array(P);
  for (let i = 0; i < P; i++) {
    const ri = i * P;
    let s = b[i];
    for (let k = 0; k < i; k++) s -= L[ri + k] * y[k];
    y[i] = s / L[ri + i];
  }
  const x = new Float64Array(P);
  for (let i = P - 1; i >= 0; i--) {
    let s = y[i];
    for (let k = i + 1; k < P; k++) s -= L[k * P + i] * x[k];
    x[i] = s / L[i * P + i];
  }
  return x;
}

/** Value of Σ vals·c[cols] of a constraint. */
export function constraintValue(con: LinearConstraint, c: ArrayLike<number>): number {
  let v = 0;
  for (let k = 0; k < con.cols.length; k++) v += con.vals[k] * c[con.cols[k]];
  return v;
}

/** Result of {@link solveQP}. */
export interface QPResult {
  x: Float64Array;
  /** Lagrange multiplier of each constraint (> 0: active). */
  multipliers: Float64Array;
  /** Constraints that hold with equality at the solution. */
  active: number;
  /** Largest violation left (≤ 0 up to round-off). */
  maxViolation: number;
}

/**
 * Minimises ½xᵀGx − bᵀx subject to A x ≥ s for symmetric positive-definite G (P×P, overwritten by its
 * Cholesky factor). Unconstrained minimum x₀ = G⁻¹b; the dual is the non-negative quadratic programme
 * min_{λ≥0} ½λᵀHλ + λᵀ(Ax₀ − s), H = A G⁻¹ Aᵀ, solved exactly by an active-set (Lawson–Hanson) loop;
 * then x = x₀ + G⁻¹Aᵀλ. Weakly regularised columns make G ill-conditioned, so the solve is repeated on the
 * residual problem (iterative refinement with the same factor) until the constraints hold to round-off.
 * Cost: one factorisation, m + 1 triangular solve pairs and a few products with G.
 */
export function solveQP(G: Float64Array, b: Float64Array, constraints: LinearConstraint[]): QPResult {
  const P = b.length, m = constraints.length;
  if (m === 0) {
    choleskyFactor(G, P);
    return { x: choleskySolveFactored(G, b), multipliers: new Float64Array(0), active: 0, maxViolation: 0 };
  }
  const G0 = Float64Array.from(G);
  choleskyFactor(G, P);
  // Z = G⁻¹Aᵀ (one column per constraint), H = A Z
  const Z: Float64Array[] = constraints.map((con) => {
    const a = new Float64Array(P);
    for (let k = 0; k < con.cols.length; k++) a[con.cols[k]] += con.vals[k];
    return choleskySolveFactored(G, a);
  });
  const H = new Float64Array(m * m);
  for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) H[i * m + j] = constraintValue(constraints[i], Z[j]);
  for (let i = 0; i < m; i++) for (let j = i + 1; j < m; j++) { const v = 0.5 * (H[i * m + j] + H[j * m + i]); H[i * m + j] = v; H[j * m + i] = v; }
  const scale = Math.max(1, ...constraints.map((c) => Math.abs(c.rhs)));
  const x = new Float64Array(P);
  let lambda: Float64Array = new Float64Array(m), maxViolation = Infinity;
  const g = Float64Array.from(b);
  for (let round = 0; round < 8; round++) {
    // residual problem: min ½δᵀGδ − gᵀδ, A δ ≥ s − A x, with g = b − G x
    const d0 = choleskySolveFactored(G, g);
    const r = Float64Array.from(constraints, (c) => constraintValue(c, d0) + constraintValue(c, x) - c.rhs);
    lambda = nonNegativeQP(H, r, m);
    for (let q = 0; q < P; q++) x[q] += d0[q];
    for (let j = 0; j < m; j++) if (lambda[j] !== 0) { const z = Z[j], l = lambda[j]; for (let q = 0; q < P; q++) x[q] += l * z[q]; }
    maxViolation = -Infinity;
    for (const c of constraints) maxViolation = Math.max(maxViolation, c.rhs - constraintValue(c, x));
    for (let i = 0; i < P; i++) {
      let s = b[i];
      const row = i * P;
      for (let j = 0; j < P; j++) s -= G0[row + j] * x[j];
      g[i] = s;
    }
    if (maxViolation <= 1e-12 * scale && round > 0) break;
  }
  let active = 0;
  for (let i = 0; i < m; i++) if (lambda[i] > 0) active++;
  return { x, multipliers: lambda, active, maxViolation };
}

/** Solves the small dense system M y = v (n×n, row-major) by Gaussian elimination with partial pivoting. */
function denseSolve(M: Float64Array, v: Float64Array, n: number): Float64Array {
  const A = Float64Array.from(M), y = Float64Array.from(v);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let i = c + 1; i < n; i++) if (Math.abs(A[i * n + c]) > Math.abs(A[p * n + c])) p = i;
    if (p !== c) {
      for (let k = 0; k < n; k++) { const t = A[c * n + k]; A[c * n + k] = A[p * n + k]; A[p * n + k] = t; }
      const t = y[c]; y[c] = y[p]; y[p] = t;
    }
    const d = A[c * n + c];
    if (d === 0) throw new InputError('singular constraint system: two shape constraints are linearly dependent');
    for (let i = c + 1; i < n; i++) {
      const f = A[i * n + c] / d;
      if (f === 0) continue;
      for (let k = c; k < n; k++) A[i * n + k] -= f * A[c * n + k];
      y[i] -= f * y[c];
    }
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = y[i];
    for (let k = i + 1; k < n; k++) s -= A[i * n + k] * y[k];
    y[i] = s / A[i * n + i];
  }
  return y;
}

/**
 * argmin_{λ≥0} ½λᵀHλ + rᵀλ for symmetric positive-definite H (m×m): Lawson–Hanson active set on the
 * optimality conditions w = Hλ + r ≥ 0, λ ≥ 0, λ·w = 0.
 */
export function nonNegativeQP(H: Float64Array, r: Float64Array, m: number): Float64Array {
  const lambda = new Float64Array(m);
  const free = new Uint8Array(m);
  // optimality is judged on w = Hλ + r, which is in the units of the constraints (violations)
  const tol = 1e-13 * (1 + Math.max(0, ...Array.from(r, Math.abs)));
  const gradient = (l: Float64Array) => Float64Array.from({ length: m }, (_, i) => { let s = r[i]; for (let j = 0; j < m; j++) s += H[i * m + j] * l[j]; return s; });
  const solveFree = (): Float64Array => {
    const idx: number[] = [];
    for (let i = 0; i < m; i++) if (free[i]) idx.push(i);
    const n = idx.length, M = new Float64Array(n * n), v = new Float64Array(n);
    idx.forEach((i, a) => { v[a] = -r[i]; idx.forEach((j, c) => { M[a * n + c] = H[i * m + j]; }); });
    const y = n > 0 ? denseSolve(M, v, n) : new Float64Array(0);
    const full = new Float64Array(m);
    idx.forEach((i, a) => { full[i] = y[a]; });
    return full;
  };
  for (let outer = 0; outer < 10 * m + 10; outer++) {
    const w = gradient(lambda);
    let best = -1, bestW = -tol;
    for (let i = 0; i < m; i++) if (!free[i] && w[i] < bestW) { bestW = w[i]; best = i; }
    if (best < 0) return lambda;
    free[best] = 1;
    for (let inner = 0; inner <= m; inner++) {
      const z = solveFree();
      let ok = true;
      for (let i = 0; i < m; i++) if (free[i] && z[i] <= 0) { ok = false; break; }
      if (ok) { lambda.set(z); break; }
      // step from λ towards z until the first free multiplier reaches zero; release it
      let alpha = 1, hit = -1;
      for (let i = 0; i < m; i++) if (free[i] && z[i] <= 0) { const a = lambda[i] / (lambda[i] - z[i]); if (a < alpha || hit < 0) { alpha = Math.min(alpha, a); hit = i; } }
      for (let i = 0; i < m; i++) if (free[i]) lambda[i] += alpha * (z[i] - lambda[i]);
      lambda[hit] = 0;
      for (let i = 0; i < m; i++) if (free[i] && lambda[i] <= 0) { free[i] = 0; lambda[i] = 0; }
    }
  }
  throw new InputError('the shape-constrained solve did not converge (conflicting constraints?)');
}
