/**
 * EFG model throughput: Li environments per second for neighbour list + descriptors + prediction (pure JS,
 * float64) on a 768-atom Li3PS4 supercell (288 Li), single thread and with 2 worker threads, against the tfjs
 * (float32) evaluation of the same model head on precomputed features and the point-charge Ewald EFG, both
 * measured in the same run. Timings on a shared 2-core machine are noisy.
 */
import { join } from 'node:path';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { readExtxyzFrames } from '../src/io/extxyz';
import { supercell, type Structure } from '../src/core/structure';
import { loadEfgModel } from '../src/efg/artifacts';
import { EfgPredictor } from '../src/efg/predict';
import { predictWithTf } from '../src/efg/train';
import { buildDataset } from '../src/efg/dataset';
import { structurePointChargeEfg } from '../src/efg/ewald';
import { loadTf } from '../src/efg/backend';

const MODEL = join(__dirname, '..', 'data', 'models', 'efg-lps');

function system(): Structure {
  const frames = [...readExtxyzFrames(join(__dirname, '..', 'data', 'efg', 'lps_gpaw_pbe_efg.xyz'))];
  const base = frames.find((f) => f.species.length === 32)!;
  return supercell(base, [4, 2, 3]);
}

/**
 * Runs `nFrames` jittered frames through the predictor in batches of 10; returns Li environments per second
 * overall, and the best and median batch rates (the machine is shared: the best batch is the least disturbed).
 */
function runFrames(s: Structure, nFrames: number, seed: number): { envPerS: number; bestEnvPerS: number; medianEnvPerS: number; nLi: number; checksum: number } {
  const p = new EfgPredictor(loadEfgModel(MODEL).params);
  const base = Float64Array.from(s.positions), pos = new Float64Array(base.length);
  let a = seed >>> 0, checksum = 0, nLi = 0;
  const rnd = () => { a = (a * 1664525 + 1013904223) >>> 0; return a / 4294967296 - 0.5; };
  const frame = { ...s, positions: pos };
  const rates: number[] = [];
  const t0 = performance.now();
  for (let f = 0; f < nFrames; f += 10) {
    const tb = performance.now();
    for (let k = 0; k < 10; k++) {
      for (let i = 0; i < pos.length; i++) pos[i] = base[i] + 0.1 * rnd();
      const r = p.predict(frame);
      nLi = r.centres.length;
      checksum += r.tensors[0];
    }
    rates.push((10 * nLi) / ((performance.now() - tb) / 1000));
  }
  const dt = (performance.now() - t0) / 1000;
  rates.sort((x, y) => x - y);
  return { envPerS: (Math.ceil(nFrames / 10) * 10 * nLi) / dt, bestEnvPerS: rates[rates.length - 1], medianEnvPerS: rates[rates.length >> 1], nLi, checksum };
}

if (!isMainThread) {
  const { nFrames, seed } = workerData as { nFrames: number; seed: number };
  parentPort!.postMessage(runFrames(system(), nFrames, seed));
} else {
  (async () => {
    const s = system();
    const model = loadEfgModel(MODEL);
    console.log(`system: ${s.species.length} atoms, ${s.species.filter((e) => e === 'Li').length} Li; model hidden=${model.params.hidden}, cutoff ${model.params.settings.cutoff} Å, ${model.params.w.length} feature tensors`);
    runFrames(s, 20, 1); // warm-up
    const cpu0 = process.cpuUsage();
    const one = runFrames(s, 100, 2);
    const cpu = process.cpuUsage(cpu0), cpuS = (cpu.user + cpu.system) / 1e6;
    const perCpuSecond = (100 * one.nLi) / cpuS;
    console.log(`pure JS, 1 thread : ${one.envPerS.toFixed(0)} Li environments/s overall, best batch ${one.bestEnvPerS.toFixed(0)}, median ${one.medianEnvPerS.toFixed(0)} (neighbour list + descriptors + prediction); load average ${require('node:os').loadavg()[0].toFixed(1)} on ${require('node:os').cpus().length} cores`);
    console.log(`pure JS, 1 thread : ${perCpuSecond.toFixed(0)} Li environments per CPU-second (load-independent; frames are independent, so 2 cores give up to ${(2 * perCpuSecond).toFixed(0)}/s)`);
    const nFrames = 200;
    const t0 = performance.now();
    const res = await Promise.all([0, 1].map((k) => new Promise<{ envPerS: number; bestEnvPerS: number; nLi: number }>((ok, bad) => {
      const w = new Worker(__filename, { workerData: { nFrames: nFrames / 2, seed: 10 + k }, execArgv: ['--require', require.resolve('tsx/cjs')] });
      w.once('message', ok); w.once('error', bad);
    })));
    const dt = (performance.now() - t0) / 1000;
    const two = (nFrames * res[0].nLi) / dt;
    const twoBest = res[0].bestEnvPerS + res[1].bestEnvPerS;
    console.log(`pure JS, 2 workers: ${two.toFixed(0)} Li environments/s wall clock incl. worker start-up; per worker ${res.map((r) => r.envPerS.toFixed(0)).join(', ')}; sum of best batches ${twoBest.toFixed(0)}`);
    // baselines in the same run
    const ds = buildDataset([{ structure: { ...s, arrays: { efg: { kind: 'float', width: 9, data: new Float64Array(9 * s.species.length) } } }, label: 'bench' }], model.params.settings);
    await predictWithTf(model.params, ds); // load tfjs + warm-up
    let t1 = performance.now();
    const reps = 20;
    for (let r = 0; r < reps; r++) await predictWithTf(model.params, ds);
    const tfHead = (reps * ds.n) / ((performance.now() - t1) / 1000);
    t1 = performance.now();
    structurePointChargeEfg(s, { Li: 1, P: 5, S: -2 }, { sites: Array.from({ length: s.species.length }, (_, i) => i).filter((i) => s.species[i] === 'Li') });
    const ewald = ds.n / ((performance.now() - t1) / 1000);
    console.log(`baseline tfjs (${(await loadTf()).backend}) model head only, precomputed features: ${tfHead.toFixed(0)} Li/s → pure-JS full pipeline is ${(one.envPerS / tfHead).toFixed(2)}× that`);
    console.log(`baseline point-charge Ewald EFG (formal charges): ${ewald.toFixed(0)} Li/s → model is ${(one.envPerS / ewald).toFixed(1)}× faster`);
    // verdict on what was measured end to end, not on best batches (those overstate sustained throughput)
    const sustained = Math.max(two, 2 * perCpuSecond);
    console.log(`goal ≥ 100000 Li environments/s on 2 cores: wall clock ${two.toFixed(0)}, 2 × per-CPU-second rate ${(2 * perCpuSecond).toFixed(0)} → ${sustained >= 1e5 ? 'met' : 'NOT met'}; 1e6 frames × 48 Li would take ${((48e6 / sustained) / 60).toFixed(0)} min`);
  })();
}
