import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../src/md/random';
import { maxwellBoltzmann } from '../../src/md/velocities';
import { comVelocity, temperature, groupTemperature } from '../../src/md/system';
import { InputError } from '../../src/core/errors';
import { argonFcc, meanVar } from './systems';

test('Rng: uniform and normal moments, χ² and gamma means, independent streams', () => {
  const r = new Rng(123);
  const u = Array.from({ length: 200000 }, () => r.uniform());
  const [mu, vu] = meanVar(u);
  assert.ok(Math.abs(mu - 0.5) < 0.003 && Math.abs(vu - 1 / 12) < 0.001);
  assert.ok(u.every((x) => x >= 0 && x < 1));
  const g = Array.from({ length: 200000 }, () => r.normal());
  const [mg, vg] = meanVar(g);
  assert.ok(Math.abs(mg) < 0.01 && Math.abs(vg - 1) < 0.01);
  const kurt = g.reduce((a, x) => a + x ** 4, 0) / g.length;
  assert.ok(Math.abs(kurt - 3) < 0.05, `kurtosis ${kurt}`);
  for (const n of [3, 50, 1000]) {
    const [m, v] = meanVar(Array.from({ length: 20000 }, () => r.chiSquared(n)));
    assert.ok(Math.abs(m / n - 1) < 0.02 && Math.abs(v / (2 * n) - 1) < 0.06, `χ²(${n}): mean ${m}, var ${v}`);
  }
  const [ga] = meanVar(Array.from({ length: 20000 }, () => r.gamma(0.4)));
  assert.ok(Math.abs(ga - 0.4) < 0.02);
  const a = new Rng(7, 0), b = new Rng(7, 1);
  assert.notEqual(a.nextUint32(), b.nextUint32());
});

test('Rng: state round-trips through JSON and continues the exact sequence (including the cached normal)', () => {
  const r = new Rng(99, 3);
  for (let k = 0; k < 11; k++) r.normal(); // odd count: a cached second deviate is pending
  const st = JSON.parse(JSON.stringify(r.getState()));
  const expected = Array.from({ length: 20 }, () => r.normal());
  const s = Rng.fromState(st);
  assert.deepEqual(Array.from({ length: 20 }, () => s.normal()), expected);
  assert.throws(() => s.setState({ s: [0, 0, 0, 0], spare: null }), InputError);
  assert.throws(() => new Rng(1.5), InputError);
});

test('Maxwell–Boltzmann: exact temperature, zero COM momentum, per-group temperatures, reproducible by seed', () => {
  const { sys } = argonFcc(3, 0.8);
  maxwellBoltzmann(sys, { temperatureK: 250, seed: 5 });
  assert.ok(Math.abs(temperature(sys) - 250) < 1e-9);
  for (const c of comVelocity(sys)) assert.ok(Math.abs(c) < 1e-15);
  const v1 = Float64Array.from(sys.velocities);
  maxwellBoltzmann(sys, { temperatureK: 250, seed: 5 });
  assert.deepEqual(sys.velocities, v1);
  maxwellBoltzmann(sys, { temperatureK: 250, seed: 6 });
  assert.notDeepEqual(sys.velocities, v1);
  const hot = Int32Array.from({ length: 20 }, (_, i) => i), cold = Int32Array.from({ length: 88 }, (_, i) => 20 + i);
  maxwellBoltzmann(sys, { temperatureK: 0, seed: 1, removeCom: false, groups: [{ atoms: hot, temperatureK: 900 }, { atoms: cold, temperatureK: 100 }] });
  assert.ok(Math.abs(groupTemperature(sys, hot) - 900) < 1e-9 && Math.abs(groupTemperature(sys, cold) - 100) < 1e-9);
  // without exact rescaling the temperature scatters around the target like Σχ²/N_f
  maxwellBoltzmann(sys, { temperatureK: 250, seed: 2, exact: false });
  assert.ok(Math.abs(temperature(sys) / 250 - 1) < 0.25);
  assert.throws(() => maxwellBoltzmann(sys, { temperatureK: -3, seed: 1 }), InputError);
  assert.throws(() => maxwellBoltzmann(sys, { temperatureK: 3, seed: 1, groups: [{ atoms: [500], temperatureK: 1 }] }), InputError);
});
