/**
 * One-command EFG model training from a JSON config (`ufnmr efg train --config …`): read frames with EFG data,
 * split frames into train / validation / held-out test by a stable hash of each frame's label (so adding frames
 * later does not reshuffle the old ones), fit, evaluate against the point-charge baseline (formal charges, best
 * global scale fitted on the training frames), compute a learning curve, save the model and a JSON report with
 * parity data.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve, relative } from 'node:path';
import { InputError, ParseError } from '../core/errors';
import { writeFileAtomic } from '../io/atomic';
import { defaultDescriptorSettings, checkDescriptorSettings, type DescriptorSettings } from './descriptors';
import { buildDataset, subsetByFrames, datasetFeatures, type EfgDataset, type LabelledFrame } from './dataset';
import { readEfgFrames } from './efgFrames';
import { trainEfgModel, predictWithTf, type TrainOptions, type EpochRecord } from './train';
import { predictFromFeatures, type EfgModelParams } from './model';
import { efgMetrics, bestScale, type EfgMetrics } from './metrics';
import { saveEfgModel, roundWeightsToFloat32, EFG_MODEL_FORMAT_VERSION } from './artifacts';
import { structurePointChargeEfg } from './ewald';
import { cqAndEta } from './tensor';

/** The training config file (paths relative to the config file). */
export interface EfgTrainConfig {
  /** Files with EFG data: extended XYZ with an `efg` column, CASTEP .magres, VASP OUTCAR. */
  data: string[];
  /** Output model folder. */
  output: string;
  /** Report JSON path (default <output>/report.json). */
  report?: string;
  /** Descriptor settings overriding the defaults. */
  descriptor?: Partial<DescriptorSettings>;
  training?: Omit<TrainOptions, 'onProgress' | 'progressEvery'>;
  split?: { testFraction?: number; validationFraction?: number; salt?: string };
  /** Reference-tensor checks: relative tolerance and whether to symmetrise beyond it. */
  tolerance?: number;
  symmetrise?: boolean;
  /** Charges of the point-charge baseline (default Li=1, P=5, S=−2). */
  baselineCharges?: Record<string, number>;
  /** Fractions of the training frames for the learning curve (default [0.25, 0.5, 0.75, 1]). */
  learningCurve?: number[];
  /** Frame-wise k-fold cross-validation over all frames (default 5 folds; 0 turns it off). */
  crossValidationFolds?: number;
}

/** Reads and validates a training config. */
export function readTrainConfig(path: string): { config: EfgTrainConfig; dir: string } {
  if (!existsSync(path)) throw new InputError(`config file not found: ${path}`);
  let c: EfgTrainConfig;
  try {
    c = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new ParseError({ file: path }, 'a JSON object', (e as Error).message);
  }
  if (!c || typeof c !== 'object') throw new ParseError({ file: path }, 'a JSON object');
  if (!Array.isArray(c.data) || c.data.length === 0 || c.data.some((d) => typeof d !== 'string')) throw new ParseError({ file: path }, '"data": a non-empty list of file names');
  if (typeof c.output !== 'string' || !c.output) throw new ParseError({ file: path }, '"output": the model folder');
  const known = new Set(['data', 'output', 'report', 'descriptor', 'training', 'split', 'tolerance', 'symmetrise', 'baselineCharges', 'learningCurve', 'crossValidationFolds', 'comment']);
  for (const k of Object.keys(c)) if (!known.has(k)) throw new ParseError({ file: path }, `only the keys ${[...known].join(', ')}`, JSON.stringify(k));
  const trainingKeys = ['hidden', 'epochs', 'learningRate', 'l2', 'ridge', 'invariantWeight', 'patience', 'seed', 'backend'];
  if (c.training !== undefined && (typeof c.training !== 'object' || c.training === null || Array.isArray(c.training)))
    throw new ParseError({ file: path }, '"training": an object', JSON.stringify(c.training));
  for (const k of Object.keys(c.training ?? {})) if (!trainingKeys.includes(k)) throw new ParseError({ file: path }, `"training" with only the keys ${trainingKeys.join(', ')}`, JSON.stringify(k));
  if (c.learningCurve !== undefined && (!Array.isArray(c.learningCurve) || c.learningCurve.some((f) => !(typeof f === 'number' && f > 0 && f <= 1))))
    throw new ParseError({ file: path }, '"learningCurve": a list of fractions in (0, 1]', JSON.stringify(c.learningCurve));
  if (c.crossValidationFolds !== undefined && !(Number.isInteger(c.crossValidationFolds) && c.crossValidationFolds >= 0))
    throw new ParseError({ file: path }, '"crossValidationFolds": an integer ≥ 0 (0: off)', JSON.stringify(c.crossValidationFolds));
  return { config: c, dir: dirname(resolve(path)) };
}

