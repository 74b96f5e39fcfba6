/**
 * Worker-thread side of {@link ParallelCalculator}: builds a range kernel from its KernelSpec, then
 * loops: wait for a command on the shared control words, evaluate its centre-atom range into its own
 * shared force/virial buffers, signal completion. Errors are passed back as text through shared memory.
 */
import type { RangeKernel, KernelSpec } from './kernel';
import { AdaptiveWaiter, CTRL, CMD, WorkerShared, viewsOf } from './shared';

/** Entry point, called with the workerData posted by the calculator. */
export function workerMain(data: { spec: KernelSpec; shared: WorkerShared }): void {
  const v = viewsOf(data.shared);
  const ctrl = v.ctrl;
  let kernel: RangeKernel;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod = require(data.spec.module) as Record<string, (d: unknown) => RangeKernel>;
    const factory = mod[data.spec.factory];
    if (typeof factory !== 'function') throw new Error(`${data.spec.module} has no factory ${data.spec.factory}`);
    kernel = factory(data.spec.data);
  } catch (e) {
    reportError(v, e);
    Atomics.store(ctrl, CTRL.ready, -1);
    Atomics.notify(ctrl, CTRL.ready);
    return;
  }
  Atomics.store(ctrl, CTRL.ready, 1);
  Atomics.notify(ctrl, CTRL.ready);
  let seen = 0;
  const waiter = new AdaptiveWaiter();
  for (;;) {
    waiter.wait(ctrl, CTRL.gen, seen);
    seen = Atomics.load(ctrl, CTRL.gen);
    const cmd = Atomics.load(ctrl, CTRL.cmd);
    if (cmd === CMD.exit) break;
    Atomics.store(ctrl, CTRL.error, 0);
    try {
      if (cmd === CMD.reset) kernel.resetNeighbors?.();
      else if (cmd === CMD.compute) {
        const t0 = performance.now();
        v.forces.fill(0);
        v.virial.fill(0);
        kernel.prepare(v.positions, v.cell);
        v.energy[0] = kernel.computeRange(v.positions, v.cell, ctrl[CTRL.i0], ctrl[CTRL.i1], v.forces, v.virial);
        v.busyMs[0] += performance.now() - t0;
      }
    } catch (e) {
      reportError(v, e);
    }
    Atomics.store(ctrl, CTRL.done, seen);
    Atomics.notify(ctrl, CTRL.done);
  }
}

function reportError(v: ReturnType<typeof viewsOf>, e: unknown): void {
  const name = e instanceof Error ? e.name : 'Error';
  const msg = Buffer.from(JSON.stringify({ name, message: e instanceof Error ? e.message : String(e) }), 'utf8').subarray(0, v.message.length);
  v.message.set(msg);
  Atomics.store(v.ctrl, CTRL.error, msg.length);
}
