/** The blocked FFT correlator against the direct O(N·L) sum (independent truth). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BlockedCorrelator } from '../../src/nmr/correlator';
import { rng, gaussian } from '../helpers/random';
import { directLagSum } from './direct';

function run(x: Float64Array, nSeries: number, maxLag: number, chunk: () => number, blockSize?: number, groupOf?: Int32Array) {
  const n = x.length / nSeries;
  const c = new BlockedCorrelator({ nSeries, maxLag, blockSize, groupOf });
  for (let f = 0; f < n;) {
    const k = Math.min(n - f, chunk());
    c.push(x.subarray(f * nSeries, (f + k) * nSeries), k);
    f += k;
  }
  return c.finish();
}

/** max over the given lags of |FFT − direct| / S(0), for series s. */
function maxRelError(x: Float64Array, nSeries: number, s: number, sums: Float64Array, lags: number[]): number {
  const n = x.length / nSeries;
  const s0 = directLagSum(x, n, nSeries, s, 0);
  let e = 0;
  for (const lag of lags) e = Math.max(e, Math.abs(sums[lag] - directLagSum(x, n, nSeries, s, lag)) / s0);
  return e;
}

test('correlator equals the direct sum for all lags on small series (odd lengths, many block sizes, chunkings)', () => {
  const u = rng(1), g = gaussian(u);
  for (const [n, L, B, S] of [[100, 10, 16, 2], [1000, 300, 64, 3], [1037, 1036, 32, 1], [64, 63, 16, 1], [17, 0, 16, 1], [33, 5, undefined, 2]] as const) {
    const x = Float64Array.from({ length: n * S }, () => g() + 0.3);
    const r = run(x, S, L, () => 1 + Math.floor(u() * 50), B);
    assert.equal(r.nFrames, n);
    for (let s = 0; s < S; s++) {
      const lags = Array.from({ length: L + 1 }, (_, i) => i);
      const e = maxRelError(x, S, s, r.sums.subarray(s * (L + 1), (s + 1) * (L + 1)), lags);
      assert.ok(e < 1e-12, `n=${n} L=${L} B=${B} s=${s}: ${e}`);
    }
  }
});

test('correlator groups add the sums of their series', () => {
  const u = rng(2), g = gaussian(u);
  const S = 4, n = 500, L = 40;
  const x = Float64Array.from({ length: n * S }, g);
  const r = run(x, S, L, () => 64, undefined, Int32Array.from([1, 0, 1, 0]));
  assert.equal(r.nGroups, 2);
  for (const lag of [0, 3, 40]) {
    const want = directLagSum(x, n, S, 1, lag) + directLagSum(x, n, S, 3, lag);
    assert.ok(Math.abs(r.sums[lag] - want) < 1e-10 * directLagSum(x, n, S, 1, 0));
  }
});

test('correlator matches the direct sum to 1e-9 relative on a 2^20-frame series (subset of lags)', () => {
  const u = rng(3), g = gaussian(u);
  const n = 1 << 20, L = 3000;
  const x = Float64Array.from({ length: n }, g);
  const r = run(x, 1, L, () => 65536);
  const lags = [0, 1, 2, 3, 7, 100, 1023, 1024, 2047, 2048, 2049, 2999, 3000];
  const e = maxRelError(x, 1, 0, r.sums, lags);
  assert.ok(e < 1e-9, `relative error ${e}`);
});

test('correlator stays accurate for lags far beyond one block (many lag groups), where one long FFT would not', () => {
  const u = rng(4), g = gaussian(u);
  const n = 1 << 17, L = 1 << 16;
  const x = Float64Array.from({ length: n }, g);
  const r = run(x, 1, L, () => 10000, 1024); // 65 lag groups
  const e = maxRelError(x, 1, 0, r.sums, [0, 1, 1023, 1024, 30000, 65535, 65536]);
  assert.ok(e < 1e-9, `relative error ${e}`);
});

test('correlator rejects bad use', () => {
  assert.throws(() => new BlockedCorrelator({ nSeries: 0, maxLag: 3 }), /nSeries/);
  assert.throws(() => new BlockedCorrelator({ nSeries: 1, maxLag: -1 }), /maxLag/);
  assert.throws(() => new BlockedCorrelator({ nSeries: 1, maxLag: 3, blockSize: 12 }), /power of two/);
  const c = new BlockedCorrelator({ nSeries: 1, maxLag: 3 });
  assert.throws(() => c.finish(), /no frames/);
});
