/** `ufnmr sae`: spin-alignment-echo F2^ss and F2^cc of an EFG tensor series (.npy) on powder grids. */
import type { CliArgs, CliIO, Command } from '../command';
import { InputError } from '../../core/errors';
import { MILLIBARN_M2 } from '../../core/units';
import { saeFromNpy } from '../../nmr/saeNpy';
import { fitKww } from '../../nmr/kww';
import { numberOption, fitWindowOption, frameProgress } from './acf';

const command: Command = {
  name: 'sae',
  summary: '7Li spin-alignment-echo functions F2^ss, F2^cc for an evolution time t_p (powder grid, convergence table)',
  usage: 'sae --tensors series.npy --dt-fs X --tp-fs T --max-lag-ps M [--grid zcw|fibonacci] [--sizes 55,144,377] [--fit-window a:b] [--json]',
  help: `
F2^ss(t_p; t_m) = ⟨sin Φ(0) sin Φ(t_m)⟩/⟨sin² Φ(0)⟩ (and F2^cc with cos), Φ = ∫ω_Q dt over t_p along the
trajectory, averaged over Li, time origins and a powder grid. The series is streamed once; every grid size
is evaluated in that pass, the largest is the result and the others give the convergence table
(max |F2(n) − F2(largest)| over t_m). Cost grows with (sum of grid sizes) × nLi × frames.
  --tensors F        tensor series (.npy, frames × nLi × 3 × 3 or × 9, V/Å²)
  --dt-fs X          time between frames, fs (or --times times.npy)
  --tp-fs T          evolution time t_p, fs (a whole number of frames)
  --max-lag-ps M     largest mixing time t_m, ps
  --grid K           zcw (hemisphere, Fibonacci-number sizes; default) or fibonacci
  --sizes a,b,c      grid sizes (default 55,144,377)
  --fit-window a:b   fit (1−Z)exp(−(t/τ)^β)+Z to F2^ss on this t_m range, ps
  --quadrupole-mb Q  quadrupole moment, mb (default −40.1, 7Li)
  --chunk-frames N   frames read per chunk (default 4096)
Output (--json): {tmPs, f2ss, f2cc, tpFs, grid: {kind, n}, convergence: [{nDirections, maxAbsDiffSs, maxAbsDiffCc}], fit?}.`,
  options: {
    tensors: { type: 'string' },
    'dt-fs': { type: 'string' },
    times: { type: 'string' },
    'tp-fs': { type: 'string' },
    'max-lag-ps': { type: 'string' },
    grid: { type: 'string' },
    sizes: { type: 'string' },
    'fit-window': { type: 'string' },
    'quadrupole-mb': { type: 'string' },
    'chunk-frames': { type: 'string' },
  },
  async run(args: CliArgs, io: CliIO) {
    const v = args.values;
    if (typeof v.tensors !== 'string') throw new InputError('sae: --tensors series.npy is required');
    const dtFs = numberOption(v['dt-fs'], 'dt-fs');
    const times = typeof v.times === 'string' ? v.times : undefined;
    if (dtFs === undefined && times === undefined) throw new InputError('sae: give --dt-fs (fs between frames) or --times times.npy');
    const tpFs = numberOption(v['tp-fs'], 'tp-fs');
    if (tpFs === undefined) throw new InputError('sae: --tp-fs (evolution time, fs) is required');
    const maxLagPs = numberOption(v['max-lag-ps'], 'max-lag-ps');
    if (maxLagPs === undefined || !(maxLagPs >= 0)) throw new InputError('sae: --max-lag-ps (largest mixing time, ps ≥ 0) is required');
    const kind = typeof v.grid === 'string' ? v.grid : 'zcw';
    const sizes = typeof v.sizes === 'string' ? v.sizes.split(',').map((x) => Number(x)) : [55, 144, 377];
    if (sizes.length === 0 || sizes.some((n) => !Number.isInteger(n) || n < 1)) throw new InputError(`--sizes: expected positive whole numbers separated by commas, got ${JSON.stringify(v.sizes)}`);
    const qmb = numberOption(v['quadrupole-mb'], 'quadrupole-mb');
    const r = saeFromNpy(v.tensors, {
      dtFs, timesPath: times, tpFs, maxLagFs: maxLagPs * 1000, gridKind: kind, gridSizes: sizes,
      quadrupoleMomentM2: qmb !== undefined ? qmb * MILLIBARN_M2 : undefined,
      chunkFrames: numberOption(v['chunk-frames'], 'chunk-frames'),
      progress: frameProgress(io, 'sae'),
    });
    const out: Record<string, unknown> = {
      tmPs: Array.from(r.result.tmPs), f2ss: Array.from(r.result.f2ss), f2cc: Array.from(r.result.f2cc),
      tpFs: r.result.tpFs, dtFs: r.dtFs, nLi: r.nLi, nFrames: r.nFrames,
      grid: { kind: r.result.gridKind, n: r.result.nDirections }, convergence: r.table,
    };
    if (typeof v['fit-window'] === 'string') {
      const f = fitKww(r.result.tmPs, r.result.f2ss, { window: fitWindowOption(v['fit-window']) });
      out.fit = f.ok
        ? { ok: true, tauPs: f.tau, tauErrPs: f.tauErr, beta: f.beta, betaErr: f.betaErr, plateau: f.plateau, plateauErr: f.plateauErr, meanTauPs: f.meanTau, meanTauErrPs: f.meanTauErr, rateHz: f.rate * 1e12, rateErrHz: f.rateErr * 1e12, warnings: f.warnings }
        : f;
    }
    return out;
  },
  format(result) {
    const tm = result.tmPs as number[], ss = result.f2ss as number[], cc = result.f2cc as number[];
    const lines = [`t_p = ${result.tpFs} fs, ${JSON.stringify(result.grid)}; convergence: ${JSON.stringify(result.convergence)}`];
    const step = Math.max(1, Math.floor(tm.length / 20));
    for (let i = 0; i < tm.length; i += step) lines.push(`  ${tm[i].toFixed(4).padStart(12)} ps  ss ${ss[i].toFixed(6)}  cc ${cc[i].toFixed(6)}`);
    if (result.fit) lines.push(`fit: ${JSON.stringify(result.fit)}`);
    return lines.join('\n');
  },
};

export default command;
