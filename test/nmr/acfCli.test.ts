/** `ufnmr acf` end to end on .npy files: the contract's JSON, streaming = in-memory, clear errors. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main';
import { writeNpy } from '../../src/io/npy';
import { tensorAcf } from '../../src/nmr/acf';
import { markovJumpSeries } from '../helpers/markovJump';

async function cli(args: string[]): Promise<{ code: number; json: Record<string, unknown>; err: string }> {
  let out = '', err = '';
  const code = await main(args, { stdout: (t) => { out += t; }, stderr: (t) => { err += t; } });
  return { code, json: out ? JSON.parse(out) : {}, err };
}

const dir = mkdtempSync(join(tmpdir(), 'ufnmr-acf-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

test('ufnmr acf --json: ACF equals the in-memory result and the fit recovers the Markov rate', async () => {
  const m = markovJumpSeries({ seed: 31, nLi: 24, nFrames: 8000, dtFs: 25, hopRatePerPs: 2, tensorNoiseSigma: 0.1 });
  const path = join(dir, 'series.npy');
  writeNpy(path, { dtype: 'float64', shape: [m.nFrames, m.nLi, 3, 3], data: m.tensors });
  const r = await cli(['acf', '--tensors', path, '--dt-fs', '25', '--max-lag-ps', '4', '--fit-window', '0.025:4', '--free-amplitude', '--chunk-frames', '333', '--json']);
  assert.equal(r.code, 0, JSON.stringify(r.json));
  const j = r.json as { ok: boolean; lagPs: number[]; acf: number[]; fit: { ok: boolean; rateHz: number; tauPs: number; plateau: number; beta: number }; nLi: number; nFrames: number };
  assert.equal(j.ok, true);
  assert.equal(j.nLi, 24);
  assert.equal(j.nFrames, 8000);
  assert.equal(j.lagPs.length, 161);
  const ref = tensorAcf(m.tensors, { nLi: 24, dtFs: 25, maxLagFrames: 160 });
  for (let k = 0; k <= 160; k++) assert.ok(Math.abs(j.acf[k] - ref.acf[k]) < 1e-12);
  assert.ok(j.fit.ok && Math.abs(j.fit.rateHz / m.hopRateHz - 1) < 0.05, JSON.stringify(j.fit));
  assert.ok(Math.abs(j.fit.plateau - 1 / 3) < 0.03);
  // B0 along z, coarse-graining, and (3×3 → 9) row layout give consistent output
  const path9 = join(dir, 'series9.npy');
  writeNpy(path9, { dtype: 'float64', shape: [m.nFrames, m.nLi, 9], data: m.tensors });
  const z = await cli(['acf', '--tensors', path9, '--dt-fs', '25', '--b0', '0,0,2', '--coarse-fs', '50', '--max-lag-ps', '2', '--no-fit', '--json']);
  assert.equal(z.code, 0, JSON.stringify(z.json));
  const refZ = tensorAcf(m.tensors, { nLi: 24, dtFs: 25, maxLagFrames: 40, coarseFrames: 2, b0: { kind: 'directions', directions: [0, 0, 1] } });
  const jz = z.json as { acf: number[]; dtFs: number; fit?: unknown; mode: string };
  assert.equal(jz.dtFs, 50);
  assert.equal(jz.mode, 'directions');
  assert.equal(jz.fit, undefined);
  for (let k = 0; k <= 40; k++) assert.ok(Math.abs(jz.acf[k] - refZ.acf[k]) < 1e-12);
});

test('ufnmr acf: bad input gives ok:false with a clear message', async () => {
  const m = markovJumpSeries({ seed: 32, nLi: 2, nFrames: 100, dtFs: 10, hopRatePerPs: 1 });
  const good = join(dir, 'small.npy');
  writeNpy(good, { dtype: 'float64', shape: [100, 2, 3, 3], data: m.tensors });
  const bad = m.tensors.slice();
  bad[(40 * 2 + 1) * 9 + 2] = NaN;
  const nan = join(dir, 'nan.npy');
  writeNpy(nan, { dtype: 'float64', shape: [100, 2, 3, 3], data: bad });
  const shape = join(dir, 'shape.npy');
  writeNpy(shape, { dtype: 'float64', shape: [100, 6, 3], data: m.tensors });
  const times = join(dir, 'times.npy');
  writeNpy(times, { dtype: 'float64', shape: [100], data: Float64Array.from({ length: 100 }, (_, i) => i * 10 + (i === 60 ? 1 : 0)) });
  const cases: [string[], RegExp][] = [
    [['--tensors', nan, '--dt-fs', '10'], /non-finite value NaN at frame 40, Li 1, component Vxz/],
    [['--tensors', shape, '--dt-fs', '10'], /shape.*\(frames, nLi, 3, 3\).*found "?\(100, 6, 3\)/],
    [['--tensors', good, '--dt-fs', '10', '--max-lag-ps', '5'], /too few frames for the requested lags: 100 frame/],
    [['--tensors', good, '--times', times], /non-uniform time step: frames 59→60/],
    [['--tensors', good], /--dt-fs/],
    [['--tensors', good, '--dt-fs', '10', '--coarse-fs', '15'], /not a whole number/],
    [['--tensors', good, '--dt-fs', '10', '--fit-window', '3:1'], /--fit-window/],
    [['--tensors', good, '--dt-fs', 'abc'], /--dt-fs: expected a number/],
    [['--tensors', join(dir, 'missing.npy'), '--dt-fs', '10'], /missing\.npy/],
  ];
  for (const [args, re] of cases) {
    const r = await cli(['acf', ...args, '--json']);
    const j = r.json as { ok: boolean; error: { message: string; type: string } };
    assert.notEqual(r.code, 0, args.join(' '));
    assert.equal(j.ok, false);
    assert.match(j.error.message, re, `${args.join(' ')} → ${j.error.message}`);
  }
  // a good file with times works and reports the step
  const times2 = join(dir, 'times2.npy');
  writeNpy(times2, { dtype: 'float64', shape: [100], data: Float64Array.from({ length: 100 }, (_, i) => 1000 + i * 10) });
  const ok = await cli(['acf', '--tensors', good, '--times', times2, '--max-lag-ps', '0.2', '--no-fit', '--json']);
  assert.equal(ok.code, 0, JSON.stringify(ok.json));
  assert.equal((ok.json as { dtFs: number }).dtFs, 10);
});

test('ufnmr sae --json: one streamed pass equals the in-memory F2 on every grid; convergence table; bad t_p', async () => {
  const { saeConvergence } = await import('../../src/nmr/sae');
  const m = markovJumpSeries({ seed: 33, nLi: 3, nFrames: 900, dtFs: 50, hopRatePerPs: 0.5, vzz: 3e7 });
  const path = join(dir, 'sae.npy');
  writeNpy(path, { dtype: 'float64', shape: [m.nFrames, m.nLi, 3, 3], data: m.tensors });
  const r = await cli(['sae', '--tensors', path, '--dt-fs', '50', '--tp-fs', '100', '--max-lag-ps', '5', '--grid', 'zcw', '--sizes', '21,55', '--chunk-frames', '100', '--fit-window', '0:5', '--json']);
  assert.equal(r.code, 0, JSON.stringify(r.json));
  const j = r.json as { f2ss: number[]; f2cc: number[]; convergence: { nDirections: number; maxAbsDiffSs: number }[]; grid: { n: number }; fit: { ok: boolean } };
  const ref = saeConvergence(m.tensors, { nLi: 3, dtFs: 50, tpFs: 100, maxLagFrames: 100 }, 'zcw', [21, 55]);
  assert.equal(j.grid.n, 55);
  assert.equal(j.f2ss.length, 101);
  for (let k = 0; k <= 100; k++) assert.ok(Math.abs(j.f2ss[k] - ref.result.f2ss[k]) < 1e-12 && Math.abs(j.f2cc[k] - ref.result.f2cc[k]) < 1e-12);
  assert.deepEqual(j.convergence.map((c) => c.nDirections), [21, 55]);
  assert.ok(Math.abs(j.convergence[0].maxAbsDiffSs - ref.table[0].maxAbsDiffSs) < 1e-12);
  assert.equal(typeof j.fit.ok, 'boolean');
  const bad = await cli(['sae', '--tensors', path, '--dt-fs', '50', '--tp-fs', '75', '--max-lag-ps', '5', '--json']);
  assert.match((bad.json as { error: { message: string } }).error.message, /t_p = 75 fs must be a whole number/);
});

test('ufnmr acf reads float32 series', async () => {
  const m = markovJumpSeries({ seed: 34, nLi: 2, nFrames: 300, dtFs: 10, hopRatePerPs: 1 });
  const path = join(dir, 'f32.npy');
  const f32 = Float32Array.from(m.tensors);
  writeNpy(path, { dtype: 'float32', shape: [300, 2, 3, 3], data: f32 });
  const r = await cli(['acf', '--tensors', path, '--dt-fs', '10', '--max-lag-ps', '0.5', '--no-fit', '--json']);
  assert.equal(r.code, 0, JSON.stringify(r.json));
  const ref = tensorAcf(Float64Array.from(f32), { nLi: 2, dtFs: 10, maxLagFrames: 50 });
  const j = r.json as { acf: number[] };
  for (let k = 0; k <= 50; k++) assert.ok(Math.abs(j.acf[k] - ref.acf[k]) < 1e-12);
});
