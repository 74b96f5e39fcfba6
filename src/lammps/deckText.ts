/**
 * LAMMPS input scripts as data: a builder that writes commands (with comments) and a parser that reads a
 * script back into commands (comments stripped, `&` continuations joined, quotes removed, variables left
 * unexpanded), following the LAMMPS manual's "Parsing rules" (section 5.2 of the 2024 manual).
 */
import { ParseError } from '../core/errors';

/** One command of an input script: its name, its arguments (quotes removed) and its 1-based line. */
export interface LammpsCommand {
  name: string;
  args: string[];
  line: number;
}

/** Builds an input script line by line. */
export class DeckWriter {
  private readonly lines: string[] = [];

  /** A command line; arguments are written as given (quote them yourself when they hold spaces). */
  command(name: string, ...args: (string | number)[]): this {
    this.lines.push([name, ...args.map(String)].join(' '));
    return this;
  }

  /** Comment lines (each prefixed with "# "). */
  comment(...text: string[]): this {
    for (const t of text) for (const l of t.split('\n')) this.lines.push(l ? `# ${l}` : '#');
    return this;
  }

  /** An empty line. */
  blank(): this {
    if (this.lines.length && this.lines[this.lines.length - 1] !== '') this.lines.push('');
    return this;
  }

  /** The script text (newline-terminated). */
  text(): string {
    return this.lines.join('\n').replace(/\n+$/, '') + '\n';
  }
}

/** Quotes a fix print / title string for LAMMPS (double quotes; the text must not contain any). */
export function quoted(text: string): string {
  if (text.includes('"')) throw new Error(`internal: cannot double-quote ${JSON.stringify(text)}`);
  return `"${text}"`;
}

/**
 * Parses input-script text into commands. Understands comments (`#` outside quotes), continuation lines
 * (a trailing `&`), single, double and triple double quotes (which may span lines); `$x`, `${x}`, `$(…)`
 * stay as written. ParseError (file, line) for an unterminated quote.
 */
export function parseLammpsInput(text: string, file = '<input>'): LammpsCommand[] {
  const out: LammpsCommand[] = [];
  const lines = text.split(/\r?\n/);
  let i = 0;
  while (i < lines.length) {
    const start = i + 1;
    // gather one logical line: continuation '&' and open quotes extend it
    let logical = '';
    for (;;) {
      if (i >= lines.length) throw new ParseError({ file, line: start }, 'a closing quote', logical.slice(0, 40));
      let l = lines[i++];
      const trimmed = l.replace(/\s+$/, '');
      const cont = trimmed.endsWith('&') && !openQuote(logical + trimmed.slice(0, -1));
      if (cont) l = trimmed.slice(0, -1);
      logical += (logical && !openQuote(logical) ? ' ' : logical ? '\n' : '') + l;
      if (!cont && !openQuote(logical)) break;
    }
    const toks = tokenize(logical, file, start);
    if (toks.length) out.push({ name: toks[0], args: toks.slice(1), line: start });
  }
  return out;
}

/** True when `s` ends inside a quote (comments outside quotes end the line). */
function openQuote(s: string): boolean {
  let q: string | null = null;
  for (let k = 0; k < s.length; k++) {
    if (q) {
      if (s.startsWith(q, k)) { k += q.length - 1; q = null; }
    } else if (s[k] === '#') return false;
    else if (s.startsWith('"""', k)) { q = '"""'; k += 2; } else if (s[k] === '"' || s[k] === "'") q = s[k];
  }
  return q !== null;
}

function tokenize(s: string, file: string, line: number): string[] {
  const toks: string[] = [];
  let k = 0;
  const n = s.length;
  while (k < n) {
    while (k < n && /\s/.test(s[k])) k++;
    if (k >= n || s[k] === '#') break;
    let tok = '';
    while (k < n && !/\s/.test(s[k]) && s[k] !== '#') {
      const q = s.startsWith('"""', k) ? '"""' : s[k] === '"' || s[k] === "'" ? s[k] : null;
      if (q) {
        const end = s.indexOf(q, k + q.length);
        if (end < 0) throw new ParseError({ file, line }, `a closing ${q}`, s.slice(k, k + 40));
        tok += s.slice(k + q.length, end);
        k = end + q.length;
      } else tok += s[k++];
    }
    toks.push(tok);
  }
  return toks;
}
