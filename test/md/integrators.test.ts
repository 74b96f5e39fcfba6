import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Integrator } from '../../src/md/integrators/integrator';
import { kineticEnergy, temperature } from '../../src/md/system';
import { maxwellBoltzmann } from '../../src/md/velocities';
import { LangevinThermostat } from '../../src/md/thermostats/langevin';
import { BussiThermostat } from '../../src/md/thermostats/bussi';
import { NoseHooverChainThermostat } from '../../src/md/thermostats/noseHoover';
import { KB_EV_PER_K } from '../../src/core/units';
import { InputError } from '../../src/core/errors';
import { argonFcc, meanVar } from './systems';
import { driftMeVPerAtomPer10ps } from '../../src/md/drift';

test('velocity Verlet: energy conserved with a second-order error, time-reversible', () => {
  const fluct = (dt: number) => {
    const { sys, calc } = argonFcc(2, 0.8);
    maxwellBoltzmann(sys, { temperatureK: 150, seed: 7 });
    const integ = new Integrator({ dtFs: dt });
    integ.prepare(sys, calc);
    const e: number[] = [];
    for (let s = 0; s < Math.round(400 / dt); s++) { integ.step(sys, calc); e.push(integ.conservedEnergy(sys)); }
    return Math.sqrt(meanVar(e)[1]);
  };
  const a = fluct(4), b = fluct(2);
  assert.ok(a / b > 3.2 && a / b < 5, `fluctuation ratio for dt 4→2 fs: ${a / b} (expected ≈ 4)`);
  // reversibility: forward, flip velocities, forward again
  const { sys, calc } = argonFcc(2, 0.8);
  maxwellBoltzmann(sys, { temperatureK: 150, seed: 8 });
  const x0 = Float64Array.from(sys.positions);
  const integ = new Integrator({ dtFs: 2 });
  integ.prepare(sys, calc);
  for (let s = 0; s < 200; s++) integ.step(sys, calc);
  for (let k = 0; k < sys.velocities.length; k++) sys.velocities[k] = -sys.velocities[k];
  for (let s = 0; s < 200; s++) integ.step(sys, calc);
  let d = 0;
  for (let k = 0; k < x0.length; k++) d = Math.max(d, Math.abs(sys.positions[k] - x0[k]));
  assert.ok(d < 1e-8, `returned within ${d} Å`);
});

test('NVE energy drift of LJ argon over 10 ps is far below 1 meV/atom per 10 ps', () => {
  const { sys, calc } = argonFcc(3, 0.8);
  maxwellBoltzmann(sys, { temperatureK: 120, seed: 3 });
  const integ = new Integrator({ dtFs: 4 });
  integ.prepare(sys, calc);
  const t: number[] = [], e: number[] = [];
  for (let s = 0; s < 2500; s++) { integ.step(sys, calc); if (s % 10 === 0) { t.push(sys.timeFs); e.push(integ.conservedEnergy(sys)); } }
  const drift = Math.abs(driftMeVPerAtomPer10ps(t, e, sys.masses.length));
  assert.ok(drift < 0.01, `drift ${drift} meV/atom/10 ps`);
});

test('integrator rejects bad time steps', () => {
  assert.throws(() => new Integrator({ dtFs: -1 }), InputError);
  assert.throws(() => new Integrator({ dtFs: NaN }), InputError);
});

for (const kind of ['langevin', 'bussi', 'nose-hoover'] as const) {
  test(`NVT ${kind}: mean temperature and canonical kinetic-energy variance; bookkeeping energy conserved`, () => {
    const T = 100;
    const { sys, calc } = argonFcc(2, 0.85);
    const thermostat = kind === 'langevin' ? new LangevinThermostat({ temperatureK: T, dampingFs: 200, seed: 3 })
      : kind === 'bussi' ? new BussiThermostat({ temperatureK: T, tauFs: 100, seed: 3 })
        : new NoseHooverChainThermostat({ temperatureK: T, tauFs: 200 });
    if (thermostat.breaksMomentum) sys.dof = 3 * sys.masses.length;
    maxwellBoltzmann(sys, { temperatureK: T, seed: 5 });
    const integ = new Integrator({ dtFs: 5, thermostat });
    integ.prepare(sys, calc);
    for (let s = 0; s < 1000; s++) integ.step(sys, calc);
    const k: number[] = [], h: number[] = [];
    for (let s = 0; s < 30000; s++) {
      integ.step(sys, calc);
      k.push(kineticEnergy(sys));
      if (s % 100 === 0) h.push(integ.conservedEnergy(sys));
    }
    const [mk, vk] = meanVar(k);
    const kT = KB_EV_PER_K * T, nf = sys.dof;
    const tMean = (2 * mk) / (nf * KB_EV_PER_K);
    assert.ok(Math.abs(tMean - T) < 3, `mean T ${tMean} K`);
    const ratio = vk / (0.5 * nf * kT * kT);
    assert.ok(ratio > 0.8 && ratio < 1.2, `Var(K)/(N_f (kT)²/2) = ${ratio}`);
    const drift = Math.abs(h[h.length - 1] - h[0]) / sys.masses.length;
    assert.ok(drift < 2e-4, `conserved-energy drift ${drift} eV/atom`);
    assert.ok(Number.isFinite(temperature(sys)));
    if (process.env.MD_TEST_VERBOSE) console.log(kind, { tMean, ratio, drift });
  });
}
