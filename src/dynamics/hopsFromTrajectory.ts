/**
 * Hop analyses of whole trajectory files (streaming), as used by `ufnmr hops` and notebooks:
 * crystalline (sites from a site CIF, one pass) and amorphous (sites from the Li density, two passes),
 * each with the sensitivity to its thresholds and the Γ = 6D/a² cross-check from the MSD.
 */
import { InputError } from '../core/errors';
import { inv3, type Mat3 } from '../core/cell';
import { AutoLagMsd } from './msd';
import { fitDiffusion, jumpRateFromDiffusion, type DiffusionFit } from './diffusion';
import { readSiteCif, sitesForCell, SiteLocator, type SiteSet } from './sites';
import { SiteTracker, type HopAnalysis } from './hops';
import { DensitySites, WindowedDisplacementHops, type DensitySiteOptions, type WindowedHopsResult } from './amorphous';
import { TimeAxis, selectedFrames, type SelectedFramesOptions, type Selection } from './trajectoryFrames';

/** Options shared by both analyses. */
export interface TrajectoryHopOptions extends SelectedFramesOptions {
  /** Time between frames, fs (required unless the file stores frame times). */
  dtFs?: number;
  /** Capture radius r_in, Å (default 0.9 for CIF sites, 0.45·minimum site separation for density sites, at most 0.9). */
  rInA?: number;
  /** Further r_in values whose hop rates are reported for sensitivity. */
  rInScanA?: number[];
  /** Compute the MSD, D and Γ = 6D/a² (default true). */
  msd?: boolean;
  /** Largest MSD lag, ps (default: 4096 frames or half the run). */
  msdMaxLagPs?: number;
  /** MSD fit window, ps. */
  msdFitWindowPs?: [number, number];
  /** Called every 10 000 frames. */
  progress?: (frames: number) => void;
}

/** The Γ-from-D cross-check. */
export interface DiffusionCheck {
  diffusion?: DiffusionFit;
  /** Γ = 6D/a² with a the mean jump length of the primary hop analysis, 1/ps. */
  gammaFromDPerPs?: number;
  gammaFromDErrPerPs?: number;
  error?: string;
}

/** Result of {@link analyzeSiteHops} and {@link analyzeAmorphousHops}. */
export interface TrajectoryHopResult {
  mode: 'crystalline' | 'amorphous';
  selection: Selection;
  dtFs: number;
  sites: SiteSet;
  /** Hop analysis at the primary r_in. */
  hops: HopAnalysis;
  /** Rates at every r_in tried (primary included). */
  rInSensitivity: { rInA: number; nHops: number; ratePerPs: number; rateErrPerPs: number; insideFraction: number }[];
  /** Smallest distance between two sites, Å. */
  minSiteSeparationA: number;
  msd?: DiffusionCheck;
  /** Amorphous only: windowed-displacement hops per threshold, and site counts for other density settings. */
  windowed?: WindowedHopsResult;
  densitySensitivity?: { options: Required<DensitySiteOptions>; nSites: number }[];
}

function minSeparation(loc: SiteLocator): number {
  const n = loc.sites.typeOf.length;
  let best = Infinity;
  for (let a = 0; a < n; a++) for (let b = a + 1; b < n; b++) best = Math.min(best, loc.siteDistance(a, b));
  return best;
}

/** Positions expressed in the reference cell: same fractional coordinates, reference lattice (for NPT runs). */
function toReferenceCell(p: Float64Array, cell: Mat3, ref: Mat3, scratch: Float64Array): Float64Array {
  let same = true;
  for (let k = 0; k < 9; k++) if (cell[k] !== ref[k]) { same = false; break; }
  if (same) return p;
  const hi = inv3(cell);
  for (let i = 0; i < p.length; i += 3) {
    const f0 = p[i] * hi[0] + p[i + 1] * hi[3] + p[i + 2] * hi[6], f1 = p[i] * hi[1] + p[i + 1] * hi[4] + p[i + 2] * hi[7], f2 = p[i] * hi[2] + p[i + 1] * hi[5] + p[i + 2] * hi[8];
    for (let x = 0; x < 3; x++) scratch[i + x] = f0 * ref[x] + f1 * ref[3 + x] + f2 * ref[6 + x];
  }
  return scratch;
}

