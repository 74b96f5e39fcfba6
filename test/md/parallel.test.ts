import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { ParallelCalculator, bindCalculator } from '../../src/md/parallel/parallelCalculator';
import { loadPotential } from '../../src/ufp';
import { InputError } from '../../src/core/errors';
import { Simulation } from '../../src/md/simulation';
import { Integrator } from '../../src/md/integrators/integrator';
import { LangevinThermostat } from '../../src/md/thermostats/langevin';
import { readCheckpoint } from '../../src/md/checkpoint';
import { CallbackObserver } from '../../src/md/observers';
import { maxwellBoltzmann } from '../../src/md/velocities';
import { readStructure } from '../../src/io';
import { ARGON, argonFcc } from './systems';

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let d = 0;
  for (let k = 0; k < a.length; k++) d = Math.max(d, Math.abs(a[k] - b[k]));
  return d;
}

test('parallel UF3 (2 and 3 threads) equals serial up to reassociation on the 768-atom bench case', async () => {
  const s = readStructure(join(__dirname, '../fixtures/ufp/nve_dump_step0.lammpstrj'), { typeMap: ['Li', 'P', 'S'] });
  const { species, cell, positions: x } = s;
  const pot = loadPotential(join(__dirname, '../fixtures/ufp/bench_lps.uf3'));
  const ref = pot.bind(species, [true, true, true]).compute(x, cell);
  for (const threads of [2, 3]) {
    const par = bindCalculator(pot, species, [true, true, true], threads) as ParallelCalculator;
    assert.ok(par instanceof ParallelCalculator);
    const r = par.compute(x, cell);
    assert.ok(Math.abs(r.energy - ref.energy) < 1e-11 * Math.abs(ref.energy));
    assert.ok(maxAbsDiff(r.forces, ref.forces) < 1e-12, `forces differ by ${maxAbsDiff(r.forces, ref.forces)}`);
    assert.ok(maxAbsDiff(r.virial, ref.virial) < 1e-9);
    const b = par.getBounds();
    assert.equal(b.length, threads + 1); assert.equal(b[0], 0); assert.equal(b[threads], 768);
    // a second evaluation after moving atoms still agrees
    const y = Float64Array.from(x, (v, k) => v + 0.01 * Math.sin(k));
    const r2 = par.compute(y, cell), ref2 = pot.bind(species, [true, true, true]).compute(y, cell);
    assert.ok(maxAbsDiff(r2.forces, ref2.forces) < 1e-12);
    await par.dispose();
  }
});

test('parallel LJ with explicit bounds; errors inside a worker surface as InputError', async () => {
  const { sys } = argonFcc(3, 0.8);
  const species = sys.species;
  const serial = ARGON.bind(species, sys.pbc).compute(sys.positions, sys.cell);
  const par = new ParallelCalculator(ARGON.kernelSpec(species, sys.pbc), { threads: 2, bounds: [0, 17, 108] });
  const r = par.compute(sys.positions, sys.cell);
  assert.ok(maxAbsDiff(r.forces, serial.forces) < 1e-13);
  const bad = Float64Array.from(sys.positions);
  bad.set(bad.subarray(3 * 100, 3 * 101), 3 * 101); // atoms 100 and 101 coincide: in the worker's range
  assert.throws(() => par.compute(bad, sys.cell), (e: Error) => e instanceof InputError && /coincide/.test(e.message));
  assert.throws(() => new ParallelCalculator(ARGON.kernelSpec(species, sys.pbc), { threads: 2, bounds: [0, 200, 108] }), InputError);
  await par.dispose();
  assert.throws(() => par.compute(sys.positions, sys.cell), InputError);
});

test('parallel MD resumes bit-identically (range boundaries are stored in the checkpoint)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'md-par-'));
  const run = async (resume: boolean, stopAt?: number) => {
    const { sys } = argonFcc(3, 0.8);
    maxwellBoltzmann(sys, { temperatureK: 100, seed: 3 });
    sys.dof = 3 * sys.masses.length;
    const calc = bindCalculator(ARGON, sys.species, sys.pbc, 2);
    const integ = new Integrator({ dtFs: 4, thermostat: new LangevinThermostat({ temperatureK: 100, dampingFs: 100, seed: 9 }) });
    const sim = new Simulation({ system: sys, calculator: calc, stages: [{ name: 'nvt', steps: 120, integrator: integ }], checkpoint: { path: join(dir, resume || stopAt ? 'b.json' : 'a.json'), every: 40 } });
    if (stopAt) sim.observers.push(new CallbackObserver(1, (c) => { if (c.sys.step === stopAt) sim.requestStop('test'); }));
    if (resume) sim.restore(readCheckpoint(join(dir, 'b.json')));
    await sim.run();
    await calc.dispose?.();
    return sys;
  };
  const full = await run(false);
  await run(false, 40);
  const resumed = await run(true);
  assert.deepEqual(resumed.positions, full.positions);
  assert.deepEqual(resumed.velocities, full.velocities);
});
