/** End to end on the synthetic Markov jump model: the ACF fit recovers the known hop rate and plateau 1/N. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tensorAcf } from '../../src/nmr/acf';
import { fitAcf } from '../../src/nmr/acfFit';
import { markovJumpSeries, markovExpectedPowderAcf, orthogonalClassTensors } from '../helpers/markovJump';
import { rng, randomRotation } from '../helpers/random';

test('Markov model: ACF fit recovers Γ within 5% and the plateau 1/3 (3 orthogonal orientations), powder and single B0', () => {
  const m = markovJumpSeries({ seed: 21, nLi: 48, nFrames: 10000, dtFs: 25, hopRatePerPs: 1, vibrationSigmaA: 0.2, tensorNoiseSigma: 0.15 });
  const r = tensorAcf(m.tensors, { nLi: m.nLi, dtFs: m.dtFs, maxLagFs: 8000 });
  // the measured ACF follows the exact model curve
  for (const k of [1, 20, 40, 100, 320]) assert.ok(Math.abs(r.acf[k] - markovExpectedPowderAcf(m, k * m.dtFs)) < 0.02, `lag ${k}`);
  const fit = fitAcf(r, { window: [0.05, 8], freeAmplitude: true, bootstrap: 40, seed: 3 });
  assert.ok(fit.ok, JSON.stringify(fit));
  if (!fit.ok) return;
  const rel = Math.abs(fit.rateHz - m.hopRateHz) / m.hopRateHz;
  assert.ok(rel < 0.05, `rate ${fit.rateHz} vs ${m.hopRateHz}`);
  assert.ok(Math.abs(fit.plateau - 1 / m.nOrientations) < 0.03, `plateau ${fit.plateau}`);
  assert.ok(fit.beta > 0.95, `beta ${fit.beta}`);
  // the bootstrap over Li atoms gives an error of the same order as the deviation (not absurdly small or large)
  assert.ok(fit.bootstrap && fit.bootstrap.nFailed === 0);
  assert.ok(fit.bootstrap!.rateHzStd > 1e-4 * m.hopRateHz && fit.bootstrap!.rateHzStd < 0.05 * m.hopRateHz, `${fit.bootstrap!.rateHzStd}`);
  // one B0 direction: same rate, plateau (b·V̄·b)²/⟨(b·V·b)²⟩ from the class tensors
  const b = [0.48, 0.6, 0.64];
  const wk = [0, 1, 2].map((k) => { let s = 0; for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) s += b[i] * m.classTensors[9 * k + 3 * i + j] * b[j]; return s; });
  const zb = ((wk[0] + wk[1] + wk[2]) / 3) ** 2 / ((wk[0] ** 2 + wk[1] ** 2 + wk[2] ** 2) / 3);
  const rb = tensorAcf(m.tensors, { nLi: m.nLi, dtFs: m.dtFs, maxLagFs: 8000, b0: { kind: 'directions', directions: b } });
  const fb = fitAcf(rb, { window: [0.05, 8], freeAmplitude: true });
  assert.ok(fb.ok && Math.abs(fb.rateHz / m.hopRateHz - 1) < 0.05 && Math.abs(fb.plateau - zb) < 0.03, `${zb} ${JSON.stringify(fb)}`);
  // coarse-graining over 4 frames removes the noise drop; a fit with A = 1 from t = 0 then also works
  const rc = tensorAcf(m.tensors, { nLi: m.nLi, dtFs: m.dtFs, maxLagFs: 8000, coarseFrames: 4 });
  const fc = fitAcf(rc, { window: [0.1, 8], freeAmplitude: true });
  assert.ok(fc.ok && Math.abs(fc.rateHz / m.hopRateHz - 1) < 0.05, JSON.stringify(fc));
});

test('Markov model with non-orthogonal orientations: the plateau is Tr(V̄²)/⟨Tr V²⟩ (here 0)', () => {
  // cyclic permutations of diag(a, b, c) sum to zero: V̄ = 0 → Z = 0 while the decay rate is still Γ
  const R = randomRotation(rng(4));
  const base = [[-0.3, -0.7, 1.0], [1.0, -0.3, -0.7], [-0.7, 1.0, -0.3]];
  const ct = new Float64Array(27);
  base.forEach((d, k) => {
    const m = [d[0], 0, 0, 0, d[1], 0, 0, 0, d[2]];
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) {
      let s = 0;
      for (let p = 0; p < 3; p++) s += R[3 * i + p] * m[3 * p + p] * R[3 * j + p];
      ct[9 * k + 3 * i + j] = s;
    }
  });
  const m = markovJumpSeries({ seed: 5, nLi: 32, nFrames: 6000, dtFs: 20, hopRatePerPs: 2, classTensors: ct });
  assert.ok(Math.abs(m.plateauPowder) < 1e-12);
  const r = tensorAcf(m.tensors, { nLi: m.nLi, dtFs: m.dtFs, maxLagFs: 3000 });
  const fit = fitAcf(r, { window: [0, 3] });
  assert.ok(fit.ok && Math.abs(fit.rateHz / m.hopRateHz - 1) < 0.05 && fit.plateau < 0.02, JSON.stringify(fit));
  // sanity: the default class tensors are mutually orthogonal
  const o = orthogonalClassTensors(1);
  let cross = 0;
  for (let q = 0; q < 9; q++) cross += o[q] * o[9 + q];
  assert.equal(cross, 0);
});
