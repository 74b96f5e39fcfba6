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
  private coef = new Float64Array(0); // nc × nTen, c' = yScale·c/tenScale
  private gbuf = new Float64Array(0); // K radial values per half-list entry (entries touching a centre)
  private x = new Float64Array(0); // nc × nInv invariants
  private v6 = new Float64Array(0); // nc × 6 output
  private readonly hbuf: Float64Array;

  constructor(readonly params: EfgModelParams) {
    super(params.settings);
    checkParams(params);
    this.hbuf = new Float64Array(Math.max(1, params.hidden));
  }

  /** EFG tensors (V/Å², 9 per centre, row-major) at `centres`; `out` is filled (allocated when absent). */
  evaluate(positions: Float64Array, cell: Mat3, pbc: Pbc, types: Int32Array, centres: Int32Array, out?: Float64Array): Float64Array {
    const p = this.params, K = this.K, S = this.S, C = S * K, SS = S * S, nInv = this.nInv, nTen = this.nTen, H = p.hidden;
    const nc = centres.length;
    const { n, start, index } = this.prepare(positions, cell, pbc, types, centres);
    const slot = this.slot, pair = this.pair, vec = this.vec;
    const m = start[n];
    if (this.gbuf.length < K * m) this.gbuf = new Float64Array(Math.ceil(K * m * 1.2));
    if (this.x.length < nc * nInv) { this.x = new Float64Array(nc * nInv); this.coef = new Float64Array(nc * nTen); this.v6 = new Float64Array(nc * 6); }
    const gb = this.gbuf, x = this.x, coef = this.coef, v6 = this.v6, g = this.g;
    x.fill(0, 0, nc * nInv); v6.fill(0, 0, nc * 6);
    // pass A: radial functions and invariants of the centres
    for (let a = 0; a < n; a++) {
      const ta = slot[a];
      for (let e = start[a]; e < start[a + 1]; e++) {
        const r = pair[2 * e];
        if (r < 0) continue;
        const b = index[e], tb = slot[b];
        if (ta < 0 && tb < 0) continue;
        this.radial(r, this.prefactor(r, pair[2 * e + 1]), g);
        const o = K * e;
        for (let k = 0; k < K; k++) gb[o + k] = g[k];
        if (ta >= 0) { const oi = ta * nInv + types[b] * K; for (let k = 0; k < K; k++) x[oi + k] += g[k]; }
        if (tb >= 0) { const oi = tb * nInv + types[a] * K; for (let k = 0; k < K; k++) x[oi + k] += g[k]; }
      }
    }
    // gate: c = w + W2ᵀ tanh(W1ᵀ x̂ + b1), then c' = yScale·c/tenScale
    const { invMean, invStd, tenScale, w, W1, b1, W2, yScale } = p;
    const hb = this.hbuf;
    for (let t = 0; t < nc; t++) {
      for (let h = 0; h < H; h++) hb[h] = b1[h];
      for (let d = 0; d < nInv; d++) {
        const xv = (x[t * nInv + d] - invMean[d]) / invStd[d];
        const row = d * H;
        for (let h = 0; h < H; h++) hb[h] += xv * W1[row + h];
      }
      const oc = t * nTen;
      for (let f = 0; f < nTen; f++) coef[oc + f] = w[f];
      for (let h = 0; h < H; h++) {
        const a = Math.tanh(hb[h]), row = h * nTen;
        for (let f = 0; f < nTen; f++) coef[oc + f] += a * W2[row + f];
      }
      for (let f = 0; f < nTen; f++) coef[oc + f] *= yScale / tenScale[f];
    }
    // pass B: accumulate the output pair by pair
    for (let a = 0; a < n; a++) {
      const ta = slot[a];
      for (let e = start[a]; e < start[a + 1]; e++) {
        const r = pair[2 * e];
        if (r < 0) continue;
        const b = index[e], tb = slot[b];
        if (ta < 0 && tb < 0) continue;
        const fc = pair[2 * e + 1], vx = vec[3 * e], vy = vec[3 * e + 1], vz = vec[3 * e + 2];
        if (ta >= 0) this.accumulate(ta, types[b], b, vx, vy, vz, r, fc, K * e, C, SS);
        if (tb >= 0) this.accumulate(tb, types[a], a, -vx, -vy, -vz, r, fc, K * e, C, SS);
      }
    }
    const res = out ?? new Float64Array(9 * nc);
    if (res.length < 9 * nc) throw new InputError(`output holds ${res.length} numbers, need ${9 * nc}`);
    for (let t = 0; t < nc; t++) {
      const o = 6 * t, q = 9 * t;
      res[q] = v6[o]; res[q + 4] = v6[o + 1]; res[q + 8] = v6[o + 2];
      res[q + 1] = res[q + 3] = v6[o + 3]; res[q + 2] = res[q + 6] = v6[o + 4]; res[q + 5] = res[q + 7] = v6[o + 5];
    }
    return res;
  }

  /** Adds neighbour j (species s, r_ij = (x, y, z), distance r) of centre slot t to the output. */
  private accumulate(t: number, s: number, j: number, x: number, y: number, z: number, r: number, fc: number, og: number, C: number, SS: number): void {
    const K = this.K, S = this.S, coef = this.coef, oc = t * this.nTen, gb = this.gbuf, v6 = this.v6, o = 6 * t;
    const ir = 1 / r, ux = x * ir, uy = y * ir, uz = z * ir;
    const txx = ux * ux - 1 / 3, tyy = uy * uy - 1 / 3, tzz = uz * uz - 1 / 3, txy = ux * uy, txz = ux * uz, tyz = uy * uz;
    let aT = 0;
    const cm = oc + s * K;
    for (let k = 0; k < K; k++) aT += coef[cm + k] * gb[og + k];
    let sxx = aT * txx, syy = aT * tyy, szz = aT * tzz, sxy = aT * txy, sxz = aT * txz, syz = aT * tyz;
    const vx = -ux, vy = -uy, vz = -uz; // from the neighbour to the centre
    if (this.dipoles) {
      let e1x = 0, e1y = 0, e1z = 0, e2x = 0, e2y = 0, e2z = 0;
      const field = this.field;
      for (let sf = 0; sf < S; sf++) {
        const fo = 3 * (S * j + sf), c1 = coef[oc + C + sf * S + s], c2 = coef[oc + C + SS + sf * S + s];
        const ex = field[fo], ey = field[fo + 1], ez = field[fo + 2];
        e1x += c1 * ex; e1y += c1 * ey; e1z += c1 * ez; e2x += c2 * ex; e2y += c2 * ey; e2z += c2 * ez;
      }
      const h = fc * ir * ir * ir * ir;
      const d1 = (vx * e1x + vy * e1y + vz * e1z) / 3, d2 = h * (vx * e2x + vy * e2y + vz * e2z);
      sxx += h * (vx * e1x - d1) + d2 * txx; syy += h * (vy * e1y - d1) + d2 * tyy; szz += h * (vz * e1z - d1) + d2 * tzz;
      sxy += h * 0.5 * (vx * e1y + vy * e1x) + d2 * txy; sxz += h * 0.5 * (vx * e1z + vz * e1x) + d2 * txz; syz += h * 0.5 * (vy * e1z + vz * e1y) + d2 * tyz;
    }
    if (this.quads) {
      const grad = this.grad, q0 = oc + this.qOffset;
      let a0 = 0, a1 = 0, a2 = 0, a3 = 0, a4 = 0, a5 = 0, b0 = 0, b1 = 0, b2 = 0, b3 = 0, b4 = 0, b5 = 0, c0 = 0, c1 = 0, c2 = 0, c3 = 0, c4 = 0, c5 = 0;
      for (let sf = 0; sf < S; sf++) {
        const go = 6 * (S * j + sf), oq = q0 + sf * S + s;
        const ca = coef[oq], cb = coef[oq + SS], cc = coef[oq + 2 * SS];
        const g0 = grad[go], g1 = grad[go + 1], g2 = grad[go + 2], g3 = grad[go + 3], g4 = grad[go + 4], g5 = grad[go + 5];
        a0 += ca * g0; a1 += ca * g1; a2 += ca * g2; a3 += ca * g3; a4 += ca * g4; a5 += ca * g5;
        b0 += cb * g0; b1 += cb * g1; b2 += cb * g2; b3 += cb * g3; b4 += cb * g4; b5 += cb * g5;
        c0 += cc * g0; c1 += cc * g1; c2 += cc * g2; c3 += cc * g3; c4 += cc * g4; c5 += cc * g5;
      }
      const h5 = fc * ir * ir * ir * ir * ir;
      // form 1: G̃1 itself
      sxx += h5 * a0; syy += h5 * a1; szz += h5 * a2; sxy += h5 * a3; sxz += h5 * a4; syz += h5 * a5;
      // form 2: sym-traceless(v ⊗ G̃2 v)
      const wx = b0 * vx + b3 * vy + b4 * vz, wy = b3 * vx + b1 * vy + b5 * vz, wz = b4 * vx + b5 * vy + b2 * vz;
      const t3 = (vx * wx + vy * wy + vz * wz) / 3;
      sxx += h5 * (vx * wx - t3); syy += h5 * (vy * wy - t3); szz += h5 * (vz * wz - t3);
      sxy += h5 * 0.5 * (vx * wy + vy * wx); sxz += h5 * 0.5 * (vx * wz + vz * wx); syz += h5 * 0.5 * (vy * wz + vz * wy);
      // form 3: (vᵀ G̃3 v) T(v)
      const vgv = h5 * (c0 * vx * vx + c1 * vy * vy + c2 * vz * vz + 2 * (c3 * vx * vy + c4 * vx * vz + c5 * vy * vz));
      sxx += vgv * txx; syy += vgv * tyy; szz += vgv * tzz; sxy += vgv * txy; sxz += vgv * txz; syz += vgv * tyz;
    }
    v6[o] += sxx; v6[o + 1] += syy; v6[o + 2] += szz; v6[o + 3] += sxy; v6[o + 4] += sxz; v6[o + 5] += syz;
  }
}
