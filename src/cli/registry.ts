/**
 * The list of `ufnmr` sub-commands. Each entry loads its module lazily so that `ufnmr --help`
 * stays fast and a command's heavy dependencies (tfjs, vega) load only when it runs.
 */
import type { Command } from './command';

/** A registered command: its name, one-line summary, and a loader. */
export interface CommandEntry {
  name: string;
  summary: string;
  load: () => Command;
}

/* eslint-disable @typescript-eslint/no-require-imports */
export const COMMANDS: CommandEntry[] = [
];
