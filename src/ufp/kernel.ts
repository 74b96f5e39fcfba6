/**
 * The UF3 force kernel: energy (eV), forces (eV/Å) and virial (eV) of a UF3 model over a FULL neighbour
 * list (science.md §2; LAMMPS pair_style uf3 conventions).
 *
 * - 2-body: every unordered pair once (the entry i→j of the full list with j > i, or j = i with a
 *   lexicographically positive image), contributing 2·V2(r) — the ordered-pair sum of science.md §2.
 *   A pair counts when r < r_cut of its curve.
 * - 3-body: for each centre i, every unordered pair {j, k} of its "short" neighbours (r < r_cut of the
 *   2-body curve and r ≤ the largest ij leg cutoff of blocks (i; j, ·)), counted once, with block
 *   (s_i; s_j, s_k) evaluated at (r_ij, r_ik, r_jk) when r_ij, r_ik ≤ leg cutoffs, exactly as LAMMPS does.
 *
 * Outside the knot range (documented behaviour, never an out-of-range read):
 * - 2-body r < lowest knot: `belowRange: 'error'` (default) throws TooCloseError naming both atoms;
 *   `'extrapolate'` continues the curve linearly with its slope at the lowest knot (C¹, finite).
 * - 3-body leg r < lowest knot of that leg: the triplet contributes nothing (as in LAMMPS).
 * - r ≥ cutoff: nothing. At r = the last knot the last span's polynomial is used (its limit value).
 *
 * Worker / atom-decomposition API: a kernel is built from a plain {@link UF3Model} (JSON-serialisable),
 * and {@link UF3Kernel.computeRange} evaluates the contributions of centre atoms i ∈ [i0, i1) — 2-body
 * pairs owned by those i and 3-body triplets centred on them — ADDING forces into a caller-given buffer
 * and the virial into a caller-given 9-vector, returning their energy. Summing the results of disjoint
 * ranges gives exactly the full evaluation (up to floating-point reassociation).
 */
import type { Mat3 } from '../core/cell';
import { InputError } from '../core/errors';
import type { UF3Model } from './model';
import { validateModel } from './model';
import { CURVE_STRIDE, LEG_STRIDE, compileCurve, compileLeg, LegTable } from './tables';
import { TooCloseError } from './errors';

/** The part of a neighbour list the kernel reads (src/core/neighbors NeighborList, full = true). */
export interface FullPairList {
  /** CSR offsets, length N+1. */
  start: Int32Array;
  /** Neighbour atom of each entry. */
  index: Int32Array;
  /** 3 ints per entry: r_ij = x_j + n·H − x_i. */
  image: Int32Array;
}

/** What happens to 2-body pairs closer than the lowest knot. */
export type BelowRange = 'error' | 'extrapolate';

/** Kernel options. */
export interface KernelOptions {
  /** 2-body pairs below the lowest knot: throw TooCloseError (default) or extrapolate linearly. */
  belowRange?: BelowRange;
}

/** Compiled UF3 model: flat tables indexed by element type. Build one per thread. */
export class UF3Kernel {
  readonly elements: string[];
  /** Neighbour-list cutoff needed, Å (largest 2-body cutoff). */
  readonly cutoff: number;
  readonly hasThreeBody: boolean;
  readonly belowRange: BelowRange;

