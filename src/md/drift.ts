/** Energy-drift estimate for NVE checks: least-squares slope of a time series. */
import { InputError } from '../core/errors';

/** Least-squares slope of values (eV) against times (fs): eV/fs. */
export function linearSlope(times: ArrayLike<number>, values: ArrayLike<number>): number {
  const n = times.length;
  if (n < 2 || values.length !== n) throw new InputError(`a drift fit needs ≥ 2 points and equal lengths, got ${n} times and ${values.length} values`);
  let mt = 0, mv = 0;
  for (let i = 0; i < n; i++) { mt += times[i]; mv += values[i]; }
  mt /= n; mv /= n;
  let sxy = 0, sxx = 0;
  for (let i = 0; i < n; i++) { sxy += (times[i] - mt) * (values[i] - mv); sxx += (times[i] - mt) ** 2; }
  if (!(sxx > 0)) throw new InputError('a drift fit needs at least two distinct times');
  return sxy / sxx;
}

/** Drift of a conserved energy in meV/atom per 10 ps from times (fs) and total energies (eV). */
export function driftMeVPerAtomPer10ps(times: ArrayLike<number>, energies: ArrayLike<number>, natoms: number): number {
  return (linearSlope(times, energies) * 1e4 * 1e3) / natoms;
}
