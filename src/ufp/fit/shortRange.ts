/**
 * Short-range behaviour of fitted UF3 pair curves below the training data: a physically grounded
 * repulsive prior (the ZBL universal screened-Coulomb pair energy, Ziegler, Biersack & Littmark, "The
 * Stopping and Range of Ions in Solids", 1985) represented in each 2-body B-spline basis, the data edge of
 * each element pair, and shape constraints that make every pair curve at least as steep as the prior below
 * that edge (monotone repulsive wall; B-spline coefficients that fall monotonically give a monotone curve).
 * The fit regularises towards the prior instead of towards zero, so coefficients no data see follow the
 * prior and the fitted model stays a pure UF3 potential. Units: Å, eV.
 */
import { InputError } from '../../core/errors';
import { element } from '../../core/elements';
import { COULOMB_EV_A } from '../../core/units';
import { basisDerivatives, findSpan } from '../bspline';
import type { FitLayout, PairBlock } from './basis';
import type { FitFrame } from './data';
import type { LinearConstraint } from './qp';

/** ZBL universal screening function coefficients (amplitude, exponent). */
const ZBL_TERMS: [number, number][] = [[0.18175, 3.1998], [0.50986, 0.94229], [0.28022, 0.4029], [0.02817, 0.20162]];

/** ZBL pair energy (eV) and its derivative (eV/Å) of nuclear charges z1, z2 at distance r (Å). */
export function zblPair(z1: number, z2: number, r: number): [number, number] {
  if (!(r > 0)) throw new InputError(`ZBL pair energy needs r > 0 Å, got ${r}`);
  const a = 0.46850 / (z1 ** 0.23 + z2 ** 0.23); // screening length, Å
  const k = z1 * z2 * COULOMB_EV_A;
  let phi = 0, dphi = 0;
  for (const [c, d] of ZBL_TERMS) { const e = c * Math.exp((-d * r) / a); phi += e; dphi -= (d / a) * e; }
  return [(k / r) * phi, (k / r) * dphi - (k / (r * r)) * phi];
}

/** Values of all basis functions of a clamped cubic knot vector at r (Float64Array of n = knots − 4). */
function basisRow(knots: number[], r: number): Float64Array {
  const n = knots.length - 4, row = new Float64Array(n);
  const s = findSpan(knots, r);
  const d = basisDerivatives(knots, s, r, 0);
  for (let b = 0; b < 4; b++) row[s - 3 + b] = d[b];
  return row;
}

/** Least-squares representation of a curve in a B-spline basis. */
export interface CurveProjection {
  /** Coefficients (fixed ones, e.g. trimmed, keep their given value 0). */
  coefficients: number[];
  /** Largest |spline − f| (eV) on [from, to] and the largest relative error there. */
  maxErrorEv: number;
  maxRelError: number;
}

/**
 * Projects f (eV) onto the B-spline basis of `knots`, only the coefficients with free[q] true varying (others
 * 0): weighted least squares on 40 points per knot interval over [knots[0], last knot], weights 1/max(|f|, floorEv)
 * (relative accuracy where f is large). Errors are reported on [from, to] (default: the whole range).
 */
export function projectCurve(knots: number[], f: (r: number) => number, free: boolean[], opts: { floorEv?: number; from?: number; to?: number } = {}): CurveProjection {
  const n = knots.length - 4, r0 = knots[0], r1 = knots[knots.length - 1];
  const floor = opts.floorEv ?? 0.05;
  const idx = free.map((v, q) => (v ? q : -1)).filter((q) => q >= 0);
  const m = idx.length;
  const A = new Float64Array(m * m), b = new Float64Array(m);
  const samples = 40 * (knots.length - 7);
  for (let k = 0; k <= samples; k++) {
    const r = r0 + ((r1 - r0) * k) / samples;
    const y = f(r), w = 1 / Math.max(Math.abs(y), floor);
    const row = basisRow(knots, r);
    for (let a = 0; a < m; a++) {
      const va = row[idx[a]] * w * w;
      if (va === 0) continue;
      b[a] += va * y;
      for (let c = 0; c < m; c++) A[a * m + c] += va * row[idx[c]];
    }
  }
  for (let a = 0; a < m; a++) A[a * m + a] += 1e-14 * (1 + A[a * m + a]);
  const coef = solveSmallSpd(A, b, m);
  const coefficients = new Array<number>(n).fill(0);
  idx.forEach((q, a) => { coefficients[q] = coef[a]; });
  const from = opts.from ?? r0, to = opts.to ?? r1;
  let maxErrorEv = 0, maxRelError = 0;
  for (let k = 0; k <= 2000; k++) {
    const r = from + ((to - from) * k) / 2000;
    const row = basisRow(knots, Math.min(r, r1));
    let s = 0;
    for (let q = 0; q < n; q++) s += row[q] * coefficients[q];
    const y = f(r), e = Math.abs(s - y);
    maxErrorEv = Math.max(maxErrorEv, e);
    maxRelError = Math.max(maxRelError, e / Math.max(Math.abs(y), floor));
  }
  return { coefficients, maxErrorEv, maxRelError };
}

