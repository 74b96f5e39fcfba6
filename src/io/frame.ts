/**
 * Building validated structures inside readers: every inconsistency becomes a ParseError that names
 * the file and line (never an InputError or TypeError from the core), and no NaN/∞ reaches the caller.
 */
import { InputError, ParseError } from '../core/errors';
import { createStructure, Structure, StructureInit } from '../core/structure';
import { isElement, normaliseSymbol } from '../core/elements';
import type { Where } from './numbers';

function loc(w: Where): { file: string; line?: number; array?: string } {
  return 'next' in w ? { file: w.file, line: w.lineNo > 0 ? w.lineNo : undefined } : w;
}

/** createStructure, with every InputError turned into a ParseError at `where`, and a finiteness check. */
export function buildStructure(init: StructureInit, where: Where): Structure {
  let s: Structure;
  try {
    s = createStructure(init);
  } catch (e) {
    if (e instanceof ParseError) throw e;
    if (e instanceof InputError) throw new ParseError(loc(where), 'a consistent structure', e.message);
    throw e;
  }
  for (const [name, a] of Object.entries(s.arrays))
    if (a.kind === 'float') for (let i = 0; i < a.data.length; i++)
      if (!Number.isFinite(a.data[i])) throw new ParseError(loc(where), `finite values in per-atom array ${name}`, String(a.data[i]));
  for (const [k, v] of Object.entries(s.info)) {
    const bad = typeof v === 'number' ? !Number.isFinite(v) : Array.isArray(v) && v.some((x) => typeof x === 'number' && !Number.isFinite(x));
    if (bad) throw new ParseError(loc(where), `finite numbers in ${k}`);
  }
  return s;
}

/** An element symbol exactly as written (e.g. "Li"), or a ParseError. */
export function exactElement(tok: string | undefined, where: Where, what = 'an element symbol'): string {
  if (tok !== undefined && isElement(tok)) return tok;
  throw new ParseError(loc(where), what, tok ?? 'nothing');
}

/** An element from a label such as "Li1", "LI", "Li_sv", "Li+" (normalised), or a ParseError. */
export function labelElement(tok: string | undefined, where: Where, what = 'an element symbol or a label starting with one'): string {
  const e = tok === undefined ? undefined : isElement(tok) ? tok : normaliseSymbol(tok);
  if (e !== undefined) return e;
  throw new ParseError(loc(where), what, tok ?? 'nothing');
}

/** Throws a ParseError when a count read from a file could not possibly fit in it (guards allocations). */
export function checkCount(n: number, perItemBytes: number, sizeBytes: number, where: Where, what: string): void {
  if (!(n >= 0) || n * perItemBytes > sizeBytes + perItemBytes)
    throw new ParseError(loc(where), `${what} that fits in the file (${sizeBytes} bytes)`, String(n));
}
