/**
 * Linked-cell (cell-list) neighbour search for triclinic cells with any mix of periodic and
 * non-periodic directions, O(N) for a fixed density and cutoff, exact for any cutoff (also larger
 * than the cell: every periodic image within the cutoff is listed, an atom's own images included).
 *
 * Method: fractional coordinates are wrapped into [0,1) along periodic directions (the integer
 * shift s_i is remembered) and atoms are counting-sorted into a grid of bins cutoff/1.5–cutoff/2 wide.
 * A bin coordinate beyond the grid along a periodic direction is the wrapped bin seen through a
 * lattice translation q, so every (atom, image) pair is met exactly once. Each atom scans only the
 * bins that can hold a neighbour: with the Cholesky factor L of the metric (|Δf·H| = |Δf·L|, L lower
 * triangular) the squared distance splits into a c term, a (b, c) term and an (a, b, c) term whose
 * lower bounds over a bin are interval arithmetic; rows along c, then b are skipped when those bounds
 * exceed the cutoff, and the range along a is clipped. Consecutive bins along a are contiguous in
 * the sorted atoms and are scanned in one loop.
 */
import { InputError } from '../errors';
import { inv3, type Mat3, type Pbc } from '../cell';
import type { NeighborList, NeighborListOptions } from './types';
import { binningCell } from './cellFrame';

/**
 * Default bins per cutoff length: 1.5 for near-orthogonal cells, 2 for strongly skewed ones (where
 * bins are sheared and finer bins prune better); measured fastest in bench/neighbors.bench.ts.
 */
function defaultBinsPerCutoff(H: Float64Array): number {
  const len = (r: number) => Math.hypot(H[3 * r], H[3 * r + 1], H[3 * r + 2]);
  const det = H[0] * (H[4] * H[8] - H[5] * H[7]) - H[1] * (H[3] * H[8] - H[5] * H[6]) + H[2] * (H[3] * H[7] - H[4] * H[6]);
  const orthogonality = Math.abs(det) / (len(0) * len(1) * len(2)); // 1 for orthogonal cells
  return orthogonality >= 0.6 ? 1.5 : 2;
}
/** Lists that would hold more entries than this are refused (typed-array and memory limits). */
const MAX_ENTRIES = 100_000_000;

/**
 * Reusable neighbour-list builder: keeps its work arrays between calls, so repeated builds of the
 * same system allocate (almost) nothing. The returned list's arrays are views into the builder's
 * buffers and are overwritten by the next `build`.
 */
export class NeighborListBuilder {
  private cap = 0;
  private idx = new Int32Array(0);
  private img = new Int32Array(0);
  private start = new Int32Array(1);
  private shift = new Int32Array(0); // wrap shift s_i (3 per atom, atom order)
  private ucoord = new Float64Array(0); // continuous bin coordinates (3 per atom, atom order)
  private home = new Int32Array(0); // home bin coordinates (3 per atom)
  private sortedAt = new Int32Array(0); // position of atom i in the bin-sorted order
  private sIdx = new Int32Array(0); // atom index in bin-sorted order
  private sPos = new Float64Array(0); // wrapped Cartesian positions x_i − s_i·H, bin-sorted
  private sShift = new Int32Array(0); // wrap shifts, bin-sorted
  private binStart = new Int32Array(0);
  private readonly metric = new Float64Array(9); // B = diag(bin widths)·H (rows)
  private readonly gram = new Float64Array(9); // B·Bᵀ

