/** `ufnmr msd`: mean squared displacement per element by FFT, streaming from a trajectory, with D and its error. */
import type { CliArgs, CliIO, Command } from '../command';
import { InputError } from '../../core/errors';
import { isElement } from '../../core/elements';
import { AutoLagMsd } from '../../dynamics/msd';
import { fitDiffusion, jumpRateFromDiffusion } from '../../dynamics/diffusion';
import { TimeAxis, selectedFrames, type Selection } from '../../dynamics/trajectoryFrames';
import { numberOption, fitWindowOption } from './acf';

/** `--type-map Li,P,S` → element list (InputError for a non-element). */
export function typeMapOption(v: unknown): string[] | undefined {
  if (typeof v !== 'string') return undefined;
  const els = v.split(',').map((x) => x.trim());
  for (const e of els) if (!isElement(e)) throw new InputError(`--type-map: ${JSON.stringify(e)} is not an element symbol (expected e.g. Li,P,S)`);
  return els;
}

/** At most ~n log-spaced indices of 0 … len−1 (all of them when len ≤ n), always with the last. */
export function logSpacedIndices(len: number, n: number): number[] {
  if (len <= n) return Array.from({ length: len }, (_, i) => i);
  const out = new Set<number>([0]);
  for (let k = 0; k < n; k++) out.add(Math.min(len - 1, Math.round(Math.exp((Math.log(len - 1) * k) / (n - 1)))));
  out.add(len - 1);
  return [...out].sort((a, b) => a - b);
}

/** Progress to stderr every 10 % or every 100k frames (when not --json). */
export function frameProgress(io: CliIO, what: string): (frames: number) => void {
  let next = 100000;
  return (f) => { if (!io.json && f >= next) { io.stderr(`${what}: ${f} frames\n`); next += 100000; } };
}

