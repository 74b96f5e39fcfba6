/**
 * The study configuration (studies/<name>.json): everything the end-to-end pipeline needs, validated
 * completely (unknown keys, units in key names, missing files, MD sections through the md.json parser)
 * before any work starts. Relative paths are resolved against the directory of the config file.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { InputError, ParseError } from '../core/errors';
import { ConfigSection } from '../md/configReader';
import { parseMDConfig, parseThermostat, type ThermostatSpec } from '../md/config';

/** Crystalline (β: sites from a CIF) or amorphous (melt-quench, sites from the Li density). */
export type StudySystem = 'crystalline' | 'amorphous';

/** FIRE relaxation of the crystalline starting structure. */
export interface RelaxSpec { fmaxEvPerA: number; maxSteps: number; cell: false | 'isotropic' | 'orthorhombic' | 'full'; pressureGPa: number }

/** A validated study configuration (all paths absolute). */
export interface StudyConfig {
  /** Absolute path of the config file ('' when built in code). */
  file: string;
  name: string;
  system: StudySystem;
  /** The md.json "potential" section, paths made absolute (validated by the MD config parser). */
  potential: Record<string, unknown>;
  /** Absolute path of the potential file when the potential is a file (for content hashing). */
  potentialFile?: string;
  efgModel: string;
  outputDirectory: string;
  threads: number;
  seed: number;
  timestepFs: number;
  masses?: Record<string, number>;
  structure: { file: string; supercell: [number, number, number]; relax?: RelaxSpec };
  /** Melt-quench protocol (md.json protocol fields without "type"), amorphous only; pressures in GPa. */
  meltQuench?: Record<string, unknown>;
  temperaturesK: number[];
  equilibration: { steps: number; thermostat: ThermostatSpec };
  production: {
    steps: number;
    ensemble: 'nvt' | 'nve';
    thermostat?: ThermostatSpec;
    frameEverySteps: number;
    checkpointEverySteps: number;
    precision: 'f32' | 'f64';
  };
  efg: { workers: number };
  nmr: { coarseFs: number; maxLagPs: number; fitWindowPs: [number, number]; bootstrap: number; freeAmplitude: boolean };
  /**
   * Crystalline: site CIF and snap radius onto the relaxed Li (Å); r_in and its scan (Å) of the primary sites; window (fs)
   * and thresholds (Å) of the windowed-displacement hops (amorphous, and the crystalline density-site cross-check).
   */
  hops: { sites?: string; snapA: number; rInA?: number; rInScanA?: number[]; windowFs: number; thresholdsA: number[] };
  msd: { maxLagPs: number; fitWindowPs: [number, number] };
  figures: { formats: ('svg' | 'png' | 'pdf' | 'json')[] };
}

const TOP = ['comment', 'name', 'system', 'potential', 'efgModel', 'outputDirectory', 'threads', 'seed', 'timestepFs', 'masses', 'structure', 'meltQuench',
  'temperaturesK', 'equilibration', 'production', 'efg', 'nmr', 'hops', 'msd', 'figures'] as const;

/** Reads and validates a study config file. */
export function readStudyConfig(path: string): StudyConfig {
  if (!existsSync(path)) throw new InputError(`study config ${path} does not exist`);
  let obj: unknown;
  try {
    obj = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new ParseError({ file: path, line: 1 }, 'a JSON object', (e as Error).message);
  }
  return parseStudyConfig(obj, resolve(path));
}

function window(s: ConfigSection, key: string, def: [number, number]): [number, number] {
  const w = s.numbers(key, { length: 2, min: 0, unit: 'ps' });
  if (!w) return def;
  if (!(w[1] > w[0])) throw new InputError(`${s.where}.${key}: the window end must exceed its start, got [${w.join(', ')}]`);
  return [w[0], w[1]];
}

