/**
 * UF3 features of one configuration (science.md §2 "Fitting"): the energy row (sums of basis functions
 * over ordered pairs and over triplets, plus element counts) and the force rows X_F = −∂(energy row)/∂x,
 * so that E = x_E·c and F = X_F·c for the coefficient vector c of the layout. The pair/triplet
 * conventions are those of the kernel (src/ufp/kernel.ts), so a fitted model evaluates exactly as fitted.
 *
 * Force rows are stored densely over the columns this configuration touches ("local" columns, in order
 * of first touch): forceRows[(3a + k)·stride + q] for atom a, component k, local column q, and
 * columns[q] is its global column.
 */
import type { Mat3, Pbc } from '../../core/cell';
import { InputError } from '../../core/errors';
import { NeighborListBuilder } from '../../core/neighbors';
import { compileLeg, LegTable, LEG_STRIDE, spanIndex } from '../tables';
import type { FitLayout } from './basis';

/** Features of one configuration (views into the featurizer's buffers until the next call). */
export interface FrameFeatures {
  natoms: number;
  /** Dense energy row over all columns (raw sums, not divided by the atom count). */
  energyRow: Float64Array;
  /** Number of local columns touched. */
  nLocal: number;
  /** Global column of each local column. */
  columns: Int32Array;
  /** Row stride of forceRows (≥ nLocal). */
  stride: number;
  /** 3N rows × stride: −∂(feature)/∂x for the local columns (eV/Å per eV of coefficient). */
  forceRows: Float64Array;
}

/** Computes features of configurations for one layout; reuses its buffers (one per thread). */
export class Featurizer {
  readonly P: number;
  private readonly T: number;
  private readonly pairLeg: LegTable[] = [];
  private readonly pairOf: Int32Array; // pair block index per ordered type pair
  private readonly pairCutSq: Float64Array;
  private readonly tripleLegs: { ij: LegTable; ik: LegTable; jk: LegTable }[] = [];
  private readonly tripleOf: Int32Array; // canonical triple block per (c, a, b) with a ≤ b, −1 otherwise
  private readonly shortCut: Float64Array; // largest leg cutoff per (centre, neighbour) type pair
  private readonly builder = new NeighborListBuilder();
  private energyRow: Float64Array;
  private local: Int32Array;
  private columns: Int32Array;
  private forceRows = new Float64Array(0);
  private nLocal = 0;
  private stride = 0;
  private natoms = 0;
  private readonly b = new Float64Array(24);

  constructor(readonly layout: FitLayout) {
    const els = layout.elements, T = els.length;
    this.T = T;
    this.P = layout.nColumns;
    this.energyRow = new Float64Array(this.P);
    this.local = new Int32Array(this.P).fill(-1);
    this.columns = new Int32Array(this.P);
    this.pairOf = new Int32Array(T * T).fill(-1);
    this.pairCutSq = new Float64Array(T * T);
    layout.pairs.forEach((p, q) => {
      this.pairLeg.push(compileLeg(p.knots));
      const a = els.indexOf(p.elements[0]), b = els.indexOf(p.elements[1]);
      const rc = p.knots[p.knots.length - 1];
      for (const k of [a * T + b, b * T + a]) { this.pairOf[k] = q; this.pairCutSq[k] = rc * rc; }
    });
    this.tripleOf = new Int32Array(T * T * T).fill(-1);
    this.shortCut = new Float64Array(T * T);
    layout.triples.forEach((t, q) => {
      this.tripleLegs.push({ ij: compileLeg(t.knots.ij), ik: compileLeg(t.knots.ik), jk: compileLeg(t.knots.jk) });
      const [c, a, b] = t.elements.map((e) => els.indexOf(e));
      this.tripleOf[(c * T + a) * T + b] = q;
      const R = t.knots.ij[t.knots.ij.length - 1];
      this.shortCut[c * T + a] = Math.max(this.shortCut[c * T + a], R);
      this.shortCut[c * T + b] = Math.max(this.shortCut[c * T + b], R);
    });
  }

  private col(global: number): number {
    let q = this.local[global];
    if (q < 0) {
      q = this.nLocal++;
      this.local[global] = q;
      this.columns[q] = global;
    }
    return q;
  }

  /** Basis values (b[o..o+3]) and derivatives (b[o+4..o+7], 1/Å) of a leg at r; returns the first index. */
  private basis(t: LegTable, r: number, o: number): number {
    const k = spanIndex(t, r);
    const p = t.poly, q = k * LEG_STRIDE;
    const u = (r - t.breaks[k]) * t.invHSpan[k];
    for (let m = 0; m < 4; m++) {
      this.b[o + m] = p[q + 4 * m] + u * (p[q + 4 * m + 1] + u * (p[q + 4 * m + 2] + u * p[q + 4 * m + 3]));
      this.b[o + 4 + m] = p[q + 16 + 3 * m] + u * (p[q + 16 + 3 * m + 1] + u * p[q + 16 + 3 * m + 2]);
    }
    return k;
  }

