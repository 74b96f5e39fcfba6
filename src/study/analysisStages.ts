/**
 * Per-temperature analysis stages of a study:
 *  - efg: the EFG model predicts every Li tensor of every production frame → efg.npy (frames × nLi × 3 × 3, V/Å²);
 *  - nmr: powder ACF of ω_Q (coarse-grained over `coarseFs`), KWW fit on the fit window, bootstrap over Li
 *    → acf.json; the NMR jump rate is 1/τ (science.md §4);
 *  - dynamics: site hops (crystalline: CIF sites with hysteresis; amorphous: density sites plus windowed
 *    displacements) and the FFT MSD per element → D_Li and Γ = 6D/a² (science.md §5) → hops.json, msd.json.
 */
import { join } from 'node:path';
import { InputError } from '../core/errors';
import { writeFileAtomic } from '../io/atomic';
import { NpyRowReader } from '../io/npy';
import { loadEfgModel } from '../efg/artifacts';
import { predictTrajectoryParallel } from '../efg/predict';
import { cqAndEta } from '../efg/tensor';
import { acfFromNpy } from '../nmr/acfNpy';
import { fitAcf, type AcfFit } from '../nmr/acfFit';
import { analyzeAmorphousHops, analyzeSiteHops, type TrajectoryHopResult } from '../dynamics/hopsFromTrajectory';
import { AutoLagMsd } from '../dynamics/msd';
import { fitDiffusion, jumpRateFromDiffusion, type DiffusionFit } from '../dynamics/diffusion';
import { selectedFrames, TimeAxis } from '../dynamics/trajectoryFrames';
import { readSiteCif, sitesForCell, SiteLocator, type SiteSet } from '../dynamics/sites';
import { cartesianToFractional, fractionalToCartesian } from '../core/cell';
import { createStructure } from '../core/structure';
import { readStructure } from '../io/formats';
import { writeCif } from '../io/cif';
import type { StudyConfig } from './config';

/** Summary of the EFG stage. */
export interface EfgStageResult {
  frames: number;
  nLi: number;
  liAtoms: number[];
  dtFs: number;
  environmentsPerSecond: number;
  /** Mean |C_Q| (kHz) and mean η over Li and a subsample of frames (instantaneous tensors). */
  meanAbsCqKHz: number;
  meanEta: number;
  /** |C_Q| (kHz) of the time-averaged tensor of each Li, averaged over Li (motional averaging). */
  meanAbsCqOfAverageKHz: number;
}

/** Predicts the EFG series of a production trajectory into `dir/efg.npy`. */
export async function efgStage(cfg: StudyConfig, trajectory: string, dtFs: number, dir: string, log: (t: string) => void): Promise<EfgStageResult> {
  const { params } = loadEfgModel(cfg.efgModel);
  const out = join(dir, 'efg.npy');
  const s = await predictTrajectoryParallel(params, trajectory, out, {
    workers: cfg.efg.workers, onProgress: (p) => log(`  efg: ${p.done} frames${p.rate ? ` (${p.rate.toFixed(0)} frames/s)` : ''}\n`),
  });
  return { frames: s.frames, nLi: s.centres, liAtoms: s.centreAtoms, dtFs, environmentsPerSecond: s.environmentsPerSecond, ...efgStatistics(out) };
}

/** Mean |C_Q|, η over ≤ 200 evenly spaced frames, and |C_Q| of each Li's time-averaged tensor (all frames). */
export function efgStatistics(npyPath: string): Pick<EfgStageResult, 'meanAbsCqKHz' | 'meanEta' | 'meanAbsCqOfAverageKHz'> {
  const r = new NpyRowReader(npyPath);
  try {
    const nF = r.rows, nLi = r.rowLength / 9, every = Math.max(1, Math.floor(nF / 200));
    const avg = new Float64Array(9 * nLi);
    let cqSum = 0, etaSum = 0, nSample = 0;
    const chunk = 512;
    for (let f0 = 0; f0 < nF; f0 += chunk) {
      const n = Math.min(chunk, nF - f0);
      const rows = r.read(f0, n).data as Float64Array;
      for (let k = 0; k < n; k++) {
        const frame = rows.subarray(k * 9 * nLi, (k + 1) * 9 * nLi);
        for (let j = 0; j < frame.length; j++) avg[j] += frame[j];
        if ((f0 + k) % every === 0) {
          const { cqHz, eta } = cqAndEta(frame);
          for (let i = 0; i < nLi; i++) { cqSum += Math.abs(cqHz[i]); etaSum += eta[i]; }
          nSample += nLi;
        }
      }
    }
    for (let j = 0; j < avg.length; j++) avg[j] /= nF;
    const { cqHz } = cqAndEta(avg);
    return { meanAbsCqKHz: cqSum / nSample / 1000, meanEta: etaSum / nSample, meanAbsCqOfAverageKHz: cqHz.reduce((a, v) => a + Math.abs(v), 0) / nLi / 1000 };
  } finally {
    r.close();
  }
}

