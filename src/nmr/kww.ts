/**
 * Stretched-exponential (Kohlrausch–Williams–Watts) fit with plateau (science.md §4, Böhmer and co-workers):
 *     F(t) = A·[(1 − Z)·exp(−(t/τ)^β) + Z],   0 < β ≤ 1, 0 ≤ Z < 1, A = 1 unless `freeAmplitude`
 * by bounded Levenberg–Marquardt on a lag window, fitting ln τ internally. Uncertainties from the covariance
 * s²(JᵀJ)⁻¹ (s² = χ²/dof unless the point errors are absolute); mean correlation time ⟨τ⟩ = (τ/β)Γ(1/β) with its
 * error by the delta method; NMR jump rate 1/τ (science.md §4). A fit that does not converge, or whose decay is
 * not resolved in the window, returns `ok: false` with diagnostics and no τ.
 */
import { InputError } from '../core/errors';
import { levenbergMarquardt, LmProblem } from './levenbergMarquardt';
import { invertSmall, lnGamma } from './special';

/** Options of {@link fitKww}. */
export interface KwwFitOptions {
  /** Fit window [start, end] in the units of t (inclusive). Default: all points. */
  window?: [number, number];
  /** Standard errors of the points (same length as t); default: unknown, estimated from the residuals. */
  sigma?: ArrayLike<number>;
  /** Treat sigma as absolute (do not rescale the covariance by χ²/dof). Default true when sigma is given. */
  absoluteSigma?: boolean;
  /** Fit a free amplitude A (e.g. when a fast vibrational drop precedes the window). Default false (A = 1). */
  freeAmplitude?: boolean;
  /** Bounds: β ∈ [betaMin, betaMax] (default [0.1, 1]), Z ∈ [zMin, zMax] (default [0, 0.99]). */
  betaMin?: number;
  betaMax?: number;
  zMin?: number;
  zMax?: number;
  /** Fix the plateau Z to this value instead of fitting it. */
  fixedPlateau?: number;
  /** Largest accepted τ as a multiple of the window end (default 20): beyond, the decay is not resolved. */
  maxTauOverWindow?: number;
  /** Largest accepted relative error of τ (default 1). */
  maxRelTauError?: number;
}

/** A successful fit (times in the units of t; the `…Ps`/`…Hz` names apply when t is in ps). */
export interface KwwFitOk {
  ok: true;
  tau: number;
  tauErr: number;
  beta: number;
  betaErr: number;
  plateau: number;
  plateauErr: number;
  amplitude: number;
  amplitudeErr: number;
  /** ⟨τ⟩ = (τ/β)Γ(1/β) and its error. */
  meanTau: number;
  meanTauErr: number;
  /** 1/τ and its error (per unit of t). */
  rate: number;
  rateErr: number;
  chi2: number;
  dof: number;
  nPoints: number;
  iterations: number;
  /** Names of parameters that ended on a bound (their errors are 0: not estimated). */
  atBound: string[];
  /** Covariance of the fitted parameters (names in `parameters`). */
  parameters: string[];
  covariance: number[][];
  window: [number, number];
  warnings: string[];
}

/** A failed fit: why, and what the optimiser had. */
export interface KwwFitFailed {
  ok: false;
  reason: string;
  diagnostics: {
    iterations: number;
    chi2: number;
    nPoints: number;
    window: [number, number];
    lastParams: { tau: number; beta: number; plateau: number; amplitude: number };
    optimiser: string;
  };
}

export type KwwFit = KwwFitOk | KwwFitFailed;

/** F(t) = A[(1−Z)exp(−(t/τ)^β) + Z]. */
export function kww(t: number, tau: number, beta: number, plateau: number, amplitude = 1): number {
  return amplitude * ((1 - plateau) * Math.exp(-Math.pow(t / tau, beta)) + plateau);
}

/** Mean correlation time ⟨τ⟩ = (τ/β)Γ(1/β). */
export function meanCorrelationTime(tau: number, beta: number): number {
  return (tau / beta) * Math.exp(lnGamma(1 / beta));
}

