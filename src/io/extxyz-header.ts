/**
 * The key=value comment line of extended XYZ (libAtoms/ASE convention): bare, "quoted" (with \" \\ \n
 * escapes), {braced} and [bracketed, JSON-like] values; keys without a value mean True.
 */
import { ParseError } from '../core/errors';
import type { InfoValue } from '../core/structure';
import { fmt, toFloat, toInt } from './numbers';

/** One raw key=value entry; `kind` says how the value was written. */
export interface RawEntry {
  key: string;
  value: string;
  kind: 'bare' | 'quoted' | 'braces' | 'brackets' | 'flag';
}

/** Splits a comment line into raw entries; ParseError on unbalanced quotes or brackets. */
export function splitKeyValues(line: string, file: string, lineNo: number): RawEntry[] {
  const out: RawEntry[] = [];
  const n = line.length;
  let i = 0;
  const fail = (what: string, found?: string): never => { throw new ParseError({ file, line: lineNo }, what, found); };
  const ws = (c: string) => c === ' ' || c === '\t' || c === '\f' || c === '\v';
  const readQuoted = (): string => {
    // line[i] === '"'
    let s = '';
    i++;
    for (;;) {
      if (i >= n) fail('a closing " in the comment line');
      const c = line[i++];
      if (c === '"') return s;
      if (c === '\\' && i < n) {
        const d = line[i++];
        s += d === 'n' ? '\n' : d === 't' ? '\t' : d;
      } else s += c;
    }
  };
  const readBracketed = (open: string, close: string): string => {
    let depth = 0;
    const start = i;
    let inQuote = false;
    for (; i < n; i++) {
      const c = line[i];
      if (inQuote) { if (c === '\\') i++; else if (c === '"') inQuote = false; continue; }
      if (c === '"') inQuote = true;
      else if (c === open) depth++;
      else if (c === close && --depth === 0) { i++; return line.slice(start + 1, i - 1); }
    }
    return fail(`a closing ${close} in the comment line`);
  };
  while (i < n) {
    while (i < n && ws(line[i])) i++;
    if (i >= n) break;
    let key: string;
    if (line[i] === '"') key = readQuoted();
    else {
      const s = i;
      while (i < n && !ws(line[i]) && line[i] !== '=' && line[i] !== '"') i++;
      key = line.slice(s, i);
      if (key === '') fail('a key', line.slice(i, i + 20));
    }
    let j = i;
    while (j < n && ws(line[j])) j++;
    if (j >= n || line[j] !== '=') { out.push({ key, value: '', kind: 'flag' }); continue; }
    i = j + 1;
    if (i >= n || ws(line[i])) { out.push({ key, value: '', kind: 'bare' }); continue; }
    const c = line[i];
    if (c === '"') out.push({ key, value: readQuoted(), kind: 'quoted' });
    else if (c === '{') out.push({ key, value: readBracketed('{', '}'), kind: 'braces' });
    else if (c === '[') out.push({ key, value: readBracketed('[', ']'), kind: 'brackets' });
    else {
      const s = i;
      while (i < n && !ws(line[i])) i++;
      out.push({ key, value: line.slice(s, i), kind: 'bare' });
    }
  }
  return out;
}

/** T/F/True/False (any case of the words) as a boolean, else undefined. */
export function toBool(tok: string): boolean | undefined {
  if (tok === 'T' || /^true$/i.test(tok)) return true;
  if (tok === 'F' || /^false$/i.test(tok)) return false;
  return undefined;
}

function scalar(tok: string): number | boolean | string {
  const i = toInt(tok);
  if (i !== undefined) return i;
  const f = toFloat(tok);
  if (f !== undefined) return f;
  const b = toBool(tok);
  return b !== undefined ? b : tok;
}

/** A homogeneous array from items: all numbers, all booleans, else all strings. */
function homogeneous(items: (number | boolean | string)[], raw: string[]): InfoValue {
  if (items.every((x) => typeof x === 'number')) return items as number[];
  if (items.every((x) => typeof x === 'boolean')) return items as boolean[];
  return raw;
}

/** Splits the inside of [...] into items (commas, optional quotes, nested brackets flattened). */
function bracketItems(body: string): { values: (number | boolean | string)[]; raw: string[] } {
  const values: (number | boolean | string)[] = [];
  const raw: string[] = [];
  let i = 0;
  const n = body.length;
  while (i < n) {
    const c = body[i];
    if (c === ' ' || c === '\t' || c === ',' || c === '[' || c === ']') { i++; continue; }
    if (c === '"') {
      let s = '';
      i++;
      while (i < n && body[i] !== '"') {
        if (body[i] === '\\' && i + 1 < n) { const d = body[i + 1]; s += d === 'n' ? '\n' : d === 't' ? '\t' : d; i += 2; } else s += body[i++];
      }
      i++;
      values.push(s); raw.push(s);
      continue;
    }
    const s0 = i;
    while (i < n && !/[\s,\[\]]/.test(body[i])) i++;
    const tok = body.slice(s0, i);
    const b = /^(true|false)$/.test(tok) ? tok === 'true' : undefined;
    values.push(b ?? scalar(tok)); raw.push(tok);
  }
  return { values, raw };
}

/** Interprets a raw entry as an info value (numbers, booleans, strings or arrays of one kind). */
export function interpretValue(e: RawEntry): InfoValue {
  switch (e.kind) {
    case 'flag': return true;
    case 'bare': return scalar(e.value);
    case 'quoted': {
      const toks = e.value.trim() === '' ? [] : e.value.trim().split(/\s+/);
      if (toks.length === 0) return e.value;
      const items = toks.map(scalar);
      const allNum = items.every((x) => typeof x === 'number');
      const allBool = items.every((x) => typeof x === 'boolean');
      if (!allNum && !allBool) return e.value;
      return items.length === 1 ? items[0] : (items as number[] | boolean[]);
    }
    case 'braces': {
      const toks = e.value.split(/[\s,]+/).filter(Boolean);
      return homogeneous(toks.map(scalar), toks);
    }
    case 'brackets': {
      const { values, raw } = bracketItems(e.value);
      return homogeneous(values, raw);
    }
  }
}

const NEEDS_QUOTES = /[\s="'\\{}\[\],]/;

function quote(s: string): string {
  return '"' + s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n').replace(/\t/g, '\\t') + '"';
}

/** A key as written in the comment line (quoted when needed). */
export function formatKey(k: string): string {
  return k === '' || NEEDS_QUOTES.test(k) ? quote(k) : k;
}

/**
 * An info value as written in the comment line. Numbers exactly (repr); arrays of ≥ 2 numbers or
 * booleans as "a b c"; shorter ones and string arrays as [..]. Strings that read as a number or a
 * boolean come back as that number or boolean (a limit of the format).
 */
export function formatValue(v: InfoValue): string {
  if (typeof v === 'number') return fmt(v);
  if (typeof v === 'boolean') return v ? 'T' : 'F';
  if (typeof v === 'string') return v === '' || NEEDS_QUOTES.test(v) ? quote(v) : v;
  const arr = v as (number | boolean | string)[];
  if (arr.length >= 2 && arr.every((x) => typeof x === 'number')) return '"' + arr.map((x) => fmt(x as number)).join(' ') + '"';
  if (arr.length >= 2 && arr.every((x) => typeof x === 'boolean')) return '"' + arr.map((x) => (x ? 'T' : 'F')).join(' ') + '"';
  return '[' + arr.map((x) => (typeof x === 'number' ? fmt(x) : typeof x === 'boolean' ? (x ? 'true' : 'false') : quote(x))).join(', ') + ']';
}
