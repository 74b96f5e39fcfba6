/**
 * Streaming, blocked FFT autocorrelation sums S(τ) = Σ_t x[t]·x[t+τ], τ = 0…maxLag, of many real series at once.
 *
 * Why blocked: ndarray-fft's round-off grows with the transform length (twiddles by recurrence; ~1e-6 at 2^20),
 * so one zero-padded transform of a million-frame series would miss the 1e-9 target. Here the series is cut into
 * blocks of B frames and every transform has the fixed size M = 2B (default B ≤ 2048, round-off ~1e-12).
 * With A_j = FFT(block j, zero-padded) and Y_k = FFT(blocks k and k+1) = A_k + (−1)^n A_{k+1}, the cross-spectrum
 * Σ_j conj(A_j)·Y_{j+g} is the transform of the sums for lags gB … gB+B−1 (lag group g = 0…G−1,
 * G = ⌈(maxLag+1)/B⌉). Two real series share one complex FFT per block; the cross-spectra are summed over blocks
 * and series (per group) before a single inverse transform per lag group at the end.
 * State per series: B samples plus G half-spectra (≈ 2·maxLag + 3B numbers) — independent of the series length.
 */
import { InputError } from '../core/errors';
import { ComplexFft } from './fft';

/** Options of {@link BlockedCorrelator}. */
export interface CorrelatorOptions {
  /** Number of series pushed together (frame-major chunks: chunk[f·nSeries + s]). */
  nSeries: number;
  /** Largest lag, frames. */
  maxLag: number;
  /** Group of each series (sums are kept per group, e.g. per Li atom); default: one group per series. */
  groupOf?: Int32Array;
  /** Block length B (power of two); default min(2048, nextPow2(maxLag + 1)), at least 16. */
  blockSize?: number;
}

/** Result of {@link BlockedCorrelator.finish}. */
export interface CorrelationSums {
  maxLag: number;
  /** Frames pushed per series. */
  nFrames: number;
  nGroups: number;
  /** Σ over the group's series of Σ_t x[t]x[t+τ]: nGroups × (maxLag+1), group-major. */
  sums: Float64Array;
}

/** Smallest power of two ≥ n. */
export function nextPow2(n: number): number {
  let p = 1;
  while (p < n) p *= 2;
  return p;
}

/** Streaming blocked-FFT autocorrelation sums of many series (see the file header for the method). */
export class BlockedCorrelator {
  readonly nSeries: number;
  readonly maxLag: number;
  readonly nGroups: number;
  readonly blockSize: number;
  private readonly groupOf: Int32Array;
  private readonly M: number;
  private readonly H: number; // M/2 + 1 half-spectrum bins
  private readonly G: number;
  private readonly time: Float64Array; // nSeries × B: the current block
  private fill = 0; // frames in the current block
  private block = 0; // index of the current block
  private frames = 0;
  private readonly ring: Float64Array; // nSeries × G × 2H (re, im interleaved)
  private readonly acc: Float64Array; // nGroups × G × 2H
  private readonly fft: ComplexFft;
  private finished = false;

  constructor(o: CorrelatorOptions) {
    if (!Number.isInteger(o.nSeries) || o.nSeries < 1) throw new InputError(`correlator: nSeries must be a positive integer, got ${o.nSeries}`);
    if (!Number.isInteger(o.maxLag) || o.maxLag < 0) throw new InputError(`correlator: maxLag must be a non-negative integer (frames), got ${o.maxLag}`);
    this.nSeries = o.nSeries;
    this.maxLag = o.maxLag;
    const B = o.blockSize ?? Math.max(16, Math.min(2048, nextPow2(o.maxLag + 1)));
    if (B < 1 || nextPow2(B) !== B) throw new InputError(`correlator: blockSize must be a power of two, got ${B}`);
    this.blockSize = B;
    this.M = 2 * B;
    this.H = B + 1;
    this.G = Math.ceil((o.maxLag + 1) / B);
    if (o.groupOf) {
      if (o.groupOf.length !== o.nSeries) throw new InputError(`correlator: groupOf has ${o.groupOf.length} entries for ${o.nSeries} series`);
      let g = 0;
      for (const x of o.groupOf) { if (!(x >= 0)) throw new InputError('correlator: negative group index'); g = Math.max(g, x + 1); }
      this.groupOf = o.groupOf;
      this.nGroups = g;
    } else {
      this.groupOf = Int32Array.from({ length: o.nSeries }, (_, i) => i);
      this.nGroups = o.nSeries;
    }
    this.time = new Float64Array(this.nSeries * B);
    this.ring = new Float64Array(this.nSeries * this.G * 2 * this.H);
    this.acc = new Float64Array(this.nGroups * this.G * 2 * this.H);
    this.fft = new ComplexFft(this.M);
  }

  /** Frames pushed so far. */
  get framesPushed(): number {
    return this.frames;
  }

