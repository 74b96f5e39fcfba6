/**
 * LAMMPS `.uf3` potential files (pair_style uf3; science.md §2), read exactly as LAMMPS's
 * PairUF3::uf3_read_unified_pot_file reads them and written so that LAMMPS reads them back:
 *
 *   #UF3 POT UNITS: metal DATE: … AUTHOR: … CITATION: …
 *   2B e1 e2 0 3 uk|nk            3B ec ej ek 0 3 uk|nk
 *   r_cut n_knots                 R_jk R_ik R_ij n_jk n_ik n_ij      (R_jk = 2·R_ij, R_ik = R_ij)
 *   knots (one line)              knots jk / ik / ij (one line each)
 *   n_coeff                       L M N  (L ↔ ij, M ↔ ik, N ↔ jk)
 *   coefficients                  L·M lines of N coefficients (row (l, m) holds c[l][m][·])
 *   #                             #
 *
 * LAMMPS reads lines through a 1024-byte buffer: a line may hold at most 1022 characters plus its
 * newline (longer lines are split and the block is misread), so the reader rejects longer lines and
 * the writer never produces them (numbers are written in the shortest form that reads back exactly).
 * Text between blocks is ignored, as LAMMPS does. The energy of a .uf3 potential has no 1-body term.
 */
import { ParseError, InputError } from '../core/errors';
import { isUniform } from './bspline';
import type { ThreeBodyTerm, TwoBodyTerm, UF3Model } from './model';
import { validateModel, validateParsedModel, allPairs, allTriples, pairKey, tripleKey, symmetryDefect } from './model';

/** Longest line LAMMPS reads intact (characters, without the newline). */
export const LAMMPS_MAX_LINE = 1022;

const isBlank = (s: string) => s.trim().length === 0;
const words = (s: string) => s.trim().split(/\s+/).filter((w) => w.length > 0);

class LineCursor {
  i = 0;
  constructor(readonly lines: string[], readonly file: string) {}
  get lineNo(): number { return this.i + 1; }
  fail(expected: string, found?: string, line = this.i): never {
    throw new ParseError({ file: this.file, line: line + 1 }, expected, found);
  }
  private take(what: string): string {
    if (this.i >= this.lines.length) this.fail(what, 'end of file');
    const s = this.lines[this.i];
    if (s.length > LAMMPS_MAX_LINE) this.fail(`a line of at most ${LAMMPS_MAX_LINE} characters (LAMMPS reads lines through a 1024-byte buffer)`, `${s.length} characters`);
    this.i++;
    return s;
  }
  /** One physical line (LAMMPS skip_line / the first pass). Blank lines are not skipped. */
  physical(what: string): { tokens: string[]; line: number } {
    const line = this.i;
    return { tokens: words(this.take(what)), line };
  }
  /** LAMMPS next_line(n): skips blank lines, then concatenates lines until at least n words. */
  record(n: number, what: string): { tokens: string[]; line: number } {
    while (this.i < this.lines.length && isBlank(this.lines[this.i])) this.i++;
    const line = this.i;
    const tokens = words(this.take(what));
    while (tokens.length < n) tokens.push(...words(this.take(`${what} (${n} numbers, ${tokens.length} so far)`)));
    return { tokens, line };
  }
}

const FLOAT = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const INT = /^[+-]?\d+$/;

/** A floating-point number as LAMMPS's ValueTokenizer accepts it. */
function num(c: LineCursor, tok: string | undefined, line: number, what: string): number {
  const v = tok !== undefined && FLOAT.test(tok) ? Number(tok) : NaN;
  if (!Number.isFinite(v)) c.fail(what, tok ?? 'nothing', line);
  return v;
}

/** An integer written as digits (LAMMPS rejects "23.0" where it expects a count). */
function int(c: LineCursor, tok: string | undefined, line: number, what: string, min = 0): number {
  if (tok === undefined || !INT.test(tok)) c.fail(what, tok ?? 'nothing', line);
  const v = Number(tok);
  if (v < min) c.fail(`${what} (at least ${min})`, tok, line);
  return v;
}

function numbers(c: LineCursor, tokens: string[], line: number, n: number, what: string): number[] {
  if (tokens.length !== n) c.fail(`${n} ${what}`, `${tokens.length} numbers`, line);
  return tokens.map((t) => num(c, t, line, `a number in the ${what}`));
}

