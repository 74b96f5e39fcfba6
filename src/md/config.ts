/**
 * The `md.json` run configuration: parsed and validated completely (unknown keys, wrong types, values
 * without their unit suffix, negative time steps, missing files) before any work starts. Units are in
 * the key names: Fs (fs), K, GPa, A (Å), PerGPa (1/GPa), EvPerA (eV/Å). Relative paths are resolved
 * against the directory of the config file. See README.md (MD section) for an example.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { InputError, ParseError } from '../core/errors';
import { ConfigSection } from './configReader';
import { expandProtocol } from './protocols';

/** Thermostat settings of a stage. */
export interface ThermostatSpec { type: 'langevin' | 'bussi' | 'nose-hoover'; /** τ (fs): damping time (Langevin) or relaxation time. */ tauFs: number; chainLength?: number }
/** Barostat settings of a stage. */
export interface BarostatSpec {
  type: 'c-rescale';
  /** Target pressure ramp [start, end], GPa. */
  pressureGPa: [number, number];
  tauFs: number;
  compressibilityPerGPa: number;
  mode: 'isotropic' | 'anisotropic';
  every: number;
}
/** One stage as configured. */
export interface StageSpec {
  name: string;
  steps: number;
  ensemble: 'nve' | 'nvt' | 'npt';
  /** Thermostat target ramp [start, end], K (nvt, npt). */
  temperatureK?: [number, number];
  thermostat?: ThermostatSpec;
  barostat?: BarostatSpec;
}

/** The potential: a UF3 file (.uf3 or uf3 JSON) or Lennard-Jones parameters. */
export type PotentialSpec =
  | { kind: 'uf3'; file: string; skinA: number; belowRange: 'error' | 'extrapolate' }
  | { kind: 'lennard-jones'; pairs: Record<string, { epsilon: number; sigma: number; cutoff: number }>; shift: boolean; skinA: number };

/** A validated configuration. */
export interface MDConfig {
  /** Absolute path of the config file ('' when built in code). */
  file: string;
  structure: string;
  frame: number;
  typeMap?: string[];
  supercell?: [number, number, number];
  potential: PotentialSpec;
  masses?: Record<string, number>;
  threads: number;
  seed: number;
  timestepFs: number;
  velocities: { source: 'structure' | 'zero' } | { source: 'maxwell-boltzmann'; temperatureK: number; seed: number; removeCom: boolean; exact: boolean };
  minimize?: { fmaxEvPerA: number; maxSteps: number; cell: false | 'isotropic' | 'orthorhombic' | 'full'; pressureGPa: number };
  stages: StageSpec[];
  /** Set when the stages came from a protocol. */
  protocol?: { type: string; [k: string]: unknown };
  removeComEvery: number;
  output: {
    directory: string;
    thermo?: { file: string; every: number; groups: 'elements' | 'none' };
    trajectory?: { file: string; every: number; velocities: boolean; forces: boolean; precision: 'f64' | 'f32'; chunkFrames: number };
    checkpoint: { file: string; every: number };
    final?: string;
    overwrite: boolean;
  };
  guards: { maxTemperatureK: number; maxEnergyDriftEvPerAtom: number; every: number };
  progressIntervalMs: number;
}

/** Reads and validates an md.json file. */
export function readMDConfig(path: string): MDConfig {
  if (!existsSync(path)) throw new InputError(`config file ${path} does not exist`);
  let obj: unknown;
  try {
    obj = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new ParseError({ file: path, line: 1 }, 'a JSON object', (e as Error).message);
  }
  return parseMDConfig(obj, resolve(path));
}

const TOP_KEYS = ['structure', 'frame', 'typeMap', 'supercell', 'potential', 'masses', 'threads', 'seed', 'timestepFs', 'velocities', 'minimize',
  'stages', 'protocol', 'removeComEvery', 'output', 'guards', 'progressIntervalMs', 'comment'] as const;