/** The ACF curve and its fit as stored in acf.json. */
export interface NmrStageResult {
  lagPs: number[];
  acf: number[];
  dtFs: number;
  coarseFs: number;
  nFrames: number;
  nLi: number;
  /** ⟨ω_Q²⟩ (powder), rad²/s², and the rms quadrupolar frequency ω_Q/2π, kHz. */
  omegaQ2Rad2PerS2: number;
  rmsNuQKHz: number;
  fit: AcfFit;
  /** Rate 1/τ with the bootstrap spread as its error (Hz), when the fit succeeded. */
  rateHz?: number;
  rateErrHz?: number;
}

/** The NMR ACF fit options of a study (window, bootstrap, seed). */
export function nmrFitOptions(cfg: StudyConfig) {
  return { window: cfg.nmr.fitWindowPs, bootstrap: cfg.nmr.bootstrap, seed: cfg.seed, freeAmplitude: cfg.nmr.freeAmplitude };
}

/** The ACF options of a study for a series with frames dtFs apart. */
export function nmrAcfOptions(cfg: StudyConfig, dtFs: number) {
  return { dtFs, coarseFs: cfg.nmr.coarseFs, maxLagFs: cfg.nmr.maxLagPs * 1000 };
}

/** Powder ACF of the EFG series and its KWW fit (writes nothing; the pipeline stores the result). */
export function nmrStage(cfg: StudyConfig, efgNpy: string, dtFs: number): NmrStageResult {
  const acf = acfFromNpy(efgNpy, nmrAcfOptions(cfg, dtFs));
  if (acf.lagPs.length < 4) throw new InputError(`${efgNpy}: only ${acf.lagPs.length} ACF lags; the production run is too short for nmr.maxLagPs ${cfg.nmr.maxLagPs} ps with coarseFs ${cfg.nmr.coarseFs}`);
  const fit = fitAcf(acf, nmrFitOptions(cfg));
  const w2 = acf.acfAbsRad2PerS2[0];
  const out: NmrStageResult = {
    lagPs: Array.from(acf.lagPs), acf: Array.from(acf.acf), dtFs, coarseFs: cfg.nmr.coarseFs, nFrames: acf.nFramesIn, nLi: acf.nLi,
    omegaQ2Rad2PerS2: w2, rmsNuQKHz: Math.sqrt(w2) / (2 * Math.PI) / 1000, fit,
  };
  if (fit.ok) { out.rateHz = fit.rateHz; out.rateErrHz = fit.bootstrap && Number.isFinite(fit.bootstrap.rateHzStd) ? fit.bootstrap.rateHzStd : fit.rateErrHz; }
  return out;
}

/** MSD curves per element and the Li diffusion fit, as stored in msd.json. */
export interface MsdStageResult {
  lagPs: number[];
  elements: { element: string; nAtoms: number; msdA2: number[] }[];
  li: DiffusionFit;
}

/** The hop summary stored in hops.json (event lists and per-ion arrays left out). */
export interface HopsStageResult {
  mode: 'crystalline' | 'amorphous';
  /** Crystalline: how the sites were placed on the relaxed crystal. */
  sitesInfo?: StudySitesInfo;
  /** Sites from the CIF (crystalline) or from the Li density of the run. */
  method: 'cif-sites' | 'density-sites';
  /** Why the hop analysis failed (then the rates are NaN, null in JSON). */
  error?: string;
  /** Crystalline: why the CIF sites were not used (the density sites are the primary result then), and their rate. */
  cifError?: string;
  cifRateHz?: number;
  /** Crystalline: the density-site analysis of the same run, for comparison. */
  densityCheck?: { nSites: number; nHops: number; rateHz: number; rateErrHz: number; meanJumpLengthA: number; rInA: number; windowed?: TrajectoryHopResult['windowed']; error?: string };
  nHops: number;
  ratePerPs: number;
  rateErrPerPs: number;
  rateHz: number;
  rateErrHz: number;
  meanJumpLengthA: number;
  backHopFraction: number;
  insideFraction: number;
  durationPs: number;
  nSites: number;
  rInA: number;
  siteTypes: unknown[];
  directions: unknown[];
  rInSensitivity: TrajectoryHopResult['rInSensitivity'];
  windowed?: TrajectoryHopResult['windowed'];
  densitySensitivity?: TrajectoryHopResult['densitySensitivity'];
}