/** Parses the text of a .uf3 file into a validated model (elements in order of first appearance). */
export function parseUf3(text: string, file = '<uf3>'): UF3Model {
  const lines = text.split(/\r?\n/);
  const c = new LineCursor(lines, file);
  const twoBody: TwoBodyTerm[] = [];
  const threeBody: ThreeBodyTerm[] = [];
  const elements: string[] = [];
  const where2 = new Map<string, number>(), where3 = new Map<string, number>();
  const spacing: { type: string; line: number }[] = [];
  const addEl = (e: string) => { if (!elements.includes(e)) elements.push(e); };
  let author: string | undefined;
  while (c.i < lines.length) {
    const header = lines[c.i];
    if (!header.includes('#UF3 POT')) { c.i++; continue; }
    const headerLine = c.i;
    if (header.length > LAMMPS_MAX_LINE) c.fail(`a header of at most ${LAMMPS_MAX_LINE} characters`, `${header.length} characters`);
    const hw = words(header);
    const ui = hw.indexOf('UNITS:');
    if (ui < 0) c.fail('"UNITS:" in the block header (LAMMPS requires it)', header);
    if (hw[ui + 1] !== 'metal') c.fail('UNITS: metal (ufnmr works in eV and Å)', hw[ui + 1] ?? 'nothing');
    const ai = hw.indexOf('AUTHOR:');
    if (ai >= 0 && hw[ai + 1] && !hw[ai + 1].endsWith(':')) author ??= hw[ai + 1];
    c.i++;
    const second = c.record(1, 'the block type line (2B … or 3B …)');
    const kind = second.tokens[0];
    if (kind !== '2B' && kind !== '3B') c.fail("'2B' or '3B' as the first word of the line after a #UF3 POT header", kind, second.line);
    const nWords = kind === '2B' ? 6 : 7;
    if (second.tokens.length !== nWords) c.fail(`${nWords} words on a ${kind} line (${kind === '2B' ? '2B e1 e2 leading_trim trailing_trim uk|nk' : '3B ec ej ek leading_trim trailing_trim uk|nk'})`, `${second.tokens.length} words`, second.line);
    const els = second.tokens.slice(1, kind === '2B' ? 3 : 4);
    const [lead, trail, spacingType] = second.tokens.slice(nWords - 3);
    const name = `${kind} block ${els.join('-')}`;
    if (int(c, lead, second.line, `the leading trim of the ${name}`) !== 0 || int(c, trail, second.line, `the trailing trim of the ${name}`) !== 3)
      c.fail(`leading trim 0 and trailing trim 3 in the ${name} (the only values LAMMPS accepts)`, `${lead} ${trail}`, second.line);
    if (spacingType !== 'uk' && spacingType !== 'nk') c.fail(`'uk' (uniform knots) or 'nk' (non-uniform knots) at the end of the ${name} line`, spacingType, second.line);
    spacing.push({ type: spacingType, line: second.line });
    els.forEach(addEl);
    if (kind === '2B') {
      const key = [...els].sort().join('-');
      if (where2.has(key)) c.fail(`one 2B block per element pair (${els.join('-')} already defined at line ${where2.get(key)! + 1})`, undefined, second.line);
      where2.set(key, headerLine);
      const cut = c.physical(`the cutoff line of the ${name}`);
      if (cut.tokens.length !== 2) c.fail(`2 numbers (r_cut n_knots) on the cutoff line of the ${name}`, `${cut.tokens.length} words`, cut.line);
      const rcut = num(c, cut.tokens[0], cut.line, `r_cut (Å) of the ${name}`);
      const nk = int(c, cut.tokens[1], cut.line, `the number of knots of the ${name}`, 8);
      const kl = c.physical(`the knot line of the ${name}`);
      const knots = numbers(c, kl.tokens, kl.line, nk, `knots of the ${name} on one line (as announced on line ${cut.line + 1})`);
      const ncl = c.physical(`the coefficient count of the ${name}`);
      const nc = int(c, ncl.tokens[0], ncl.line, `the number of coefficients of the ${name}`, 1);
      const cl = c.record(nc, `the coefficients of the ${name}`);
      const coefficients = numbers(c, cl.tokens, cl.line, nc, `coefficients of the ${name}`);
      if (nk !== nc + 4) c.fail(`n_knots = n_coeff + 4 in the ${name}`, `${nk} knots and ${nc} coefficients`, ncl.line);
      checkKnots(c, knots, spacingType, kl.line, name);
      if (Math.abs(rcut - knots[nk - 1]) > 1e-8 * Math.max(1, rcut)) c.fail(`r_cut equal to the last knot (${knots[nk - 1]}) in the ${name}`, String(rcut), cut.line);
      twoBody.push({ elements: [els[0], els[1]], knots, coefficients, cutoff: rcut });
    } else {
      const key = `${els[0]}-${[els[1], els[2]].sort().join('-')}`;
      if (where3.has(key)) c.fail(`one 3B block per centre and neighbour pair (${els.join('-')} already defined at line ${where3.get(key)! + 1})`, undefined, second.line);
      where3.set(key, headerLine);
      const cut = c.physical(`the cutoff line of the ${name}`);
      if (cut.tokens.length !== 6) c.fail(`6 numbers (R_jk R_ik R_ij n_knots_jk n_knots_ik n_knots_ij) on the cutoff line of the ${name}`, `${cut.tokens.length} words`, cut.line);
      const [rjk, rik, rij] = cut.tokens.slice(0, 3).map((t, q) => num(c, t, cut.line, `the ${['jk', 'ik', 'ij'][q]} cutoff (Å) of the ${name}`));
      const [njk, nik, nij] = cut.tokens.slice(3).map((t, q) => int(c, t, cut.line, `the number of ${['jk', 'ik', 'ij'][q]} knots of the ${name}`, 8));
      if (rij !== rik) c.fail(`R_ij = R_ik in the ${name} (LAMMPS only supports equal legs)`, `${rij} and ${rik}`, cut.line);
      if (2 * rik !== rjk) c.fail(`R_jk = 2·R_ik in the ${name}`, `${rjk} and ${rik}`, cut.line);
      const legs: Record<'jk' | 'ik' | 'ij', number[]> = { jk: [], ik: [], ij: [] };
      const legLines: Record<string, number> = {};
      for (const [leg, n] of [['jk', njk], ['ik', nik], ['ij', nij]] as const) {
        const kl = c.physical(`the ${leg} knot line of the ${name}`);
        legs[leg] = numbers(c, kl.tokens, kl.line, n, `${leg} knots of the ${name} on one line`);
        legLines[leg] = kl.line;
      }
      const sl = c.physical(`the coefficient shape line (L M N) of the ${name}`);
      if (sl.tokens.length !== 3) c.fail(`3 numbers (L M N) on the shape line of the ${name}`, `${sl.tokens.length} words`, sl.line);
      const [L, M, N] = sl.tokens.map((t) => int(c, t, sl.line, `a coefficient array dimension of the ${name}`, 1));
      if (nij !== L + 4 || nik !== M + 4 || njk !== N + 4) c.fail(`knot counts (ij, ik, jk) = (L+4, M+4, N+4) in the ${name}`, `knots ${nij}, ${nik}, ${njk} for shape ${L} ${M} ${N}`, sl.line);
      const coefficients = new Array<number>(L * M * N);
      const rowLine = new Int32Array(L * M);
      for (let l = 0; l < L; l++) for (let m = 0; m < M; m++) {
        const row = c.record(N, `coefficient row (${l}, ${m}) of the ${name}`);
        rowLine[l * M + m] = row.line;
        const v = numbers(c, row.tokens, row.line, N, `coefficients in row (${l}, ${m}) of the ${name}`);
        for (let n = 0; n < N; n++) coefficients[(l * M + m) * N + n] = v[n];
      }
      for (const leg of ['jk', 'ik', 'ij'] as const) checkKnots(c, legs[leg], spacingType, legLines[leg], `${name} (${leg} leg)`);
      const lastOk = (k: number[], r: number) => Math.abs(k[k.length - 1] - r) <= 1e-8 * Math.max(1, r);
      if (!lastOk(legs.ij, rij) || !lastOk(legs.ik, rik) || !lastOk(legs.jk, rjk)) c.fail(`leg cutoffs equal to the last knots in the ${name}`, `${rjk} ${rik} ${rij}`, cut.line);
      if (els[1] === els[2] && legs.ij.some((v, q) => v !== legs.ik[q])) c.fail(`identical ij and ik knot lines in the ${name} (both neighbours are ${els[1]})`, undefined, legLines.ij);
      const term: ThreeBodyTerm = { elements: [els[0], els[1], els[2]], knots: legs, shape: [L, M, N], coefficients, cutoffs: { ij: rij, ik: rik, jk: rjk } };
      if (els[1] === els[2] && symmetryDefect(term) > 1e-10) {
        let big = 0;
        for (const v of coefficients) big = Math.max(big, Math.abs(v));
        let at = second.line, pair = '';
        search: for (let l = 0; l < L; l++) for (let m = l + 1; m < M; m++) for (let n = 0; n < N; n++)
          if (Math.abs(coefficients[(l * M + m) * N + n] - coefficients[(m * M + l) * N + n]) > 1e-10 * big) { at = rowLine[m * M + l]; pair = ` (row (${m}, ${l}) differs from row (${l}, ${m}))`; break search; }
        c.fail(`a symmetric coefficient grid in the ${name}: both neighbours are ${els[1]}, so c[l][m][n] must equal c[m][l][n]${pair}`, undefined, at);
      }
      threeBody.push(term);
    }
  }
  if (twoBody.length === 0) throw new ParseError({ file }, 'at least one 2B block (a "#UF3 POT" header followed by a 2B line)', 'none');
  if (threeBody.length > 0) {
    const first = spacing[0];
    const other = spacing.find((s) => s.type !== first.type);
    if (other) c.fail(`the same knot spacing type in every block of a 3-body potential (LAMMPS requires it; line ${first.line + 1} says ${first.type})`, other.type, other.line);
  }
  for (const [a, b] of allPairs(elements)) if (!where2.has([a, b].sort().join('-'))) throw new ParseError({ file }, `a 2B block for every element pair; missing ${a}-${b}`);
  if (threeBody.length > 0)
    for (const [x, a, b] of allTriples(elements)) if (!where3.has(`${x}-${[a, b].sort().join('-')}`)) throw new ParseError({ file }, `a 3B block for every centre and neighbour pair; missing ${x}-${a}-${b}`);
  const model: UF3Model = { elements, oneBody: {}, twoBody, threeBody, meta: { source: file, format: 'lammps-uf3', ...(author ? { author } : {}) } };
  validateParsedModel(model, file);
  return model;
}

