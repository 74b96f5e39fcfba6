/** `ufnmr efg train`: train the equivariant 7Li EFG model from a JSON config; optional parity/learning-curve figures. */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from '../command';
import { readTrainConfig, runEfgTraining, type TrainReport } from '../../efg/pipeline';
import { cqAndEta } from '../../efg/tensor';
import { requiredString } from './efg-common';

const command: Command = {
  name: 'efg train',
  summary: 'train the equivariant EFG model (tfjs) from a JSON config',
  usage: 'efg train --config train.json [--figures DIR] [--json]',
  help: `
Reads the frames listed in the config (extended XYZ with a per-atom efg column, V/Å²), splits frames into
train/validation/test by stable hashes of their labels, fits the model (ridge start, then Adam with early
stopping), compares with the point-charge baseline (best global scale) and writes the model folder
(model.json + weights.bin, TensorFlow.js layout with metadata) and report.json (metrics, learning curve,
parity data). Example config: data/efg/train.json. With --figures DIR, parity plots (components, C_Q) and
learning curves are saved there as SVG/PNG. The TensorFlow.js backend used is reported.`,
  options: { config: { type: 'string' }, figures: { type: 'string' } },
  async run(args, io) {
    const { config, dir } = readTrainConfig(requiredString(args.values.config, 'config'));
    const report = await runEfgTraining(config, dir, io.json ? () => undefined : io.stderr);
    let figures: string[] = [];
    if (typeof args.values.figures === 'string') figures = await saveTrainFigures(report, resolve(args.values.figures));
    const { parity, history, ...rest } = report;
    return { ...rest, epochs: history.length, parityPoints: parity.length, figures };
  },
  format(r) {
    const m = r.metrics as TrainReport['metrics'], b = r.baseline as TrainReport['baseline'];
    const row = (name: string, x?: { r2: number; componentRmse: number; cqMaeKHz: number; absCqMaeKHz: number; etaMae: number; n: number }) =>
      x ? `${name.padEnd(22)} ${x.n.toString().padStart(5)} ${x.r2.toFixed(3).padStart(7)} ${x.componentRmse.toFixed(3).padStart(8)} ${x.cqMaeKHz.toFixed(1).padStart(9)} ${x.absCqMaeKHz.toFixed(1).padStart(9)} ${x.etaMae.toFixed(3).padStart(7)}` : `${name.padEnd(22)} (none)`;
    return [
      `model: ${r.model} (backend ${r.backend}, best epoch ${r.bestEpoch}, ${(r.seconds as number).toFixed(1)} s)`,
      `set                        n      R²  RMSE V/Å²  C_Q MAE  |C_Q| MAE  η MAE   (kHz)`,
      row('model train', m.train), row('model validation', m.validation), row('model test', m.test),
      row(`point charge ×${b.scale.toFixed(3)} test`, b.test),
      ...(r.crossValidation ? (() => { const c = r.crossValidation as NonNullable<TrainReport['crossValidation']>; return [row(`model ${c.folds}-fold CV`, c.model), row(`linear ${c.folds}-fold CV`, c.linear), row(`point charge ${c.folds}-fold CV`, c.baseline)]; })() : []),
      `tfjs vs pure-JS inference: max relative difference ${(r.tfjsVsJsRelDiff as number).toExponential(2)}`,
      ...((r.figures as string[]).length ? [`figures: ${(r.figures as string[]).join(', ')}`] : []),
    ].join('\n');
  },
};
export default command;

