/**
 * The linear-model layout of a UF3 fit (science.md §2 "Fitting"): which B-spline coefficients are free
 * columns of the design matrix. Columns: one 1-body column per element, then for each 2-body pair the
 * coefficients left after the leading/trailing trims, then for each 3-body block (centre; a ≤ b) the grid
 * points (l, m, n) left after the trims, the triangle-inequality mask and — when both neighbours are the
 * same element — the symmetry compression (l ≤ m; column (l, m, n) stands for c_lmn = c_mln).
 * Distances in Å.
 */
import { InputError } from '../../core/errors';
import { uniformKnots } from '../bspline';
import type { UF3Model, ThreeBodyTerm, TwoBodyTerm } from '../model';
import { allPairs, allTriples, validateModel } from '../model';

/** Knot range and resolution of one term (uniform knots). */
export interface RangeSpec {
  /** Lowest knot, Å. */
  rMin: number;
  /** Cutoff (last knot), Å; for 3-body terms the ij/ik leg cutoff R (the jk leg goes to 2R). */
  rMax: number;
  /** Knot intervals (ij/ik legs for 3-body; the jk leg gets twice as many). */
  intervals: number;
}

/** What to fit: elements, knot ranges and trims. Per-pair/per-block entries override the defaults. */
export interface BasisSpec {
  elements: string[];
  twoBody: RangeSpec & { pairs?: Record<string, Partial<RangeSpec>> };
  /** Omit for a 2-body-only potential. */
  threeBody?: RangeSpec & { blocks?: Record<string, Partial<RangeSpec>> };
  /** Zeroed coefficients at each end: 2-body default leading 0, trailing 3; 3-body 3 and 3 (uf3 defaults). */
  trims?: { leading2?: number; trailing2?: number; leading3?: number; trailing3?: number };
}

/** One 2-body block of the layout. */
export interface PairBlock {
  elements: [string, string];
  knots: number[];
  /** Column of each coefficient (−1: trimmed, fixed at 0). */
  column: Int32Array;
}

/** One 3-body block (canonical orientation: centre, a ≤ b in element order). */
export interface TripleBlock {
  elements: [string, string, string];
  knots: { ij: number[]; ik: number[]; jk: number[] };
  shape: [number, number, number];
  /** Column of each grid point (l·M + m)·N + n (−1: trimmed or masked, fixed at 0). */
  column: Int32Array;
  symmetric: boolean;
}

/** The complete column layout. */
export interface FitLayout {
  elements: string[];
  nColumns: number;
  /** Column of each element's 1-body energy. */
  oneBody: number[];
  pairs: PairBlock[];
  triples: TripleBlock[];
  /** Body order (1, 2, 3) of each column. */
  order: Uint8Array;
  /** Largest 2-body cutoff, Å. */
  cutoff: number;
}

/** Knot support of basis function q: (t_q, t_{q+4}). */
function support(knots: number[], q: number): [number, number] {
  return [knots[q], knots[q + 4]];
}

/** True when B_l(r_ij)·B_m(r_ik)·B_n(r_jk) can be non-zero for some triangle (open supports). */
export function triangleFeasible(kij: number[], kik: number[], kjk: number[], l: number, m: number, n: number): boolean {
  const [al, ah] = support(kij, l), [bl, bh] = support(kik, m), [cl, ch] = support(kjk, n);
  const lo = Math.max(0, al - bh, bl - ah);
  return cl < ah + bh && ch > lo;
}

function rangeOf(base: RangeSpec, over: Partial<RangeSpec> | undefined, what: string): RangeSpec {
  const r = { ...base, ...(over ?? {}) };
  if (!(Number.isFinite(r.rMin) && Number.isFinite(r.rMax) && r.rMin >= 0 && r.rMax > r.rMin)) throw new InputError(`${what}: need 0 ≤ rMin < rMax (Å), got ${r.rMin}, ${r.rMax}`);
  if (!(Number.isInteger(r.intervals) && r.intervals >= 1)) throw new InputError(`${what}: intervals must be a positive integer, got ${r.intervals}`);
  return r;
}

function lookup<T>(map: Record<string, T> | undefined, keys: string[]): T | undefined {
  if (!map) return undefined;
  for (const k of keys) if (map[k] !== undefined) return map[k];
  return undefined;
}