function checkKnots(c: LineCursor, knots: number[], spacingType: string, line: number, name: string): void {
  const m = knots.length;
  if (!(knots[0] === knots[3] && knots[1] === knots[0] && knots[2] === knots[0])) c.fail(`4 equal first knots (clamped knot vector) in the ${name}`, knots.slice(0, 4).join(' '), line);
  if (!(knots[m - 1] === knots[m - 4] && knots[m - 2] === knots[m - 1] && knots[m - 3] === knots[m - 1])) c.fail(`4 equal last knots (clamped knot vector) in the ${name}`, knots.slice(m - 4).join(' '), line);
  for (let q = 3; q < m - 4; q++) if (!(knots[q + 1] > knots[q])) c.fail(`strictly increasing knots in the ${name}`, `${knots[q]} then ${knots[q + 1]}`, line);
  if (spacingType === 'uk' && !isUniform(knots, 1e-6)) c.fail(`equally spaced knots in the ${name}, which is marked 'uk' (LAMMPS would compute wrong intervals); mark it 'nk'`, undefined, line);
}

/** Options for {@link formatUf3}. */
export interface Uf3WriteOptions {
  /** Written after AUTHOR: (spaces become underscores). */
  author?: string;
  /** Written after DATE: (default: now, UTC). */
  date?: string;
  citation?: string;
  /** When a line would exceed LAMMPS's limit, round numbers (fewer digits) instead of failing. */
  allowRounding?: boolean;
}

