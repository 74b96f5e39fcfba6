/**
 * Line sources for the text readers: a file read in fixed-size chunks (bounded memory, so multi-GB
 * trajectories stream) or an in-memory string. Both track the 1-based line number for error messages.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { ParseError } from '../core/errors';

/** A forward-only source of text lines (terminators \n or \r\n removed). */
export interface LineSource {
  /** File name used in error messages. */
  readonly file: string;
  /** Total size in bytes (characters for strings): an upper bound for any count read from the text. */
  readonly sizeBytes: number;
  /** 1-based number of the line last returned by next() (0 before the first). */
  readonly lineNo: number;
  /** The next line, or undefined at the end. */
  next(): string | undefined;
  /** The next line without consuming it, or undefined at the end. */
  peek(): string | undefined;
  /** Releases the file handle (idempotent). */
  close(): void;
}

const CHUNK_BYTES = 1 << 20;
const MAX_LINE = 1 << 26;

/** Lines of a file, read in chunks (1 MiB by default). */
export class FileLines implements LineSource {
  readonly file: string;
  readonly sizeBytes: number;
  lineNo = 0;
  private fd: number | undefined;
  private readonly decoder = new StringDecoder('utf8');
  private readonly buf: Buffer;
  private lines: string[] = [];
  private pos = 0;
  private rest = '';
  private eof = false;

  constructor(path: string, displayName: string = path, chunkBytes = CHUNK_BYTES) {
    this.file = displayName;
    this.buf = Buffer.allocUnsafe(Math.max(1, chunkBytes));
    this.fd = openSync(path, 'r');
    this.sizeBytes = fstatSync(this.fd).size;
  }

  private fill(): boolean {
    while (this.pos >= this.lines.length) {
      if (this.eof) return false;
      const n = this.fd === undefined ? 0 : readSync(this.fd, this.buf, 0, this.buf.length, null);
      let text: string;
      if (n === 0) {
        this.eof = true;
        text = this.rest + this.decoder.end();
        this.rest = '';
        this.lines = text.length > 0 ? [stripCr(text)] : [];
        this.pos = 0;
        this.close();
        continue;
      }
      text = this.rest + this.decoder.write(this.buf.subarray(0, n));
      const parts = text.split('\n');
      this.rest = parts.pop()!;
      if (this.rest.length > MAX_LINE) { this.close(); throw new ParseError({ file: this.file, line: this.lineNo + parts.length + 1 }, `a line shorter than ${MAX_LINE} characters`); }
      for (let i = 0; i < parts.length; i++) parts[i] = stripCr(parts[i]);
      this.lines = parts;
      this.pos = 0;
    }
    return true;
  }

  next(): string | undefined {
    if (!this.fill()) return undefined;
    this.lineNo++;
    return this.lines[this.pos++];
  }

  peek(): string | undefined {
    return this.fill() ? this.lines[this.pos] : undefined;
  }

  close(): void {
    if (this.fd !== undefined) { closeSync(this.fd); this.fd = undefined; }
  }
}

function stripCr(s: string): string {
  return s.length > 0 && s.charCodeAt(s.length - 1) === 13 ? s.slice(0, -1) : s;
}

/** Lines of an in-memory text (for tests, fuzzing and small files). */
export class StringLines implements LineSource {
  readonly sizeBytes: number;
  lineNo = 0;
  private readonly lines: string[];
  constructor(text: string, readonly file = '<string>') {
    this.sizeBytes = text.length;
    this.lines = text.length ? text.split('\n').map(stripCr) : [];
    if (this.lines.length && this.lines[this.lines.length - 1] === '' && text.endsWith('\n')) this.lines.pop();
  }
  next(): string | undefined {
    if (this.lineNo >= this.lines.length) return undefined;
    return this.lines[this.lineNo++];
  }
  peek(): string | undefined {
    return this.lines[this.lineNo];
  }
  close(): void { /* nothing to release */ }
}

/** A ParseError at the current line of `src`. */
export function errorAt(src: LineSource, expected: string, found?: string, line = src.lineNo): ParseError {
  return new ParseError({ file: src.file, line: line > 0 ? line : undefined }, expected, found);
}

/** The next line, or a ParseError saying what was expected instead of the end of the file. */
export function requireLine(src: LineSource, expected: string): string {
  const l = src.next();
  if (l === undefined) throw new ParseError({ file: src.file, line: src.lineNo + 1 }, expected, 'end of file');
  return l;
}

/** Skips blank lines; returns false at the end of the source. */
export function skipBlank(src: LineSource): boolean {
  for (;;) {
    const l = src.peek();
    if (l === undefined) return false;
    if (l.trim() !== '') return true;
    src.next();
  }
}

/** Splits a line into whitespace-separated tokens (no empty tokens). */
export function tokens(line: string): string[] {
  const t = line.trim();
  return t === '' ? [] : t.split(/\s+/);
}
