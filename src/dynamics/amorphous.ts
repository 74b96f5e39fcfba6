/**
 * Hop analysis without crystallographic sites (amorphous structures, science.md §5):
 * (1) hops from window-averaged displacements above a threshold, for several thresholds at once;
 * (2) sites from the Li density: a periodic voxel histogram of positions, Gaussian-smoothed, whose local
 *     maxima (above a multiple of the mean density, at least a minimum separation apart) become sites
 *     for the hysteresis tracker of ./hops.
 */
import { InputError } from '../core/errors';
import { inv3, MinimumImage, perpendicularWidths, type Mat3 } from '../core/cell';
import type { SiteSet } from './sites';

/** Options of {@link WindowedDisplacementHops}. */
export interface WindowedHopsOptions {
  /** Frames averaged per window (≥ 1). */
  windowFrames: number;
  /** Displacement thresholds, Å (each counted separately; typical 1.5–2.5). */
  thresholdsA: number[];
}

/** Hop counts per threshold from {@link WindowedDisplacementHops.finish}. */
export interface WindowedHopsResult {
  windowFrames: number;
  windowPs: number;
  nWindows: number;
  nIons: number;
  durationPs: number;
  thresholds: { thresholdA: number; hops: number; ratePerPs: number; rateErrPerPs: number }[];
}

/**
 * Streaming windowed-displacement hop counter: the unwrapped positions of each ion are averaged over
 * consecutive windows; a hop is counted when a window mean lies farther than the threshold from the
 * ion's anchor (its first window mean), and the anchor then moves to that window mean.
 */
export class WindowedDisplacementHops {
  private readonly sum: Float64Array;
  private readonly anchor: Float64Array; // per threshold × ion × 3
  private readonly hops: Float64Array; // per threshold
  private fill = 0;
  private windows = 0;
  private frames = 0;
  private readonly th2: number[];

  /** nIons ions per frame; see {@link WindowedHopsOptions}. */
  constructor(readonly nIons: number, readonly opts: WindowedHopsOptions) {
    if (!Number.isInteger(nIons) || nIons < 1) throw new InputError(`windowed hops: need at least one ion, got ${nIons}`);
    if (!Number.isInteger(opts.windowFrames) || opts.windowFrames < 1) throw new InputError(`windowed hops: the window must be a positive integer number of frames, got ${opts.windowFrames}`);
    if (opts.thresholdsA.length === 0 || !opts.thresholdsA.every((t) => t > 0 && Number.isFinite(t))) throw new InputError(`windowed hops: thresholds must be positive numbers of Å, got ${opts.thresholdsA.join(', ')}`);
    this.sum = new Float64Array(3 * nIons);
    this.anchor = new Float64Array(opts.thresholdsA.length * 3 * nIons);
    this.hops = new Float64Array(opts.thresholdsA.length);
    this.th2 = opts.thresholdsA.map((t) => t * t);
  }

  /** Adds one frame of unwrapped ion positions (Å, 3·nIons). */
  push(unwrapped: ArrayLike<number>): void {
    const n = this.nIons;
    if (unwrapped.length !== 3 * n) throw new InputError(`windowed hops: frame ${this.frames} has ${unwrapped.length} coordinates, expected ${3 * n}`);
    for (let c = 0; c < 3 * n; c++) {
      if (!Number.isFinite(unwrapped[c])) throw new InputError(`windowed hops: ion ${Math.floor(c / 3)} has a non-finite coordinate in frame ${this.frames}`);
      this.sum[c] += unwrapped[c];
    }
    this.frames++;
    if (++this.fill < this.opts.windowFrames) return;
    const w = this.opts.windowFrames;
    for (let t = 0; t < this.th2.length; t++) {
      const base = t * 3 * n;
      for (let i = 0; i < n; i++) {
        const x = this.sum[3 * i] / w, y = this.sum[3 * i + 1] / w, z = this.sum[3 * i + 2] / w;
        const a = base + 3 * i;
        if (this.windows > 0) {
          const d2 = (x - this.anchor[a]) ** 2 + (y - this.anchor[a + 1]) ** 2 + (z - this.anchor[a + 2]) ** 2;
          if (d2 <= this.th2[t]) continue;
          this.hops[t]++;
        }
        this.anchor[a] = x; this.anchor[a + 1] = y; this.anchor[a + 2] = z;
      }
    }
    this.sum.fill(0);
    this.fill = 0;
    this.windows++;
  }

