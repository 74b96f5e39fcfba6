/**
 * Atom-decomposed parallel force evaluation with worker_threads and SharedArrayBuffer. The main thread
 * and (threads − 1) workers each own a range of centre atoms; each evaluates its range with its own copy
 * of the range kernel (built from the potential's serialisable KernelSpec) into its own buffers, and the
 * main thread sums them in a fixed order: forces = F_main + F_w1 + …, so results equal the serial ones up
 * to floating-point reassociation and are deterministic for a given thread count and split.
 * Synchronisation is by Atomics.wait/notify on shared control words (no message passing per step).
 */
import { Worker } from 'node:worker_threads';
import { extname, join } from 'node:path';
import { InputError, SimulationError } from '../../core/errors';
import type { Mat3, Pbc } from '../../core/cell';
import type { Calculator, ForceResult, Potential } from '../../core/potential';
import type { KernelSpec, RangeKernel } from './kernel';
import { SerialKernelCalculator } from './kernel';
import { AdaptiveWaiter, CMD, CTRL, WorkerShared, allocInput, allocWorker, viewsOf } from './shared';

/** A potential that can describe itself to workers. */
export interface ParallelizablePotential extends Potential {
  kernelSpec(species: readonly string[], pbc: Pbc): KernelSpec;
}

/** True when the potential offers a kernelSpec for workers. */
export function isParallelizable(p: Potential): p is ParallelizablePotential {
  return typeof (p as Partial<ParallelizablePotential>).kernelSpec === 'function';
}

/** Options of {@link ParallelCalculator}. */
export interface ParallelOptions {
  /** Total threads including the main thread (≥ 2). */
  threads: number;
  /**
   * Range boundaries [0, b1, …, N] (length threads + 1). Default: equal shares of the kernel's per-atom
   * cost estimate at the first evaluation (equal atom counts without one); then fixed (getState/setState
   * carry them through checkpoints).
   */
  bounds?: number[];
  /** Milliseconds to wait for workers to start (default 120000). */
  startTimeoutMs?: number;
}

type Views = ReturnType<typeof viewsOf>;

/** Evaluates a range kernel on several threads. Call dispose() when done (workers are unref'd anyway). */
export class ParallelCalculator implements Calculator {
  readonly natoms: number;
  private bounds: number[];
  private calibrated: boolean;
  private readonly threads: number;
  private readonly local: RangeKernel;
  private readonly workers: Worker[] = [];
  private readonly views: Views[] = [];
  private readonly input: { positions: Float64Array; cell: Float64Array };
  private started = false;
  private disposed = false;
  private readonly startTimeoutMs: number;
  private gen = 0;
  private readonly waiter = new AdaptiveWaiter();
  private readonly timing = { evaluations: 0, mainBusyMs: 0, waitMs: 0, totalMs: 0 };

  constructor(readonly spec: KernelSpec, opts: ParallelOptions) {
    const threads = opts.threads;
    if (!Number.isInteger(threads) || threads < 2 || threads > 64) throw new InputError(`parallel threads must be an integer 2–64, got ${threads}`);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod = require(spec.module) as Record<string, (d: unknown) => RangeKernel>;
    if (typeof mod[spec.factory] !== 'function') throw new InputError(`${spec.module} has no kernel factory ${spec.factory}`);
    this.local = mod[spec.factory](spec.data);
    const n = (this.natoms = this.local.natoms);
    this.threads = threads;
    this.bounds = opts.bounds ? this.checkBounds(opts.bounds) : Array.from({ length: threads + 1 }, (_, t) => Math.round((t * n) / threads));
    this.calibrated = !!opts.bounds;
    const b = this.bounds;
    this.startTimeoutMs = opts.startTimeoutMs ?? 120000;
    const input = allocInput(n);
    const entry = join(__dirname, 'worker');
    // running from TypeScript sources (tsx): workers need tsx's require hook before loading .ts files
    const hook = extname(__filename) === '.ts' ? `require(${JSON.stringify(require.resolve('tsx/cjs'))});` : '';
    const code = `${hook}require(${JSON.stringify(entry)}).workerMain(require('node:worker_threads').workerData)`;
    for (let t = 1; t < threads; t++) {
      const shared: WorkerShared = allocWorker(n, input);
      const v = viewsOf(shared);
      v.ctrl[CTRL.i0] = b[t];
      v.ctrl[CTRL.i1] = b[t + 1];
      const w = new Worker(code, { eval: true, workerData: { spec, shared } });
      w.unref();
      w.on('error', () => { /* reported through the control words or the start timeout */ });
      this.workers.push(w);
      this.views.push(v);
    }
    const v0 = this.views[0];
    this.input = { positions: v0.positions, cell: v0.cell };
  }

