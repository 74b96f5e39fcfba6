/**
 * Neighbour-list build time (cell lists) for 1k, 10k, 100k atoms at Li3PS4 density (0.04 atoms/Å³)
 * with a 6 Å cutoff in a skewed triclinic cell; fitted scaling exponent (should be ≈ 1); brute force
 * O(N²) minimum-image search at 1k as the baseline; bin-size variants at 100k.
 */
import { NeighborListBuilder, VerletNeighborList } from '../src/core/neighbors';
import { fractionalToCartesian } from '../src/core/cell';
import { rng, randomTriclinicCell } from '../test/helpers/random';

const RHO = 0.04, RC = 6;

function system(n: number, seed: number, skew = 0.3) {
  const u = rng(seed);
  const raw = randomTriclinicCell(u, n / RHO, skew);
  const vol = Math.abs(raw[0] * (raw[4] * raw[8] - raw[5] * raw[7]) - raw[1] * (raw[3] * raw[8] - raw[5] * raw[6]) + raw[2] * (raw[3] * raw[7] - raw[4] * raw[6]));
  const cell = raw.map((x) => x * Math.cbrt(n / RHO / vol)); // exactly n/ρ Å³
  const pos = fractionalToCartesian(cell, Float64Array.from({ length: 3 * n }, () => u()));
  return { cell, pos };
}

/** Fastest CPU time (ms, user + system) of `reps` calls after three warm-up calls (least disturbed by other jobs). */
function time(fn: () => void, reps: number): number {
  for (let w = 0; w < 3; w++) fn();
  let best = Infinity;
  for (let r = 0; r < reps; r++) {
    const c0 = process.cpuUsage();
    fn();
    const c = process.cpuUsage(c0);
    best = Math.min(best, (c.user + c.system) / 1000);
  }
  return best;
}

function bruteForce(pos: Float64Array, cell: Float64Array, rc: number): number {
  // minimum image by rounding fractional differences (exact: every width > 2·rc here)
  const n = pos.length / 3, hi = invert(cell);
  let count = 0;
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      if (i === j) continue;
      let dx = pos[3 * j] - pos[3 * i], dy = pos[3 * j + 1] - pos[3 * i + 1], dz = pos[3 * j + 2] - pos[3 * i + 2];
      const f0 = Math.round(dx * hi[0] + dy * hi[3] + dz * hi[6]), f1 = Math.round(dx * hi[1] + dy * hi[4] + dz * hi[7]), f2 = Math.round(dx * hi[2] + dy * hi[5] + dz * hi[8]);
      dx -= f0 * cell[0] + f1 * cell[3] + f2 * cell[6];
      dy -= f0 * cell[1] + f1 * cell[4] + f2 * cell[7];
      dz -= f0 * cell[2] + f1 * cell[5] + f2 * cell[8];
      if (dx * dx + dy * dy + dz * dz < rc * rc) count++;
    }
  return count;
}

function invert(m: Float64Array): Float64Array {
  const d = m[0] * (m[4] * m[8] - m[5] * m[7]) - m[1] * (m[3] * m[8] - m[5] * m[6]) + m[2] * (m[3] * m[7] - m[4] * m[6]);
  return Float64Array.from([
    (m[4] * m[8] - m[5] * m[7]) / d, (m[2] * m[7] - m[1] * m[8]) / d, (m[1] * m[5] - m[2] * m[4]) / d,
    (m[5] * m[6] - m[3] * m[8]) / d, (m[0] * m[8] - m[2] * m[6]) / d, (m[2] * m[3] - m[0] * m[5]) / d,
    (m[3] * m[7] - m[4] * m[6]) / d, (m[1] * m[6] - m[0] * m[7]) / d, (m[0] * m[4] - m[1] * m[3]) / d,
  ]);
}

console.log(`neighbour lists: density ${RHO} atoms/Å³, cutoff ${RC} Å, random positions, skewed triclinic cell`);
console.log('(2-core machine shared with other jobs: timings are noisy; fastest CPU time of several builds)');
const sizes = [1000, 10000, 100000];
const fullMs: number[] = [];
for (const n of sizes) {
  const { cell, pos } = system(n, n);
  const b = new NeighborListBuilder();
  const reps = n >= 100000 ? 5 : 15;
  const tf = time(() => b.build(pos, cell, [true, true, true], RC), reps);
  const entries = b.build(pos, cell, [true, true, true], RC).index.length;
  const th = time(() => b.build(pos, cell, [true, true, true], RC, { full: false }), reps);
  fullMs.push(tf);
  console.log(`N=${String(n).padStart(6)}  full ${tf.toFixed(2).padStart(8)} ms (${(entries / n).toFixed(1)} neighbours/atom, ${((tf * 1e6) / n).toFixed(0)} ns/atom)   half ${th.toFixed(2).padStart(8)} ms`);
}
// least-squares slope of log t against log N
const lx = sizes.map(Math.log), ly = fullMs.map(Math.log);
const mx = lx.reduce((a, b) => a + b) / 3, my = ly.reduce((a, b) => a + b) / 3;
const slope = lx.reduce((s, x, k) => s + (x - mx) * (ly[k] - my), 0) / lx.reduce((s, x) => s + (x - mx) ** 2, 0);
console.log(`fitted scaling exponent (full list, 1k→100k): ${slope.toFixed(3)}`);

{
  const { cell, pos } = system(1000, 1000);
  const b = new NeighborListBuilder();
  const tc = time(() => b.build(pos, cell, [true, true, true], RC), 15);
  let bf = 0;
  const tb = time(() => { bf = bruteForce(pos, cell, RC); }, 5);
  const cl = b.build(pos, cell, [true, true, true], RC).index.length;
  console.log(`baseline N=1000: brute force O(N²) ${tb.toFixed(2)} ms (${bf} pairs), cell list ${tc.toFixed(2)} ms (${cl} pairs): speed-up ×${(tb / tc).toFixed(1)}`);
}

{
  const row = (skew: number) => {
    const { cell, pos } = system(100000, 100000, skew);
    const b = new NeighborListBuilder();
    const parts = [1, 1.5, 2, 3].map((k) => `${k}: ${time(() => b.build(pos, cell, [true, true, true], RC, { binsPerCutoff: k }), 3).toFixed(0)} ms`);
    const def = time(() => b.build(pos, cell, [true, true, true], RC), 3);
    console.log(`N=100000, cell skew ${skew}: default ${def.toFixed(0)} ms; by bins per cutoff ${parts.join(', ')}`);
    return { cell, pos };
  };
  row(1.5);
  const { cell, pos } = row(0.3);
  // Verlet list with a 1 Å skin: cost of a no-rebuild update (displacement check only)
  const vl = new VerletNeighborList(RC, 1);
  vl.update(pos, cell, [true, true, true]);
  const tu = time(() => vl.update(pos, cell, [true, true, true]), 20);
  const mem = process.memoryUsage();
  console.log(`N=100000 Verlet update without rebuild: ${tu.toFixed(3)} ms; heap used ${(mem.heapUsed / 2 ** 20).toFixed(0)} MiB, array buffers ${(mem.arrayBuffers / 2 ** 20).toFixed(0)} MiB, rss ${(mem.rss / 2 ** 20).toFixed(0)} MiB`);
}
