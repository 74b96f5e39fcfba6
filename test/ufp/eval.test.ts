/** `ufnmr eval --json`: the design.md contract, LAMMPS energies for .uf3, clean errors. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { main } from '../../src/cli/main';

const FIX = join(__dirname, '..', 'fixtures', 'ufp');

async function run(args: string[]): Promise<{ code: number; out: Record<string, any> }> {
  let text = '';
  const code = await main(args, { stdout: (t) => { text += t; }, stderr: () => {} });
  return { code, out: JSON.parse(text) };
}

test('eval --json on the bench case: LAMMPS energy, forces, virial and stress in Voigt order', async () => {
  const { code, out } = await run(['eval', '--potential', join(FIX, 'bench_lps.uf3'), '--structure', join(FIX, 'beta768_bench.xyz'), '--json']);
  assert.equal(code, 0);
  assert.equal(out.ok, true);
  assert.equal(out.natoms, 768);
  assert.ok(Math.abs(out.energy - -599.562217302) < 1e-6);
  assert.equal(out.forces.length, 768);
  assert.ok(Math.abs(out.forces[0][0] - 0.198823024421119) < 1e-8); // LAMMPS dump value (its power-basis round-off ~1e-9)
  assert.equal(out.virial.length, 6);
  const V = 25.63800048828125 * 24.660000801086426 * 24.493999481201172;
  out.stress.forEach((s: number, q: number) => assert.ok(Math.abs(s + out.virial[q] / V) < 1e-12));
});

test('eval of a uf3 JSON model on a DFT frame includes 1-body energies and reports the reference errors', async () => {
  const { code, out } = await run(['eval', '--potential', join(FIX, 'W_model_2and3.uf3.json'), '--structure', join(FIX, 'W_test_5configs.xyz'), '--frame', '2', '--json']);
  assert.equal(code, 0);
  assert.ok(Math.abs(out.reference.energyErrorPerAtomMeV) < 10);
  assert.ok(out.reference.forceRmse < 0.1);
  assert.equal(out.potential.oneBody, true);
});

test('eval errors are clean JSON: element the potential lacks, missing file, bad frame', async () => {
  let r = await run(['eval', '--potential', join(FIX, 'Nb.uf3'), '--structure', join(FIX, 'beta768_bench.xyz'), '--json']);
  assert.equal(r.code, 1);
  assert.match(r.out.error.message, /no parameters for Li \(atom 0\); it knows Nb/);
  r = await run(['eval', '--potential', join(FIX, 'missing.uf3'), '--structure', join(FIX, 'beta768_bench.xyz'), '--json']);
  assert.match(r.out.error.message, /cannot read UF3 potential/);
  r = await run(['eval', '--potential', join(FIX, 'Nb.uf3'), '--structure', join(FIX, 'W_test_5configs.xyz'), '--frame', '9', '--json']);
  assert.match(r.out.error.message, /frame 9 requested, the file has 5 frame/);
});
