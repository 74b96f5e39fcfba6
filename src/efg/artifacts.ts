/**
 * EFG model files: a folder with `model.json` (TensorFlow.js artifacts layout: `modelTopology`, `weightsManifest`,
 * plus `format`, `formatVersion` and `metadata`) and `weights.bin` (little-endian float32 weights concatenated in
 * manifest order, readable by tf.io.decodeWeights). Metadata: species, centre element, cutoffs and descriptor
 * settings, units, normalisation (float64), training-data fingerprint and sources, metrics, backend, options.
 * Both files are written to temporary names and renamed, so an existing model is never left half-written.
 */
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { InputError, ParseError } from '../core/errors';
import { writeFileAtomic } from '../io/atomic';
import { checkDescriptorSettings, featureCounts, featureNames, type DescriptorSettings } from './descriptors';
import { checkParams, type EfgModelParams } from './model';

/** Format name and version written into model.json; loading refuses anything else. */
export const EFG_MODEL_FORMAT = 'ufnmr-efg-model';
export const EFG_MODEL_FORMAT_VERSION = 1;

/** Free-form metadata stored with a model (training data, metrics, options…). */
export type EfgModelMetadata = Record<string, unknown>;

/** A loaded model: parameters plus its metadata. */
export interface EfgModelFile {
  params: EfgModelParams;
  metadata: EfgModelMetadata;
  path: string;
}

interface WeightSpec { name: string; shape: number[]; dtype: 'float32' }

function weightList(p: EfgModelParams): [WeightSpec, ArrayLike<number>][] {
  const { nInv, nTen } = featureCounts(p.settings), H = p.hidden;
  return [
    [{ name: 'efg/w', shape: [nTen], dtype: 'float32' }, p.w],
    [{ name: 'efg/W1', shape: [nInv, H], dtype: 'float32' }, p.W1],
    [{ name: 'efg/b1', shape: [H], dtype: 'float32' }, p.b1],
    [{ name: 'efg/W2', shape: [H, nTen], dtype: 'float32' }, p.W2],
  ];
}

/** Rounds the trainable weights to float32 (what the files store), so in-memory and reloaded models agree exactly. */
export function roundWeightsToFloat32(p: EfgModelParams): EfgModelParams {
  const r = (a: Float64Array) => Float64Array.from(Float32Array.from(a));
  return { ...p, w: r(p.w), W1: r(p.W1), b1: r(p.b1), W2: r(p.W2) };
}

/** Writes model.json and weights.bin into `dir` (created when missing). */
export function saveEfgModel(dir: string, params: EfgModelParams, metadata: EfgModelMetadata = {}): void {
  checkParams(params);
  mkdirSync(dir, { recursive: true });
  const list = weightList(params);
  const total = list.reduce((s, [, a]) => s + a.length, 0);
  const bin = new Float32Array(total);
  let o = 0;
  for (const [, a] of list) { bin.set(Float32Array.from(a), o); o += a.length; }
  const json = {
    format: EFG_MODEL_FORMAT,
    formatVersion: EFG_MODEL_FORMAT_VERSION,
    modelTopology: {
      kind: 'invariant-gated-equivariant-L2',
      formula: 'V = yScale * sum_f (w_f + sum_h W2[h,f] tanh(sum_d W1[d,h] xhat_d + b1[h])) * F_f / tenScale_f',
      hidden: params.hidden,
      descriptor: params.settings,
      features: featureNames(params.settings),
    },
    weightsManifest: [{ paths: ['weights.bin'], weights: list.map(([s]) => s) }],
    metadata: {
      units: { efg: 'V/A^2', length: 'A', invariants: 'dimensionless', normalisation: 'float64' },
      species: params.settings.species,
      centre: params.settings.centre,
      cutoffA: params.settings.cutoff,
      normalisation: { invMean: Array.from(params.invMean), invStd: Array.from(params.invStd), tenScale: Array.from(params.tenScale), yScale: params.yScale },
      ...metadata,
    },
  };
  writeFileAtomic(join(dir, 'weights.bin'), new Uint8Array(bin.buffer));
  writeFileAtomic(join(dir, 'model.json'), JSON.stringify(json, null, 1) + '\n');
}