/** Validates a study config object; `file` (absolute) anchors relative paths and messages. */
export function parseStudyConfig(obj: unknown, file = ''): StudyConfig {
  const where = file || 'study config';
  const c = new ConfigSection(obj as Record<string, unknown>, where);
  c.checkKeys(TOP);
  c.raw('comment');
  const base = file ? dirname(file) : process.cwd();
  const abs = (p: string) => resolve(base, p);
  const mustExist = (p: string, key: string) => { if (!existsSync(p)) throw new InputError(`${where}.${key}: ${p} does not exist`); return p; };

  const system = c.string('system', { required: true, oneOf: ['crystalline', 'amorphous'] }) as StudySystem;
  const name = c.string('name', { required: true });
  if (!/^[A-Za-z0-9._-]+$/.test(name)) throw new InputError(`${where}.name: use letters, digits, '.', '_' or '-' (it names files), got ${JSON.stringify(name)}`);

  const pot = c.section('potential', true)!;
  const potential: Record<string, unknown> = { ...pot.obj };
  let potentialFile: string | undefined;
  if (typeof potential.file === 'string') potentialFile = potential.file = mustExist(abs(potential.file), 'potential.file');

  const st = c.section('structure', true)!;
  st.checkKeys(['file', 'supercell', 'relax']);
  const structure: StudyConfig['structure'] = {
    file: mustExist(abs(st.string('file', { required: true })), 'structure.file'),
    supercell: (st.numbers('supercell', { length: 3, min: 1, integer: true }) ?? [1, 1, 1]) as [number, number, number],
  };
  const rl = st.section('relax');
  if (rl) {
    rl.checkKeys(['fmaxEvPerA', 'maxSteps', 'cell', 'pressureGPa']);
    const cell = rl.raw('cell');
    if (cell !== undefined && cell !== false && !['isotropic', 'orthorhombic', 'full'].includes(cell as string))
      throw new InputError(`${rl.where}.cell: must be false, "isotropic", "orthorhombic" or "full", got ${JSON.stringify(cell)}`);
    structure.relax = {
      fmaxEvPerA: rl.number('fmaxEvPerA', { def: 0.02, gt: 0, unit: 'eV/Å' }), maxSteps: rl.number('maxSteps', { def: 2000, integer: true, min: 1 }),
      cell: (cell ?? false) as RelaxSpec['cell'], pressureGPa: rl.number('pressureGPa', { def: 0, unit: 'GPa' }),
    };
  }

  const meltRaw = c.section('meltQuench');
  if (system === 'amorphous' && !meltRaw) throw new InputError(`${where}: an amorphous study needs "meltQuench" (the md.json melt-quench protocol fields)`);
  if (system === 'crystalline' && meltRaw) throw new InputError(`${where}: "meltQuench" belongs to amorphous studies`);
  if (system === 'amorphous' && structure.relax) throw new InputError(`${where}.structure.relax: an amorphous study relaxes inside the melt-quench; give meltQuench settings instead`);

  const temperaturesK = c.numbers('temperaturesK', { required: true, min: 1, unit: 'K' })!;
  if (new Set(temperaturesK).size !== temperaturesK.length) throw new InputError(`${where}.temperaturesK: temperatures must be distinct, got [${temperaturesK.join(', ')}]`);

  const eq = c.section('equilibration', true)!;
  eq.checkKeys(['steps', 'thermostat']);
  const equilibration = { steps: eq.number('steps', { required: true, integer: true, min: 1 }), thermostat: parseThermostat(eq.section('thermostat', true)!) };

  const pr = c.section('production', true)!;
  pr.checkKeys(['steps', 'ensemble', 'thermostat', 'frameEverySteps', 'checkpointEverySteps', 'precision']);
  const ensemble = pr.string('ensemble', { def: 'nvt', oneOf: ['nvt', 'nve'] }) as 'nvt' | 'nve';
  const production: StudyConfig['production'] = {
    steps: pr.number('steps', { required: true, integer: true, min: 1 }), ensemble,
    thermostat: ensemble === 'nvt' ? parseThermostat(pr.section('thermostat', true)!) : undefined,
    frameEverySteps: pr.number('frameEverySteps', { def: 10, integer: true, min: 1 }),
    checkpointEverySteps: pr.number('checkpointEverySteps', { def: 5000, integer: true, min: 1 }),
    precision: pr.string('precision', { def: 'f32', oneOf: ['f32', 'f64'] }) as 'f32' | 'f64',
  };
  if (ensemble === 'nve' && pr.has('thermostat')) throw new InputError(`${pr.where}: an "nve" production takes no thermostat`);
  if (production.steps < 8 * production.frameEverySteps) throw new InputError(`${pr.where}: ${production.steps} steps give fewer than 8 frames at frameEverySteps ${production.frameEverySteps}`);

  const ef = c.section('efg') ?? new ConfigSection({}, `${where}.efg`);
  ef.checkKeys(['workers']);
  const nm = c.section('nmr') ?? new ConfigSection({}, `${where}.nmr`);
  nm.checkKeys(['coarseFs', 'maxLagPs', 'fitWindowPs', 'bootstrap', 'freeAmplitude']);
  const timestepFs = c.number('timestepFs', { required: true, gt: 0, max: 20, unit: 'fs' });
  const dtFrameFs = production.frameEverySteps * timestepFs;
  const nmr: StudyConfig['nmr'] = {
    coarseFs: nm.number('coarseFs', { def: dtFrameFs, gt: 0, unit: 'fs' }), maxLagPs: nm.number('maxLagPs', { required: true, gt: 0, unit: 'ps' }),
    fitWindowPs: window(nm, 'fitWindowPs', [0, Infinity]), bootstrap: nm.number('bootstrap', { def: 200, integer: true, min: 0 }), freeAmplitude: nm.boolean('freeAmplitude', false),
  };
  if (Math.abs(Math.round(nmr.coarseFs / dtFrameFs) * dtFrameFs - nmr.coarseFs) > 1e-9 * dtFrameFs)
    throw new InputError(`${nm.where}.coarseFs: ${nmr.coarseFs} fs is not a whole number of frames (${dtFrameFs} fs apart)`);
  if (!Number.isFinite(nmr.fitWindowPs[1])) nmr.fitWindowPs = [nmr.coarseFs / 1000, nmr.maxLagPs];

  const hp = c.section('hops') ?? new ConfigSection({}, `${where}.hops`);
  hp.checkKeys(system === 'crystalline' ? ['sites', 'snapA', 'rInA', 'rInScanA', 'windowFs', 'thresholdsA'] : ['rInA', 'rInScanA', 'windowFs', 'thresholdsA']);
  const hops: StudyConfig['hops'] = {
    snapA: hp.number('snapA', { def: 1.0, min: 0, unit: 'Å' }),
    rInA: hp.has('rInA') ? hp.number('rInA', { gt: 0, unit: 'Å' }) : undefined, rInScanA: hp.numbers('rInScanA', { min: 0, unit: 'Å' }),
    windowFs: hp.number('windowFs', { def: 100, gt: 0, unit: 'fs' }), thresholdsA: hp.numbers('thresholdsA', { min: 0, unit: 'Å' }) ?? [1.5, 2, 2.5],
  };
  if (system === 'crystalline') hops.sites = mustExist(abs(hp.string('sites', { required: true })), 'hops.sites');

  const ms = c.section('msd') ?? new ConfigSection({}, `${where}.msd`);
  ms.checkKeys(['maxLagPs', 'fitWindowPs']);
  const msdMax = ms.number('maxLagPs', { required: true, gt: 0, unit: 'ps' });
  const msd = { maxLagPs: msdMax, fitWindowPs: window(ms, 'fitWindowPs', [0.2 * msdMax, msdMax]) };
  if (msd.fitWindowPs[1] > msdMax) throw new InputError(`${ms.where}.fitWindowPs: ends at ${msd.fitWindowPs[1]} ps, beyond maxLagPs ${msdMax}`);

  const fg = c.section('figures') ?? new ConfigSection({}, `${where}.figures`);
  fg.checkKeys(['formats']);
  const formats = (fg.strings('formats') ?? ['svg', 'png', 'pdf']) as StudyConfig['figures']['formats'];
  for (const f of formats) if (!['svg', 'png', 'pdf', 'json'].includes(f)) throw new InputError(`${fg.where}.formats: unknown format ${JSON.stringify(f)} (svg, png, pdf, json)`);

  const cfg: StudyConfig = {
    file, name, system, potential, potentialFile,
    efgModel: mustExist(abs(c.string('efgModel', { required: true })), 'efgModel'),
    outputDirectory: abs(c.string('outputDirectory', { def: `../runs/${name}` })),
    threads: c.number('threads', { def: 2, integer: true, min: 1, max: 64 }),
    seed: c.number('seed', { def: 1, integer: true, min: 0 }),
    timestepFs,
    masses: c.section('masses')?.obj as Record<string, number> | undefined,
    structure, meltQuench: meltRaw?.obj, temperaturesK, equilibration, production,
    efg: { workers: ef.number('workers', { def: 2, integer: true, min: 1, max: 64 }) },
    nmr, hops, msd, figures: { formats },
  };
  // The MD parts are checked by the md.json parser now, so that a bad thermostat or potential fails before any work.
  parseMDConfig(mdConfigObject(cfg, { structure: cfg.structure.file, stage: 'equilibrate', temperatureK: temperaturesK[0] }), file);
  if (production.ensemble === 'nvt') parseMDConfig(mdConfigObject(cfg, { structure: cfg.structure.file, stage: 'production', temperatureK: temperaturesK[0] }), file);
  if (system === 'amorphous') parseMDConfig(meltQuenchConfigObject(cfg, '/nonexistent'), file);
  return cfg;
}

