/**
 * MD engine speed on the bench case (768-atom β-Li3PS4, bench_lps.uf3, NVE, 0.5 fs): katom-step/s of the
 * full MD step (integrator + Verlet-list upkeep + forces) with 1 thread (the baseline, measured in the same
 * run) and 2 threads (ratio to 1 thread; goal ≥ 1.7×). LAMMPS ML-UF3 serial does ≈ 160 katom-step/s on an
 * idle core of the project machine (≈ 100 with the other core busy). Also ns/day at 1 fs for 768-atom
 * β-LPS with the trained Li3PS4 potential when data/models has one (else with the bench potential).
 * Range balance (load-independent): the thread ranges chosen from the kernel's deterministic per-atom costs,
 * and each range's serial time, measured interleaved on one thread, for the bench cell and for the same cell
 * with its atoms listed element by element (where equal atom counts are unequal work).
 * Timings are noisy when other work runs on the 2-core machine: the load average is printed; on a busy
 * machine the 2-thread ratio measures the machine, not the code (the range balance does not).
 * Usage: npm run bench -- md.bench   (MD_BENCH_STEPS=… to change the number of timed steps)
 */
import { join } from 'node:path';
import { existsSync, readdirSync } from 'node:fs';
import { loadavg } from 'node:os';
import { loadPotential } from '../src/ufp';
import { readExtxyzFrames } from '../src/io';
import type { Potential } from '../src/core/potential';
import type { Structure } from '../src/core/structure';
import { createSystem } from '../src/md/system';
import { maxwellBoltzmann } from '../src/md/velocities';
import { Integrator } from '../src/md/integrators/integrator';
import { bindCalculator, ParallelCalculator, isParallelizable } from '../src/md/parallel/parallelCalculator';
import type { RangeKernel } from '../src/md/parallel/kernel';
import { createStructure } from '../src/core/structure';

const FIX = join(__dirname, '..', 'test', 'fixtures', 'ufp');
/** Steps per timed round (the random bench potential heats the system, so rounds restart from step 0). */
const STEPS = Number(process.env.MD_BENCH_STEPS ?? 90);
const ROUNDS = Number(process.env.MD_BENCH_ROUNDS ?? 7);
const structure = readExtxyzFrames(join(FIX, 'beta768_bench.xyz')).next().value as Structure;
const n = structure.species.length;

/** Wall-time split of the last parallel run, and the best round of each run (the best approaches an idle machine). */
let lastTimings: ReturnType<ParallelCalculator['timings']> | undefined;
const best: Record<string, number> = {};

/** katom-step/s of `steps` NVE steps from the start structure at 300 K, median of ROUNDS rounds (after one warm-up round). */
async function mdRate(p: Potential, threads: number, dtFs: number, steps: number): Promise<number> {
  const sys = createSystem(structure, { masses: { Li: 6.94, P: 30.974, S: 32.06 } });
  maxwellBoltzmann(sys, { temperatureK: 300, seed: 1 });
  const x0 = Float64Array.from(sys.positions), v0 = Float64Array.from(sys.velocities);
  const calc = bindCalculator(p, sys.species, sys.pbc, threads);
  const integ = new Integrator({ dtFs });
  const rates: number[] = [];
  for (let r = 0; r <= ROUNDS; r++) {
    sys.positions.set(x0); sys.velocities.set(v0);
    integ.prepare(sys, calc);
    const t0 = process.hrtime.bigint();
    for (let s = 0; s < steps; s++) integ.step(sys, calc);
    const sec = Number(process.hrtime.bigint() - t0) / 1e9;
    if (r > 0) rates.push((n * steps) / sec / 1000);
  }
  lastTimings = calc instanceof ParallelCalculator ? calc.timings() : undefined;
  best[`${threads}/${dtFs}`] = Math.max(...rates);
  await calc.dispose?.();
  return rates.sort((a, b) => a - b)[Math.floor(rates.length / 2)];
}

/** The structure with its atoms listed element by element (Li, then P, then S). */
function sortedBySpecies(s: Structure): Structure {
  const order = Array.from(s.species.keys()).sort((a, b) => s.species[a].localeCompare(s.species[b]) || a - b);
  return createStructure({ species: order.map((i) => s.species[i]), positions: Float64Array.from(order.flatMap((i) => [s.positions[3 * i], s.positions[3 * i + 1], s.positions[3 * i + 2]])), cell: s.cell, pbc: s.pbc });
}

/**
 * Serial time (ms) of each range of `bounds` on one kernel, interleaved (range 0, range 1, range 0, …) so that load
 * changes hit all ranges alike; the lower quartile of 60 repetitions.
 */
