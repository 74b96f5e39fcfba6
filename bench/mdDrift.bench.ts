/**
 * NVE energy drift with the trained Li3PS4 UF3 potential (issue 4 "Must show"): 768-atom β-Li3PS4,
 * Maxwell–Boltzmann at 600 K, 2 ps Bussi NVT equilibration, then 20 ps NVE at 1 fs; prints the drift of
 * the total energy (least-squares slope) in meV/atom per 10 ps (goal < 1) and the speed (ns/day).
 * The potential: $MD_DRIFT_POTENTIAL, else the first UF3 model for Li, P, S under data/models.
 * A long run (minutes): a benchmark, not a CI test. MD_DRIFT_PS / MD_DRIFT_THREADS change length/threads.
 */
import { join, resolve } from 'node:path';
import { existsSync, readdirSync } from 'node:fs';
import { loadavg } from 'node:os';
import { loadPotential, readModel } from '../src/ufp';
import { readStructure } from '../src/io';
import { createSystem, kineticEnergy, temperature } from '../src/md/system';
import { maxwellBoltzmann } from '../src/md/velocities';
import { Integrator } from '../src/md/integrators/integrator';
import { BussiThermostat } from '../src/md/thermostats/bussi';
import { bindCalculator } from '../src/md/parallel/parallelCalculator';
import { driftMeVPerAtomPer10ps } from '../src/md/drift';

function findModel(): string | undefined {
  if (process.env.MD_DRIFT_POTENTIAL) return resolve(process.env.MD_DRIFT_POTENTIAL);
  const dir = join(__dirname, '..', 'data', 'models');
  if (!existsSync(dir)) return undefined;
  for (const f of readdirSync(dir, { recursive: true }).map(String).filter((x) => /\.(uf3|json)$/i.test(x)).sort()) {
    try {
      const m = readModel(join(dir, f));
      if (['Li', 'P', 'S'].every((e) => m.elements.includes(e))) return join(dir, f);
    } catch { /* not a UF3 model */ }
  }
  return undefined;
}

async function main(): Promise<void> {
  const model = findModel();
  if (!model) {
    console.log('no trained Li3PS4 UF3 model found (data/models or $MD_DRIFT_POTENTIAL): nothing to measure');
    return;
  }
  const ps = Number(process.env.MD_DRIFT_PS ?? 20), threads = Number(process.env.MD_DRIFT_THREADS ?? 2);
  console.log(`potential ${model}; load average ${loadavg().map((x) => x.toFixed(2)).join(' ')} (2-core machine: timings are noisy)`);
  const s = readStructure(join(__dirname, '..', 'test', 'fixtures', 'ufp', 'beta768_bench.xyz'));
  const sys = createSystem(s, { velocities: new Float64Array(3 * s.species.length) });
  maxwellBoltzmann(sys, { temperatureK: 600, seed: 42 });
  const pot = loadPotential(model);
  const calc = bindCalculator(pot, sys.species, sys.pbc, threads);
  const nvt = new Integrator({ dtFs: 1, thermostat: new BussiThermostat({ temperatureK: 600, tauFs: 100, seed: 7 }) });
  nvt.prepare(sys, calc);
  for (let k = 0; k < 2000; k++) nvt.step(sys, calc);
  const nve = new Integrator({ dtFs: 1 });
  const steps = Math.round(ps * 1000);
  const t: number[] = [], e: number[] = [];
  let tSum = 0;
  const t0 = performance.now();
  for (let k = 0; k < steps; k++) {
    nve.step(sys, calc);
    if (k % 10 === 0) { t.push(sys.timeFs); e.push(sys.potentialEnergy + kineticEnergy(sys)); tSum += temperature(sys); }
  }
  const sec = (performance.now() - t0) / 1000;
  const drift = driftMeVPerAtomPer10ps(t, e, sys.masses.length);
  const fluct = Math.sqrt(e.reduce((a, x) => a + (x - e[0]) ** 2, 0) / e.length) * 1000 / sys.masses.length;
  console.log(`NVE ${ps} ps at 1 fs after 2 ps NVT at 600 K: ⟨T⟩ = ${(tSum / t.length).toFixed(1)} K`);
  console.log(`  total-energy drift ${drift.toExponential(3)} meV/atom per 10 ps (goal |drift| < 1); rms deviation ${fluct.toExponential(2)} meV/atom`);
  console.log(`  ${threads} thread(s): ${((steps * sys.masses.length) / sec / 1000).toFixed(1)} katom-step/s, ${((steps / sec) * 86400 / 1e6).toFixed(2)} ns/day`);
  await calc.dispose?.();
}

main().catch((e) => { console.error(e); process.exit(1); });