/**
 * Formats a model as a LAMMPS .uf3 file: one 2B block per unordered pair and one 3B block per centre and
 * unordered neighbour pair (in model element order). The 1-body energies are not part of the format.
 * Numbers are written in their shortest exact form; throws InputError when a line would exceed the
 * LAMMPS limit (unless allowRounding).
 */
export function formatUf3(model: UF3Model, opts: Uf3WriteOptions = {}): string {
  validateModel(model);
  const els = model.elements;
  const all = [...model.twoBody.map((t) => t.knots), ...model.threeBody.flatMap((t) => [t.knots.ij, t.knots.ik, t.knots.jk])];
  const spacingType = all.every((k) => isUniform(k, 1e-12)) ? 'uk' : 'nk';
  const date = (opts.date ?? new Date().toISOString().replace('T', ' ').replace(/\.\d+Z$/, '')).replace(/\s+/g, ' ');
  const author = (opts.author ?? 'ufnmr').replace(/\s+/g, '_');
  const header = `#UF3 POT UNITS: metal DATE: ${date} AUTHOR: ${author} CITATION:${opts.citation ? ' ' + opts.citation : ''}`;
  const out: string[] = [];
  const line = (values: ArrayLike<number>, what: string) => out.push(numberLine(values, what, opts.allowRounding ?? false));
  for (const [a, b] of allPairs(els)) {
    const t = model.twoBody.find((q) => pairKey(els, q.elements[0], q.elements[1]) === `${a}-${b}`)!;
    out.push(header, `2B ${a} ${b} 0 3 ${spacingType}`, `${fmt(t.cutoff)} ${t.knots.length}`);
    line(t.knots, `knots of 2B ${a}-${b}`);
    out.push(String(t.coefficients.length));
    line(t.coefficients, `coefficients of 2B ${a}-${b}`);
    out.push('#');
  }
  if (model.threeBody.length > 0) {
    for (const [x, a, b] of allTriples(els)) {
      const src = model.threeBody.find((q) => tripleKey(els, q.elements[0], q.elements[1], q.elements[2]) === `${x}-${a}-${b}`)!;
      const t = src.elements[1] === a ? src : mirrorThreeBody(src);
      const [L, M, N] = t.shape;
      out.push(header, `3B ${x} ${a} ${b} 0 3 ${spacingType}`,
        `${fmt(t.cutoffs.jk)} ${fmt(t.cutoffs.ik)} ${fmt(t.cutoffs.ij)} ${t.knots.jk.length} ${t.knots.ik.length} ${t.knots.ij.length}`);
      line(t.knots.jk, `jk knots of 3B ${x}-${a}-${b}`);
      line(t.knots.ik, `ik knots of 3B ${x}-${a}-${b}`);
      line(t.knots.ij, `ij knots of 3B ${x}-${a}-${b}`);
      out.push(`${L} ${M} ${N}`);
      for (let l = 0; l < L; l++) for (let m = 0; m < M; m++) line(t.coefficients.slice((l * M + m) * N, (l * M + m + 1) * N), `coefficient row (${l}, ${m}) of 3B ${x}-${a}-${b}`);
      out.push('#');
    }
  }
  return out.join('\n') + '\n';
}

