/**
 * Linked-cell (cell-list) neighbour search for triclinic cells with any mix of periodic and
 * non-periodic directions, O(N) for a fixed density and cutoff, exact for any cutoff (also larger
 * than the cell: every periodic image within the cutoff is listed, an atom's own images included).
 *
 * Method: fractional coordinates are wrapped into [0,1) along periodic directions (the integer
 * shift s_i is remembered), atoms are counting-sorted into a grid of bins whose perpendicular
 * width is about cutoff/2, and each atom scans the bins within ceil(cutoff/binWidth) along each
 * direction. A bin index beyond the grid along a periodic direction is the wrapped bin seen through
 * a lattice translation q, so every (atom, image) pair is visited exactly once. Runs of consecutive
 * bins along c share one contiguous slice of the sorted atoms and are scanned in one loop.
 */
import { InputError } from '../errors';
import { inv3, type Mat3, type Pbc } from '../cell';
import type { NeighborList, NeighborListOptions } from './types';
import { binningCell } from './cellFrame';

/** Default bins per cutoff length (perpendicular bin width ≈ cutoff/2); measured fastest (bench/neighbors.bench.ts). */
const BINS_PER_CUTOFF = 2;
/** Lists that would hold more entries than this are refused (typed-array and memory limits). */
const MAX_ENTRIES = 100_000_000;

/**
 * Reusable neighbour-list builder: keeps its work arrays between calls, so repeated builds of the
 * same system allocate nothing. The returned list's arrays are views into the builder's buffers and
 * are overwritten by the next `build`.
 */
export class NeighborListBuilder {
  private cap = 0;
  private idx = new Int32Array(0);
  private img = new Int32Array(0);
  private start = new Int32Array(1);
  private shift = new Int32Array(0); // wrap shift s_i (3 per atom, atom order)
  private home = new Int32Array(0); // home bin coordinates (3 per atom)
  private wpos = new Float64Array(0); // wrapped Cartesian positions x_i − s_i·H (atom order)
  private sortedAt = new Int32Array(0); // position of atom i in the bin-sorted order
  private sIdx = new Int32Array(0); // atom index in bin-sorted order
  private sPos = new Float64Array(0); // wrapped Cartesian positions, bin-sorted
  private sShift = new Int32Array(0); // wrap shifts, bin-sorted
  private binStart = new Int32Array(0);

