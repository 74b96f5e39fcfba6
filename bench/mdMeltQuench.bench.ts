/**
 * Melt-quench of Li3PS4 with the trained UF3 potential (issue 4 §6): 768-atom β-Li3PS4 (test/fixtures/ufp),
 * heat 300 → T_melt, hold, quench to 300 K at a set rate, anneal, NPT at 0 GPa; prints the final density
 * (second half of the NPT stage) next to the experimental glass density (≈ 1.8–1.9 g/cm³) and the speed.
 * Runs through the same code path as `ufnmr md` (parseMDConfig + runMD). Minutes of work: a benchmark, not a
 * test. Environment: MQ_POTENTIAL (default: first Li–P–S UF3 model under data/models), MQ_MELT_K (1200),
 * MQ_RATE_K_PER_PS (20), MQ_HOLD_PS (10), MQ_NPT_PS (20), MQ_THREADS (2), MQ_OUT (a temporary directory),
 * MQ_BELOW_RANGE ("error", or "extrapolate" for potentials whose lowest knots hot melts reach).
 */
import { join, resolve } from 'node:path';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir, loadavg } from 'node:os';
import { readModel } from '../src/ufp';
import { parseMDConfig } from '../src/md/config';
import { runMD } from '../src/md/run';
import { stderrProgress } from '../src/md/progress';

function findModel(): string | undefined {
  if (process.env.MQ_POTENTIAL) return resolve(process.env.MQ_POTENTIAL);
  const dir = join(__dirname, '..', 'data', 'models');
  if (!existsSync(dir)) return undefined;
  for (const f of readdirSync(dir, { recursive: true }).map(String).filter((x) => /\.(uf3|json)$/i.test(x)).sort()) {
    try { if (['Li', 'P', 'S'].every((e) => readModel(join(dir, f)).elements.includes(e))) return join(dir, f); } catch { /* not a model */ }
  }
  return undefined;
}

async function main(): Promise<void> {
  const model = findModel();
  if (!model) { console.log('no trained Li3PS4 UF3 model (data/models or $MQ_POTENTIAL): nothing to run'); return; }
  const env = (k: string, d: number) => Number(process.env[k] ?? d);
  const out = process.env.MQ_OUT ?? mkdtempSync(join(tmpdir(), 'melt-quench-'));
  const ps = (x: number) => Math.round(x * 1000); // steps of 1 fs
  const cfg = parseMDConfig({
    structure: join(__dirname, '..', 'test', 'fixtures', 'ufp', 'beta768_bench.xyz'),
    potential: { file: model, belowRange: process.env.MQ_BELOW_RANGE ?? 'error' }, timestepFs: 1, threads: env('MQ_THREADS', 2), seed: 7,
    velocities: { temperatureK: 300 }, progressIntervalMs: 5000,
    protocol: {
      type: 'melt-quench', startTemperatureK: 300, meltTemperatureK: env('MQ_MELT_K', 1200), heatSteps: ps(5), holdSteps: ps(env('MQ_HOLD_PS', 10)),
      quenchRateKPerPs: env('MQ_RATE_K_PER_PS', 20), finalTemperatureK: 300, annealSteps: ps(5), nptSteps: ps(env('MQ_NPT_PS', 20)),
      thermostat: { type: 'bussi', tauFs: 100 }, barostat: { type: 'c-rescale', tauFs: 1000, compressibilityPerGPa: 0.05, mode: 'isotropic', every: 10 },
    },
    output: { directory: out, thermo: { every: 100 }, trajectory: { every: 1000 }, checkpoint: { every: 10000 }, overwrite: true },
  }, join(out, 'md.json'));
  console.log(`potential ${model}; output ${out}; load average ${loadavg().map((x) => x.toFixed(2)).join(' ')} (2-core machine: timings are noisy)`);
  const r = await runMD(cfg, { onProgress: stderrProgress(), log: (t) => process.stderr.write(t) });
  for (const s of r.stages as { name: string; temperatureK: number; densityGCm3: number; pressureGPa: number }[])
    console.log(`  ${s.name.padEnd(7)} ⟨T⟩ ${s.temperatureK.toFixed(0)} K  ⟨P⟩ ${s.pressureGPa.toFixed(3)} GPa  ⟨ρ⟩ ${s.densityGCm3.toFixed(3)} g/cm³`);
  const d = r.density as { simulatedGCm3: number; experimentalGlassGCm3: number[] };
  console.log(`final glass density ${d.simulatedGCm3.toFixed(3)} g/cm³ vs experiment ${d.experimentalGlassGCm3.join('–')} g/cm³`);
  console.log(`speed ${(r.katomStepsPerS as number).toFixed(1)} katom-step/s, ${(r.nsPerDay as number).toFixed(2)} ns/day (${String(r.threads)} threads)`);
}

main().catch((e) => { console.error(e); process.exit(1); });