/** Cholesky solve of a small SPD system (row-major m×m). */
function solveSmallSpd(A: Float64Array, b: Float64Array, m: number): Float64Array {
  const L = Float64Array.from(A);
  for (let j = 0; j < m; j++) {
    let d = L[j * m + j];
    for (let k = 0; k < j; k++) d -= L[j * m + k] ** 2;
    if (!(d > 0)) throw new InputError('prior projection: singular basis (too few samples per interval)');
    L[j * m + j] = Math.sqrt(d);
    for (let i = j + 1; i < m; i++) {
      let s = L[i * m + j];
      for (let k = 0; k < j; k++) s -= L[i * m + k] * L[j * m + k];
      L[i * m + j] = s / L[j * m + j];
    }
  }
  const y = new Float64Array(m);
  for (let i = 0; i < m; i++) { let s = b[i]; for (let k = 0; k < i; k++) s -= L[i * m + k] * y[k]; y[i] = s / L[i * m + i]; }
  for (let i = m - 1; i >= 0; i--) { let s = y[i]; for (let k = i + 1; k < m; k++) s -= L[k * m + i] * y[k]; y[i] = s / L[i * m + i]; }
  return y;
}

/** Key of an element pair as the layout names it ("A-B", A first in element order). */
export function pairName(p: PairBlock): string {
  return p.elements.join('-');
}

/** The prior of a layout: a coefficient per column (ZBL/2 on 2-body columns, since UF3 counts each pair twice; 0 elsewhere). */
export interface PairPrior {
  /** Prior value of every column (P). */
  columns: Float64Array;
  /** Per pair: full coefficient vector of V2_prior (trimmed ones 0) and the representation error. */
  pairs: Record<string, { coefficients: number[]; maxErrorEv: number; maxRelError: number }>;
}

/**
 * ZBL prior of a layout: V2(r) = ZBL(r)/2 per pair (the pair energy 2·V2 is the ZBL energy) projected onto
 * each 2-body basis with its trims. Representation errors are measured on [rMin + one knot interval, 3 Å]
 * (relative to max(|ZBL|/2, 0.05 eV)).
 */
export function zblPrior(layout: FitLayout): PairPrior {
  const columns = new Float64Array(layout.nColumns);
  const pairs: PairPrior['pairs'] = {};
  for (const p of layout.pairs) {
    const z1 = element(p.elements[0]).Z, z2 = element(p.elements[1]).Z;
    const k = p.knots, h = k[4] - k[3];
    const proj = projectCurve(k, (r) => 0.5 * zblPair(z1, z2, r)[0], Array.from(p.column, (c) => c >= 0), { from: k[0] + h, to: Math.min(3, k[k.length - 1]) });
    p.column.forEach((c, q) => { if (c >= 0) columns[c] = proj.coefficients[q]; });
    pairs[pairName(p)] = proj;
  }
  return { columns, pairs };
}

/** Distances of each element pair in training data: the shortest and the k-th shortest (the data edge). */
export interface PairEdges {
  /** Shortest distance per pair, Å. */
  min: Record<string, number>;
  /** Distance of the k-th shortest pair (Å): below it the data hold fewer than k pairs. */
  edge: Record<string, number>;
  /** Number of pairs closer than 2.2 Å (how much short-range data there is). */
  below2p2: Record<string, number>;
  k: number;
}