const command: Command = {
  name: 'msd',
  summary: 'mean squared displacement per element (FFT, streaming) and tracer diffusion coefficients',
  usage: 'msd --trajectory T [--dt-fs X] [--element Li|all] [--max-lag-ps T] [--fit-window a:b] [--jump-length-a A] [--json]',
  help: `
Reads a trajectory frame by frame (extxyz, LAMMPS dump, the project's .uftraj, DeePMD, …), unwraps positions
(the file's unwrapped coordinates or image flags when present, else minimum image between consecutive frames)
and computes MSD(t) = ⟨|r(t0+t) − r(t0)|²⟩ over atoms and time origins by FFT (memory set by the largest lag).
D = slope/6 from a straight-line fit on the fit window; its error is the spread of per-atom slopes/√N.
  --trajectory T      trajectory file (format from the name, or --format)
  --dt-fs X           time between frames, fs (required unless the file stores frame times)
  --element E         element to analyse (default Li), or "all" for every element separately
  --max-lag-ps T      largest lag (default: 4096 frames, or half the run when shorter)
  --fit-window a:b    fit range, ps (default 20–80 % of the largest lag)
  --jump-length-a A   also report Γ = 6D/a² (1/ps, Hz) for jump length A (Å)
  --type-map E,E,…    element of each LAMMPS/DeePMD atom type
  --format F          input format when the name does not tell
  --max-step-fraction f  largest fractional step between frames for minimum-image unwrapping (default 0.45)
  --points N          at most N (log-spaced) lag points in the output (default 1000)
Output (--json): {elements: {E: {nAtoms, lagPs, msdA2, diffusion: {dA2PerPs, dM2PerS, errA2PerPs, windowPs, …},
gammaFromDPerPs?}}, nFrames, dtFs, maxLagFrames, unwrap}.`,
  options: {
    trajectory: { type: 'string' },
    'dt-fs': { type: 'string' },
    element: { type: 'string' },
    'max-lag-ps': { type: 'string' },
    'fit-window': { type: 'string' },
    'jump-length-a': { type: 'string' },
    'type-map': { type: 'string' },
    format: { type: 'string' },
    'max-step-fraction': { type: 'string' },
    points: { type: 'string' },
  },
  async run(args: CliArgs, io: CliIO) {
    const v = args.values;
    const path = v.trajectory;
    if (typeof path !== 'string') throw new InputError('msd: --trajectory FILE is required');
    const element = typeof v.element === 'string' ? v.element : 'Li';
    if (element !== 'all' && !isElement(element)) throw new InputError(`--element: ${JSON.stringify(element)} is not an element symbol (or "all")`);
    const time = new TimeAxis(numberOption(v['dt-fs'], 'dt-fs'), path);
    const maxLagPs = numberOption(v['max-lag-ps'], 'max-lag-ps');
    if (maxLagPs !== undefined && !(maxLagPs > 0)) throw new InputError(`--max-lag-ps: must be positive, got ${maxLagPs}`);
    const jump = numberOption(v['jump-length-a'], 'jump-length-a');
    if (jump !== undefined && !(jump > 0)) throw new InputError(`--jump-length-a: must be positive, got ${jump}`);
    const points = numberOption(v.points, 'points') ?? 1000;
    if (!Number.isInteger(points) || points < 2) throw new InputError(`--points: expected a whole number ≥ 2, got ${points}`);
    const window = typeof v['fit-window'] === 'string' ? fitWindowOption(v['fit-window']) : undefined;
    let sel: Selection | undefined;
    let acc: AutoLagMsd | undefined;
    let groupNames: string[] = [];
    const pending: Float64Array[] = [];
    const progress = frameProgress(io, 'msd');
    let frames = 0;
    const frameIter = selectedFrames(path, { element, format: typeof v.format === 'string' ? v.format : undefined, typeMap: typeMapOption(v['type-map']), maxStepFraction: numberOption(v['max-step-fraction'], 'max-step-fraction') }, (s) => { sel = s; });
    for (const f of frameIter) {
      time.next(f);
      if (!acc) {
        const dt = time.dtFs;
        if (dt === undefined) { pending.push(Float64Array.from(f.unwrapped)); continue; } // dt known from the second frame
        groupNames = [...new Set(Array.from(sel!.atoms, (i) => sel!.species[i]))];
        const groupOf = Int32Array.from(sel!.atoms, (i) => groupNames.indexOf(sel!.species[i]));
        const maxLag = maxLagPs !== undefined ? Math.round((maxLagPs * 1000) / dt) : undefined;
        if (maxLag !== undefined && maxLag < 1) throw new InputError(`--max-lag-ps ${maxLagPs} is shorter than one frame (${dt} fs)`);
        acc = new AutoLagMsd(sel!.atoms.length, { maxLag, groupOf, groupNames });
        for (const p of pending) acc.push(p);
      }
      acc.push(f.unwrapped);
      progress(++frames);
    }
    if (!acc || time.dtFs === undefined) throw new InputError(`${path}: ${pending.length} frame(s): too few for an MSD`);
    const r = acc.finish();
    const dt = time.dtFs;
    const lagPs = Float64Array.from({ length: r.maxLag + 1 }, (_, m) => (m * dt) / 1000);
    const keep = logSpacedIndices(r.maxLag + 1, points);
    const elements: Record<string, unknown> = {};
    for (const g of r.groups) {
      const per = new Float64Array(g.atoms.length * (r.maxLag + 1));
      g.atoms.forEach((a, k) => per.set(r.perAtom.subarray(a * (r.maxLag + 1), (a + 1) * (r.maxLag + 1)), k * (r.maxLag + 1)));
      let diffusion: unknown;
      try {
        diffusion = fitDiffusion(lagPs, g.msd, { windowPs: window, perAtom: { data: per, nAtoms: g.atoms.length } });
      } catch (e) {
        if (!(e instanceof InputError)) throw e;
        diffusion = { ok: false, reason: e.message };
      }
      const d = diffusion as { dA2PerPs?: number; errA2PerPs?: number };
      elements[g.name] = {
        nAtoms: g.atoms.length, lagPs: keep.map((i) => lagPs[i]), msdA2: keep.map((i) => g.msd[i]), diffusion,
        ...(jump !== undefined && d.dA2PerPs !== undefined ? { gammaFromDPerPs: jumpRateFromDiffusion(d.dA2PerPs, jump), gammaFromDErrPerPs: jumpRateFromDiffusion(d.errA2PerPs!, jump), gammaFromDHz: jumpRateFromDiffusion(d.dA2PerPs, jump) * 1e12, jumpLengthA: jump } : {}),
      };
    }
    return { trajectory: path, nFrames: r.nFrames, dtFs: dt, maxLagFrames: r.maxLag, maxLagPs: lagPs[r.maxLag], unwrap: sel!.unwrapMethod, lagsSubsampled: keep.length < r.maxLag + 1, elements };
  },
  format(result) {
    const lines = [`${result.nFrames} frames, ${result.dtFs} fs apart, lags up to ${(result.maxLagPs as number).toFixed(3)} ps (unwrap: ${result.unwrap})`];
    for (const [el, x] of Object.entries(result.elements as Record<string, Record<string, unknown>>)) {
      const d = x.diffusion as Record<string, unknown>;
      if (d.ok === false) { lines.push(`${el} (${x.nAtoms} atoms): no D: ${d.reason}`); continue; }
      const w = d.windowPs as number[];
      lines.push(`${el} (${x.nAtoms} atoms): D = ${(d.dA2PerPs as number).toExponential(4)} ± ${(d.errA2PerPs as number).toExponential(2)} Å²/ps = ${(d.dM2PerS as number).toExponential(4)} m²/s (fit ${w[0].toFixed(2)}–${w[1].toFixed(2)} ps)` +
        (x.gammaFromDPerPs !== undefined ? `; Γ = 6D/a² = ${(x.gammaFromDPerPs as number).toExponential(4)} 1/ps` : ''));
    }
    return lines.join('\n');
  },
};

export default command;
