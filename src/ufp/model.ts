/**
 * The UF3 model as plain, serialisable data (science.md §2; Xie, Rupp, Hennig, npj Comput. Mater. 9, 162
 * (2023)): per-element 1-body energies, 2-body B-spline curves and 3-body B-spline grids. Everything is
 * numbers and strings, so a model can be posted to a worker or written as JSON and rebuilt there.
 *
 *   E = Σ_el N_el·e_el + Σ_i Σ_{j≠i} V2(r_ij) + Σ_i Σ_{j<k ∈ N(i)} V3(r_ij, r_ik, r_jk)
 *
 * A 3-body block (centre; j, k) holds coefficients c[l][m][n] (row-major L×M×N) for the legs
 * (r_ij, r_ik, r_jk): l ↔ knots.ij, m ↔ knots.ik, n ↔ knots.jk (the uf3 JSON order; LAMMPS .uf3 files
 * list the knot lines in the order jk, ik, ij).
 */
import { InputError, ParseError } from '../core/errors';
import { knotProblem } from './bspline';

/** One 2-body curve V2(r) = Σ c_n B_n(r) for an unordered element pair. */
export interface TwoBodyTerm {
  elements: [string, string];
  /** Clamped cubic knot vector, Å (n_coeff + 4 values). */
  knots: number[];
  /** Spline coefficients, eV (energy per ORDERED pair: each unordered pair contributes twice). */
  coefficients: number[];
  /** Interaction range, Å (LAMMPS's r_cut; equals the last knot). */
  cutoff: number;
}

/** One 3-body grid for centre element elements[0] and neighbours elements[1] (leg ij), elements[2] (leg ik). */
export interface ThreeBodyTerm {
  elements: [string, string, string];
  knots: { ij: number[]; ik: number[]; jk: number[] };
  /** [L, M, N] = [#ij, #ik, #jk coefficients]. */
  shape: [number, number, number];
  /** c[l][m][n] flattened row-major (length L·M·N), eV. */
  coefficients: number[];
  /** Leg cutoffs, Å: ij and ik (equal), jk = 2·ij. */
  cutoffs: { ij: number; ik: number; jk: number };
}

/** A UF3 potential. */
export interface UF3Model {
  /** Elements in a fixed order (atom types index into it). */
  elements: string[];
  /** 1-body energy per atom of each element, eV (absent in LAMMPS .uf3 files: 0). */
  oneBody: Record<string, number>;
  twoBody: TwoBodyTerm[];
  /** Empty for a 2-body-only potential. */
  threeBody: ThreeBodyTerm[];
  /** Free-form provenance (file name, author, fit settings …). */
  meta?: Record<string, unknown>;
}

/** Canonical key of an unordered pair in model element order, e.g. "Li-P". */
export function pairKey(elements: readonly string[], a: string, b: string): string {
  return elements.indexOf(a) <= elements.indexOf(b) ? `${a}-${b}` : `${b}-${a}`;
}

/** Canonical key of a 3-body block: centre, then the unordered neighbour pair in model element order. */
export function tripleKey(elements: readonly string[], c: string, a: string, b: string): string {
  return elements.indexOf(a) <= elements.indexOf(b) ? `${c}-${a}-${b}` : `${c}-${b}-${a}`;
}

/** All unordered pairs [a, b] (a ≤ b in element order). */
export function allPairs(elements: readonly string[]): [string, string][] {
  const out: [string, string][] = [];
  for (let a = 0; a < elements.length; a++) for (let b = a; b < elements.length; b++) out.push([elements[a], elements[b]]);
  return out;
}

/** All 3-body blocks [centre, a, b] (a ≤ b in element order): n²(n+1)/2 of them. */
export function allTriples(elements: readonly string[]): [string, string, string][] {
  const out: [string, string, string][] = [];
  for (const c of elements) for (const [a, b] of allPairs(elements)) out.push([c, a, b]);
  return out;
}

/** Largest interaction range of the model, Å (2-body cutoffs and 3-body ij/ik legs). */
export function modelCutoff(model: UF3Model): number {
  let rc = 0;
  for (const t of model.twoBody) rc = Math.max(rc, t.cutoff);
  for (const t of model.threeBody) rc = Math.max(rc, t.cutoffs.ij, t.cutoffs.ik);
  return rc;
}

/**
 * Checks a model for completeness and consistency: every unordered pair has exactly one 2-body term;
 * when any 3-body term exists, every block (centre; j ≤ k) has exactly one; knots/coefficients/shape
 * agree; legs ij = ik and jk = 2·ij; same-element neighbour grids are symmetric. Throws InputError
 * naming the block (prefixed by `where`, e.g. a file name).
 */