/** Result of the dynamics stage. */
export interface DynamicsStageResult {
  hops: HopsStageResult;
  msd: MsdStageResult;
  /** Γ = 6D/a² with a = the mean jump length of the counted hops, Hz (NaN when there were no hops). */
  gammaFromDHz: number;
  gammaFromDErrHz: number;
}

function hopSummary(h: TrajectoryHopResult): Omit<HopsStageResult, 'method'> {
  const a = h.hops;
  const siteTypes = a.siteTypes.map((t) => ({ type: t.type, nSites: t.nSites, occupancy: t.occupancy, hopsOut: t.hopsOut, escapeRatePerPs: t.escapeRatePerPs, residence: { count: t.residence.count, meanPs: t.residence.meanPs, medianPs: t.residence.medianPs } }));
  return {
    mode: h.mode, nHops: a.nHops, ratePerPs: a.ratePerPs, rateErrPerPs: a.rateErrPerPs, rateHz: a.ratePerPs * 1e12, rateErrHz: a.rateErrPerPs * 1e12,
    meanJumpLengthA: a.meanJumpLengthA, backHopFraction: a.backHopFraction, insideFraction: a.insideFraction, durationPs: a.durationPs,
    nSites: h.sites.typeOf.length, rInA: a.rInA, siteTypes, directions: a.directions, rInSensitivity: h.rInSensitivity, windowed: h.windowed, densitySensitivity: h.densitySensitivity,
  };
}

/** MSD of every element (FFT, streamed) and D of Li on the study's fit window. */
export function msdOfTrajectory(cfg: StudyConfig, trajectory: string): MsdStageResult {
  const time = new TimeAxis(undefined, trajectory);
  let acc: AutoLagMsd | undefined, names: string[] = [], atomsPer: number[] = [], li = -1;
  let groupOf: Int32Array | undefined;
  let dtFs = 0;
  const pending: Float64Array[] = [];
  for (const f of selectedFrames(trajectory, { element: 'all' }, (sel) => {
    names = [...new Set(sel.species)];
    groupOf = Int32Array.from(sel.species, (e) => names.indexOf(e));
    atomsPer = names.map((e) => sel.species.filter((x) => x === e).length);
    li = names.indexOf('Li');
  })) {
    time.next(f);
    if (time.dtFs === undefined) { pending.push(Float64Array.from(f.unwrapped)); continue; }
    if (!acc) {
      dtFs = time.dtFs;
      acc = new AutoLagMsd(groupOf!.length, { maxLag: Math.max(1, Math.round((cfg.msd.maxLagPs * 1000) / dtFs)), groupOf, groupNames: names });
      for (const q of pending) acc.push(q);
    }
    acc.push(f.unwrapped);
  }
  if (!acc || li < 0) throw new InputError(`${trajectory}: ${acc ? 'no Li atoms' : 'too few frames'} for the MSD`);
  const r = acc.finish();
  const lagPs = Array.from({ length: r.maxLag + 1 }, (_, m) => (m * dtFs) / 1000);
  const liGroup = r.groups[li];
  const L = r.maxLag + 1, perLi = new Float64Array(liGroup.atoms.length * L);
  liGroup.atoms.forEach((a, k) => perLi.set(r.perAtom.subarray(a * L, (a + 1) * L), k * L));
  const fit = fitDiffusion(lagPs, liGroup.msd, { windowPs: cfg.msd.fitWindowPs, perAtom: { data: perLi, nAtoms: liGroup.atoms.length } });
  return { lagPs, elements: r.groups.map((g, k) => ({ element: g.name, nAtoms: atomsPer[k], msdA2: Array.from(g.msd) })), li: fit };
}

/** How the crystalline sites were placed: counts per type and how far the snapped ones moved (Å). */
export interface StudySitesInfo { file: string; nSites: number; snapA: number; snapped: Record<string, number>; total: Record<string, number>; meanSnapDistanceA: number; maxSnapDistanceA: number }

