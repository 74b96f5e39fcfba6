/**
 * Fused inference of the EFG model (model.ts) for speed: the gate coefficients c_f depend only on the invariants,
 * so they are computed first and the output is accumulated pair by pair without storing the feature tensors:
 *   V_i = Σ_pairs [ a(r) T(u) + h₄ (sym-traceless(v ⊗ ẽ_j) + (v·ê_j) T(v)) + h₅ (G̃1_j + sym-traceless(v ⊗ G̃2_j v) + (vᵀG̃3_j v) T(v)) ]
 * with a(r) = Σ_k c'[s,k] g_k(r), ẽ_j = Σ_s' c'[D1,s',s] e_j[s'] (likewise ê, G̃1..3) and c' = s_y·c/s_f. It is the
 * same function as featurize + predictFromFeatures, rearranged (verified equal in tests), and about 2–3× faster.
 */
import { InputError } from '../core/errors';
import type { Mat3, Pbc } from '../core/cell';
import { Featurizer } from './descriptors';
import { checkParams, type EfgModelParams } from './model';

/** Evaluates a model on frames with reusable buffers; `evaluate` returns tensors (V/Å², 9 per centre). */
export class FusedEfgEvaluator extends Featurizer {
  /**
   * Gate coefficients c' = yScale·c/tenScale regrouped per (centre, neighbour species s), NQ numbers each:
   * c'[M s,k] (K), then for each field species sf c'[D1 sf,s] and c'[D2 sf,s] (S each), then c'[Q1..Q3 sf,s] (S each).
   */
  private cs = new Float64Array(0);
  private readonly NQ: number;
  private v6 = new Float64Array(0); // nc × 6 output
  private readonly hbuf: Float64Array;
  private readonly xhat: Float64Array; // standardised invariants of one centre
  private readonly wg: Float64Array; // w·yScale/tenScale in the regrouped layout
  private readonly W1t: Float64Array; // W1 transposed (hidden × nInv)
  private readonly W2t: Float64Array; // W2·yScale/tenScale transposed, rows in the regrouped layout (nTen × hidden)

  constructor(readonly params: EfgModelParams) {
    super(params.settings);
    checkParams(params);
    this.hbuf = new Float64Array(Math.max(1, params.hidden));
    const K = this.K, S = this.S, SS = S * S, C = S * K, nTen = this.nTen, H = params.hidden;
    const NQ = (this.NQ = K + (this.dipoles ? 2 * S : 0) + (this.quads ? 3 * S : 0));
    // feature index of each regrouped position (a permutation of 0..nTen−1)
    const perm: number[] = [];
    for (let s = 0; s < S; s++) {
      for (let k = 0; k < K; k++) perm.push(s * K + k);
      if (this.dipoles) for (const form of [0, 1]) for (let sf = 0; sf < S; sf++) perm.push(C + form * SS + sf * S + s);
      if (this.quads) for (const form of [0, 1, 2]) for (let sf = 0; sf < S; sf++) perm.push(this.qOffset + form * SS + sf * S + s);
    }
    if (perm.length !== S * NQ || S * NQ !== nTen) throw new Error('fused EFG: feature regrouping is not a permutation');
    const scale = (f: number) => params.yScale / params.tenScale[f];
    this.wg = Float64Array.from(perm, (f) => params.w[f] * scale(f));
    this.W2t = new Float64Array(H * nTen);
    perm.forEach((f, q) => { for (let h = 0; h < H; h++) this.W2t[q * H + h] = params.W2[h * nTen + f] * scale(f); });
    const nInv = this.nInv;
    this.xhat = new Float64Array(nInv);
    this.W1t = new Float64Array(H * nInv);
    for (let d = 0; d < nInv; d++) for (let h = 0; h < H; h++) this.W1t[h * nInv + d] = params.W1[d * H + h];
  }

