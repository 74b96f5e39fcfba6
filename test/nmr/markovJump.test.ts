/** Checks of the shared Markov jump generator (test/helpers/markovJump.ts) against its analytic claims. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { markovJumpSeries, markovExpectedPowderAcf } from '../helpers/markovJump';

test('markov jump: rate, plateau 1/3, unwrapped jumps and direct powder ACF match the model', () => {
  const m = markovJumpSeries({ seed: 7, nLi: 40, nFrames: 4000, dtFs: 10, hopRatePerPs: 2, vibrationSigmaA: 0, tensorNoiseSigma: 0.2 });
  assert.equal(m.nOrientations, 3);
  assert.ok(Math.abs(m.plateauPowder - 1 / 3) < 1e-12, `plateau ${m.plateauPowder}`);
  // tensors symmetric & traceless
  for (let q = 0; q < 50; q++) {
    const t = m.tensors.subarray(9 * q, 9 * q + 9);
    assert.ok(Math.abs(t[0] + t[4] + t[8]) < 1e-12);
    assert.ok(Math.abs(t[1] - t[3]) < 1e-12 && Math.abs(t[2] - t[6]) < 1e-12 && Math.abs(t[5] - t[7]) < 1e-12);
  }
  // hop count is Poisson with mean Γ·nLi·T: 40 Li × 39.99 ps × 2/ps ≈ 3200 → 1.8% σ
  const expected = 2;
  assert.ok(Math.abs(m.empiricalHopRatePerPs - expected) / expected < 0.06, `rate ${m.empiricalHopRatePerPs}`);
  // with no vibration, unwrapped displacement between frames is a sum of lattice jumps of length a
  const f = 100, i = 3;
  let net = 0;
  for (let c = 0; c < 3; c++) net += (m.unwrappedPositions[(f * m.nLi + i) * 3 + c] - m.unwrappedPositions[i * 3 + c]) / m.jumpLengthA;
  assert.ok(Math.abs(net - Math.round(net)) < 1e-9);
  // direct powder ACF at a few lags vs the exact expectation
  for (const lag of [0, 1, 20, 50, 200]) {
    let num = 0, den = 0;
    for (let li = 0; li < m.nLi; li++) for (let t0 = 0; t0 + lag < m.nFrames; t0++) {
      const a = (t0 * m.nLi + li) * 9, b = ((t0 + lag) * m.nLi + li) * 9;
      for (let p = 0; p < 3; p++) for (let q = 0; q < 3; q++) num += m.tensors[a + 3 * p + q] * m.tensors[b + 3 * q + p];
    }
    for (let q = 0; q < m.tensors.length; q++) den += m.tensors[q] * m.tensors[q];
    const c = num / (m.nLi * (m.nFrames - lag)) / (den / (m.nLi * m.nFrames));
    const e = markovExpectedPowderAcf(m, lag * m.dtFs);
    assert.ok(Math.abs(c - e) < 0.03, `lag ${lag}: ${c} vs ${e}`);
  }
});
