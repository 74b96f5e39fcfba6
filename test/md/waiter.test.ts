import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Worker } from 'node:worker_threads';
import { AdaptiveWaiter, waitWhileEqual } from '../../src/md/parallel/shared';

test('adaptive waiter: returns at once when the word already changed, and sees changes made by another thread after short and long delays', async () => {
  const ctrl = new Int32Array(new SharedArrayBuffer(8));
  const w = new AdaptiveWaiter(1, 0.02);
  ctrl[0] = 5;
  assert.equal(w.wait(ctrl, 0, 4), 0);
  assert.equal(waitWhileEqual(ctrl, 0, 4), 0);
  // a helper thread bumps ctrl[0] after each delay (ms) once ctrl[1] asks for it
  const delays = [0, 0, 30, 0, 60, 0];
  const helper = new Worker(`const { workerData } = require('node:worker_threads'); const c = new Int32Array(workerData.buf);
    for (let k = 0; k < workerData.delays.length; k++) {
      while (Atomics.load(c, 1) === k) Atomics.wait(c, 1, k, 50);
      const t0 = Date.now(); while (Date.now() - t0 < workerData.delays[k]);
      Atomics.add(c, 0, 1); Atomics.notify(c, 0);
    }`, { eval: true, workerData: { buf: ctrl.buffer, delays } });
  try {
    for (let k = 0; k < delays.length; k++) {
      const before = Atomics.load(ctrl, 0);
      Atomics.store(ctrl, 1, k + 1); Atomics.notify(ctrl, 1);
      const waited = w.wait(ctrl, 0, before);
      assert.equal(Atomics.load(ctrl, 0), before + 1);
      assert.ok(waited >= 0 && Number.isFinite(waited), `wait ${k}: ${waited} ms`);
    }
  } finally {
    await helper.terminate();
  }
});
