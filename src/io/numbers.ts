/**
 * Strict number parsing and exact number formatting for the text formats. Parsing rejects empty
 * strings, hex/binary literals, NaN and infinities; formatting uses the shortest string that reads back
 * to the same double (JavaScript's repr), so text round trips are bit-exact.
 */
import { ParseError } from '../core/errors';
import type { LineSource } from './lines';

const FORTRAN_FLOAT_RE = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eEdD][+-]?\d+)?$/;
const INT_RE = /^[+-]?\d+$/;

const POW10 = Array.from({ length: 23 }, (_, k) => 10 ** k);

/** The finite number written in `tok`, or undefined when it is not a plain decimal number. */
export function toFloat(tok: string): number | undefined {
  const n = tok.length;
  if (n === 0) return undefined;
  // fast path (Clinger): at most 15 digits and no exponent → integer mantissa / 10^k, one correctly
  // rounded IEEE division of two exact numbers, identical to Number(tok)
  let i = 0, neg = false;
  let c = tok.charCodeAt(0);
  if (c === 45 || c === 43) { neg = c === 45; i = 1; }
  let m = 0, digits = 0, frac = -1;
  for (; i < n; i++) {
    c = tok.charCodeAt(i);
    if (c >= 48 && c <= 57) { m = m * 10 + (c - 48); digits++; if (frac >= 0) frac++; }
    else if (c === 46 && frac < 0) frac = 0;
    else break;
  }
  if (i === n && digits > 0 && digits <= 15) {
    const v = frac > 0 ? m / POW10[frac] : m;
    return neg ? -v : v;
  }
  // general path: Number() accepts exactly the plain decimal forms once every character is a digit,
  // sign, point or exponent letter (it would also take hex/binary/octal literals, "Infinity", padding)
  for (let j = 0; j < n; j++) {
    c = tok.charCodeAt(j);
    if (c > 57 ? c !== 101 && c !== 69 : c < 48 && c !== 43 && c !== 45 && c !== 46) return undefined;
  }
  const v = +tok;
  return v === v && v !== Infinity && v !== -Infinity ? v : undefined;
}

/** Like {@link toFloat} but also accepts Fortran D exponents (1.0D-03). */
export function toFortranFloat(tok: string): number | undefined {
  if (!FORTRAN_FLOAT_RE.test(tok)) return undefined;
  const v = Number(tok.replace(/[dD]/, 'e'));
  return Number.isFinite(v) ? v : undefined;
}

/** The safe integer written in `tok`, or undefined. */
export function toInt(tok: string): number | undefined {
  if (!INT_RE.test(tok)) return undefined;
  const v = Number(tok);
  return Number.isSafeInteger(v) ? v : undefined;
}

/** Where a token came from, for error messages. */
export type Where = LineSource | { file: string; line?: number; array?: string };

function loc(w: Where): { file: string; line?: number; array?: string } {
  return 'next' in w ? { file: w.file, line: w.lineNo > 0 ? w.lineNo : undefined } : w;
}

/** A finite number or a ParseError naming `what`. */
export function parseFloatAt(tok: string | undefined, where: Where, what: string): number {
  const v = tok === undefined ? undefined : toFloat(tok);
  if (v === undefined) throw new ParseError(loc(where), `a finite number for ${what}`, tok ?? 'nothing');
  return v;
}

/** An integer (optionally ≥ min) or a ParseError naming `what`. */
export function parseIntAt(tok: string | undefined, where: Where, what: string, min = -Infinity): number {
  const v = tok === undefined ? undefined : toInt(tok);
  if (v === undefined || v < min) throw new ParseError(loc(where), `${min > -Infinity ? `an integer ≥ ${min}` : 'an integer'} for ${what}`, tok ?? 'nothing');
  return v;
}

/** Parses `count` numbers from toks starting at `from` into out[at..]; ParseError on the first bad one. */
export function parseFloatsInto(toks: string[], from: number, count: number, out: Float64Array, at: number, where: Where, what: string): void {
  for (let k = 0; k < count; k++) out[at + k] = parseFloatAt(toks[from + k], where, what);
}

/** Shortest exact decimal form of a double (keeps the sign of −0). */
export function fmt(x: number): string {
  return x === 0 && 1 / x < 0 ? '-0' : String(x);
}

/** Exact forms of several numbers joined by single spaces. */
export function fmtAll(xs: ArrayLike<number>, from = 0, to = xs.length): string {
  let s = '';
  for (let i = from; i < to; i++) s += (i > from ? ' ' : '') + fmt(xs[i]);
  return s;
}

/** The next representable double above x. */
export function nextUp(x: number): number {
  if (Number.isNaN(x) || x === Infinity) return x;
  if (x === 0) return Number.MIN_VALUE;
  const f = new Float64Array([x]);
  const b = new BigInt64Array(f.buffer);
  b[0] += x > 0 ? 1n : -1n;
  return f[0];
}

/** The next representable double below x. */
export function nextDown(x: number): number {
  return -nextUp(-x);
}

/**
 * A number B close to target + shift such that B − shift rounds back to exactly `target`
 * (used where a file stores a value shifted by another, e.g. LAMMPS triclinic dump bounds).
 */
export function shiftedExactly(target: number, shift: number): number {
  const b0 = target + shift;
  if (b0 - shift === target) return b0;
  let up = b0, down = b0;
  for (let k = 0; k < 64; k++) {
    up = nextUp(up); down = nextDown(down);
    if (up - shift === target) return up;
    if (down - shift === target) return down;
  }
  return b0;
}
