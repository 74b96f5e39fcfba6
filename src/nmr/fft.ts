/**
 * Thin typed wrapper of ndarray-fft (the design card's FFT) for fixed-length complex transforms held in two
 * Float64Arrays. The forward transform is unscaled; the inverse divides by n. Keep n moderate (≤ 2^13): the
 * library's round-off grows with n (see correlator.ts).
 */
/* eslint-disable @typescript-eslint/no-require-imports */
const ndfft: (dir: number, re: unknown, im: unknown) => void = require('ndarray-fft');
const ndarray: (data: Float64Array) => unknown = require('ndarray');

/** In-place complex FFT of length n on (re, im) buffers owned by the instance. */
export class ComplexFft {
  readonly n: number;
  readonly re: Float64Array;
  readonly im: Float64Array;
  private readonly reN: unknown;
  private readonly imN: unknown;
  constructor(n: number) {
    this.n = n;
    this.re = new Float64Array(n);
    this.im = new Float64Array(n);
    this.reN = ndarray(this.re);
    this.imN = ndarray(this.im);
  }
  /** Forward transform of (re, im) in place (unscaled). */
  forward(): void {
    ndfft(1, this.reN, this.imN);
  }
  /** Inverse transform of (re, im) in place (scaled by 1/n). */
  inverse(): void {
    ndfft(-1, this.reN, this.imN);
  }
}