/** Loads a model folder (or its model.json); ParseError/InputError for missing files, other formats or versions. */
export function loadEfgModel(path: string): EfgModelFile {
  const jsonPath = existsSync(path) && statSync(path).isDirectory() ? join(path, 'model.json') : path;
  if (!existsSync(jsonPath)) throw new InputError(`EFG model not found: ${jsonPath}`);
  let j: Record<string, unknown>;
  try {
    j = JSON.parse(readFileSync(jsonPath, 'utf8'));
  } catch (e) {
    throw new ParseError({ file: jsonPath }, 'a JSON model file', (e as Error).message);
  }
  if (j.format !== EFG_MODEL_FORMAT) throw new ParseError({ file: jsonPath }, `format "${EFG_MODEL_FORMAT}"`, JSON.stringify(j.format));
  if (j.formatVersion !== EFG_MODEL_FORMAT_VERSION)
    throw new ParseError({ file: jsonPath }, `formatVersion ${EFG_MODEL_FORMAT_VERSION} (this ufnmr reads only that version; retrain the model with \`ufnmr efg train\`)`, JSON.stringify(j.formatVersion));
  const topo = j.modelTopology as { hidden?: number; descriptor?: DescriptorSettings } | undefined;
  const meta = (j.metadata ?? {}) as Record<string, unknown>;
  const norm = meta.normalisation as { invMean?: number[]; invStd?: number[]; tenScale?: number[]; yScale?: number } | undefined;
  if (!topo?.descriptor || !Number.isInteger(topo.hidden) || !norm) throw new ParseError({ file: jsonPath }, 'modelTopology.descriptor, modelTopology.hidden and metadata.normalisation');
  try {
    checkDescriptorSettings(topo.descriptor);
  } catch (e) {
    throw new ParseError({ file: jsonPath }, 'valid descriptor settings', (e as Error).message);
  }
  const manifest = j.weightsManifest as { paths: string[]; weights: WeightSpec[] }[] | undefined;
  if (!Array.isArray(manifest) || manifest.length !== 1 || manifest[0].paths?.length !== 1) throw new ParseError({ file: jsonPath }, 'one weightsManifest group with one weights file');
  const binPath = join(jsonPath, '..', manifest[0].paths[0]);
  if (!existsSync(binPath)) throw new InputError(`EFG model weights not found: ${binPath}`);
  const buf = readFileSync(binPath);
  const data = new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength - (buf.byteLength % 4)));
  const arrays: Record<string, Float64Array> = {};
  let o = 0;
  for (const s of manifest[0].weights) {
    if (s.dtype !== 'float32') throw new ParseError({ file: jsonPath, array: s.name }, 'dtype float32', String(s.dtype));
    const len = s.shape.reduce((a, b) => a * b, 1);
    if (o + len > data.length) throw new ParseError({ file: binPath, array: s.name }, `${len} float32 values`, `the file ends after ${data.length} values`);
    arrays[s.name] = Float64Array.from(data.subarray(o, o + len));
    o += len;
  }
  if (o !== data.length) throw new ParseError({ file: binPath }, `${o} float32 values as the manifest lists`, `${data.length}`);
  const params: EfgModelParams = {
    settings: topo.descriptor, hidden: topo.hidden!,
    invMean: Float64Array.from(norm.invMean ?? []), invStd: Float64Array.from(norm.invStd ?? []),
    tenScale: Float64Array.from(norm.tenScale ?? []), yScale: Number(norm.yScale),
    w: arrays['efg/w'], W1: arrays['efg/W1'], b1: arrays['efg/b1'], W2: arrays['efg/W2'],
  };
  try {
    checkParams(params);
  } catch (e) {
    throw new ParseError({ file: jsonPath }, 'weights and normalisation consistent with the descriptor settings', (e as Error).message);
  }
  return { params, metadata: meta, path: jsonPath };
}
