/** Arrhenius fits: exact recovery, honest errors (coverage), bad input. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fitArrhenius } from '../../src/nmr/arrhenius';
import { KB_EV_PER_K } from '../../src/core/units';
import { rng, gaussian } from '../helpers/random';

const T = [300, 400, 500, 600, 700, 800];
const k0 = 3e13, ea = 0.3;
const exact = T.map((t) => k0 * Math.exp(-ea / (KB_EV_PER_K * t)));

test('Arrhenius fit recovers E_a and k0 exactly from noise-free rates', () => {
  const f = fitArrhenius(T, exact);
  assert.ok(Math.abs(f.eaEv - ea) < 1e-12 && Math.abs(f.prefactor / k0 - 1) < 1e-10, JSON.stringify(f));
  assert.ok(f.eaErrEv < 1e-10);
});

test('Arrhenius errors are honest: coverage ~68% over 400 seeds (weighted by rate errors, and unweighted)', () => {
  const N = 400;
  for (const weighted of [true, false]) {
    let hitE = 0, hitK = 0;
    for (let s = 0; s < N; s++) {
      const g = gaussian(rng(500 + s));
      const rel = T.map((_, i) => 0.05 + 0.05 * i); // relative errors 5 … 30 %
      const k = exact.map((v, i) => v * Math.exp(rel[i] * g()));
      const f = fitArrhenius(T, k, weighted ? k.map((v, i) => v * rel[i]) : undefined);
      if (Math.abs(f.eaEv - ea) < f.eaErrEv) hitE++;
      if (Math.abs(f.lnPrefactor - Math.log(k0)) < f.lnPrefactorErr) hitK++;
    }
    // weighted: errors exact → 68%; unweighted with 4 dof: the residual-scaled σ is itself noisy (t-distribution, ~62%)
    const lo = weighted ? 0.62 : 0.55;
    assert.ok(hitE / N > lo && hitE / N < 0.75, `${weighted}: E_a coverage ${hitE / N}`);
    assert.ok(hitK / N > lo && hitK / N < 0.75, `${weighted}: k0 coverage ${hitK / N}`);
  }
});

test('Arrhenius fit rejects bad input', () => {
  assert.throws(() => fitArrhenius([300], [1]), /at least 2/);
  assert.throws(() => fitArrhenius([300, 400], [1, -2]), /rate 1 must be positive/);
  assert.throws(() => fitArrhenius([300, 0], [1, 2]), /temperature 1/);
  assert.throws(() => fitArrhenius([300, 300], [1, 2]), /equal/);
  assert.throws(() => fitArrhenius([300, 400], [1, 2], [0.1]), /1 rate errors for 2/);
  assert.throws(() => fitArrhenius([300, 400], [1, 2], [0.1, NaN]), /rate error 1/);
});
