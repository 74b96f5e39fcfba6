/**
 * A complete UF3 fit from a JSON configuration (`ufnmr fit --config fit.json`): read and split the data,
 * centre the energies on a per-element baseline, featurize the training frames into normal equations on
 * worker threads, scan κ / ridge / curvature (reusing the features) and, if asked, several bases
 * (cutoffs, resolution; refeaturized), pick the setting with the best validation score, and report
 * per-kind metrics and parity data. Units: Å, eV, eV/Å; energy errors in meV/atom.
 */
import { join, resolve } from 'node:path';
import { mkdirSync } from 'node:fs';
import { InputError } from '../../core/errors';
import { writeFileAtomic } from '../../io/atomic';
import type { UF3Model } from '../model';
import { formatUf3, parseUf3 } from '../formatLammps';
import { formatUf3Json } from '../formatJson';
import { UF3Potential } from '../potential';
import type { BasisSpec, RangeSpec } from './basis';
import { buildLayout, modelFromCoefficients, repulsiveCore } from './basis';
import type { DataSourceSpec, FitFrame, SplitSpec } from './data';
import { loadSource, splitFrames, energyBaseline, minPairDistances } from './data';
import { accumulateParallel } from './accumulate';
import { rmseOf } from './normal';
import { curvatureRows, solveCoefficients, SolveSettings } from './solve';
import { evaluateFrames, ErrorStats, ParityData } from './metrics';
import { monotoneWallConstraints, pairEdges, PairEdges, zblPrior } from './shortRange';

/** Basis part of a fit configuration (elements come from the top level). */
export type BasisConfig = Omit<BasisSpec, 'elements'>;

/** The fit configuration (fit.json). */
export interface FitConfig {
  elements: string[];
  data: DataSourceSpec[];
  basis: BasisConfig;
  solve?: SolveSettings;
  split?: SplitSpec;
  /**
   * Fixed 1-body energies (eV/atom) for every element, e.g. {"Ne": 0, "Xe": 0}; default: fitted on top of
   * a least-squares composition baseline (collinear for a single composition: keep ridge1 then).
   */
  oneBody?: Record<string, number>;
  /**
   * Repulsive core below the shortest training distance of each pair (default on without `shortRange`; false
   * to disable): coefficients the data cannot see continue the curve upwards linearly (basis.ts repulsiveCore).
   */
  repulsiveCore?: false | { hardness?: number; minStepEv?: number };
  /**
   * Short-range wall fitted with the data (shortRange.ts): the regularisation pulls towards a repulsive prior
   * (ZBL pair energy) instead of 0, and below each pair's data edge (the distance of its edgeCount-th shortest
   * training pair, default 10) the 2-body curve must rise at least as steeply as the prior (shape constraints).
   */
  shortRange?: { prior?: 'zbl' | 'none'; monotoneWall?: boolean; edgeCount?: number };
  /** Fraction of atoms per frame whose force rows enter the fit (default 1). */
  forceAtomFraction?: number;
  /** Featurization threads (default: number of cores). */
  threads?: number;
  scan?: {
    kappa?: number[];
    /** Values for ridge2 = ridge3. */
    ridge?: number[];
    /**
     * Values for ridge3 alone (the 3-body ridge; ridge2 then comes from `ridge` or `solve`). A stronger 3-body
     * ridge keeps the 3-body blocks of one triangle seen from different centres (e.g. Li–P–S and S–Li–P) from
     * fitting large cancelling coefficients that extrapolate badly outside the training configurations.
     */
    ridge3?: number[];
    /** Values for curvature2 = curvature3. */
    curvature?: number[];
    /** Alternative bases, each merged over `basis` (refeaturized); threeBody null = 2-body only. */
    bases?: { label: string; twoBody?: Partial<BasisConfig['twoBody']>; threeBody?: Partial<NonNullable<BasisConfig['threeBody']>> | null; trims?: BasisConfig['trims'] }[];
  };
  /** Validation goals used to score the scan (defaults 0.2 eV/Å, 10 meV/atom) and the kinds scored (default all). */
  targets?: { forceRmse?: number; energyRmseMeV?: number; kinds?: string[] };
  output?: { dir: string; name: string; author?: string };
  /** Name stored in the model's metadata. */
  name?: string;
}

