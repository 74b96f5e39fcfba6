/** Quadrupolar frequencies and the ACF layer: constants, powder identity, direction mode, coarse-graining, bad input. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tensorAcf, AcfAccumulator, acfFromLiSums } from '../../src/nmr/acf';
import { omegaQPerVPerA2, cqHzPerVPerA2, omegaQSeries, omegaQSeriesMulti, irreducibleComponents } from '../../src/nmr/quadrupolar';
import { uniformTimeStepFs } from '../../src/nmr/timeAxis';
import { InputError } from '../../src/core/errors';
import { rng, gaussian, randomRotation } from '../helpers/random';
import { directLagSum, traceAB, randomTracelessTensors, randomDirections } from './direct';

test('7Li constants: C_Q = −96.96 kHz per V/Å² and ω_Q = 2π(C_Q/4)(3cos²β−1+η sin²β cos2α)', () => {
  assert.ok(Math.abs(cqHzPerVPerA2() / 1e3 + 96.96) < 0.01, `${cqHzPerVPerA2()}`);
  // a tensor with principal values (Vxx, Vyy, Vzz) = (−0.2, −0.8, 1.0) → η = 0.6, rotated by R
  const u = rng(5);
  const R = randomRotation(u);
  const P = [-0.2, 0, 0, 0, -0.8, 0, 0, 0, 1.0];
  const V = new Float64Array(9);
  for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) for (let k = 0; k < 3; k++) V[3 * i + j] += R[3 * i + k] * P[3 * k + k] * R[3 * j + k];
  const cq = cqHzPerVPerA2() * 1.0, eta = 0.6;
  for (let n = 0; n < 20; n++) {
    const al = 2 * Math.PI * u(), cb = 2 * u() - 1, sb = Math.sqrt(1 - cb * cb);
    const pf = [sb * Math.cos(al), sb * Math.sin(al), cb]; // in the principal frame
    const lab = [0, 1, 2].map((i) => R[3 * i] * pf[0] + R[3 * i + 1] * pf[1] + R[3 * i + 2] * pf[2]);
    const w = omegaQSeries(V, 1, lab)[0];
    const want = 2 * Math.PI * (cq / 4) * (3 * cb * cb - 1 + eta * sb * sb * Math.cos(2 * al));
    assert.ok(Math.abs(w - want) < 1e-9 * Math.abs(omegaQPerVPerA2()), `${w} vs ${want}`);
  }
});

test('irreducible components: Σ a_m b_m = Tr(AB) for traceless symmetric tensors', () => {
  const g = gaussian(rng(6));
  const t = randomTracelessTensors(g, 20);
  const v = new Float64Array(100);
  irreducibleComponents(t, 0, 20, v, 0);
  for (let a = 0; a < 20; a++) for (let b = 0; b < 20; b += 3) {
    let s = 0;
    for (let m = 0; m < 5; m++) s += v[5 * a + m] * v[5 * b + m];
    assert.ok(Math.abs(s - traceAB(t, 9 * a, t, 9 * b)) < 1e-12);
  }
});

/** A smooth random tensor series: AR(1) in every component (frames × nLi × 9). */
function arSeries(seed: number, nFrames: number, nLi: number, phi = 0.9): Float64Array {
  const g = gaussian(rng(seed));
  const out = new Float64Array(nFrames * nLi * 9);
  let prev = randomTracelessTensors(g, nLi);
  for (let f = 0; f < nFrames; f++) {
    const kick = randomTracelessTensors(g, nLi);
    for (let q = 0; q < 9 * nLi; q++) prev[q] = phi * prev[q] + Math.sqrt(1 - phi * phi) * kick[q];
    out.set(prev, f * nLi * 9);
  }
  return out;
}