  /** Counts and rates (per ion, 1/ps) for frames dtFs apart; the duration is that of the complete windows. */
  finish(dtFs: number): WindowedHopsResult {
    if (!(dtFs > 0 && Number.isFinite(dtFs))) throw new InputError(`windowed hops: the time between frames must be a positive number of fs, got ${dtFs}`);
    if (this.windows < 2) throw new InputError(`windowed hops: ${this.windows} complete window(s) of ${this.opts.windowFrames} frames; need at least 2 (more frames or a shorter window)`);
    const windowPs = (this.opts.windowFrames * dtFs) / 1000, durationPs = this.windows * windowPs;
    return {
      windowFrames: this.opts.windowFrames, windowPs, nWindows: this.windows, nIons: this.nIons, durationPs,
      thresholds: this.opts.thresholdsA.map((thresholdA, t) => ({
        thresholdA, hops: this.hops[t], ratePerPs: this.hops[t] / (this.nIons * durationPs), rateErrPerPs: Math.sqrt(this.hops[t]) / (this.nIons * durationPs),
      })),
    };
  }
}

/** Options of {@link DensitySites.findSites}. */
export interface DensitySiteOptions {
  /** σ of the Gaussian smoothing, Å (default 0.3). */
  smoothingA?: number;
  /** Smallest distance between two sites, Å (default 1.2). */
  minSeparationA?: number;
  /** A peak must exceed this multiple of the mean Li density (default 3). */
  minDensityRatio?: number;
}

/** Sites found in the density, with the smoothed density at each (ions/Å³ averaged over frames). */
export interface DensitySiteResult {
  sites: SiteSet;
  peakDensity: Float64Array;
  meanDensity: number;
  options: Required<DensitySiteOptions>;
}

/** Periodic voxel histogram of ion positions over frames (memory: the grid only). */
export class DensitySites {
  private readonly nv: [number, number, number];
  private readonly grid: Float64Array;
  private readonly hinv: Float64Array;
  private frames = 0;
  private points = 0;

  /** cell (rows, Å) fixed for the analysis; voxelA the voxel width (Å, default 0.2). */
  constructor(readonly cell: Mat3, voxelA = 0.2) {
    if (!(voxelA > 0)) throw new InputError(`density sites: voxel width must be positive (Å), got ${voxelA}`);
    this.hinv = inv3(cell);
    const w = perpendicularWidths(cell);
    this.nv = w.map((x) => Math.max(4, Math.round(x / voxelA))) as [number, number, number];
    const total = this.nv[0] * this.nv[1] * this.nv[2];
    if (total > 64e6) throw new InputError(`density sites: ${total} voxels is too many; use a coarser voxel than ${voxelA} Å`);
    this.grid = new Float64Array(total);
  }

  /** Adds the ions of one frame (Å, 3 per ion; wrapped or not). */
  push(positions: ArrayLike<number>): void {
    const h = this.hinv, nv = this.nv;
    for (let i = 0; i < positions.length; i += 3) {
      const x = positions[i], y = positions[i + 1], z = positions[i + 2];
      if (!(Number.isFinite(x) && Number.isFinite(y) && Number.isFinite(z))) throw new InputError(`density sites: ion ${i / 3} has a non-finite coordinate in frame ${this.frames}`);
      let f0 = x * h[0] + y * h[3] + z * h[6], f1 = x * h[1] + y * h[4] + z * h[7], f2 = x * h[2] + y * h[5] + z * h[8];
      f0 -= Math.floor(f0); f1 -= Math.floor(f1); f2 -= Math.floor(f2);
      const a = Math.min(nv[0] - 1, Math.floor(f0 * nv[0])), b = Math.min(nv[1] - 1, Math.floor(f1 * nv[1])), c = Math.min(nv[2] - 1, Math.floor(f2 * nv[2]));
      this.grid[(a * nv[1] + b) * nv[2] + c]++;
      this.points++;
    }
    this.frames++;
  }