  /** Builds the list of all pairs closer than `cutoff` (Å) for positions (Å, 3N), cell (rows, Å) and pbc. */
  build(positions: Float64Array, cell: Mat3, pbc: Pbc, cutoff: number, opts: NeighborListOptions = {}): NeighborList {
    const full = opts.full ?? true;
    if (!(typeof cutoff === 'number' && cutoff > 0 && Number.isFinite(cutoff))) throw new InputError(`neighbour-list cutoff must be a positive finite number of Å, got ${cutoff}`);
    if (!positions || positions.length % 3 !== 0) throw new InputError(`positions must be a flat array of 3N numbers (Å), got length ${positions?.length}`);
    const n = positions.length / 3;
    const H = binningCell(cell, pbc);
    const binsPerCutoff = opts.binsPerCutoff ?? defaultBinsPerCutoff(H);
    if (!(binsPerCutoff >= 0.5 && binsPerCutoff <= 8)) throw new InputError(`binsPerCutoff must lie in [0.5, 8], got ${binsPerCutoff}`);
    const Hi = inv3(H);
    this.ensureAtoms(n);
    const { shift, home, ucoord: U } = this;
    const widths = [0, 1, 2].map((k) => 1 / Math.hypot(Hi[k], Hi[3 + k], Hi[6 + k]));

    // 1. fractional coordinates (kept in U for now), wrap shifts, extents of non-periodic directions
    const fmin = [Infinity, Infinity, Infinity], fmax = [-Infinity, -Infinity, -Infinity];
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
        U[3 * i + k] = f;
      }
    }

    // 2. bin grid: nb[k] bins of fractional width bw[k] from origin[k]
    const ext = [0, 1, 2].map((k) => (pbc[k] ? widths[k] : n > 0 ? (fmax[k] - fmin[k]) * widths[k] : 0));
    const maxBins = Math.max(64, 4 * n);
    let binLen = cutoff / binsPerCutoff;
    let nb = [1, 1, 1];
    for (let iter = 0; iter < 100; iter++) {
      nb = ext.map((e) => Math.max(1, Math.min(1e6, Math.floor((e / binLen) * (1 - 1e-9)))));
      const total = nb[0] * nb[1] * nb[2];
      if (total <= maxBins) break;
      binLen *= Math.cbrt(total / maxBins) * 1.01;
    }
    const nb0 = nb[0], nb1 = nb[1], nb2 = nb[2], nbins = nb0 * nb1 * nb2;
    const origin = [0, 1, 2].map((k) => (pbc[k] ? 0 : n > 0 ? fmin[k] : 0));
    const bw = [0, 1, 2].map((k) => (pbc[k] ? 1 / nb[k] : fmax[k] > fmin[k] ? (fmax[k] - fmin[k]) / nb[k] : 1));
    const vol = Math.abs(H[0] * (H[4] * H[8] - H[5] * H[7]) - H[1] * (H[3] * H[8] - H[5] * H[6]) + H[2] * (H[3] * H[7] - H[4] * H[6]));
    const expected = pbc.every(Boolean) ? (n * n * (4 / 3) * Math.PI * cutoff ** 3) / vol : 0;
    if (expected > MAX_ENTRIES) throw new InputError(`cutoff ${cutoff} Å is too large for ${n} atoms in this cell: the list would hold ~${expected.toExponential(1)} entries (limit ${MAX_ENTRIES})`);

    // 3. counting sort of atoms into bins (bin id = (t2·nb1 + t1)·nb0 + t0; stable: atom order within a bin)
    if (this.binStart.length < nbins + 1) this.binStart = new Int32Array(nbins + 1);
    const binStart = this.binStart;
    binStart.fill(0, 0, nbins + 1);
    for (let i = 0; i < n; i++) {
      for (let k = 0; k < 3; k++) {
        const u = (U[3 * i + k] - origin[k]) / bw[k];
        let b = Math.floor(u);
        if (b < 0) b = 0; else if (b >= nb[k]) b = nb[k] - 1;
        U[3 * i + k] = u;
        home[3 * i + k] = b;
      }
      binStart[(home[3 * i + 2] * nb1 + home[3 * i + 1]) * nb0 + home[3 * i] + 1]++;
    }
    for (let b = 0; b < nbins; b++) binStart[b + 1] += binStart[b];
    const { sortedAt, sIdx, sShift, sPos: sp } = this;
    for (let i = 0; i < n; i++) sortedAt[i] = binStart[(home[3 * i + 2] * nb1 + home[3 * i + 1]) * nb0 + home[3 * i]]++;
    for (let b = nbins; b > 0; b--) binStart[b] = binStart[b - 1]; // undo the cursor increments
    binStart[0] = 0;
    for (let i = 0; i < n; i++) {
      const p = sortedAt[i], s0 = shift[3 * i], s1 = shift[3 * i + 1], s2 = shift[3 * i + 2];
      sIdx[p] = i;
      sp[3 * p] = positions[3 * i] - (s0 * H[0] + s1 * H[3] + s2 * H[6]);
      sp[3 * p + 1] = positions[3 * i + 1] - (s0 * H[1] + s1 * H[4] + s2 * H[7]);
      sp[3 * p + 2] = positions[3 * i + 2] - (s0 * H[2] + s1 * H[5] + s2 * H[8]);
      sShift[3 * p] = s0; sShift[3 * p + 1] = s1; sShift[3 * p + 2] = s2;
    }

    // 4. Cholesky factor of the metric in bin units: |Δu·B| = distance, B = diag(bw)·H, B·Bᵀ = L·Lᵀ
    // (flat arrays, no closures: this runs inside the hot build function and must not deoptimise it)
    const B = this.metric;
    for (let m = 0; m < 3; m++) for (let c = 0; c < 3; c++) B[3 * m + c] = H[3 * m + c] * bw[m];
    const G = this.gram;
    for (let a = 0; a < 3; a++) for (let b = 0; b < 3; b++) G[3 * a + b] = B[3 * a] * B[3 * b] + B[3 * a + 1] * B[3 * b + 1] + B[3 * a + 2] * B[3 * b + 2];
    const L00 = Math.sqrt(G[0]), L10 = G[3] / L00, L11 = Math.sqrt(G[4] - L10 * L10);
    const L20 = G[6] / L00, L21 = (G[7] - L20 * L10) / L11, L22 = Math.sqrt(G[8] - L20 * L20 - L21 * L21);
    if (!(L11 > 0 && L22 > 0)) throw new InputError('cell is too close to singular for a neighbour search');
    const P0 = pbc[0], P1 = pbc[1], P2 = pbc[2];

    // 5. scan, atom by atom (entries come out sorted by i)
    if (this.cap === 0) this.grow(0, Math.min(MAX_ENTRIES, Math.ceil((1.3 * (expected || 16 * n)) / (full ? 1 : 2)) + 1024));
    let idx = this.idx, img = this.img, cap = this.cap, count = 0;
    const start = this.start;
    const rc2 = cutoff * cutoff;
    const R = cutoff * (1 + 1e-9) + 1e-12; // bounds are pruned with a hair of margin against round-off
    const R2 = R * R;
    const h0 = H[0], h1 = H[1], h2 = H[2], h3 = H[3], h4 = H[4], h5 = H[5], h6 = H[6], h7 = H[7], h8 = H[8];
    for (let i = 0; i < n; i++) {
      start[i] = count;
      const b0 = home[3 * i], b1 = home[3 * i + 1], b2 = home[3 * i + 2], pi = sortedAt[i];
      const u0 = U[3 * i], u1 = U[3 * i + 1], u2 = U[3 * i + 2];
      const si0 = shift[3 * i], si1 = shift[3 * i + 1], si2 = shift[3 * i + 2];
      const xi = sp[3 * pi], yi = sp[3 * pi + 1], zi = sp[3 * pi + 2];
      let t2lo = Math.floor(u2 - R / L22), t2hi = Math.floor(u2 + R / L22);
      if (!P2) { if (t2lo < 0) t2lo = 0; if (t2hi > nb2 - 1) t2hi = nb2 - 1; }
      if (!full && t2lo < b2) t2lo = b2;
      for (let t2 = t2lo; t2 <= t2hi; t2++) {
        const a2 = t2 - u2, c2 = a2 + 1; // Δu2 ∈ [a2, c2]
        const z = a2 > 0 ? a2 * L22 : c2 < 0 ? -c2 * L22 : 0;
        const rem2 = R2 - z * z;
        if (rem2 <= 0) continue;
        const q2 = P2 ? Math.floor(t2 / nb2) : 0, w2 = t2 - q2 * nb2;
        const y2lo = Math.min(a2 * L21, c2 * L21), y2hi = Math.max(a2 * L21, c2 * L21);
        const x2lo = Math.min(a2 * L20, c2 * L20), x2hi = Math.max(a2 * L20, c2 * L20);
        const r2 = Math.sqrt(rem2);
        let t1lo = Math.floor(u1 + (-r2 - y2hi) / L11), t1hi = Math.floor(u1 + (r2 - y2lo) / L11);
        if (!P1) { if (t1lo < 0) t1lo = 0; if (t1hi > nb1 - 1) t1hi = nb1 - 1; }
        const centre2 = t2 === b2;
        if (!full && centre2 && t1lo < b1) t1lo = b1;
        for (let t1 = t1lo; t1 <= t1hi; t1++) {
          const a1 = t1 - u1, c1 = a1 + 1; // Δu1 ∈ [a1, c1]
          const ylo = a1 * L11 + y2lo, yhi = c1 * L11 + y2hi;
          const y = ylo > 0 ? ylo : yhi < 0 ? -yhi : 0;
          const rem1 = rem2 - y * y;
          if (rem1 <= 0) continue;
          const q1 = P1 ? Math.floor(t1 / nb1) : 0, w1 = t1 - q1 * nb1;
          const r1 = Math.sqrt(rem1);
          const slo = Math.min(a1 * L10, c1 * L10) + x2lo, shi = Math.max(a1 * L10, c1 * L10) + x2hi;
          let lo = Math.floor(u0 + (-r1 - shi) / L00);
          let hi = Math.floor(u0 + (r1 - slo) / L00);
          if (!P0) { if (lo < 0) lo = 0; if (hi > nb0 - 1) hi = nb0 - 1; }
          const centre = centre2 && t1 === b1; // the home bin may lie in this row
          if (!full && centre && lo < b0) lo = b0;
          const base = (w2 * nb1 + w1) * nb0;
          // runs of bins along a with one lattice translation q0 are contiguous in the sorted atoms
          while (lo <= hi) {
            const q0 = P0 ? Math.floor(lo / nb0) : 0, wlo = lo - q0 * nb0;
            const runHi = P0 ? Math.min(hi, (q0 + 1) * nb0 - 1) : hi;
            let pA = binStart[base + wlo], pB = binStart[base + wlo + (runHi - lo) + 1], pC = pB, pD = pB;
            if (centre && q0 === 0 && lo <= b0 && b0 <= runHi) {
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
    const m = Math.max(3 * n, 3 * Math.ceil(this.shift.length / 2));
    this.shift = new Int32Array(m);
    this.ucoord = new Float64Array(m);
    this.home = new Int32Array(m);
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
