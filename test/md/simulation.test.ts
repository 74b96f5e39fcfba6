import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Simulation } from '../../src/md/simulation';
import { Integrator } from '../../src/md/integrators/integrator';
import { LangevinThermostat } from '../../src/md/thermostats/langevin';
import { BussiThermostat } from '../../src/md/thermostats/bussi';
import { CRescaleBarostat } from '../../src/md/barostats/cRescale';
import { ThermoLog, TrajectoryObserver, CallbackObserver } from '../../src/md/observers';
import { readCheckpoint } from '../../src/md/checkpoint';
import { maxwellBoltzmann } from '../../src/md/velocities';
import { TrajectoryReader } from '../../src/io/trajectory';
import { SimulationError } from '../../src/core/errors';
import type { Calculator } from '../../src/core/potential';
import type { MDProgress } from '../../src/md/progress';
import { argonFcc } from './systems';

function build(dir: string, resume: boolean, total = 300) {
  const { sys, calc } = argonFcc(2, 0.8);
  maxwellBoltzmann(sys, { temperatureK: 90, seed: 11 });
  sys.dof = 3 * sys.masses.length;
  const stages = [
    { name: 'langevin', steps: total / 2, integrator: new Integrator({ dtFs: 4, thermostat: new LangevinThermostat({ temperatureK: 90, dampingFs: 100, seed: 1 }) }), temperatureK: [90, 120] as [number, number] },
    {
      name: 'npt', steps: total / 2, integrator: new Integrator({
        dtFs: 4, thermostat: new BussiThermostat({ temperatureK: 120, tauFs: 100, seed: 2 }),
        barostat: new CRescaleBarostat({ pressure: 0, tauFs: 400, compressibility: 20, mode: 'anisotropic', every: 3, seed: 3 }),
      }),
    },
  ];
  const cpPath = join(dir, 'cp.json');
  const cp = resume ? readCheckpoint(cpPath) : undefined;
  const obs = cp?.run.observers as Record<string, { bytes: number }> | undefined;
  const observers = [
    new ThermoLog(join(dir, 'thermo.csv'), { every: 7, resumeBytes: obs?.thermo.bytes }),
    new TrajectoryObserver(join(dir, 'traj.uftraj'), { every: 10, velocities: true, chunkFrames: 4, resumeBytes: obs?.trajectory.bytes }),
  ];
  const sim = new Simulation({ system: sys, calculator: calc, stages, observers, checkpoint: { path: cpPath, every: 50 } });
  if (cp) sim.restore(cp, cpPath);
  return { sim, sys };
}

test('resume: 2N steps vs N + checkpoint + resume + N give identical state, trajectory and thermo log', async () => {
  const a = mkdtempSync(join(tmpdir(), 'md-a-')), b = mkdtempSync(join(tmpdir(), 'md-b-'));
  const full = build(a, false);
  await full.sim.run();
  // interrupted run: a stop request right after step 150 (a checkpoint step, inside stage 2's first step boundary)
  const part = build(b, false);
  part.sim.observers.push(new CallbackObserver(1, (ctx) => { if (ctx.sys.step === 150) part.sim.requestStop('test'); }));
  const r1 = await part.sim.run();
  assert.equal(r1.stopped, 'test');
  assert.equal(r1.endStep, 150);
  const rest = build(b, true);
  assert.equal(rest.sys.step, 150);
  const r2 = await rest.sim.run();
  assert.equal(r2.endStep, 300);
  assert.deepEqual(rest.sys.positions, full.sys.positions);
  assert.deepEqual(rest.sys.velocities, full.sys.velocities);
  assert.deepEqual(rest.sys.cell, full.sys.cell);
  assert.equal(readFileSync(join(b, 'thermo.csv'), 'utf8'), readFileSync(join(a, 'thermo.csv'), 'utf8'));
  const ta = new TrajectoryReader(join(a, 'traj.uftraj')), tb = new TrajectoryReader(join(b, 'traj.uftraj'));
  assert.equal(tb.length, ta.length);
  assert.equal(ta.length, 31);
  for (let i = 0; i < ta.length; i++) assert.deepEqual(tb.frame(i), ta.frame(i));
  ta.close(); tb.close();
});

test('resume after a stop at a non-checkpoint step matches the uninterrupted run closely', async () => {
  const a = mkdtempSync(join(tmpdir(), 'md-a-')), b = mkdtempSync(join(tmpdir(), 'md-b-'));
  const full = build(a, false);
  await full.sim.run();
  const part = build(b, false);
  part.sim.observers.push(new CallbackObserver(1, (ctx) => { if (ctx.sys.step === 77) part.sim.requestStop('SIGINT'); }));
  await part.sim.run();
  assert.equal(readCheckpoint(join(b, 'cp.json')).step, 77);
  const rest = build(b, true);
  await rest.sim.run();
  let d = 0;
  for (let k = 0; k < full.sys.positions.length; k++) d = Math.max(d, Math.abs(rest.sys.positions[k] - full.sys.positions[k]));
  assert.ok(d < 1e-9, `positions differ by ${d} Å`);
});