test('powder ACF equals the direct Tr V(0)V(t) sum (unbiased) and the absolute scale (2/15)κ²', () => {
  const nF = 3000, nLi = 3, L = 200;
  const t = arSeries(7, nF, nLi);
  const r = tensorAcf(t, { nLi, dtFs: 2, maxLagFrames: L });
  const kappa = omegaQPerVPerA2();
  const direct = (lag: number) => {
    let s = 0;
    for (let i = 0; i < nLi; i++) for (let f = 0; f + lag < nF; f++) s += traceAB(t, (f * nLi + i) * 9, t, ((f + lag) * nLi + i) * 9);
    return s / (nLi * (nF - lag));
  };
  const d0 = direct(0);
  for (const lag of [0, 1, 5, 77, 200]) {
    assert.ok(Math.abs(r.acf[lag] - direct(lag) / d0) < 1e-12, `lag ${lag}`);
    assert.ok(Math.abs(r.acfAbsRad2PerS2[lag] / ((2 / 15) * kappa * kappa * direct(lag)) - 1) < 1e-9 || Math.abs(direct(lag)) < 1e-6);
  }
  assert.equal(r.lagPs[100], 0.2);
  // recombining all Li with weight 1 gives the same ACF
  const again = acfFromLiSums(r, new Float64Array(nLi).fill(1));
  for (let k = 0; k <= L; k++) assert.ok(Math.abs(again[k] - r.acf[k]) < 1e-12);
});

test('powder identity: exact powder ACF matches explicit averaging over 5000 random B0 directions to sampling accuracy', () => {
  const nF = 400, nLi = 2, L = 30;
  const t = arSeries(8, nF, nLi, 0.95);
  const exact = tensorAcf(t, { nLi, dtFs: 1, maxLagFrames: L });
  const nDir = 5000;
  const dirs = randomDirections(gaussian(rng(9)), nDir);
  const w = omegaQSeriesMulti(t, nLi, dirs); // frames × nLi × nDir
  // per direction: numerator(lag) and denominator, direct sums
  const lags = [1, 5, 15, 30];
  const num = lags.map(() => new Float64Array(nDir)), den = new Float64Array(nDir);
  for (let d = 0; d < nDir; d++) for (let i = 0; i < nLi; i++) {
    const off = i * nDir + d;
    den[d] += directLagSum(w, nF, nLi * nDir, off, 0) / nF;
    lags.forEach((lag, k) => { num[k][d] += directLagSum(w, nF, nLi * nDir, off, lag) / (nF - lag); });
  }
  const mean = (a: Float64Array) => a.reduce((s, v) => s + v, 0) / a.length;
  const D = mean(den);
  lags.forEach((lag, k) => {
    const N = mean(num[k]);
    const c = N / D;
    // delta-method standard error of a ratio of means over independent directions
    let v = 0;
    for (let d = 0; d < nDir; d++) v += (num[k][d] - c * den[d]) ** 2;
    const se = Math.sqrt(v / (nDir - 1) / nDir) / D;
    assert.ok(Math.abs(c - exact.acf[lag]) < 4 * se, `lag ${lag}: explicit ${c} ± ${se}, exact ${exact.acf[lag]}`);
    assert.ok(se < 0.02, `se ${se}`);
  });
  // and the directions mode of the ACF (same directions) reproduces the explicit average exactly
  const viaMode = tensorAcf(t, { nLi, dtFs: 1, maxLagFrames: L, b0: { kind: 'directions', directions: dirs.subarray(0, 900) } });
  let n5 = 0, d0 = 0;
  for (let d = 0; d < 300; d++) for (let i = 0; i < nLi; i++) {
    n5 += directLagSum(w, nF, nLi * nDir, i * nDir + d, 5) / (nF - 5);
    d0 += directLagSum(w, nF, nLi * nDir, i * nDir + d, 0) / nF;
  }
  assert.ok(Math.abs(viaMode.acf[5] - n5 / d0) < 1e-12, `${viaMode.acf[5]} vs ${n5 / d0}`);
});

test('single B0 direction ACF equals the direct ω_Q autocorrelation', () => {
  const nF = 500, nLi = 2, L = 20;
  const t = arSeries(10, nF, nLi);
  const b = [0.3, -0.5, 0.8];
  const r = tensorAcf(t, { nLi, dtFs: 1, maxLagFrames: L, b0: { kind: 'directions', directions: b } });
  const w = omegaQSeries(t, nLi, b);
  const c = (lag: number) => (directLagSum(w, nF, nLi, 0, lag) + directLagSum(w, nF, nLi, 1, lag)) / (nLi * (nF - lag));
  for (const lag of [0, 1, 10, 20]) {
    assert.ok(Math.abs(r.acfAbsRad2PerS2[lag] - c(lag)) < 1e-9 * c(0));
    assert.ok(Math.abs(r.acf[lag] - c(lag) / c(0)) < 1e-12);
  }
});