/** Validates a config object; `file` (absolute) anchors relative paths and error messages. */
export function parseMDConfig(obj: unknown, file = ''): MDConfig {
  const name = file || 'md config';
  const c = new ConfigSection(obj as Record<string, unknown>, name);
  c.checkKeys(TOP_KEYS);
  const base = file ? dirname(file) : process.cwd();
  const abs = (p: string) => resolve(base, p);
  const structure = abs(c.string('structure', { required: true }));
  if (!existsSync(structure)) throw new InputError(`${name}.structure: file ${structure} does not exist`);
  const seed = c.number('seed', { def: 1, integer: true, min: 0 });
  const timestepFs = c.number('timestepFs', { required: true, gt: 0, max: 20, unit: 'fs' });
  const cfg: MDConfig = {
    file, structure,
    frame: c.number('frame', { def: 0, integer: true }),
    typeMap: c.strings('typeMap'),
    supercell: c.numbers('supercell', { length: 3, min: 1, integer: true }) as [number, number, number] | undefined,
    potential: parsePotential(c.section('potential', true)!, abs),
    masses: parseMasses(c.section('masses')),
    threads: c.number('threads', { def: 1, integer: true, min: 1, max: 64 }),
    seed, timestepFs,
    velocities: parseVelocities(c, seed),
    minimize: parseMinimize(c.section('minimize')),
    stages: [],
    removeComEvery: c.number('removeComEvery', { def: 0, integer: true, min: 0 }),
    output: parseOutput(c.section('output'), abs),
    guards: parseGuards(c.section('guards')),
    progressIntervalMs: c.number('progressIntervalMs', { def: 2000, min: 0 }),
  };
  c.raw('comment');
  const stages = c.sections('stages'), protocol = c.section('protocol');
  if (stages && protocol) throw new InputError(`${name}: give either "stages" or "protocol", not both`);
  if (!stages && !protocol) throw new InputError(`${name}: missing "stages" (a list of MD stages) or "protocol" (ladder, melt-quench)`);
  if (stages) {
    if (stages.length === 0) throw new InputError(`${name}.stages: needs at least one stage`);
    cfg.stages = stages.map((s, i) => parseStage(s, i));
  } else {
    const p = expandProtocol(protocol!, timestepFs);
    cfg.stages = p.stages;
    cfg.protocol = p.info;
  }
  const names = new Set<string>();
  for (const s of cfg.stages) { if (names.has(s.name)) throw new InputError(`${name}: stage name ${JSON.stringify(s.name)} is used twice`); names.add(s.name); }
  return cfg;
}

function parsePotential(p: ConfigSection, abs: (s: string) => string): PotentialSpec {
  if (p.has('file')) {
    p.checkKeys(['file', 'skinA', 'belowRange']);
    const file = abs(p.string('file', { required: true }));
    if (!existsSync(file)) throw new InputError(`${p.where}.file: potential ${file} does not exist`);
    return { kind: 'uf3', file, skinA: p.number('skinA', { def: 1, min: 0, unit: 'Å' }), belowRange: p.string('belowRange', { def: 'error', oneOf: ['error', 'extrapolate'] }) as 'error' | 'extrapolate' };
  }
  if (p.has('lennardJones')) {
    p.checkKeys(['lennardJones']);
    const lj = p.section('lennardJones', true)!;
    lj.checkKeys(['pairs', 'shift', 'skinA']);
    const pairs = lj.section('pairs', true)!;
    const out: Record<string, { epsilon: number; sigma: number; cutoff: number }> = {};
    for (const key of Object.keys(pairs.obj)) {
      const q = pairs.section(key, true)!;
      q.checkKeys(['epsilonEv', 'sigmaA', 'cutoffA']);
      out[key] = { epsilon: q.number('epsilonEv', { required: true, min: 0, unit: 'eV' }), sigma: q.number('sigmaA', { required: true, gt: 0, unit: 'Å' }), cutoff: q.number('cutoffA', { required: true, gt: 0, unit: 'Å' }) };
    }
    return { kind: 'lennard-jones', pairs: out, shift: lj.boolean('shift', true), skinA: lj.number('skinA', { def: 1, min: 0, unit: 'Å' }) };
  }
  throw new InputError(`${p.where}: give "file" (a .uf3 or uf3 .json potential) or "lennardJones" parameters`);
}

