/**
 * UF3 fit speed: featurize + solve time of the full Li3PS4 fit (data/models/li3ps4/fit.json with its
 * chosen basis and settings, no scan) on all cores, and as the baseline in the same run the featurization
 * of a 10% subset on one thread versus all threads (the parallel speed-up). Prints seconds, frames/s and
 * columns. Timings are noisy when other work shares the machine.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cpus, loadavg } from 'node:os';
import { runFit, FitConfig } from '../src/ufp/fit/fit';

async function main(): Promise<void> {
  const dir = join(__dirname, '..', 'data', 'models', 'li3ps4');
  const cfg = JSON.parse(readFileSync(join(dir, 'fit.json'), 'utf8')) as FitConfig;
  let chosen: Partial<FitConfig> = {};
  try {
    const m = JSON.parse(readFileSync(join(dir, 'li3ps4.metrics.json'), 'utf8'));
    chosen = { basis: { twoBody: m.basis.spec.twoBody, threeBody: m.basis.spec.threeBody, trims: m.basis.spec.trims }, solve: m.settings };
  } catch { /* not fitted yet: the config's default basis */ }
  const base: FitConfig = { ...cfg, ...chosen, scan: undefined, output: undefined };
  console.log(`load average ${loadavg().map((x) => x.toFixed(2)).join(' ')} on ${cpus().length} cores (timings are noisy when others run)`);
  const full = await runFit(base, dir);
  const nTrain = full.frames.train.length;
  const feat = Object.values(full.timing.featurizeS)[0];
  console.log(`full fit: ${nTrain} training frames, ${full.basis.nColumns} columns, ${full.timing.threads} threads: featurize ${feat.toFixed(1)} s (${(nTrain / feat).toFixed(2)} frames/s), solve ${full.timing.solveS.toFixed(1)} s, total ${full.timing.totalS.toFixed(1)} s`);
  console.log(`  validation: ${Object.entries(full.validation).map(([k, v]) => `${k} ${v.energyRmseMeV.toFixed(1)} meV/atom ${v.forceRmse.toFixed(3)} eV/Å`).join('; ')}`);
  // baseline: a 10% subset featurized on one thread and on all threads
  const sub: FitConfig = { ...base, data: base.data.map((d) => ({ ...d, count: 20 })), split: { validationFraction: 0 } };
  const one = await runFit({ ...sub, threads: 1 }, dir);
  const all = await runFit({ ...sub, threads: cpus().length }, dir);
  const t1 = Object.values(one.timing.featurizeS)[0], tn = Object.values(all.timing.featurizeS)[0];
  console.log(`baseline (${one.frames.train.length} frames): featurize 1 thread ${t1.toFixed(1)} s, ${cpus().length} threads ${tn.toFixed(1)} s → speed-up ${(t1 / tn).toFixed(2)}×`);
}

main().catch((e) => { console.error(e); process.exit(1); });
