/**
 * Runs an MD job from a validated configuration (what `ufnmr md --config md.json [--resume]` does):
 * structure and potential loading, optional FIRE relaxation, initial velocities, the stages with their
 * thermostats/barostats, thermo/trajectory/checkpoint output, SIGINT/SIGTERM checkpointing, a final
 * structure file and a JSON summary with per-stage averages (density for melt-quench).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { InputError } from '../core/errors';
import { volume } from '../core/cell';
import type { Potential } from '../core/potential';
import { Structure, supercell, getFloatArray } from '../core/structure';
import { EV_PER_A3_IN_GPA } from '../core/units';
import { readStructure, writeStructure } from '../io';
import { loadPotential } from '../ufp';
import type { MDConfig, StageSpec } from './config';
import { readCheckpoint } from './checkpoint';
import { Integrator } from './integrators/integrator';
import { fire, FireResult } from './minimize/fire';
import { CallbackObserver, Observer, ThermoLog, TrajectoryObserver, AtomGroup, MDContext } from './observers';
import { bindCalculator } from './parallel/parallelCalculator';
import { LennardJones } from './potentials/lennardJones';
import type { ProgressCallback } from './progress';
import { Simulation, Stage, stopOnSignals } from './simulation';
import { createSystem, MDSystem, systemToStructure, temperature, pressure } from './system';
import { BussiThermostat } from './thermostats/bussi';
import { LangevinThermostat } from './thermostats/langevin';
import { NoseHooverChainThermostat } from './thermostats/noseHoover';
import { CRescaleBarostat } from './barostats/cRescale';
import type { Thermostat } from './integrators/types';
import { maxwellBoltzmann } from './velocities';

/** Experimental density of 75Li2S·25P2S5 (Li3PS4) glass, g/cm³ (range quoted in issue 4; check). */
export const LI3PS4_GLASS_DENSITY_G_CM3: [number, number] = [1.8, 1.9];

/** Options of {@link runMD}. */
export interface RunOptions {
  resume?: boolean;
  onProgress?: ProgressCallback;
  /** Messages (warnings, stop notices). */
  log?: (text: string) => void;
  /** Install SIGINT/SIGTERM handlers that checkpoint and stop (default true). */
  handleSignals?: boolean;
  /** Stop (with a checkpoint) after this many steps of this invocation, e.g. to run in fixed-length chunks. */
  stopAfterSteps?: number;
}

/** Averages of one stage over its second half (from the observed steps). */
export interface StageSummary { name: string; steps: number; samples: number; temperatureK: number; potentialEnergyEv: number; pressureGPa: number; volumeA3: number; densityGCm3: number }

/** Potential from a config. */
export function potentialFromConfig(cfg: MDConfig): Potential {
  const p = cfg.potential;
  if (p.kind === 'uf3') return loadPotential(p.file, { skin: p.skinA, belowRange: p.belowRange });
  return new LennardJones({ pairs: p.pairs, shift: p.shift, skin: p.skinA });
}

/** Initial structure from a config (frame, supercell). */
export function structureFromConfig(cfg: MDConfig): Structure {
  const s = readStructure(cfg.structure, { index: cfg.frame, typeMap: cfg.typeMap });
  return cfg.supercell ? supercell(s, cfg.supercell) : s;
}

/** Hash of everything that must not change between a run and its resume. */
export function configHash(cfg: MDConfig): string {
  const { output, threads, progressIntervalMs, guards, file, ...rest } = cfg;
  void output; void threads; void progressIntervalMs; void guards; void file;
  return createHash('sha256').update(JSON.stringify(rest)).digest('hex').slice(0, 16);
}

function makeThermostat(s: StageSpec, seed: number): Thermostat | undefined {
  const t = s.thermostat;
  if (!t) return undefined;
  const temperatureK = s.temperatureK![0];
  if (t.type === 'langevin') return new LangevinThermostat({ temperatureK, dampingFs: t.tauFs, seed });
  if (t.type === 'bussi') return new BussiThermostat({ temperatureK, tauFs: t.tauFs, seed });
  return new NoseHooverChainThermostat({ temperatureK, tauFs: t.tauFs, chainLength: t.chainLength });
}

/** Stages (integrators with their thermostats/barostats) for a config. */
export function buildStages(cfg: MDConfig): Stage[] {
  return cfg.stages.map((s, k) => {
    const seed = cfg.seed * 1000 + k;
    const b = s.barostat;
    const barostat = b ? new CRescaleBarostat({
      pressure: b.pressureGPa[0] / EV_PER_A3_IN_GPA, tauFs: b.tauFs, compressibility: b.compressibilityPerGPa * EV_PER_A3_IN_GPA, mode: b.mode, every: b.every, seed,
    }) : undefined;
    return {
      name: s.name, steps: s.steps, integrator: new Integrator({ dtFs: cfg.timestepFs, thermostat: makeThermostat(s, seed), barostat }),
      temperatureK: s.temperatureK, pressure: b ? [b.pressureGPa[0] / EV_PER_A3_IN_GPA, b.pressureGPa[1] / EV_PER_A3_IN_GPA] : undefined,
    };
  });
}