  /** Builds the list of all pairs closer than `cutoff` (Å) for positions (Å, 3N), cell (rows, Å) and pbc. */
  build(positions: Float64Array, cell: Mat3, pbc: Pbc, cutoff: number, opts: NeighborListOptions = {}): NeighborList {
    const full = opts.full ?? true;
    const binsPerCutoff = opts.binsPerCutoff ?? BINS_PER_CUTOFF;
    if (!(binsPerCutoff >= 1 && binsPerCutoff <= 8)) throw new InputError(`binsPerCutoff must lie in [1, 8], got ${binsPerCutoff}`);
    if (!(typeof cutoff === 'number' && cutoff > 0 && Number.isFinite(cutoff))) throw new InputError(`neighbour-list cutoff must be a positive finite number of Å, got ${cutoff}`);
    if (!positions || positions.length % 3 !== 0) throw new InputError(`positions must be a flat array of 3N numbers (Å), got length ${positions?.length}`);
    const n = positions.length / 3;
    const H = binningCell(cell, pbc);
    const Hi = inv3(H);
    this.ensureAtoms(n);
    const { shift, home, wpos } = this;
    const widths = [0, 1, 2].map((k) => 1 / Math.hypot(Hi[k], Hi[3 + k], Hi[6 + k]));

    // 1. fractional coordinates, wrap shifts, wrapped Cartesian positions, extents of non-periodic directions
    const fmin = [Infinity, Infinity, Infinity], fmax = [-Infinity, -Infinity, -Infinity];
    const frac = this.sPos; // scratch: overwritten by the bin-sorted positions once the bins are known
    for (let i = 0; i < n; i++) {
      const x = positions[3 * i], y = positions[3 * i + 1], z = positions[3 * i + 2];
      if (!(Number.isFinite(x) && Number.isFinite(y) && Number.isFinite(z))) throw new InputError(`atom ${i} has a non-finite coordinate (${x}, ${y}, ${z})`);
      for (let k = 0; k < 3; k++) {
        let f = x * Hi[k] + y * Hi[3 + k] + z * Hi[6 + k];
        let s = 0;
        if (pbc[k]) {
          s = Math.floor(f);
          f -= s;
          if (f >= 1) { f -= 1; s += 1; }
          if (Math.abs(s) > 1e9) throw new InputError(`atom ${i} lies ${s} cells away along ${'abc'[k]}; wrap positions before building a neighbour list`);
        } else {
          if (f < fmin[k]) fmin[k] = f;
          if (f > fmax[k]) fmax[k] = f;
        }
        shift[3 * i + k] = s;
        frac[3 * i + k] = f;
      }
      const s0 = shift[3 * i], s1 = shift[3 * i + 1], s2 = shift[3 * i + 2];
      wpos[3 * i] = x - (s0 * H[0] + s1 * H[3] + s2 * H[6]);
      wpos[3 * i + 1] = y - (s0 * H[1] + s1 * H[4] + s2 * H[7]);
      wpos[3 * i + 2] = z - (s0 * H[2] + s1 * H[5] + s2 * H[8]);
    }

    // 2. bin grid: nb[k] bins of fractional width bw[k] from origin[k]; search ±M[k] bins
    const ext = [0, 1, 2].map((k) => (pbc[k] ? widths[k] : n > 0 ? (fmax[k] - fmin[k]) * widths[k] : 0));
    const maxBins = Math.max(64, 2 * n);
    let binLen = cutoff / binsPerCutoff;
    let nb = [1, 1, 1];
    for (let iter = 0; iter < 100; iter++) {
      nb = ext.map((e) => Math.max(1, Math.min(1e6, Math.floor((e / binLen) * (1 - 1e-9)))));
      const total = nb[0] * nb[1] * nb[2];
      if (total <= maxBins) break;
      binLen *= Math.cbrt(total / maxBins) * 1.01;
    }
    const origin = [0, 1, 2].map((k) => (pbc[k] ? 0 : n > 0 ? fmin[k] : 0));
    const bw = [0, 1, 2].map((k) => (pbc[k] ? 1 / nb[k] : fmax[k] > fmin[k] ? (fmax[k] - fmin[k]) / nb[k] : 1));
    const M = [0, 1, 2].map((k) => {
      const m = Math.ceil((cutoff / (bw[k] * widths[k])) * (1 + 1e-10));
      return pbc[k] ? m : Math.min(m, nb[k] - 1);
    });
    const nbins = nb[0] * nb[1] * nb[2];
    const expected = pbc.every(Boolean) ? (n * n * (4 / 3) * Math.PI * cutoff ** 3) / Math.abs(H[0] * (H[4] * H[8] - H[5] * H[7]) - H[1] * (H[3] * H[8] - H[5] * H[6]) + H[2] * (H[3] * H[7] - H[4] * H[6])) : 0;
    if (expected > MAX_ENTRIES) throw new InputError(`cutoff ${cutoff} Å is too large for ${n} atoms in this cell: the list would hold ~${expected.toExponential(1)} entries (limit ${MAX_ENTRIES})`);

    // 3. counting sort of atoms into bins (stable: atom order within a bin)
    if (this.binStart.length < nbins + 1) this.binStart = new Int32Array(nbins + 1);
    const binStart = this.binStart;
    binStart.fill(0, 0, nbins + 1);
    const nb1 = nb[1], nb2 = nb[2];
    for (let i = 0; i < n; i++) {
      for (let k = 0; k < 3; k++) {
        let b = Math.floor((frac[3 * i + k] - origin[k]) / bw[k]);
        if (b < 0) b = 0; else if (b >= nb[k]) b = nb[k] - 1;
        home[3 * i + k] = b;
      }
      binStart[(home[3 * i] * nb1 + home[3 * i + 1]) * nb2 + home[3 * i + 2] + 1]++;
    }
    for (let b = 0; b < nbins; b++) binStart[b + 1] += binStart[b];
    const { sortedAt, sIdx, sShift } = this;
    for (let i = 0; i < n; i++) sortedAt[i] = binStart[(home[3 * i] * nb1 + home[3 * i + 1]) * nb2 + home[3 * i + 2]]++;
    for (let b = nbins; b > 0; b--) binStart[b] = binStart[b - 1]; // undo the cursor increments
    binStart[0] = 0;
    const sp = this.sPos;
    for (let i = 0; i < n; i++) {
      const p = sortedAt[i];
      sIdx[p] = i;
      sp[3 * p] = wpos[3 * i]; sp[3 * p + 1] = wpos[3 * i + 1]; sp[3 * p + 2] = wpos[3 * i + 2];
      sShift[3 * p] = shift[3 * i]; sShift[3 * p + 1] = shift[3 * i + 1]; sShift[3 * p + 2] = shift[3 * i + 2];
    }

    // 4. per-axis tables: bin coordinate t in [−M, nb−1+M] → wrapped bin and lattice translation q
    const tables = [0, 1, 2].map((k) => {
      const len = nb[k] + 2 * M[k], wrap = new Int32Array(len), q = new Int32Array(len);
      for (let t = -M[k]; t < nb[k] + M[k]; t++) {
        if (pbc[k]) { const qq = Math.floor(t / nb[k]); q[t + M[k]] = qq; wrap[t + M[k]] = t - qq * nb[k]; }
        else wrap[t + M[k]] = t >= 0 && t < nb[k] ? t : -1;
      }
      return { wrap, q };
    });
    const [W0, W1, W2] = tables.map((t) => t.wrap), [Q0, Q1, Q2] = tables.map((t) => t.q);
    const M0 = M[0], M1 = M[1], M2 = M[2], P2 = pbc[2];

    // 5. scan, atom by atom (entries come out sorted by i)
    if (this.cap === 0) this.grow(0, Math.min(MAX_ENTRIES, Math.ceil((1.3 * (expected || 16 * n)) / (full ? 1 : 2)) + 1024));
    let idx = this.idx, img = this.img, cap = this.cap, count = 0;
    const rc2 = cutoff * cutoff;
    const h0 = H[0], h1 = H[1], h2 = H[2], h3 = H[3], h4 = H[4], h5 = H[5], h6 = H[6], h7 = H[7], h8 = H[8];
    const start = this.start;
    for (let i = 0; i < n; i++) {
      start[i] = count;
      const pi = sortedAt[i];
      const b0 = home[3 * i], b1 = home[3 * i + 1], b2 = home[3 * i + 2];
      const si0 = shift[3 * i], si1 = shift[3 * i + 1], si2 = shift[3 * i + 2];
      const xi = wpos[3 * i], yi = wpos[3 * i + 1], zi = wpos[3 * i + 2];
      for (let m0 = full ? -M0 : 0; m0 <= M0; m0++) {
        const w0 = W0[b0 + m0 + M0];
        if (w0 < 0) continue;
        const q0 = Q0[b0 + m0 + M0];
        for (let m1 = full || m0 > 0 ? -M1 : 0; m1 <= M1; m1++) {
          const w1 = W1[b1 + m1 + M1];
          if (w1 < 0) continue;
          const q1 = Q1[b1 + m1 + M1];
          const base = (w0 * nb1 + w1) * nb2;
          const centre = m0 === 0 && m1 === 0; // the home bin is in this row of bins
          // bin coordinates t along c: [lo, hi], cut into runs of equal translation q2
          let lo = b2 - M2;
          const hi = b2 + M2;
          if (!full && centre) lo = b2;
          while (lo <= hi) {
            let runHi: number, q2: number, wlo: number;
            if (P2) {
              q2 = Q2[lo + M2]; wlo = W2[lo + M2];
              runHi = Math.min(hi, (q2 + 1) * nb2 - 1);
            } else {
              q2 = 0;
              if (lo < 0) lo = 0;
              runHi = Math.min(hi, nb2 - 1);
              wlo = lo;
              if (lo > runHi) break;
            }
            const whi = wlo + (runHi - lo);
            let pA = binStart[base + wlo], pB = binStart[base + whi + 1], pC = pB, pD = pB;
            if (centre && q2 === 0 && lo <= b2 && b2 <= runHi) {
              // the atom itself: skip it (full) or start after it (half: within the home bin only later atoms)
              if (full) { pC = pi + 1; pD = pB; pB = pi; } else pA = pi + 1;
            }
            const need = pB - pA + pD - pC;
            if (count + need > cap) { this.grow(count, count + need); idx = this.idx; img = this.img; cap = this.cap; }
            const sx = q0 * h0 + q1 * h3 + q2 * h6 - xi, sy = q0 * h1 + q1 * h4 + q2 * h7 - yi, sz = q0 * h2 + q1 * h5 + q2 * h8 - zi;
            const n0 = q0 + si0, n1 = q1 + si1, n2 = q2 + si2;
            for (let r = 0; r < 2; r++) {
              const to = r === 0 ? pB : pD;
              for (let p = r === 0 ? pA : pC; p < to; p++) {
                const dx = sp[3 * p] + sx, dy = sp[3 * p + 1] + sy, dz = sp[3 * p + 2] + sz;
                if (dx * dx + dy * dy + dz * dz < rc2) {
                  idx[count] = sIdx[p];
                  img[3 * count] = n0 - sShift[3 * p];
                  img[3 * count + 1] = n1 - sShift[3 * p + 1];
                  img[3 * count + 2] = n2 - sShift[3 * p + 2];
                  count++;
                }
              }
            }
            lo = runHi + 1;
          }
        }
      }
    }
    start[n] = count;
    return { cutoff, full, start: start.subarray(0, n + 1), index: idx.subarray(0, count), image: img.subarray(0, 3 * count) };
  }