  /** Appends nFrames frames (chunk[f·nSeries + s], f < nFrames). Values must be finite (checked by the caller). */
  push(chunk: ArrayLike<number>, nFrames: number): void {
    if (this.finished) throw new InputError('correlator: push after finish');
    if (chunk.length < nFrames * this.nSeries) throw new InputError(`correlator: chunk holds ${chunk.length} values, expected ${nFrames}·${this.nSeries}`);
    const B = this.blockSize, S = this.nSeries;
    let f = 0;
    while (f < nFrames) {
      const take = Math.min(B - this.fill, nFrames - f);
      for (let s = 0; s < S; s++) {
        const base = s * B + this.fill;
        for (let k = 0; k < take; k++) this.time[base + k] = chunk[(f + k) * S + s];
      }
      this.fill += take;
      f += take;
      this.frames += take;
      if (this.fill === B) this.step();
    }
  }

  /**
   * Processes the current (full or zero-padded) block m: A_m = FFT([x_m, 0]) for two series per complex FFT;
   * Y_{m−1} = FFT([x_{m−1}, x_m]) = A_{m−1} + (−1)^k A_m (a shift by M/2); accumulates conj(A_{m−1−g})·Y_{m−1}
   * and stores A_m in the ring.
   */
  private step(): void {
    const B = this.blockSize, M = this.M, H = this.H, G = this.G;
    const m = this.block;
    const re = this.fft.re, im = this.fft.im;
    const ring = this.ring, acc = this.acc, time = this.time;
    for (let s0 = 0; s0 < this.nSeries; s0 += 2) {
      const pair = s0 + 1 < this.nSeries;
      for (let k = 0; k < B; k++) {
        re[k] = time[s0 * B + k];
        im[k] = pair ? time[(s0 + 1) * B + k] : 0;
        re[B + k] = 0;
        im[B + k] = 0;
      }
      this.fft.forward();
      for (let q = 0; q < (pair ? 2 : 1); q++) {
        const s = s0 + q;
        const ringS = s * G * 2 * H;
        const slotNew = ringS + (m % G) * 2 * H;
        const slotPrev = ringS + ((m + G - 1) % G) * 2 * H;
        const accG = this.groupOf[s] * G * 2 * H;
        for (let k = 0; k < H; k++) {
          const kk = k === 0 ? 0 : M - k;
          const zr = re[k], zi = im[k], wr = re[kk], wi = -im[kk]; // w = conj(Z[M−k])
          // series s0: (Z + w)/2; series s0+1: (Z − w)/(2i)
          const ar = q === 0 ? (zr + wr) / 2 : (zi - wi) / 2;
          const ai = q === 0 ? (zi + wi) / 2 : -(zr - wr) / 2;
          if (m >= 1) {
            const sign = (k & 1) === 0 ? 1 : -1;
            const yr = ring[slotPrev + 2 * k] + sign * ar, yi = ring[slotPrev + 2 * k + 1] + sign * ai;
            for (let g = 0; g < G; g++) {
              const j = m - 1 - g;
              if (j < 0) break;
              const a = ringS + (j % G) * 2 * H + 2 * k;
              const br = ring[a], bi = ring[a + 1];
              const o = accG + g * 2 * H + 2 * k;
              acc[o] += br * yr + bi * yi;
              acc[o + 1] += br * yi - bi * yr;
            }
          }
          // A_m replaces A_{m−G} (read above with g = G−1; with G = 1 that is A_{m−1}, also read above)
          ring[slotNew + 2 * k] = ar;
          ring[slotNew + 2 * k + 1] = ai;
        }
      }
    }
    time.fill(0);
    this.fill = 0;
    this.block++;
  }

  /** Flushes the last partial block and returns the lag sums per group. */
  finish(): CorrelationSums {
    if (this.finished) throw new InputError('correlator: finish called twice');
    if (this.frames === 0) throw new InputError('correlator: no frames were pushed');
    if (this.fill > 0) this.step(); // zero-padded partial block
    this.step(); // a zero block: pairs the last block's window Y_last
    this.finished = true;
    const B = this.blockSize, M = this.M, H = this.H, G = this.G, L = this.maxLag;
    const sums = new Float64Array(this.nGroups * (L + 1));
    const re = this.fft.re, im = this.fft.im;
    for (let q = 0; q < this.nGroups; q++) for (let g = 0; g < G; g++) {
      const o = q * G * 2 * H + g * 2 * H;
      for (let k = 0; k < H; k++) { re[k] = this.acc[o + 2 * k]; im[k] = this.acc[o + 2 * k + 1]; }
      for (let k = 1; k < B; k++) { re[M - k] = re[k]; im[M - k] = -im[k]; }
      this.fft.inverse();
      for (let k = 0; k < B; k++) {
        const lag = g * B + k;
        if (lag > L) break;
        sums[q * (L + 1) + lag] = re[k];
      }
    }
    return { maxLag: L, nFrames: this.frames, nGroups: this.nGroups, sums };
  }
}