/** Stable pseudo-random number in [0, 1) from a frame label and a salt. */
export function labelFraction(label: string, salt: string): number {
  const h = createHash('sha256').update(salt).update('\0').update(label).digest();
  return h.readUInt32BE(0) / 4294967296;
}

/** Assigns each frame to train / validation / test by stable hashes of the labels. */
export function splitFrames(labels: string[], testFraction: number, validationFraction: number, salt = 'ufnmr-efg'): { train: number[]; val: number[]; test: number[] } {
  if (!(testFraction >= 0 && testFraction < 1) || !(validationFraction >= 0 && validationFraction < 1)) throw new InputError('split fractions must lie in [0, 1)');
  const seen = new Set<string>();
  for (const l of labels) { if (seen.has(l)) throw new InputError(`two frames share the label ${JSON.stringify(l)}; labels must be unique for a stable split`); seen.add(l); }
  const out = { train: [] as number[], val: [] as number[], test: [] as number[] };
  labels.forEach((l, i) => {
    if (labelFraction(l, salt + ':test') < testFraction) out.test.push(i);
    else if (labelFraction(l, salt + ':val') < validationFraction) out.val.push(i);
    else out.train.push(i);
  });
  if (out.train.length === 0) throw new InputError(`no training frames left after the split (${labels.length} frames)`);
  return out;
}

/** Everything `efg train` reports. */
export interface TrainReport {
  model: string;
  backend: string;
  formatVersion: number;
  fingerprint: string;
  frames: { train: string[]; validation: string[]; test: string[] };
  centres: { train: number; validation: number; test: number };
  bestEpoch: number;
  metrics: { train: EfgMetrics; validation?: EfgMetrics; test?: EfgMetrics };
  baseline: { charges: Record<string, number>; scale: number; test?: EfgMetrics; train: EfgMetrics };
  /** Ridge-only (linear) model for comparison. */
  linear: { test?: EfgMetrics; validation?: EfgMetrics };
  /**
   * Frame-wise k-fold cross-validation over ALL frames (each centre predicted by a model that never saw its frame;
   * early stopping on a part of the other folds): the model, the ridge-only model and the point-charge baseline
   * (scale fitted on the other folds). The parity entries carry these predictions as `cvModel`/`cvBaseline`.
   */
  crossValidation?: { folds: number; model: EfgMetrics; linear: EfgMetrics; baseline: EfgMetrics };
  /** Learning curve by cross-validation: each fold's training frames cut to a fraction, all frames predicted. */
  crossValidatedLearningCurve?: { fraction: number; meanTrainCentres: number; model: EfgMetrics }[];
  learningCurve: { fraction: number; trainFrames: number; trainCentres: number; test?: EfgMetrics; validation?: EfgMetrics }[];
  history: EpochRecord[];
  /** Max |tfjs − pure JS| / max |V| on the test (or train) set: the two implementations agree. */
  tfjsVsJsRelDiff: number;
  parity: { set: string; frame: string; atom: number; reference: number[]; model: number[]; baseline: number[]; cvModel?: number[]; cvBaseline?: number[] }[];
  seconds: number;
}

function predictDs(p: EfgModelParams, ds: EfgDataset): Float64Array {
  return predictFromFeatures(p, datasetFeatures(ds));
}

