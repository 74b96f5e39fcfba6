/**
 * Training data for UF3 fits: configurations with reference energies (eV) and forces (eV/Å) read from
 * DeePMD npy systems, extended XYZ or LAMMPS dumps, subsampled, labelled by kind and split into
 * training and validation sets; plus the per-element energy baseline that centres the energy targets.
 */
import { existsSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { InputError } from '../../core/errors';
import type { Pbc } from '../../core/cell';
import type { Structure } from '../../core/structure';
import { getFloatArray } from '../../core/structure';
import { readFrames } from '../../io/formats';

/** One data source of a fit configuration. */
export interface DataSourceSpec {
  /** File or DeePMD directory (relative paths are resolved against the config's directory). */
  path: string;
  /** Any src/io format name (deepmd, extxyz, lammps-dump, uftraj, …); default: detected from the path. */
  format?: string;
  /** Kind of configuration for metrics, e.g. "beta", "glass" (default: the file name). */
  label?: string;
  /** Elements of LAMMPS types / DeePMD types when the files do not name them. */
  typeMap?: string[];
  /** Take every n-th frame (default 1), starting at `start` (default 0), at most `count` frames. */
  every?: number;
  start?: number;
  count?: number;
  /** Fraction of this source's frames held out for validation (default: the split's fraction). */
  validation?: number;
  /**
   * Where the reference energy is: "energy" (per-frame value, default), "sum:<array>" (per-atom energies), or
   * "none": forces only (e.g. other phases whose energies sit on another reference; no energy rows).
   */
  energy?: string;
}

/** A configuration with its reference data. */
export interface FitFrame {
  label: string;
  source: string;
  /** Frame index in its source file. */
  index: number;
  species: string[];
  positions: Float64Array;
  cell: Float64Array;
  pbc: Pbc;
  /** Reference energy, eV (NaN for a forces-only source). */
  energy: number;
  /** Reference forces, eV/Å (3N). */
  forces: Float64Array;
}

/** How frames are split into training and validation sets. */
export interface SplitSpec {
  /** Default fraction per source (default 0.2). */
  validationFraction?: number;
  /**
   * 'tail': the last frames of each source (default; least correlated with training, but for a heating
   * run they are also the hottest); 'interleave': every k-th frame (k = 1/fraction), spread over the
   * source; 'random': a seeded random subset.
   */
  mode?: 'tail' | 'interleave' | 'random';
  seed?: number;
}

function positiveInt(v: unknown, what: string, dflt: number, min = 1): number {
  if (v === undefined) return dflt;
  if (!(typeof v === 'number' && Number.isInteger(v) && v >= min)) throw new InputError(`${what} must be an integer ≥ ${min}, got ${JSON.stringify(v)}`);
  return v;
}

/** Reads the (subsampled) frames of one source; relative paths resolve against baseDir. */
export function loadSource(spec: DataSourceSpec, baseDir = '.'): FitFrame[] {
  if (!spec || typeof spec.path !== 'string') throw new InputError('every data source needs a "path"');
  const path = resolve(baseDir, spec.path);
  if (!existsSync(path)) throw new InputError(`data source not found: ${path}`);
  const every = positiveInt(spec.every, `${spec.path}: every`, 1);
  const start = positiveInt(spec.start, `${spec.path}: start`, 0, 0);
  const count = positiveInt(spec.count, `${spec.path}: count`, Number.MAX_SAFE_INTEGER);
  const label = spec.label ?? basename(path.replace(/\/+$/, ''));
  const energyKey = spec.energy ?? 'energy';
  const out: FitFrame[] = [];
  let k = 0;
  for (const s of readFrames(path, { format: spec.format, typeMap: spec.typeMap })) {
    const idx = k++;
    if (idx < start || (idx - start) % every !== 0) continue;
    if (out.length >= count) break;
    let energy: number | undefined;
    if (energyKey === 'none') energy = NaN;
    else if (energyKey === 'energy') energy = typeof s.info.energy === 'number' ? s.info.energy : undefined;
    else if (energyKey.startsWith('sum:')) {
      const a = getFloatArray(s, energyKey.slice(4), 1);
      if (a) energy = a.reduce((p, v) => p + v, 0);
    } else throw new InputError(`${spec.path}: energy must be "energy", "sum:<per-atom array>" or "none", got ${JSON.stringify(energyKey)}`);
    const forces = getFloatArray(s, 'forces', 3) ?? getFloatArray(s, 'force', 3);
    if (energyKey !== 'none' && (energy === undefined || !Number.isFinite(energy))) throw new InputError(`${path}: frame ${idx} has no reference energy (${energyKey})`);
    if (!forces) throw new InputError(`${path}: frame ${idx} has no reference forces`);
    out.push({ label, source: spec.path, index: idx, species: s.species, positions: s.positions, cell: s.cell, pbc: s.pbc, energy: energy!, forces: Float64Array.from(forces) });
  }
  if (out.length === 0) throw new InputError(`data source ${path} gave no frames (start ${start}, every ${every})`);
  return out;
}

/** Splits each source's frames into training and validation frames. */
export function splitFrames(sources: { spec: DataSourceSpec; frames: FitFrame[] }[], split: SplitSpec = {}): { train: FitFrame[]; validation: FitFrame[] } {
  const train: FitFrame[] = [], validation: FitFrame[] = [];
  let seed = (split.seed ?? 1) >>> 0;
  const rand = () => { seed = (seed * 1664525 + 1013904223) >>> 0; return seed / 4294967296; };
  for (const { spec, frames } of sources) {
    const frac = spec.validation ?? split.validationFraction ?? 0.2;
    if (!(frac >= 0 && frac <= 1)) throw new InputError(`${spec.path}: validation fraction must lie in [0, 1], got ${frac}`);
    const nVal = Math.round(frac * frames.length);
    let isVal: boolean[];
    const mode = split.mode ?? 'tail';
    if (mode !== 'tail' && mode !== 'interleave' && mode !== 'random') throw new InputError(`split mode must be tail, interleave or random, got ${JSON.stringify(mode)}`);
    if (mode === 'tail') isVal = frames.map((_, q) => q >= frames.length - nVal);
    else if (mode === 'interleave') {
      const chosen = new Set(Array.from({ length: nVal }, (_, q) => Math.min(frames.length - 1, Math.floor(((q + 0.5) * frames.length) / nVal))));
      isVal = frames.map((_, q) => chosen.has(q));
    } else {
      const order = frames.map((_, q) => [rand(), q] as [number, number]).sort((a, b) => a[0] - b[0]).map((p) => p[1]);
      const set = new Set(order.slice(0, nVal));
      isVal = frames.map((_, q) => set.has(q));
    }
    frames.forEach((f, q) => (isVal[q] ? validation : train).push(f));
  }
  return { train, validation };
}

/**
 * Per-element reference energies e0 (eV/atom) from a least-squares fit of E/N to the composition
 * fractions (tiny ridge for collinear compositions): targets become y = E/N − Σ (N_el/N)·e0_el.
 * Frames without an energy (forces-only sources) are skipped.
 */
export function energyBaseline(frames: FitFrame[], elements: string[]): number[] {
  const T = elements.length;
  const A = new Float64Array(T * T), b = new Float64Array(T);
  if (!frames.some((f) => Number.isFinite(f.energy))) throw new InputError('no training frame has a reference energy (every source is forces-only): give "oneBody" energies');
  for (const f of frames) {
    if (!Number.isFinite(f.energy)) continue;
    const x = new Float64Array(T);
    for (const e of f.species) {
      const t = elements.indexOf(e);
      if (t < 0) throw new InputError(`${f.source} frame ${f.index}: element ${e} is not among the fit elements ${elements.join(', ')}`);
      x[t] += 1 / f.species.length;
    }
    const y = f.energy / f.species.length;
    for (let i = 0; i < T; i++) { b[i] += x[i] * y; for (let j = 0; j < T; j++) A[i * T + j] += x[i] * x[j]; }
  }
  let scale = 0;
  for (let i = 0; i < T; i++) scale = Math.max(scale, A[i * T + i]);
  for (let i = 0; i < T; i++) A[i * T + i] += 1e-9 * scale + 1e-300;
  // small Gaussian elimination with partial pivoting
  const M = Array.from({ length: T }, (_, i) => [...A.slice(i * T, i * T + T), b[i]]);
  for (let c = 0; c < T; c++) {
    let p = c;
    for (let r = c + 1; r < T; r++) if (Math.abs(M[r][c]) > Math.abs(M[p][c])) p = r;
    [M[c], M[p]] = [M[p], M[c]];
    for (let r = c + 1; r < T; r++) { const f = M[r][c] / M[c][c]; for (let k = c; k <= T; k++) M[r][k] -= f * M[c][k]; }
  }
  const e0 = new Array<number>(T).fill(0);
  for (let r = T - 1; r >= 0; r--) { let s = M[r][T]; for (let k = r + 1; k < T; k++) s -= M[r][k] * e0[k]; e0[r] = s / M[r][r]; }
  return e0;
}

/** Per-atom energy target of a frame after removing the baseline. */
export function energyTarget(f: FitFrame, elements: string[], e0: number[]): number {
  let base = 0;
  for (const e of f.species) base += e0[elements.indexOf(e)];
  return (f.energy - base) / f.species.length;
}

/** Shortest distance (Å) of each element pair ("A-B" in element order) over the frames (pairs closer than rc). */
export function minPairDistances(frames: FitFrame[], elements: string[], rc = 3): Record<string, number> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { NeighborListBuilder } = require('../../core/neighbors') as typeof import('../../core/neighbors');
  const builder = new NeighborListBuilder();
  const out: Record<string, number> = {};
  for (const f of frames) {
    const l = builder.build(f.positions, f.cell, f.pbc, rc, { full: false });
    const x = f.positions, h = f.cell;
    for (let i = 0; i < f.species.length; i++) for (let e = l.start[i]; e < l.start[i + 1]; e++) {
      const j = l.index[e], n0 = l.image[3 * e], n1 = l.image[3 * e + 1], n2 = l.image[3 * e + 2];
      const dx = x[3 * j] - x[3 * i] + n0 * h[0] + n1 * h[3] + n2 * h[6];
      const dy = x[3 * j + 1] - x[3 * i + 1] + n0 * h[1] + n1 * h[4] + n2 * h[7];
      const dz = x[3 * j + 2] - x[3 * i + 2] + n0 * h[2] + n1 * h[5] + n2 * h[8];
      const a = elements.indexOf(f.species[i]), b = elements.indexOf(f.species[j]);
      const key = a <= b ? `${f.species[i]}-${f.species[j]}` : `${f.species[j]}-${f.species[i]}`;
      const r = Math.sqrt(dx * dx + dy * dy + dz * dz);
      if (!(r >= (out[key] ?? Infinity))) out[key] = r;
    }
  }
  return out;
}
