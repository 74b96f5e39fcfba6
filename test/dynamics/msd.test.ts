import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MsdAccumulator, msdOfFrames } from '../../src/dynamics/msd';
import { fitDiffusion, jumpRateFromDiffusion } from '../../src/dynamics/diffusion';
import { Unwrapper } from '../../src/dynamics/unwrap';
import { wrapPositions } from '../../src/core/cell';
import { InputError } from '../../src/core/errors';
import { rng, gaussian, randomTriclinicCell } from '../helpers/random';

/** Gaussian random walk: nFrames × nAtoms × 3, σ Å per component per frame, random start. */
function randomWalk(seed: number, nFrames: number, nAtoms: number, sigma: number, drift = 0): Float64Array {
  const u = rng(seed), g = gaussian(u);
  const out = new Float64Array(nFrames * nAtoms * 3);
  for (let c = 0; c < nAtoms * 3; c++) out[c] = 20 * u();
  for (let f = 1; f < nFrames; f++)
    for (let c = 0; c < nAtoms * 3; c++) out[f * nAtoms * 3 + c] = out[(f - 1) * nAtoms * 3 + c] + sigma * g() + drift;
  return out;
}

/** Direct O(N·L) MSD of one atom. */
function directMsd(frames: Float64Array, nAtoms: number, atom: number, maxLag: number): Float64Array {
  const N = frames.length / (3 * nAtoms);
  const out = new Float64Array(maxLag + 1);
  for (let m = 1; m <= maxLag; m++) {
    let s = 0;
    for (let k = 0; k + m < N; k++)
      for (let c = 0; c < 3; c++) s += (frames[(k + m) * 3 * nAtoms + 3 * atom + c] - frames[k * 3 * nAtoms + 3 * atom + c]) ** 2;
    out[m] = s / (N - m);
  }
  return out;
}

test('FFT MSD equals the direct O(N·L) sum to 1e-9 relative (several blocks, partial last block, groups)', () => {
  const nAtoms = 4, N = 3001, L = 700;
  const frames = randomWalk(1, N, nAtoms, 0.3, 0.01);
  for (const blockSize of [64, 1024]) {
    const r = msdOfFrames(frames, nAtoms, { maxLag: L, blockSize, groupOf: Int32Array.from([0, 1, 0, 1]), groupNames: ['A', 'B'] });
    assert.equal(r.nFrames, N);
    for (let a = 0; a < nAtoms; a++) {
      const want = directMsd(frames, nAtoms, a, L);
      for (let m = 1; m <= L; m++) {
        const got = r.perAtom[a * (L + 1) + m];
        assert.ok(Math.abs(got - want[m]) <= 1e-9 * want[m], `block ${blockSize} atom ${a} lag ${m}: ${got} vs ${want[m]}`);
      }
    }
    assert.equal(r.groups[0].name, 'A');
    assert.deepEqual([...r.groups[1].atoms], [1, 3]);
    for (let m = 0; m <= L; m++) assert.ok(Math.abs(r.groups[1].msd[m] - (r.perAtom[1 * (L + 1) + m] + r.perAtom[3 * (L + 1) + m]) / 2) < 1e-12 * (1 + r.groups[1].msd[m]));
  }
});

test('MSD of a Gaussian random walk recovers its D with an honest error', () => {
  // D = σ²/(2·Δt) per component; MSD = 6·D·t
  const sigma = 0.05, dtPs = 0.01, nAtoms = 64, N = 4000, L = 400;
  const dTrue = (sigma * sigma) / (2 * dtPs);
  const frames = randomWalk(2, N, nAtoms, sigma);
  const r = msdOfFrames(frames, nAtoms, { maxLag: L });
  const lagPs = Float64Array.from({ length: L + 1 }, (_, m) => m * dtPs);
  const fit = fitDiffusion(lagPs, r.groups[0].msd, { windowPs: [0.5, 3.5], perAtom: { data: r.perAtom, nAtoms } });
  assert.equal(fit.errMethod, 'atoms');
  assert.ok(fit.errA2PerPs > 0 && fit.errA2PerPs < 0.05 * dTrue, `error ${fit.errA2PerPs}`);
  assert.ok(Math.abs(fit.dA2PerPs - dTrue) < 3.5 * fit.errA2PerPs, `D ${fit.dA2PerPs} vs ${dTrue} ± ${fit.errA2PerPs}`);
  assert.ok(Math.abs(fit.dM2PerS - fit.dA2PerPs * 1e-8) < 1e-20);
  // the least-squares error ignores the correlation of MSD points and is much smaller
  assert.ok(fit.fitErrA2PerPs < fit.errA2PerPs);
  // coverage: over independent walks, |D − D_true| < 2·err in most cases (≈95 % expected)
  let inside = 0;
  const trials = 20;
  for (let s = 0; s < trials; s++) {
    const w = randomWalk(100 + s, 1500, 24, sigma);
    const rr = msdOfFrames(w, 24, { maxLag: 150 });
    const ff = fitDiffusion(lagPs.subarray(0, 151), rr.groups[0].msd, { windowPs: [0.2, 1.4], perAtom: { data: rr.perAtom, nAtoms: 24 } });
    if (Math.abs(ff.dA2PerPs - dTrue) < 2 * ff.errA2PerPs) inside++;
  }
  assert.ok(inside >= 15, `only ${inside}/${trials} within 2σ`);
  assert.ok(Math.abs(jumpRateFromDiffusion(dTrue, 2) - (6 * dTrue) / 4) < 1e-15);
});