  /** EFG tensors (V/Å², 9 per centre, row-major) at `centres`; `out` is filled (allocated when absent). */
  evaluate(positions: Float64Array, cell: Mat3, pbc: Pbc, types: Int32Array, centres: Int32Array, out?: Float64Array): Float64Array {
    const nc = centres.length;
    const res = out ?? new Float64Array(9 * nc);
    if (res.length < 9 * nc) throw new InputError(`output holds ${res.length} numbers, need ${9 * nc}`);
    const np = this.prepare(positions, cell, pbc, types, centres);
    if (this.cs.length < nc * this.nTen) { this.cs = new Float64Array(nc * this.nTen); this.v6 = new Float64Array(nc * 6); }
    // one hot loop per method: each is optimised as a whole (a function with several hot loops is entered through
    // on-stack replacement at its first loop and deoptimised at the next one, frame after frame)
    this.gate(nc);
    this.output(np, types);
    this.unpack(nc, res);
    return res;
  }

  /** Gate: c' = w' + W2'ᵀ tanh(W1ᵀ x̂ + b1) per centre, in the regrouped layout (w', W2': w, W2 scaled by yScale/tenScale). */
  private gate(nc: number): void {
    const p = this.params, nInv = this.nInv, nTen = this.nTen, H = p.hidden, x = this.inv, cs = this.cs;
    const { invMean, invStd, b1 } = p;
    const xh = this.xhat, th = this.hbuf, wg = this.wg, W1t = this.W1t, W2t = this.W2t;
    for (let t = 0; t < nc; t++) {
      const ox = t * nInv;
      for (let d = 0; d < nInv; d++) xh[d] = (x[ox + d] - invMean[d]) / invStd[d];
      for (let h = 0; h < H; h++) {
        let acc = b1[h];
        for (let d = 0, o = h * nInv; d < nInv; d++) acc += xh[d] * W1t[o + d];
        th[h] = Math.tanh(acc);
      }
      // four output coefficients at a time: four independent sums keep the multiply-add pipeline full
      const oc = t * nTen;
      let f = 0;
      for (; f + 3 < nTen; f += 4) {
        let a0 = wg[f], a1 = wg[f + 1], a2 = wg[f + 2], a3 = wg[f + 3];
        for (let h = 0, o = f * H; h < H; h++, o++) {
          const v = th[h];
          a0 += v * W2t[o]; a1 += v * W2t[o + H]; a2 += v * W2t[o + 2 * H]; a3 += v * W2t[o + 3 * H];
        }
        cs[oc + f] = a0; cs[oc + f + 1] = a1; cs[oc + f + 2] = a2; cs[oc + f + 3] = a3;
      }
      for (; f < nTen; f++) {
        let acc = wg[f];
        for (let h = 0, o = f * H; h < H; h++) acc += th[h] * W2t[o + h];
        cs[oc + f] = acc;
      }
    }
  }

