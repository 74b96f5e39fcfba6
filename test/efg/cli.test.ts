import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { main } from '../../src/cli/main';
import { readNpy } from '../../src/io/npy';

const FIXTURE = join(__dirname, '..', 'fixtures', 'efg', 'lps3.xyz');
const SHIPPED = join(__dirname, '..', '..', 'data', 'models', 'efg-lps');

async function run(argv: string[]): Promise<{ code: number; json: Record<string, unknown> }> {
  let out = '';
  const code = await main(argv, { stdout: (t) => { out += t; }, stderr: () => undefined });
  const lines = out.trim().split('\n');
  assert.equal(lines.length, 1, 'exactly one JSON line on stdout');
  return { code, json: JSON.parse(lines[0]) };
}

test('efg point-charge --json follows the CLI contract', async () => {
  const { code, json } = await run(['efg', 'point-charge', '--structure', FIXTURE, '--frame', '1', '--charges', 'Li=1,P=5,S=-2', '--sternheimer', '0.26', '--json']);
  assert.equal(code, 0);
  assert.equal(json.units, 'V/A^2');
  const t = json.tensors as number[][];
  assert.equal(t.length, 32);
  for (const v of t) { assert.equal(v.length, 9); assert.ok(Math.abs(v[0] + v[4] + v[8]) < 1e-9); }
  const bad = await run(['efg', 'point-charge', '--structure', FIXTURE, '--charges', 'Li=1,P=5', '--json']);
  assert.equal(bad.code, 1);
  assert.match((bad.json.error as { message: string }).message, /no charge given for S/);
  const missing = await run(['efg', 'point-charge', '--structure', 'nope.xyz', '--charges', 'Li=1', '--json']);
  assert.equal(missing.code, 1);
});

test('efg predict --json writes the .npy series; efg train rejects a bad config', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'efg-cli-'));
  try {
    const out = join(dir, 'series.npy');
    const { code, json } = await run(['efg', 'predict', '--model', SHIPPED, '--trajectory', FIXTURE, '--output', out, '--max-frames', '1', '--json']);
    assert.equal(code, 0, JSON.stringify(json));
    assert.deepEqual(json.shape, [1, 6, 3, 3]);
    assert.deepEqual(readNpy(out).shape, [1, 6, 3, 3]);
    writeFileSync(join(dir, 'cfg.json'), JSON.stringify({ data: ['x.xyz'], output: 'm', epochz: 3 }));
    const bad = await run(['efg', 'train', '--config', join(dir, 'cfg.json'), '--json']);
    assert.equal(bad.code, 1);
    assert.match((bad.json.error as { message: string }).message, /cfg.json.*epochz/);
    assert.ok(!existsSync(join(dir, 'm')));
    // a tiny end-to-end training run from a config
    writeFileSync(join(dir, 'ok.json'), JSON.stringify({ data: [FIXTURE], output: 'model', descriptor: { nRadial: 4 }, training: { hidden: 2, epochs: 20 }, split: { testFraction: 0, validationFraction: 0 }, learningCurve: [1] }));
    const ok = await run(['efg', 'train', '--config', join(dir, 'ok.json'), '--json']);
    assert.equal(ok.code, 0, JSON.stringify(ok.json));
    assert.ok(existsSync(join(dir, 'model', 'model.json')) && existsSync(join(dir, 'model', 'weights.bin')) && existsSync(join(dir, 'model', 'report.json')));
    assert.ok((ok.json.tfjsVsJsRelDiff as number) < 1e-5);
    assert.equal(typeof ok.json.backend, 'string');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