test('unwrapping a wrapped triclinic trajectory restores the continuous one; too-large steps are refused', () => {
  const u = rng(3);
  const cell = randomTriclinicCell(u, 300, 0.8);
  const nAtoms = 10, N = 400;
  const frames = randomWalk(4, N, nAtoms, 0.4);
  // start inside the cell so that the first unwrapped frame equals the original
  const first = wrapPositions(cell, [true, true, true], frames.subarray(0, 3 * nAtoms));
  const shift = frames.slice(0, 3 * nAtoms).map((x, c) => first[c] - x);
  for (let f = 0; f < N; f++) for (let c = 0; c < 3 * nAtoms; c++) frames[f * 3 * nAtoms + c] += shift[c];
  const un = new Unwrapper(nAtoms);
  for (let f = 0; f < N; f++) {
    const wrapped = wrapPositions(cell, [true, true, true], frames.subarray(f * 3 * nAtoms, (f + 1) * 3 * nAtoms));
    const got = un.push(wrapped, cell, [true, true, true]);
    for (let c = 0; c < 3 * nAtoms; c++) assert.ok(Math.abs(got[c] - frames[f * 3 * nAtoms + c]) < 1e-9, `frame ${f}`);
  }
  const un2 = new Unwrapper(1);
  const cubic = new Float64Array([10, 0, 0, 0, 10, 0, 0, 0, 10]);
  un2.push([1, 1, 1], cubic, [true, true, true]);
  un2.push([4.5, 1, 1], cubic, [true, true, true]);
  assert.throws(() => un2.push([9.2, 1, 1], cubic, [true, true, true]), (e: Error) => e instanceof InputError && /atom 0 moved 0\.470 of the cell along a between frames 1 and 2/.test(e.message));
  // non-periodic directions are never wrapped
  const un3 = new Unwrapper(1);
  un3.push([1, 1, 1], cubic, [false, true, true]);
  assert.deepEqual([...un3.push([6.5, 1, 1], cubic, [false, true, true])], [6.5, 1, 1]);
});

test('bad MSD input: NaN, wrong frame size, too few frames, bad fit windows', () => {
  const acc = new MsdAccumulator(2, { maxLag: 5 });
  assert.throws(() => acc.push([0, 0, 0]), (e: Error) => e instanceof InputError && /frame 0 has 3 coordinates, expected 6/.test(e.message));
  acc.push([0, 0, 0, 1, 1, 1]);
  assert.throws(() => acc.push([0, 0, 0, 1, NaN, 1]), (e: Error) => e instanceof InputError && /atom 1 .*non-finite.*frame 1/.test(e.message));
  const few = new MsdAccumulator(1, { maxLag: 5 });
  for (let f = 0; f < 5; f++) few.push([f, 0, 0]);
  assert.throws(() => few.finish(), (e: Error) => e instanceof InputError && /5 frames are too few for lags up to 5/.test(e.message));
  assert.throws(() => new MsdAccumulator(1, { maxLag: 0 }), InputError);
  const t = [0, 1, 2, 3, 4, 5], y = [0, 1, 2, 3, 4, 5];
  assert.throws(() => fitDiffusion(t, y, { windowPs: [3, 4] }), (e: Error) => e instanceof InputError && /holds 2 lag points/.test(e.message));
  assert.throws(() => fitDiffusion([0, 1, 1, 2], [0, 1, 2, 3]), (e: Error) => e instanceof InputError && /increase/.test(e.message));
  assert.throws(() => fitDiffusion(t, [0, 1, NaN, 3, 4, 5]), InputError);
  assert.equal(fitDiffusion(t, y, { windowPs: [1, 5] }).dA2PerPs, 1 / 6);
});