/** Fits the stretched exponential with plateau to (t, y) on the window; see the file header. */
export function fitKww(t: ArrayLike<number>, y: ArrayLike<number>, o: KwwFitOptions = {}): KwwFit {
  if (t.length !== y.length) throw new InputError(`KWW fit: ${t.length} times but ${y.length} values`);
  if (o.sigma && o.sigma.length !== t.length) throw new InputError(`KWW fit: ${o.sigma.length} errors for ${t.length} points`);
  const [w0, w1] = o.window ?? [t[0], t[t.length - 1]];
  if (!(w1 > w0) || !Number.isFinite(w0) || !Number.isFinite(w1)) throw new InputError(`KWW fit: window [${w0}, ${w1}] must have start < end`);
  const idx: number[] = [];
  for (let i = 0; i < t.length; i++) {
    if (t[i] >= w0 && t[i] <= w1) {
      if (!Number.isFinite(t[i]) || !Number.isFinite(y[i])) throw new InputError(`KWW fit: non-finite point ${i}: t = ${t[i]}, y = ${y[i]}`);
      if (t[i] < 0) throw new InputError(`KWW fit: negative time ${t[i]} at point ${i}`);
      if (o.sigma && !(o.sigma[i] > 0)) throw new InputError(`KWW fit: error of point ${i} must be positive, got ${o.sigma[i]}`);
      idx.push(i);
    }
  }
  const free = o.freeAmplitude ?? false;
  const fixZ = o.fixedPlateau;
  const names = ['tau', 'beta', ...(fixZ === undefined ? ['plateau'] : []), ...(free ? ['amplitude'] : [])];
  const p = names.length;
  const n = idx.length;
  if (n < p + 1) throw new InputError(`KWW fit: the window [${w0}, ${w1}] holds ${n} point(s); need at least ${p + 1} for ${p} parameters`);
  const tt = Float64Array.from(idx, (i) => t[i]), yy = Float64Array.from(idx, (i) => y[i]);
  const inv = Float64Array.from(idx, (i) => (o.sigma ? 1 / o.sigma[i] : 1));
  const tEnd = tt[n - 1], tPos = tt.find((v) => v > 0) ?? tEnd;
  const unpack = (q: Float64Array) => ({
    tau: Math.exp(q[0]), beta: q[1], plateau: fixZ === undefined ? q[2] : fixZ, amplitude: free ? q[p - 1] : 1,
  });
  const lower = new Float64Array(p), upper = new Float64Array(p);
  lower[0] = Math.log(tPos * 1e-3); upper[0] = Math.log(tEnd * 1e4);
  lower[1] = o.betaMin ?? 0.1; upper[1] = o.betaMax ?? 1;
  if (fixZ === undefined) { lower[2] = o.zMin ?? 0; upper[2] = o.zMax ?? 0.99; }
  if (free) { lower[p - 1] = 0; upper[p - 1] = 10; }
  const prob: LmProblem = {
    n, p, lower, upper,
    residuals(q, out) {
      const { tau, beta, plateau, amplitude } = unpack(q);
      for (let i = 0; i < n; i++) out[i] = (yy[i] - kww(tt[i], tau, beta, plateau, amplitude)) * inv[i];
    },
    jacobian(q, out) {
      const { tau, beta, plateau, amplitude } = unpack(q);
      for (let i = 0; i < n; i++) {
        const s = tt[i] / tau;
        const x = s > 0 ? Math.pow(s, beta) : 0;
        const e = Math.exp(-x);
        const row = i * p;
        out[row] = -amplitude * (1 - plateau) * e * beta * x * inv[i]; // ∂r/∂lnτ
        out[row + 1] = s > 0 ? amplitude * (1 - plateau) * e * x * Math.log(s) * inv[i] : 0; // ∂r/∂β
        if (fixZ === undefined) out[row + 2] = -amplitude * (1 - e) * inv[i];
        if (free) out[row + p - 1] = -((1 - plateau) * e + plateau) * inv[i];
      }
    },
  };
  // start values: plateau from the window's tail, τ from the 1/e crossing, several β
  const tail = yy.slice(Math.floor(0.9 * n));
  const a0 = free ? Math.max(yy[0], 1e-6) : 1;
  const z0 = fixZ ?? Math.min(0.9, Math.max(0, tail.reduce((s, v) => s + v, 0) / tail.length / a0 - 0.02));
  let tau0 = tEnd;
  for (let i = 0; i < n; i++) if ((yy[i] / a0 - z0) / (1 - z0) < Math.exp(-1)) { tau0 = Math.max(tt[i], tPos); break; }
  let best: ReturnType<typeof levenbergMarquardt> | undefined;
  for (const b0 of [1, 0.7, 0.4]) {
    const start = [Math.log(tau0), Math.min(upper[1], Math.max(lower[1], b0))];
    if (fixZ === undefined) start.push(z0);
    if (free) start.push(a0);
    const r = levenbergMarquardt(prob, start);
    if (!best || (r.converged && (!best.converged || r.chi2 < best.chi2)) || (!best.converged && r.chi2 < best.chi2)) best = r;
  }
  const res = best!;
  const last = unpack(res.params);
  const window: [number, number] = [w0, w1];
  const fail = (reason: string): KwwFitFailed => ({
    ok: false, reason,
    diagnostics: { iterations: res.iterations, chi2: res.chi2, nPoints: n, window, lastParams: last, optimiser: res.reason },
  });
  if (!res.converged) return fail(`the fit did not converge (${res.reason})`);
  // covariance over the parameters not stuck on a bound
  const freeIdx = names.map((_, j) => j).filter((j) => !res.atBound[j]);
  const dof = n - freeIdx.length;
  const scale = o.sigma && (o.absoluteSigma ?? true) ? 1 : dof > 0 ? res.chi2 / dof : NaN;
  const sub = new Float64Array(freeIdx.length ** 2);
  freeIdx.forEach((a, i) => freeIdx.forEach((b, j) => { sub[i * freeIdx.length + j] = res.jtj[a * p + b]; }));
  const subInv = invertSmall(sub, freeIdx.length);
  if (!subInv || !Number.isFinite(scale)) return fail('the fit converged but its covariance is singular: the parameters are not determined by the data in this window');
  const cov = Array.from({ length: p }, () => new Array<number>(p).fill(0)); // in internal coordinates (ln τ, β, Z, A)
  freeIdx.forEach((a, i) => freeIdx.forEach((b, j) => { cov[a][b] = scale * subInv[i * freeIdx.length + j]; }));
  const err = (j: number) => Math.sqrt(Math.max(0, cov[j][j]));
  const { tau, beta, plateau, amplitude } = last;
  const tauErr = tau * err(0);
  if (tau > (o.maxTauOverWindow ?? 20) * tEnd) return fail(`the decay is not resolved in the window: τ = ${tau.toPrecision(4)} exceeds ${o.maxTauOverWindow ?? 20}× the window end ${tEnd}`);
  if (!(tauErr <= (o.maxRelTauError ?? 1) * tau)) return fail(`τ is not determined by the data: τ = ${tau.toPrecision(4)} ± ${tauErr.toPrecision(3)}`);
  // ⟨τ⟩ by the delta method in (ln τ, β): ∂⟨τ⟩/∂lnτ = ⟨τ⟩, ∂⟨τ⟩/∂β by central difference
  const mt = meanCorrelationTime(tau, beta);
  const h = 1e-6;
  const dB = (meanCorrelationTime(tau, beta + h) - meanCorrelationTime(tau, beta - h)) / (2 * h);
  const mtVar = mt * mt * cov[0][0] + dB * dB * cov[1][1] + 2 * mt * dB * cov[0][1];
  const atBound = names.filter((_, j) => res.atBound[j]);
  const warnings: string[] = [];
  if (atBound.length) warnings.push(`parameter(s) on a bound: ${atBound.join(', ')} (not fitted; their errors are reported as 0)`);
  if (tau > tEnd) warnings.push(`τ = ${tau.toPrecision(4)} is beyond the window end ${tEnd}: extrapolated`);
  // covariance reported in (τ, β, Z, A) coordinates: scale ln τ rows/cols by τ
  const J = names.map((_, j) => (j === 0 ? tau : 1));
  const covOut = cov.map((row, a) => row.map((v, b) => v * J[a] * J[b]));
  return {
    ok: true, tau, tauErr, beta, betaErr: err(1),
    plateau, plateauErr: fixZ === undefined ? err(2) : 0,
    amplitude, amplitudeErr: free ? err(p - 1) : 0,
    meanTau: mt, meanTauErr: Math.sqrt(Math.max(0, mtVar)),
    rate: 1 / tau, rateErr: tauErr / (tau * tau),
    chi2: res.chi2, dof, nPoints: n, iterations: res.iterations, atBound,
    parameters: names, covariance: covOut, window, warnings,
  };
}