export function validateModel(model: UF3Model, where = 'UF3 model'): void {
  const els = model.elements;
  if (!Array.isArray(els) || els.length === 0) throw new InputError(`${where}: no elements`);
  if (new Set(els).size !== els.length) throw new InputError(`${where}: duplicate element in ${JSON.stringify(els)}`);
  for (const e of els) {
    const v = model.oneBody[e] ?? 0;
    if (!Number.isFinite(v)) throw new InputError(`${where}: 1-body energy of ${e} is not a finite number`);
  }
  for (const e of Object.keys(model.oneBody)) if (!els.includes(e)) throw new InputError(`${where}: 1-body energy for ${e}, which is not among the elements ${els.join(' ')}`);
  const seen2 = new Set<string>();
  for (const t of model.twoBody) {
    const [a, b] = t.elements;
    for (const e of [a, b]) if (!els.includes(e)) throw new InputError(`${where}: 2B block ${a}-${b} names element ${e}, which is not among ${els.join(' ')}`);
    const key = pairKey(els, a, b);
    if (seen2.has(key)) throw new InputError(`${where}: duplicate 2B block for ${key}`);
    seen2.add(key);
    const bad = knotProblem(t.knots, t.coefficients.length);
    if (bad) throw new InputError(`${where}: 2B block ${key}: ${bad}`);
    for (let i = 0; i < t.coefficients.length; i++) if (!Number.isFinite(t.coefficients[i])) throw new InputError(`${where}: 2B block ${key}: coefficient ${i} is not a finite number`);
    const last = t.knots[t.knots.length - 1];
    if (!(t.cutoff > t.knots[0]) || Math.abs(t.cutoff - last) > 1e-8 * Math.max(1, last))
      throw new InputError(`${where}: 2B block ${key}: cutoff ${t.cutoff} Å must equal the last knot ${last} Å`);
  }
  for (const [a, b] of allPairs(els)) if (!seen2.has(`${a}-${b}`)) throw new InputError(`${where}: missing 2B block for ${a}-${b}`);
  if (model.threeBody.length === 0) return;
  const seen3 = new Set<string>();
  for (const t of model.threeBody) {
    const [c, a, b] = t.elements;
    for (const e of [c, a, b]) if (!els.includes(e)) throw new InputError(`${where}: 3B block ${c}-${a}-${b} names element ${e}, which is not among ${els.join(' ')}`);
    const key = tripleKey(els, c, a, b);
    const name = `3B block ${c}-${a}-${b}`;
    if (seen3.has(key)) throw new InputError(`${where}: duplicate 3B block for ${key}`);
    seen3.add(key);
    const [L, M, N] = t.shape;
    if (t.coefficients.length !== L * M * N) throw new InputError(`${where}: ${name}: ${t.coefficients.length} coefficients for shape ${L}×${M}×${N}`);
    for (const [leg, kn, nc] of [['ij', t.knots.ij, L], ['ik', t.knots.ik, M], ['jk', t.knots.jk, N]] as const) {
      const bad = knotProblem(kn, nc);
      if (bad) throw new InputError(`${where}: ${name}, leg ${leg}: ${bad}`);
      const rc = t.cutoffs[leg];
      const last = kn[kn.length - 1];
      if (Math.abs(rc - last) > 1e-8 * Math.max(1, last)) throw new InputError(`${where}: ${name}, leg ${leg}: cutoff ${rc} Å must equal the last knot ${last} Å`);
    }
    if (t.cutoffs.ij !== t.cutoffs.ik) throw new InputError(`${where}: ${name}: the ij and ik leg cutoffs must be equal (got ${t.cutoffs.ij} and ${t.cutoffs.ik} Å)`);
    if (t.cutoffs.jk !== 2 * t.cutoffs.ij) throw new InputError(`${where}: ${name}: the jk leg cutoff must be twice the ij cutoff (got ${t.cutoffs.jk} and ${t.cutoffs.ij} Å)`);
    for (let i = 0; i < t.coefficients.length; i++) if (!Number.isFinite(t.coefficients[i])) throw new InputError(`${where}: ${name}: coefficient ${i} is not a finite number`);
    if (a === b) {
      if (L !== M || t.knots.ij.some((v, i) => v !== t.knots.ik[i])) throw new InputError(`${where}: ${name}: both neighbours are ${a}, so the ij and ik knots must be identical`);
      const asym = symmetryDefect(t);
      if (asym > 1e-10) throw new InputError(`${where}: ${name}: both neighbours are ${a}, so c[l][m][n] must equal c[m][l][n] (largest difference ${asym.toExponential(3)} eV)`);
    }
  }
  for (const [c, a, b] of allTriples(els)) if (!seen3.has(`${c}-${a}-${b}`)) throw new InputError(`${where}: missing 3B block for ${c}-${a}-${b} (a 3-body potential needs all ${allTriples(els).length} blocks)`);
}

/** Largest |c[l][m][n] − c[m][l][n]| relative to max |c| (0 for a symmetric grid). */
export function symmetryDefect(t: ThreeBodyTerm): number {
  const [L, , N] = t.shape;
  const c = t.coefficients;
  let d = 0, big = 0;
  for (const v of c) big = Math.max(big, Math.abs(v));
  for (let l = 0; l < L; l++) for (let m = l + 1; m < L; m++) for (let n = 0; n < N; n++) d = Math.max(d, Math.abs(c[(l * L + m) * N + n] - c[(m * L + l) * N + n]));
  return big > 0 ? d / big : 0;
}

/**
 * Runs {@link validateModel} for a parser: a problem becomes a ParseError of `file` (at `line` when
 * known) that states the problem in full.
 */
export function validateParsedModel(model: UF3Model, file: string): void {
  try {
    validateModel(model, file);
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    const msg = e.message.startsWith(`${file}: `) ? e.message.slice(file.length + 2) : e.message;
    throw new ParseError({ file }, `a consistent UF3 model: ${msg}`);
  }
}

/** Deep copy of a model. */
export function cloneModel(model: UF3Model): UF3Model {
  return JSON.parse(JSON.stringify(model)) as UF3Model;
}
