import { test } from 'node:test';
import assert from 'node:assert/strict';
import { main } from '../../src/cli/main';
import { COMMANDS } from '../../src/cli/registry';

async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '', err = '';
  const code = await main(argv, { stdout: (t) => { out += t; }, stderr: (t) => { err += t; } });
  return { code, out, err };
}

test('top-level help lists every registered command', async () => {
  const r = await run(['--help']);
  assert.equal(r.code, 0);
  for (const c of COMMANDS) assert.ok(r.out.includes(c.name), c.name);
});

test('every command has its own help with a usage line', async () => {
  for (const c of COMMANDS) {
    const r = await run([...c.name.split(' '), '--help']);
    assert.equal(r.code, 0, c.name);
    assert.match(r.out, new RegExp(`^Usage: ufnmr ${c.name}`), c.name);
  }
});

test('a command group lists its sub-commands', async () => {
  const groups = [...new Set(COMMANDS.filter((c) => c.name.includes(' ')).map((c) => c.name.split(' ')[0]))];
  for (const g of groups) {
    const r = await run([g, '--help']);
    assert.equal(r.code, 0);
    for (const c of COMMANDS.filter((x) => x.name.startsWith(g + ' '))) assert.ok(r.out.includes(c.name));
    const bad = await run([g, 'nonsense', '--json']);
    assert.equal(bad.code, 2);
    const obj = JSON.parse(bad.out);
    assert.equal(obj.ok, false);
    assert.match(obj.error.message, /unknown sub-command/);
  }
});

test('--json errors are exactly one JSON object on stdout', async () => {
  const r = await run(['no-such-command', '--json']);
  assert.equal(r.code, 2);
  assert.equal(r.err, '');
  const lines = r.out.trim().split('\n');
  assert.equal(lines.length, 1);
  assert.equal(JSON.parse(lines[0]).ok, false);
  const opt = await run(['convert', 'a.xyz', 'b.xyz', '--no-such-option', '--json']);
  assert.equal(opt.code, 2);
  assert.equal(JSON.parse(opt.out).ok, false);
});
