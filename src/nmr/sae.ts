/**
 * Spin-alignment-echo (Jeener–Broekaert) two-time functions for a finite evolution time t_p (science.md §4):
 *     F2^ss(t_p; t_m) = ⟨sin Φ_i(0) sin Φ_i(t_m)⟩ / ⟨sin² Φ_i(0)⟩,   Φ_i(t) = ∫_t^{t+t_p} ω_Q,i dt'
 *     F2^cc likewise with cos,
 * averaged over Li atoms, time origins and B0 directions of a powder grid (numerator and denominator averaged
 * separately, grid weights applied). Φ is integrated along the trajectory by the trapezoid rule over the
 * t_p/dt frame intervals. The t_m correlation uses the blocked FFT correlator (unbiased 1/(N−τ) normalisation).
 */
import { InputError } from '../core/errors';
import { Q_LI7_M2 } from '../core/units';
import { BlockedCorrelator } from './correlator';
import { directionCoefficients, irreducibleComponents, omegaQPerVPerA2, unitVector } from './quadrupolar';
import { PowderGrid, powderGrid } from './powderGrids';

/** Options of {@link saeF2}. */
export interface SaeOptions {
  nLi: number;
  /** Frame spacing, fs. */
  dtFs: number;
  /** Evolution time t_p, fs: a whole number (≥ 1) of frames. */
  tpFs: number;
  /** Largest mixing time t_m, frames. */
  maxLagFrames: number;
  /** Powder grid (directions with weights). */
  grid: PowderGrid;
  /** Quadrupole moment, m² (default 7Li). */
  quadrupoleMomentM2?: number;
}

/** F2 functions on the mixing-time axis. */
export interface SaeResult {
  tmPs: Float64Array;
  f2ss: Float64Array;
  f2cc: Float64Array;
  tpFs: number;
  gridKind: string;
  nDirections: number;
  /** Phase frames correlated: N − t_p/dt. */
  nPhaseFrames: number;
}

