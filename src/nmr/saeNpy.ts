/** Streaming SAE F2 functions of a .npy tensor series (see acfNpy.ts for the file layout), with grid convergence. */
import { InputError } from '../core/errors';
import { withTensorSeries } from './acfNpy';
import { convergenceTable, saeAccumulators, SaeConvergenceRow, SaeResult } from './sae';

/** Options of {@link saeFromNpy}. */
export interface SaeNpyOptions {
  dtFs?: number;
  timesPath?: string;
  /** Evolution time t_p, fs (whole number of frames). */
  tpFs: number;
  /** Largest mixing time, fs (rounded down to whole frames). */
  maxLagFs: number;
  /** Grid kind ('zcw' | 'fibonacci') and sizes; the largest is the result, the others give the convergence table. */
  gridKind: string;
  gridSizes: number[];
  quadrupoleMomentM2?: number;
  chunkFrames?: number;
  progress?: (done: number, total: number) => void;
}

/** F2^ss, F2^cc (largest grid) and the grid-convergence table of a .npy tensor series, streamed in chunks. */
export function saeFromNpy(path: string, o: SaeNpyOptions): { result: SaeResult; table: SaeConvergenceRow[]; nLi: number; nFrames: number; dtFs: number } {
  return withTensorSeries(path, o, ({ nFrames, nLi, dtFs, feed }) => {
    if (!(o.maxLagFs >= 0)) throw new InputError(`the largest mixing time must be ≥ 0 fs, got ${o.maxLagFs}`);
    const accs = saeAccumulators({ nLi, dtFs, tpFs: o.tpFs, maxLagFrames: Math.floor(o.maxLagFs / dtFs + 1e-9), quadrupoleMomentM2: o.quadrupoleMomentM2 }, o.gridKind, o.gridSizes);
    feed(accs, o.progress);
    const results = accs.map((a) => a.finish());
    return { result: results[results.length - 1], table: convergenceTable(results), nLi, nFrames, dtFs };
  });
}
