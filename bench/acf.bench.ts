/**
 * Streaming powder ACF of a 1,000,000-frame × 48-Li EFG tensor series (float64, 3.5 GB on disk): the series is
 * generated to a temporary .npy by streaming (Markov site tensors with hops + noise), then read back chunk by
 * chunk by acfFromNpy. Prints wall and CPU time, throughput and peak memory (RSS sampled per chunk and the
 * process maximum). Baseline in the same run: the direct O(N·L) lag sum, timed on one Li series for a few lags
 * and extrapolated to all series and lags. Accuracy spot check: direct sums for Li 0 at a few lags.
 * Options (env): ACF_BENCH_FRAMES (default 1e6), ACF_BENCH_LI (48), ACF_BENCH_MAXLAG (2000 frames),
 * ACF_BENCH_CHUNK (4096 frames), ACF_BENCH_DIR (temp dir).
 * Timings are noisy: a 2-core machine shared with other jobs.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NpyWriter, NpyRowReader } from '../src/io/npy';
import { acfFromNpy } from '../src/nmr/acfNpy';
import { irreducibleComponents } from '../src/nmr/quadrupolar';
import { rng, gaussian } from '../test/helpers/random';
import { orthogonalClassTensors } from '../test/helpers/markovJump';

const N = Number(process.env.ACF_BENCH_FRAMES ?? 1_000_000);
const NLI = Number(process.env.ACF_BENCH_LI ?? 48);
const MAXLAG = Number(process.env.ACF_BENCH_MAXLAG ?? 2000);
const CHUNK = Number(process.env.ACF_BENCH_CHUNK ?? 4096);
const DT_FS = 10;
const HOP_PROB = 0.002; // per frame → Γ = 0.2/ps

const mb = (b: number) => (b / 2 ** 20).toFixed(0);
const dir = mkdtempSync(join(process.env.ACF_BENCH_DIR ?? tmpdir(), 'ufnmr-acf-bench-'));
const path = join(dir, 'series.npy');
try {
  // 1. generate by streaming
  const u = rng(1), g = gaussian(u);
  const classes = orthogonalClassTensors(1);
  const cls = Int32Array.from({ length: NLI }, () => Math.floor(u() * 3));
  const w = new NpyWriter(path, { dtype: 'float64', rowShape: [NLI, 3, 3] });
  const buf = new Float64Array(CHUNK * NLI * 9);
  let t0 = performance.now();
  for (let f0 = 0; f0 < N; f0 += CHUNK) {
    const n = Math.min(CHUNK, N - f0);
    for (let f = 0; f < n; f++) for (let i = 0; i < NLI; i++) {
      if (u() < HOP_PROB) cls[i] = Math.floor(u() * 3);
      const o = (f * NLI + i) * 9, c = 9 * cls[i];
      const a = 0.2 * g(), b = 0.2 * g(), xy = 0.2 * g();
      for (let q = 0; q < 9; q++) buf[o + q] = classes[c + q];
      buf[o] += a; buf[o + 4] += b; buf[o + 8] -= a + b; buf[o + 1] += xy; buf[o + 3] += xy;
    }
    w.append(buf.subarray(0, n * NLI * 9));
  }
  w.close();
  const genS = (performance.now() - t0) / 1000;
  console.log(`generated ${N} frames × ${NLI} Li × 9 float64 (${mb(N * NLI * 72)} MiB) in ${genS.toFixed(1)} s`);

  // 2. stream back: powder ACF
  let peakRss = process.memoryUsage().rss;
  const rss0 = peakRss;
  t0 = performance.now();
  const c0 = process.cpuUsage();
  const r = acfFromNpy(path, {
    dtFs: DT_FS, maxLagFrames: MAXLAG, chunkFrames: CHUNK,
    progress: () => { peakRss = Math.max(peakRss, process.memoryUsage().rss); },
  });
  const wallS = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(c0);
  const cpuS = (cpu.user + cpu.system) / 1e6;
  console.log(`powder ACF, max lag ${MAXLAG} frames, chunk ${CHUNK} frames: wall ${wallS.toFixed(1)} s, CPU ${cpuS.toFixed(1)} s, ` +
    `${((N * NLI) / wallS / 1e6).toFixed(2)} M Li-frames/s`);
  console.log(`memory: RSS before ${mb(rss0)} MiB, peak during streaming ${mb(peakRss)} MiB, process max RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB ` +
    `(series on disk ${mb(N * NLI * 72)} MiB)`);
  console.log(`C(0.1 ps) = ${r.acf[10].toFixed(5)}, C(5 ps) = ${r.acf[500].toFixed(5)}, C(${(MAXLAG * DT_FS / 1000).toFixed(0)} ps) = ${r.acf[MAXLAG].toFixed(5)}`);

  // 3. baseline and accuracy: direct sums for Li 0 (5 irreducible components) at a few lags
  const reader = new NpyRowReader(path);
  const v = new Float64Array(5 * N);
  for (let f0 = 0; f0 < N; f0 += CHUNK) {
    const n = Math.min(CHUNK, N - f0);
    const rows = reader.read(f0, n).data as Float64Array;
    for (let f = 0; f < n; f++) irreducibleComponents(rows, f * NLI * 9, 1, v, 5 * (f0 + f));
  }
  reader.close();
  const lags = [0, 1, 10, 500, MAXLAG];
  t0 = performance.now();
  const direct = lags.map((lag) => {
    let s = 0;
    for (let t = 0; t + lag < N; t++) for (let m = 0; m < 5; m++) s += v[5 * t + m] * v[5 * (t + lag) + m];
    return s;
  });
  const directS = (performance.now() - t0) / 1000;
  const fullDirectS = (directS / lags.length) * (MAXLAG + 1) * NLI;
  let err = 0;
  lags.forEach((lag, k) => { err = Math.max(err, Math.abs(r.perLiSums[lag] - direct[k]) / direct[0]); });
  console.log(`accuracy (Li 0 vs direct sum, ${lags.length} lags): max |Δ|/S(0) = ${err.toExponential(2)}`);
  console.log(`baseline direct O(N·L) sum: ${(directS / lags.length).toFixed(3)} s per lag per Li → ${(fullDirectS / 3600).toFixed(2)} h extrapolated ` +
    `for ${MAXLAG + 1} lags × ${NLI} Li; speed-up of the blocked FFT ${(fullDirectS / wallS).toFixed(0)}×`);
  console.log('(timings noisy: 2-core machine shared with other jobs)');
} finally {
  rmSync(dir, { recursive: true, force: true });
}