  private readonly T: number;
  // 2-body, per ordered type pair p = a·T + b
  private readonly c2Cut: Float64Array;
  private readonly c2CutSq: Float64Array;
  private readonly c2Min: Float64Array;
  private readonly c2InvH: Float64Array;
  private readonly c2NSpan: Int32Array;
  private readonly c2Uniform: Uint8Array;
  private readonly c2BreakOff: Int32Array;
  private readonly c2PolyOff: Int32Array;
  private readonly breaks2: Float64Array;
  private readonly poly2: Float64Array;
  // 3-body legs (distinct knot vectors)
  private readonly lgMin: Float64Array;
  private readonly lgInvH: Float64Array;
  private readonly lgNSpan: Int32Array;
  private readonly lgUniform: Uint8Array;
  private readonly lgBreakOff: Int32Array;
  private readonly lgPolyOff: Int32Array;
  private readonly legBreaks: Float64Array;
  private readonly legInvH: Float64Array;
  private readonly legPoly: Float64Array;
  // leg slots per (centre type, neighbour type)
  private readonly S: number;
  private readonly slotCount: Int32Array;
  private readonly slotLeg: Int32Array;
  private readonly c3Cut: Float64Array;
  // blocks per ordered triple (a·T + b)·T + c
  private readonly bHas: Uint8Array;
  private readonly bRij: Float64Array;
  private readonly bRik: Float64Array;
  private readonly bSlotIJ: Int32Array;
  private readonly bSlotIK: Int32Array;
  private readonly bLegJK: Int32Array;
  private readonly bMinJK: Float64Array;
  private readonly bCoefOff: Int32Array;
  private readonly bM: Int32Array;
  private readonly bN: Int32Array;
  /** First/last l (ij) and m (ik) index of a plane holding a non-zero coefficient. */
  private readonly bLoL: Int32Array;
  private readonly bHiL: Int32Array;
  private readonly bLoM: Int32Array;
  private readonly bHiM: Int32Array;
  private readonly coef: Float64Array;
  // scratch (grown on demand, reused)
  private cap = 0;
  private sJ = new Int32Array(0);
  private sT = new Int32Array(0);
  private sD = new Float64Array(0);
  private sR = new Float64Array(0);
  private sSpan = new Int32Array(0);
  private sB = new Float64Array(0);
  private sF = new Float64Array(0);

