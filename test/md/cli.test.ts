import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, existsSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main';
import { writeStructure, readStructure } from '../../src/io';
import { parseMDConfig } from '../../src/md/config';
import { TrajectoryReader } from '../../src/io/trajectory';
import { InputError } from '../../src/core/errors';
import { argonFcc } from './systems';
import { systemToStructure } from '../../src/md/system';

function setup(extra: Record<string, unknown> = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'md-cli-'));
  const { sys } = argonFcc(2, 0.8);
  writeStructure(join(dir, 'start.xyz'), systemToStructure(sys));
  const cfg = {
    structure: 'start.xyz',
    potential: { lennardJones: { pairs: { 'Ar-Ar': { epsilonEv: 0.0104, sigmaA: 3.4, cutoffA: 8.5 } } } },
    timestepFs: 4, seed: 5,
    velocities: { temperatureK: 100 },
    stages: [
      { name: 'nvt', steps: 100, ensemble: 'nvt', temperatureK: [100, 120], thermostat: { type: 'langevin', tauFs: 100 } },
      { name: 'npt', steps: 100, ensemble: 'npt', temperatureK: 120, thermostat: { type: 'bussi', tauFs: 100 }, barostat: { pressureGPa: 0, tauFs: 500, compressibilityPerGPa: 0.5, every: 5 } },
    ],
    output: { directory: 'out', thermo: { every: 10 }, trajectory: { every: 20, velocities: true }, checkpoint: { every: 50 } },
    ...extra,
  };
  const path = join(dir, 'md.json');
  writeFileSync(path, JSON.stringify(cfg));
  return { dir, path, cfg };
}

async function cli(args: string[]): Promise<{ code: number; out: Record<string, unknown>; err: string }> {
  let out = '', err = '';
  const code = await main(args, { stdout: (t) => { out += t; }, stderr: (t) => { err += t; } });
  return { code, out: JSON.parse(out), err };
}

test('md CLI: runs, writes thermo/trajectory/checkpoint/final, refuses to overwrite, --stop-after + --resume is bit-identical', async () => {
  const a = setup();
  const r = await cli(['md', '--config', a.path, '--json']);
  assert.equal(r.code, 0, JSON.stringify(r.out));
  assert.equal(r.out.ok, true);
  assert.equal(r.out.endStep, 200);
  assert.deepEqual((r.out.stages as { name: string }[]).map((s) => s.name), ['nvt', 'npt']);
  const outDir = join(a.dir, 'out');
  assert.deepEqual(readdirSync(outDir).sort(), ['checkpoint.json', 'final.xyz', 'thermo.csv', 'trajectory.uftraj']);
  const thermo = readFileSync(join(outDir, 'thermo.csv'), 'utf8').trim().split('\n');
  assert.equal(thermo[0], 'step,time_fs,temp_K,pe_eV,ke_eV,etot_eV,conserved_eV,press_GPa,volume_A3,density_g_cm3');
  assert.equal(thermo.length, 1 + 21);
  const tr = new TrajectoryReader(join(outDir, 'trajectory.uftraj'));
  assert.equal(tr.length, 11);
  assert.ok(tr.frame(10).velocities);
  tr.close();
  // a second run must not destroy the outputs
  const again = await cli(['md', '--config', a.path, '--json']);
  assert.equal(again.code, 1);
  assert.match(String((again.out.error as { message: string }).message), /output exists/);
  // chunked: 100 steps, then resume to the end
  const b = setup();
  const r1 = await cli(['md', '--config', b.path, '--stop-after', '100', '--json']);
  assert.equal(r1.out.endStep, 100);
  assert.match(String(r1.out.stopped), /stop-after/);
  assert.ok(!existsSync(join(b.dir, 'out', 'final.xyz')));
  const r2 = await cli(['md', '--config', b.path, '--resume', '--json']);
  assert.equal(r2.code, 0);
  assert.equal(r2.out.endStep, 200);
  assert.equal(r2.out.resumed, true);
  const fa = readStructure(join(outDir, 'final.xyz')), fb = readStructure(join(b.dir, 'out', 'final.xyz'));
  assert.deepEqual(fb.positions, fa.positions);
  assert.deepEqual(fb.cell, fa.cell);
  assert.equal(readFileSync(join(b.dir, 'out', 'thermo.csv'), 'utf8'), readFileSync(join(outDir, 'thermo.csv'), 'utf8'));
  // resuming a finished run does nothing
  const r3 = await cli(['md', '--config', b.path, '--resume', '--json']);
  assert.equal(r3.out.steps, 0);
});

