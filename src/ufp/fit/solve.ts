/**
 * Solving the weighted, regularised normal equations (science.md §2 "Fitting"):
 *   G = κ w_E² X_EᵀX_E + (1−κ) w_F² X_FᵀX_F + RᵀR,  b = κ w_E² X_Eᵀy_E + (1−κ) w_F² X_Fᵀy_F,  c = G⁻¹b
 * with w = 1/(√n·std(y)), R = ridge (√λ·I per body order) plus curvature penalties (second differences
 * along each 2-body curve and along the three axes of each 3-body grid, trimmed coefficients held at 0).
 * Dense Cholesky; columns that no data and no penalty touch get coefficient 0. With a prior p (e.g. the
 * ZBL pair repulsion, shortRange.ts) the penalties act on c − p (b += RᵀR p), so coefficients the data do
 * not determine follow the prior; linear inequality constraints (shape constraints) make it a small
 * quadratic programme (qp.ts).
 */
import { InputError } from '../../core/errors';
import type { FitLayout } from './basis';
import type { NormalData } from './normal';
import { choleskyFactor, choleskySolveFactored, LinearConstraint, QPResult, solveQP } from './qp';

/** Weighting and regularisation of one solve. */
export interface SolveSettings {
  /** Energy weight κ ∈ [0, 1] (forces get 1 − κ). */
  kappa: number;
  /** Ridge strengths per body order (after the normalisation above). */
  ridge1?: number;
  ridge2?: number;
  ridge3?: number;
  /** Curvature (second-difference) strengths for 2- and 3-body coefficients. */
  curvature2?: number;
  curvature3?: number;
  /** Hold the 1-body columns at 0 (their values are then the energy baseline exactly). */
  fixOneBody?: boolean;
}

/** Sparse difference rows of the curvature penalty, per body order. */
export interface CurvatureRows {
  two: { cols: Int32Array; vals: Float64Array }[];
  three: { cols: Int32Array; vals: Float64Array }[];
}

function diffRow(cols: number[], vals: number[]): { cols: Int32Array; vals: Float64Array } | undefined {
  const m = new Map<number, number>();
  cols.forEach((c, q) => { if (c >= 0) m.set(c, (m.get(c) ?? 0) + vals[q]); });
  for (const [c, v] of m) if (v === 0) m.delete(c);
  if (m.size === 0) return undefined;
  return { cols: Int32Array.from(m.keys()), vals: Float64Array.from(m.values()) };
}

/** Second-difference rows of every 2-body curve and along each axis of every 3-body grid. */
export function curvatureRows(layout: FitLayout): CurvatureRows {
  const two: CurvatureRows['two'] = [], three: CurvatureRows['three'] = [];
  for (const p of layout.pairs) {
    const c = p.column;
    for (let q = 1; q + 1 < c.length; q++) { const r = diffRow([c[q - 1], c[q], c[q + 1]], [1, -2, 1]); if (r) two.push(r); }
  }
  for (const t of layout.triples) {
    const [L, M, N] = t.shape, c = t.column;
    const at = (l: number, m: number, n: number) => c[(l * M + m) * N + n];
    for (let l = 0; l < L; l++) for (let m = 0; m < M; m++) for (let n = 0; n < N; n++) {
      const rows = [
        l > 0 && l + 1 < L ? diffRow([at(l - 1, m, n), at(l, m, n), at(l + 1, m, n)], [1, -2, 1]) : undefined,
        m > 0 && m + 1 < M ? diffRow([at(l, m - 1, n), at(l, m, n), at(l, m + 1, n)], [1, -2, 1]) : undefined,
        n > 0 && n + 1 < N ? diffRow([at(l, m, n - 1), at(l, m, n), at(l, m, n + 1)], [1, -2, 1]) : undefined,
      ];
      for (const r of rows) if (r) three.push(r);
    }
  }
  return { two, three };
}

/** Standard deviation of the targets of a group (population), from its sums. */
export function targetStd(n: number, sum: number, yy: number): number {
  return n > 0 ? Math.sqrt(Math.max(0, yy / n - (sum / n) ** 2)) : NaN;
}