  /**
   * Features of one configuration: types index layout.elements; positions Å; cell rows Å. `where`
   * names the configuration in errors (e.g. a pair closer than the lowest knot of its curve).
   */
  featurize(types: Int32Array, positions: Float64Array, cell: Mat3, pbc: Pbc, where = 'configuration'): FrameFeatures {
    const n = types.length, T = this.T, P = this.P;
    // reset the previous frame's local columns
    for (let q = 0; q < this.nLocal; q++) this.local[this.columns[q]] = -1;
    this.nLocal = 0;
    this.energyRow.fill(0);
    if (this.stride !== P || this.forceRows.length < 3 * n * P) {
      this.stride = P;
      this.forceRows = new Float64Array(3 * n * P);
    } else this.forceRows.fill(0, 0, 3 * n * P);
    this.natoms = n;
    const S = this.stride, X = this.forceRows, E = this.energyRow, lay = this.layout;
    for (let i = 0; i < n; i++) E[lay.oneBody[types[i]]] += 1;
    const list = this.builder.build(positions, cell, pbc, lay.cutoff, { full: true });
    const { start, index, image } = list;
    const sj: number[] = [], sd: number[] = [], sr: number[] = [];
    const addF = (atom: number, q: number, gx: number, gy: number, gz: number) => {
      const o = 3 * atom * S + q;
      X[o] += gx; X[o + S] += gy; X[o + 2 * S] += gz;
    };
    for (let i = 0; i < n; i++) {
      const ti = types[i];
      sj.length = 0; sd.length = 0; sr.length = 0;
      for (let e = start[i]; e < start[i + 1]; e++) {
        const j = index[e];
        const n0 = image[3 * e], n1 = image[3 * e + 1], n2 = image[3 * e + 2];
        const dx = positions[3 * j] - positions[3 * i] + n0 * cell[0] + n1 * cell[3] + n2 * cell[6];
        const dy = positions[3 * j + 1] - positions[3 * i + 1] + n0 * cell[1] + n1 * cell[4] + n2 * cell[7];
        const dz = positions[3 * j + 2] - positions[3 * i + 2] + n0 * cell[2] + n1 * cell[5] + n2 * cell[8];
        const r2 = dx * dx + dy * dy + dz * dz;
        const tj = types[j], p = ti * T + tj;
        if (!(r2 < this.pairCutSq[p])) continue;
        const r = Math.sqrt(r2);
        const pb = this.pairOf[p], leg = this.pairLeg[pb];
        if (r < leg.t0) throw new InputError(`${where}: atoms ${i} (${lay.elements[ti]}) and ${j} (${lay.elements[tj]}) are ${r.toFixed(4)} Å apart, below the lowest 2-body knot ${leg.t0} Å; lower rMin of the ${lay.pairs[pb].elements.join('-')} curve`);
        if (j > i || (j === i && (n0 > 0 || (n0 === 0 && (n1 > 0 || (n1 === 0 && n2 > 0)))))) {
          const k = this.basis(leg, r, 0);
          const cols = lay.pairs[pb].column;
          for (let m = 0; m < 4; m++) {
            const g = cols[k + m];
            if (g < 0) continue;
            E[g] += 2 * this.b[m];
            const q = this.col(g);
            const s = (2 * this.b[4 + m]) / r;
            addF(i, q, s * dx, s * dy, s * dz);
            addF(j, q, -s * dx, -s * dy, -s * dz);
          }
        }
        if (r <= this.shortCut[p]) { sj.push(j); sd.push(dx, dy, dz); sr.push(r); }
      }
      // triplets (i; j, k), each unordered pair of short neighbours once
      const ns = sj.length;
      for (let a = 0; a < ns - 1; a++) for (let c = a + 1; c < ns; c++) {
        let ja = a, ka = c;
        let tj = types[sj[ja]], tk = types[sj[ka]];
        if (tj > tk) { ja = c; ka = a; const t = tj; tj = tk; tk = t; }
        const blk = this.tripleOf[(ti * T + tj) * T + tk];
        if (blk < 0) continue;
        const legs = this.tripleLegs[blk];
        const rij = sr[ja], rik = sr[ka];
        if (rij > legs.ij.tEnd || rik > legs.ik.tEnd || rij < legs.ij.t0 || rik < legs.ik.t0) continue;
        const jx = sd[3 * ja], jy = sd[3 * ja + 1], jz = sd[3 * ja + 2];
        const kx = sd[3 * ka], ky = sd[3 * ka + 1], kz = sd[3 * ka + 2];
        const ex = kx - jx, ey = ky - jy, ez = kz - jz;
        const rjk = Math.sqrt(ex * ex + ey * ey + ez * ez);
        if (rjk < legs.jk.t0) continue;
        const l0 = this.basis(legs.ij, rij, 0), m0 = this.basis(legs.ik, rik, 8), n0 = this.basis(legs.jk, rjk, 16);
        const tb = lay.triples[blk], [, M, N] = tb.shape, cols = tb.column;
        const B = this.b;
        const j = sj[ja], k = sj[ka];
        for (let l = 0; l < 4; l++) for (let m = 0; m < 4; m++) {
          const base = ((l0 + l) * M + m0 + m) * N + n0;
          const bl = B[l], dl = B[4 + l], bm = B[8 + m], dm = B[12 + m];
          for (let o = 0; o < 4; o++) {
            const g = cols[base + o];
            if (g < 0) continue;
            const bo = B[16 + o], dbo = B[20 + o];
            E[g] += bl * bm * bo;
            const gij = (dl * bm * bo) / rij, gik = (bl * dm * bo) / rik, gjk = (bl * bm * dbo) / rjk;
            const q = this.col(g);
            addF(i, q, gij * jx + gik * kx, gij * jy + gik * ky, gij * jz + gik * kz);
            addF(j, q, gjk * ex - gij * jx, gjk * ey - gij * jy, gjk * ez - gij * jz);
            addF(k, q, -gik * kx - gjk * ex, -gik * ky - gjk * ey, -gik * kz - gjk * ez);
          }
        }
      }
    }
    return { natoms: this.natoms, energyRow: E, nLocal: this.nLocal, columns: this.columns, stride: S, forceRows: X };
  }
}
