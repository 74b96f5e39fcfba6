/**
 * Normal equations of the UF3 least-squares fit, accumulated configuration by configuration so that the
 * design matrix is never stored (science.md §2 "Fitting"): energy part G_E = X_EᵀX_E, b_E = X_Eᵀy_E
 * (rows = per-atom energies, features divided by the atom count) and force part G_F, b_F (one row per
 * force component), with the sums needed for the weights w = 1/(√n·std(y)) and for exact RMSEs of any
 * coefficient vector: RMSE² = (cᵀGc − 2cᵀb + yᵀy)/n. Only the upper triangle of G is filled.
 */
import { InputError } from '../../core/errors';
import type { FrameFeatures } from './featurize';

/** Tile edge of the local Gram matrix (64 columns). */
const TILE_BITS = 6, TILE = 1 << TILE_BITS, TILE_MASK = TILE - 1;

/** Plain-data form of {@link NormalEquations} (structured-clone / transfer safe). */
export interface NormalData {
  P: number;
  gE: Float64Array; bE: Float64Array; yyE: number; nE: number; sumE: number;
  gF: Float64Array; bF: Float64Array; yyF: number; nF: number; sumF: number;
}

/** Accumulated normal equations of one group of configurations. */
export class NormalEquations implements NormalData {
  gE: Float64Array; bE: Float64Array; yyE = 0; nE = 0; sumE = 0;
  gF: Float64Array; bF: Float64Array; yyF = 0; nF = 0; sumF = 0;
  private scratch = new Float64Array(0);
  private order = new Int32Array(0);
  private nz = new Int32Array(0);
  private v0 = new Float64Array(0);
  private v1 = new Float64Array(0);
  private v2 = new Float64Array(0);

  constructor(readonly P: number) {
    this.gE = new Float64Array(P * P);
    this.bE = new Float64Array(P);
    this.gF = new Float64Array(P * P);
    this.bF = new Float64Array(P);
  }

  /** Rebuilds an accumulator from its plain data. */
  static from(d: NormalData): NormalEquations {
    const q = new NormalEquations(0);
    Object.assign(q, { P: d.P, gE: d.gE, bE: d.bE, yyE: d.yyE, nE: d.nE, sumE: d.sumE, gF: d.gF, bF: d.bF, yyF: d.yyF, nF: d.nF, sumF: d.sumF });
    return q;
  }

  /** The plain data (shares the arrays). */
  data(): NormalData {
    const { P, gE, bE, yyE, nE, sumE, gF, bF, yyF, nF, sumF } = this;
    return { P, gE, bE, yyE, nE, sumE, gF, bF, yyF, nF, sumF };
  }

  /**
   * Adds one configuration: its energy row divided by N with target energyPerAtom (eV/atom; pass NaN to
   * skip), and the force rows with targets forces (eV/Å, 3N; undefined to skip). `forceAtoms` (optional)
   * selects the atoms whose force rows are used.
   */
  addFrame(f: FrameFeatures, energyPerAtom: number, forces?: Float64Array, forceAtoms?: Int32Array): void {
    const P = this.P;
    if (f.energyRow.length !== P) throw new InputError(`features have ${f.energyRow.length} columns, the accumulator ${P}`);
    if (Number.isFinite(energyPerAtom)) {
      const x = f.energyRow, inv = 1 / f.natoms;
      // the energy row is non-zero only on the touched columns and the 1-body columns
      const nz: number[] = [];
      for (let c = 0; c < P; c++) if (x[c] !== 0) nz.push(c);
      for (let a = 0; a < nz.length; a++) {
        const ca = nz[a], va = x[ca] * inv;
        this.bE[ca] += va * energyPerAtom;
        const row = ca * P;
        for (let b = a; b < nz.length; b++) this.gE[row + nz[b]] += va * x[nz[b]] * inv;
      }
      this.yyE += energyPerAtom * energyPerAtom;
      this.sumE += energyPerAtom;
      this.nE++;
    }
    if (forces) {
      const atoms = forceAtoms ?? Int32Array.from({ length: f.natoms }, (_, i) => i);
      this.addForceRows(f, forces, atoms);
    }
  }