/** Runs the whole training described by a config; writes the model and the report; returns the report. */
export async function runEfgTraining(config: EfgTrainConfig, baseDir: string, log: (s: string) => void = () => undefined): Promise<TrainReport> {
  const t0 = performance.now();
  const settings: DescriptorSettings = { ...defaultDescriptorSettings(), ...(config.descriptor ?? {}) };
  checkDescriptorSettings(settings);
  const frames: LabelledFrame[] = [];
  for (const d of config.data) {
    const got = readEfgFrames(resolve(baseDir, d), relative(baseDir, resolve(baseDir, d)));
    if (got.skipped) log(`${d}: skipped ${got.skipped} frame(s) without EFG data\n`);
    frames.push(...got);
  }
  log(`read ${frames.length} frames with EFG data from ${config.data.length} file(s)\n`);
  const ds = buildDataset(frames, settings, { tolerance: config.tolerance, symmetrise: config.symmetrise });
  const split = splitFrames(ds.sources, config.split?.testFraction ?? 0.2, config.split?.validationFraction ?? 0.15, config.split?.salt);
  const train = subsetByFrames(ds, new Set(split.train)), val = subsetByFrames(ds, new Set(split.val)), test = subsetByFrames(ds, new Set(split.test));
  log(`frames: ${split.train.length} train, ${split.val.length} validation, ${split.test.length} test (${train.n}/${val.n}/${test.n} ${settings.centre})\n`);
  const topts: TrainOptions = { ...(config.training ?? {}), onProgress: (p) => log(`  epoch ${p.done}/${p.total} train ${p.trainLoss.toFixed(4)}${p.valLoss !== undefined ? ` val ${p.valLoss.toFixed(4)}` : ''}\n`), progressEvery: 500 };
  const res = await trainEfgModel(train, val.n ? val : undefined, topts);
  const params = roundWeightsToFloat32(res.params);
  const evalOn = (p: EfgModelParams, d: EfgDataset) => (d.n ? efgMetrics(predictDs(p, d), d.y) : undefined);
  const linearRes = await trainEfgModel(train, undefined, { ...topts, hidden: 0, epochs: 0, onProgress: undefined });
  // point-charge baseline at the same centres
  const charges = config.baselineCharges ?? { Li: 1, P: 5, S: -2 };
  const pc = new Float64Array(ds.y.length);
  frames.forEach((f, fi) => {
    const idx: number[] = [];
    for (let k = 0; k < ds.n; k++) if (ds.frameOf[k] === fi) idx.push(k);
    let r;
    try {
      r = structurePointChargeEfg(f.structure, charges, { sites: idx.map((k) => ds.atomOf[k]) });
    } catch (e) {
      throw new InputError(`point-charge baseline, ${f.label}: ${(e as Error).message} (set "baselineCharges" in the config)`);
    }
    idx.forEach((k, t) => pc.set(r.tensors.subarray(9 * t, 9 * t + 9), 9 * k));
  });
  const pick = (all: Float64Array, frameSet: number[]) => { const s = new Set(frameSet), out: number[] = []; for (let k = 0; k < ds.n; k++) if (s.has(ds.frameOf[k])) for (let c = 0; c < 9; c++) out.push(all[9 * k + c]); return Float64Array.from(out); };
  const pcTrain = pick(pc, split.train), scale = bestScale(pcTrain, train.y);
  const scaled = pc.map((v) => v * scale);
  // learning curve: nested subsets of the training frames (stable order by label hash)
  const order = [...split.train].sort((a, b) => labelFraction(ds.sources[a], 'lc') - labelFraction(ds.sources[b], 'lc'));
  const learningCurve: TrainReport['learningCurve'] = [];
  for (const frac of config.learningCurve ?? [0.25, 0.5, 0.75, 1]) {
    const m = Math.max(1, Math.round(frac * order.length));
    const sub = subsetByFrames(ds, new Set(order.slice(0, m)));
    const r = frac === 1 ? res : await trainEfgModel(sub, val.n ? val : undefined, { ...topts, onProgress: undefined });
    const p = roundWeightsToFloat32(r.params);
    learningCurve.push({ fraction: frac, trainFrames: m, trainCentres: sub.n, test: evalOn(p, test), validation: evalOn(p, val) });
    log(`learning curve: ${m} frames → test R² ${learningCurve.at(-1)!.test?.r2.toFixed(3) ?? 'n/a'}\n`);
  }
  // k-fold cross-validation over all frames
  const folds = config.crossValidationFolds ?? 5;
  let crossValidation: TrainReport['crossValidation'];
  let crossValidatedLearningCurve: TrainReport['crossValidatedLearningCurve'];
  let cvTrainCentres = 0;
  const cvModel = new Float64Array(ds.y.length), cvLinear = new Float64Array(ds.y.length), cvBase = new Float64Array(ds.y.length);
  if (folds >= 2 && ds.sources.length >= folds) {
    const byHash = ds.sources.map((_, i) => i).sort((a, b) => labelFraction(ds.sources[a], 'cv') - labelFraction(ds.sources[b], 'cv'));
    for (let k = 0; k < folds; k++) {
      const held = byHash.filter((_, r) => r % folds === k), rest = byHash.filter((_, r) => r % folds !== k);
      const inner = rest.filter((_, r) => r % 5 === 4), fit = rest.filter((_, r) => r % 5 !== 4);
      const trK = subsetByFrames(ds, new Set(fit)), vaK = subsetByFrames(ds, new Set(inner)), heldDs = subsetByFrames(ds, new Set(held));
      cvTrainCentres += trK.n;
      const rK = await trainEfgModel(trK, vaK.n ? vaK : undefined, { ...topts, onProgress: undefined });
      const lK = await trainEfgModel(subsetByFrames(ds, new Set(rest)), undefined, { ...topts, hidden: 0, epochs: 0, onProgress: undefined });
      const pm = predictDs(roundWeightsToFloat32(rK.params), heldDs), pl = predictDs(lK.params, heldDs);
      const sK = bestScale(pick(pc, rest), subsetByFrames(ds, new Set(rest)).y);
      const heldSet = new Set(held);
      let t = 0;
      for (let c = 0; c < ds.n; c++) if (heldSet.has(ds.frameOf[c])) {
        for (let q = 0; q < 9; q++) { cvModel[9 * c + q] = pm[9 * t + q]; cvLinear[9 * c + q] = pl[9 * t + q]; cvBase[9 * c + q] = sK * pc[9 * c + q]; }
        t++;
      }
      log(`cross-validation fold ${k + 1}/${folds}: ${held.length} frames held out\n`);
    }
    crossValidation = { folds, model: efgMetrics(cvModel, ds.y), linear: efgMetrics(cvLinear, ds.y), baseline: efgMetrics(cvBase, ds.y) };
    // the same folds with fewer training frames (nested subsets in a stable order) → learning curve
    crossValidatedLearningCurve = [];
    for (const frac of config.learningCurve ?? [0.25, 0.5, 0.75, 1]) {
      if (frac === 1) { crossValidatedLearningCurve.push({ fraction: 1, meanTrainCentres: cvTrainCentres / folds, model: crossValidation.model }); continue; }
      const pred = new Float64Array(ds.y.length);
      let centres = 0;
      for (let k = 0; k < folds; k++) {
        const held = byHash.filter((_, r) => r % folds === k);
        const rest = byHash.filter((_, r) => r % folds !== k).sort((a, b) => labelFraction(ds.sources[a], 'lc') - labelFraction(ds.sources[b], 'lc'));
        const sub = rest.slice(0, Math.max(2, Math.round(frac * rest.length)));
        const inner = sub.filter((_, r) => r % 5 === 4), fit = sub.filter((_, r) => r % 5 !== 4);
        const trK = subsetByFrames(ds, new Set(fit)), vaK = subsetByFrames(ds, new Set(inner));
        centres += trK.n;
        const rK = await trainEfgModel(trK, vaK.n ? vaK : undefined, { ...topts, onProgress: undefined });
        const heldSet = new Set(held), pm = predictDs(roundWeightsToFloat32(rK.params), subsetByFrames(ds, heldSet));
        let t = 0;
        for (let c = 0; c < ds.n; c++) if (heldSet.has(ds.frameOf[c])) { pred.set(pm.subarray(9 * t, 9 * t + 9), 9 * c); t++; }
      }
      crossValidatedLearningCurve.push({ fraction: frac, meanTrainCentres: centres / folds, model: efgMetrics(pred, ds.y) });
      log(`cross-validated learning curve: ${frac} of the training frames → R² ${crossValidatedLearningCurve.at(-1)!.model.r2.toFixed(3)}\n`);
    }
    crossValidatedLearningCurve.sort((a, b) => a.fraction - b.fraction);
    log(`cross-validation R²: model ${crossValidation.model.r2.toFixed(3)}, linear ${crossValidation.linear.r2.toFixed(3)}, point charge ${crossValidation.baseline.r2.toFixed(3)}\n`);
  }
  // the tfjs graph and the pure-JS inference must agree
  const check = test.n ? test : train;
  const viaTf = await predictWithTf(params, check, res.backend as never);
  const viaJs = predictDs(params, check);
  let diff = 0, mx = 0;
  for (let i = 0; i < viaJs.length; i++) { diff = Math.max(diff, Math.abs(viaTf[i] - viaJs[i])); mx = Math.max(mx, Math.abs(viaJs[i])); }
  const model = resolve(baseDir, config.output);
  const all = predictDs(params, ds);
  const setOf = (fi: number) => (split.test.includes(fi) ? 'test' : split.val.includes(fi) ? 'validation' : 'train');
  const parity = Array.from({ length: ds.n }, (_, k) => ({
    set: setOf(ds.frameOf[k]), frame: ds.sources[ds.frameOf[k]], atom: ds.atomOf[k],
    reference: Array.from(ds.y.subarray(9 * k, 9 * k + 9)), model: Array.from(all.subarray(9 * k, 9 * k + 9)), baseline: Array.from(scaled.subarray(9 * k, 9 * k + 9)),
    ...(crossValidation ? { cvModel: Array.from(cvModel.subarray(9 * k, 9 * k + 9)), cvBaseline: Array.from(cvBase.subarray(9 * k, 9 * k + 9)) } : {}),
  }));
  const report: TrainReport = {
    model: relative(process.cwd(), model) || model, backend: res.backend, formatVersion: EFG_MODEL_FORMAT_VERSION, fingerprint: ds.fingerprint,
    frames: { train: split.train.map((i) => ds.sources[i]), validation: split.val.map((i) => ds.sources[i]), test: split.test.map((i) => ds.sources[i]) },
    centres: { train: train.n, validation: val.n, test: test.n },
    bestEpoch: res.bestEpoch,
    metrics: { train: evalOn(params, train)!, validation: evalOn(params, val), test: evalOn(params, test) },
    baseline: { charges, scale, train: efgMetrics(pcTrain.map((v) => v * scale), train.y), test: test.n ? efgMetrics(pick(scaled, split.test), test.y) : undefined },
    linear: { test: evalOn(linearRes.params, test), validation: evalOn(linearRes.params, val) }, crossValidation, crossValidatedLearningCurve,
    learningCurve, history: res.history, tfjsVsJsRelDiff: mx > 0 ? diff / mx : diff, parity,
    seconds: (performance.now() - t0) / 1000,
  };
  const { cqHz } = cqAndEta(ds.y);
  saveEfgModel(model, params, {
    trainingData: { fingerprint: ds.fingerprint, files: config.data, frames: ds.sources.length, centres: ds.n, train: report.frames.train, validation: report.frames.validation, test: report.frames.test, cqRangeKHz: [Math.min(...cqHz) / 1e3, Math.max(...cqHz) / 1e3] },
    metrics: { train: report.metrics.train, validation: report.metrics.validation, test: report.metrics.test, baselineTest: report.baseline.test, crossValidation: report.crossValidation },
    training: { ...(config.training ?? {}), bestEpoch: res.bestEpoch, backend: res.backend },
    createdBy: 'ufnmr efg train',
  });
  const reportPath = config.report ? resolve(baseDir, config.report) : resolve(model, 'report.json');
  writeFileAtomic(reportPath, JSON.stringify(report) + '\n');
  log(`model saved to ${model}; report ${reportPath}\n`);
  return report;
}
