/**
 * Robustness of the Li3PS4 UF3 potential at high temperature (issue 3 §5, issue 4 melt-quench): NVT MD of the
 * 768-atom β-Li3PS4 cell (test/fixtures/ufp/beta768_bench.xyz) at each temperature (Bussi, τ = 100 fs, 1 fs
 * steps; at 1200–1500 K the crystal melts within a few ps), then the shortest distance of every element pair
 * over the run (frames every 50 fs) next to the shortest distance of that pair in the DFT data under data/dft
 * (the physically sensible minimum); the ratio MD/DFT must stay near or above 1. A contact below the
 * potential's lowest knot stops a run (reported). Minutes per temperature on 2 cores: a benchmark, not a test.
 * Environment: ROBUST_POTENTIAL (default data/models/li3ps4/li3ps4.uf3), ROBUST_T_K (default "900,1500"),
 * ROBUST_PS (default 30), ROBUST_THREADS (2), ROBUST_SEED (1), ROBUST_OUT (a temporary directory).
 */
import { join, resolve } from 'node:path';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir, loadavg } from 'node:os';
import { parseMDConfig } from '../src/md/config';
import { runMD } from '../src/md/run';
import { stderrProgress } from '../src/md/progress';
import { readFrames } from '../src/io/formats';
import { shortestDistances } from '../src/study/contacts';

const PAIRS = ['Li-Li', 'Li-P', 'Li-S', 'P-P', 'P-S', 'S-S'];
const key = (k: string) => k.split('-').sort((a, b) => ['Li', 'P', 'S'].indexOf(a) - ['Li', 'P', 'S'].indexOf(b)).join('-');

/** Shortest distance per element pair over every DeePMD system under data/dft (Å). */
function dftMinima(): Record<string, number> {
  const root = join(__dirname, '..', 'data', 'dft');
  const out: Record<string, number> = {};
  for (const set of readdirSync(root)) for (const sys of existsSync(join(root, set)) ? readdirSync(join(root, set)) : []) {
    const dir = join(root, set, sys);
    if (!existsSync(join(dir, 'type.raw'))) continue;
    for (const f of readFrames(dir, { format: 'deepmd' }))
      for (const [k, v] of Object.entries(shortestDistances(f, 3))) out[key(k)] = Math.min(out[key(k)] ?? Infinity, v);
  }
  return out;
}

async function main(): Promise<void> {
  const pot = resolve(process.env.ROBUST_POTENTIAL ?? join(__dirname, '..', 'data', 'models', 'li3ps4', 'li3ps4.uf3'));
  if (!existsSync(pot)) { console.log(`no potential at ${pot}: nothing to run`); return; }
  const temps = (process.env.ROBUST_T_K ?? '900,1500').split(',').map(Number);
  const ps = Number(process.env.ROBUST_PS ?? 30), threads = Number(process.env.ROBUST_THREADS ?? 2), seed = Number(process.env.ROBUST_SEED ?? 1);
  const out = process.env.ROBUST_OUT ?? mkdtempSync(join(tmpdir(), 'uf3robust-'));
  const dft = dftMinima();
  console.log(`potential ${pot}; ${ps} ps per temperature; output ${out}; load average ${loadavg().map((x) => x.toFixed(2)).join(' ')} (2-core machine shared: timings are noisy)`);
  const rows: string[] = [];
  for (const T of temps) {
    const dir = join(out, `T${T}K`);
    const cfg = parseMDConfig({
      structure: join(__dirname, '..', 'test', 'fixtures', 'ufp', 'beta768_bench.xyz'),
      potential: { file: pot }, timestepFs: 1, threads, seed, velocities: { temperatureK: T }, progressIntervalMs: 20000,
      stages: [{ name: 'nvt', steps: Math.round(ps * 1000), ensemble: 'nvt', temperatureK: T, thermostat: { type: 'bussi', tauFs: 100 } }],
      output: { directory: dir, thermo: { every: 100 }, trajectory: { every: 50, precision: 'f32' }, checkpoint: { every: 10000 }, overwrite: true },
    }, join(dir, 'md.json'));
    let stopped = '', speed = 0;
    try {
      const r = await runMD(cfg, { onProgress: stderrProgress(), log: (t) => process.stderr.write(t) });
      speed = r.katomStepsPerS as number;
    } catch (e) { stopped = (e as Error).message; }
    const md: Record<string, number> = {};
    let frames = 0;
    for (const f of readFrames(join(dir, 'trajectory.uftraj'))) {
      frames++;
      for (const [k, v] of Object.entries(shortestDistances(f, 3))) md[key(k)] = Math.min(md[key(k)] ?? Infinity, v);
    }
    console.log(`\n${T} K: ${((frames - 1) * 0.05).toFixed(1)} ps in the trajectory${stopped ? `; STOPPED: ${stopped}` : `; ${speed.toFixed(1)} katom-step/s`}`);
    console.log('  pair    DFT min (Å)   MD min (Å)   MD/DFT');
    for (const p of PAIRS) {
      const a = dft[p], b = md[p];
      console.log(`  ${p.padEnd(6)}  ${a?.toFixed(3).padStart(10) ?? '         -'}   ${b?.toFixed(3).padStart(10) ?? '         -'}   ${a && b ? (b / a).toFixed(3) : '-'}`);
    }
    rows.push(`${T} K: ${stopped ? 'stopped' : 'ran'} ${((frames - 1) * 0.05).toFixed(1)} ps, worst MD/DFT ${Math.min(...PAIRS.filter((p) => dft[p] && md[p]).map((p) => md[p] / dft[p])).toFixed(3)}`);
  }
  console.log('\nsummary: ' + rows.join('; '));
}

main().catch((e) => { console.error(e); process.exit(1); });
