/**
 * Accuracy of a UF3 model on reference frames, per kind (label): energy RMSE/MAE in meV/atom, force
 * RMSE/MAE in eV/Å (over components), and parity data (reference vs predicted) for plots.
 */
import type { UF3Model } from '../model';
import { UF3Potential } from '../potential';
import type { FitFrame } from './data';

/** Errors of one group of frames. */
export interface ErrorStats {
  frames: number;
  energyRmseMeV: number;
  energyMaeMeV: number;
  forceRmse: number;
  forceMae: number;
  forceComponents: number;
}

/** Parity data of one group: per-atom energies (eV/atom) and a subsample of force components (eV/Å). */
export interface ParityData {
  energyRef: number[];
  energyPred: number[];
  forceRef: number[];
  forcePred: number[];
}

/** Per-label errors (plus "all") and parity data of a model on frames (energy errors over frames with a reference energy; NaN when none). */
export function evaluateFrames(model: UF3Model, frames: FitFrame[], maxParityForces = 3000): { stats: Record<string, ErrorStats>; parity: Record<string, ParityData> } {
  const pot = new UF3Potential(model, { skin: 0.01 });
  const acc = new Map<string, { n: number; ne: number; se: number; ae: number; sf: number; af: number; nf: number }>();
  const parity: Record<string, ParityData> = {};
  const components = new Map<string, number>();
  for (const f of frames) components.set(f.label, (components.get(f.label) ?? 0) + 3 * f.species.length);
  const stride = new Map([...components].map(([k, n]) => [k, Math.max(1, Math.ceil(n / maxParityForces))]));
  for (const f of frames) {
    const r = pot.bind(f.species, f.pbc).compute(f.positions, f.cell);
    const n = f.species.length;
    const hasE = Number.isFinite(f.energy);
    const de = hasE ? (r.energy - f.energy) / n : 0;
    const par = (parity[f.label] ??= { energyRef: [], energyPred: [], forceRef: [], forcePred: [] });
    if (hasE) {
      par.energyRef.push(f.energy / n);
      par.energyPred.push(r.energy / n);
    }
    const st = stride.get(f.label)!;
    let sf = 0, af = 0;
    for (let q = 0; q < 3 * n; q++) {
      const d = r.forces[q] - f.forces[q];
      sf += d * d; af += Math.abs(d);
      if ((q + f.index) % st === 0) { par.forceRef.push(f.forces[q]); par.forcePred.push(r.forces[q]); }
    }
    for (const key of [f.label, 'all']) {
      const a = acc.get(key) ?? { n: 0, ne: 0, se: 0, ae: 0, sf: 0, af: 0, nf: 0 };
      a.n++; a.ne += hasE ? 1 : 0; a.se += de * de; a.ae += Math.abs(de); a.sf += sf; a.af += af; a.nf += 3 * n;
      acc.set(key, a);
    }
  }
  const stats: Record<string, ErrorStats> = {};
  for (const [k, a] of acc)
    stats[k] = { frames: a.n, energyRmseMeV: a.ne > 0 ? 1000 * Math.sqrt(a.se / a.ne) : NaN, energyMaeMeV: a.ne > 0 ? (1000 * a.ae) / a.ne : NaN, forceRmse: Math.sqrt(a.sf / a.nf), forceMae: a.af / a.nf, forceComponents: a.nf };
  return { stats, parity };
}
