/**
 * Bounded Levenberg–Marquardt least squares for small parameter counts: minimises χ² = Σ r_i(p)² with
 * r = weighted residuals, keeping lower ≤ p ≤ upper by projecting each trial step onto the box
 * (Marquardt's diagonal scaling, damping adapted by the gain ratio). Parameters that end on a bound with the
 * gradient pushing outward are reported as `atBound` and left out of the covariance.
 */

/** A least-squares problem: n residuals of p parameters. */
export interface LmProblem {
  n: number;
  p: number;
  /** Writes the n weighted residuals (data − model)/σ at params into out. */
  residuals(params: Float64Array, out: Float64Array): void;
  /** Writes ∂r_i/∂p_j (n × p, row-major) into out. */
  jacobian(params: Float64Array, out: Float64Array): void;
  lower: Float64Array;
  upper: Float64Array;
}

/** Options of {@link levenbergMarquardt}. */
export interface LmOptions {
  maxIterations?: number;
  /** Stop when the relative χ² decrease of an accepted step is below this (default 1e-12). */
  ftol?: number;
  /** Stop when every parameter step is below xtol·(|p| + xtol) (default 1e-10). */
  xtol?: number;
}

/** Outcome: parameters, χ², JᵀJ at the solution, and why it stopped. */
export interface LmResult {
  params: Float64Array;
  chi2: number;
  converged: boolean;
  reason: string;
  iterations: number;
  /** JᵀJ (p × p) at the solution. */
  jtj: Float64Array;
  atBound: boolean[];
}

import { solveDense } from './special';

/** Minimises Σ r² from the start point p0 inside the bounds. */
export function levenbergMarquardt(prob: LmProblem, p0: ArrayLike<number>, o: LmOptions = {}): LmResult {
  const { n, p, lower, upper } = prob;
  const maxIt = o.maxIterations ?? 200, ftol = o.ftol ?? 1e-12, xtol = o.xtol ?? 1e-10;
  const x = Float64Array.from(p0, (v, j) => Math.min(upper[j], Math.max(lower[j], v)));
  const r = new Float64Array(n), rt = new Float64Array(n), J = new Float64Array(n * p);
  const jtj = new Float64Array(p * p), g = new Float64Array(p), a = new Float64Array(p * p), trial = new Float64Array(p);
  const chi = (v: Float64Array) => v.reduce((s, q) => s + q * q, 0);
  prob.residuals(x, r);
  let c2 = chi(r);
  if (!Number.isFinite(c2)) return { params: x, chi2: c2, converged: false, reason: 'non-finite residuals at the start point', iterations: 0, jtj, atBound: new Array(p).fill(false) };
  let lambda = 1e-3, it = 0, reason = 'maximum iterations reached', converged = false;
  const build = () => {
    prob.jacobian(x, J);
    jtj.fill(0); g.fill(0);
    for (let i = 0; i < n; i++) for (let j = 0; j < p; j++) {
      const jij = J[i * p + j];
      g[j] += jij * r[i];
      for (let k = 0; k <= j; k++) jtj[j * p + k] += jij * J[i * p + k];
    }
    for (let j = 0; j < p; j++) for (let k = 0; k < j; k++) jtj[k * p + j] = jtj[j * p + k];
  };
  build();
  outer: while (it < maxIt) {
    it++;
    // projected gradient test: converged when no free direction lowers χ²
    let pg = 0;
    for (let j = 0; j < p; j++) {
      const atLo = x[j] <= lower[j] && g[j] > 0, atHi = x[j] >= upper[j] && g[j] < 0; // descent dir is −g
      if (!atLo && !atHi) pg = Math.max(pg, Math.abs(g[j]) / Math.sqrt(jtj[j * p + j] * Math.max(c2, 1e-300) + 1e-300));
    }
    if (pg < 1e-10) { converged = true; reason = 'gradient vanished'; break; }
    // active set: parameters on a bound whose descent direction points outward stay fixed this iteration
    const active = Array.from(x, (v, j) => (v <= lower[j] && g[j] > 0) || (v >= upper[j] && g[j] < 0));
    for (let tries = 0; tries < 40; tries++) {
      a.set(jtj);
      for (let j = 0; j < p; j++) a[j * p + j] += lambda * Math.max(jtj[j * p + j], 1e-12);
      const rhs = Float64Array.from(g, (v) => -v);
      for (let j = 0; j < p; j++) if (active[j]) {
        for (let k = 0; k < p; k++) { a[j * p + k] = 0; a[k * p + j] = 0; }
        a[j * p + j] = 1;
        rhs[j] = 0;
      }
      const step = solveDense(a, rhs, p);
      if (!step) { lambda *= 10; continue; }
      let small = true;
      for (let j = 0; j < p; j++) {
        trial[j] = Math.min(upper[j], Math.max(lower[j], x[j] + step[j]));
        if (Math.abs(trial[j] - x[j]) > xtol * (Math.abs(x[j]) + xtol)) small = false;
      }
      prob.residuals(trial, rt);
      const c2t = chi(rt);
      if (Number.isFinite(c2t) && c2t <= c2) {
        const rel = (c2 - c2t) / Math.max(c2, 1e-300);
        x.set(trial); r.set(rt); c2 = c2t;
        lambda = Math.max(lambda / 3, 1e-12);
        build();
        if (small) { converged = true; reason = 'step below xtol'; break outer; }
        if (rel < ftol && rel >= 0) { converged = true; reason = 'χ² change below ftol'; break outer; }
        continue outer;
      }
      if (small) { converged = true; reason = 'step below xtol'; break outer; }
      lambda *= 4;
      if (lambda > 1e16) { reason = 'damping diverged: no downhill step found'; break outer; }
    }
    reason = 'no downhill step found';
    break;
  }
  const atBound = Array.from(x, (v, j) => (v <= lower[j] && g[j] >= 0) || (v >= upper[j] && g[j] <= 0));
  return { params: x, chi2: c2, converged, reason, iterations: it, jtj: Float64Array.from(jtj), atBound };
}