  private checkBounds(b: number[]): number[] {
    const n = this.natoms, t = this.threads;
    if (!Array.isArray(b) || b.length !== t + 1 || b[0] !== 0 || b[t] !== n || b.some((x, i) => !Number.isInteger(x) || (i > 0 && x < b[i - 1])))
      throw new InputError(`parallel bounds must rise from 0 to ${n} in ${t} ranges, got ${JSON.stringify(b)}`);
    return [...b];
  }

  /** Current range boundaries [0, …, N]. */
  getBounds(): number[] {
    return [...this.bounds];
  }

  /** Fixes the range boundaries (e.g. from a checkpoint) so that results are reproducible. */
  setBounds(b: number[]): void {
    this.bounds = this.checkBounds(b);
    this.calibrated = true;
    this.views.forEach((v, w) => { v.ctrl[CTRL.i0] = this.bounds[w + 1]; v.ctrl[CTRL.i1] = this.bounds[w + 2]; });
  }

  /** JSON-able state (the range boundaries) for checkpoints. */
  getState(): Record<string, unknown> {
    return { bounds: this.getBounds() };
  }

  /** Restores {@link getState}; boundaries saved for another thread count are ignored. */
  setState(st: Record<string, unknown>): void {
    const b = st.bounds;
    if (Array.isArray(b) && b.length === this.threads + 1) this.setBounds(b as number[]);
  }

  /**
   * Splits [0, N) into ranges of equal cost using the kernel's deterministic per-atom cost estimate
   * (`atomCosts`) at the first evaluation; kernels without one keep equal atom counts. Timing-based
   * balancing is avoided on purpose: it would make results depend on machine load.
   */
  private calibrate(positions: Float64Array, cell: Mat3): void {
    this.calibrated = true;
    if (!this.local.atomCosts) return;
    this.local.prepare(positions, cell);
    const cost = this.local.atomCosts(positions, cell);
    const n = this.natoms;
    let total = 0;
    for (let i = 0; i < n; i++) total += cost[i];
    if (!(total > 0)) return;
    const b = [0];
    let acc = 0, i = 0;
    for (let t = 1; t < this.threads; t++) {
      const target = (t * total) / this.threads;
      while (i < n && acc + 0.5 * cost[i] < target) acc += cost[i++];
      b.push(Math.max(b[t - 1], i));
    }
    b.push(n);
    this.setBounds(b);
  }

  private waitStarted(): void {
    if (this.started) return;
    const t0 = Date.now();
    for (const v of this.views) {
      while (Atomics.load(v.ctrl, CTRL.ready) === 0) {
        const left = this.startTimeoutMs - (Date.now() - t0);
        if (left <= 0) throw new SimulationError(`parallel force workers did not start within ${this.startTimeoutMs} ms`);
        Atomics.wait(v.ctrl, CTRL.ready, 0, Math.min(left, 100));
      }
      if (v.ctrl[CTRL.ready] < 0) throw this.workerError(v, 'starting');
    }
    this.started = true;
  }

  private workerError(v: Views, when: string): Error {
    const len = v.ctrl[CTRL.error];
    let name = 'Error', message = 'unknown error';
    try { ({ name, message } = JSON.parse(Buffer.from(v.message.subarray(0, len)).toString('utf8'))); } catch { /* keep defaults */ }
    const text = `force worker failed while ${when}: ${message}`;
    return name === 'InputError' || name === 'ParseError' || name === 'TooCloseError' ? new InputError(message) : new SimulationError(text);
  }

