import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeStructure } from '../../src/io';
import { systemToStructure } from '../../src/md/system';
import { readCheckpoint } from '../../src/md/checkpoint';
import { TrajectoryReader } from '../../src/io/trajectory';
import { argonFcc } from './systems';

const MAIN = join(__dirname, '../../src/cli/main.ts');

function runCli(args: string[], interruptOnProgress: NodeJS.Signals | null): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolveRun) => {
    const child = spawn(process.execPath, ['--import', 'tsx', MAIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '', stderr = '', sent = false;
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => {
      stderr += d;
      if (interruptOnProgress && !sent && /step \d+/.test(stderr)) { sent = true; child.kill(interruptOnProgress); }
    });
    child.on('close', (code) => resolveRun({ code, stdout, stderr }));
  });
}

for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  test(`${sig} writes a checkpoint and stops cleanly; --resume finishes the run with a continuous trajectory`, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'md-sig-'));
    writeStructure(join(dir, 's.xyz'), systemToStructure(argonFcc(2, 0.8).sys));
    const total = 10000;
    writeFileSync(join(dir, 'md.json'), JSON.stringify({
      structure: 's.xyz', potential: { lennardJones: { pairs: { 'Ar-Ar': { epsilonEv: 0.0104, sigmaA: 3.4, cutoffA: 8.5 } } } },
      timestepFs: 4, velocities: { temperatureK: 100 }, progressIntervalMs: 0,
      stages: [{ steps: total, ensemble: 'nvt', temperatureK: 100, thermostat: { type: 'bussi', tauFs: 200 } }],
      output: { thermo: { every: 100 }, trajectory: { every: 100 }, checkpoint: { every: 100000 } },
    }));
    const cfg = join(dir, 'md.json');
    const first = await runCli(['md', '--config', cfg], sig);
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stderr, new RegExp(`${sig}: writing a checkpoint`));
    assert.match(first.stdout, /stopped \(SIG/);
    const cp = readCheckpoint(join(dir, 'checkpoint.json'));
    assert.ok(cp.step > 0 && cp.step < total, `checkpoint at step ${cp.step}`);
    const r = new TrajectoryReader(join(dir, 'trajectory.uftraj'));
    assert.equal(r.length, Math.floor(cp.step / 100) + 1);
    assert.equal(r.tornTail, false);
    r.close();
    const second = await runCli(['md', '--config', cfg, '--resume', '--json', '--quiet'], null);
    assert.equal(second.code, 0, second.stderr);
    const res = JSON.parse(second.stdout);
    assert.equal(res.endStep, total);
    assert.equal(res.startStep, cp.step);
    const t = new TrajectoryReader(join(dir, 'trajectory.uftraj'));
    assert.equal(t.length, total / 100 + 1);
    const steps = [...t.frames()].map((f) => f.step);
    assert.deepEqual(steps, Array.from({ length: total / 100 + 1 }, (_, k) => 100 * k));
    t.close();
  });
}
