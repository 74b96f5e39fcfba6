/** The shape of one `ufnmr` sub-command. */
import type { ParseArgsConfig } from 'node:util';

/** Parsed command-line values. */
export interface CliArgs {
  values: Record<string, string | boolean | string[] | boolean[] | undefined>;
  positionals: string[];
}

/** Where a command writes: stdout for results, stderr for progress and messages. */
export interface CliIO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** True when --json was given: print nothing but the final JSON object on stdout. */
  json: boolean;
}

/** One sub-command. `run` returns the JSON-able result; `format` renders it for humans. */
export interface Command {
  /** Full name including the parent, e.g. "convert" or "efg point-charge". */
  name: string;
  summary: string;
  /** Usage line(s) after `ufnmr `. */
  usage: string;
  /** Longer help: description and options. */
  help: string;
  options: NonNullable<ParseArgsConfig['options']>;
  /** Allowed number of positional arguments [min, max]. */
  positionals?: [number, number];
  run(args: CliArgs, io: CliIO): Promise<Record<string, unknown>>;
  /** Human-readable rendering of the result (default: pretty JSON). */
  format?(result: Record<string, unknown>): string;
}