  /** Local maxima of the smoothed density as sites (one type, "site"). */
  findSites(opts: DensitySiteOptions = {}): DensitySiteResult {
    const o: Required<DensitySiteOptions> = { smoothingA: opts.smoothingA ?? 0.3, minSeparationA: opts.minSeparationA ?? 1.2, minDensityRatio: opts.minDensityRatio ?? 3 };
    if (this.frames === 0 || this.points === 0) throw new InputError('density sites: no positions were added');
    if (!(o.smoothingA >= 0 && o.minSeparationA > 0 && o.minDensityRatio > 0)) throw new InputError(`density sites: bad options ${JSON.stringify(o)}`);
    const nv = this.nv, cell = this.cell;
    const vol = Math.abs(cell[0] * (cell[4] * cell[8] - cell[5] * cell[7]) - cell[1] * (cell[3] * cell[8] - cell[5] * cell[6]) + cell[2] * (cell[3] * cell[7] - cell[4] * cell[6]));
    const voxelVol = vol / (nv[0] * nv[1] * nv[2]);
    const rho = Float64Array.from(this.grid, (x) => x / (this.frames * voxelVol)); // ions/Å³
    // separable periodic Gaussian along each lattice direction (σ in voxels along that vector)
    for (let k = 0; k < 3; k++) {
      const len = Math.hypot(cell[3 * k], cell[3 * k + 1], cell[3 * k + 2]) / nv[k];
      const s = o.smoothingA / len;
      if (s < 0.2) continue;
      const r = Math.ceil(3 * s);
      const kern = Float64Array.from({ length: 2 * r + 1 }, (_, j) => Math.exp(-0.5 * ((j - r) / s) ** 2));
      const norm = kern.reduce((a, b) => a + b, 0);
      const line = new Float64Array(nv[k]);
      const strides = [nv[1] * nv[2], nv[2], 1];
      const [o1, o2] = [0, 1, 2].filter((x) => x !== k);
      for (let a = 0; a < nv[o1]; a++) for (let b = 0; b < nv[o2]; b++) {
        const base = a * strides[o1] + b * strides[o2];
        for (let t = 0; t < nv[k]; t++) {
          let acc = 0;
          for (let j = -r; j <= r; j++) acc += kern[j + r] * rho[base + (((t + j) % nv[k]) + nv[k]) % nv[k] * strides[k]];
          line[t] = acc / norm;
        }
        for (let t = 0; t < nv[k]; t++) rho[base + t * strides[k]] = line[t];
      }
    }
    const mean = this.points / (this.frames * vol);
    const cut = o.minDensityRatio * mean;
    const idx = (a: number, b: number, c: number) => ((((a % nv[0]) + nv[0]) % nv[0]) * nv[1] + (((b % nv[1]) + nv[1]) % nv[1])) * nv[2] + (((c % nv[2]) + nv[2]) % nv[2]);
    const peaks: { v: number; f: number[] }[] = [];
    for (let a = 0; a < nv[0]; a++) for (let b = 0; b < nv[1]; b++) for (let c = 0; c < nv[2]; c++) {
      const v = rho[(a * nv[1] + b) * nv[2] + c];
      if (v < cut) continue;
      let isMax = true;
      for (let da = -1; da <= 1 && isMax; da++) for (let db = -1; db <= 1 && isMax; db++) for (let dc = -1; dc <= 1; dc++) {
        const q = rho[idx(a + da, b + db, c + dc)];
        if (q > v || (q === v && idx(a + da, b + db, c + dc) < idx(a, b, c))) { isMax = false; break; }
      }
      if (!isMax) continue;
      // sub-voxel position: a parabola through the logarithms of the three values along each axis (exact for a Gaussian peak)
      const at = (k: number, d: number) => Math.log(Math.max(1e-300, rho[idx(a + (k === 0 ? d : 0), b + (k === 1 ? d : 0), c + (k === 2 ? d : 0))]));
      const off = [0, 1, 2].map((k) => {
        const m = at(k, -1), z = at(k, 0), p = at(k, 1), den = m - 2 * z + p;
        return den < 0 ? Math.max(-0.5, Math.min(0.5, (m - p) / (2 * den))) : 0;
      });
      peaks.push({ v, f: [(a + 0.5 + off[0]) / nv[0], (b + 0.5 + off[1]) / nv[1], (c + 0.5 + off[2]) / nv[2]] });
    }
    peaks.sort((p, q) => q.v - p.v);
    const mi = new MinimumImage(cell);
    const kept: { v: number; x: number[] }[] = [];
    for (const p of peaks) {
      const x = [0, 1, 2].map((j) => p.f[0] * cell[j] + p.f[1] * cell[3 + j] + p.f[2] * cell[6 + j]);
      if (kept.every((q) => mi.apply(x[0] - q.x[0], x[1] - q.x[1], x[2] - q.x[2]) >= o.minSeparationA)) kept.push({ v: p.v, x });
    }
    if (kept.length === 0) throw new InputError(`density sites: no density peak exceeds ${o.minDensityRatio}× the mean density; lower minDensityRatio or add frames`);
    return {
      sites: { cell: Float64Array.from(cell), pbc: [true, true, true], positions: Float64Array.from(kept.flatMap((k) => k.x)), typeOf: new Int32Array(kept.length), types: ['site'] },
      peakDensity: Float64Array.from(kept, (k) => k.v), meanDensity: mean, options: o,
    };
  }
}