/** Assembles G (full symmetric) and b for the settings; `prior` (one value per column) centres the penalties. */
export function assemble(train: NormalData, layout: FitLayout, s: SolveSettings, curv: CurvatureRows = curvatureRows(layout), prior?: Float64Array): { G: Float64Array; b: Float64Array } {
  const P = train.P;
  if (!(s.kappa >= 0 && s.kappa <= 1)) throw new InputError(`kappa must lie in [0, 1], got ${s.kappa}`);
  const sE = targetStd(train.nE, train.sumE, train.yyE), sF = targetStd(train.nF, train.sumF, train.yyF);
  const wE2 = train.nE > 0 && sE > 0 ? s.kappa / (train.nE * sE * sE) : 0;
  const wF2 = train.nF > 0 && sF > 0 ? (1 - s.kappa) / (train.nF * sF * sF) : 0;
  if (wE2 === 0 && wF2 === 0) throw new InputError('no training data with non-zero spread in energies or forces');
  const G = new Float64Array(P * P), b = new Float64Array(P);
  for (let i = 0; i < P; i++) {
    b[i] = wE2 * train.bE[i] + wF2 * train.bF[i];
    for (let j = i; j < P; j++) {
      const v = wE2 * train.gE[i * P + j] + wF2 * train.gF[i * P + j];
      G[i * P + j] = v;
    }
  }
  if (prior && prior.length !== P) throw new InputError(`prior has ${prior.length} values for ${P} columns`);
  const ridge = [0, s.ridge1 ?? 0, s.ridge2 ?? 0, s.ridge3 ?? 0];
  for (let i = 0; i < P; i++) {
    G[i * P + i] += ridge[layout.order[i]];
    if (prior) b[i] += ridge[layout.order[i]] * prior[i];
  }
  const addRows = (rows: CurvatureRows['two'], lam: number) => {
    if (!(lam > 0)) return;
    for (const { cols, vals } of rows) {
      let rp = 0;
      if (prior) for (let a = 0; a < cols.length; a++) rp += vals[a] * prior[cols[a]];
      for (let a = 0; a < cols.length; a++) {
        if (rp !== 0) b[cols[a]] += lam * vals[a] * rp;
        for (let c = 0; c < cols.length; c++) {
          const i = cols[a], j = cols[c];
          if (i <= j) G[i * P + j] += lam * vals[a] * vals[c];
        }
      }
    }
  };
  addRows(curv.two, s.curvature2 ?? 0);
  addRows(curv.three, s.curvature3 ?? 0);
  if (s.fixOneBody)
    for (let i = 0; i < P; i++) {
      if (layout.order[i] !== 1) continue;
      for (let j = 0; j < P; j++) { G[Math.min(i, j) * P + Math.max(i, j)] = 0; }
      G[i * P + i] = 1;
      b[i] = 0;
    }
  for (let i = 0; i < P; i++) {
    if (G[i * P + i] === 0) { G[i * P + i] = 1; b[i] = prior ? prior[i] : 0; } // untouched column: the prior (or 0)
    for (let j = i + 1; j < P; j++) G[j * P + i] = G[i * P + j];
  }
  return { G, b };
}

/** Solves G c = b for symmetric positive-definite G (P×P, overwritten by its Cholesky factor). */
export function choleskySolve(G: Float64Array, b: Float64Array): Float64Array {
  choleskyFactor(G, b.length);
  return choleskySolveFactored(G, b);
}

/** Prior and shape constraints of a solve (shortRange.ts). */
export interface SolveExtras {
  /** Value per column the penalties pull towards (default 0). */
  prior?: Float64Array;
  /** Linear inequalities A c ≥ s on the coefficients. */
  constraints?: LinearConstraint[];
  /** Receives the multipliers and active count of a constrained solve. */
  onQP?: (r: QPResult) => void;
}

/** Coefficients for one setting of κ and the regularisation (optionally with a prior and shape constraints). */
export function solveCoefficients(train: NormalData, layout: FitLayout, s: SolveSettings, curv?: CurvatureRows, extras: SolveExtras = {}): Float64Array {
  const { G, b } = assemble(train, layout, s, curv, extras.prior);
  if (!extras.constraints?.length) return choleskySolve(G, b);
  const r = solveQP(G, b, extras.constraints);
  extras.onQP?.(r);
  return r.x;
}