function parseMasses(m: ConfigSection | undefined): Record<string, number> | undefined {
  if (!m) return undefined;
  const out: Record<string, number> = {};
  for (const k of Object.keys(m.obj)) out[k] = m.number(k, { required: true, gt: 0, unit: 'amu' });
  return out;
}

function parseVelocities(c: ConfigSection, seed: number): MDConfig['velocities'] {
  const raw = c.raw('velocities');
  if (raw === undefined || raw === 'structure') return { source: 'structure' };
  if (raw === 'zero') return { source: 'zero' };
  const v = c.section('velocities')!;
  v.checkKeys(['temperatureK', 'seed', 'removeCom', 'exact']);
  return {
    source: 'maxwell-boltzmann', temperatureK: v.number('temperatureK', { required: true, min: 0, unit: 'K' }),
    seed: v.number('seed', { def: seed, integer: true, min: 0 }), removeCom: v.boolean('removeCom', true), exact: v.boolean('exact', true),
  };
}

function parseMinimize(m: ConfigSection | undefined): MDConfig['minimize'] {
  if (!m) return undefined;
  m.checkKeys(['fmaxEvPerA', 'maxSteps', 'cell', 'pressureGPa']);
  const cell = m.raw('cell');
  if (cell !== undefined && cell !== false && !['isotropic', 'orthorhombic', 'full'].includes(cell as string))
    throw new InputError(`${m.where}.cell: must be false, "isotropic", "orthorhombic" or "full", got ${JSON.stringify(cell)}`);
  return {
    fmaxEvPerA: m.number('fmaxEvPerA', { def: 0.01, gt: 0, unit: 'eV/Å' }), maxSteps: m.number('maxSteps', { def: 2000, integer: true, min: 1 }),
    cell: (cell ?? false) as false | 'isotropic' | 'orthorhombic' | 'full', pressureGPa: m.number('pressureGPa', { def: 0, unit: 'GPa' }),
  };
}

/** Parses one stage section (also used by protocols for their thermostat/barostat blocks). */
export function parseStage(s: ConfigSection, i: number): StageSpec {
  s.checkKeys(['name', 'steps', 'ensemble', 'temperatureK', 'thermostat', 'barostat']);
  const ensemble = s.string('ensemble', { required: true, oneOf: ['nve', 'nvt', 'npt'] }) as StageSpec['ensemble'];
  const st: StageSpec = { name: s.string('name', { def: `stage${i + 1}` }), steps: s.number('steps', { required: true, integer: true, min: 0 }), ensemble };
  if (ensemble === 'nve') {
    for (const k of ['temperatureK', 'thermostat', 'barostat']) if (s.has(k)) throw new InputError(`${s.where}: an "nve" stage takes no ${k}`);
    return st;
  }
  st.temperatureK = s.numberOrRange('temperatureK', { required: true, min: 0, unit: 'K' });
  st.thermostat = parseThermostat(s.section('thermostat', true)!);
  if (ensemble === 'npt') st.barostat = parseBarostat(s.section('barostat', true)!);
  else if (s.has('barostat')) throw new InputError(`${s.where}: an "nvt" stage takes no barostat (use "npt")`);
  return st;
}

/** Parses a thermostat section. */
export function parseThermostat(t: ConfigSection): ThermostatSpec {
  const type = t.string('type', { required: true, oneOf: ['langevin', 'bussi', 'nose-hoover'] }) as ThermostatSpec['type'];
  t.checkKeys(type === 'nose-hoover' ? ['type', 'tauFs', 'chainLength'] : ['type', 'tauFs']);
  return { type, tauFs: t.number('tauFs', { required: true, gt: 0, unit: 'fs' }), chainLength: type === 'nose-hoover' ? t.number('chainLength', { def: 3, integer: true, min: 1, max: 20 }) : undefined };
}

