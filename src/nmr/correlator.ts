/**
 * Streaming, blocked FFT autocorrelation sums S(τ) = Σ_t x[t]·x[t+τ], τ = 0…maxLag, of many real series at once.
 *
 * Why blocked: ndarray-fft's round-off grows with the transform length (twiddles by recurrence; ~1e-6 at 2^20),
 * so one zero-padded transform of a million-frame series would miss the 1e-9 target. Here the series is cut into
 * blocks of B frames and every transform has the fixed size M = 2B (default B ≤ 2048, round-off ~1e-12).
 * With A_j = FFT(block j, zero-padded) and Y_k = FFT(blocks k and k+1), the cross-spectrum Σ_j conj(A_j)·Y_{j+g}
 * is the transform of the sums for lags gB … gB+B−1 (lag group g = 0…G−1, G = ⌈(maxLag+1)/B⌉). Spectra of one
 * block (a real block and a real window) come from one complex FFT (packing a + i·y); the cross-spectra are summed
 * over blocks and series before a single inverse transform per lag group at the end.
 * State per series: 2B samples plus G half-spectra (≈ 2·maxLag + 4B numbers) — independent of the series length.
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
  private readonly time: Float64Array; // nSeries × 2B: [previous block | current block]
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
    this.time = new Float64Array(this.nSeries * 2 * B);
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
    const B = this.blockSize, S = this.nSeries, twoB = 2 * B;
    let f = 0;
    while (f < nFrames) {
      const take = Math.min(B - this.fill, nFrames - f);
      for (let s = 0; s < S; s++) {
        const base = s * twoB + B + this.fill;
        for (let k = 0; k < take; k++) this.time[base + k] = chunk[(f + k) * S + s];
      }
      this.fill += take;
      f += take;
      this.frames += take;
      if (this.fill === B) this.step();
    }
  }

  /** Processes the current (full or zero-padded) block: accumulates conj(A_{m−1−g})·Y_{m−1}, stores A_m, shifts. */
  private step(): void {
    const B = this.blockSize, M = this.M, H = this.H, G = this.G, twoB = 2 * B;
    const m = this.block;
    const re = this.fft.re, im = this.fft.im;
    for (let s = 0; s < this.nSeries; s++) {
      const t = s * twoB;
      // a_m = current block zero-padded; y_{m−1} = [previous | current]
      for (let k = 0; k < B; k++) { re[k] = this.time[t + B + k]; re[B + k] = 0; }
      for (let k = 0; k < twoB; k++) im[k] = this.time[t + k];
      this.fft.forward();
      const ringS = s * G * 2 * H;
      const slotNew = (m % G) * 2 * H;
      const accG = this.groupOf[s] * G * 2 * H;
      for (let k = 0; k < H; k++) {
        const kk = k === 0 ? 0 : M - k;
        const zr = re[k], zi = im[k], wr = re[kk], wi = -im[kk]; // w = conj(Z[M−k])
        const yr = (zi - wi) / 2, yi = -(zr - wr) / 2; // Y = (Z − conj Z[M−k]) / (2i)
        if (m >= 1) {
          for (let g = 0; g < G; g++) {
            const j = m - 1 - g;
            if (j < 0) break;
            const a = ringS + (j % G) * 2 * H + 2 * k;
            const ar = this.ring[a], ai = this.ring[a + 1];
            const o = accG + g * 2 * H + 2 * k;
            this.acc[o] += ar * yr + ai * yi;
            this.acc[o + 1] += ar * yi - ai * yr;
          }
        }
        // A = (Z + conj Z[M−k]) / 2, stored after use of the slot it replaces (A_{m−G}, used above with g = G−1)
        this.ring[ringS + slotNew + 2 * k] = (zr + wr) / 2;
        this.ring[ringS + slotNew + 2 * k + 1] = (zi + wi) / 2;
      }
      // shift: current block becomes previous, current cleared
      this.time.copyWithin(t, t + B, t + twoB);
      this.time.fill(0, t + B, t + twoB);
    }
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
