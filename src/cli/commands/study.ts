/** `ufnmr study --config studies/<name>.json [--resume] [--only stage,…]`: the end-to-end study pipeline (the main job). */
import type { CliArgs, CliIO, Command } from '../command';
import { InputError } from '../../core/errors';
import { stderrProgress } from '../../md/progress';
import { readStudyConfig } from '../../study/config';
import { STAGE_NAMES, type StageName } from '../../study/manifest';
import { runStudy, type StudyResults } from '../../study/pipeline';

const fmt = (x: number | null | undefined, d = 3) => (x === undefined || x === null || !Number.isFinite(x) ? '—' : x.toExponential(d - 1));

const command: Command = {
  name: 'study',
  summary: 'the end-to-end study: MD per temperature → EFG → ω_Q ACF/KWW rates vs site hops and MSD, Arrhenius, figures',
  usage: 'study --config studies/NAME.json [--resume] [--only STAGE,…] [--threads N] [--quiet] [--json]',
  help: `
Runs a study config (see studies/*.json and README "The main job"): prepare the structure (crystalline:
tile + FIRE relax; amorphous: melt-quench to the NPT density), then per temperature NVT equilibration,
production MD (trajectory), EFG prediction of every Li in every frame, the powder ω_Q ACF with its KWW fit
(NMR rate 1/τ with a bootstrap error), site hops and the MSD (D, Γ = 6D/a²); then the comparison table,
Arrhenius fits of every rate and figures. Outputs go to the config's outputDirectory (results.json,
figures/, one folder per temperature and stage). Progress goes to stderr.
Every stage writes atomically and records a hash of what it depends on; with --resume, finished stages
with the same hash are skipped and MD runs continue from their checkpoints (a larger production.steps
extends finished production runs). SIGINT/SIGTERM stop MD with a checkpoint.
  --config F     the study config
  --resume       continue a study (skip current stages, resume MD from checkpoints)
  --only S,…     run only these stages: ${STAGE_NAMES.join(', ')}; without --resume they are redone
                 (MD stages refuse to overwrite a run: remove its folder)
  --threads N    MD force threads (overrides the config; not part of the stage hashes)
  --quiet        no progress output`,
  options: { config: { type: 'string' }, resume: { type: 'boolean' }, only: { type: 'string' }, threads: { type: 'string' }, quiet: { type: 'boolean' } },
  async run(args: CliArgs, io: CliIO): Promise<Record<string, unknown>> {
    const path = args.values.config;
    if (typeof path !== 'string') throw new InputError('study: --config studies/NAME.json is required');
    const cfg = readStudyConfig(path);
    if (args.values.threads !== undefined) {
      const t = Number(args.values.threads);
      if (!Number.isInteger(t) || t < 1 || t > 64) throw new InputError(`--threads: expected an integer 1–64, got ${JSON.stringify(args.values.threads)}`);
      cfg.threads = t;
    }
    const onlyRaw = args.values.only;
    const only = typeof onlyRaw === 'string' ? (onlyRaw.split(',').map((s) => s.trim()).filter(Boolean) as StageName[]) : undefined;
    const quiet = !!args.values.quiet;
    const progress = stderrProgress(io.stderr);
    const results = await runStudy(cfg, {
      resume: !!args.values.resume, only,
      log: (t) => { if (!quiet) io.stderr(t); },
      progress: quiet ? undefined : () => progress,
    });
    return results as unknown as Record<string, unknown>;
  },
  format(r: Record<string, unknown>): string {
    const s = r as unknown as StudyResults;
    const lines = [`study ${s.name} (${s.system}) → ${s.outputDirectory}/results.json`, `  T (K)   NMR 1/τ (Hz)        hops (Hz)           6D/a² (Hz)   D (m²/s)   log10(NMR/hops)`];
    for (const x of s.rows)
      lines.push(`  ${String(x.temperatureK).padEnd(6)}  ${fmt(x.nmr.rateHz)} ± ${fmt(x.nmr.rateErrHz, 2)}  ${fmt(x.hops.rateHz)} ± ${fmt(x.hops.rateErrHz, 2)}  ${fmt(x.msd.gammaHz)}    ${fmt(x.msd.dM2PerS)}  ${x.log10NmrOverHops === null ? '—' : x.log10NmrOverHops.toFixed(2)}${x.nmr.ok ? (x.nmr.unresolved ? `  (NMR rate unresolved: ${x.nmr.unresolved})` : '') : `  (NMR fit failed: ${x.nmr.reason})`}`);
    for (const [k, a] of Object.entries(s.arrhenius)) lines.push(`  Arrhenius ${k}: ${'eaEv' in a ? `E_a = ${a.eaEv.toFixed(3)} ± ${a.eaErrScaledEv.toFixed(3)} eV (${a.n} temperatures)` : a.error}`);
    lines.push(`  NMR vs hops within an order of magnitude at ${s.agreement.withinOrderOfMagnitude} of ${s.agreement.compared} temperatures`);
    return lines.join('\n');
  },
};

export default command;