/** One row of the scan table. */
export interface ScanRow {
  basis: string;
  nColumns: number;
  settings: SolveSettings;
  /** RMSE over all training frames from the normal equations (meV/atom, eV/Å). */
  train: { energyRmseMeV: number; forceRmse: number };
  validation: Record<string, ErrorStats>;
  /** max over validation kinds of max(F_rmse/F_target, E_rmse/E_target) (lower is better). */
  score: number;
}

/** Everything a fit produces. */
export interface FitResult {
  model: UF3Model;
  basis: { label: string; spec: BasisSpec; nColumns: number };
  settings: SolveSettings;
  baseline: Record<string, number>;
  scan: ScanRow[];
  train: Record<string, ErrorStats>;
  validation: Record<string, ErrorStats>;
  parity: { train: Record<string, ParityData>; validation: Record<string, ParityData> };
  counts: Record<string, { train: number; validation: number }>;
  /** Shortest training distance per pair (Å) and the 2-body coefficients set by the repulsive core. */
  core?: { dataMinDistance: Record<string, number>; replaced: Record<string, number> };
  /** Short-range wall: data edges, prior representation errors, constraints (count, active at the chosen setting). */
  shortRange?: {
    prior: string;
    edges: PairEdges;
    priorRepresentation: Record<string, { maxErrorEv: number; maxRelError: number }>;
    constraints: number;
    active: number;
  };
  timing: { loadS: number; featurizeS: Record<string, number>; solveS: number; totalS: number; threads: number };
  /** The frames used (not written to the metrics file). */
  frames: { train: FitFrame[]; validation: FitFrame[] };
}

const KNOWN_KEYS = new Set(['elements', 'data', 'basis', 'solve', 'split', 'oneBody', 'repulsiveCore', 'shortRange', 'forceAtomFraction', 'threads', 'scan', 'targets', 'output', 'name', '$comment']);

/** Checks a configuration before any work (unknown keys, missing parts). */
export function validateFitConfig(cfg: FitConfig): void {
  if (!cfg || typeof cfg !== 'object') throw new InputError('fit configuration must be a JSON object');
  for (const k of Object.keys(cfg)) if (!KNOWN_KEYS.has(k)) throw new InputError(`unknown key "${k}" in the fit configuration (known: ${[...KNOWN_KEYS].join(', ')})`);
  if (!Array.isArray(cfg.elements) || cfg.elements.length === 0) throw new InputError('fit configuration: "elements" must list the elements, e.g. ["Li", "P", "S"]');
  if (!Array.isArray(cfg.data) || cfg.data.length === 0) throw new InputError('fit configuration: "data" must list at least one data source');
  if (!cfg.basis || !cfg.basis.twoBody) throw new InputError('fit configuration: "basis.twoBody" ({rMin, rMax, intervals}) is required');
  buildLayout({ elements: cfg.elements, ...cfg.basis });
  const grid = (v: unknown, what: string, lo: number, hi: number) => {
    if (v === undefined) return;
    if (!Array.isArray(v) || v.length === 0 || !v.every((x) => typeof x === 'number' && x >= lo && x <= hi)) throw new InputError(`scan.${what} must be a non-empty list of numbers in [${lo}, ${hi}]`);
  };
  grid(cfg.scan?.kappa, 'kappa', 0, 1);
  grid(cfg.scan?.ridge, 'ridge', 0, Infinity);
  grid(cfg.scan?.ridge3, 'ridge3', 0, Infinity);
  grid(cfg.scan?.curvature, 'curvature', 0, Infinity);
  for (const b of cfg.scan?.bases ?? []) buildLayout({ elements: cfg.elements, ...cfg.basis, ...b, twoBody: mergeRange(cfg.basis.twoBody, b.twoBody), threeBody: b.threeBody === null ? undefined : mergeRange(cfg.basis.threeBody, b.threeBody) });
  if (cfg.oneBody !== undefined) for (const e of cfg.elements) if (!(typeof cfg.oneBody[e] === 'number' && Number.isFinite(cfg.oneBody[e]))) throw new InputError(`oneBody must give a number (eV/atom) for every element; ${e} is missing`);
  if (cfg.forceAtomFraction !== undefined && !(cfg.forceAtomFraction > 0 && cfg.forceAtomFraction <= 1)) throw new InputError('forceAtomFraction must lie in (0, 1]');
  const sr = cfg.shortRange;
  if (sr !== undefined) {
    if (!sr || typeof sr !== 'object') throw new InputError('shortRange must be an object {prior, monotoneWall, edgeCount}');
    for (const k of Object.keys(sr)) if (!['prior', 'monotoneWall', 'edgeCount'].includes(k)) throw new InputError(`unknown key "${k}" in shortRange (known: prior, monotoneWall, edgeCount)`);
    if (sr.prior !== undefined && sr.prior !== 'zbl' && sr.prior !== 'none') throw new InputError(`shortRange.prior must be "zbl" or "none", got ${JSON.stringify(sr.prior)}`);
    if (sr.monotoneWall !== undefined && typeof sr.monotoneWall !== 'boolean') throw new InputError('shortRange.monotoneWall must be true or false');
    if (sr.edgeCount !== undefined && !(Number.isInteger(sr.edgeCount) && sr.edgeCount >= 1)) throw new InputError(`shortRange.edgeCount must be an integer ≥ 1, got ${JSON.stringify(sr.edgeCount)}`);
  }
  if (cfg.targets?.kinds !== undefined && !(Array.isArray(cfg.targets.kinds) && cfg.targets.kinds.every((k) => typeof k === 'string'))) throw new InputError('targets.kinds must be a list of data labels');
  if (cfg.output && (typeof cfg.output.dir !== 'string' || typeof cfg.output.name !== 'string')) throw new InputError('output needs "dir" and "name"');
}

