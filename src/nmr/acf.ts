/**
 * Quadrupolar-frequency autocorrelation C(t) = ⟨ω_Q,i(t0) ω_Q,i(t0+t)⟩ / ⟨ω_Q,i²⟩ over Li atoms i and time
 * origins t0, from EFG tensor series (science.md §4), streaming chunk by chunk:
 * - powder (default): exact powder average through ⟨(bᵀAb)(bᵀBb)⟩_b = (2/15)Tr(AB), i.e. the sum of the
 *   autocorrelations of the 5 irreducible tensor components;
 * - directions: explicit average over B0 directions b_d with weights w_d (a single direction is a special case):
 *   numerator and denominator are both averaged over directions (each series is scaled by √w_d).
 * Unbiased normalisation: the lag-τ sum is divided by the number of origins N − τ.
 * Optional time-window coarse-graining: ω_Q (equivalently, the tensor components, as the map is linear) is
 * averaged over non-overlapping windows of `coarseFrames` frames before correlating; the lag step becomes
 * coarseFrames·dt.
 */
import { InputError } from '../core/errors';
import { Q_LI7_M2 } from '../core/units';
import { BlockedCorrelator } from './correlator';
import { directionCoefficients, irreducibleComponents, omegaQPerVPerA2, unitVector } from './quadrupolar';

/** How B0 is oriented: the exact powder average, or explicit directions (nDir × 3) with optional weights. */
export type B0Mode = { kind: 'powder' } | { kind: 'directions'; directions: ArrayLike<number>; weights?: ArrayLike<number> };

/** Options of {@link AcfAccumulator}. */
export interface AcfOptions {
  nLi: number;
  /** Time between input frames, fs. */
  dtFs: number;
  /** Largest lag in (coarse-grained) frames. Give this or maxLagFs. */
  maxLagFrames?: number;
  /** Largest lag, fs (rounded down to whole coarse frames). */
  maxLagFs?: number;
  /** Average over windows of this many input frames before correlating (default 1: none). */
  coarseFrames?: number;
  /** Powder (default) or explicit directions. */
  b0?: B0Mode;
  /** Quadrupole moment, m² (default 7Li −40.1 mb). Only scales the absolute ACF. */
  quadrupoleMomentM2?: number;
  /** Block length of the FFT correlator (power of two); default chosen by the correlator. */
  blockSize?: number;
  /** Frame index of the first pushed frame, for error messages (default 0). */
  firstFrame?: number;
  /** Name of the data source, for error messages. */
  source?: string;
}

/** The autocorrelation result. */
export interface AcfResult {
  /** Lag step after coarse-graining, fs. */
  dtFs: number;
  /** Lags, ps. */
  lagPs: Float64Array;
  /** Normalised C(t), C(0) = 1. */
  acf: Float64Array;
  /** ⟨ω_Q(t0) ω_Q(t0+t)⟩, rad²/s² (direction- or powder-averaged). */
  acfAbsRad2PerS2: Float64Array;
  /** Per-Li lag sums Σ_t0 (…)(…) in arbitrary units (nLi × (maxLag+1)), for bootstraps over atoms. */
  perLiSums: Float64Array;
  /** Number of origins N − τ at each lag (per Li). */
  origins: Float64Array;
  nLi: number;
  /** Input frames consumed (a trailing partial coarse window is dropped). */
  nFramesIn: number;
  /** Frames correlated (after coarse-graining). */
  nFrames: number;
  coarseFrames: number;
  mode: 'powder' | 'directions';
}

/** Streaming accumulator: push tensor chunks (frames × nLi × 9, V/Å²), then finish(). */
export class AcfAccumulator {
  readonly nLi: number;
  readonly maxLag: number;
  readonly coarse: number;
  private readonly dtFs: number;
  private readonly mode: 'powder' | 'directions';
  private readonly nPer: number; // series per Li
  private readonly dirCoef: Float64Array; // nDir × 5, pre-scaled by √w
  private readonly scale: number; // converts lag sums to rad²/s²
  private readonly corr: BlockedCorrelator;
  private readonly winSum: Float64Array; // coarse-graining window sums, nLi·nPer
  private winCount = 0;
  private readonly row: Float64Array; // one frame of series values
  private readonly v = new Float64Array(5);
  private framesIn: number;
  private readonly frame0: number;
  private readonly source: string;