function elementGroups(sys: MDSystem): AtomGroup[] {
  const els = [...new Set(sys.species)];
  if (els.length < 2) return [];
  return els.map((e) => ({ name: e, atoms: Int32Array.from(sys.species.flatMap((x, i) => (x === e ? [i] : []))) }));
}

/** Collects second-half averages per stage. */
class StageStats implements Observer {
  readonly name = 'stage-stats';
  readonly acc = new Map<string, { n: number; t: number; pe: number; p: number; v: number; rho: number }>();
  constructor(readonly every: number, private readonly sim: () => Simulation) {}
  observe(ctx: MDContext): void {
    const sim = this.sim(), sys = ctx.sys;
    const k = sim.stageAt(Math.max(0, sys.step - 1)), st = sim.stages[k];
    let start = 0;
    for (let j = 0; j < k; j++) start += sim.stages[j].steps;
    if (sys.step - start < st.steps / 2 || sys.step === 0) return;
    const a = this.acc.get(st.name) ?? { n: 0, t: 0, pe: 0, p: 0, v: 0, rho: 0 };
    const vol = volume(sys.cell), mass = sys.masses.reduce((x, y) => x + y, 0);
    a.n++; a.t += temperature(sys); a.pe += sys.potentialEnergy; a.p += pressure(sys) * EV_PER_A3_IN_GPA; a.v += vol; a.rho += (mass * 1.6605390666) / vol;
    this.acc.set(st.name, a);
  }
  summaries(stages: Stage[]): StageSummary[] {
    return stages.flatMap((s) => {
      const a = this.acc.get(s.name);
      return a ? [{ name: s.name, steps: s.steps, samples: a.n, temperatureK: a.t / a.n, potentialEnergyEv: a.pe / a.n, pressureGPa: a.p / a.n, volumeA3: a.v / a.n, densityGCm3: a.rho / a.n }] : [];
    });
  }
}

/** What a config would do (structure, potential and stages checked and loaded; nothing written). */
export function planMD(cfg: MDConfig): Record<string, unknown> {
  const pot = potentialFromConfig(cfg);
  const s = structureFromConfig(cfg);
  pot.bind(s.species, s.pbc);
  const total = cfg.stages.reduce((a, st) => a + st.steps, 0);
  return {
    plan: true, natoms: s.species.length, potential: pot.name, cutoffA: pot.cutoff, timestepFs: cfg.timestepFs, totalSteps: total, totalPs: (total * cfg.timestepFs) / 1000,
    stages: cfg.stages.map((st) => ({ name: st.name, ensemble: st.ensemble, steps: st.steps, temperatureK: st.temperatureK, thermostat: st.thermostat?.type, pressureGPa: st.barostat?.pressureGPa })),
    protocol: cfg.protocol, output: cfg.output, configHash: configHash(cfg),
  };
}

