/**
 * UF3 force-evaluation speed, one thread: bench_lps.uf3 (Li–P–S, 2+3-body) on the 768-atom β-Li3PS4
 * cell (test/fixtures/ufp). Prints katom-step/s of
 *   - the kernel alone (fixed neighbour list),
 *   - a Calculator in an MD-like loop (Verlet list with 1 Å skin, atoms moving a little every step),
 *   - the same on a 2×2×2 supercell (6144 atoms),
 * and, as the baseline measured in the same run, the naive evaluation (Cox–de Boor basis from the knots,
 * brute-force images; test/ufp/helpers/naive.ts). LAMMPS ML-UF3 does ≈ 160 katom-step/s on one idle core
 * of the project machine (≈ 100 with the other core busy). Timings are noisy when other work runs.
 */
import { join } from 'node:path';
import { loadavg } from 'node:os';
import { readModel, UF3Kernel, UF3Potential, speciesTypes } from '../src/ufp';
import { readExtxyzFrames } from '../src/io';
import { buildNeighborList } from '../src/core/neighbors';
import { supercell } from '../src/core/structure';
import { naiveEvaluate } from '../test/ufp/helpers/naive';
import { rng } from '../test/helpers/random';

const FIX = join(__dirname, '..', 'test', 'fixtures', 'ufp');
const model = readModel(join(FIX, 'bench_lps.uf3'));
const s = readExtxyzFrames(join(FIX, 'beta768_bench.xyz')).next().value!;
const n = s.species.length;

function median(xs: number[]): number {
  const a = [...xs].sort((p, q) => p - q);
  return a[Math.floor(a.length / 2)];
}

/** Seconds per call of fn, median over `rounds` rounds of `reps` calls after a warm-up. */
function timeIt(fn: () => void, reps: number, rounds = 7): number {
  for (let i = 0; i < Math.max(3, reps / 4); i++) fn();
  const t: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < reps; i++) fn();
    t.push(Number(process.hrtime.bigint() - t0) / 1e9 / reps);
  }
  return median(t);
}

console.log(`load average ${loadavg().map((x) => x.toFixed(2)).join(' ')} on ${require('node:os').cpus().length} cores (timings are noisy when others run)`);

// 1. kernel alone
const kernel = new UF3Kernel(model);
const types = speciesTypes(model, s.species);
const list = buildNeighborList(s.positions, s.cell, s.pbc, kernel.cutoff + 1, { full: true });
const f = new Float64Array(3 * n), w = new Float64Array(9);
let energy = 0;
const tKernel = timeIt(() => { f.fill(0); w.fill(0); energy = kernel.computeRange(0, n, s.positions, s.cell, types, list, f, w); }, 50);
console.log(`kernel (fixed list, ${n} atoms): ${(tKernel * 1e3).toFixed(2)} ms/step = ${(n / tKernel / 1e3).toFixed(0)} katom-step/s (${((tKernel / n) * 1e6).toFixed(2)} µs/atom-step); E = ${energy.toFixed(9)} eV (LAMMPS −599.562217302)`);

// 2. MD-like loop through the Calculator
function mdLoop(positions: Float64Array, cell: Float64Array, species: string[], steps: number): number {
  const calc = new UF3Potential(model, { skin: 1 }).bind(species, [true, true, true]);
  const x = Float64Array.from(positions);
  const u = rng(3);
  const out = { energy: 0, forces: new Float64Array(x.length), virial: new Float64Array(9) };
  const step = () => {
    for (let q = 0; q < x.length; q++) x[q] += 0.004 * (u() - 0.5);
    calc.compute(x, cell, out);
  };
  return timeIt(step, steps, 5);
}
const tMd = mdLoop(s.positions, s.cell, s.species, 40);
console.log(`calculator in an MD-like loop (Verlet skin 1 Å, ${n} atoms): ${(n / tMd / 1e3).toFixed(0)} katom-step/s`);
const big = supercell(s, [2, 2, 2]);
const tBig = mdLoop(big.positions, big.cell, big.species, 6);
console.log(`calculator in an MD-like loop (${big.species.length} atoms): ${(big.species.length / tBig / 1e3).toFixed(0)} katom-step/s`);

// 3. baseline: naive evaluation, same run
const t0 = process.hrtime.bigint();
const ref = naiveEvaluate(model, s.species, s.positions, s.cell);
const tNaive = Number(process.hrtime.bigint() - t0) / 1e9;
console.log(`baseline naive evaluation: ${(tNaive * 1e3).toFixed(0)} ms/step = ${(n / tNaive / 1e3).toFixed(2)} katom-step/s (E = ${ref.energy.toFixed(9)} eV)`);
console.log(`ratio kernel / naive: ${(tNaive / tKernel).toFixed(0)}×; kernel vs LAMMPS ML-UF3 reference 160 katom-step/s: ${(n / tKernel / 1e3 / 160).toFixed(2)}×`);