  constructor(o: AcfOptions) {
    const src = o.source ?? 'tensor series';
    if (!Number.isInteger(o.nLi) || o.nLi < 1) throw new InputError(`${src}: need at least one Li, got nLi = ${o.nLi}`);
    if (!(o.dtFs > 0) || !Number.isFinite(o.dtFs)) throw new InputError(`${src}: dt must be a positive number of fs, got ${o.dtFs}`);
    const coarse = o.coarseFrames ?? 1;
    if (!Number.isInteger(coarse) || coarse < 1) throw new InputError(`${src}: coarse-graining window must be a positive whole number of frames, got ${coarse}`);
    let maxLag: number;
    if (o.maxLagFrames !== undefined) maxLag = o.maxLagFrames;
    else if (o.maxLagFs !== undefined) maxLag = Math.floor(o.maxLagFs / (o.dtFs * coarse) + 1e-9);
    else throw new InputError(`${src}: give the largest lag (maxLagFrames or maxLagFs)`);
    if (!Number.isInteger(maxLag) || maxLag < 0) throw new InputError(`${src}: the largest lag must be a non-negative whole number of frames, got ${maxLag}`);
    this.nLi = o.nLi;
    this.maxLag = maxLag;
    this.coarse = coarse;
    this.dtFs = o.dtFs;
    this.source = src;
    this.frame0 = o.firstFrame ?? 0;
    this.framesIn = 0;
    const kappa = omegaQPerVPerA2(o.quadrupoleMomentM2 ?? Q_LI7_M2);
    const b0 = o.b0 ?? { kind: 'powder' };
    if (b0.kind === 'powder') {
      this.mode = 'powder';
      this.nPer = 5;
      this.dirCoef = new Float64Array(0);
      this.scale = (kappa * kappa * 2) / 15;
    } else {
      this.mode = 'directions';
      const d = b0.directions;
      if (d.length === 0 || d.length % 3 !== 0) throw new InputError(`${src}: directions must be a non-empty list of 3-vectors, got ${d.length} numbers`);
      const nDir = d.length / 3;
      const w = b0.weights ?? new Float64Array(nDir).fill(1 / nDir);
      if (w.length !== nDir) throw new InputError(`${src}: ${w.length} weights for ${nDir} directions`);
      let wsum = 0;
      for (let j = 0; j < nDir; j++) {
        if (!(w[j] >= 0) || !Number.isFinite(w[j])) throw new InputError(`${src}: direction weight ${j} must be finite and ≥ 0, got ${w[j]}`);
        wsum += w[j];
      }
      if (!(wsum > 0)) throw new InputError(`${src}: direction weights sum to zero`);
      this.nPer = nDir;
      this.dirCoef = new Float64Array(5 * nDir);
      for (let j = 0; j < nDir; j++) {
        const c = directionCoefficients(unitVector([d[3 * j], d[3 * j + 1], d[3 * j + 2]], `${src}: direction ${j}`), this.dirCoef.subarray(5 * j, 5 * j + 5));
        const sw = Math.sqrt(w[j] / wsum);
        for (let m = 0; m < 5; m++) c[m] *= sw;
      }
      this.scale = kappa * kappa;
    }
    const nSeries = this.nLi * this.nPer;
    this.corr = new BlockedCorrelator({
      nSeries,
      maxLag,
      groupOf: Int32Array.from({ length: nSeries }, (_, s) => Math.floor(s / this.nPer)),
      blockSize: o.blockSize,
    });
    this.winSum = new Float64Array(nSeries);
    this.row = new Float64Array(nSeries);
  }

  /** Appends nFrames frames of tensors (nFrames × nLi × 9, V/Å²); throws InputError on non-finite values. */
  push(tensors: ArrayLike<number>, nFrames: number): void {
    const nLi = this.nLi, per = this.nPer, v = this.v, row = this.row, w = this.winSum;
    if (!Number.isInteger(nFrames) || nFrames < 0 || tensors.length < nFrames * nLi * 9)
      throw new InputError(`${this.source}: chunk of ${tensors.length} values cannot hold ${nFrames} frames × ${nLi} Li × 9`);
    for (let f = 0; f < nFrames; f++) {
      const base = f * nLi * 9;
      for (let q = 0; q < nLi * 9; q++) {
        if (!Number.isFinite(tensors[base + q])) {
          const li = Math.floor(q / 9), c = q % 9;
          throw new InputError(`${this.source}: non-finite value ${tensors[base + q]} at frame ${this.frame0 + this.framesIn + f}, Li ${li}, component V${'xyz'[Math.floor(c / 3)]}${'xyz'[c % 3]}`);
        }
      }
      for (let i = 0; i < nLi; i++) {
        irreducibleComponents(tensors, base + 9 * i, 1, v, 0);
        if (this.mode === 'powder') {
          for (let m = 0; m < 5; m++) w[5 * i + m] += v[m];
        } else {
          const d = this.dirCoef;
          for (let j = 0; j < per; j++) {
            const q = 5 * j;
            w[i * per + j] += d[q] * v[0] + d[q + 1] * v[1] + d[q + 2] * v[2] + d[q + 3] * v[3] + d[q + 4] * v[4];
          }
        }
      }
      if (++this.winCount === this.coarse) {
        const inv = 1 / this.coarse;
        for (let s = 0; s < row.length; s++) { row[s] = w[s] * inv; w[s] = 0; }
        this.corr.push(row, 1);
        this.winCount = 0;
      }
    }
    this.framesIn += nFrames;
  }

