/** `ufnmr acf`: quadrupolar-frequency ACF of an EFG tensor series (.npy) and its KWW fit (design.md CLI contract). */
import type { CliArgs, CliIO, Command } from '../command';
import { InputError } from '../../core/errors';
import { MILLIBARN_M2 } from '../../core/units';
import { acfFromNpy } from '../../nmr/acfNpy';
import { fitAcf } from '../../nmr/acfFit';
import type { B0Mode } from '../../nmr/acf';

/** Parses an optional numeric option; InputError naming the option otherwise. */
export function numberOption(v: unknown, name: string): number | undefined {
  if (v === undefined) return undefined;
  const x = Number(v);
  if (typeof v !== 'string' || v.trim() === '' || !Number.isFinite(x)) throw new InputError(`--${name}: expected a number, got ${JSON.stringify(v)}`);
  return x;
}

/** A progress callback printing every 10% of the frames to stderr (none with --json). */
export function frameProgress(io: CliIO, name: string): ((done: number, total: number) => void) | undefined {
  if (io.json) return undefined;
  let last = -1;
  return (done, total) => {
    const pct = Math.floor((10 * done) / total) * 10;
    if (pct !== last) { last = pct; io.stderr(`${name}: ${done}/${total} frames (${pct}%)\n`); }
  };
}

/** Parses `x,y,z`. */
function vector3(v: string, name: string): number[] {
  const parts = v.split(',').map((s) => Number(s));
  if (parts.length !== 3 || parts.some((x) => !Number.isFinite(x))) throw new InputError(`--${name}: expected x,y,z (three numbers), got ${JSON.stringify(v)}`);
  return parts;
}

/** Parses a fit window `a:b` in ps (0 ≤ a < b). */
export function fitWindowOption(v: string): [number, number] {
  const m = v.split(':');
  const a = Number(m[0]), b = Number(m[1]);
  if (m.length !== 2 || m[0].trim() === '' || m[1].trim() === '' || !Number.isFinite(a) || !Number.isFinite(b) || !(b > a) || a < 0)
    throw new InputError(`--fit-window: expected start:end in ps with 0 ≤ start < end, got ${JSON.stringify(v)}`);
  return [a, b];
}