class Pass {
  time: TimeAxis;
  sel?: Selection;
  frames = 0;
  constructor(readonly path: string, readonly opts: TrajectoryHopOptions) {
    this.time = new TimeAxis(opts.dtFs, path);
  }
  *run() {
    for (const f of selectedFrames(this.path, this.opts, (s) => { this.sel = s; })) {
      this.time.next(f);
      yield f;
      if (++this.frames % 10000 === 0) this.opts.progress?.(this.frames);
    }
  }
}

function msdFor(nAtoms: number, dtFs: number, maxLagPs: number | undefined): AutoLagMsd {
  return new AutoLagMsd(nAtoms, { maxLag: maxLagPs !== undefined ? Math.max(1, Math.round((maxLagPs * 1000) / dtFs)) : undefined });
}

function rInList(primary: number, scan: number[] | undefined): number[] {
  const all = [primary, ...(scan ?? [])];
  for (const r of all) if (!(r > 0 && Number.isFinite(r))) throw new InputError(`capture radius r_in must be a positive number of Å, got ${r}`);
  return [...new Set(all)];
}

function diffusionCheck(msd: AutoLagMsd | undefined, dtFs: number, hops: HopAnalysis, window?: [number, number]): DiffusionCheck | undefined {
  if (!msd) return undefined;
  try {
    const r = msd.finish();
    const lagPs = Float64Array.from({ length: r.maxLag + 1 }, (_, m) => (m * dtFs) / 1000);
    const d = fitDiffusion(lagPs, r.groups[0].msd, { windowPs: window, perAtom: { data: r.perAtom, nAtoms: r.nAtoms } });
    const a = hops.meanJumpLengthA;
    return Number.isFinite(a) ? { diffusion: d, gammaFromDPerPs: jumpRateFromDiffusion(d.dA2PerPs, a), gammaFromDErrPerPs: jumpRateFromDiffusion(d.errA2PerPs, a) } : { diffusion: d, error: 'no hops: no jump length for Γ = 6D/a²' };
  } catch (e) {
    if (e instanceof InputError) return { error: e.message };
    throw e;
  }
}

function summarize(trackers: SiteTracker[], rIns: number[], dtFs: number) {
  const all = trackers.map((t) => t.finish(dtFs));
  return { hops: all[0], rInSensitivity: all.map((h, k) => ({ rInA: rIns[k], nHops: h.nHops, ratePerPs: h.ratePerPs, rateErrPerPs: h.rateErrPerPs, insideFraction: h.insideFraction })) };
}

/** Crystalline site hops: sites of the CIF (symmetry-expanded, tiled onto the trajectory's cell), one streaming pass. */
export function analyzeSiteHops(path: string, sitesCif: string, opts: TrajectoryHopOptions = {}): TrajectoryHopResult {
  const p = new Pass(path, opts);
  const base = readSiteCif(sitesCif, { element: opts.element === 'all' ? undefined : opts.element });
  let ref: Float64Array | undefined, sites: SiteSet | undefined, trackers: SiteTracker[] = [], rIns: number[] = [], minSep = NaN;
  let msd: AutoLagMsd | undefined, scratch = new Float64Array(0);
  const pending: Float64Array[] = [];
  for (const f of p.run()) {
    if (!ref) {
      ref = Float64Array.from(f.cell);
      sites = sitesForCell(base, ref);
      minSep = minSeparation(new SiteLocator(sites, 1e-3));
      rIns = rInList(opts.rInA ?? Math.min(0.9, 0.45 * minSep), opts.rInScanA);
      trackers = rIns.map((r, k) => new SiteTracker(new SiteLocator(sites!, r), f.positions.length / 3, { sitesName: sitesCif, minFirstFrameInside: k === 0 ? 0.5 : 0 }));
      scratch = new Float64Array(f.positions.length);
    }
    const q = toReferenceCell(f.positions, f.cell, ref, scratch);
    for (const t of trackers) t.push(q);
    if (opts.msd !== false) {
      const dt = p.time.dtFs;
      if (dt === undefined) pending.push(Float64Array.from(f.unwrapped)); // dt is known from the second frame
      else {
        if (!msd) {
          msd = msdFor(f.positions.length / 3, dt, opts.msdMaxLagPs);
          for (const q of pending) msd.push(q);
          pending.length = 0;
        }
        msd.push(f.unwrapped);
      }
    }
  }
  if (!sites || p.time.dtFs === undefined) throw new InputError(`${path}: too few frames to count hops`);
  const s = summarize(trackers, rIns, p.time.dtFs);
  return { mode: 'crystalline', selection: p.sel!, dtFs: p.time.dtFs, sites, ...s, minSiteSeparationA: minSep, msd: diffusionCheck(msd, p.time.dtFs, s.hops, opts.msdFitWindowPs) };
}

