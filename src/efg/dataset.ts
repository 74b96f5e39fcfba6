/**
 * EFG training data: frames with per-atom EFG tensors (V/Å², the per-atom array `efg`, 9 numbers row-major) →
 * model features and targets for the centre atoms, with a fingerprint of the data.
 * Sources: extended XYZ with an `efg` column (units from the frame's `efg_units`, default V/Å²), CASTEP .magres
 * and VASP OUTCAR (through src/io's readers, which convert to V/Å²); see efgFrameReaders.ts.
 */
import { createHash } from 'node:crypto';
import { InputError } from '../core/errors';
import type { Structure } from '../core/structure';
import { EFG_AU_IN_V_PER_A2, V_PER_A2_IN_V_PER_M2 } from '../core/units';
import { DescriptorSettings, Featurizer } from './descriptors';
import { validateTensors } from './tensor';

/** Features and DFT targets of all centres of a set of frames. */
export interface EfgDataset {
  settings: DescriptorSettings;
  n: number;
  nInv: number;
  nTen: number;
  /** n × nInv invariants. */
  inv: Float64Array;
  /** n × nTen × 6 feature tensors. */
  ten: Float64Array;
  /** n × 9 reference tensors, V/Å² (symmetric traceless). */
  y: Float64Array;
  /** Frame index (into `sources`) and atom index of each centre. */
  frameOf: Int32Array;
  atomOf: Int32Array;
  /** One label per frame ("file#k" or the frame's `source` info). */
  sources: string[];
  /** SHA-256 (hex, first 16) of species, positions, cells and EFGs of all frames. */
  fingerprint: string;
}

/** A frame with its label for messages. */
export interface LabelledFrame {
  structure: Structure;
  label: string;
}

/** Factor that converts a frame's `efg` array to V/Å², from its `efg_units` info (default V/Å²). */
export function efgUnitFactor(s: Structure, label: string): number {
  const u = s.info.efg_units;
  if (u === undefined) return 1;
  const k = String(u).toLowerCase().replace(/\s+/g, '');
  if (['v/a^2', 'v/å^2', 'v/a2', 'v/å²', 'v/angstrom^2'].includes(k)) return 1;
  if (['au', 'a.u.', 'hartree/bohr^2', 'ha/bohr^2', 'atomic'].includes(k)) return EFG_AU_IN_V_PER_A2;
  if (['v/m^2', 'v/m2'].includes(k)) return 1 / V_PER_A2_IN_V_PER_M2;
  throw new InputError(`${label}: unknown efg_units ${JSON.stringify(u)} (expected V/A^2, au or V/m^2)`);
}

/** Options of {@link buildDataset}. */
export interface DatasetOptions {
  /** Relative asymmetry/trace tolerance of the reference tensors (default 1e-3). */
  tolerance?: number;
  /** Project tensors outside the tolerance onto their symmetric traceless part instead of failing. */
  symmetrise?: boolean;
}

/** Features and targets for every centre atom of the frames; InputError for frames without EFG data. */
export function buildDataset(frames: LabelledFrame[], settings: DescriptorSettings, opts: DatasetOptions = {}): EfgDataset {
  if (frames.length === 0) throw new InputError('EFG dataset: no frames');
  const fz = new Featurizer(settings);
  const inv: number[] = [], ten: number[] = [], y: number[] = [], frameOf: number[] = [], atomOf: number[] = [];
  const hash = createHash('sha256');
  frames.forEach(({ structure: s, label }, fi) => {
    const a = s.arrays.efg;
    if (!a) throw new InputError(`${label}: no per-atom EFG data (expected an 'efg' array of 9 numbers per atom)`);
    if (a.kind !== 'float' && a.kind !== 'int') throw new InputError(`${label}: the 'efg' array holds ${a.kind} values, expected numbers`);
    if (a.width !== 9) throw new InputError(`${label}: the 'efg' array has ${a.width} values per atom, expected 9 (row-major 3×3)`);
    const factor = efgUnitFactor(s, label);
    const centres = fz.centresOf(s.species);
    if (centres.length === 0) throw new InputError(`${label}: no ${settings.centre} atoms`);
    const raw = new Float64Array(9 * centres.length);
    centres.forEach((i, k) => { for (let c = 0; c < 9; c++) raw[9 * k + c] = factor * Number(a.data[9 * i + c]); });
    const clean = validateTensors(raw, { tolerance: opts.tolerance, symmetrise: opts.symmetrise, source: `${label} (counting ${settings.centre} atoms only)` });
    const f = fz.featurizeStructure(s, centres, label);
    for (let k = 0; k < f.n; k++) {
      for (let d = 0; d < f.nInv; d++) inv.push(f.inv[k * f.nInv + d]);
      for (let d = 0; d < f.nTen * 6; d++) ten.push(f.ten[k * f.nTen * 6 + d]);
      for (let c = 0; c < 9; c++) y.push(clean[9 * k + c]);
      frameOf.push(fi); atomOf.push(centres[k]);
    }
    hash.update(s.species.join(','));
    hash.update(new Uint8Array(Float64Array.from(s.positions).buffer));
    hash.update(new Uint8Array(Float64Array.from(s.cell).buffer));
    hash.update(new Uint8Array(raw.buffer));
  });
  return {
    settings, n: frameOf.length, nInv: fz.nInv, nTen: fz.nTen,
    inv: Float64Array.from(inv), ten: Float64Array.from(ten), y: Float64Array.from(y),
    frameOf: Int32Array.from(frameOf), atomOf: Int32Array.from(atomOf),
    sources: frames.map((f) => f.label), fingerprint: hash.digest('hex').slice(0, 16),
  };
}

/** The centres of a dataset that belong to the given frames (a subset view with copied arrays). */
export function subsetByFrames(ds: EfgDataset, frames: ReadonlySet<number>): EfgDataset {
  const idx: number[] = [];
  for (let k = 0; k < ds.n; k++) if (frames.has(ds.frameOf[k])) idx.push(k);
  return subsetByCentres(ds, idx);
}

/** A dataset restricted to centres idx (copies). */
export function subsetByCentres(ds: EfgDataset, idx: number[]): EfgDataset {
  const { nInv, nTen } = ds, n = idx.length;
  const inv = new Float64Array(n * nInv), ten = new Float64Array(n * nTen * 6), y = new Float64Array(9 * n);
  const frameOf = new Int32Array(n), atomOf = new Int32Array(n);
  idx.forEach((k, t) => {
    inv.set(ds.inv.subarray(k * nInv, (k + 1) * nInv), t * nInv);
    ten.set(ds.ten.subarray(k * nTen * 6, (k + 1) * nTen * 6), t * nTen * 6);
    y.set(ds.y.subarray(9 * k, 9 * k + 9), 9 * t);
    frameOf[t] = ds.frameOf[k]; atomOf[t] = ds.atomOf[k];
  });
  return { ...ds, n, inv, ten, y, frameOf, atomOf };
}

/** The dataset's features as a {@link Features} record (for model prediction). */
export function datasetFeatures(ds: EfgDataset): { n: number; nInv: number; nTen: number; inv: Float64Array; ten: Float64Array; centres: Int32Array } {
  return { n: ds.n, nInv: ds.nInv, nTen: ds.nTen, inv: ds.inv, ten: ds.ten, centres: ds.atomOf };
}
