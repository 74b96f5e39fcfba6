/**
 * Streaming ACF of an EFG tensor series stored as .npy (frames × nLi × 3 × 3 or frames × nLi × 9, float64 or
 * float32, V/Å²): rows are read chunk by chunk (memory bounded by the chunk size and the largest lag, not by the
 * series length). Optional frame times (.npy, fs) are checked for a uniform step.
 */
import { InputError, ParseError } from '../core/errors';
import { NpyRowReader, readNpy } from '../io/npy';
import { AcfAccumulator, AcfOptions, AcfResult } from './acf';
import { uniformTimeStepFs } from './timeAxis';

/** Runs an open/read of `path`, turning file-system errors (missing file, no permission) into InputErrors. */
export function openFile<T>(path: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (typeof code === 'string') throw new InputError(`cannot read ${path}: ${code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
    throw e;
  }
}

/** Shape of a tensor series file: frames and Li count. */
export interface TensorSeriesShape {
  nFrames: number;
  nLi: number;
}

/** Checks a tensor series header shape: (F, nLi, 3, 3) or (F, nLi, 9). */
export function tensorSeriesShape(shape: readonly number[], file: string): TensorSeriesShape {
  const ok = (shape.length === 4 && shape[2] === 3 && shape[3] === 3) || (shape.length === 3 && shape[2] === 9);
  if (!ok || shape[1] < 1) throw new ParseError({ file, array: 'shape' }, 'a tensor series of shape (frames, nLi, 3, 3) or (frames, nLi, 9)', `(${shape.join(', ')})`);
  return { nFrames: shape[0], nLi: shape[1] };
}

/** Options: the ACF options without nLi (read from the file), plus chunking and an optional times file. */
export interface AcfNpyOptions extends Omit<AcfOptions, 'nLi' | 'dtFs'> {
  /** Frame spacing, fs (or give timesPath). */
  dtFs?: number;
  /** .npy of frame times in fs (one per frame); its uniform step is used as dt (and must agree with dtFs if both). */
  timesPath?: string;
  /** Coarse-graining window in fs (a whole number of frames; alternative to coarseFrames). */
  coarseFs?: number;
  /** Frames read per chunk (default 4096). */
  chunkFrames?: number;
  /** Called after every chunk with the frames read so far and the total. */
  progress?: (done: number, total: number) => void;
}

/** Resolves dt (fs) from dtFs and/or a times file; throws InputError when missing or inconsistent. */
export function resolveTimeStepFs(nFrames: number, dtFs: number | undefined, timesPath: string | undefined): number {
  if (timesPath === undefined) {
    if (dtFs === undefined) throw new InputError('give the time step between frames (dt in fs) or a file of frame times');
    return dtFs;
  }
  const t = openFile(timesPath, () => readNpy(timesPath));
  if (t.data instanceof BigInt64Array || t.shape.length !== 1) throw new ParseError({ file: timesPath, array: 'times' }, 'a 1-D float array of frame times (fs)', `${t.dtype} (${t.shape.join(', ')})`);
  if (t.shape[0] !== nFrames) throw new ParseError({ file: timesPath, array: 'times' }, `${nFrames} frame times (one per tensor frame)`, `${t.shape[0]}`);
  const dt = uniformTimeStepFs(t.data, timesPath);
  if (dtFs !== undefined && Math.abs(dtFs - dt) > 1e-6 * dt) throw new InputError(`dt = ${dtFs} fs disagrees with the step ${dt} fs of ${timesPath}`);
  return dt;
}

/** A coarse-graining window in fs as a whole number of frames of dt fs; throws InputError otherwise. */
export function coarseWindowFrames(coarseFs: number, dtFs: number): number {
  const k = Math.round(coarseFs / dtFs);
  if (!(k >= 1) || Math.abs(k * dtFs - coarseFs) > 1e-6 * dtFs) throw new InputError(`coarse-graining window ${coarseFs} fs is not a whole number (≥ 1) of frames of ${dtFs} fs`);
  return k;
}

/** Default largest lag (frames after coarse-graining): a quarter of the series, at most 4096. */
export function defaultMaxLagFrames(nFrames: number, coarseFrames: number): number {
  return Math.max(1, Math.min(4096, Math.floor(Math.floor(nFrames / coarseFrames) / 4)));
}

/** Something that takes tensor chunks (frames × nLi × 9) in order. */
export interface TensorSink {
  requireFrames(nFrames: number): void;
  push(tensors: ArrayLike<number>, nFrames: number): void;
}

/** An opened tensor series: its shape, dt, and a streaming pass that feeds sinks chunk by chunk. */
export interface TensorSeriesStream {
  nFrames: number;
  nLi: number;
  dtFs: number;
  /** Checks every sink has enough frames, then pushes the whole series to all of them (one read per chunk). */
  feed(sinks: TensorSink[], progress?: (done: number, total: number) => void): void;
}

/**
 * Opens a .npy tensor series, checks dtype/shape and dt (from dtFs and/or a times file), runs `use` with a
 * streaming handle, and closes the file.
 */
export function withTensorSeries<T>(path: string, o: { dtFs?: number; timesPath?: string; chunkFrames?: number }, use: (s: TensorSeriesStream) => T): T {
  const reader = openFile(path, () => new NpyRowReader(path));
  try {
    if (reader.dtype !== 'float64' && reader.dtype !== 'float32') throw new ParseError({ file: path, array: 'dtype' }, 'float64 or float32 tensors', reader.dtype);
    const { nFrames, nLi } = tensorSeriesShape(reader.shape, path);
    const dtFs = resolveTimeStepFs(nFrames, o.dtFs, o.timesPath);
    const chunk = o.chunkFrames ?? 4096;
    if (!Number.isInteger(chunk) || chunk < 1) throw new InputError(`chunk size must be a positive whole number of frames, got ${chunk}`);
    return use({
      nFrames, nLi, dtFs,
      feed(sinks, progress) {
        for (const k of sinks) k.requireFrames(nFrames);
        for (let f = 0; f < nFrames; f += chunk) {
          const n = Math.min(chunk, nFrames - f);
          const rows = reader.read(f, n).data as Float64Array | Float32Array;
          for (const k of sinks) k.push(rows, n);
          progress?.(f + n, nFrames);
        }
      },
    });
  } finally {
    reader.close();
  }
}

/** ACF (see {@link AcfAccumulator}) of a .npy tensor series, streamed in chunks of rows; default largest lag: {@link defaultMaxLagFrames}. */
export function acfFromNpy(path: string, o: AcfNpyOptions): AcfResult {
  return withTensorSeries(path, o, ({ nFrames, nLi, dtFs, feed }) => {
    const coarseFrames = o.coarseFs !== undefined ? coarseWindowFrames(o.coarseFs, dtFs) : o.coarseFrames ?? 1;
    let maxLagFrames = o.maxLagFrames;
    if (maxLagFrames === undefined && o.maxLagFs === undefined) maxLagFrames = defaultMaxLagFrames(nFrames, coarseFrames);
    const acc = new AcfAccumulator({ ...o, coarseFrames, maxLagFrames, nLi, dtFs, source: o.source ?? path });
    feed([acc], o.progress);
    return acc.finish();
  });
}
