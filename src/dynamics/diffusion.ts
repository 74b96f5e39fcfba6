/** Tracer diffusion coefficients from MSD curves (science.md §5), with error estimates. */
import { InputError } from '../core/errors';

/** 1 Å²/ps in m²/s. */
export const A2_PER_PS_IN_M2_PER_S = 1e-8;

/** Result of {@link fitDiffusion}. */
export interface DiffusionFit {
  /** D = slope/(2·dimensions), Å²/ps. */
  dA2PerPs: number;
  /** D in m²/s. */
  dM2PerS: number;
  /**
   * Standard error of D, Å²/ps: the spread of per-atom slopes / √nAtoms when per-atom MSDs are given
   * (atoms as independent samples), else the least-squares error (too small: MSD points are correlated).
   */
  errA2PerPs: number;
  errMethod: 'atoms' | 'least-squares';
  /** Least-squares standard error of the slope/(2·dimensions), Å²/ps (for reference). */
  fitErrA2PerPs: number;
  /** D from the first and the second half of the window (a check for a non-linear MSD), Å²/ps. */
  halvesA2PerPs: [number, number];
  /** Intercept of the line, Å². */
  interceptA2: number;
  /** Fit window, ps, and number of lag points in it. */
  windowPs: [number, number];
  nPoints: number;
  dimensions: number;
}

/** Options of {@link fitDiffusion}. */
export interface DiffusionFitOptions {
  /** Lag window [start, end] in ps (default: 20 % … 80 % of the largest lag). */
  windowPs?: [number, number];
  /** Per-atom MSDs (atom-major, same lags) for the error estimate. */
  perAtom?: { data: ArrayLike<number>; nAtoms: number };
  /** Dimensionality of the motion (default 3: D = slope/6). */
  dimensions?: number;
}

function lineFit(x: ArrayLike<number>, y: ArrayLike<number>, i0: number, i1: number): { slope: number; intercept: number; slopeErr: number } {
  const n = i1 - i0;
  let mx = 0, my = 0;
  for (let i = i0; i < i1; i++) { mx += x[i]; my += y[i]; }
  mx /= n; my /= n;
  let sxx = 0, sxy = 0;
  for (let i = i0; i < i1; i++) { sxx += (x[i] - mx) ** 2; sxy += (x[i] - mx) * (y[i] - my); }
  const slope = sxy / sxx, intercept = my - slope * mx;
  let rss = 0;
  for (let i = i0; i < i1; i++) rss += (y[i] - intercept - slope * x[i]) ** 2;
  return { slope, intercept, slopeErr: n > 2 ? Math.sqrt(rss / (n - 2) / sxx) : NaN };
}

/** D (Å²/ps) from a straight-line fit of MSD (Å²) against lag time (ps) over a window, with its error. */
export function fitDiffusion(lagPs: ArrayLike<number>, msdA2: ArrayLike<number>, opts: DiffusionFitOptions = {}): DiffusionFit {
  const n = lagPs.length;
  if (msdA2.length !== n) throw new InputError(`diffusion fit: ${n} lag times but ${msdA2.length} MSD values`);
  for (let i = 0; i < n; i++) if (!Number.isFinite(lagPs[i]) || !Number.isFinite(msdA2[i])) throw new InputError(`diffusion fit: non-finite lag time or MSD at point ${i}`);
  for (let i = 1; i < n; i++) if (!(lagPs[i] > lagPs[i - 1])) throw new InputError(`diffusion fit: lag times must increase (point ${i})`);
  const dims = opts.dimensions ?? 3;
  if (![1, 2, 3].includes(dims)) throw new InputError(`diffusion fit: dimensions must be 1, 2 or 3, got ${dims}`);
  const tMax = lagPs[n - 1];
  const [w0, w1] = opts.windowPs ?? [0.2 * tMax, 0.8 * tMax];
  if (!(w1 > w0)) throw new InputError(`diffusion fit: window end ${w1} ps must exceed its start ${w0} ps`);
  let i0 = 0;
  while (i0 < n && lagPs[i0] < w0) i0++;
  let i1 = i0;
  while (i1 < n && lagPs[i1] <= w1) i1++;
  if (i1 - i0 < 4) throw new InputError(`diffusion fit: the window ${w0}–${w1} ps holds ${i1 - i0} lag points (lags run 0–${tMax} ps); need at least 4`);
  const f = 2 * dims;
  const all = lineFit(lagPs, msdA2, i0, i1);
  const mid = i0 + Math.floor((i1 - i0) / 2);
  const h1 = lineFit(lagPs, msdA2, i0, Math.max(mid, i0 + 2)), h2 = lineFit(lagPs, msdA2, Math.min(mid, i1 - 2), i1);
  let err = all.slopeErr / f, method: DiffusionFit['errMethod'] = 'least-squares';
  if (opts.perAtom && opts.perAtom.nAtoms >= 2) {
    const { data, nAtoms } = opts.perAtom;
    if (data.length !== nAtoms * n) throw new InputError(`diffusion fit: per-atom MSD holds ${data.length} values, expected ${nAtoms} × ${n}`);
    const slopes: number[] = [];
    for (let a = 0; a < nAtoms; a++) {
      const y = Array.from({ length: n }, (_, i) => data[a * n + i]);
      slopes.push(lineFit(lagPs, y, i0, i1).slope);
    }
    const mean = slopes.reduce((s, x) => s + x, 0) / nAtoms;
    const sd = Math.sqrt(slopes.reduce((s, x) => s + (x - mean) ** 2, 0) / (nAtoms - 1));
    err = sd / Math.sqrt(nAtoms) / f;
    method = 'atoms';
  }
  const d = all.slope / f;
  return {
    dA2PerPs: d, dM2PerS: d * A2_PER_PS_IN_M2_PER_S, errA2PerPs: err, errMethod: method, fitErrA2PerPs: all.slopeErr / f,
    halvesA2PerPs: [h1.slope / f, h2.slope / f], interceptA2: all.intercept, windowPs: [lagPs[i0], lagPs[i1 - 1]], nPoints: i1 - i0, dimensions: dims,
  };
}

/** Jump rate from diffusion, Γ = 2·d·D/a² (1/ps; 6D/a² in 3D) for D in Å²/ps and jump length a in Å. */
export function jumpRateFromDiffusion(dA2PerPs: number, jumpLengthA: number, dimensions = 3): number {
  if (!(jumpLengthA > 0)) throw new InputError(`jump length must be positive (Å), got ${jumpLengthA}`);
  return (2 * dimensions * dA2PerPs) / (jumpLengthA * jumpLengthA);
}