/** Runs (or resumes) the MD job of a config; resolves with a JSON-able summary. */
export async function runMD(cfg: MDConfig, opts: RunOptions = {}): Promise<Record<string, unknown>> {
  const log = opts.log ?? (() => {});
  const hash = configHash(cfg);
  const out = cfg.output;
  const cpPath = out.checkpoint.file;
  const cp = opts.resume ? readCheckpoint(cpPath) : undefined;
  if (cp && cp.run.configHash !== hash) throw new InputError(`${cpPath} was written by a different configuration (hash ${String(cp.run.configHash)}, now ${hash}); only output, threads, guards and progress settings may change on --resume`);
  if (!cp) {
    const existing = [cpPath, out.thermo?.file, out.trajectory?.file].filter((f): f is string => !!f && existsSync(f));
    if (existing.length && !out.overwrite) throw new InputError(`output exists: ${existing.join(', ')}; use --resume to continue, remove them, or set "output": {"overwrite": true}`);
  }
  // everything is validated: build the system
  const pot = potentialFromConfig(cfg);
  const s0 = structureFromConfig(cfg);
  const anyLangevin = cfg.stages.some((s) => s.thermostat?.type === 'langevin');
  const n = s0.species.length;
  const velocities = cfg.velocities.source === 'zero' ? new Float64Array(3 * n) : undefined;
  if (cfg.velocities.source === 'structure' && !getFloatArray(s0, 'velocities', 3)) log(`note: ${cfg.structure} has no velocities; starting from rest\n`);
  const sys = createSystem(s0, { masses: cfg.masses, velocities, dof: anyLangevin ? 3 * n : undefined });
  pot.bind(sys.species, sys.pbc); // element check before any output is written
  mkdirSync(out.directory, { recursive: true });

  let minimized: Omit<FireResult, 'positions' | 'cell'> | undefined;
  if (!cp && cfg.minimize) {
    const m = cfg.minimize;
    const calc = pot.bind(sys.species, sys.pbc);
    const r = fire(calc, sys.positions, sys.cell, { fmax: m.fmaxEvPerA, maxSteps: m.maxSteps, cell: m.cell, pressureGPa: m.pressureGPa });
    sys.positions.set(r.positions); sys.cell.set(r.cell);
    const { positions, cell, ...rest } = r;
    void positions; void cell;
    minimized = rest;
    if (!r.converged) log(`warning: FIRE did not converge in ${r.steps} steps (fmax ${r.fmax.toExponential(2)} eV/Å)\n`);
  }
  if (!cp && cfg.velocities.source === 'maxwell-boltzmann') {
    const v = cfg.velocities;
    maxwellBoltzmann(sys, { temperatureK: v.temperatureK, seed: v.seed, removeCom: v.removeCom, exact: v.exact });
  }

  const stages = buildStages(cfg);
  const calc = bindCalculator(pot, sys.species, sys.pbc, cfg.threads);
  const obsState = (cp?.run.observers ?? {}) as Record<string, { bytes?: number }>;
  const resumeBytes = (name: string) => (cp && (obsState[name]?.bytes ?? 0) > 0 ? obsState[name].bytes : undefined);
  const observers: Observer[] = [];
  if (out.thermo) observers.push(new ThermoLog(out.thermo.file, { every: out.thermo.every, groups: out.thermo.groups === 'elements' ? elementGroups(sys) : [], overwrite: out.overwrite, resumeBytes: resumeBytes('thermo') }));
  if (out.trajectory) {
    const t = out.trajectory;
    observers.push(new TrajectoryObserver(t.file, {
      every: t.every, velocities: t.velocities, forces: t.forces, dtype: t.precision, chunkFrames: t.chunkFrames, overwrite: out.overwrite, resumeBytes: resumeBytes('trajectory'),
      provenance: { config: cfg.file, configHash: hash, potential: cfg.potential.kind === 'uf3' ? cfg.potential.file : 'lennard-jones', structure: cfg.structure },
    }));
  }
  let sim: Simulation;
  const stats = new StageStats(1, () => sim);
  observers.push(stats);
  sim = new Simulation({
    system: sys, calculator: calc, stages, observers, checkpoint: { path: cpPath, every: out.checkpoint.every },
    guards: { maxTemperatureK: cfg.guards.maxTemperatureK, maxEnergyDriftPerAtom: cfg.guards.maxEnergyDriftEvPerAtom, every: cfg.guards.every },
    removeComEvery: cfg.removeComEvery, onProgress: opts.onProgress, progressIntervalMs: cfg.progressIntervalMs, label: 'md',
    runInfo: { configHash: hash, threads: cfg.threads },
  });
  if (opts.stopAfterSteps !== undefined) {
    const limit = opts.stopAfterSteps;
    if (!Number.isInteger(limit) || limit < 1) throw new InputError(`stop after: expected a positive whole number of steps, got ${limit}`);
    const until = (cp?.step ?? 0) + limit;
    observers.push(new CallbackObserver(1, (ctx) => { if (ctx.sys.step >= until) sim.requestStop(`stop-after ${limit} steps`); }, 'stop-after'));
  }
  if (cp) {
    if (cp.run.threads !== cfg.threads) log(`note: resuming with ${cfg.threads} thread(s) instead of ${String(cp.run.threads)}: results match only up to round-off\n`);
    sim.restore(cp, cpPath);
  }
  const removeHandlers = opts.handleSignals === false ? () => {} : stopOnSignals(sim, (sig) => log(`\n${sig}: writing a checkpoint and stopping…\n`));
  let summary;
  try {
    summary = await sim.run();
  } finally {
    removeHandlers();
    await calc.dispose?.();
  }
  if (out.final && !summary.stopped) writeStructure(out.final, systemToStructure(sys, { velocities: true }));
  const vol = volume(sys.cell), mass = sys.masses.reduce((a, b) => a + b, 0);
  const stageSummaries = stats.summaries(stages);
  const result: Record<string, unknown> = {
    natoms: n, ...summary, totalSteps: sim.totalSteps, resumed: !!cp, threads: cfg.threads,
    final: { step: sys.step, timeFs: sys.timeFs, temperatureK: temperature(sys), potentialEnergyEv: sys.potentialEnergy, pressureGPa: pressure(sys) * EV_PER_A3_IN_GPA, volumeA3: vol, densityGCm3: (mass * 1.6605390666) / vol },
    stages: stageSummaries,
    files: { checkpoint: cpPath, thermo: out.thermo?.file, trajectory: out.trajectory?.file, final: summary.stopped ? undefined : out.final },
  };
  if (minimized) result.minimize = minimized;
  if (cfg.protocol) {
    result.protocol = cfg.protocol;
    const npt = stageSummaries.find((s) => s.name === 'npt');
    if (cfg.protocol.type === 'melt-quench' && npt) result.density = { simulatedGCm3: npt.densityGCm3, experimentalGlassGCm3: LI3PS4_GLASS_DENSITY_G_CM3, note: 'mean over the second half of the final NPT stage' };
  }
  return result;
}