/** The same 3-body term seen from the other neighbour: (c; a, b) → (c; b, a), c'[m][l][n] = c[l][m][n]. */
export function mirrorThreeBody(t: ThreeBodyTerm): ThreeBodyTerm {
  const [L, M, N] = t.shape;
  const coefficients = new Array<number>(L * M * N);
  for (let l = 0; l < L; l++) for (let m = 0; m < M; m++) for (let n = 0; n < N; n++) coefficients[(m * L + l) * N + n] = t.coefficients[(l * M + m) * N + n];
  return {
    elements: [t.elements[0], t.elements[2], t.elements[1]],
    knots: { ij: t.knots.ik, ik: t.knots.ij, jk: t.knots.jk },
    shape: [M, L, N],
    coefficients,
    cutoffs: { ij: t.cutoffs.ik, ik: t.cutoffs.ij, jk: t.cutoffs.jk },
  };
}

/** Shortest string that parses back to exactly x (JavaScript's Number → string). */
function fmt(x: number): string {
  return Object.is(x, -0) ? '0' : String(x);
}

function numberLine(values: ArrayLike<number>, what: string, allowRounding: boolean): string {
  const exact = Array.from(values, fmt).join(' ');
  if (exact.length <= LAMMPS_MAX_LINE) return exact;
  if (allowRounding)
    for (const digits of [15, 12, 10, 8, 6]) {
      const s = Array.from(values, (v) => fmt(Number(v.toPrecision(digits)))).join(' ');
      if (s.length <= LAMMPS_MAX_LINE) return s;
    }
  throw new InputError(`the ${what} need ${exact.length} characters on one line, more than the ${LAMMPS_MAX_LINE} LAMMPS can read; use fewer knots (or allowRounding)`);
}