  private addForceRows(f: FrameFeatures, y: Float64Array, atoms: Int32Array): void {
    const p = f.nLocal, S = f.stride, X = f.forceRows, cols = f.columns, P = this.P;
    // local columns in ascending global order: an atom's columns then cluster into few 64×64 tiles
    if (this.order.length < p) { this.order = new Int32Array(p); this.nz = new Int32Array(p); this.v0 = new Float64Array(p); this.v1 = new Float64Array(p); this.v2 = new Float64Array(p); }
    const order = this.order;
    for (let q = 0; q < p; q++) order[q] = q;
    order.subarray(0, p).sort((a, b) => cols[a] - cols[b]);
    const nT = (p + TILE - 1) >> TILE_BITS;
    const need = nT * nT * TILE * TILE;
    if (this.scratch.length < need) this.scratch = new Float64Array(need);
    const L = this.scratch;
    L.fill(0, 0, need);
    const nz = this.nz, v0 = this.v0, v1 = this.v1, v2 = this.v2;
    const segStart = new Int32Array(nT + 1);
    const touched = new Int32Array(nT);
    for (const a of atoms) {
      const o0 = 3 * a * S, o1 = o0 + S, o2 = o1 + S;
      const y0 = y[3 * a], y1 = y[3 * a + 1], y2 = y[3 * a + 2];
      if (!(Number.isFinite(y0) && Number.isFinite(y1) && Number.isFinite(y2))) throw new InputError(`non-finite reference force on atom ${a}`);
      this.yyF += y0 * y0 + y1 * y1 + y2 * y2;
      this.sumF += y0 + y1 + y2;
      this.nF += 3;
      // the (sorted) columns this atom's three force rows touch, compacted, with their tile segments
      let m = 0, nt = 0;
      for (let sIdx = 0; sIdx < p; sIdx++) {
        const q = order[sIdx];
        const a0 = X[o0 + q], a1 = X[o1 + q], a2 = X[o2 + q];
        if (a0 === 0 && a1 === 0 && a2 === 0) continue;
        const t = sIdx >> TILE_BITS;
        if (nt === 0 || touched[nt - 1] !== t) { touched[nt] = t; segStart[nt] = m; nt++; }
        nz[m] = sIdx; v0[m] = a0; v1[m] = a1; v2[m] = a2; m++;
        this.bF[cols[q]] += a0 * y0 + a1 * y1 + a2 * y2;
      }
      segStart[nt] = m;
      // rank-3 update, one tile pair at a time (each 64×64 tile stays in cache)
      for (let A = 0; A < nt; A++) {
        const u0 = segStart[A], u1 = segStart[A + 1];
        for (let B = A; B < nt; B++) {
          const tile = (touched[A] * nT + touched[B]) << (2 * TILE_BITS);
          const w0 = segStart[B], w1 = segStart[B + 1];
          for (let u = u0; u < u1; u++) {
            const base = tile + ((nz[u] & TILE_MASK) << TILE_BITS), a0 = v0[u], a1 = v1[u], a2 = v2[u];
            for (let w = B === A ? u : w0; w < w1; w++) L[base + (nz[w] & TILE_MASK)] += a0 * v0[w] + a1 * v1[w] + a2 * v2[w];
          }
        }
      }
    }
    // scatter the tiles into the global upper triangle (sorted order keeps global i ≤ j)
    const G = this.gF;
    for (let ti = 0; ti < nT; ti++) for (let tj = ti; tj < nT; tj++) {
      const tile = (ti * nT + tj) << (2 * TILE_BITS);
      for (let r = 0; r < TILE; r++) {
        const si = (ti << TILE_BITS) + r;
        if (si >= p) break;
        const gi = cols[order[si]] * P;
        const rb = tile + (r << TILE_BITS);
        for (let c = 0; c < TILE; c++) {
          const v = L[rb + c];
          if (v === 0) continue;
          G[gi + cols[order[(tj << TILE_BITS) + c]]] += v;
        }
      }
    }
  }

  /** Adds another accumulator of the same size. */
  merge(o: NormalData): void {
    if (o.P !== this.P) throw new InputError(`cannot merge normal equations of ${o.P} and ${this.P} columns`);
    for (let q = 0; q < this.gE.length; q++) { this.gE[q] += o.gE[q]; this.gF[q] += o.gF[q]; }
    for (let q = 0; q < this.P; q++) { this.bE[q] += o.bE[q]; this.bF[q] += o.bF[q]; }
    this.yyE += o.yyE; this.nE += o.nE; this.sumE += o.sumE;
    this.yyF += o.yyF; this.nF += o.nF; this.sumF += o.sumF;
  }
}

/** cᵀGc for G holding its upper triangle. */
export function quadraticForm(G: Float64Array, P: number, c: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < P; i++) {
    const ci = c[i];
    if (ci === 0) continue;
    const row = i * P;
    let t = 0.5 * G[row + i] * ci;
    for (let j = i + 1; j < P; j++) t += G[row + j] * c[j];
    s += ci * t;
  }
  return 2 * s;
}

/** Energy (eV/atom) and force (eV/Å) RMSE of coefficients c over the configurations of `d` (NaN when empty). */
export function rmseOf(d: NormalData, c: ArrayLike<number>): { energy: number; forces: number } {
  const dot = (b: Float64Array) => { let s = 0; for (let q = 0; q < d.P; q++) s += b[q] * c[q]; return s; };
  const e2 = (quadraticForm(d.gE, d.P, c) - 2 * dot(d.bE) + d.yyE) / d.nE;
  const f2 = (quadraticForm(d.gF, d.P, c) - 2 * dot(d.bF) + d.yyF) / d.nF;
  return { energy: d.nE > 0 ? Math.sqrt(Math.max(0, e2)) : NaN, forces: d.nF > 0 ? Math.sqrt(Math.max(0, f2)) : NaN };
}