  private command(cmd: number): void {
    this.gen++;
    for (const v of this.views) {
      Atomics.store(v.ctrl, CTRL.cmd, cmd);
      Atomics.store(v.ctrl, CTRL.gen, this.gen);
      Atomics.notify(v.ctrl, CTRL.gen);
    }
  }

  private awaitDone(): Error | null {
    let err: Error | null = null;
    for (const v of this.views) {
      for (;;) {
        const d = Atomics.load(v.ctrl, CTRL.done);
        if (d === this.gen) break;
        this.waiter.wait(v.ctrl, CTRL.done, d);
      }
      if (v.ctrl[CTRL.error] > 0 && !err) err = this.workerError(v, 'computing forces');
    }
    return err;
  }

  /** Energy (eV), forces (eV/Å) and virial (eV) for positions (Å) and cell, over all threads. */
  compute(positions: Float64Array, cell: Mat3, out?: ForceResult): ForceResult {
    if (this.disposed) throw new InputError('parallel calculator used after dispose()');
    const n = this.natoms;
    if (positions.length !== 3 * n) throw new InputError(`positions hold ${positions.length} numbers for ${n} atoms`);
    if (!this.calibrated) this.calibrate(positions, cell);
    this.waitStarted();
    const res = out ?? { energy: 0, forces: new Float64Array(3 * n), virial: new Float64Array(9) };
    const t0 = performance.now();
    this.input.positions.set(positions);
    this.input.cell.set(cell);
    this.command(CMD.compute);
    res.forces.fill(0);
    res.virial.fill(0);
    let energy = 0, localErr: unknown = null;
    try {
      this.local.prepare(positions, cell);
      energy = this.local.computeRange(positions, cell, this.bounds[0], this.bounds[1], res.forces, res.virial);
    } catch (e) {
      localErr = e;
    }
    const t1 = performance.now();
    const err = this.awaitDone();
    const t2 = performance.now();
    if (localErr) throw localErr;
    if (err) throw err;
    const f = res.forces, w = res.virial;
    for (const v of this.views) {
      const wf = v.forces;
      for (let k = 0; k < f.length; k++) f[k] += wf[k];
      for (let k = 0; k < 9; k++) w[k] += v.virial[k];
      energy += v.energy[0];
    }
    res.energy = energy;
    if (res.energies) res.energies.fill(NaN); // per-atom energies are not gathered in parallel mode
    const tm = this.timing;
    tm.evaluations++; tm.mainBusyMs += t1 - t0; tm.waitMs += t2 - t1; tm.totalMs += performance.now() - t0;
    return res;
  }

  /**
   * Wall-clock accounting since construction (ms): the main thread's own range, its wait for the workers,
   * each worker's busy time, and the whole compute calls. On an idle machine the wait is the load imbalance
   * plus wake-up latency; on a busy one it also holds time the workers waited for a core.
   */
  timings(): { evaluations: number; mainBusyMs: number; waitMs: number; totalMs: number; workerBusyMs: number[] } {
    return { ...this.timing, workerBusyMs: this.views.map((v) => v.busyMs[0]) };
  }

  /** Forces neighbour-list rebuilds on all threads at the next compute. */
  resetNeighbors(): void {
    this.local.resetNeighbors?.();
    if (!this.started) { this.waitStarted(); }
    this.command(CMD.reset);
    const err = this.awaitDone();
    if (err) throw err;
  }

  /** Stops the workers. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    this.command(CMD.exit);
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

/** A calculator for the potential on `threads` threads (serial when threads = 1 or the potential cannot be split). */
export function bindCalculator(p: Potential, species: readonly string[], pbc: Pbc, threads = 1, bounds?: number[]): Calculator {
  if (threads <= 1 || !isParallelizable(p)) return p.bind(species, pbc);
  return new ParallelCalculator(p.kernelSpec(species, pbc), { threads, bounds });
}

export { SerialKernelCalculator };
