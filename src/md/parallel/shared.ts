/** Shared-memory layout between {@link ParallelCalculator} and its workers. */

/** Indices into the Int32 control words of one worker. */
export const CTRL = { gen: 0, cmd: 1, done: 2, ready: 3, error: 4, i0: 5, i1: 6 } as const;
/** Commands. */
export const CMD = { compute: 1, reset: 2, exit: 3 } as const;

const CTRL_WORDS = 8;
const MESSAGE_BYTES = 4096;

/** SharedArrayBuffers of one worker (positions and cell are shared by all workers). */
export interface WorkerShared {
  natoms: number;
  ctrl: SharedArrayBuffer;
  input: SharedArrayBuffer; // positions (3N) then cell (9)
  output: SharedArrayBuffer; // forces (3N), virial (9), energy (1), cumulative busy time in ms (1)
  message: SharedArrayBuffer;
}

/** Allocates the input buffer shared by all workers. */
export function allocInput(natoms: number): SharedArrayBuffer {
  return new SharedArrayBuffer(8 * (3 * natoms + 9));
}

/** Allocates one worker's buffers around a shared input buffer. */
export function allocWorker(natoms: number, input: SharedArrayBuffer): WorkerShared {
  return {
    natoms, input, ctrl: new SharedArrayBuffer(4 * CTRL_WORDS), output: new SharedArrayBuffer(8 * (3 * natoms + 11)),
    message: new SharedArrayBuffer(MESSAGE_BYTES),
  };
}

/** Typed views of a worker's buffers. */
export function viewsOf(s: WorkerShared) {
  const n = s.natoms;
  return {
    ctrl: new Int32Array(s.ctrl),
    positions: new Float64Array(s.input, 0, 3 * n),
    cell: new Float64Array(s.input, 8 * 3 * n, 9),
    forces: new Float64Array(s.output, 0, 3 * n),
    virial: new Float64Array(s.output, 8 * 3 * n, 9),
    energy: new Float64Array(s.output, 8 * (3 * n + 9), 1),
    busyMs: new Float64Array(s.output, 8 * (3 * n + 10), 1),
    message: new Uint8Array(s.message),
  };
}

/**
 * Waits until ctrl[index] !== value: spins for up to `spinMs` (cheap wake-ups when the other side is
 * about to answer, as it is between MD steps), then sleeps in Atomics.wait (`sleepMs` slices, to re-check).
 * Returns the milliseconds waited.
 */
export function waitWhileEqual(ctrl: Int32Array, index: number, value: number, spinMs = 0.2, sleepMs = 1000): number {
  if (Atomics.load(ctrl, index) !== value) return 0;
  const t0 = performance.now();
  let t = t0;
  while (t - t0 < spinMs) {
    if (Atomics.load(ctrl, index) !== value) return t - t0;
    t = performance.now();
  }
  while (Atomics.load(ctrl, index) === value) Atomics.wait(ctrl, index, value, sleepMs);
  return performance.now() - t0;
}

/**
 * Spin-then-sleep waiting whose spin adapts to the waits seen so far: it spins up to about twice the recent
 * typical wait when that is short (so a thread that is answered within a fraction of a millisecond, as between
 * balanced MD steps, never pays the wake-up latency of Atomics.wait, nor the other side the cost of a notify that
 * has to wake a sleeper), and hardly at all when waits are long (e.g. on an oversubscribed machine, where spinning
 * would take the core from the thread it waits for). Only speed depends on it, never results.
 */
export class AdaptiveWaiter {
  private typicalMs: number;

  /** maxSpinMs: the longest spin (ms); minSpinMs: the spin when waits are long. */
  constructor(private readonly maxSpinMs = 1, private readonly minSpinMs = 0.02) {
    this.typicalMs = minSpinMs;
  }

  /** Waits until ctrl[index] !== value (see {@link waitWhileEqual}); returns the milliseconds waited. */
  wait(ctrl: Int32Array, index: number, value: number): number {
    const typ = this.typicalMs;
    const spin = typ < this.maxSpinMs ? Math.min(this.maxSpinMs, 2 * typ + this.minSpinMs) : this.minSpinMs;
    const waited = waitWhileEqual(ctrl, index, value, spin);
    // moving typical wait, robust to a single long pause (an observer writing a frame, a checkpoint)
    this.typicalMs = typ + 0.25 * (Math.min(waited, 4 * this.maxSpinMs) - typ);
    return waited;
  }
}
