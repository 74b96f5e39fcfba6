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

/** Streaming F2 accumulator: push tensor chunks (frames × nLi × 9, V/Å²) in order, then finish(). */
export class SaeAccumulator {
  readonly nLi: number;
  readonly nDir: number;
  readonly tpFrames: number;
  readonly maxLag: number;
  private readonly dtFs: number;
  private readonly gridKind: string;
  private readonly kappa: number;
  private readonly dc: Float64Array; // nDir × 5 direction coefficients
  private readonly sw: Float64Array; // √weights
  private readonly corr: BlockedCorrelator;
  private readonly ring: Float64Array; // ω (rad/s) of the last t_p+1 frames, per (Li, direction)
  private readonly run: Float64Array; // Σ of ω over the ring
  private readonly row: Float64Array; // [sin … | cos …] of one phase frame
  private readonly v = new Float64Array(5);
  private frames = 0;

  constructor(o: SaeOptions) {
    const { nLi, dtFs, grid } = o;
    if (!Number.isInteger(nLi) || nLi < 1) throw new InputError(`SAE: need at least one Li, got ${nLi}`);
    if (!(dtFs > 0)) throw new InputError(`SAE: dt must be positive (fs), got ${dtFs}`);
    const p = Math.round(o.tpFs / dtFs);
    if (!(p >= 1) || Math.abs(p * dtFs - o.tpFs) > 1e-9 * Math.max(1, o.tpFs)) throw new InputError(`SAE: t_p = ${o.tpFs} fs must be a whole number (≥ 1) of frames of ${dtFs} fs`);
    if (!Number.isInteger(o.maxLagFrames) || o.maxLagFrames < 0) throw new InputError(`SAE: the largest mixing lag must be a whole number of frames ≥ 0, got ${o.maxLagFrames}`);
    this.nLi = nLi;
    this.dtFs = dtFs;
    this.tpFrames = p;
    this.maxLag = o.maxLagFrames;
    this.gridKind = grid.kind;
    const nDir = (this.nDir = grid.n);
    this.kappa = omegaQPerVPerA2(o.quadrupoleMomentM2 ?? Q_LI7_M2);
    this.dc = new Float64Array(5 * nDir);
    this.sw = new Float64Array(nDir);
    for (let j = 0; j < nDir; j++) {
      directionCoefficients(unitVector(grid.directions.subarray(3 * j, 3 * j + 3), `grid direction ${j}`), this.dc.subarray(5 * j, 5 * j + 5));
      this.sw[j] = Math.sqrt(grid.weights[j]);
    }
    const nW = nLi * nDir; // (Li, direction) pairs
    // series: [sin …(nW) | cos …(nW)], groups 0 = sin, 1 = cos
    const groupOf = new Int32Array(2 * nW);
    groupOf.fill(1, nW);
    this.corr = new BlockedCorrelator({ nSeries: 2 * nW, maxLag: o.maxLagFrames, groupOf });
    this.ring = new Float64Array((p + 1) * nW);
    this.run = new Float64Array(nW);
    this.row = new Float64Array(2 * nW);
  }

  /** Throws InputError unless a series of this many frames leaves more phase values than the largest lag. */
  requireFrames(nFrames: number): void {
    const nPhase = nFrames - this.tpFrames;
    if (!(nPhase > this.maxLag)) throw new InputError(`SAE: too few frames: ${nFrames} frames with t_p = ${this.tpFrames} frames leave ${Math.max(0, nPhase)} phase values, need more than the largest mixing lag ${this.maxLag}`);
  }

  /** Appends nFrames frames of tensors; throws InputError on non-finite values. */
  push(tensors: ArrayLike<number>, nFrames: number): void {
    const { nLi, nDir, tpFrames: p, ring, run, row, v, dc, sw, kappa } = this;
    if (!Number.isInteger(nFrames) || nFrames < 0 || tensors.length < nFrames * nLi * 9) throw new InputError(`SAE: chunk of ${tensors.length} values cannot hold ${nFrames} frames × ${nLi} Li × 9`);
    const nW = nLi * nDir;
    const dtS = this.dtFs * 1e-15;
    for (let fl = 0; fl < nFrames; fl++) {
      const f = this.frames + fl;
      const slot = (f % (p + 1)) * nW;
      for (let i = 0; i < nLi; i++) {
        const base = (fl * nLi + i) * 9;
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
        // phase over [f−p, f] by the trapezoid rule, dt in s
        const first = ((f - p) % (p + 1)) * nW;
        for (let k = 0; k < nW; k++) {
          const phi = dtS * (run[k] - 0.5 * (ring[first + k] + ring[slot + k]));
          const wgt = sw[k % nDir];
          row[k] = wgt * Math.sin(phi);
          row[nW + k] = wgt * Math.cos(phi);
        }
        this.corr.push(row, 1);
      }
    }
    this.frames += nFrames;
  }

