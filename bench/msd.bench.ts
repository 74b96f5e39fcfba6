/**
 * MSD benchmark (issue 6): 1,000,000 frames × 384 Li streamed through the FFT MSD accumulator (lags up to
 * 4096 frames), frames generated on the fly as a random walk (nothing held but the accumulator's state),
 * printing time, throughput and memory; plus a baseline: the direct O(N·L) MSD against the FFT one on a
 * small case, timed in the same run and checked for agreement.
 * Usage: npm run bench -- msd        (MSD_FRAMES=200000 for a shorter run)
 */
import { MsdAccumulator } from '../src/dynamics/msd';
import { fitDiffusion } from '../src/dynamics/diffusion';

const FRAMES = Number(process.env.MSD_FRAMES ?? 1_000_000);
const N_LI = 384, MAX_LAG = 4096, DT_FS = 10, SIGMA = 0.02; // Å per component per frame (uniform steps with this σ)

/** xorshift32 uniform in [0, 1). */
function uniform(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => { s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0; return s / 4294967296; };
}

function direct(frames: Float64Array, n: number, N: number, L: number): Float64Array {
  const out = new Float64Array(L + 1);
  for (let m = 1; m <= L; m++) {
    let s = 0;
    for (let k = 0; k + m < N; k++) {
      const a = (k + m) * 3 * n, b = k * 3 * n;
      for (let c = 0; c < 3 * n; c++) { const d = frames[a + c] - frames[b + c]; s += d * d; }
    }
    out[m] = s / ((N - m) * n);
  }
  return out;
}

console.log('(2-core machine shared with other jobs: timings are noisy)');
{
  // baseline: direct O(N·L) vs FFT on 8 atoms × 20000 frames, lags to 1024
  const n = 8, N = 20000, L = 1024, u = uniform(7), h = SIGMA * Math.sqrt(3);
  const frames = new Float64Array(N * 3 * n);
  for (let f = 1; f < N; f++) for (let c = 0; c < 3 * n; c++) frames[f * 3 * n + c] = frames[(f - 1) * 3 * n + c] + h * (2 * u() - 1);
  let t0 = performance.now();
  const ref = direct(frames, n, N, L);
  const tDirect = performance.now() - t0;
  t0 = performance.now();
  const acc = new MsdAccumulator(n, { maxLag: L });
  for (let f = 0; f < N; f++) acc.push(frames.subarray(f * 3 * n, (f + 1) * 3 * n));
  const r = acc.finish();
  const tFft = performance.now() - t0;
  let worst = 0;
  for (let m = 1; m <= L; m++) worst = Math.max(worst, Math.abs(r.groups[0].msd[m] - ref[m]) / ref[m]);
  console.log(`baseline (8 atoms × ${N} frames, lags ≤ ${L}): direct ${tDirect.toFixed(0)} ms, FFT ${tFft.toFixed(0)} ms: ×${(tDirect / tFft).toFixed(1)}; max relative difference ${worst.toExponential(2)}`);
}

{
  const u = uniform(11), h = SIGMA * Math.sqrt(3);
  const pos = new Float64Array(3 * N_LI);
  for (let c = 0; c < 3 * N_LI; c++) pos[c] = 30 * u();
  const acc = new MsdAccumulator(N_LI, { maxLag: MAX_LAG });
  const t0 = performance.now();
  let peakRss = 0;
  for (let f = 0; f < FRAMES; f++) {
    if (f > 0) for (let c = 0; c < 3 * N_LI; c++) pos[c] += h * (2 * u() - 1);
    acc.push(pos);
    if (f % 100000 === 0) {
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
      if (f > 0) process.stderr.write(`  ${f} frames, ${((performance.now() - t0) / 1000).toFixed(0)} s\n`);
    }
  }
  const r = acc.finish();
  const t = (performance.now() - t0) / 1000;
  const lagPs = Float64Array.from({ length: MAX_LAG + 1 }, (_, m) => (m * DT_FS) / 1000);
  const fit = fitDiffusion(lagPs, r.groups[0].msd, { perAtom: { data: r.perAtom, nAtoms: N_LI } });
  const dTrue = (SIGMA * SIGMA) / (2 * (DT_FS / 1000));
  const mem = process.memoryUsage();
  peakRss = Math.max(peakRss, mem.rss);
  console.log(`MSD ${FRAMES} frames × ${N_LI} Li, lags ≤ ${MAX_LAG} frames: ${t.toFixed(1)} s (${(FRAMES / t).toFixed(0)} frames/s), peak RSS ${(peakRss / 2 ** 20).toFixed(0)} MiB (accumulator state is set by the lag range and the atom count, not by the frame count); max RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`);
  console.log(`  D = ${fit.dA2PerPs.toExponential(4)} ± ${fit.errA2PerPs.toExponential(2)} Å²/ps (random walk: ${dTrue.toExponential(4)}); ratio ${(fit.dA2PerPs / dTrue).toFixed(4)}`);
}
