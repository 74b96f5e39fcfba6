/** Radial distribution functions g(r) against r (Å), one line per element pair, with g = 1 marked. */
import { FigureOptions, VlSpec } from './common';
import { linePlot } from './lines';

/** One g(r) curve, e.g. label "Li–S". */
export interface RdfSeries {
  label?: string;
  rA: ArrayLike<number>;
  g: ArrayLike<number>;
}

/** Input of {@link rdfPlot}. */
export interface RdfInput extends FigureOptions {
  series: readonly RdfSeries[];
}

/** Vega-Lite spec of RDFs: r (Å) vs g(r), dotted line at g = 1. */
export function rdfPlot(input: RdfInput): VlSpec {
  return linePlot({
    ...input,
    series: input.series?.map((s) => ({ label: s.label, x: s.rA, y: s.g })),
    xTitle: input.xTitle ?? 'r (Å)', yTitle: input.yTitle ?? 'g(r)', hlines: [1],
  });
}
