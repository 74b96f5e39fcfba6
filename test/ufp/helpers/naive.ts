/**
 * A naive UF3 evaluation used as independent truth and as the benchmark baseline: brute-force
 * periodic images, every basis function evaluated from the knots by Cox–de Boor (no precomputed
 * tables), the energy written literally as science.md §2 states it (ordered pairs, j < k triplets).
 */
import { basisDerivatives, findSpan } from '../../../src/ufp/bspline';
import type { UF3Model, ThreeBodyTerm, TwoBodyTerm } from '../../../src/ufp/model';
import { perpendicularWidths } from '../../../src/core/cell';

interface Neighbor { j: number; d: [number, number, number]; r: number }

function neighbors(x: Float64Array, cell: Float64Array, pbc: boolean[], i: number, rc: number): Neighbor[] {
  const n = x.length / 3;
  const w = pbc.some(Boolean) ? perpendicularWidths(cell) : [1, 1, 1];
  const span = [0, 1, 2].map((k) => (pbc[k] ? Math.ceil(rc / w[k]) + 1 : 0));
  const out: Neighbor[] = [];
  for (let j = 0; j < n; j++)
    for (let a = -span[0]; a <= span[0]; a++) for (let b = -span[1]; b <= span[1]; b++) for (let c = -span[2]; c <= span[2]; c++) {
      if (j === i && a === 0 && b === 0 && c === 0) continue;
      const d: [number, number, number] = [0, 0, 0];
      for (let k = 0; k < 3; k++) d[k] = x[3 * j + k] - x[3 * i + k] + a * cell[k] + b * cell[3 + k] + c * cell[6 + k];
      const r = Math.hypot(d[0], d[1], d[2]);
      if (r < rc) out.push({ j, d, r });
    }
  return out;
}

function basis(knots: number[], r: number): { first: number; b: Float64Array } {
  const s = findSpan(knots, r);
  return { first: s - 3, b: basisDerivatives(knots, s, r, 1) };
}

/** Energy (eV, with 1-body), forces (eV/Å) of a model on a structure, the slow literal way. */
export function naiveEvaluate(model: UF3Model, species: string[], x: Float64Array, cell: Float64Array, pbc: boolean[] = [true, true, true]): { energy: number; forces: Float64Array } {
  const els = model.elements;
  const n = species.length;
  const two = new Map<string, TwoBodyTerm>();
  for (const t of model.twoBody) { two.set(`${t.elements[0]}-${t.elements[1]}`, t); two.set(`${t.elements[1]}-${t.elements[0]}`, t); }
  const three = new Map<string, { t: ThreeBodyTerm; swap: boolean }>();
  for (const t of model.threeBody) {
    three.set(t.elements.join('-'), { t, swap: false });
    if (t.elements[1] !== t.elements[2]) three.set(`${t.elements[0]}-${t.elements[2]}-${t.elements[1]}`, { t, swap: true });
  }
  let rc = 0;
  for (const t of model.twoBody) rc = Math.max(rc, t.cutoff);
  let energy = 0;
  const f = new Float64Array(3 * n);
  const add = (a: number, v: number[], s: number) => { for (let k = 0; k < 3; k++) f[3 * a + k] += s * v[k]; };
  for (let i = 0; i < n; i++) {
    energy += model.oneBody[species[i]] ?? 0;
    const nb = neighbors(x, cell, pbc, i, rc);
    const short: Neighbor[] = [];
    for (const q of nb) {
      const t = two.get(`${species[i]}-${species[q.j]}`)!;
      if (q.r >= t.cutoff) continue;
      const { first, b } = basis(t.knots, q.r);
      let v = 0, dv = 0;
      for (let m = 0; m < 4; m++) { v += t.coefficients[first + m] * b[m]; dv += t.coefficients[first + m] * b[4 + m]; }
      energy += v; // ordered pair i→j
      const u = q.d.map((c) => c / q.r);
      add(i, u, dv); add(q.j, u, -dv);
      short.push(q);
    }
    if (model.threeBody.length === 0) continue;
    for (let a = 0; a < short.length; a++) for (let c = a + 1; c < short.length; c++) {
      const p = short[a], q = short[c];
      const blk = three.get(`${species[i]}-${species[p.j]}-${species[q.j]}`)!;
      const t = blk.t;
      const R = t.cutoffs.ij;
      // legs in the stored orientation
      const [P, Q] = blk.swap ? [q, p] : [p, q];
      if (P.r > t.cutoffs.ij || Q.r > t.cutoffs.ik || P.r < t.knots.ij[0] || Q.r < t.knots.ik[0]) continue;
      const djk = [0, 1, 2].map((k) => Q.d[k] - P.d[k]);
      const rjk = Math.hypot(djk[0], djk[1], djk[2]);
      if (rjk < t.knots.jk[0]) continue;
      void R;
      const A = basis(t.knots.ij, P.r), B = basis(t.knots.ik, Q.r), C = basis(t.knots.jk, rjk);
      const [, M, N] = t.shape;
      let e = 0, g1 = 0, g2 = 0, g3 = 0;
      for (let l = 0; l < 4; l++) for (let m = 0; m < 4; m++) for (let o = 0; o < 4; o++) {
        const cf = t.coefficients[((A.first + l) * M + B.first + m) * N + C.first + o];
        e += cf * A.b[l] * B.b[m] * C.b[o];
        g1 += cf * A.b[4 + l] * B.b[m] * C.b[o];
        g2 += cf * A.b[l] * B.b[4 + m] * C.b[o];
        g3 += cf * A.b[l] * B.b[m] * C.b[4 + o];
      }
      energy += e;
      const u1 = P.d.map((v) => v / P.r), u2 = Q.d.map((v) => v / Q.r), u3 = djk.map((v) => v / rjk);
      // E(r_iP, r_iQ, r_PQ): F_i = g1 u1 + g2 u2, F_P = −g1 u1 + g3 u3, F_Q = −g2 u2 − g3 u3
      add(i, u1, g1); add(i, u2, g2);
      add(P.j, u1, -g1); add(P.j, u3, g3);
      add(Q.j, u2, -g2); add(Q.j, u3, -g3);
    }
  }
  void els;
  return { energy, forces: f };
}