/** Parity plots (components and C_Q, model and point-charge baseline) and learning curves as SVG + PNG. */
async function saveTrainFigures(report: TrainReport, dir: string): Promise<string[]> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const plot = require('../../plot') as typeof import('../../plot'); // loaded only when figures are asked for
  mkdirSync(dir, { recursive: true });
  const out: string[] = [];
  const save = async (spec: Record<string, unknown>, name: string) => {
    await plot.saveFigure(spec as never, join(dir, name), { formats: ['png'], pngDpi: 150 });
    out.push(join(dir, `${name}.png`));
  };
  const comps = [0, 4, 8, 1, 2, 5];
  // prefer cross-validated predictions (every centre predicted by a model that never saw its frame)
  const cv = report.parity.length > 0 && report.parity[0].cvModel !== undefined;
  const points = cv ? report.parity : report.parity.filter((p) => p.set !== 'train');
  const how = cv ? `${report.crossValidation!.folds}-fold cross-validation by frame` : 'validation + test frames';
  for (const which of ['model', 'baseline'] as const) {
    const get = (p: TrainReport['parity'][number]) => (cv ? (which === 'model' ? p.cvModel! : p.cvBaseline!) : p[which]);
    const ref: number[] = [], pred: number[] = [], group: string[] = [];
    for (const p of points) comps.forEach((c, k) => { ref.push(p.reference[c]); pred.push(get(p)[c]); group.push(k < 3 ? 'diagonal' : 'off-diagonal'); });
    const name = which === 'model' ? 'Model' : 'Point charge (scaled)';
    await save(plot.parityPlot({ reference: ref, predicted: pred, group, quantity: 'V_ab', unit: 'V/Å²', predictedName: name, title: `7Li EFG components, ${how}` }), `efg-parity-components-${which}`);
    const cqRef = cqAndEta(points.flatMap((p) => p.reference)).cqHz, cqPred = cqAndEta(points.flatMap((p) => get(p))).cqHz;
    await save(plot.parityPlot({ reference: Array.from(cqRef, (v) => v / 1e3), predicted: Array.from(cqPred, (v) => v / 1e3), quantity: 'C_Q', unit: 'kHz', predictedName: name, title: `7Li C_Q, ${how}` }), `efg-parity-cq-${which}`);
    if (which === 'model') {
      // the sign of C_Q flips for tensors with η ≈ 1 (V_zz ≈ −V_yy): |C_Q| and η show the rest
      await save(plot.parityPlot({ reference: Array.from(cqRef, (v) => Math.abs(v) / 1e3), predicted: Array.from(cqPred, (v) => Math.abs(v) / 1e3), quantity: '|C_Q|', unit: 'kHz', predictedName: name, title: `7Li |C_Q|, ${how}` }), 'efg-parity-abscq-model');
      const etaRef = cqAndEta(points.flatMap((p) => p.reference)).eta, etaPred = cqAndEta(points.flatMap((p) => get(p))).eta;
      await save(plot.parityPlot({ reference: etaRef, predicted: etaPred, quantity: 'η', predictedName: name, title: `7Li η, ${how}` }), 'efg-parity-eta-model');
    }
  }
  const lc = report.learningCurve.filter((l) => l.test || l.validation);
  if (lc.length) {
    const series = [];
    const cvl = report.crossValidatedLearningCurve;
    if (cvl?.length) series.push({ label: `${report.crossValidation!.folds}-fold CV RMSE`, x: cvl.map((l) => l.meanTrainCentres), y: cvl.map((l) => l.model.componentRmse) });
    if (lc.some((l) => l.test)) series.push({ label: 'test RMSE', x: lc.filter((l) => l.test).map((l) => l.trainCentres), y: lc.filter((l) => l.test).map((l) => l.test!.componentRmse) });
    if (lc.some((l) => l.validation)) series.push({ label: 'validation RMSE', x: lc.filter((l) => l.validation).map((l) => l.trainCentres), y: lc.filter((l) => l.validation).map((l) => l.validation!.componentRmse) });
    await save(plot.linePlot({ series, xTitle: 'Training Li environments', yTitle: 'Component RMSE (V/Å²)', points: true, title: 'EFG learning curve (dashed: point-charge baseline, CV)', hlines: report.crossValidation ? [report.crossValidation.baseline.componentRmse] : report.baseline.test ? [report.baseline.test.componentRmse] : [] }), 'efg-learning-curve');
  }
  if (report.history.length) {
    const h = report.history;
    const series = [{ label: 'train', epoch: h.map((e) => e.epoch), loss: h.map((e) => e.trainLoss) }];
    if (h[0].valLoss !== undefined) series.push({ label: 'validation', epoch: h.map((e) => e.epoch), loss: h.map((e) => e.valLoss!) });
    await save(plot.learningCurvePlot({ series, title: 'EFG training loss (normalised)' }), 'efg-training-loss');
  }
  return out;
}