  /** Compiles a (validated) model. `model` is plain data, e.g. received by a worker. */
  constructor(model: UF3Model, options: KernelOptions = {}) {
    validateModel(model);
    const els = model.elements, T = els.length;
    this.elements = [...els];
    this.T = T;
    this.belowRange = options.belowRange ?? 'error';
    if (this.belowRange !== 'error' && this.belowRange !== 'extrapolate') throw new InputError(`belowRange must be 'error' or 'extrapolate', got ${JSON.stringify(this.belowRange)}`);
    const idx = (e: string) => els.indexOf(e);

    // ---- 2-body
    this.c2Cut = new Float64Array(T * T);
    this.c2CutSq = new Float64Array(T * T);
    this.c2Min = new Float64Array(T * T);
    this.c2InvH = new Float64Array(T * T);
    this.c2NSpan = new Int32Array(T * T);
    this.c2Uniform = new Uint8Array(T * T);
    this.c2BreakOff = new Int32Array(T * T);
    this.c2PolyOff = new Int32Array(T * T);
    const curves = model.twoBody.map((t) => compileCurve(t.knots, t.coefficients));
    let nb = 0, np = 0;
    for (const c of curves) { nb += c.breaks.length; np += c.poly.length; }
    this.breaks2 = new Float64Array(nb);
    this.poly2 = new Float64Array(np);
    nb = 0; np = 0;
    model.twoBody.forEach((t, q) => {
      const c = curves[q];
      this.breaks2.set(c.breaks, nb);
      this.poly2.set(c.poly, np);
      const a = idx(t.elements[0]), b = idx(t.elements[1]);
      for (const p of [a * T + b, b * T + a]) {
        this.c2Cut[p] = t.cutoff;
        this.c2CutSq[p] = t.cutoff * t.cutoff;
        this.c2Min[p] = c.t0;
        this.c2InvH[p] = c.invH;
        this.c2NSpan[p] = c.nSpan;
        this.c2Uniform[p] = c.uniform ? 1 : 0;
        this.c2BreakOff[p] = nb;
        this.c2PolyOff[p] = np;
      }
      nb += c.breaks.length;
      np += c.poly.length;
    });

    // ---- 3-body
    this.hasThreeBody = model.threeBody.length > 0;
    const legKeys = new Map<string, number>();
    const legs: LegTable[] = [];
    const legOf = (knots: number[]): number => {
      const key = knots.join(',');
      let id = legKeys.get(key);
      if (id === undefined) { id = legs.length; legKeys.set(key, id); legs.push(compileLeg(knots)); }
      return id;
    };
    const T3 = T * T * T;
    this.bHas = new Uint8Array(T3);
    this.bRij = new Float64Array(T3);
    this.bRik = new Float64Array(T3);
    this.bSlotIJ = new Int32Array(T3);
    this.bSlotIK = new Int32Array(T3);
    this.bLegJK = new Int32Array(T3);
    this.bMinJK = new Float64Array(T3);
    this.bCoefOff = new Int32Array(T3);
    this.bM = new Int32Array(T3);
    this.bN = new Int32Array(T3);
    this.bLoL = new Int32Array(T3);
    this.bHiL = new Int32Array(T3);
    this.bLoM = new Int32Array(T3);
    this.bHiM = new Int32Array(T3);
    const legIJ = new Int32Array(T3), legIK = new Int32Array(T3);
    let ncoef = 0;
    for (const t of model.threeBody) ncoef += (t.elements[1] === t.elements[2] ? 1 : 2) * t.coefficients.length;
    this.coef = new Float64Array(ncoef);
    ncoef = 0;
    for (const t of model.threeBody) {
      const [c, a, b] = t.elements.map(idx);
      const [L, M, N] = t.shape;
      const src = t.coefficients;
      // orientation (c; a, b): as stored; same-element neighbours: symmetrised from the upper triangle (as LAMMPS)
      const o1 = ncoef;
      for (let l = 0; l < L; l++) for (let m = 0; m < M; m++) for (let n = 0; n < N; n++) {
        const v = a === b && l > m ? src[(m * M + l) * N + n] : src[(l * M + m) * N + n];
        this.coef[o1 + (l * M + m) * N + n] = v;
      }
      ncoef += L * M * N;
      const set = (blk: number, off: number, kIJ: number[], kIK: number[], rij: number, rik: number, mDim: number) => {
        this.bHas[blk] = 1;
        this.bRij[blk] = rij;
        this.bRik[blk] = rik;
        legIJ[blk] = legOf(kIJ);
        legIK[blk] = legOf(kIK);
        this.bLegJK[blk] = legOf(t.knots.jk);
        this.bMinJK[blk] = t.knots.jk[0];
        this.bCoefOff[blk] = off;
        this.bM[blk] = mDim;
        this.bN[blk] = N;
        // non-zero planes of this orientation (dims: mDim = M here, the other = coefficients / (mDim·N))
        const lDim = (L * M) / mDim;
        let loL = lDim, hiL = -1, loM = mDim, hiM = -1;
        for (let l = 0; l < lDim; l++) for (let m = 0; m < mDim; m++) for (let n = 0; n < N; n++)
          if (this.coef[off + (l * mDim + m) * N + n] !== 0) { loL = Math.min(loL, l); hiL = Math.max(hiL, l); loM = Math.min(loM, m); hiM = Math.max(hiM, m); }
        this.bLoL[blk] = loL; this.bHiL[blk] = hiL; this.bLoM[blk] = loM; this.bHiM[blk] = hiM;
        if (hiL < 0) this.bHas[blk] = 0; // an all-zero block contributes nothing: skip it entirely
      };
      set((c * T + a) * T + b, o1, t.knots.ij, t.knots.ik, t.cutoffs.ij, t.cutoffs.ik, M);
      if (a !== b) {
        // mirrored orientation (c; b, a): c'[m][l][n] = c[l][m][n]
        const o2 = ncoef;
        for (let l = 0; l < L; l++) for (let m = 0; m < M; m++) for (let n = 0; n < N; n++) this.coef[o2 + (m * L + l) * N + n] = src[(l * M + m) * N + n];
        ncoef += L * M * N;
        set((c * T + b) * T + a, o2, t.knots.ik, t.knots.ij, t.cutoffs.ik, t.cutoffs.ij, L);
      }
    }
    // leg slots: the distinct ij-leg knot vectors of blocks (a; b, ·) for each (a, b)
    const slots: number[][] = [];
    let S = 1;
    for (let a = 0; a < T; a++) for (let b = 0; b < T; b++) {
      const list: number[] = [];
      for (let c = 0; c < T; c++) {
        const blk = (a * T + b) * T + c;
        if (this.bHas[blk] && !list.includes(legIJ[blk])) list.push(legIJ[blk]);
      }
      slots.push(list);
      S = Math.max(S, list.length);
    }
    this.S = S;
    this.slotCount = new Int32Array(T * T);
    this.slotLeg = new Int32Array(T * T * S);
    slots.forEach((list, p) => { this.slotCount[p] = list.length; list.forEach((leg, s) => { this.slotLeg[p * S + s] = leg; }); });
    this.c3Cut = new Float64Array(T * T);
    for (let a = 0; a < T; a++) for (let b = 0; b < T; b++) for (let c = 0; c < T; c++) {
      const blk = (a * T + b) * T + c;
      if (!this.bHas[blk]) continue;
      this.bSlotIJ[blk] = slots[a * T + b].indexOf(legIJ[blk]);
      this.bSlotIK[blk] = slots[a * T + c].indexOf(legIK[blk]);
      this.c3Cut[a * T + b] = Math.max(this.c3Cut[a * T + b], this.bRij[blk]);
    }
    const nL = legs.length;
    this.lgMin = new Float64Array(nL);
    this.lgInvH = new Float64Array(nL);
    this.lgNSpan = new Int32Array(nL);
    this.lgUniform = new Uint8Array(nL);
    this.lgBreakOff = new Int32Array(nL);
    this.lgPolyOff = new Int32Array(nL);
    let lb = 0, lp = 0;
    for (const lg of legs) { lb += lg.breaks.length; lp += lg.poly.length; }
    this.legBreaks = new Float64Array(lb);
    this.legInvH = new Float64Array(lb);
    this.legPoly = new Float64Array(lp);
    lb = 0; lp = 0;
    legs.forEach((lg, q) => {
      this.lgMin[q] = lg.t0;
      this.lgInvH[q] = lg.invH;
      this.lgNSpan[q] = lg.nSpan;
      this.lgUniform[q] = lg.uniform ? 1 : 0;
      this.lgBreakOff[q] = lb;
      this.lgPolyOff[q] = lp;
      this.legBreaks.set(lg.breaks, lb);
      this.legInvH.set(lg.invHSpan, lb);
      this.legPoly.set(lg.poly, lp);
      lb += lg.breaks.length;
      lp += lg.poly.length;
    });
    let rc = 0;
    for (const t of model.twoBody) rc = Math.max(rc, t.cutoff);
    this.cutoff = rc;
    this.grow(64);
  }

