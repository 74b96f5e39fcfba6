/** Learning curves: loss (or error metric) per epoch for training and validation sets, log y by default. */
import { FigureOptions, VlSpec } from './common';
import { linePlot } from './lines';

/** One curve, e.g. label "train" or "validation". */
export interface LossSeries {
  label?: string;
  epoch: ArrayLike<number>;
  loss: ArrayLike<number>;
}

/** Input of {@link learningCurvePlot}. */
export interface LearningCurveInput extends FigureOptions {
  series: readonly LossSeries[];
  /** Log y axis (default true). */
  logY?: boolean;
}

/** Vega-Lite spec of loss vs epoch. */
export function learningCurvePlot(input: LearningCurveInput): VlSpec {
  return linePlot({
    ...input,
    series: input.series?.map((s) => ({ label: s.label, x: s.epoch, y: s.loss })),
    xTitle: input.xTitle ?? 'Epoch', yTitle: input.yTitle ?? 'Loss', logY: input.logY ?? true,
  });
}
