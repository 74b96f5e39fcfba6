/**
 * Mean squared displacement by FFT (Wiener–Khinchin), streaming over frames with memory set by the
 * largest lag, not by the trajectory length (science.md §5).
 *
 * For one atom with displacements d(k) = r(k) − r(0), k = 0 … N−1, and lag m:
 *   MSD(m) = 1/(N−m) Σ_{k<N−m} |d(k+m) − d(k)|² = [Q(N−m) + Q(N) − Q(m) − 2 S2(m)] / (N−m),
 * with Q(n) = Σ_{k<n} |d(k)|² and S2(m) = Σ_k d(k)·d(k+m). S2 comes from the blocked FFT correlator of
 * src/nmr (ndarray-fft with fixed, short transforms, so round-off does not grow with N); Q(m) for
 * m ≤ maxLag is kept from the start of the run and Q(N−m) from a ring of the last maxLag+1 values.
 */
import { InputError } from '../core/errors';
import { BlockedCorrelator } from '../nmr/correlator';

/** Options of {@link MsdAccumulator}. */
export interface MsdOptions {
  /** Largest lag, frames (≥ 1). The run must hold more frames than this. */
  maxLag: number;
  /** Group (e.g. element) of each atom, 0-based; default: one group. */
  groupOf?: Int32Array;
  /** Names of the groups (default "0", "1", …). */
  groupNames?: string[];
  /** Block length of the FFT correlator (power of two; default min(2048, nextPow2(maxLag+1)), at least 16). */
  blockSize?: number;
}

/** MSD of every atom and of every group (Å²) at lags 0 … maxLag frames. */
export interface MsdResult {
  maxLag: number;
  nFrames: number;
  nAtoms: number;
  /** Per-atom MSD, atom-major: perAtom[i·(maxLag+1) + m], Å². */
  perAtom: Float64Array;
  /** Group averages (equal weight per atom). */
  groups: { name: string; atoms: Int32Array; msd: Float64Array }[];
}

/** Streaming FFT MSD of nAtoms atoms: push unwrapped frames (Å) in order, then finish(). */
export class MsdAccumulator {
  readonly maxLag: number;
  private readonly corr: BlockedCorrelator;
  private readonly chunkFrames: number;
  private readonly chunk: Float64Array;
  private fill = 0;
  private frames = 0;
  private readonly r0: Float64Array;
  private readonly q: Float64Array; // running Q per atom
  private readonly head: Float64Array; // Q(m), m = 0 … maxLag, per atom
  private readonly ring: Float64Array; // Q(n) for the last maxLag+1 values of n, per atom
  private readonly groupOf: Int32Array;
  private readonly groupNames: string[];
  private finished = false;

  /** nAtoms atoms per frame; see {@link MsdOptions}. */
  constructor(readonly nAtoms: number, opts: MsdOptions) {
    if (!Number.isInteger(nAtoms) || nAtoms < 1) throw new InputError(`MSD: need at least one atom, got ${nAtoms}`);
    const L = opts.maxLag;
    if (!Number.isInteger(L) || L < 1) throw new InputError(`MSD: maxLag must be a positive integer number of frames, got ${L}`);
    this.maxLag = L;
    this.groupOf = opts.groupOf ?? new Int32Array(nAtoms);
    if (this.groupOf.length !== nAtoms) throw new InputError(`MSD: groupOf has ${this.groupOf.length} entries for ${nAtoms} atoms`);
    let nG = 0;
    for (const g of this.groupOf) { if (!(Number.isInteger(g) && g >= 0)) throw new InputError(`MSD: group indices must be non-negative integers, got ${g}`); nG = Math.max(nG, g + 1); }
    this.groupNames = opts.groupNames ?? Array.from({ length: nG }, (_, g) => String(g));
    if (this.groupNames.length < nG) throw new InputError(`MSD: ${nG} groups but ${this.groupNames.length} group names`);
    const seriesGroup = Int32Array.from({ length: 3 * nAtoms }, (_, s) => Math.floor(s / 3));
    this.corr = new BlockedCorrelator({ nSeries: 3 * nAtoms, maxLag: L, groupOf: seriesGroup, blockSize: opts.blockSize });
    this.chunkFrames = this.corr.blockSize;
    this.chunk = new Float64Array(this.chunkFrames * 3 * nAtoms);
    this.r0 = new Float64Array(3 * nAtoms);
    this.q = new Float64Array(nAtoms);
    this.head = new Float64Array(nAtoms * (L + 1));
    this.ring = new Float64Array(nAtoms * (L + 1));
  }

  /** Frames pushed so far. */
  get framesPushed(): number {
    return this.frames;
  }

  /** Appends one frame of unwrapped positions (Å, 3·nAtoms). */
  push(frame: ArrayLike<number>): void {
    if (this.finished) throw new InputError('MSD: push after finish');
    const n = this.nAtoms, L = this.maxLag, L1 = L + 1;
    if (frame.length !== 3 * n) throw new InputError(`MSD: frame ${this.frames} has ${frame.length} coordinates, expected ${3 * n} (${n} atoms)`);
    const k = this.frames;
    if (k === 0) for (let c = 0; c < 3 * n; c++) {
      if (!Number.isFinite(frame[c])) throw new InputError(`MSD: atom ${Math.floor(c / 3)} has a non-finite coordinate in frame 0`);
      this.r0[c] = frame[c];
    }
    const base = this.fill * 3 * n;
    const { chunk, r0, q, head, ring } = this;
    for (let i = 0; i < n; i++) {
      const dx = frame[3 * i] - r0[3 * i], dy = frame[3 * i + 1] - r0[3 * i + 1], dz = frame[3 * i + 2] - r0[3 * i + 2];
      const d2 = dx * dx + dy * dy + dz * dz;
      if (!Number.isFinite(d2)) throw new InputError(`MSD: atom ${i} has a non-finite coordinate in frame ${k}`);
      chunk[base + 3 * i] = dx; chunk[base + 3 * i + 1] = dy; chunk[base + 3 * i + 2] = dz;
      if (k <= L) head[i * L1 + k] = q[i]; // Q(k)
      q[i] += d2;
      ring[i * L1 + ((k + 1) % L1)] = q[i]; // Q(k+1)
    }
    this.frames++;
    if (++this.fill === this.chunkFrames) this.flush();
  }