test('coarse-graining equals the ACF of window-averaged tensors; streaming chunks give the same result', () => {
  const nF = 1003, nLi = 2, win = 4;
  const t = arSeries(11, nF, nLi);
  const r = tensorAcf(t, { nLi, dtFs: 0.5, maxLagFrames: 30, coarseFrames: win });
  const nC = Math.floor(nF / win);
  const avg = new Float64Array(nC * nLi * 9);
  for (let c = 0; c < nC; c++) for (let k = 0; k < win; k++) for (let q = 0; q < nLi * 9; q++) avg[c * nLi * 9 + q] += t[(c * win + k) * nLi * 9 + q] / win;
  const ref = tensorAcf(avg, { nLi, dtFs: 2, maxLagFrames: 30 });
  assert.equal(r.nFrames, nC);
  assert.equal(r.dtFs, 2);
  for (let k = 0; k <= 30; k++) assert.ok(Math.abs(r.acf[k] - ref.acf[k]) < 1e-12, `${k}: ${r.acf[k]} vs ${ref.acf[k]}`);
  // streaming in odd chunks
  const acc = new AcfAccumulator({ nLi, dtFs: 0.5, maxLagFs: 60, coarseFrames: win });
  for (let f = 0; f < nF;) { const k = Math.min(nF - f, 37); acc.push(t.subarray(f * nLi * 9, (f + k) * nLi * 9), k); f += k; }
  const s = acc.finish();
  for (let k = 0; k <= 30; k++) assert.ok(Math.abs(s.acf[k] - ref.acf[k]) < 1e-12);
});

test('bad input: NaN, wrong shapes, too few frames, non-uniform times, zero tensors → InputError naming the problem', () => {
  const t = arSeries(12, 50, 2);
  const bad = t.slice();
  bad[(7 * 2 + 1) * 9 + 4] = NaN;
  assert.throws(() => tensorAcf(bad, { nLi: 2, dtFs: 1, maxLagFrames: 5 }), (e: Error) => e instanceof InputError && /frame 7, Li 1, component Vyy/.test(e.message));
  assert.throws(() => tensorAcf(t.subarray(0, 50 * 2 * 9 - 3), { nLi: 2, dtFs: 1, maxLagFrames: 5 }), (e: Error) => e instanceof InputError && /whole number of frames/.test(e.message));
  assert.throws(() => tensorAcf(t, { nLi: 2, dtFs: 1, maxLagFrames: 50 }), (e: Error) => e instanceof InputError && /too few frames.*50 frame/.test(e.message));
  assert.throws(() => tensorAcf(t, { nLi: 2, dtFs: 1, maxLagFrames: 20, coarseFrames: 3 }), /too few frames.*16 after coarse-graining/);
  assert.throws(() => tensorAcf(t, { nLi: 2, dtFs: 0, maxLagFrames: 5 }), /dt must be/);
  assert.throws(() => tensorAcf(t, { nLi: 2, dtFs: 1 }), /largest lag/);
  assert.throws(() => tensorAcf(t, { nLi: 2, dtFs: 1, maxLagFrames: 5, b0: { kind: 'directions', directions: [0, 0, 0] } }), /non-zero/);
  assert.throws(() => tensorAcf(new Float64Array(90), { nLi: 1, dtFs: 1, maxLagFrames: 2 }), /zero/);
  assert.equal(uniformTimeStepFs([0, 2, 4, 6]), 2);
  assert.throws(() => uniformTimeStepFs([0, 2, 4, 7, 8]), (e: Error) => e instanceof InputError && /non-uniform time step: frames 2→3/.test(e.message));
  assert.throws(() => uniformTimeStepFs([0, 0, 1]), /increase/);
});