  private grow(n: number): void {
    if (n <= this.cap) return;
    const cap = Math.max(n, 2 * this.cap);
    this.cap = cap;
    this.sJ = new Int32Array(cap);
    this.sT = new Int32Array(cap);
    this.sD = new Float64Array(3 * cap);
    this.sR = new Float64Array(cap);
    this.sSpan = new Int32Array(cap * this.S);
    this.sB = new Float64Array(cap * this.S * 8);
    this.sF = new Float64Array(3 * cap);
  }

  /**
   * Work counts of each centre atom for these positions (Å), cell and FULL list, for balancing thread ranges:
   * out[3i] = list entries of i (all scanned), out[3i+1] = 2-body pairs it owns (evaluated on i), out[3i+2] = triplets
   * {j, k} of its short neighbours that pass the block and leg-cutoff tests (the 3-body terms evaluated, up to the
   * jk knot test). Deterministic (counts only). `out` has 3 numbers per atom.
   */
  centreCounts(positions: Float64Array, cell: Mat3, types: Int32Array, list: FullPairList, out: Float64Array): Float64Array {
    const T = this.T, n = types.length;
    const { start, index, image } = list;
    const x = positions;
    const c2CutSq = this.c2CutSq, c3Cut = this.c3Cut, bHas = this.bHas, bRij = this.bRij, bRik = this.bRik;
    const H00 = cell[0], H01 = cell[1], H02 = cell[2], H10 = cell[3], H11 = cell[4], H12 = cell[5], H20 = cell[6], H21 = cell[7], H22 = cell[8];
    if (this.hasThreeBody && this.cap < 1) this.grow(64);
    for (let i = 0; i < n; i++) {
      const xi = x[3 * i], yi = x[3 * i + 1], zi = x[3 * i + 2], ti = types[i];
      const e0 = start[i], e1 = start[i + 1];
      if (e1 - e0 > this.cap) this.grow(e1 - e0);
      const sT = this.sT, sR = this.sR;
      let pairs = 0, ns = 0;
      for (let e = e0; e < e1; e++) {
        const j = index[e], n0 = image[3 * e], n1 = image[3 * e + 1], n2 = image[3 * e + 2];
        const dx = x[3 * j] - xi + n0 * H00 + n1 * H10 + n2 * H20, dy = x[3 * j + 1] - yi + n0 * H01 + n1 * H11 + n2 * H21, dz = x[3 * j + 2] - zi + n0 * H02 + n1 * H12 + n2 * H22;
        const r2 = dx * dx + dy * dy + dz * dz, p = ti * T + types[j];
        if (!(r2 < c2CutSq[p])) continue;
        if (j > i || (j === i && (n0 > 0 || (n0 === 0 && (n1 > 0 || (n1 === 0 && n2 > 0)))))) pairs++; // owned, as in computeRange
        const r = Math.sqrt(r2);
        if (this.hasThreeBody && r <= c3Cut[p]) { sT[ns] = types[j]; sR[ns] = r; ns++; }
      }
      let triplets = 0;
      for (let a = 0; a < ns - 1; a++) {
        const base = (ti * T + sT[a]) * T, rij = sR[a];
        for (let b = a + 1; b < ns; b++) {
          const blk = base + sT[b];
          if (bHas[blk] !== 0 && rij <= bRij[blk] && sR[b] <= bRik[blk]) triplets++;
        }
      }
      out[3 * i] = e1 - e0; out[3 * i + 1] = pairs; out[3 * i + 2] = triplets;
    }
    return out;
  }