  private flush(): void {
    if (this.fill > 0) this.corr.push(this.chunk, this.fill);
    this.fill = 0;
  }

  /** MSD per atom and per group (Å²) at lags 0 … maxLag frames. */
  finish(): MsdResult {
    if (this.finished) throw new InputError('MSD: finish called twice');
    const N = this.frames, L = this.maxLag, L1 = L + 1, n = this.nAtoms;
    if (N <= L) throw new InputError(`MSD: ${N} frames are too few for lags up to ${L} frames (need at least ${L + 1}); lower the maximum lag`);
    this.flush();
    this.finished = true;
    const { sums } = this.corr.finish();
    const perAtom = new Float64Array(n * L1);
    for (let i = 0; i < n; i++) {
      const qN = this.q[i];
      for (let m = 0; m <= L; m++) {
        const qNm = this.ring[i * L1 + ((N - m) % L1)];
        const v = (qNm + qN - this.head[i * L1 + m] - 2 * sums[i * L1 + m]) / (N - m);
        perAtom[i * L1 + m] = m === 0 ? 0 : Math.max(0, v); // round-off can leave −1e-15 at tiny lags
      }
    }
    const groups = this.groupNames.map((name, g) => {
      const atoms = Int32Array.from(this.groupOf.reduce<number[]>((a, x, i) => (x === g ? (a.push(i), a) : a), []));
      const msd = new Float64Array(L1);
      for (const i of atoms) for (let m = 0; m <= L; m++) msd[m] += perAtom[i * L1 + m] / atoms.length;
      return { name, atoms, msd };
    });
    return { maxLag: L, nFrames: N, nAtoms: n, perAtom, groups };
  }
}

/** FFT MSD of a whole in-memory trajectory: frames (nFrames × 3·nAtoms, unwrapped, Å), lags 0 … maxLag frames. */
export function msdOfFrames(frames: ArrayLike<number>, nAtoms: number, opts: MsdOptions): MsdResult {
  if (frames.length % (3 * nAtoms) !== 0) throw new InputError(`MSD: ${frames.length} coordinates are not a whole number of frames of ${nAtoms} atoms`);
  const nFrames = frames.length / (3 * nAtoms);
  const acc = new MsdAccumulator(nAtoms, opts);
  const view = new Float64Array(3 * nAtoms);
  for (let f = 0; f < nFrames; f++) {
    for (let c = 0; c < 3 * nAtoms; c++) view[c] = frames[f * 3 * nAtoms + c];
    acc.push(view);
  }
  return acc.finish();
}

/**
 * MSD when the trajectory length is not known in advance: with `maxLag` given it streams at once;
 * otherwise it keeps up to 2·defaultMaxLag+1 frames, and uses lags up to defaultMaxLag (default 4096
 * frames) for longer runs or up to half the run for shorter ones.
 */
export class AutoLagMsd {
  private acc?: MsdAccumulator;
  private buffer: Float64Array[] = [];
  private readonly defaultMaxLag: number;

  /** nAtoms per frame; opts as {@link MsdOptions} with an optional maxLag and the default cap. */
  constructor(readonly nAtoms: number, private readonly opts: Omit<MsdOptions, 'maxLag'> & { maxLag?: number; defaultMaxLag?: number }) {
    this.defaultMaxLag = opts.defaultMaxLag ?? 4096;
    if (!Number.isInteger(this.defaultMaxLag) || this.defaultMaxLag < 1) throw new InputError(`MSD: defaultMaxLag must be a positive integer, got ${this.defaultMaxLag}`);
    if (opts.maxLag !== undefined) this.acc = new MsdAccumulator(nAtoms, { ...opts, maxLag: opts.maxLag });
  }

  /** Appends one frame of unwrapped positions (Å, 3·nAtoms). */
  push(frame: ArrayLike<number>): void {
    if (this.acc) { this.acc.push(frame); return; }
    if (frame.length !== 3 * this.nAtoms) throw new InputError(`MSD: frame ${this.buffer.length} has ${frame.length} coordinates, expected ${3 * this.nAtoms}`);
    this.buffer.push(Float64Array.from(frame));
    if (this.buffer.length === 2 * this.defaultMaxLag + 1) this.start(this.defaultMaxLag);
  }

  private start(maxLag: number): void {
    this.acc = new MsdAccumulator(this.nAtoms, { ...this.opts, maxLag });
    for (const f of this.buffer) this.acc.push(f);
    this.buffer = [];
  }

  /** The MSD result (see {@link MsdAccumulator.finish}). */
  finish(): MsdResult {
    if (!this.acc) {
      const n = this.buffer.length;
      if (n < 3) throw new InputError(`MSD: ${n} frame(s) are too few (need at least 3)`);
      this.start(Math.floor((n - 1) / 2));
    }
    return this.acc!.finish();
  }
}