/** Parses a barostat section. */
export function parseBarostat(b: ConfigSection): BarostatSpec {
  b.checkKeys(['type', 'pressureGPa', 'tauFs', 'compressibilityPerGPa', 'mode', 'every']);
  b.string('type', { def: 'c-rescale', oneOf: ['c-rescale'] });
  return {
    type: 'c-rescale', pressureGPa: b.numberOrRange('pressureGPa', { required: true, unit: 'GPa' })!,
    tauFs: b.number('tauFs', { def: 1000, gt: 0, unit: 'fs' }), compressibilityPerGPa: b.number('compressibilityPerGPa', { def: 0.03, gt: 0, unit: '1/GPa' }),
    mode: b.string('mode', { def: 'isotropic', oneOf: ['isotropic', 'anisotropic'] }) as 'isotropic' | 'anisotropic',
    every: b.number('every', { def: 10, integer: true, min: 1 }),
  };
}

function parseOutput(o: ConfigSection | undefined, abs: (s: string) => string): MDConfig['output'] {
  const sec = o ?? new ConfigSection({}, 'output');
  sec.checkKeys(['directory', 'thermo', 'trajectory', 'checkpoint', 'final', 'overwrite']);
  const dir = abs(sec.string('directory', { def: '.' }));
  const inDir = (p: string) => resolve(dir, p);
  const out: MDConfig['output'] = { directory: dir, checkpoint: { file: inDir('checkpoint.json'), every: 1000 }, overwrite: sec.boolean('overwrite', false) };
  const th = sec.section('thermo');
  if (th) {
    th.checkKeys(['file', 'every', 'groups']);
    out.thermo = { file: inDir(th.string('file', { def: 'thermo.csv' })), every: th.number('every', { def: 100, integer: true, min: 1 }), groups: th.string('groups', { def: 'elements', oneOf: ['elements', 'none'] }) as 'elements' | 'none' };
  } else out.thermo = { file: inDir('thermo.csv'), every: 100, groups: 'elements' };
  const tr = sec.section('trajectory');
  if (tr) {
    tr.checkKeys(['file', 'every', 'velocities', 'forces', 'precision', 'chunkFrames']);
    out.trajectory = {
      file: inDir(tr.string('file', { def: 'trajectory.uftraj' })), every: tr.number('every', { def: 100, integer: true, min: 1 }), velocities: tr.boolean('velocities', false),
      forces: tr.boolean('forces', false), precision: tr.string('precision', { def: 'f64', oneOf: ['f64', 'f32'] }) as 'f64' | 'f32', chunkFrames: tr.number('chunkFrames', { def: 16, integer: true, min: 1 }),
    };
  }
  const cp = sec.section('checkpoint');
  if (cp) {
    cp.checkKeys(['file', 'every']);
    out.checkpoint = { file: inDir(cp.string('file', { def: 'checkpoint.json' })), every: cp.number('every', { def: 1000, integer: true, min: 1 }) };
  }
  const fin = sec.string('final', { def: 'final.xyz' });
  out.final = fin ? inDir(fin) : undefined;
  return out;
}

function parseGuards(g: ConfigSection | undefined): MDConfig['guards'] {
  const sec = g ?? new ConfigSection({}, 'guards');
  sec.checkKeys(['maxTemperatureK', 'maxEnergyDriftEvPerAtom', 'every']);
  return {
    maxTemperatureK: sec.number('maxTemperatureK', { def: 20000, gt: 0, unit: 'K' }), maxEnergyDriftEvPerAtom: sec.number('maxEnergyDriftEvPerAtom', { def: 1, gt: 0, unit: 'eV/atom' }),
    every: sec.number('every', { def: 10, integer: true, min: 1 }),
  };
}
