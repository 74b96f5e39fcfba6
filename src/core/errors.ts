/**
 * Error types of ufnmr. Every error raised because of bad input is an {@link InputError};
 * errors raised while parsing a file are {@link ParseError}s that name the file, the line
 * (or array) and what was expected.
 */

/** Bad input: a malformed value, an inconsistent configuration, an unknown element. */
export class InputError extends Error {
  override name = 'InputError';
}

/** Where in a file a problem was found. `line` is 1-based; `array` names a binary array. */
export interface ParseLocation {
  file: string;
  line?: number;
  array?: string;
}

/** A file could not be parsed: names the file, the line (or array) and what was expected. */
export class ParseError extends InputError {
  override name = 'ParseError';
  readonly file: string;
  readonly line?: number;
  readonly array?: string;
  readonly expected: string;
  constructor(loc: ParseLocation, expected: string, found?: string) {
    const where = loc.line !== undefined ? `${loc.file}:${loc.line}` : loc.array !== undefined ? `${loc.file} [${loc.array}]` : loc.file;
    const got = found !== undefined ? `, found ${truncate(found)}` : '';
    super(`${where}: expected ${expected}${got}`);
    this.file = loc.file;
    this.line = loc.line;
    this.array = loc.array;
    this.expected = expected;
  }
}

/** A numerical run went wrong (NaN, blow-up): names what and where (step, atoms). */
export class SimulationError extends Error {
  override name = 'SimulationError';
}

function truncate(s: string, n = 60): string {
  const one = JSON.stringify(s);
  return one.length > n ? one.slice(0, n - 4) + '…"' : one;
}