  /** The output V (6 numbers per centre), pair by pair: each centre pair adds to whichever of its atoms is a centre. */
  private output(np: number, types: Int32Array): void {
    const K = this.K, S = this.S, NQ = this.NQ, REC = this.REC, slot = this.slot, rec = this.rec, pairAtoms = this.pairAtoms;
    const cs = this.cs, v6 = this.v6, field = this.field, grad = this.grad, dip = this.dipoles, quad = this.quads;
    v6.fill(0);
    for (let q = 0; q < np; q++) {
      const a = pairAtoms[2 * q], b = pairAtoms[2 * q + 1], o = REC * q;
      const ux0 = rec[o], uy0 = rec[o + 1], uz0 = rec[o + 2], h4 = rec[o + 5], h5 = rec[o + 6];
      // T(u) is the same for both directions
      const txx = ux0 * ux0 - 1 / 3, tyy = uy0 * uy0 - 1 / 3, tzz = uz0 * uz0 - 1 / 3, txy = ux0 * uy0, txz = ux0 * uz0, tyz = uy0 * uz0;
      for (let dir = 0; dir < 2; dir++) {
        const t = dir === 0 ? slot[a] : slot[b];
        if (t < 0) continue;
        const j = dir === 0 ? b : a;
        // v: unit vector from the neighbour j to the centre (−u for the centre a, +u for the centre b)
        const vx = dir === 0 ? -ux0 : ux0, vy = dir === 0 ? -uy0 : uy0, vz = dir === 0 ? -uz0 : uz0;
        let oc = (t * S + types[j]) * NQ;
        let aT = 0;
        for (let k = 0; k < K; k++) aT += cs[oc + k] * rec[o + 7 + k];
        oc += K;
        let sxx = aT * txx, syy = aT * tyy, szz = aT * tzz, sxy = aT * txy, sxz = aT * txz, syz = aT * tyz;
        if (dip) {
          let e1x = 0, e1y = 0, e1z = 0, e2x = 0, e2y = 0, e2z = 0;
          for (let sf = 0, fo = 3 * S * j; sf < S; sf++, fo += 3) {
            const c1 = cs[oc + sf], c2 = cs[oc + S + sf];
            const ex = field[fo], ey = field[fo + 1], ez = field[fo + 2];
            e1x += c1 * ex; e1y += c1 * ey; e1z += c1 * ez; e2x += c2 * ex; e2y += c2 * ey; e2z += c2 * ez;
          }
          oc += 2 * S;
          const d1 = (vx * e1x + vy * e1y + vz * e1z) / 3, d2 = h4 * (vx * e2x + vy * e2y + vz * e2z);
          sxx += h4 * (vx * e1x - d1) + d2 * txx; syy += h4 * (vy * e1y - d1) + d2 * tyy; szz += h4 * (vz * e1z - d1) + d2 * tzz;
          sxy += h4 * 0.5 * (vx * e1y + vy * e1x) + d2 * txy; sxz += h4 * 0.5 * (vx * e1z + vz * e1x) + d2 * txz; syz += h4 * 0.5 * (vy * e1z + vz * e1y) + d2 * tyz;
        }
        if (quad) {
          // per field species: G v and vᵀG v, so that only 10 sums are live (G̃1: 6, G̃2 v: 3, vᵀG̃3 v: 1)
          let a0 = 0, a1 = 0, a2 = 0, a3 = 0, a4 = 0, a5 = 0, wx = 0, wy = 0, wz = 0, vgv = 0;
          for (let sf = 0, go = 6 * S * j; sf < S; sf++, go += 6) {
            const ca = cs[oc + sf], cb = cs[oc + S + sf], cc = cs[oc + 2 * S + sf];
            const g0 = grad[go], g1 = grad[go + 1], g2 = grad[go + 2], g3 = grad[go + 3], g4 = grad[go + 4], g5 = grad[go + 5];
            a0 += ca * g0; a1 += ca * g1; a2 += ca * g2; a3 += ca * g3; a4 += ca * g4; a5 += ca * g5;
            const gx = g0 * vx + g3 * vy + g4 * vz, gy = g3 * vx + g1 * vy + g5 * vz, gz = g4 * vx + g5 * vy + g2 * vz;
            wx += cb * gx; wy += cb * gy; wz += cb * gz;
            vgv += cc * (vx * gx + vy * gy + vz * gz);
          }
          // form 1: G̃1 itself
          sxx += h5 * a0; syy += h5 * a1; szz += h5 * a2; sxy += h5 * a3; sxz += h5 * a4; syz += h5 * a5;
          // form 2: sym-traceless(v ⊗ G̃2 v)
          const t3 = (vx * wx + vy * wy + vz * wz) / 3;
          sxx += h5 * (vx * wx - t3); syy += h5 * (vy * wy - t3); szz += h5 * (vz * wz - t3);
          sxy += h5 * 0.5 * (vx * wy + vy * wx); sxz += h5 * 0.5 * (vx * wz + vz * wx); syz += h5 * 0.5 * (vy * wz + vz * wy);
          // form 3: (vᵀ G̃3 v) T(v)
          const q3 = h5 * vgv;
          sxx += q3 * txx; syy += q3 * tyy; szz += q3 * tzz; sxy += q3 * txy; sxz += q3 * txz; syz += q3 * tyz;
        }
        const ov = 6 * t;
        v6[ov] += sxx; v6[ov + 1] += syy; v6[ov + 2] += szz; v6[ov + 3] += sxy; v6[ov + 4] += sxz; v6[ov + 5] += syz;
      }
    }
  }

  /** 6-component output → 9 components per centre (V/Å²). */
  private unpack(nc: number, res: Float64Array): void {
    const v6 = this.v6;
    for (let t = 0; t < nc; t++) {
      const o = 6 * t, r9 = 9 * t;
      res[r9] = v6[o]; res[r9 + 4] = v6[o + 1]; res[r9 + 8] = v6[o + 2];
      res[r9 + 1] = res[r9 + 3] = v6[o + 3]; res[r9 + 2] = res[r9 + 6] = v6[o + 4]; res[r9 + 5] = res[r9 + 7] = v6[o + 5];
    }
  }
}