test('md config: bad input is rejected before any work, naming the key', async () => {
  const bad: [Record<string, unknown>, RegExp][] = [
    [{ timestep: 1 }, /unknown key "timestep"; did you mean "timestepFs"/],
    [{ timestepFs: -0.5 }, /timestepFs: must be > 0/],
    [{ timestepFs: '1 fs' }, /plain number \(fs\).*units are fixed by the key name/],
    [{ stages: [{ steps: 10, ensemble: 'nvt', temperatureK: 300 }] }, /missing required key "thermostat"/],
    [{ stages: [{ steps: 10, ensemble: 'nvt', temperature: 300, thermostat: { type: 'bussi', tauFs: 10 } }] }, /did you mean "temperatureK"/],
    [{ stages: [{ steps: 10, ensemble: 'npt', temperatureK: 300, thermostat: { type: 'bussi', tauFs: 10 }, barostat: { pressure: 1 } }] }, /did you mean "pressureGPa"/],
    [{ structure: 'missing.xyz' }, /does not exist/],
    [{ potential: { file: 'nope.uf3' } }, /does not exist/],
    [{ stages: [], protocol: undefined }, /at least one stage/],
    [{ output: { checkpoint: { every: 0 } } }, /checkpoint.every: must be ≥ 1/],
  ];
  for (const [patch, re] of bad) {
    const s = setup(patch);
    const r = await cli(['md', '--config', s.path, '--json']);
    assert.equal(r.code, 1, JSON.stringify(patch));
    assert.match(String((r.out.error as { message: string }).message), re);
    assert.ok(!existsSync(join(s.dir, 'out')), 'no output directory before validation passes');
  }
  const s = setup();
  const plan = await cli(['md', '--config', s.path, '--dry-run', '--json']);
  assert.equal(plan.code, 0);
  assert.equal(plan.out.totalSteps, 200);
  assert.ok(!existsSync(join(s.dir, 'out')), 'a dry run writes nothing');
  const cfg = JSON.parse(readFileSync(s.path, 'utf8'));
  delete cfg.timestep;
  assert.throws(() => parseMDConfig({ ...cfg, structure: undefined }, s.path), InputError);
});

test('md protocols: a temperature ladder and a melt-quench expand into stages; melt-quench reports the density', async () => {
  const lad = setup({ stages: undefined, protocol: { type: 'ladder', temperaturesK: [80, 100], stepsPerTemperature: 30, rampSteps: 10, thermostat: { type: 'bussi', tauFs: 50 } } });
  const r = await cli(['md', '--config', lad.path, '--json']);
  assert.equal(r.code, 0, JSON.stringify(r.out));
  assert.deepEqual((r.out.stages as { name: string }[]).map((s) => s.name), ['80K', 'ramp-80-100K', '100K']);
  const mq = setup({
    stages: undefined,
    protocol: {
      type: 'melt-quench', startTemperatureK: 50, meltTemperatureK: 200, heatSteps: 20, holdSteps: 20, quenchRateKPerPs: 1000, finalTemperatureK: 50,
      annealSteps: 10, nptSteps: 40, thermostat: { type: 'bussi', tauFs: 50 }, barostat: { tauFs: 500, compressibilityPerGPa: 0.5, every: 2 },
    },
  });
  const m = await cli(['md', '--config', mq.path, '--json']);
  assert.equal(m.code, 0, JSON.stringify(m.out));
  assert.deepEqual((m.out.stages as { name: string }[]).map((s) => s.name), ['heat', 'melt', 'quench', 'anneal', 'npt']);
  assert.equal((m.out.protocol as { quenchSteps: number }).quenchSteps, 38); // (200−50) K / 1000 K/ps = 0.15 ps = 37.5 → 38 steps of 4 fs
  const d = m.out.density as { simulatedGCm3: number; experimentalGlassGCm3: number[] };
  assert.ok(d.simulatedGCm3 > 1 && d.simulatedGCm3 < 2.5);
});
