/**
 * MD engine speed on the bench case (768-atom β-Li3PS4, bench_lps.uf3, NVE, 0.5 fs): katom-step/s of the
 * full MD step (integrator + Verlet-list upkeep + forces) with 1 thread (the baseline, measured in the same
 * run) and 2 threads (ratio to 1 thread; goal ≥ 1.7×). LAMMPS ML-UF3 serial does ≈ 160 katom-step/s on an
 * idle core of the project machine (≈ 100 with the other core busy). Also ns/day at 1 fs for 768-atom
 * β-LPS with the trained Li3PS4 potential when data/models has one (else with the bench potential).
 * Timings are noisy when other work runs on the 2-core machine: the load average is printed.
 * Usage: npm run bench -- md   (MD_BENCH_STEPS=… to change the number of timed steps)
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
import { bindCalculator, ParallelCalculator } from '../src/md/parallel/parallelCalculator';

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
  const trained = trainedModel();
  const pot = trained ? loadPotential(trained) : bench;
  const label = trained ? `trained potential ${trained}` : 'bench potential (no trained Li3PS4 model in data/models yet)';
  for (const threads of [1, 2]) {
    const r = await mdRate(pot, threads, 1.0, STEPS);
    const stepsPerS = (r * 1000) / n;
    console.log(`768-atom β-LPS, ${label}, 1 fs, ${threads} thread(s): ${r.toFixed(1)} katom-step/s = ${((stepsPerS * 86400) / 1e6).toFixed(2)} ns/day`);
  }
}

main().catch((e) => { console.error(e); process.exit(1); });
