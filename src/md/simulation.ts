/**
 * The simulation loop: runs a sequence of stages (each with its own integrator and optional linear
 * temperature/pressure ramps) over one system, calls observers, checks for blow-ups, writes
 * checkpoints every N steps and when asked to stop (SIGINT/SIGTERM), and reports progress.
 *
 * Order within a step: integrator step → finiteness check → (every guard interval) runaway check →
 * COM removal (if asked) → observers → checkpoint. A resumed run restores the system, the running
 * stage's integrator state and the observers' file lengths, and continues bit-identically: at every
 * checkpoint the calculator's neighbour lists are reset (if it has `resetNeighbors`), so summation
 * orders after a checkpoint do not depend on when lists were built before it.
 */
import { InputError, SimulationError } from '../core/errors';
import type { Calculator } from '../core/potential';
import { Checkpoint, makeCheckpoint, restoreSystem, writeCheckpoint } from './checkpoint';
import { GuardOptions, checkFinite, checkRunaway, resolveGuards } from './guards';
import type { Integrator } from './integrators/integrator';
import type { MDContext, Observer } from './observers';
import type { ProgressCallback } from './progress';
import { MDSystem, removeComMomentum, temperature } from './system';

/**
 * Optional calculator hooks the loop uses when present: neighbour-list resets at checkpoints and a
 * JSON state stored in checkpoints (e.g. the parallel calculator's range boundaries).
 */
export interface StatefulCalculator extends Calculator {
  resetNeighbors?(): void;
  getState?(): Record<string, unknown>;
  setState?(state: Record<string, unknown>): void;
}

/** One stage of a run. */
export interface Stage {
  name: string;
  steps: number;
  integrator: Integrator;
  /** Thermostat target ramp [start, end] (K), linear over the stage. */
  temperatureK?: [number, number];
  /** Barostat target ramp [start, end] (eV/Å³), linear over the stage. */
  pressure?: [number, number];
}

/** Options of {@link Simulation}. */
export interface SimulationOptions {
  system: MDSystem;
  calculator: Calculator;
  stages: Stage[];
  observers?: Observer[];
  /** Checkpoint file and interval (steps). */
  checkpoint?: { path: string; every: number };
  guards?: GuardOptions;
  /** Remove the COM momentum every this many steps (0 = never). */
  removeComEvery?: number;
  onProgress?: ProgressCallback;
  /** Minimum wall time between progress reports (ms, default 1000). */
  progressIntervalMs?: number;
  label?: string;
  /** Extra JSON stored in checkpoints (e.g. the config) and checked on resume by the caller. */
  runInfo?: Record<string, unknown>;
}

/** Summary of a finished (or stopped) run. */
export interface RunSummary {
  startStep: number;
  endStep: number;
  steps: number;
  /** Set when the run stopped early on request (e.g. "SIGINT"). */
  stopped?: string;
  wallS: number;
  stepsPerS: number;
  katomStepsPerS: number;
  nsPerDay: number;
}

/** A resumable multi-stage MD run. */
export class Simulation {
  readonly sys: MDSystem;
  readonly calc: Calculator;
  readonly stages: Stage[];
  readonly observers: Observer[];
  private readonly stageStart: number[];
  private stopReason: string | null = null;
  private resumed = false;
  private readonly opts: SimulationOptions;

  constructor(opts: SimulationOptions) {
    if (!opts.stages.length) throw new InputError('a simulation needs at least one stage');
    this.stageStart = [];
    let s = 0;
    for (const st of opts.stages) {
      if (!Number.isInteger(st.steps) || st.steps < 0) throw new InputError(`stage ${st.name}: steps must be a non-negative integer, got ${st.steps}`);
      this.stageStart.push(s);
      s += st.steps;
    }
    if (opts.checkpoint && (!Number.isInteger(opts.checkpoint.every) || opts.checkpoint.every < 1)) throw new InputError(`checkpoint every must be a positive integer, got ${opts.checkpoint.every}`);
    this.opts = opts;
    this.sys = opts.system;
    this.calc = opts.calculator;
    this.stages = opts.stages;
    this.observers = opts.observers ?? [];
  }

  /** Total steps of all stages. */
  get totalSteps(): number {
    return this.stageStart[this.stageStart.length - 1] + this.stages[this.stages.length - 1].steps;
  }

  /** Index of the stage that runs global step `step` (0-based; the step about to be taken). */
  stageAt(step: number): number {
    let k = 0;
    while (k + 1 < this.stages.length && step >= this.stageStart[k + 1]) k++;
    return k;
  }

  /** Asks the loop to stop after the current step (writes a checkpoint first). */
  requestStop(reason: string): void {
    this.stopReason = reason;
  }

  /** Restores system and integrator state from a checkpoint (observers are resumed by their creator). */
  restore(cp: Checkpoint, file = 'checkpoint'): void {
    restoreSystem(this.sys, cp, file);
    const k = cp.run.stage as number;
    if (!Number.isInteger(k) || k < 0 || k >= this.stages.length || this.stageAt(this.sys.step) !== k)
      throw new InputError(`${file}: stage ${String(k)} at step ${this.sys.step} does not match the configured stages`);
    this.stages[k].integrator.setState(cp.run.integrator as Record<string, unknown>);
    const calcState = cp.run.calculator as Record<string, unknown> | null | undefined;
    if (calcState) (this.calc as StatefulCalculator).setState?.(calcState);
    this.resumed = true;
  }

