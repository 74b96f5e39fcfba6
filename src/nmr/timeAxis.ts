/** Checks on time axes of series. */
import { InputError } from '../core/errors';

/**
 * The uniform step (fs) of frame times (fs); throws InputError naming the first frame where the step differs
 * from the first step by more than relTol (default 1e-6) or where time does not increase.
 */
export function uniformTimeStepFs(timesFs: ArrayLike<number>, source = 'frame times', relTol = 1e-6): number {
  if (timesFs.length < 2) throw new InputError(`${source}: need at least 2 frame times to know the time step, got ${timesFs.length}`);
  const dt = timesFs[1] - timesFs[0];
  if (!(dt > 0) || !Number.isFinite(dt)) throw new InputError(`${source}: time must increase, got t[0] = ${timesFs[0]}, t[1] = ${timesFs[1]}`);
  for (let i = 1; i < timesFs.length; i++) {
    const d = timesFs[i] - timesFs[i - 1];
    if (!Number.isFinite(timesFs[i]) || Math.abs(d - dt) > relTol * dt + 4 * Number.EPSILON * Math.abs(timesFs[i]))
      throw new InputError(`${source}: non-uniform time step: frames ${i - 1}→${i} are ${d} fs apart but the first step is ${dt} fs (correlations need a uniform step)`);
  }
  return dt;
}
