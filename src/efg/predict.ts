/**
 * EFG prediction with a trained model: per structure, and streamed over trajectories into a .npy series
 * (frames × nCentres × 3 × 3, float64, V/Å²) written frame by frame with bounded memory (io's NpyWriter).
 * Inference is the float64 pure-JS fused implementation (fused.ts) of the model in model.ts (no tfjs needed).
 */
import { extname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { InputError } from '../core/errors';
import type { Mat3, Pbc } from '../core/cell';
import { readFrames } from '../io/formats';
import { NpyWriter } from '../io/npy';
import { FusedEfgEvaluator } from './fused';
import type { EfgModelParams } from './model';

/** The geometry of one frame. */
export interface FrameGeometry {
  species: readonly string[];
  positions: Float64Array;
  cell: Mat3;
  pbc: Pbc;
}

/** Predicts EFG tensors at the centre atoms of structures, reusing buffers between calls (fused.ts inference). */
export class EfgPredictor {
  readonly evaluator: FusedEfgEvaluator;
  private out = new Float64Array(0);
  private typesFor: readonly string[] | undefined;
  private types: Int32Array = new Int32Array(0);
  private centres: Int32Array = new Int32Array(0);

  constructor(readonly params: EfgModelParams) {
    this.evaluator = new FusedEfgEvaluator(params);
  }

  /**
   * Tensors (V/Å², 9 per centre, row-major) at every centre atom, in atom order. The returned array is reused by the
   * next call. `where` names the frame in error messages.
   */
  predict(frame: FrameGeometry, where = 'structure'): { tensors: Float64Array; centres: Int32Array } {
    if (this.typesFor !== frame.species) {
      this.types = Int32Array.from(this.evaluator.typeIndices(frame.species, where));
      this.centres = this.evaluator.centresOf(frame.species);
      this.typesFor = frame.species;
    }
    if (this.out.length !== 9 * this.centres.length) this.out = new Float64Array(9 * this.centres.length);
    this.evaluator.evaluate(frame.positions, frame.cell, frame.pbc, this.types, this.centres, this.out);
    return { tensors: this.out, centres: this.centres };
  }
}

/** Options for reading trajectories. */
export interface TrajectoryReadOptions {
  /** Element per LAMMPS atom type (e.g. ["Li","P","S"]) for dumps without an element column. */
  typeMap?: readonly string[];
  /** Force a format (io format names: extxyz, lammps-dump, uftraj, …; default: from the file name). */
  format?: string;
}

/** Streams frames (geometry only) from any trajectory format io's registry reads (extxyz, LAMMPS dump, .uftraj …). */
export function* trajectoryGeometries(path: string, opts: TrajectoryReadOptions = {}): Generator<FrameGeometry> {
  yield* readFrames(path, { format: opts.format, typeMap: opts.typeMap });
}

/** Summary of a streamed prediction. */
export interface PredictSummary {
  frames: number;
  centres: number;
  centreAtoms: number[];
  output: string;
  seconds: number;
  environmentsPerSecond: number;
}

/**
 * Predicts every frame of a trajectory and writes the series (frames × nCentres × 3 × 3 float64, V/Å²) to
 * `outPath` (.npy) frame by frame; the file appears only when complete. All frames must have the same species list.
 */
export function predictTrajectory(params: EfgModelParams, trajPath: string, outPath: string, opts: TrajectoryReadOptions & { maxFrames?: number; onProgress?: (p: { done: number; label: string; rate?: number; unit?: string }) => void } = {}): PredictSummary {
  const predictor = new EfgPredictor(params);
  let writer: NpyWriter | undefined;
  let species0: readonly string[] | undefined;
  let frames = 0, nc = 0, centreAtoms: number[] = [];
  const t0 = performance.now();
  try {
    for (const fr of trajectoryGeometries(trajPath, opts)) {
      if (opts.maxFrames !== undefined && frames >= opts.maxFrames) break;
      const where = `${trajPath} frame ${frames}`;
      if (species0 && (fr.species.length !== species0.length || fr.species.some((e, i) => e !== species0![i])))
        throw new InputError(`${where}: the atoms differ from frame 0 (the EFG series needs the same atoms in every frame)`);
      const { tensors, centres } = predictor.predict(fr, where);
      if (!writer) {
        species0 = [...fr.species];
        nc = centres.length;
        if (nc === 0) throw new InputError(`${where}: no ${params.settings.centre} atoms`);
        centreAtoms = Array.from(centres);
        writer = new NpyWriter(outPath, { dtype: 'float64', rowShape: [nc, 3, 3] });
      }
      writer.append(tensors);
      frames++;
      if (opts.onProgress && frames % 1000 === 0) opts.onProgress({ done: frames, label: 'EFG predict', rate: frames / ((performance.now() - t0) / 1000), unit: 'frames/s' });
    }
    if (!writer) throw new InputError(`${trajPath}: no frames`);
    writer.close();
  } catch (e) {
    writer?.abort();
    throw e;
  }
  const seconds = (performance.now() - t0) / 1000;
  return { frames, centres: nc, centreAtoms, output: outPath, seconds, environmentsPerSecond: (frames * nc) / seconds };
}

/**
 * Like {@link predictTrajectory} with `workers` threads evaluating frames in parallel (the main thread reads the file
 * and writes the series in frame order; at most 4 frames per worker are in flight). Same output, bit for bit.
 */
export async function predictTrajectoryParallel(params: EfgModelParams, trajPath: string, outPath: string, opts: TrajectoryReadOptions & { workers: number; maxFrames?: number; onProgress?: (p: { done: number; label: string; rate?: number; unit?: string }) => void }): Promise<PredictSummary> {
  const W = opts.workers;
  if (!(Number.isInteger(W) && W >= 1 && W <= 64)) throw new InputError(`workers must be an integer in 1..64, got ${W}`);
  if (W === 1) return predictTrajectory(params, trajPath, outPath, opts);
  const ext = extname(__filename);
  const file = join(__dirname, `predictWorker${ext}`);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const execArgv = ext === '.ts' ? ['--require', require.resolve('tsx/cjs')] : undefined;
  const probe = new EfgPredictor(params);
  let pool: Worker[] = [];
  let writer: NpyWriter | undefined;
  let species0: readonly string[] | undefined;
  let nc = 0, centreAtoms: number[] = [], frames = 0, written = 0;
  const done = new Map<number, Float64Array>();
  let failure: Error | undefined;
  let wake: (() => void) | undefined;
  const t0 = performance.now();
  const flush = () => {
    for (let t = done.get(written); t; t = done.get(written)) { done.delete(written); writer!.append(t); written++; }
  };
  const waitForOne = () => new Promise<void>((ok) => { wake = ok; });
  try {
    for (const fr of trajectoryGeometries(trajPath, opts)) {
      if (opts.maxFrames !== undefined && frames >= opts.maxFrames) break;
      const where = `${trajPath} frame ${frames}`;
      if (!species0) {
        const { centres } = probe.predict(fr, where); // validates species against the model
        species0 = [...fr.species];
        nc = centres.length;
        if (nc === 0) throw new InputError(`${where}: no ${params.settings.centre} atoms`);
        centreAtoms = Array.from(centres);
        writer = new NpyWriter(outPath, { dtype: 'float64', rowShape: [nc, 3, 3] });
        pool = Array.from({ length: W }, () => {
          const w = new Worker(file, { workerData: { params, species: species0 }, execArgv });
          w.on('message', (m: { k: number; tensors?: Float64Array; error?: { name: string; message: string } }) => {
            if (m.error) failure ??= m.error.name === 'InputError' ? new InputError(m.error.message) : new Error(m.error.message);
            else done.set(m.k, m.tensors!);
            wake?.();
          });
          w.on('error', (e) => { failure ??= e; wake?.(); });
          return w;
        });
      } else if (fr.species.length !== species0.length || fr.species.some((e, i) => e !== species0![i]))
        throw new InputError(`${where}: the atoms differ from frame 0 (the EFG series needs the same atoms in every frame)`);
      const positions = Float64Array.from(fr.positions);
      pool[frames % W].postMessage({ k: frames, positions, cell: Float64Array.from(fr.cell), pbc: fr.pbc, where }, [positions.buffer]);
      frames++;
      while (!failure && frames - written - done.size >= 4 * W) { await waitForOne(); flush(); }
      if (failure) throw failure;
      if (opts.onProgress && frames % 1000 === 0) opts.onProgress({ done: frames, label: 'EFG predict', rate: frames / ((performance.now() - t0) / 1000), unit: 'frames/s' });
    }
    if (!writer) throw new InputError(`${trajPath}: no frames`);
    flush();
    while (!failure && written < frames) { await waitForOne(); flush(); }
    if (failure) throw failure;
    writer.close();
  } catch (e) {
    writer?.abort();
    throw e;
  } finally {
    await Promise.all(pool.map((w) => w.terminate()));
  }
  const seconds = (performance.now() - t0) / 1000;
  return { frames, centres: nc, centreAtoms, output: outPath, seconds, environmentsPerSecond: (frames * nc) / seconds };
}