test('blow-up: NaN forces stop the run naming step and atoms; the last checkpoint and the trajectory stay readable', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'md-c-'));
  const { sys, calc } = argonFcc(2, 0.8);
  maxwellBoltzmann(sys, { temperatureK: 50, seed: 2 });
  let calls = 0;
  const bad: Calculator = {
    compute(x, h, out) {
      const r = calc.compute(x, h, out);
      if (++calls > 120) r.forces[3 * 5 + 1] = NaN;
      return r;
    },
  };
  const sim = new Simulation({
    system: sys, calculator: bad, stages: [{ name: 'nve', steps: 500, integrator: new Integrator({ dtFs: 2 }) }],
    observers: [new TrajectoryObserver(join(dir, 't.uftraj'), { every: 10 })], checkpoint: { path: join(dir, 'cp.json'), every: 25 },
  });
  await assert.rejects(sim.run(), (e: Error) => e instanceof SimulationError && /step 120/.test(e.message) && /atom\(s\) 5 Ar/.test(e.message));
  assert.equal(readCheckpoint(join(dir, 'cp.json')).step, 100);
  const r = new TrajectoryReader(join(dir, 't.uftraj'));
  assert.equal(r.length, 12); // steps 0..110
  assert.equal(r.tornTail, false);
  r.close();
});

test('blow-up: temperature runaway (overlapping atoms) is reported with the fastest atoms', async () => {
  const { sys, calc } = argonFcc(2, 0.8);
  sys.positions[0] = sys.positions[3] - 1.2; sys.positions[1] = sys.positions[4]; sys.positions[2] = sys.positions[5];
  const sim = new Simulation({ system: sys, calculator: calc, stages: [{ name: 'nve', steps: 200, integrator: new Integrator({ dtFs: 2 }) }], guards: { maxTemperatureK: 5000, every: 1 } });
  await assert.rejects(sim.run(), (e: Error) => e instanceof SimulationError && /temperature/.test(e.message) && /fastest atoms (0|1) Ar/.test(e.message));
});

test('progress reports rate, ns/day and ETA; stage ramps set the thermostat target', async () => {
  const { sys, calc } = argonFcc(2, 0.8);
  const seen: MDProgress[] = [];
  const integ = new Integrator({ dtFs: 2, thermostat: new BussiThermostat({ temperatureK: 10, tauFs: 50, seed: 1 }) });
  const targets: number[] = [];
  const sim = new Simulation({
    system: sys, calculator: calc, stages: [{ name: 'ramp', steps: 100, integrator: integ, temperatureK: [10, 110] }],
    observers: [new CallbackObserver(25, () => targets.push(integ.thermostat!.temperatureK))], onProgress: (p) => seen.push(p), progressIntervalMs: 0,
  });
  const r = await sim.run();
  const last = seen[seen.length - 1];
  assert.equal(last.done, 100); assert.equal(last.total, 100);
  assert.ok(last.rate > 0 && last.nsPerDay > 0 && Math.abs(last.nsPerDay - (last.rate * 2 * 86400) / 1e6) < 1e-9 * last.nsPerDay);
  assert.ok(r.katomStepsPerS > 0);
  assert.deepEqual(targets.map((t) => Math.round(t)), [10, 34, 59, 84, 109]);
  assert.ok(!existsSync('cp.json'));
});

test('blow-up: atoms driven inside the UF3 potential\'s lowest knot stop the run naming step and atoms', async () => {
  const { readStructure } = await import('../../src/io');
  const { loadPotential } = await import('../../src/ufp');
  const { createSystem } = await import('../../src/md/system');
  const { join: j } = await import('node:path');
  const s = readStructure(j(__dirname, '../fixtures/ufp/beta768_bench.xyz'));
  const sys = createSystem(s, { velocities: new Float64Array(3 * s.species.length) });
  // send Li atom a straight at its nearest Li neighbour b at 1 Å/fs
  const li = s.species.flatMap((e, i) => (e === 'Li' ? [i] : []));
  const a = li[0];
  let b = -1, best = Infinity;
  for (const i of li.slice(1)) { const d = Math.hypot(...[0, 1, 2].map((k) => s.positions[3 * i + k] - s.positions[3 * a + k])); if (d < best) { best = d; b = i; } }
  for (let k = 0; k < 3; k++) sys.velocities[3 * a + k] = (s.positions[3 * b + k] - s.positions[3 * a + k]) / best;
  const calc = loadPotential(j(__dirname, '../fixtures/ufp/bench_lps.uf3')).bind(s.species, s.pbc);
  const sim = new Simulation({ system: sys, calculator: calc, stages: [{ name: 'nve', steps: 200, integrator: new Integrator({ dtFs: 0.5 }) }] });
  await assert.rejects(sim.run(), (e: Error) => e instanceof SimulationError && /blow-up at step \d+/.test(e.message) && e.message.includes(String(a)) && e.message.includes(String(b)));
});
