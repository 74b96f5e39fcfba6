/** `ufnmr md --config md.json [--resume]`: run (or continue) a molecular-dynamics job (design.md CLI contract). */
import type { CliArgs, CliIO, Command } from '../command';
import { InputError } from '../../core/errors';
import { readMDConfig } from '../../md/config';
import { runMD, planMD } from '../../md/run';
import { stderrProgress } from '../../md/progress';

const command: Command = {
  name: 'md',
  summary: 'molecular dynamics (NVE/NVT/NPT, ladders, melt-quench) with checkpoints and --resume',
  usage: 'md --config md.json [--resume] [--threads N] [--stop-after N] [--dry-run] [--quiet] [--json]',
  help: `
Runs the MD job described by md.json: structure, potential (.uf3 / uf3 JSON file or Lennard-Jones
parameters), optional FIRE relaxation, initial velocities, stages (nve / nvt / npt with Langevin, Bussi or
Nosé–Hoover chain thermostats and the stochastic cell-rescaling barostat) or a protocol (ladder,
melt-quench), and the outputs (thermo CSV, .uftraj trajectory, checkpoints, final structure).
The whole config is validated before anything runs; units are part of the key names (timestepFs,
temperatureK, pressureGPa …). Progress goes to stderr. SIGINT/SIGTERM write a checkpoint and stop;
--resume continues from the checkpoint and, at a regular checkpoint, bit-identically to an uninterrupted run.
Example config: see README.md (Molecular dynamics).
  --config F     the md.json file
  --resume       continue from the checkpoint named in the config
  --threads N    override the config's thread count (force evaluation on N threads)
  --stop-after N stop with a checkpoint after N steps of this invocation (continue with --resume);
                 at a multiple of the checkpoint interval the continuation is bit-identical
  --dry-run      only validate the config, load structure and potential, and print the plan
  --quiet        no progress output`,
  options: { config: { type: 'string' }, resume: { type: 'boolean' }, threads: { type: 'string' }, 'stop-after': { type: 'string' }, 'dry-run': { type: 'boolean' }, quiet: { type: 'boolean' } },
  async run(args: CliArgs, io: CliIO): Promise<Record<string, unknown>> {
    const path = args.values.config;
    if (typeof path !== 'string') throw new InputError('md: --config md.json is required');
    const cfg = readMDConfig(path);
    if (args.values.threads !== undefined) {
      const t = Number(args.values.threads);
      if (!Number.isInteger(t) || t < 1 || t > 64) throw new InputError(`--threads: expected an integer 1–64, got ${JSON.stringify(args.values.threads)}`);
      cfg.threads = t;
    }
    if (args.values['dry-run']) return planMD(cfg);
    const quiet = !!args.values.quiet;
    const stopRaw = args.values['stop-after'];
    const stopAfterSteps = stopRaw === undefined ? undefined : Number(stopRaw);
    if (stopAfterSteps !== undefined && !(Number.isInteger(stopAfterSteps) && stopAfterSteps >= 1)) throw new InputError(`--stop-after: expected a positive whole number of steps, got ${JSON.stringify(stopRaw)}`);
    const result = await runMD(cfg, {
      resume: !!args.values.resume, stopAfterSteps,
      onProgress: quiet ? undefined : stderrProgress(io.stderr),
      log: (t) => { if (!quiet) io.stderr(t); },
    });
    return result;
  },
  format(r: Record<string, unknown>): string {
    if (r.plan) return JSON.stringify(r, null, 2);
    const f = r.final as Record<string, number>;
    const lines = [
      `${r.stopped ? `stopped (${String(r.stopped)}) at` : 'finished at'} step ${f.step} of ${String(r.totalSteps)} (${String(r.steps)} steps this run, ${(r.wallS as number).toFixed(1)} s, ${(r.katomStepsPerS as number).toFixed(1)} katom-step/s, ${(r.nsPerDay as number).toFixed(3)} ns/day)`,
      `final: T ${f.temperatureK.toFixed(1)} K, E_pot ${f.potentialEnergyEv.toFixed(4)} eV, P ${f.pressureGPa.toFixed(3)} GPa, density ${f.densityGCm3.toFixed(4)} g/cm³`,
    ];
    for (const s of (r.stages as Record<string, number | string>[]) ?? [])
      lines.push(`  stage ${String(s.name)}: ⟨T⟩ ${(s.temperatureK as number).toFixed(1)} K, ⟨P⟩ ${(s.pressureGPa as number).toFixed(3)} GPa, ⟨ρ⟩ ${(s.densityGCm3 as number).toFixed(4)} g/cm³ (second half, ${String(s.samples)} samples)`);
    const d = r.density as { simulatedGCm3: number; experimentalGlassGCm3: number[] } | undefined;
    if (d) lines.push(`melt-quench density ${d.simulatedGCm3.toFixed(3)} g/cm³ (experimental glass ${d.experimentalGlassGCm3.join('–')} g/cm³)`);
    const files = r.files as Record<string, string | undefined>;
    lines.push(`files: ${Object.entries(files).filter(([, v]) => v).map(([k, v]) => `${k} ${v}`).join(', ')}`);
    return lines.join('\n');
  },
};

export default command;
