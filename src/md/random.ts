/**
 * Reproducible random streams for MD (xoshiro128**, Blackman & Vigna 2018) with a serialisable state,
 * so that a checkpoint restores the exact sequence. Seeds are expanded with splitmix32; independent
 * streams come from (seed, stream id) pairs.
 */
import { InputError } from '../core/errors';

/** JSON-able state of an {@link Rng}: four uint32 words and the cached second normal deviate. */
export interface RngState {
  s: [number, number, number, number];
  spare: number | null;
}

function splitmix32(x: number): [number, number] {
  x = (x + 0x9e3779b9) >>> 0;
  let z = x;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
  return [x, (z ^ (z >>> 16)) >>> 0];
}

/** A seeded uniform/normal/gamma generator with an exactly restorable state. */
export class Rng {
  private s0 = 0; private s1 = 0; private s2 = 0; private s3 = 0;
  private spare = 0;
  private hasSpare = false;

  /** A generator for integer `seed` and stream number `stream` (distinct streams are independent). */
  constructor(seed: number, stream = 0) {
    if (!Number.isSafeInteger(seed) || !Number.isSafeInteger(stream)) throw new InputError(`random seed and stream must be integers, got ${seed}, ${stream}`);
    let x = (seed >>> 0) ^ Math.imul(Math.floor(seed / 4294967296) >>> 0, 0x27d4eb2d);
    [x] = splitmix32(x ^ Math.imul(stream >>> 0, 0x165667b1));
    const w: number[] = [];
    for (let k = 0; k < 4; k++) { const r = splitmix32(x); x = r[0]; w.push(r[1]); }
    if (!w.some((v) => v !== 0)) w[0] = 1;
    [this.s0, this.s1, this.s2, this.s3] = w;
  }

  /** A generator positioned exactly at a saved state. */
  static fromState(state: RngState): Rng {
    const r = new Rng(0);
    r.setState(state);
    return r;
  }

  /** Next 32-bit unsigned integer. */
  nextUint32(): number {
    const s0 = this.s0, s1 = this.s1;
    const r = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
    const t = (s1 << 9) >>> 0;
    this.s2 = (this.s2 ^ s0) >>> 0;
    this.s3 = (this.s3 ^ s1) >>> 0;
    this.s1 = (s1 ^ this.s2) >>> 0;
    this.s0 = (s0 ^ this.s3) >>> 0;
    this.s2 = (this.s2 ^ t) >>> 0;
    this.s3 = rotl(this.s3, 11);
    return r;
  }

  /** Uniform double in [0, 1) with 53 random bits. */
  uniform(): number {
    const a = this.nextUint32() >>> 5, b = this.nextUint32() >>> 6;
    return (a * 67108864 + b) / 9007199254740992;
  }

  /** Standard normal deviate (Box–Muller; the second value of each pair is cached). */
  normal(): number {
    if (this.hasSpare) { this.hasSpare = false; return this.spare; }
    const r = Math.sqrt(-2 * Math.log(1 - this.uniform()));
    const phi = 2 * Math.PI * this.uniform();
    this.spare = r * Math.sin(phi);
    this.hasSpare = true;
    return r * Math.cos(phi);
  }

  /** Gamma(shape, 1) deviate for shape > 0 (Marsaglia & Tsang 2000; boost for shape < 1). */
  gamma(shape: number): number {
    if (!(shape > 0)) throw new InputError(`gamma shape must be positive, got ${shape}`);
    if (shape < 1) return this.gamma(shape + 1) * Math.pow(1 - this.uniform(), 1 / shape);
    const d = shape - 1 / 3, c = 1 / Math.sqrt(9 * d);
    for (;;) {
      let x: number, v: number;
      do { x = this.normal(); v = 1 + c * x; } while (v <= 0);
      v = v * v * v;
      const u = 1 - this.uniform();
      if (u < 1 - 0.0331 * x * x * x * x) return d * v;
      if (Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
    }
  }

  /** Sum of n squared standard normal deviates (χ² with n degrees of freedom), n ≥ 0. */
  chiSquared(n: number): number {
    if (n === 0) return 0;
    if (n < 20) { let s = 0; for (let k = 0; k < n; k++) { const g = this.normal(); s += g * g; } return s; }
    return 2 * this.gamma(n / 2);
  }

  /** Fills `out` with standard normal deviates. */
  fillNormal(out: Float64Array): Float64Array {
    for (let i = 0; i < out.length; i++) out[i] = this.normal();
    return out;
  }

  /** The exact current state (JSON-able). */
  getState(): RngState {
    return { s: [this.s0, this.s1, this.s2, this.s3], spare: this.hasSpare ? this.spare : null };
  }

  /** Restores a state from {@link getState}; throws InputError when malformed. */
  setState(state: RngState): void {
    const s = state?.s;
    if (!Array.isArray(s) || s.length !== 4 || !s.every((v) => Number.isInteger(v) && v >= 0 && v < 4294967296) || s.every((v) => v === 0))
      throw new InputError('random state must have s = four uint32 words, not all zero');
    if (state.spare !== null && typeof state.spare !== 'number') throw new InputError('random state spare must be a number or null');
    [this.s0, this.s1, this.s2, this.s3] = s;
    this.hasSpare = state.spare !== null;
    this.spare = state.spare ?? 0;
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}