  /** Writes a checkpoint of the current state now. */
  checkpointNow(): void {
    const cpOpt = this.opts.checkpoint;
    if (!cpOpt) return;
    for (const o of this.observers) o.flush?.(true);
    const observers: Record<string, unknown> = {};
    for (const o of this.observers) if (o.checkpointState) observers[o.name] = o.checkpointState();
    const k = this.stageAt(this.sys.step);
    const calcState = (this.calc as StatefulCalculator).getState?.() ?? null;
    writeCheckpoint(cpOpt.path, makeCheckpoint(this.sys, {
      stage: k, stageName: this.stages[k].name, integrator: this.stages[k].integrator.getState(), observers, totalSteps: this.totalSteps, calculator: calcState,
      ...(this.opts.runInfo ?? {}),
    }));
    (this.calc as StatefulCalculator).resetNeighbors?.();
  }

  /** Runs all remaining steps. Resolves with a summary; rejects with SimulationError on a blow-up. */
  async run(): Promise<RunSummary> {
    const sys = this.sys, total = this.totalSteps, n = sys.masses.length;
    const guards = resolveGuards(this.opts.guards);
    const comEvery = this.opts.removeComEvery ?? 0;
    const startStep = sys.step;
    if (startStep > total) throw new InputError(`the run is already at step ${startStep}, beyond its ${total} steps`);
    const t0 = performance.now();
    let lastReport = t0, lastYield = t0;
    const interval = this.opts.progressIntervalMs ?? 1000;
    let k = this.stageAt(sys.step);
    let stage = this.stages[k];
    if (!this.resumed) {
      this.applySchedule(stage, k, sys.step);
      stage.integrator.prepare(sys, this.calc);
      checkFinite(sys);
      const ctx: MDContext = { sys, integrator: stage.integrator, stage: stage.name };
      for (const o of this.observers) o.observe(ctx);
      if (this.opts.checkpoint) this.checkpointNow();
    }
    let conserved0 = stage.integrator.conservedEnergy(sys);
    const report = (force: boolean) => {
      const now = performance.now();
      if (!this.opts.onProgress || (!force && now - lastReport < interval)) return;
      lastReport = now;
      const el = (now - t0) / 1000, done = sys.step - startStep, rate = done / Math.max(el, 1e-9);
      this.opts.onProgress({
        label: this.opts.label ?? 'md', unit: 'steps', done, total: total - startStep, step: sys.step, rate, katomStepsPerS: (rate * n) / 1000,
        nsPerDay: (rate * stage.integrator.dtFs * 86400) / 1e6, etaS: done > 0 ? (total - sys.step) / rate : NaN, elapsedS: el,
        temperatureK: temperature(sys), potentialEnergy: sys.potentialEnergy, stage: this.stages.length > 1 ? stage.name : undefined,
      });
    };
    try {
      while (sys.step < total && this.stopReason === null) {
        const kk = this.stageAt(sys.step);
        if (kk !== k) {
          k = kk; stage = this.stages[k];
          conserved0 = stage.integrator.conservedEnergy(sys);
        }
        this.applySchedule(stage, k, sys.step);
        try {
          stage.integrator.step(sys, this.calc);
        } catch (e) {
          if (e instanceof SimulationError) throw e;
          throw new SimulationError(`blow-up at step ${sys.step + 1}: ${(e as Error).message}`);
        }
        checkFinite(sys);
        if (sys.step % guards.every === 0) checkRunaway(sys, guards, temperature(sys), stage.integrator.conservedEnergy(sys), conserved0);
        if (comEvery > 0 && sys.step % comEvery === 0) removeComMomentum(sys);
        const ctx: MDContext = { sys, integrator: stage.integrator, stage: stage.name };
        for (const o of this.observers) if (sys.step % o.every === 0) o.observe(ctx);
        if (this.opts.checkpoint && (sys.step % this.opts.checkpoint.every === 0 || sys.step === total)) this.checkpointNow();
        const now = performance.now();
        if (now - lastYield > 50) { lastYield = now; report(false); await new Promise((r) => setImmediate(r)); }
      }
      if (this.stopReason !== null && this.opts.checkpoint && sys.step < total) this.checkpointNow();
      report(true);
    } finally {
      for (const o of this.observers) { try { o.flush?.(true); o.close?.(); } catch { /* keep the original error */ } }
    }
    const wallS = (performance.now() - t0) / 1000, steps = sys.step - startStep, rate = steps / Math.max(wallS, 1e-9);
    return {
      startStep, endStep: sys.step, steps, stopped: this.stopReason ?? undefined, wallS, stepsPerS: rate, katomStepsPerS: (rate * n) / 1000,
      nsPerDay: (rate * stage.integrator.dtFs * 86400) / 1e6,
    };
  }

  private applySchedule(stage: Stage, k: number, step: number): void {
    const frac = stage.steps > 0 ? (step - this.stageStart[k]) / stage.steps : 0;
    const th = stage.integrator.thermostat, baro = stage.integrator.barostat;
    if (th && stage.temperatureK) th.temperatureK = stage.temperatureK[0] + (stage.temperatureK[1] - stage.temperatureK[0]) * frac;
    if (baro && stage.pressure) baro.pressure = stage.pressure[0] + (stage.pressure[1] - stage.pressure[0]) * frac;
  }
}

/** Makes SIGINT/SIGTERM request a checkpointed stop; returns a function that removes the handlers. */
export function stopOnSignals(sim: Simulation, onSignal?: (sig: string) => void): () => void {
  const handler = (sig: NodeJS.Signals) => { onSignal?.(sig); sim.requestStop(sig); };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return () => { process.off('SIGINT', handler); process.off('SIGTERM', handler); };
}