/**
 * Crystalline sites for the study's own relaxed crystal: the site file keeps its fractional coordinates on the
 * relaxed unit cell (the supercell cell of `initialStructure` divided by `supercell`, so a lattice strain beyond
 * sitesForCell's tolerance does no harm), is tiled onto the supercell, and every site with a Li of the relaxed
 * structure within `snapA` moves onto that Li (the potential's own minimum; each Li claims one site). Sites no Li
 * occupies at 0 K (e.g. 4c in the ordered 8d + 4b model) stay where the file puts them. Writes a P1 CIF of the
 * supercell sites to `outPath`.
 */
export function sitesOnStudyCell(sitesCif: string, supercell: [number, number, number], initialStructure: string, outPath: string, snapA = 1.0): StudySitesInfo {
  const base = readSiteCif(sitesCif, { element: 'Li' });
  const s0 = readStructure(initialStructure);
  const unit = Float64Array.from(s0.cell, (v, k) => v / supercell[Math.floor(k / 3)]);
  const unitSites: SiteSet = { ...base, cell: unit, positions: fractionalToCartesian(unit, cartesianToFractional(base.cell, base.positions)) };
  const sites = sitesForCell(unitSites, s0.cell);
  const li = s0.species.flatMap((e, i) => (e === 'Li' ? [i] : []));
  const liSites: SiteSet = { cell: s0.cell, pbc: [true, true, true], positions: Float64Array.from(li.flatMap((i) => [s0.positions[3 * i], s0.positions[3 * i + 1], s0.positions[3 * i + 2]])), typeOf: new Int32Array(li.length), types: ['Li'] };
  const nearestLi = new SiteLocator(liSites, snapA);
  const nS = sites.typeOf.length, claim = new Int32Array(li.length).fill(-1), dist = new Float64Array(li.length).fill(Infinity);
  for (let k = 0; k < nS; k++) {
    const j = nearestLi.locate(sites.positions[3 * k], sites.positions[3 * k + 1], sites.positions[3 * k + 2]);
    if (j < 0) continue;
    const d = Math.hypot(...[0, 1, 2].map((x) => minimumImageComponent(sites.positions, liSites.positions, k, j, x, s0.cell)));
    if (d < dist[j]) { dist[j] = d; claim[j] = k; }
  }
  const positions = Float64Array.from(sites.positions);
  const snapped: Record<string, number> = {}, total: Record<string, number> = {};
  for (let k = 0; k < nS; k++) { const t = sites.types[sites.typeOf[k]]; total[t] = (total[t] ?? 0) + 1; }
  const moved: number[] = [];
  claim.forEach((k, j) => {
    if (k < 0) return;
    for (let x = 0; x < 3; x++) positions[3 * k + x] = liSites.positions[3 * j + x];
    const t = sites.types[sites.typeOf[k]];
    snapped[t] = (snapped[t] ?? 0) + 1;
    moved.push(dist[j]);
  });
  // wrapped into [0, 1) with values within 1e-9 of 1 taken as 0 (sitesForCell drops sites at fraction 1 − 1e-9 … 1)
  const frac = cartesianToFractional(s0.cell, positions).map((f) => { const w = f - Math.floor(f); return w >= 1 - 1e-9 ? 0 : w; });
  writeCif(outPath, createStructure({
    species: Array.from(sites.typeOf, () => 'Li'), positions: fractionalToCartesian(s0.cell, frac), cell: s0.cell, pbc: true,
    arrays: { site_label: { kind: 'string', width: 1, data: Array.from(sites.typeOf, (t) => sites.types[t]) } },
  }));
  return {
    file: outPath, nSites: nS, snapA, snapped, total,
    meanSnapDistanceA: moved.length ? moved.reduce((a, b) => a + b, 0) / moved.length : 0, maxSnapDistanceA: moved.length ? Math.max(...moved) : 0,
  };
}

/** Component x of the minimum-image vector from point k of `a` to point j of `b` (Å) in a periodic cell. */
function minimumImageComponent(a: Float64Array, b: Float64Array, k: number, j: number, x: number, cell: Float64Array): number {
  const d = [0, 1, 2].map((c) => b[3 * j + c] - a[3 * k + c]);
  const f = cartesianToFractional(cell, d).map((v) => v - Math.round(v));
  return f[0] * cell[x] + f[1] * cell[3 + x] + f[2] * cell[6 + x];
}

