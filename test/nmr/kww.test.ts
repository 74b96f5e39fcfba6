/** KWW fits: recovery and honest uncertainties (coverage over many seeds), failures, ⟨τ⟩, Γ function. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fitKww, kww, meanCorrelationTime } from '../../src/nmr/kww';
import { lnGamma } from '../../src/nmr/special';
import { rng, gaussian } from '../helpers/random';

test('lnΓ against known values', () => {
  assert.ok(Math.abs(lnGamma(0.5) - 0.5 * Math.log(Math.PI)) < 1e-13);
  assert.ok(Math.abs(lnGamma(5) - Math.log(24)) < 1e-13);
  assert.ok(Math.abs(lnGamma(1) - 0) < 1e-14);
  assert.ok(Math.abs(lnGamma(10.5) - Math.log(1133278.3889487856)) < 1e-12);
  // ⟨τ⟩ = τ for β = 1; = 2τ for β = 1/2 (Γ(2)/(1/2))
  assert.ok(Math.abs(meanCorrelationTime(3, 1) - 3) < 1e-12);
  assert.ok(Math.abs(meanCorrelationTime(3, 0.5) - 6) < 1e-12);
});

/** Synthetic curve with iid Gaussian noise σ on t ∈ (0, tMax]. */
function synth(seed: number, tau: number, beta: number, z: number, sigma: number, n = 120, tMax = 15) {
  const g = gaussian(rng(seed));
  const t = Float64Array.from({ length: n }, (_, i) => ((i + 1) * tMax) / n);
  const y = Float64Array.from(t, (x) => kww(x, tau, beta, z) + sigma * g());
  return { t, y };
}

test('KWW fit recovers τ, β, Z exactly from a noise-free curve', () => {
  const { t, y } = synth(1, 2, 0.6, 0.2, 0);
  const f = fitKww(t, y);
  assert.ok(f.ok, JSON.stringify(f));
  if (!f.ok) return;
  assert.ok(Math.abs(f.tau - 2) < 1e-6 && Math.abs(f.beta - 0.6) < 1e-6 && Math.abs(f.plateau - 0.2) < 1e-6, JSON.stringify(f));
  assert.ok(Math.abs(f.rate - 0.5) < 1e-6);
  assert.ok(Math.abs(f.meanTau - meanCorrelationTime(2, 0.6)) < 1e-5);
});

test('KWW uncertainties are honest: ~68% of fits within 1σ over 300 noisy curves (known and estimated σ)', () => {
  const truth = { tau: 2, beta: 0.6, plateau: 0.2 };
  const N = 300, sigma = 0.01;
  for (const known of [true, false]) {
    const hits = { tau: 0, beta: 0, plateau: 0, meanTau: 0 };
    let okCount = 0;
    for (let s = 0; s < N; s++) {
      const { t, y } = synth(1000 + s, truth.tau, truth.beta, truth.plateau, sigma);
      const f = fitKww(t, y, known ? { sigma: new Float64Array(t.length).fill(sigma) } : {});
      if (!f.ok) continue;
      okCount++;
      if (Math.abs(f.tau - truth.tau) < f.tauErr) hits.tau++;
      if (Math.abs(f.beta - truth.beta) < f.betaErr) hits.beta++;
      if (Math.abs(f.plateau - truth.plateau) < f.plateauErr) hits.plateau++;
      if (Math.abs(f.meanTau - meanCorrelationTime(truth.tau, truth.beta)) < f.meanTauErr) hits.meanTau++;
    }
    assert.equal(okCount, N);
    // binomial sd at p = 0.683, N = 300 is 0.027: accept 0.60 … 0.77 (≈ 3 sd)
    for (const [k, v] of Object.entries(hits)) assert.ok(v / N > 0.6 && v / N < 0.77, `${known ? 'known' : 'estimated'} σ: coverage of ${k} = ${v / N}`);
  }
});

test('KWW fit on a window, with a free amplitude after a fast initial drop', () => {
  const g = gaussian(rng(5));
  const t = Float64Array.from({ length: 300 }, (_, i) => i * 0.05);
  const y = Float64Array.from(t, (x) => (x === 0 ? 1 : 0.8 * kww(x, 3, 0.8, 0.3)) + 0.002 * g());
  const fixed = fitKww(t, y, { window: [0.2, 14] });
  const free = fitKww(t, y, { window: [0.2, 14], freeAmplitude: true });
  assert.ok(free.ok && Math.abs(free.tau - 3) < 0.1 && Math.abs(free.amplitude - 0.8) < 0.01 && Math.abs(free.plateau - 0.3) < 0.02, JSON.stringify(free));
  assert.ok(fixed.ok && Math.abs(fixed.tau - 3) > 0.1, 'a fixed amplitude is biased here');
  assert.equal(free.ok && free.nPoints, 277);
});

test('KWW fits that cannot work say so, with diagnostics and no τ', () => {
  const t = Float64Array.from({ length: 50 }, (_, i) => i * 0.1);
  // no decay within the window: τ ≫ window
  const flat = fitKww(t, Float64Array.from(t, (x) => kww(x, 1e4, 1, 0)));
  assert.equal(flat.ok, false);
  if (!flat.ok) {
    assert.match(flat.reason, /did not converge|not resolved|not determined/);
    assert.equal((flat as unknown as { tau?: number }).tau, undefined);
    assert.ok(flat.diagnostics.lastParams.tau > 0 && flat.diagnostics.nPoints === 50);
  }
  // pure noise
  const g = gaussian(rng(3));
  const noise = fitKww(t, Float64Array.from(t, () => 0.5 + 0.3 * g()));
  assert.equal(noise.ok, false);
  // too few points / NaN / mismatched lengths → InputError
  assert.throws(() => fitKww([0, 1, 2], [1, 0.5, 0.3]), /need at least 4/);
  assert.throws(() => fitKww([0, 1, 2, 3, 4], [1, 0.5, NaN, 0.3, 0.2]), /non-finite point 2/);
  assert.throws(() => fitKww([0, 1], [1]), /2 times but 1 values/);
  assert.throws(() => fitKww(t, t, { window: [3, 1] }), /start < end/);
});