const command: Command = {
  name: 'acf',
  summary: '7Li quadrupolar-frequency autocorrelation of an EFG tensor series and its stretched-exponential fit',
  usage: 'acf --tensors series.npy --dt-fs X [--b0 x,y,z] [--max-lag-ps T] [--coarse-fs W] [--fit-window a:b] [--json]',
  help: `
Reads an EFG tensor series (.npy, frames × nLi × 3 × 3 or frames × nLi × 9, float64/float32, V/Å²) chunk by
chunk and computes C(t) = ⟨ω_Q(t0) ω_Q(t0+t)⟩/⟨ω_Q²⟩ over Li atoms and time origins (unbiased 1/(N−t)),
powder-averaged exactly through Tr V(0)V(t) unless --b0 gives a fixed field direction. Fits
(1−Z)·exp(−(t/τ)^β)+Z on the fit window; the NMR jump rate is 1/τ.
  --tensors F         tensor series (.npy)
  --dt-fs X           time between frames, fs (or --times)
  --times F           .npy of frame times (fs): checked for a uniform step
  --b0 x,y,z          fixed B0 direction in the MD frame (default: powder average)
  --max-lag-ps T      largest lag (default: a quarter of the series, at most 4096 lag points)
  --coarse-fs W       average ω_Q over windows of W fs (a whole number of frames) before correlating
  --fit-window a:b    fit range of lags, ps (default: all lags)
  --free-amplitude    fit A·[(1−Z)exp(−(t/τ)^β)+Z] (use when a fast vibrational drop precedes the window)
  --no-fit            only the ACF
  --bootstrap N       bootstrap the fit over Li atoms N times (default 0)
  --seed S            bootstrap seed (default 1)
  --quadrupole-mb Q   quadrupole moment, mb (default −40.1, 7Li); only scales omegaQRmsRadPerS
  --chunk-frames N    frames read per chunk (default 4096)
Output (--json): {lagPs, acf, fit: {ok, tauPs, tauErrPs, beta, plateau, rateHz, rateErrHz, meanTauPs, …}
or fit: {ok: false, reason, diagnostics}, dtFs, nLi, nFrames, coarseFrames, mode, omegaQRmsRadPerS}.`,
  options: {
    tensors: { type: 'string' },
    'dt-fs': { type: 'string' },
    times: { type: 'string' },
    b0: { type: 'string' },
    'max-lag-ps': { type: 'string' },
    'coarse-fs': { type: 'string' },
    'fit-window': { type: 'string' },
    'free-amplitude': { type: 'boolean' },
    'no-fit': { type: 'boolean' },
    bootstrap: { type: 'string' },
    seed: { type: 'string' },
    'quadrupole-mb': { type: 'string' },
    'chunk-frames': { type: 'string' },
  },
  async run(args: CliArgs, io: CliIO) {
    const v = args.values;
    const tensors = v.tensors;
    if (typeof tensors !== 'string') throw new InputError('acf: --tensors series.npy is required');
    const dtFs = numberOption(v['dt-fs'], 'dt-fs');
    const times = typeof v.times === 'string' ? v.times : undefined;
    if (dtFs === undefined && times === undefined) throw new InputError('acf: give --dt-fs (fs between frames) or --times times.npy');
    if (dtFs !== undefined && !(dtFs > 0)) throw new InputError(`--dt-fs: must be positive, got ${dtFs}`);
    const maxLagPs = numberOption(v['max-lag-ps'], 'max-lag-ps');
    if (maxLagPs !== undefined && !(maxLagPs > 0)) throw new InputError(`--max-lag-ps: must be positive, got ${maxLagPs}`);
    const coarseFs = numberOption(v['coarse-fs'], 'coarse-fs');
    const b0: B0Mode = typeof v.b0 === 'string' ? { kind: 'directions', directions: vector3(v.b0, 'b0') } : { kind: 'powder' };
    const qmb = numberOption(v['quadrupole-mb'], 'quadrupole-mb');
    const nBoot = numberOption(v.bootstrap, 'bootstrap') ?? 0;
    if (!Number.isInteger(nBoot) || nBoot < 0) throw new InputError(`--bootstrap: expected a whole number ≥ 0, got ${nBoot}`);
    const chunk = numberOption(v['chunk-frames'], 'chunk-frames');
    const r = acfFromNpy(tensors, {
      dtFs, timesPath: times, b0, coarseFs,
      maxLagFs: maxLagPs !== undefined ? maxLagPs * 1000 : undefined,
      quadrupoleMomentM2: qmb !== undefined ? qmb * MILLIBARN_M2 : undefined,
      chunkFrames: chunk,
      progress: frameProgress(io, 'acf'),
    });
    const out: Record<string, unknown> = {
      lagPs: Array.from(r.lagPs), acf: Array.from(r.acf),
      dtFs: r.dtFs, nLi: r.nLi, nFrames: r.nFramesIn, coarseFrames: r.coarseFrames, mode: r.mode,
      ...(r.mode === 'directions' ? { b0: vector3(v.b0 as string, 'b0') } : {}),
      omegaQRmsRadPerS: Math.sqrt(r.acfAbsRad2PerS2[0]),
    };
    if (!v['no-fit']) {
      const fw = typeof v['fit-window'] === 'string' ? fitWindowOption(v['fit-window']) : undefined;
      out.fit = fitAcf(r, { window: fw, freeAmplitude: v['free-amplitude'] === true, bootstrap: nBoot, seed: numberOption(v.seed, 'seed') ?? 1 });
    }
    return out;
  },
  format(result) {
    const lines: string[] = [];
    const lag = result.lagPs as number[], acf = result.acf as number[];
    lines.push(`${result.nLi} Li, ${result.nFrames} frames, lag step ${result.dtFs} fs (${result.mode}), rms ω_Q ${(result.omegaQRmsRadPerS as number).toExponential(3)} rad/s`);
    const step = Math.max(1, Math.floor(lag.length / 20));
    for (let i = 0; i < lag.length; i += step) lines.push(`  ${lag[i].toFixed(4).padStart(12)} ps  ${acf[i].toFixed(6)}`);
    const fit = result.fit as Record<string, unknown> | undefined;
    if (fit) {
      if (fit.ok) lines.push(`fit: τ = ${(fit.tauPs as number).toPrecision(5)} ± ${(fit.tauErrPs as number).toPrecision(2)} ps, β = ${(fit.beta as number).toFixed(3)}, Z = ${(fit.plateau as number).toFixed(4)}, rate = ${(fit.rateHz as number).toExponential(4)} Hz` +
        (fit.bootstrap ? ` (bootstrap over Li: rate ± ${((fit.bootstrap as { rateHzStd: number }).rateHzStd).toExponential(2)} Hz, τ ± ${((fit.bootstrap as { tauPsStd: number }).tauPsStd).toPrecision(2)} ps)` : ' (covariance errors; use --bootstrap for realistic ones)') + ((fit.warnings as string[]).length ? `\n  warnings: ${(fit.warnings as string[]).join('; ')}` : ''));
      else lines.push(`fit failed: ${fit.reason}\n  diagnostics: ${JSON.stringify(fit.diagnostics)}`);
    }
    return lines.join('\n');
  },
};

export default command;