/** Options of {@link analyzeAmorphousHops}. */
export interface AmorphousHopOptions extends TrajectoryHopOptions {
  /** Window of the displacement averaging, fs (default 100 fs, at least one frame). */
  windowFs?: number;
  /** Displacement thresholds, Å (default 1.5, 2, 2.5). */
  thresholdsA?: number[];
  /** Voxel width of the density grid, Å (default 0.2). */
  voxelA?: number;
  /** Density-site options (see {@link DensitySites.findSites}). */
  density?: DensitySiteOptions;
}

/** Amorphous hops: windowed displacements and density-derived sites (two streaming passes over the file). */
export function analyzeAmorphousHops(path: string, opts: AmorphousHopOptions = {}): TrajectoryHopResult {
  const p1 = new Pass(path, opts);
  let dens: DensitySites | undefined, win: WindowedDisplacementHops | undefined, msd: AutoLagMsd | undefined, ref: Float64Array | undefined;
  let scratch = new Float64Array(0);
  const pending: Float64Array[] = [];
  for (const f of p1.run()) {
    if (!ref) { ref = Float64Array.from(f.cell); dens = new DensitySites(ref, opts.voxelA ?? 0.2); scratch = new Float64Array(f.positions.length); }
    dens!.push(toReferenceCell(f.positions, f.cell, ref, scratch));
    const dt = p1.time.dtFs;
    if (dt === undefined) { pending.push(Float64Array.from(f.unwrapped)); continue; }
    const n = f.positions.length / 3;
    if (!win) {
      const w = Math.max(1, Math.round((opts.windowFs ?? 100) / dt));
      win = new WindowedDisplacementHops(n, { windowFrames: w, thresholdsA: opts.thresholdsA ?? [1.5, 2, 2.5] });
      if (opts.msd !== false) msd = msdFor(n, dt, opts.msdMaxLagPs);
      for (const q of pending) { win.push(q); msd?.push(q); }
    }
    win.push(f.unwrapped);
    msd?.push(f.unwrapped);
  }
  const dtFs = p1.time.dtFs;
  if (!dens || !win || dtFs === undefined) throw new InputError(`${path}: too few frames to count hops`);
  const found = dens.findSites(opts.density);
  const o = found.options;
  const densitySensitivity = [
    { ...o, smoothingA: o.smoothingA * 0.67 }, { ...o, smoothingA: o.smoothingA * 1.5 },
    { ...o, minDensityRatio: o.minDensityRatio / 1.5 }, { ...o, minDensityRatio: o.minDensityRatio * 1.5 },
    { ...o, minSeparationA: o.minSeparationA * 0.8 }, { ...o, minSeparationA: o.minSeparationA * 1.25 },
  ].map((x) => {
    try { return { options: x, nSites: dens!.findSites(x).sites.typeOf.length }; } catch (e) { if (e instanceof InputError) return { options: x, nSites: 0 }; throw e; }
  });
  const sites = found.sites;
  const minSep = sites.typeOf.length > 1 ? minSeparation(new SiteLocator(sites, 1e-3)) : Infinity;
  const rIns = rInList(opts.rInA ?? Math.min(0.9, 0.45 * minSep), opts.rInScanA);
  const p2 = new Pass(path, { ...opts, dtFs });
  let trackers: SiteTracker[] = [];
  for (const f of p2.run()) {
    if (trackers.length === 0) trackers = rIns.map((r) => new SiteTracker(new SiteLocator(sites, r), f.positions.length / 3, { minFirstFrameInside: 0 }));
    const q = toReferenceCell(f.positions, f.cell, ref!, scratch);
    for (const t of trackers) t.push(q);
  }
  const s = summarize(trackers, rIns, dtFs);
  return {
    mode: 'amorphous', selection: p1.sel!, dtFs, sites, ...s, minSiteSeparationA: minSep,
    msd: diffusionCheck(msd, dtFs, s.hops, opts.msdFitWindowPs), windowed: win.finish(dtFs), densitySensitivity,
  };
}