/** Shortest and k-th shortest distance of each element pair ("A-B" in element order) over the frames (pairs within rc Å). */
export function pairEdges(frames: FitFrame[], elements: string[], k = 10, rc = 3): PairEdges {
  if (!(Number.isInteger(k) && k >= 1)) throw new InputError(`edge count must be a positive integer, got ${k}`);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { NeighborListBuilder } = require('../../core/neighbors') as typeof import('../../core/neighbors');
  const builder = new NeighborListBuilder();
  const shortest = new Map<string, number[]>(); // the k smallest distances, ascending
  const below: Record<string, number> = {};
  for (const f of frames) {
    const l = builder.build(f.positions, f.cell, f.pbc, rc, { full: false });
    const x = f.positions, h = f.cell;
    for (let i = 0; i < f.species.length; i++) for (let e = l.start[i]; e < l.start[i + 1]; e++) {
      const j = l.index[e], n0 = l.image[3 * e], n1 = l.image[3 * e + 1], n2 = l.image[3 * e + 2];
      const dx = x[3 * j] - x[3 * i] + n0 * h[0] + n1 * h[3] + n2 * h[6];
      const dy = x[3 * j + 1] - x[3 * i + 1] + n0 * h[1] + n1 * h[4] + n2 * h[7];
      const dz = x[3 * j + 2] - x[3 * i + 2] + n0 * h[2] + n1 * h[5] + n2 * h[8];
      const a = elements.indexOf(f.species[i]), b = elements.indexOf(f.species[j]);
      const key = a <= b ? `${f.species[i]}-${f.species[j]}` : `${f.species[j]}-${f.species[i]}`;
      const r = Math.sqrt(dx * dx + dy * dy + dz * dz);
      if (r < 2.2) below[key] = (below[key] ?? 0) + 1;
      let list = shortest.get(key);
      if (!list) shortest.set(key, (list = []));
      if (list.length < k || r < list[list.length - 1]) {
        let q = list.length;
        while (q > 0 && list[q - 1] > r) q--;
        list.splice(q, 0, r);
        if (list.length > k) list.pop();
      }
    }
  }
  const min: Record<string, number> = {}, edge: Record<string, number> = {};
  for (const [key, list] of shortest) { min[key] = list[0]; edge[key] = list[list.length - 1]; }
  return { min, edge, below2p2: below, k };
}

/**
 * Shape constraints of the 2-body curves below the data edge, on the derivative coefficients
 * d_q ∝ c_{q+1} − c_q (science.md §2; basis function support [t_{q+1}, t_{q+4}]) with p the prior's:
 * where that support lies below edge[pair], (c_q − c_{q+1}) ≥ (p_q − p_{q+1}): the fitted curve minus the
 * prior does not fall towards short r, so the curve rises at least as steeply as the prior; where the support
 * straddles the edge with its centre below it, c_q ≥ c_{q+1}: the curve does not fall towards short r (monotone,
 * no constraint on its steepness where data exist). Bases centred above the edge are left to the data (a
 * bond-length minimum just above the edge stays free). Pairs missing from `edge` (no data) are constrained
 * over their whole range.
 */
export function monotoneWallConstraints(layout: FitLayout, prior: PairPrior, edge: Record<string, number>): LinearConstraint[] {
  const out: LinearConstraint[] = [];
  for (const p of layout.pairs) {
    const key = pairName(p), rev = [...p.elements].reverse().join('-');
    const rEdge = edge[key] ?? edge[rev] ?? Infinity;
    const pc = prior.pairs[key].coefficients, t = p.knots;
    for (let q = 0; q + 1 < p.column.length; q++) {
      if (!(t[q + 1] + t[q + 4] <= 2 * rEdge)) break;
      const below = t[q + 4] <= rEdge;
      const cols: number[] = [], vals: number[] = [];
      // fixed (trimmed) coefficients are 0: nothing moves to the right-hand side
      if (p.column[q] >= 0) { cols.push(p.column[q]); vals.push(1); }
      if (p.column[q + 1] >= 0) { cols.push(p.column[q + 1]); vals.push(-1); }
      if (cols.length === 0) continue;
      const rhs = below ? pc[q] - pc[q + 1] : 0;
      if (!Number.isFinite(rhs)) throw new InputError(`prior of ${key} is not finite at coefficient ${q}`);
      out.push({ cols: Int32Array.from(cols), vals: Float64Array.from(vals), rhs, label: `${key} q=${q} ${below ? 'steep' : 'monotone'}` });
    }
  }
  return out;
}