  /** Throws InputError unless a series of this many input frames is long enough for the largest lag. */
  requireFrames(inputFrames: number): void {
    const N = Math.floor(inputFrames / this.coarse), L = this.maxLag;
    if (N <= L) {
      throw new InputError(`${this.source}: too few frames for the requested lags: ${inputFrames} frame(s)` +
        (this.coarse > 1 ? ` (${N} after coarse-graining by ${this.coarse})` : '') +
        ` but the largest lag is ${L} frame(s) (${(L * this.coarse * this.dtFs / 1000).toPrecision(4)} ps); need more than ${L}`);
    }
  }

  /** Finishes: checks there are enough frames for the largest lag and returns the normalised ACF. */
  finish(): AcfResult {
    this.requireFrames(this.framesIn);
    const N = this.corr.framesPushed;
    const L = this.maxLag;
    const r = this.corr.finish();
    const nLi = this.nLi;
    const origins = new Float64Array(L + 1);
    const abs = new Float64Array(L + 1);
    for (let t = 0; t <= L; t++) {
      origins[t] = N - t;
      let s = 0;
      for (let i = 0; i < nLi; i++) s += r.sums[i * (L + 1) + t];
      abs[t] = (this.scale * s) / (nLi * (N - t));
    }
    if (!(abs[0] > 0)) throw new InputError(`${this.source}: ⟨ω_Q²⟩ is zero (all tensors vanish${this.mode === 'directions' ? ' along the chosen B0 directions' : ''}): the ACF is undefined`);
    const acf = new Float64Array(L + 1);
    const lagPs = new Float64Array(L + 1);
    const dt = this.dtFs * this.coarse;
    for (let t = 0; t <= L; t++) { acf[t] = abs[t] / abs[0]; lagPs[t] = (t * dt) / 1000; }
    return {
      dtFs: dt, lagPs, acf, acfAbsRad2PerS2: abs, perLiSums: r.sums, origins, nLi,
      nFramesIn: this.framesIn, nFrames: N, coarseFrames: this.coarse, mode: this.mode,
    };
  }
}

/** ACF of an in-memory tensor series (nFrames × nLi × 9, V/Å²); see {@link AcfOptions}. */
export function tensorAcf(tensors: ArrayLike<number>, o: AcfOptions): AcfResult {
  if (!Number.isInteger(o.nLi) || o.nLi < 1) throw new InputError(`${o.source ?? 'tensor series'}: need at least one Li, got nLi = ${o.nLi}`);
  if (tensors.length % (9 * o.nLi) !== 0)
    throw new InputError(`${o.source ?? 'tensor series'}: ${tensors.length} values is not a whole number of frames of ${o.nLi} Li × 9 tensor components`);
  const acc = new AcfAccumulator(o);
  acc.push(tensors, tensors.length / (9 * o.nLi));
  return acc.finish();
}

/**
 * Recombines per-Li lag sums for a subset of Li atoms (with multiplicity, e.g. a bootstrap resample) into a
 * normalised ACF: C(τ) = [Σ_i n_i S_i(τ)/(N−τ)] / [Σ_i n_i S_i(0)/N].
 */
export function acfFromLiSums(r: Pick<AcfResult, 'perLiSums' | 'origins' | 'nLi'>, counts: ArrayLike<number>, out = new Float64Array(r.origins.length)): Float64Array {
  const L1 = r.origins.length;
  for (let t = 0; t < L1; t++) {
    let s = 0;
    for (let i = 0; i < r.nLi; i++) if (counts[i] !== 0) s += counts[i] * r.perLiSums[i * L1 + t];
    out[t] = s / r.origins[t];
  }
  const c0 = out[0];
  for (let t = 0; t < L1; t++) out[t] /= c0;
  return out;
}
