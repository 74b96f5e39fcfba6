import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Integrator } from '../../src/md/integrators/integrator';
import { createSystem } from '../../src/md/system';
import { createStructure } from '../../src/core/structure';
import { volume } from '../../src/core/cell';
import { maxwellBoltzmann } from '../../src/md/velocities';
import { LangevinThermostat } from '../../src/md/thermostats/langevin';
import { BussiThermostat } from '../../src/md/thermostats/bussi';
import { CRescaleBarostat } from '../../src/md/barostats/cRescale';
import { KB_EV_PER_K } from '../../src/core/units';
import { InputError } from '../../src/core/errors';
import { argonFcc, FREE, meanVar } from './systems';

for (const mode of ['isotropic', 'anisotropic'] as const) {
  test(`C-rescale (${mode}) samples the exact isothermal–isobaric volume of an ideal gas: ⟨V⟩ = (N+1)k_BT/P`, () => {
    const n = 4, T = 300, P = 1e-4; // eV/Å³ (16 MPa)
    const L = Math.cbrt(((n + 1) * KB_EV_PER_K * T) / P);
    const s = createStructure({ species: Array(n).fill('Ar'), positions: Array.from({ length: 3 * n }, (_, k) => k), cell: [L, 0, 0, 0, L, 0, 0, 0, L] });
    const sys = createSystem(s, { dof: 3 * n });
    maxwellBoltzmann(sys, { temperatureK: T, seed: 1, removeCom: false, exact: false });
    const integ = new Integrator({
      dtFs: 5,
      thermostat: new LangevinThermostat({ temperatureK: T, dampingFs: 50, seed: 2 }),
      barostat: new CRescaleBarostat({ pressure: P, tauFs: 200, compressibility: 1 / P, mode, seed: 3 }),
    });
    integ.prepare(sys, FREE);
    const v: number[] = [];
    for (let k = 0; k < 250000; k++) { integ.step(sys, FREE); if (k > 2000) v.push(volume(sys.cell)); }
    const [mv, vv] = meanVar(v);
    const exact = ((n + 1) * KB_EV_PER_K * T) / P;
    // anisotropic: the cell shape of an ideal gas diffuses freely, the volume marginal is the same
    const target = exact;
    if (process.env.MD_TEST_VERBOSE) console.log(mode, { mean: mv, target, relStd: Math.sqrt(vv) / mv });
    assert.ok(Math.abs(mv / target - 1) < 0.03, `⟨V⟩ = ${mv}, expected ${target}`);
  });
}

test('C-rescale NPT keeps an LJ argon crystal at a stable volume and cubic shape', () => {
  const { sys, calc } = argonFcc(3, 1.0);
  maxwellBoltzmann(sys, { temperatureK: 40, seed: 4 });
  const integ = new Integrator({
    dtFs: 5,
    thermostat: new BussiThermostat({ temperatureK: 40, tauFs: 100, seed: 5 }),
    barostat: new CRescaleBarostat({ pressure: 0, tauFs: 500, compressibility: 20, mode: 'anisotropic', every: 5, seed: 6 }),
  });
  integ.prepare(sys, calc);
  const v: number[] = [], ax: number[][] = [];
  for (let k = 0; k < 8000; k++) {
    integ.step(sys, calc);
    if (k >= 2000) { v.push(volume(sys.cell)); ax.push([sys.cell[0], sys.cell[4], sys.cell[8]]); }
  }
  const half = v.length / 2;
  const m1 = meanVar(v.slice(0, half))[0], m2 = meanVar(v.slice(half))[0];
  const v0 = 108 * 3.4 ** 3; // ρ* = 1 start
  assert.ok(Math.abs(m1 - m2) / m1 < 0.01, `volume halves ${m1} vs ${m2}`);
  assert.ok(m1 > v0 * 0.95 && m1 < v0 * 1.3, `volume ${m1} Å³ vs start ${v0}`);
  const means = [0, 1, 2].map((a) => meanVar(ax.map((r) => r[a]))[0]);
  if (process.env.MD_TEST_VERBOSE) console.log({ m1, m2, v0, means });
  assert.ok(Math.max(...means) / Math.min(...means) < 1.02, `axes ${means}`);
});

test('C-rescale rejects bad settings', () => {
  assert.throws(() => new CRescaleBarostat({ pressure: 0, tauFs: -1, compressibility: 1, seed: 1 }), InputError);
  assert.throws(() => new CRescaleBarostat({ pressure: 0, tauFs: 100, compressibility: 0, seed: 1 }), InputError);
  assert.throws(() => new CRescaleBarostat({ pressure: 0, tauFs: 100, compressibility: 1, mode: 'full' as 'isotropic', seed: 1 }), InputError);
});