/** F2^ss and F2^cc of an in-memory tensor series (nFrames × nLi × 9, V/Å²). */
export function saeF2(tensors: ArrayLike<number>, o: SaeOptions): SaeResult {
  const { nLi, dtFs, grid } = o;
  if (!Number.isInteger(nLi) || nLi < 1) throw new InputError(`SAE: need at least one Li, got ${nLi}`);
  if (tensors.length % (9 * nLi) !== 0) throw new InputError(`SAE: ${tensors.length} values is not a whole number of frames of ${nLi} Li × 9`);
  if (!(dtFs > 0)) throw new InputError(`SAE: dt must be positive (fs), got ${dtFs}`);
  const p = Math.round(o.tpFs / dtFs);
  if (!(p >= 1) || Math.abs(p * dtFs - o.tpFs) > 1e-9 * Math.max(1, o.tpFs)) throw new InputError(`SAE: t_p = ${o.tpFs} fs must be a whole number (≥ 1) of frames of ${dtFs} fs`);
  const nFrames = tensors.length / (9 * nLi);
  const nPhase = nFrames - p;
  if (!(nPhase > o.maxLagFrames)) throw new InputError(`SAE: too few frames: ${nFrames} frames with t_p = ${p} frames leave ${Math.max(0, nPhase)} phase values, need more than the largest mixing lag ${o.maxLagFrames}`);
  const nDir = grid.n;
  const kappa = omegaQPerVPerA2(o.quadrupoleMomentM2 ?? Q_LI7_M2);
  const dc = new Float64Array(5 * nDir);
  const sw = new Float64Array(nDir);
  for (let j = 0; j < nDir; j++) {
    directionCoefficients(unitVector(grid.directions.subarray(3 * j, 3 * j + 3), `grid direction ${j}`), dc.subarray(5 * j, 5 * j + 5));
    sw[j] = Math.sqrt(grid.weights[j]);
  }
  const nW = nLi * nDir; // (Li, direction) pairs
  // series: [sin …(nW) | cos …(nW)], groups 0 = sin, 1 = cos
  const groupOf = new Int32Array(2 * nW);
  groupOf.fill(1, nW);
  const corr = new BlockedCorrelator({ nSeries: 2 * nW, maxLag: o.maxLagFrames, groupOf });
  const ring = new Float64Array((p + 1) * nW); // ω of the last p+1 frames, rad/s
  const run = new Float64Array(nW); // Σ of ω over the ring
  const row = new Float64Array(2 * nW);
  const v = new Float64Array(5);
  for (let f = 0; f < nFrames; f++) {
    const slot = (f % (p + 1)) * nW;
    for (let i = 0; i < nLi; i++) {
      const base = (f * nLi + i) * 9;
      for (let c = 0; c < 9; c++) if (!Number.isFinite(tensors[base + c])) throw new InputError(`SAE: non-finite tensor value at frame ${f}, Li ${i}`);
      irreducibleComponents(tensors, base, 1, v, 0);
      for (let j = 0; j < nDir; j++) {
        const q = 5 * j;
        const w = kappa * (dc[q] * v[0] + dc[q + 1] * v[1] + dc[q + 2] * v[2] + dc[q + 3] * v[3] + dc[q + 4] * v[4]);
        const k = i * nDir + j;
        if (f >= p + 1) run[k] -= ring[slot + k];
        ring[slot + k] = w;
        run[k] += w;
      }
    }
    if (f >= p) {
      // phase for the window [f−p, f]: trapezoid, dt in s
      const first = ((f - p) % (p + 1)) * nW;
      const dtS = dtFs * 1e-15;
      for (let k = 0; k < nW; k++) {
        const phi = dtS * (run[k] - 0.5 * (ring[first + k] + ring[slot + k]));
        const wgt = sw[k % nDir];
        row[k] = wgt * Math.sin(phi);
        row[nW + k] = wgt * Math.cos(phi);
      }
      corr.push(row, 1);
    }
  }
  const r = corr.finish();
  const L1 = o.maxLagFrames + 1;
  const f2ss = new Float64Array(L1), f2cc = new Float64Array(L1), tmPs = new Float64Array(L1);
  for (let t = 0; t < L1; t++) {
    f2ss[t] = (r.sums[t] / (nPhase - t)) / (r.sums[0] / nPhase);
    f2cc[t] = (r.sums[L1 + t] / (nPhase - t)) / (r.sums[L1] / nPhase);
    tmPs[t] = (t * dtFs) / 1000;
  }
  if (!Number.isFinite(f2ss[0])) throw new InputError('SAE: ⟨sin²Φ⟩ is zero (ω_Q vanishes): F2^ss is undefined');
  return { tmPs, f2ss, f2cc, tpFs: p * dtFs, gridKind: grid.kind, nDirections: nDir, nPhaseFrames: nPhase };
}

/** One row of a grid-convergence report: the grid size and the largest deviation from the finest grid. */
export interface SaeConvergenceRow {
  nDirections: number;
  maxAbsDiffSs: number;
  maxAbsDiffCc: number;
}

/**
 * F2 on grids of increasing size (the last, largest one is the reference) and the convergence table:
 * max over t_m of |F2(grid) − F2(largest grid)|.
 */
export function saeConvergence(tensors: ArrayLike<number>, o: Omit<SaeOptions, 'grid'>, kind: string, sizes: number[]): { result: SaeResult; table: SaeConvergenceRow[] } {
  if (sizes.length === 0) throw new InputError('SAE convergence: give at least one grid size');
  const sorted = [...sizes].sort((a, b) => a - b);
  const results = sorted.map((n) => saeF2(tensors, { ...o, grid: powderGrid(kind, n) }));
  const ref = results[results.length - 1];
  const maxDiff = (a: Float64Array, b: Float64Array) => a.reduce((m, x, i) => Math.max(m, Math.abs(x - b[i])), 0);
  const table = results.map((r) => ({ nDirections: r.nDirections, maxAbsDiffSs: maxDiff(r.f2ss, ref.f2ss), maxAbsDiffCc: maxDiff(r.f2cc, ref.f2cc) }));
  return { result: ref, table };
}