/** What an MD stage of the study runs: the equilibration or production at one temperature. */
export interface MdStageRequest { structure: string; stage: 'equilibrate' | 'production'; temperatureK: number; directory?: string }

/** The md.json object of an equilibration (NVT from Maxwell–Boltzmann velocities) or production run. */
export function mdConfigObject(cfg: StudyConfig, r: MdStageRequest): Record<string, unknown> {
  const T = r.temperatureK, p = cfg.production;
  const common = { structure: r.structure, potential: cfg.potential, masses: cfg.masses, threads: cfg.threads, timestepFs: cfg.timestepFs, progressIntervalMs: 5000 };
  const seed = cfg.seed * 100003 + Math.round(T) * 10 + (r.stage === 'production' ? 1 : 0);
  const directory = r.directory ?? '.';
  if (r.stage === 'equilibrate') {
    return plain({
      ...common, seed, velocities: { temperatureK: T, seed },
      stages: [{ name: 'equilibrate', steps: cfg.equilibration.steps, ensemble: 'nvt', temperatureK: T, thermostat: cfg.equilibration.thermostat }],
      output: { directory, thermo: { every: Math.max(1, Math.round(cfg.equilibration.steps / 500)) }, checkpoint: { every: Math.max(1, Math.min(p.checkpointEverySteps, cfg.equilibration.steps)) }, final: 'final.xyz' },
    });
  }
  const stage = p.ensemble === 'nve' ? { name: 'production', steps: p.steps, ensemble: 'nve' } : { name: 'production', steps: p.steps, ensemble: 'nvt', temperatureK: T, thermostat: p.thermostat };
  return plain({
    ...common, seed, velocities: 'structure', stages: [stage],
    output: {
      directory, thermo: { every: p.frameEverySteps * Math.max(1, Math.round(100 / p.frameEverySteps)) },
      trajectory: { every: p.frameEverySteps, precision: p.precision, chunkFrames: 64 },
      checkpoint: { every: Math.min(p.checkpointEverySteps, p.steps) }, final: 'final.xyz',
    },
  });
}

/** A JSON-plain copy (undefined members dropped), as the md.json file will hold it. */
function plain(o: Record<string, unknown>): Record<string, unknown> {
  return JSON.parse(JSON.stringify(o)) as Record<string, unknown>;
}

/** The md.json object of the amorphous melt-quench run (the melt-quench protocol; a frame every 500 steps for checks). */
export function meltQuenchConfigObject(cfg: StudyConfig, directory: string): Record<string, unknown> {
  const mq = cfg.meltQuench ?? {};
  const start = typeof mq.startTemperatureK === 'number' ? mq.startTemperatureK : 300;
  return plain({
    structure: cfg.structure.file, supercell: cfg.structure.supercell, potential: cfg.potential, masses: cfg.masses, threads: cfg.threads,
    timestepFs: cfg.timestepFs, seed: cfg.seed, velocities: { temperatureK: start }, progressIntervalMs: 5000,
    protocol: { type: 'melt-quench', ...mq },
    output: { directory, thermo: { every: 100 }, trajectory: { every: 500, precision: 'f32' }, checkpoint: { every: cfg.production.checkpointEverySteps }, final: 'final.xyz' },
  });
}