function mergeRange<T extends RangeSpec | undefined>(base: T, over: Partial<RangeSpec> | undefined | null): T {
  if (over === undefined || over === null) return base;
  return { ...(base ?? {}), ...over } as T;
}

const now = () => Number(process.hrtime.bigint()) / 1e9;

/**
 * Runs the fit described by `cfg`; paths resolve against baseDir; progress lines go to onProgress; every solved
 * scan setting's model (with its 1-body energies, before any repulsive core) and scan row go to onCandidate,
 * e.g. to test candidates in MD before choosing one.
 */
export async function runFit(cfg: FitConfig, baseDir = '.', onProgress: (msg: string) => void = () => {},
  onCandidate?: (model: UF3Model, row: ScanRow) => void | Promise<void>): Promise<FitResult> {
  validateFitConfig(cfg);
  const t0 = now();
  const els = cfg.elements;
  const sources = cfg.data.map((spec) => {
    const frames = loadSource(spec, baseDir);
    onProgress(`read ${frames.length} frames of ${spec.label ?? spec.path}`);
    return { spec, frames };
  });
  const { train, validation } = splitFrames(sources, cfg.split);
  if (train.length === 0) throw new InputError('no training frames (all frames went to validation)');
  const counts: FitResult['counts'] = {};
  for (const f of train) (counts[f.label] ??= { train: 0, validation: 0 }).train++;
  for (const f of validation) (counts[f.label] ??= { train: 0, validation: 0 }).validation++;
  const e0 = cfg.oneBody ? els.map((e) => cfg.oneBody![e]) : energyBaseline(train, els);
  const baseline = Object.fromEntries(els.map((e, q) => [e, e0[q]]));
  const tLoad = now() - t0;
  const threads = cfg.threads ?? require('node:os').cpus().length;
  const base: SolveSettings = { kappa: 0.5, ridge1: 1e-6, ridge2: 1e-8, ridge3: 1e-8, curvature2: 1e-7, curvature3: 1e-7, ...(cfg.solve ?? {}), ...(cfg.oneBody ? { fixOneBody: true } : {}) };
  const kappas = cfg.scan?.kappa ?? [base.kappa];
  const ridges = cfg.scan?.ridge ?? [base.ridge2 ?? 0];
  const ridge3s: (number | undefined)[] = cfg.scan?.ridge3 ?? [undefined];
  const curvs = cfg.scan?.curvature ?? [base.curvature2 ?? 0];
  const bases = cfg.scan?.bases ?? [{ label: 'basis' }];
  const targetF = cfg.targets?.forceRmse ?? 0.2, targetE = cfg.targets?.energyRmseMeV ?? 10;
  const scored = cfg.targets?.kinds;
  const sr = cfg.shortRange;
  const pairCut = Math.max(cfg.basis.twoBody.rMax, ...Object.values(cfg.basis.twoBody.pairs ?? {}).map((p) => p.rMax ?? 0));
  const edges = sr ? pairEdges(train, els, sr.edgeCount ?? 10, pairCut) : undefined;
  if (edges) onProgress(`data edges (${edges.k}th shortest pair, Å): ${Object.entries(edges.edge).map(([k, v]) => `${k} ${v.toFixed(3)}`).join(', ')}`);
  let shortRange: FitResult['shortRange'];
  const scan: ScanRow[] = [];
  const featurizeS: Record<string, number> = {};
  let solveS = 0;
  let best: { row: ScanRow; model: UF3Model; spec: BasisSpec; label: string; nColumns: number; active: number; srInfo?: Omit<NonNullable<FitResult['shortRange']>, 'active'> } | undefined;
  for (const b of bases) {
    const spec: BasisSpec = {
      elements: els,
      twoBody: mergeRange(cfg.basis.twoBody, b.twoBody) as BasisSpec['twoBody'],
      threeBody: b.threeBody === null ? undefined : mergeRange(cfg.basis.threeBody, b.threeBody),
      trims: { ...(cfg.basis.trims ?? {}), ...(b.trims ?? {}) },
    };
    const layout = buildLayout(spec);
    const tf = now();
    onProgress(`basis ${b.label}: ${layout.nColumns} columns; featurizing ${train.length} training frames on ${threads} thread(s)`);
    let lastPct = -1;
    const ne = await accumulateParallel({ basis: spec, frames: train, baseline: e0, forceAtomFraction: cfg.forceAtomFraction }, threads, (done, total) => {
      const pct = Math.floor((100 * done) / total);
      if (pct >= lastPct + 10 || done === total) { lastPct = pct; onProgress(`  featurized ${done}/${total} frames (${(now() - tf).toFixed(1)} s)`); }
    });
    featurizeS[b.label] = now() - tf;
    const curv = curvatureRows(layout);
    const prior = sr && sr.prior !== 'none' ? zblPrior(layout) : undefined;
    const constraints = sr && sr.monotoneWall !== false && prior ? monotoneWallConstraints(layout, prior, edges!.edge) : undefined;
    const srInfo = sr ? {
      prior: prior ? 'zbl' : 'none', edges: edges!, constraints: constraints?.length ?? 0,
      priorRepresentation: Object.fromEntries(Object.entries(prior?.pairs ?? {}).map(([k, v]) => [k, { maxErrorEv: v.maxErrorEv, maxRelError: v.maxRelError }])),
    } : undefined;
    if (prior) onProgress(`  ZBL prior: largest representation error ${Math.max(...Object.values(prior.pairs).map((v) => v.maxRelError)).toExponential(2)} (relative); ${constraints?.length ?? 0} wall constraints`);
    for (const kappa of kappas) for (const ridge of ridges) for (const r3 of ridge3s) for (const curvature of curvs) {
      const ridge3 = r3 ?? ridge;
      const settings: SolveSettings = { ...base, kappa, ridge2: ridge, ridge3, curvature2: curvature, curvature3: curvature };
      const tag = `κ=${kappa} ridge=${ridge}${r3 === undefined ? '' : ` ridge3=${r3}`} curvature=${curvature}`;
      const ts = now();
      let c: Float64Array;
      let active = 0;
      try {
        c = solveCoefficients(ne, layout, settings, curv, { prior: prior?.columns, constraints, onQP: (q) => { active = q.active; } });
      } catch (e) {
        onProgress(`  ${tag}: ${(e as Error).message}`);
        continue;
      }
      solveS += now() - ts;
      const trainRmse = rmseOf(ne, c);
      const model = withBaseline(modelFromCoefficients(layout, c), e0);
      const val = validation.length > 0 ? evaluateFrames(model, validation, 0).stats : {};
      const kinds = Object.keys(val).filter((k) => k !== 'all' && (!scored || scored.includes(k)));
      const worst = (f: number, e: number) => Math.max(f / targetF, Number.isFinite(e) ? e / targetE : 0);
      const score = kinds.length > 0
        ? Math.max(...kinds.map((k) => worst(val[k].forceRmse, val[k].energyRmseMeV)))
        : worst(trainRmse.forces, 1000 * trainRmse.energy);
      const row: ScanRow = { basis: b.label, nColumns: layout.nColumns, settings, train: { energyRmseMeV: 1000 * trainRmse.energy, forceRmse: trainRmse.forces }, validation: val, score };
      scan.push(row);
      onProgress(`  ${tag}: train ${row.train.energyRmseMeV.toFixed(2)} meV/atom ${row.train.forceRmse.toFixed(3)} eV/Å; ${Object.keys(val).filter((k) => k !== 'all').map((k) => `${k} ${val[k].energyRmseMeV.toFixed(1)}/${val[k].forceRmse.toFixed(3)}`).join(', ')} score ${score.toFixed(3)}${constraints ? ` (${active} active wall constraints)` : ''}`);
      if (onCandidate) await onCandidate(model, row);
      if (!best || score < best.row.score) best = { row, model, spec, label: b.label, nColumns: layout.nColumns, active, srInfo };
    }
  }
  if (!best) throw new InputError('every scan setting failed to solve; increase the ridge regularisation');
  let model: UF3Model = { ...best.model, meta: { name: cfg.name ?? 'uf3-fit', fittedBy: 'ufnmr', basis: best.label, settings: best.row.settings, baseline } };
  if (best.srInfo) shortRange = { ...best.srInfo, active: best.active };
  let core: FitResult['core'];
  if (cfg.repulsiveCore !== false && (cfg.repulsiveCore !== undefined || !sr)) {
    const dataMinDistance = minPairDistances(train, els, 3);
    const rc = repulsiveCore(model, dataMinDistance, cfg.repulsiveCore?.hardness, cfg.repulsiveCore?.minStepEv);
    model = rc.model;
    core = { dataMinDistance, replaced: rc.replaced };
    onProgress(`repulsive core below the data: coefficients replaced ${JSON.stringify(rc.replaced)}`);
  }
  const trainEval = evaluateFrames(model, train);
  const valEval = validation.length > 0 ? evaluateFrames(model, validation) : { stats: {}, parity: {} };
  return {
    model,
    basis: { label: best.label, spec: best.spec, nColumns: best.nColumns },
    settings: best.row.settings,
    baseline,
    scan,
    train: trainEval.stats,
    validation: valEval.stats,
    parity: { train: trainEval.parity, validation: valEval.parity },
    counts,
    core,
    shortRange,
    timing: { loadS: tLoad, featurizeS, solveS, totalS: now() - t0, threads },
    frames: { train, validation },
  };
}