  private ensureAtoms(n: number): void {
    if (this.shift.length >= 3 * n) return;
    const m = Math.max(3 * n, Math.ceil(this.shift.length * 1.5));
    this.shift = new Int32Array(m);
    this.home = new Int32Array(m);
    this.wpos = new Float64Array(m);
    this.sPos = new Float64Array(m);
    this.sShift = new Int32Array(m);
    this.sortedAt = new Int32Array(m / 3 + 1);
    this.sIdx = new Int32Array(m / 3 + 1);
    this.start = new Int32Array(m / 3 + 1);
  }

  private grow(keep: number, needed: number): void {
    if (needed > MAX_ENTRIES) throw new InputError(`neighbour list would exceed ${MAX_ENTRIES} entries: cutoff too large for this system`);
    const cap = Math.min(MAX_ENTRIES, Math.max(needed, Math.ceil(this.cap * 1.6), 1024));
    const idx = new Int32Array(cap), img = new Int32Array(3 * cap);
    idx.set(this.idx.subarray(0, keep));
    img.set(this.img.subarray(0, 3 * keep));
    this.idx = idx; this.img = img; this.cap = cap;
  }
}

/**
 * Neighbour list of all pairs closer than `cutoff` (Å, strict <) by cell lists, O(N): full (default) or
 * half (`{ full: false }`: each unordered pair once, incl. self-image pairs, stored under one of its
 * atoms, which one depending on the binning). Positions (Å) may lie anywhere, also outside the cell.
 */
export function buildNeighborList(positions: Float64Array, cell: Mat3, pbc: Pbc, cutoff: number, opts?: NeighborListOptions): NeighborList {
  return new NeighborListBuilder().build(positions, cell, pbc, cutoff, opts);
}
