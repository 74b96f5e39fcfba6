/** `ufnmr fit --config fit.json`: fit a UF3 potential (2- or 2+3-body) to DFT energies and forces. */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Command } from '../command';
import { InputError } from '../../core/errors';
import { runFit, writeFitOutputs, FitConfig } from '../../ufp/fit/fit';

const command: Command = {
  name: 'fit',
  summary: 'fit a UF3 potential to DFT energies and forces (writes .uf3, uf3 JSON and metrics)',
  usage: 'fit --config fit.json [--threads N] [--json]',
  help: `
Linear least-squares UF3 fit (science.md §2): per-atom energy rows and force rows accumulated as normal
equations on worker threads, κ weighting, ridge and curvature regularisation, trims, 3-body symmetry
compression and triangle mask. A scan over κ, ridge, curvature and bases (cutoffs, resolution) picks the
setting with the best validation score. Writes <dir>/<name>.uf3 (LAMMPS, no 1-body), .json (uf3 JSON),
.metrics.json, .parity.json and .config.json. Paths in the config are relative to the config file.
Config keys: elements, data [{path, format, label, typeMap, every, start, count, validation, energy}],
basis {twoBody {rMin, rMax, intervals, pairs}, threeBody {rMin, rMax, intervals, blocks}, trims},
solve {kappa, ridge1, ridge2, ridge3, curvature2, curvature3}, split {validationFraction, mode, seed},
scan {kappa[], ridge[], curvature[], bases[]}, targets {forceRmse, energyRmseMeV}, forceAtomFraction,
threads, output {dir, name, author}, name.`,
  options: { config: { type: 'string' }, threads: { type: 'string' } },
  async run(args, io) {
    const path = args.values.config;
    if (typeof path !== 'string' || !path) throw new InputError('--config is required');
    let cfg: FitConfig;
    try {
      cfg = JSON.parse(readFileSync(path, 'utf8')) as FitConfig;
    } catch (e) {
      throw new InputError(`cannot read fit configuration ${path}: ${(e as Error).message}`);
    }
    if (args.values.threads !== undefined) {
      const t = Number(args.values.threads);
      if (!Number.isInteger(t) || t < 1) throw new InputError(`--threads must be a positive integer, got ${JSON.stringify(args.values.threads)}`);
      cfg.threads = t;
    }
    if (!cfg.output) throw new InputError(`${path}: the fit configuration needs "output": {"dir", "name"}`);
    const base = dirname(resolve(path));
    const result = await runFit(cfg, base, (msg) => io.stderr(msg + '\n'));
    const files = writeFitOutputs(result, cfg, base);
    return { files, basis: result.basis, settings: result.settings, train: result.train, validation: result.validation, timing: result.timing, scanRows: result.scan.length };
  },
  format(r) {
    const lines = ['fit written:', ...Object.entries(r.files as Record<string, string>).map(([k, v]) => `  ${k.padEnd(8)} ${v}`)];
    const table = (name: string, s: Record<string, { frames: number; energyRmseMeV: number; forceRmse: number }>) => {
      lines.push(`${name}:`);
      for (const [k, v] of Object.entries(s)) lines.push(`  ${k.padEnd(16)} ${String(v.frames).padStart(5)} frames  E ${v.energyRmseMeV.toFixed(2).padStart(7)} meV/atom  F ${v.forceRmse.toFixed(3)} eV/Å (RMSE)`);
    };
    table('train', r.train as never);
    table('validation', r.validation as never);
    lines.push(`settings ${JSON.stringify(r.settings)}; timing ${JSON.stringify(r.timing)}`);
    return lines.join('\n');
  },
};
export default command;