function rangeTimes(kernel: RangeKernel, s: Structure, bounds: number[]): number[] {
  const f = new Float64Array(3 * kernel.natoms), w = new Float64Array(9), t: number[][] = bounds.slice(1).map(() => []);
  kernel.prepare(s.positions, s.cell);
  for (let rep = 0; rep < 70; rep++)
    for (let r = 0; r + 1 < bounds.length; r++) {
      const t0 = process.hrtime.bigint();
      kernel.computeRange(s.positions, s.cell, bounds[r], bounds[r + 1], f, w);
      if (rep >= 10) t[r].push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
  return t.map((v) => v.sort((a, b) => a - b)[v.length >> 2]);
}

/** Prints the cost-balanced 2-thread split of a structure against the equal-count split (serial range times). */
async function rangeBalance(p: Potential, s: Structure, label: string): Promise<void> {
  if (!isParallelizable(p)) return;
  const spec = p.kernelSpec(s.species, s.pbc);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const kernel = (require(spec.module) as Record<string, (d: unknown) => RangeKernel>)[spec.factory](spec.data);
  const par = new ParallelCalculator(spec, { threads: 2 });
  par.compute(s.positions, s.cell); // chooses the ranges from the kernel's per-atom costs
  const cost = par.getBounds(), equal = [0, s.species.length >> 1, s.species.length];
  await par.dispose();
  const show = (b: number[]) => {
    const t = rangeTimes(kernel, s, b), sum = t[0] + t[1], worst = Math.max(...t);
    return `[${b.join(', ')}] ${t.map((x) => x.toFixed(3)).join(' | ')} ms → imbalance ${((worst / (sum / 2) - 1) * 100).toFixed(1)}%, ideal 2-thread ratio ${(sum / worst).toFixed(2)}×`;
  };
  console.log(`  ${label}: cost-balanced ranges ${show(cost)}`);
  console.log(`  ${' '.repeat(label.length)}  equal atom counts   ${show(equal)}`);
}

function trainedModel(): string | undefined {
  const dir = join(__dirname, '..', 'data', 'models');
  if (!existsSync(dir)) return undefined;
  const f = readdirSync(dir, { recursive: true }).map(String).find((x) => /li3ps4.*\.uf3$/i.test(x) || /lps.*\.uf3$/i.test(x));
  return f ? join(dir, f) : undefined;
}

async function main(): Promise<void> {
  console.log(`load average ${loadavg().map((x) => x.toFixed(2)).join(' ')} on a machine with 2 cores (timings are noisy when it is busy)`);
  const bench = loadPotential(join(FIX, 'bench_lps.uf3'));
  const one = await mdRate(bench, 1, 0.5, STEPS);
  const two = await mdRate(bench, 2, 0.5, STEPS);
  console.log(`bench case (768 atoms, bench_lps.uf3, NVE 0.5 fs), full MD step:`);
  console.log(`  1 thread : ${one.toFixed(1)} katom-step/s   (baseline; LAMMPS ML-UF3 serial ≈ 160 idle, ≈ 100 busy → ratio ${(one / 160).toFixed(2)} of idle LAMMPS)`);
  console.log(`  2 threads: ${two.toFixed(1)} katom-step/s   ratio to 1 thread ${(two / one).toFixed(2)}× (goal ≥ 1.7×)`);
  const b1 = best['1/0.5'], b2 = best['2/0.5'];
  console.log(`  best rounds: 1 thread ${b1.toFixed(1)}, 2 threads ${b2.toFixed(1)} katom-step/s, ratio ${(b2 / b1).toFixed(2)}× (medians above)`);
  if (lastTimings) {
    const t = lastTimings, e = t.evaluations;
    console.log(`  2-thread wall time per force call: main's own range ${(t.mainBusyMs / e).toFixed(3)} ms, worker's range ${(t.workerBusyMs[0] / e).toFixed(3)} ms, main waiting ${(t.waitMs / e).toFixed(3)} ms, whole call ${(t.totalMs / e).toFixed(3)} ms (serial step ${(n / one).toFixed(3)} ms)`);
  }
  console.log('range balance (serial time of each thread range, interleaved on one thread; independent of load):');
  await rangeBalance(bench, structure, 'bench cell, file order');
  await rangeBalance(bench, sortedBySpecies(structure), 'bench cell, element by element');
  const trained = trainedModel();
  const pot = trained ? loadPotential(trained) : bench;
  const label = trained ? `trained potential ${trained}` : 'bench potential (no trained Li3PS4 model in data/models yet)';
  const nsDay: number[] = [];
  for (const threads of [1, 2]) {
    const r = await mdRate(pot, threads, 1.0, STEPS);
    const stepsPerS = (r * 1000) / n;
    nsDay.push((stepsPerS * 86400) / 1e6);
    console.log(`768-atom β-LPS, ${label}, 1 fs, ${threads} thread(s): ${r.toFixed(1)} katom-step/s = ${nsDay[nsDay.length - 1].toFixed(2)} ns/day (median of ${ROUNDS} rounds; best round ${best[`${threads}/1`].toFixed(1)} katom-step/s = ${((best[`${threads}/1`] * 1000 * 86400) / n / 1e6).toFixed(2)} ns/day)`);
  }
  console.log(`ns/day, 768-atom β-LPS at 1 fs: ${nsDay[0].toFixed(2)} (1 thread), ${nsDay[1].toFixed(2)} (2 threads, ${(nsDay[1] / nsDay[0]).toFixed(2)}×); load average ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
}

main().catch((e) => { console.error(e); process.exit(1); });