/** The site-hop analysis of a study's trajectory: CIF sites (crystalline; `sitesFile` or the configured CIF) or density sites. */
export function studyHopAnalysis(cfg: StudyConfig, trajectory: string, sitesFile?: string, method: 'cif-sites' | 'density-sites' = cfg.system === 'crystalline' ? 'cif-sites' : 'density-sites'): TrajectoryHopResult {
  if (method === 'cif-sites') return analyzeSiteHops(trajectory, sitesFile ?? cfg.hops.sites!, { rInA: cfg.hops.rInA, rInScanA: cfg.hops.rInScanA, msd: false });
  const own = cfg.system === 'amorphous'; // r_in settings are those of the CIF sites in a crystalline study
  return analyzeAmorphousHops(trajectory, { rInA: own ? cfg.hops.rInA : undefined, rInScanA: own ? cfg.hops.rInScanA : undefined, msd: false, windowFs: cfg.hops.windowFs, thresholdsA: cfg.hops.thresholdsA });
}

function failedHops(mode: HopsStageResult['mode'], method: HopsStageResult['method'], error: string): HopsStageResult {
  return {
    mode, method, error, nHops: 0, ratePerPs: NaN, rateErrPerPs: NaN, rateHz: NaN, rateErrHz: NaN, meanJumpLengthA: NaN, backHopFraction: NaN, insideFraction: NaN,
    durationPs: NaN, nSites: 0, rInA: NaN, siteTypes: [], directions: [], rInSensitivity: [],
  };
}

function tryHops(cfg: StudyConfig, trajectory: string, sitesFile: string | undefined, method: HopsStageResult['method'], log: (t: string) => void): HopsStageResult {
  try {
    return { ...hopSummary(studyHopAnalysis(cfg, trajectory, sitesFile, method)), method };
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    log(`warning: ${method} hop analysis of ${trajectory} failed: ${e.message}\n`);
    return failedHops(cfg.system, method, e.message);
  }
}

/**
 * Hops and MSD of a production trajectory. Amorphous: density sites (and windowed displacements). Crystalline: the
 * CIF sites (`sitesFile`, see {@link sitesOnStudyCell}) and, as a cross-check, the density-site analysis of the same
 * run (`densityCheck`); when the CIF sites do not describe the run (the analysis fails, or the Li spend less than half
 * of the time within r_in of them: the potential's Li sublattice has left the crystallographic sites) the density-site
 * result becomes the primary one and the reason is kept in `cifError`. A failure of both leaves `error` and NaN rates; the MSD
 * always runs.
 */
export function dynamicsStage(cfg: StudyConfig, trajectory: string, log: (t: string) => void = () => {}, sitesFile?: string): DynamicsStageResult {
  let hops: HopsStageResult;
  if (cfg.system === 'crystalline') {
    const cif = tryHops(cfg, trajectory, sitesFile, 'cif-sites', log);
    const dens = tryHops(cfg, trajectory, undefined, 'density-sites', log);
    const densityCheck = { nSites: dens.nSites, nHops: dens.nHops, rateHz: dens.rateHz, rateErrHz: dens.rateErrHz, meanJumpLengthA: dens.meanJumpLengthA, rInA: dens.rInA, windowed: dens.windowed, error: dens.error };
    // the CIF sites describe the run when the Li spend most of the time within r_in of them
    const cifFits = !cif.error && cif.insideFraction >= 0.5;
    const why = cif.error ?? `the Li spend only ${(100 * cif.insideFraction).toFixed(0)} % of the time within r_in = ${cif.rInA} Å of the CIF sites (their sublattice has moved off the crystallographic sites), so hops among the sites they do occupy are missed; the CIF-site rate was ${cif.rateHz.toPrecision(3)} Hz`;
    hops = cifFits || dens.error ? { ...cif, densityCheck } : { ...dens, cifError: why, cifRateHz: cif.error ? undefined : cif.rateHz };
  } else hops = tryHops(cfg, trajectory, undefined, 'density-sites', log);
  const msd = msdOfTrajectory(cfg, trajectory);
  const a = hops.meanJumpLengthA, ok = hops.nHops > 0 && Number.isFinite(a);
  return {
    hops, msd,
    gammaFromDHz: ok ? jumpRateFromDiffusion(msd.li.dA2PerPs, a) * 1e12 : NaN,
    gammaFromDErrHz: ok ? jumpRateFromDiffusion(msd.li.errA2PerPs, a) * 1e12 : NaN,
  };
}

/** Writes a JSON file atomically (non-finite numbers become null, typed arrays plain arrays). */
export function writeJson(path: string, v: unknown): void {
  writeFileAtomic(path, JSON.stringify(v, (_k, x: unknown) => (typeof x === 'number' && !Number.isFinite(x) ? null : ArrayBuffer.isView(x) ? Array.from(x as unknown as ArrayLike<number>) : x), 1) + '\n');
}
