/**
 * The end-to-end study (the project's main job): structure → per temperature (equilibration → production
 * trajectory → EFG series → ω_Q ACF + KWW fit → hops + MSD) → summary (rates side by side, Arrhenius fits)
 * → figures. Every stage writes its outputs atomically and a manifest last (manifest.ts); with `resume`, a stage
 * whose manifest matches the current hash is skipped and MD jobs continue from their checkpoints. `only`
 * limits the run to some stages (their inputs must be current).
 */
import { cpSync, existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { replaceDirectoryAtomic, writeFileAtomic } from '../io/atomic';
import { InputError } from '../core/errors';
import type { MDProgress, ProgressCallback } from '../md/progress';
import { dynamicsStage, efgStage, nmrStage, sitesOnStudyCell, writeJson, type DynamicsStageResult, type EfgStageResult, type NmrStageResult } from './analysisStages';
import type { StudyConfig } from './config';
import { mdConfigObject } from './config';
import { writeStudyFigures } from './figures';
import { contentHash, manifestIsCurrent, readManifest, stableHash, STAGE_NAMES, writeManifest, type StageManifest, type StageName } from './manifest';
import { runMdJob } from './mdJob';
import { prepareCrystal, prepareGlass, type StructureResult } from './structureStage';
import { agreement, arrheniusFits, temperatureRow, type TemperatureRow } from './summary';

/** Options of {@link runStudy}. */
export interface StudyRunOptions {
  /** Skip stages that are current, continue MD runs from their checkpoints. */
  resume?: boolean;
  /** Run only these stages (the others must be current). */
  only?: StageName[];
  /** Messages (stage starts/skips, warnings), e.g. to stderr. */
  log?: (text: string) => void;
  /** MD progress callback factory (one per MD job, labelled with the stage folder). */
  progress?: (label: string) => ProgressCallback;
}

/** The results.json document. */
export interface StudyResults {
  format: 'ufnmr-study-results';
  version: 1;
  name: string;
  system: StudyConfig['system'];
  configFile: string;
  outputDirectory: string;
  created: string;
  /** The pinned copies the stages used (under <out>/inputs), the files they were copied from, and content hashes. */
  inputs: { potential: Record<string, unknown>; potentialSource?: string; potentialHash: string; efgModel: string; efgModelSource: string; efgModelHash: string; structure: string };
  settings: Pick<StudyConfig, 'timestepFs' | 'production' | 'equilibration' | 'nmr' | 'hops' | 'msd'>;
  structure: StructureResult;
  md: { temperatureK: number; equilibration: Record<string, unknown>; production: Record<string, unknown> }[];
  rows: TemperatureRow[];
  arrhenius: ReturnType<typeof arrheniusFits>;
  agreement: ReturnType<typeof agreement>;
  /** Stage output files per temperature, relative to the output directory. */
  files: { temperatureK: number; trajectory: string; efg: string; acf: string; hops: string; msd: string }[];
  figures?: Record<string, string[]>;
}

/** Folder name of a temperature. */
export function temperatureKey(T: number): string {
  return `T${String(T).replace('.', 'p')}K`;
}

/** Mean of the temperature column of an MD thermo.csv (rows after step 0), K. */
export function meanThermoTemperature(csv: string): number {
  const lines = readFileSync(csv, 'utf8').trim().split('\n');
  const col = lines[0].split(',').indexOf('temp_K');
  if (col < 0) throw new InputError(`${csv}: no temp_K column`);
  const v = lines.slice(2).map((l) => Number(l.split(',')[col])).filter(Number.isFinite);
  return v.length ? v.reduce((a, b) => a + b, 0) / v.length : NaN;
}

function checkOnly(only: StageName[] | undefined): Set<StageName> | undefined {
  if (!only) return undefined;
  for (const s of only) if (!(STAGE_NAMES as readonly string[]).includes(s)) throw new InputError(`--only: unknown stage ${JSON.stringify(s)} (stages: ${STAGE_NAMES.join(', ')})`);
  return new Set(only);
}

/** Copies a file or folder to `dst` (atomically) unless `dst` already has the same contents; returns `dst`. */
export function pinInput(src: string, dst: string): string {
  if (existsSync(dst) && contentHash(dst) === contentHash(src)) return dst;
  if (statSync(src).isDirectory()) replaceDirectoryAtomic(dst, (tmp) => cpSync(src, tmp, { recursive: true }));
  else writeFileAtomic(dst, readFileSync(src));
  return dst;
}

/** Runs (or resumes) a study; resolves with the results.json document. */
export async function runStudy(cfg: StudyConfig, o: StudyRunOptions = {}): Promise<StudyResults> {
  const log = o.log ?? (() => {});
  const only = checkOnly(o.only);
  const resume = !!o.resume;
  const out = cfg.outputDirectory;
  const studyFile = join(out, 'study.json');
  if (existsSync(studyFile) && !resume && !only) throw new InputError(`${out} already holds this study's outputs: add --resume to continue it (finished stages are skipped), --only STAGES to redo some stages, or choose another outputDirectory`);
  mkdirSync(out, { recursive: true });
  writeJson(studyFile, { format: 'ufnmr-study', version: 1, config: cfg, written: new Date().toISOString() });

  // Inputs are pinned: the potential and the EFG model are copied into <out>/inputs at the start of every run and
  // all stages read the copies, so a file edited while the study runs cannot mix into it (a changed input shows up
  // as new hashes at the next run: MD stages then refuse to resume, analyses rerun).
  const sources = { potential: cfg.potentialFile, efgModel: cfg.efgModel };
  const inputsDir = join(out, 'inputs');
  mkdirSync(inputsDir, { recursive: true });
  const pinnedPotential = cfg.potentialFile ? pinInput(cfg.potentialFile, join(inputsDir, basename(cfg.potentialFile))) : undefined;
  const pinnedModel = pinInput(cfg.efgModel, join(inputsDir, 'efg-model'));
  cfg = { ...cfg, potential: pinnedPotential ? { ...cfg.potential, file: pinnedPotential } : cfg.potential, potentialFile: pinnedPotential, efgModel: pinnedModel };
  const potentialHash = pinnedPotential ? contentHash(pinnedPotential) : stableHash(cfg.potential);
  const efgModelHash = contentHash(pinnedModel);

  const stage = async (key: string, name: StageName, hash: string, run: (dir: string) => Promise<{ result: Record<string, unknown>; outputs: string[] }>): Promise<StageManifest> => {
    const dir = join(out, key);
    const m = readManifest(dir);
    const selected = !only || only.has(name);
    if (manifestIsCurrent(dir, m, hash) && (!selected || resume)) { log(`study ${key}: done, skipped\n`); return m; }
    if (!selected) throw new InputError(`stage ${key} has no current outputs for this configuration: include "${name}" in --only (or leave --only out)`);
    mkdirSync(dir, { recursive: true });
    log(`study ${key}: running\n`);
    const t0 = performance.now();
    const r = await run(dir);
    return writeManifest(dir, { stage: name, key, hash, outputs: r.outputs, result: { ...r.result, stageWallS: (performance.now() - t0) / 1000 } });
  };
  const mdOpts = (key: string, jobHash: string, extendable = false) => {
    let cb: ProgressCallback | undefined; // made on the first event, so skipped stages make no progress display
    return { resume, log, extendable, jobHash, onProgress: o.progress ? ((p: MDProgress) => (cb ??= o.progress!(key))({ ...p, label: key })) : undefined };
  };

  // ---- structure
  const structureHash = stableHash({
    system: cfg.system, potentialHash, structure: { ...cfg.structure, file: contentHash(cfg.structure.file) }, meltQuench: cfg.meltQuench,
    timestepFs: cfg.timestepFs, seed: cfg.seed, masses: cfg.masses,
  });
  const sm = await stage('structure', 'structure', structureHash, async (dir) => {
    const result = cfg.system === 'crystalline' ? prepareCrystal(cfg, dir, log) : await prepareGlass(cfg, dir, mdOpts('structure/melt-quench', structureHash));
    return { result: result as unknown as Record<string, unknown>, outputs: ['initial.xyz'] };
  });
  const initial = join(out, 'structure', 'initial.xyz');

  // ---- per temperature
  const perT: { T: number; eq: StageManifest; prod: StageManifest; efg: StageManifest; nmrHash: string; dynHash: string }[] = [];
  for (const T of cfg.temperaturesK) {
    const tk = temperatureKey(T);
    const eqHash = stableHash({ structureHash, T, equilibration: cfg.equilibration });
    const eq = await stage(`${tk}/equilibrate`, 'equilibrate', eqHash, async (dir) => {
      const r = await runMdJob(dir, mdConfigObject(cfg, { structure: initial, stage: 'equilibrate', temperatureK: T }), mdOpts(`${tk}/equilibrate`, eqHash));
      return { result: { measuredTemperatureK: meanThermoTemperature(join(dir, 'thermo.csv')), nsPerDay: r.nsPerDay, katomStepsPerS: r.katomStepsPerS, final: r.final }, outputs: ['final.xyz', 'thermo.csv'] };
    });
    const prodHash = stableHash({ eqHash, production: cfg.production });
    const prod = await stage(`${tk}/production`, 'production', prodHash, async (dir) => {
      const r = await runMdJob(dir, mdConfigObject(cfg, { structure: join(out, tk, 'equilibrate', 'final.xyz'), stage: 'production', temperatureK: T }), mdOpts(`${tk}/production`, stableHash({ eqHash, production: { ...cfg.production, steps: 0 } }), true));
      const p = cfg.production;
      return {
        result: {
          measuredTemperatureK: meanThermoTemperature(join(dir, 'thermo.csv')), productionPs: (p.steps * cfg.timestepFs) / 1000, steps: p.steps,
          frameDtFs: p.frameEverySteps * cfg.timestepFs, frames: Math.floor(p.steps / p.frameEverySteps) + 1, ensemble: p.ensemble, thermostat: p.thermostat,
          nsPerDay: r.nsPerDay, katomStepsPerS: r.katomStepsPerS, natoms: r.natoms, final: r.final,
        },
        outputs: ['trajectory.uftraj', 'final.xyz', 'thermo.csv'],
      };
    });
    const traj = join(out, tk, 'production', 'trajectory.uftraj');
    const dtFs = prod.result.frameDtFs as number;
    const efgHash = stableHash({ prodHash, efgModelHash });
    const efg = await stage(`${tk}/efg`, 'efg', efgHash, async (dir) => ({ result: { ...(await efgStage(cfg, traj, dtFs, dir, log)) }, outputs: ['efg.npy'] }));
    const nmrHash = stableHash({ efgHash, nmr: cfg.nmr, seed: cfg.seed });
    await stage(`${tk}/nmr`, 'nmr', nmrHash, async (dir) => {
      const r = nmrStage(cfg, join(out, tk, 'efg', 'efg.npy'), dtFs);
      writeJson(join(dir, 'acf.json'), r);
      return { result: { rateHz: r.rateHz, rateErrHz: r.rateErrHz, fitOk: r.fit.ok }, outputs: ['acf.json'] };
    });
    const sitesHash = cfg.hops.sites ? contentHash(cfg.hops.sites) : '';
    const dynHash = stableHash({ prodHash, structureHash, hops: cfg.hops, sitesHash, msd: cfg.msd });
    await stage(`${tk}/dynamics`, 'dynamics', dynHash, async (dir) => {
      const sites = cfg.system === 'crystalline' ? sitesOnStudyCell(cfg.hops.sites!, cfg.structure.supercell, initial, join(dir, 'sites.cif'), cfg.hops.snapA) : undefined;
      const r = dynamicsStage(cfg, traj, log, sites?.file);
      writeJson(join(dir, 'hops.json'), { ...r.hops, sitesInfo: sites, gammaFromDHz: r.gammaFromDHz, gammaFromDErrHz: r.gammaFromDErrHz });
      writeJson(join(dir, 'msd.json'), r.msd);
      return { result: { hopRateHz: r.hops.rateHz, dM2PerS: r.msd.li.dM2PerS, gammaFromDHz: r.gammaFromDHz }, outputs: ['hops.json', 'msd.json', ...(sites ? ['sites.cif'] : [])] };
    });
    perT.push({ T, eq, prod, efg, nmrHash, dynHash });
  }

  // ---- summary
  const summaryHash = stableHash({ structureHash, perT: perT.map((p) => [p.T, p.nmrHash, p.dynHash, p.efg.hash]) });
  const readJson = <X>(p: string): X => JSON.parse(readFileSync(p, 'utf8')) as X;
  const stageFiles = (T: number) => {
    const tk = temperatureKey(T);
    return { temperatureK: T, trajectory: `${tk}/production/trajectory.uftraj`, efg: `${tk}/efg/efg.npy`, acf: `${tk}/nmr/acf.json`, hops: `${tk}/dynamics/hops.json`, msd: `${tk}/dynamics/msd.json` };
  };
  const load = () => perT.map((p) => {
    const f = stageFiles(p.T);
    const hops = readJson<DynamicsStageResult['hops'] & { gammaFromDHz: number | null; gammaFromDErrHz: number | null }>(join(out, f.hops));
    return {
      p, nmr: readJson<NmrStageResult>(join(out, f.acf)), msd: readJson<DynamicsStageResult['msd']>(join(out, f.msd)), hops,
      efg: p.efg.result as unknown as EfgStageResult,
    };
  });
  let results: StudyResults | undefined;
  const resultsPath = join(out, 'results.json');
  const sum = await stage('summary', 'summary', summaryHash, async () => {
    const loaded = load();
    const rows = loaded.map((x) => temperatureRow({
      temperatureK: x.p.T,
      production: { measuredTemperatureK: x.p.prod.result.measuredTemperatureK as number, productionPs: x.p.prod.result.productionPs as number },
      efg: x.efg, nmr: x.nmr,
      dynamics: { hops: x.hops, msd: x.msd, gammaFromDHz: x.hops.gammaFromDHz ?? NaN, gammaFromDErrHz: x.hops.gammaFromDErrHz ?? NaN },
    }));
    results = {
      format: 'ufnmr-study-results', version: 1, name: cfg.name, system: cfg.system, configFile: cfg.file, outputDirectory: out, created: new Date().toISOString(),
      inputs: { potential: cfg.potential, potentialSource: sources.potential, potentialHash, efgModel: cfg.efgModel, efgModelSource: sources.efgModel, efgModelHash, structure: cfg.structure.file },
      settings: { timestepFs: cfg.timestepFs, production: cfg.production, equilibration: cfg.equilibration, nmr: cfg.nmr, hops: cfg.hops, msd: cfg.msd },
      structure: sm.result as unknown as StructureResult,
      md: perT.map((p) => ({ temperatureK: p.T, equilibration: p.eq.result, production: p.prod.result })),
      rows, arrhenius: arrheniusFits(rows), agreement: agreement(rows), files: perT.map((p) => stageFiles(p.T)),
    };
    writeJson(resultsPath, results);
    return { result: { agreement: results.agreement }, outputs: ['../results.json'] };
  });
  results = readJson<StudyResults>(resultsPath); // as stored (NaN → null), the same whether or not the stage ran now

  // ---- figures
  await stage('figures', 'figures', stableHash({ summary: sum.hash, figures: cfg.figures }), async (dir) => {
    const loaded = load();
    const r = results!;
    const files = await writeStudyFigures({
      name: cfg.name, rows: r.rows, arrhenius: r.arrhenius,
      acf: loaded.map((x) => ({ temperatureK: x.p.T, nmr: x.nmr })), msd: loaded.map((x) => ({ temperatureK: x.p.T, msd: x.msd })),
    }, dir, cfg.figures.formats);
    return { result: { files }, outputs: Object.values(files).flat() };
  });
  return results;
}