/** Adds the baseline energies to the fitted 1-body terms. */
function withBaseline(m: UF3Model, e0: number[]): UF3Model {
  const oneBody = Object.fromEntries(m.elements.map((e, q) => [e, (m.oneBody[e] ?? 0) + e0[q]]));
  return { ...m, oneBody };
}

/**
 * Writes <dir>/<name>.uf3 (LAMMPS), .json (uf3 JSON with 1-body energies), .metrics.json (chosen
 * settings, per-kind train/validation errors, the scan, timings), .parity.json and .config.json (the
 * exact configuration). Checks that the written .uf3 reads back to identical energies. Returns the paths.
 */
export function writeFitOutputs(result: FitResult, cfg: FitConfig, baseDir = '.'): Record<string, string> {
  if (!cfg.output) throw new InputError('fit configuration has no "output" ({dir, name})');
  const dir = resolve(baseDir, cfg.output.dir);
  mkdirSync(dir, { recursive: true });
  const path = (ext: string) => join(dir, `${cfg.output!.name}${ext}`);
  const uf3Text = formatUf3(result.model, { author: cfg.output.author ?? 'ufnmr' });
  const back = parseUf3(uf3Text, path('.uf3'));
  let roundTrip = 0;
  const frames = [...result.frames.validation, ...result.frames.train].slice(0, 20);
  for (const f of frames) {
    const a = new UF3Potential(result.model, { includeOneBody: false }).bind(f.species, f.pbc).compute(f.positions, f.cell).energy;
    const b = new UF3Potential(back).bind(f.species, f.pbc).compute(f.positions, f.cell).energy;
    roundTrip = Math.max(roundTrip, Math.abs(a - b));
  }
  if (roundTrip !== 0) throw new InputError(`the written .uf3 does not reproduce the fitted energies (max difference ${roundTrip} eV)`);
  const out = { uf3: path('.uf3'), json: path('.json'), metrics: path('.metrics.json'), parity: path('.parity.json'), config: path('.config.json') };
  writeFileAtomic(out.uf3, uf3Text);
  writeFileAtomic(out.json, formatUf3Json(result.model));
  const { model: _m, parity, frames: _f, ...rest } = result;
  void _m; void _f;
  writeFileAtomic(out.metrics, JSON.stringify({ ...rest, uf3RoundTripMaxDiffEV: roundTrip, roundTripFrames: frames.length }, null, 1) + '\n');
  writeFileAtomic(out.parity, JSON.stringify(parity) + '\n');
  writeFileAtomic(out.config, JSON.stringify(cfg, null, 2) + '\n');
  return out;
}
