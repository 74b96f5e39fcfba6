/**
 * CIF 1.1 syntax: tokens (bare, 'single', "double" quoted, ;text fields;, # comments) grouped into
 * data blocks of tag–value items and loops. Values keep their line numbers for error messages.
 */
import { ParseError } from '../core/errors';
import type { LineSource } from './lines';

/** One value and the line it was on. */
export interface CifValue {
  text: string;
  line: number;
  /** True when the value was quoted or a text field (so "?" and "." are literal). */
  quoted: boolean;
}

/** A loop_: its tags (lower case) and rows of values. */
export interface CifLoop {
  tags: string[];
  rows: CifValue[][];
  line: number;
}

/** A data_ block. */
export interface CifBlock {
  name: string;
  line: number;
  items: Map<string, CifValue>;
  loops: CifLoop[];
}

interface Token extends CifValue { kind: 'value' | 'tag' | 'loop' | 'data' | 'other' }

function* tokenize(src: LineSource): Generator<Token> {
  for (let line = src.next(); line !== undefined; line = src.next()) {
    const ln = src.lineNo;
    if (line.startsWith(';')) {
      const parts = [line.slice(1)];
      for (;;) {
        const l = src.next();
        if (l === undefined) throw new ParseError({ file: src.file, line: ln }, 'a closing ; line for the text field that starts here');
        if (l.startsWith(';')) break;
        parts.push(l);
      }
      yield { kind: 'value', text: parts.join('\n').trim(), line: ln, quoted: true };
      continue;
    }
    let i = 0;
    const n = line.length;
    while (i < n) {
      const c = line[i];
      if (c === ' ' || c === '\t') { i++; continue; }
      if (c === '#') break;
      if (c === "'" || c === '"') {
        let j = i + 1;
        while (j < n && !(line[j] === c && (j + 1 >= n || line[j + 1] === ' ' || line[j + 1] === '\t'))) j++;
        if (j >= n) throw new ParseError({ file: src.file, line: ln }, `a closing ${c} followed by a space or the end of the line`, line.slice(i, i + 40));
        yield { kind: 'value', text: line.slice(i + 1, j), line: ln, quoted: true };
        i = j + 1;
        continue;
      }
      let j = i;
      while (j < n && line[j] !== ' ' && line[j] !== '\t') j++;
      const text = line.slice(i, j);
      i = j;
      const low = text.toLowerCase();
      const kind = text.startsWith('_') ? 'tag' : low === 'loop_' ? 'loop' : low.startsWith('data_') ? 'data'
        : low.startsWith('save_') || low === 'global_' || low === 'stop_' ? 'other' : 'value';
      yield { kind, text, line: ln, quoted: false };
    }
  }
}

/** Parses all data blocks of a CIF source. */
export function parseCifBlocks(src: LineSource): CifBlock[] {
  const blocks: CifBlock[] = [];
  let block: CifBlock | undefined;
  const toks = tokenize(src);
  let pending: Token | undefined;
  const next = (): Token | undefined => {
    if (pending) { const t = pending; pending = undefined; return t; }
    const r = toks.next();
    return r.done ? undefined : r.value;
  };
  const fail = (t: Token, what: string): never => { throw new ParseError({ file: src.file, line: t.line }, what, t.text); };
  for (let t = next(); t !== undefined; t = next()) {
    if (t.kind === 'data') { block = { name: t.text.slice(5), line: t.line, items: new Map(), loops: [] }; blocks.push(block); continue; }
    if (t.kind === 'other') continue;
    if (!block) fail(t, 'data_ before the first item');
    const b = block!;
    if (t.kind === 'tag') {
      const v = next();
      if (!v || v.kind !== 'value') return fail(v ?? t, `a value for ${t.text}`);
      b.items.set(t.text.toLowerCase(), v);
    } else if (t.kind === 'loop') {
      const loop: CifLoop = { tags: [], rows: [], line: t.line };
      let u = next();
      while (u && u.kind === 'tag') { loop.tags.push(u.text.toLowerCase()); u = next(); }
      if (loop.tags.length === 0) fail(u ?? t, 'tags after loop_');
      const values: CifValue[] = [];
      while (u && u.kind === 'value') { values.push(u); u = next(); }
      pending = u;
      if (values.length % loop.tags.length !== 0)
        throw new ParseError({ file: src.file, line: loop.line }, `a multiple of ${loop.tags.length} values in the loop (${loop.tags.join(' ')})`, `${values.length} values`);
      for (let k = 0; k < values.length; k += loop.tags.length) loop.rows.push(values.slice(k, k + loop.tags.length));
      b.loops.push(loop);
    } else fail(t, 'a tag (_name) or loop_');
  }
  return blocks;
}

/** All values of a tag in a block: the column of the loop that has it, or the single item. */
export function cifValues(b: CifBlock, tag: string): CifValue[] | undefined {
  const item = b.items.get(tag);
  if (item) return [item];
  for (const l of b.loops) {
    const k = l.tags.indexOf(tag);
    if (k >= 0) return l.rows.map((r) => r[k]);
  }
  return undefined;
}

/** True for CIF's unknown (?) and inapplicable (.) markers. */
export function isMissing(v: CifValue | undefined): boolean {
  return !v || (!v.quoted && (v.text === '?' || v.text === '.'));
}

/** Number with an optional standard uncertainty in parentheses, e.g. 12.8190(5); undefined when not a number. */
export function cifNumber(text: string): number | undefined {
  const m = /^([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)(?:\(\d+\))?$/.exec(text);
  if (!m) return undefined;
  const v = Number(m[1]);
  return Number.isFinite(v) ? v : undefined;
}
