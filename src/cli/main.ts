/** Entry point of the `ufnmr` command line. */
import { parseArgs } from 'node:util';
import { COMMANDS, CommandEntry } from './registry';
import type { CliIO, Command } from './command';
import { InputError } from '../core/errors';

const VERSION: string = (() => {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require('../../package.json').version as string;
  } catch {
    return 'unknown';
  }
})();

function topHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length), 8);
  const lines = COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
  return [
    `ufnmr ${VERSION} — ultra-fast 7Li NMR simulations (UF3 potentials, MD, EFG models, quadrupolar ACFs)`,
    '',
    'Usage: ufnmr <command> [options]      (every command takes --json and --help)',
    '',
    'Commands:',
    ...lines,
    '',
    'Run `ufnmr <command> --help` for the options of one command.',
  ].join('\n');
}

function commandHelp(cmd: Command): string {
  const opts = Object.entries(cmd.options).map(([k, o]) => `  --${k}${o.type === 'string' ? ' <value>' : ''}${o.short ? `, -${o.short}` : ''}`);
  return [`Usage: ufnmr ${cmd.usage}`, '', cmd.summary, '', cmd.help.trim(), '', 'Options:', ...opts, '  --json  print exactly one JSON object on stdout', '  --help  this help'].join('\n');
}

/** Finds the command whose name matches the longest prefix of argv. */
function resolve(argv: string[]): { entry: CommandEntry; rest: string[] } | undefined {
  let best: { entry: CommandEntry; rest: string[] } | undefined;
  for (const entry of COMMANDS) {
    const parts = entry.name.split(' ');
    if (parts.every((p, i) => argv[i] === p) && (!best || parts.length > best.entry.name.split(' ').length))
      best = { entry, rest: argv.slice(parts.length) };
  }
  return best;
}

/** Runs the CLI with these arguments; returns the exit code. */
export async function main(argv: string[], io?: Partial<CliIO>): Promise<number> {
  const out = io?.stdout ?? ((t: string) => process.stdout.write(t));
  const err = io?.stderr ?? ((t: string) => process.stderr.write(t));
  const json = argv.includes('--json');
  const fail = (e: unknown, code: number): number => {
    const isInput = e instanceof InputError;
    const message = e instanceof Error ? e.message : String(e);
    if (json) out(JSON.stringify({ ok: false, error: { type: e instanceof Error ? e.name : 'Error', message } }) + '\n');
    else err(`ufnmr: ${isInput ? '' : 'internal error: '}${message}\n`);
    if (!isInput && !json && e instanceof Error && e.stack && process.env.UFNMR_DEBUG) err(e.stack + '\n');
    return code;
  };
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
    const target = argv[0] === 'help' ? resolve(argv.slice(1)) : undefined;
    out((target ? commandHelp(target.entry.load()) : topHelp()) + '\n');
    return 0;
  }
  if (argv[0] === '--version') {
    out(json ? JSON.stringify({ version: VERSION }) + '\n' : VERSION + '\n');
    return 0;
  }
  const found = resolve(argv);
  if (!found) {
    const group = COMMANDS.filter((c) => c.name.startsWith(argv[0] + ' '));
    if (group.length > 0) {
      const width = Math.max(...group.map((c) => c.name.length));
      const text = [`ufnmr ${argv[0]} has sub-commands:`, ...group.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`), '', `Run \`ufnmr ${argv[0]} <sub-command> --help\` for its options.`].join('\n');
      if (argv.includes('--help') || argv.includes('-h') || argv.length === 1) {
        out((json ? JSON.stringify({ ok: true, subcommands: group.map((c) => c.name) }) : text) + '\n');
        return 0;
      }
      return fail(new InputError(`unknown sub-command ${JSON.stringify(argv.slice(0, 2).join(' '))}; choose one of: ${group.map((c) => c.name).join(', ')}`), 2);
    }
    return fail(new InputError(`unknown command ${JSON.stringify(argv.filter((a) => !a.startsWith('-')).join(' '))}; run \`ufnmr --help\` for the list`), 2);
  }
  let cmd: Command;
  try {
    cmd = found.entry.load();
  } catch (e) {
    return fail(e, 1);
  }
  if (found.rest.includes('--help') || found.rest.includes('-h')) {
    out(commandHelp(cmd) + '\n');
    return 0;
  }
  let parsed;
  try {
    parsed = parseArgs({ args: found.rest, options: { ...cmd.options, json: { type: 'boolean' } }, allowPositionals: true, strict: true });
  } catch (e) {
    return fail(new InputError(`${cmd.name}: ${(e as Error).message}`), 2);
  }
  const [pmin, pmax] = cmd.positionals ?? [0, 0];
  if (parsed.positionals.length < pmin || parsed.positionals.length > pmax)
    return fail(new InputError(`${cmd.name} takes ${pmin === pmax ? pmin : `${pmin}–${pmax}`} positional argument(s), got ${parsed.positionals.length}; usage: ufnmr ${cmd.usage}`), 2);
  try {
    const result = await cmd.run({ values: parsed.values as Record<string, string | boolean | undefined>, positionals: parsed.positionals }, { stdout: out, stderr: err, json });
    if (json) out(JSON.stringify({ ok: true, ...result }) + '\n');
    else out((cmd.format ? cmd.format(result) : JSON.stringify(result, null, 2)) + '\n');
    return 0;
  } catch (e) {
    return fail(e, 1);
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => { process.exitCode = code; });
}