  /** Normalised F2^ss and F2^cc on the mixing-time axis. */
  finish(): SaeResult {
    this.requireFrames(this.frames);
    const nPhase = this.frames - this.tpFrames;
    const r = this.corr.finish();
    const L1 = this.maxLag + 1;
    const f2ss = new Float64Array(L1), f2cc = new Float64Array(L1), tmPs = new Float64Array(L1);
    if (!(r.sums[0] > 0)) throw new InputError('SAE: ⟨sin²Φ⟩ is zero (ω_Q vanishes): F2^ss is undefined');
    for (let t = 0; t < L1; t++) {
      f2ss[t] = (r.sums[t] / (nPhase - t)) / (r.sums[0] / nPhase);
      f2cc[t] = (r.sums[L1 + t] / (nPhase - t)) / (r.sums[L1] / nPhase);
      tmPs[t] = (t * this.dtFs) / 1000;
    }
    return { tmPs, f2ss, f2cc, tpFs: this.tpFrames * this.dtFs, gridKind: this.gridKind, nDirections: this.nDir, nPhaseFrames: nPhase };
  }
}

/** F2^ss and F2^cc of an in-memory tensor series (nFrames × nLi × 9, V/Å²). */
export function saeF2(tensors: ArrayLike<number>, o: SaeOptions): SaeResult {
  if (!Number.isInteger(o.nLi) || o.nLi < 1) throw new InputError(`SAE: need at least one Li, got ${o.nLi}`);
  if (tensors.length % (9 * o.nLi) !== 0) throw new InputError(`SAE: ${tensors.length} values is not a whole number of frames of ${o.nLi} Li × 9`);
  const acc = new SaeAccumulator(o);
  const nFrames = tensors.length / (9 * o.nLi);
  acc.requireFrames(nFrames);
  acc.push(tensors, nFrames);
  return acc.finish();
}

/** One row of a grid-convergence report: the grid size and the largest deviation from the finest grid. */
export interface SaeConvergenceRow {
  nDirections: number;
  maxAbsDiffSs: number;
  maxAbsDiffCc: number;
}

/** The convergence table from results on grids of increasing size (the last, largest one is the reference). */
export function convergenceTable(results: SaeResult[]): SaeConvergenceRow[] {
  const ref = results[results.length - 1];
  const maxDiff = (a: Float64Array, b: Float64Array) => a.reduce((m, x, i) => Math.max(m, Math.abs(x - b[i])), 0);
  return results.map((r) => ({ nDirections: r.nDirections, maxAbsDiffSs: maxDiff(r.f2ss, ref.f2ss), maxAbsDiffCc: maxDiff(r.f2cc, ref.f2cc) }));
}

/** Accumulators for grids of one kind at increasing sizes (all fed in the same pass over the data). */
export function saeAccumulators(o: Omit<SaeOptions, 'grid'>, kind: string, sizes: number[]): SaeAccumulator[] {
  if (sizes.length === 0) throw new InputError('SAE convergence: give at least one grid size');
  return [...sizes].sort((a, b) => a - b).map((n) => new SaeAccumulator({ ...o, grid: powderGrid(kind, n) }));
}

/**
 * F2 on grids of increasing size (one pass over the data; the largest grid is the result and the reference)
 * and the convergence table: max over t_m of |F2(grid) − F2(largest grid)|.
 */
export function saeConvergence(tensors: ArrayLike<number>, o: Omit<SaeOptions, 'grid'>, kind: string, sizes: number[]): { result: SaeResult; table: SaeConvergenceRow[] } {
  if (!Number.isInteger(o.nLi) || o.nLi < 1 || tensors.length % (9 * o.nLi) !== 0) throw new InputError(`SAE: ${tensors.length} values is not a whole number of frames of ${o.nLi} Li × 9`);
  const accs = saeAccumulators(o, kind, sizes);
  const nFrames = tensors.length / (9 * o.nLi);
  accs[0].requireFrames(nFrames);
  for (const a of accs) a.push(tensors, nFrames);
  const results = accs.map((a) => a.finish());
  return { result: results[results.length - 1], table: convergenceTable(results) };
}