  /**
   * Adds the contributions of centre atoms i ∈ [i0, i1) to `forces` (eV/Å, 3N) and `virial` (eV, 3×3
   * row-major, W = Σ r⊗f) and returns their energy (eV, without 1-body terms). `types[i]` indexes
   * `elements`; `list` is a FULL neighbour list (any cutoff ≥ this.cutoff, e.g. with a Verlet skin)
   * for these positions (Å) and cell (rows, Å). `energies` (optional) receives per-atom energies:
   * half of each pair energy to each atom, each triplet to its centre.
   */
  computeRange(i0: number, i1: number, positions: Float64Array, cell: Mat3, types: Int32Array, list: FullPairList,
    forces: Float64Array, virial: Float64Array, energies?: Float64Array): number {
    const T = this.T, S = this.S;
    const { start, index, image } = list;
    const x = positions;
    const H00 = cell[0], H01 = cell[1], H02 = cell[2], H10 = cell[3], H11 = cell[4], H12 = cell[5], H20 = cell[6], H21 = cell[7], H22 = cell[8];
    const c2CutSq = this.c2CutSq, c2Min = this.c2Min, c2InvH = this.c2InvH, c2NSpan = this.c2NSpan;
    const c2Uniform = this.c2Uniform, c2BreakOff = this.c2BreakOff, c2PolyOff = this.c2PolyOff, breaks2 = this.breaks2, poly2 = this.poly2;
    const has3 = this.hasThreeBody, c3Cut = this.c3Cut, slotCount = this.slotCount, slotLeg = this.slotLeg;
    const lgMin = this.lgMin, lgInvH = this.lgInvH, lgNSpan = this.lgNSpan, lgUniform = this.lgUniform, lgBreakOff = this.lgBreakOff, lgPolyOff = this.lgPolyOff;
    const legBreaks = this.legBreaks, legInvH = this.legInvH, legPoly = this.legPoly;
    const bHas = this.bHas, bRij = this.bRij, bRik = this.bRik, bSlotIJ = this.bSlotIJ, bSlotIK = this.bSlotIK, bLegJK = this.bLegJK;
    const bMinJK = this.bMinJK, bCoefOff = this.bCoefOff, bM = this.bM, bN = this.bN, coef = this.coef;
    const bLoL = this.bLoL, bHiL = this.bHiL, bLoM = this.bLoM, bHiM = this.bHiM;
    const extrapolate = this.belowRange === 'extrapolate';
    let energy = 0;
    let wxx = 0, wyy = 0, wzz = 0, wyz = 0, wxz = 0, wxy = 0;

    for (let i = i0; i < i1; i++) {
      const xi = x[3 * i], yi = x[3 * i + 1], zi = x[3 * i + 2];
      if (!(Number.isFinite(xi) && Number.isFinite(yi) && Number.isFinite(zi))) throw new InputError(`atom ${i} has a non-finite position (${xi}, ${yi}, ${zi})`);
      const ti = types[i];
      const e0 = start[i], e1 = start[i + 1];
      if (has3 && e1 - e0 > this.cap) this.grow(e1 - e0);
      const sJ = this.sJ, sT = this.sT, sD = this.sD, sR = this.sR, sSpan = this.sSpan, sB = this.sB, sF = this.sF;
      let ns = 0;
      let fix = 0, fiy = 0, fiz = 0;
      for (let e = e0; e < e1; e++) {
        const j = index[e];
        const n0 = image[3 * e], n1 = image[3 * e + 1], n2 = image[3 * e + 2];
        let dx = x[3 * j] - xi, dy = x[3 * j + 1] - yi, dz = x[3 * j + 2] - zi;
        if ((n0 | n1 | n2) !== 0) {
          dx += n0 * H00 + n1 * H10 + n2 * H20;
          dy += n0 * H01 + n1 * H11 + n2 * H21;
          dz += n0 * H02 + n1 * H12 + n2 * H22;
        }
        const r2 = dx * dx + dy * dy + dz * dz;
        const tj = types[j];
        const p = ti * T + tj;
        if (!(r2 < c2CutSq[p])) continue;
        const r = Math.sqrt(r2);
        if (j > i || (j === i && (n0 > 0 || (n0 === 0 && (n1 > 0 || (n1 === 0 && n2 > 0)))))) {
          // ---- 2-body, owned pair: E += 2 V(r)
          let v: number, dv: number;
          if (r >= c2Min[p]) {
            let k = ((r - c2Min[p]) * c2InvH[p]) | 0;
            const nsp = c2NSpan[p];
            if (k >= nsp) k = nsp - 1;
            const bo = c2BreakOff[p];
            if (c2Uniform[p] === 0) {
              while (k > 0 && r < breaks2[bo + k]) k--;
              while (k < nsp - 1 && r >= breaks2[bo + k + 1]) k++;
            }
            const o = c2PolyOff[p] + k * CURVE_STRIDE;
            const u = (r - breaks2[bo + k]) * poly2[o + 7];
            v = poly2[o] + u * (poly2[o + 1] + u * (poly2[o + 2] + u * poly2[o + 3]));
            dv = poly2[o + 4] + u * (poly2[o + 5] + u * poly2[o + 6]);
          } else if (extrapolate) {
            const o = c2PolyOff[p];
            v = poly2[o] + poly2[o + 4] * (r - c2Min[p]);
            dv = poly2[o + 4];
          } else {
            throw new TooCloseError(i, j, this.elements[ti], this.elements[tj], r, c2Min[p]);
          }
          energy += 2 * v;
          if (energies) { energies[i] += v; energies[j] += v; }
          const g = (2 * dv) / r; // F_i = g·d, F_j = −g·d
          const fx = g * dx, fy = g * dy, fz = g * dz;
          fix += fx; fiy += fy; fiz += fz;
          forces[3 * j] -= fx; forces[3 * j + 1] -= fy; forces[3 * j + 2] -= fz;
          wxx -= dx * fx; wyy -= dy * fy; wzz -= dz * fz; wyz -= dy * fz; wxz -= dx * fz; wxy -= dx * fy;
        }
        if (has3 && r <= c3Cut[p]) {
          // ---- short neighbour for the 3-body term: store vector and the leg bases of its slots
          sJ[ns] = j; sT[ns] = tj; sR[ns] = r;
          sD[3 * ns] = dx; sD[3 * ns + 1] = dy; sD[3 * ns + 2] = dz;
          sF[3 * ns] = 0; sF[3 * ns + 1] = 0; sF[3 * ns + 2] = 0;
          const nSlot = slotCount[p];
          for (let s = 0; s < nSlot; s++) {
            const leg = slotLeg[p * S + s];
            const q = ns * S + s;
            if (r < lgMin[leg]) { sSpan[q] = -1; continue; }
            let k = ((r - lgMin[leg]) * lgInvH[leg]) | 0;
            const nsp = lgNSpan[leg];
            if (k >= nsp) k = nsp - 1;
            const bo = lgBreakOff[leg];
            if (lgUniform[leg] === 0) {
              while (k > 0 && r < legBreaks[bo + k]) k--;
              while (k < nsp - 1 && r >= legBreaks[bo + k + 1]) k++;
            }
            sSpan[q] = k;
            const o = lgPolyOff[leg] + k * LEG_STRIDE;
            const u = (r - legBreaks[bo + k]) * legInvH[bo + k];
            const w = 8 * q;
            sB[w] = legPoly[o] + u * (legPoly[o + 1] + u * (legPoly[o + 2] + u * legPoly[o + 3]));
            sB[w + 1] = legPoly[o + 4] + u * (legPoly[o + 5] + u * (legPoly[o + 6] + u * legPoly[o + 7]));
            sB[w + 2] = legPoly[o + 8] + u * (legPoly[o + 9] + u * (legPoly[o + 10] + u * legPoly[o + 11]));
            sB[w + 3] = legPoly[o + 12] + u * (legPoly[o + 13] + u * (legPoly[o + 14] + u * legPoly[o + 15]));
            sB[w + 4] = legPoly[o + 16] + u * (legPoly[o + 17] + u * legPoly[o + 18]);
            sB[w + 5] = legPoly[o + 19] + u * (legPoly[o + 20] + u * legPoly[o + 21]);
            sB[w + 6] = legPoly[o + 22] + u * (legPoly[o + 23] + u * legPoly[o + 24]);
            sB[w + 7] = legPoly[o + 25] + u * (legPoly[o + 26] + u * legPoly[o + 27]);
          }
          ns++;
        }
      }

      // ---- 3-body triplets centred on i
      for (let a = 0; a < ns - 1; a++) {
        const tj = sT[a], rij = sR[a];
        const djx = sD[3 * a], djy = sD[3 * a + 1], djz = sD[3 * a + 2];
        const blkBase = (ti * T + tj) * T;
        let fjx = 0, fjy = 0, fjz = 0;
        for (let b = a + 1; b < ns; b++) {
          const tk = sT[b];
          const blk = blkBase + tk;
          if (bHas[blk] === 0) continue;
          const rik = sR[b];
          if (rij > bRij[blk] || rik > bRik[blk]) continue;
          const qa = a * S + bSlotIJ[blk], qb = b * S + bSlotIK[blk];
          const l0 = sSpan[qa], m0 = sSpan[qb];
          if (l0 < 0 || m0 < 0) continue;
          const dkx = sD[3 * b], dky = sD[3 * b + 1], dkz = sD[3 * b + 2];
          const ex = dkx - djx, ey = dky - djy, ez = dkz - djz;
          const rjk = Math.sqrt(ex * ex + ey * ey + ez * ez);
          const leg = bLegJK[blk];
          if (rjk < bMinJK[blk]) continue;
          // jk basis
          let k = ((rjk - lgMin[leg]) * lgInvH[leg]) | 0;
          const nsp = lgNSpan[leg];
          if (k >= nsp) k = nsp - 1;
          const bo = lgBreakOff[leg];
          if (lgUniform[leg] === 0) {
            while (k > 0 && rjk < legBreaks[bo + k]) k--;
            while (k < nsp - 1 && rjk >= legBreaks[bo + k + 1]) k++;
          }
          const o = lgPolyOff[leg] + k * LEG_STRIDE;
          const u = (rjk - legBreaks[bo + k]) * legInvH[bo + k];
          const c0 = legPoly[o] + u * (legPoly[o + 1] + u * (legPoly[o + 2] + u * legPoly[o + 3]));
          const c1 = legPoly[o + 4] + u * (legPoly[o + 5] + u * (legPoly[o + 6] + u * legPoly[o + 7]));
          const c2 = legPoly[o + 8] + u * (legPoly[o + 9] + u * (legPoly[o + 10] + u * legPoly[o + 11]));
          const c3 = legPoly[o + 12] + u * (legPoly[o + 13] + u * (legPoly[o + 14] + u * legPoly[o + 15]));
          const d0 = legPoly[o + 16] + u * (legPoly[o + 17] + u * legPoly[o + 18]);
          const d1 = legPoly[o + 19] + u * (legPoly[o + 20] + u * legPoly[o + 21]);
          const d2 = legPoly[o + 22] + u * (legPoly[o + 23] + u * legPoly[o + 24]);
          const d3 = legPoly[o + 25] + u * (legPoly[o + 26] + u * legPoly[o + 27]);
          // contraction Σ c[l0+l][m0+m][k+n] Bij_l Bik_m Bjk_n and its three leg derivatives
          const M = bM[blk], N = bN[blk], MN = M * N;
          const base = bCoefOff[blk] + (l0 * M + m0) * N + k;
          const wa = 8 * qa, wb = 8 * qb;
          let en = 0, gij = 0, gik = 0, gjk = 0;
          // only the l, m planes holding non-zero coefficients (trimmed planes are skipped)
          const lS = Math.max(0, bLoL[blk] - l0), lE = Math.min(3, bHiL[blk] - l0);
          const mS = Math.max(0, bLoM[blk] - m0), mE = Math.min(3, bHiM[blk] - m0);
          for (let l = lS; l <= lE; l++) {
            let t = 0, tb = 0, tc = 0;
            let o0 = base + l * MN + mS * N;
            for (let m = mS; m <= mE; m++, o0 += N) {
              const q0 = coef[o0], q1 = coef[o0 + 1], q2 = coef[o0 + 2], q3 = coef[o0 + 3];
              const s = q0 * c0 + q1 * c1 + q2 * c2 + q3 * c3;
              const sd = q0 * d0 + q1 * d1 + q2 * d2 + q3 * d3;
              const bm = sB[wb + m];
              t += bm * s; tb += sB[wb + 4 + m] * s; tc += bm * sd;
            }
            const bl = sB[wa + l], dl = sB[wa + 4 + l];
            en += bl * t; gij += dl * t; gik += bl * tb; gjk += bl * tc;
          }
          energy += en;
          if (energies) energies[i] += en;
          // forces: F_j = −g_ij u_ij + g_jk u_jk, F_k = −g_ik u_ik − g_jk u_jk (u: unit vectors)
          const aij = gij / rij, aik = gik / rik, ajk = gjk / rjk;
          const gx = ajk * ex, gy = ajk * ey, gz = ajk * ez;
          fjx += gx - aij * djx; fjy += gy - aij * djy; fjz += gz - aij * djz;
          const q3 = 3 * b;
          sF[q3] -= aik * dkx + gx; sF[q3 + 1] -= aik * dky + gy; sF[q3 + 2] -= aik * dkz + gz;
        }
        sF[3 * a] += fjx; sF[3 * a + 1] += fjy; sF[3 * a + 2] += fjz;
      }
      // scatter the 3-body forces of the short neighbours; F_i = −Σ F_a; W += Σ d_a ⊗ F_a (symmetrised)
      for (let a = 0; a < ns; a++) {
        const fx = sF[3 * a], fy = sF[3 * a + 1], fz = sF[3 * a + 2];
        if (fx === 0 && fy === 0 && fz === 0) continue;
        const j = sJ[a];
        forces[3 * j] += fx; forces[3 * j + 1] += fy; forces[3 * j + 2] += fz;
        fix -= fx; fiy -= fy; fiz -= fz;
        const dx = sD[3 * a], dy = sD[3 * a + 1], dz = sD[3 * a + 2];
        wxx += dx * fx; wyy += dy * fy; wzz += dz * fz;
        wyz += 0.5 * (dy * fz + dz * fy); wxz += 0.5 * (dx * fz + dz * fx); wxy += 0.5 * (dx * fy + dy * fx);
      }
      forces[3 * i] += fix; forces[3 * i + 1] += fiy; forces[3 * i + 2] += fiz;
    }
    virial[0] += wxx; virial[4] += wyy; virial[8] += wzz;
    virial[1] += wxy; virial[3] += wxy;
    virial[2] += wxz; virial[6] += wxz;
    virial[5] += wyz; virial[7] += wyz;
    return energy;
  }
}