/** Builds the column layout of a basis specification. */
export function buildLayout(spec: BasisSpec): FitLayout {
  const els = spec.elements;
  if (!Array.isArray(els) || els.length === 0 || new Set(els).size !== els.length) throw new InputError(`basis elements must be a list of distinct symbols, got ${JSON.stringify(els)}`);
  const t = spec.trims ?? {};
  const lead2 = t.leading2 ?? 0, trail2 = t.trailing2 ?? 3, lead3 = t.leading3 ?? 3, trail3 = t.trailing3 ?? 3;
  for (const [k, v] of Object.entries({ lead2, trail2, lead3, trail3 })) if (!(Number.isInteger(v) && v >= 0)) throw new InputError(`trim ${k} must be an integer ≥ 0, got ${v}`);
  let col = 0;
  const order: number[] = [];
  const oneBody = els.map(() => { order.push(1); return col++; });
  const pairs: PairBlock[] = allPairs(els).map(([a, b]) => {
    const r = rangeOf(spec.twoBody, lookup(spec.twoBody.pairs, [`${a}-${b}`, `${b}-${a}`]), `2-body ${a}-${b}`);
    const knots = Array.from(uniformKnots(r.rMin, r.rMax, r.intervals));
    const n = knots.length - 4;
    if (lead2 + trail2 >= n) throw new InputError(`2-body ${a}-${b}: ${r.intervals} intervals leave no free coefficient after trims ${lead2}+${trail2}`);
    const column = Int32Array.from({ length: n }, (_, q) => (q >= lead2 && q < n - trail2 ? (order.push(2), col++) : -1));
    return { elements: [a, b], knots, column };
  });
  const triples: TripleBlock[] = [];
  if (spec.threeBody)
    for (const [c, a, b] of allTriples(els)) {
      const r = rangeOf(spec.threeBody, lookup(spec.threeBody.blocks, [`${c}-${a}-${b}`, `${c}-${b}-${a}`]), `3-body ${c}-${a}-${b}`);
      const kij = Array.from(uniformKnots(r.rMin, r.rMax, r.intervals));
      const kjk = Array.from(uniformKnots(r.rMin, 2 * r.rMax, 2 * r.intervals));
      const L = kij.length - 4, N = kjk.length - 4;
      if (lead3 + trail3 >= L) throw new InputError(`3-body ${c}-${a}-${b}: ${r.intervals} intervals leave no free coefficient after trims ${lead3}+${trail3}`);
      const symmetric = a === b;
      const column = new Int32Array(L * L * N).fill(-1);
      const free = (q: number, n: number) => q >= lead3 && q < n - trail3;
      for (let l = 0; l < L; l++) for (let m = symmetric ? l : 0; m < L; m++) for (let n = 0; n < N; n++) {
        if (!free(l, L) || !free(m, L) || !free(n, N) || !triangleFeasible(kij, kij, kjk, l, m, n)) continue;
        column[(l * L + m) * N + n] = col;
        if (symmetric) column[(m * L + l) * N + n] = col;
        order.push(3);
        col++;
      }
      triples.push({ elements: [c, a, b], knots: { ij: kij, ik: [...kij], jk: kjk }, shape: [L, L, N], column, symmetric });
    }
  let cutoff = 0;
  for (const p of pairs) cutoff = Math.max(cutoff, p.knots[p.knots.length - 1]);
  return { elements: [...els], nColumns: col, oneBody, pairs, triples, order: Uint8Array.from(order), cutoff };
}

/** The UF3 model of a coefficient vector (eV): trimmed/masked coefficients are 0. */
export function modelFromCoefficients(layout: FitLayout, c: ArrayLike<number>, meta?: Record<string, unknown>): UF3Model {
  if (c.length !== layout.nColumns) throw new InputError(`expected ${layout.nColumns} coefficients, got ${c.length}`);
  const oneBody: Record<string, number> = {};
  layout.elements.forEach((e, q) => { oneBody[e] = c[layout.oneBody[q]]; });
  const twoBody: TwoBodyTerm[] = layout.pairs.map((p) => ({
    elements: [...p.elements] as [string, string],
    knots: [...p.knots],
    coefficients: Array.from(p.column, (k) => (k >= 0 ? c[k] : 0)),
    cutoff: p.knots[p.knots.length - 1],
  }));
  const threeBody: ThreeBodyTerm[] = layout.triples.map((t) => ({
    elements: [...t.elements] as [string, string, string],
    knots: { ij: [...t.knots.ij], ik: [...t.knots.ik], jk: [...t.knots.jk] },
    shape: [...t.shape] as [number, number, number],
    coefficients: Array.from(t.column, (k) => (k >= 0 ? c[k] : 0)),
    cutoffs: { ij: t.knots.ij[t.knots.ij.length - 1], ik: t.knots.ik[t.knots.ik.length - 1], jk: t.knots.jk[t.knots.jk.length - 1] },
  }));
  const model: UF3Model = { elements: [...layout.elements], oneBody, twoBody, threeBody, ...(meta ? { meta } : {}) };
  validateModel(model);
  return model;
}

/**
 * Repulsive core below the data (uf3's idea of a "core hardness"): 2-body coefficients whose basis
 * function vanishes at every distance ≥ rData[pair] (support below the shortest training distance) are
 * replaced by a wall: c_{q*−1} = max(c_q* … c_q*+3) + step and c_q = c_{q+1} + step further down, with
 * step = hardness·max(c_q* − c_q*+1, minStepEv), q* the first coefficient touching the data. The curve
 * then rises above its values at the data edge towards short r. Energies and forces of configurations
 * with all pair distances ≥ rData are unchanged. Returns the new model and the coefficients replaced per pair.
 */
export function repulsiveCore(model: UF3Model, rData: Record<string, number>, hardness = 1, minStepEv = 0.1): { model: UF3Model; replaced: Record<string, number> } {
  const replaced: Record<string, number> = {};
  const twoBody = model.twoBody.map((t) => {
    const key = t.elements.join('-'), rev = [...t.elements].reverse().join('-');
    const rd = rData[key] ?? rData[rev];
    const c = [...t.coefficients];
    if (rd === undefined) return t;
    let qs = 0;
    while (qs < c.length && t.knots[qs + 4] <= rd) qs++;
    if (qs === 0 || qs + 1 >= c.length) { replaced[key] = 0; return t; }
    const step = hardness * Math.max(c[qs] - c[qs + 1], minStepEv);
    c[qs - 1] = Math.max(...c.slice(qs, qs + 4)) + step;
    for (let q = qs - 2; q >= 0; q--) c[q] = c[q + 1] + step;
    replaced[key] = qs;
    return { ...t, coefficients: c };
  });
  return { model: { ...model, twoBody }, replaced };
}
