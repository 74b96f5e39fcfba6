/** Mean-squared-displacement plot (Å² vs ps) with optional linear fits MSD = 6·D·t + c. */
import { FigureOptions, VlSpec, labelsOf, numbers, requireSeries } from './common';
import { XYSeries, linePlot } from './lines';

/** One MSD curve; `fit` is a straight line MSD = slope·t + intercept over [t0, t1] ps. */
export interface MsdSeries {
  label?: string;
  timePs: ArrayLike<number>;
  msdA2: ArrayLike<number>;
  fit?: { slopeA2PerPs: number; interceptA2?: number; t0Ps?: number; t1Ps?: number };
}

/** Input of {@link msdPlot}. */
export interface MsdInput extends FigureOptions {
  series: readonly MsdSeries[];
  /** Log–log axes (default false). */
  logLog?: boolean;
  /** Print D = slope/6 in the legend (10⁻⁵ cm²/s, 1 Å²/ps = 10⁻⁴ cm²/s), default true. */
  showD?: boolean;
}

/** Vega-Lite spec of MSD curves (Å², ps) with dashed linear fits. */
export function msdPlot(input: MsdInput): VlSpec {
  const series = requireSeries(input.series, 'msd plot');
  const labels = labelsOf(series, 'msd plot');
  const xy: XYSeries[] = series.map((s, k) => {
    const t = numbers(s.timePs, `msd series ${JSON.stringify(labels[k])} timePs`);
    let label = labels[k];
    let dashed: XYSeries['dashed'];
    if (s.fit) {
      const t0 = s.fit.t0Ps ?? Math.min(...t), t1 = s.fit.t1Ps ?? Math.max(...t);
      const c = s.fit.interceptA2 ?? 0;
      const tt = Array.from({ length: 50 }, (_, i) => t0 + ((t1 - t0) * i) / 49);
      dashed = { x: tt, y: tt.map((v) => s.fit!.slopeA2PerPs * v + c) };
      // D = slope/6 Å²/ps = slope/6·1e-4 cm²/s.
      if (input.showD ?? true) label += ` (D = ${((s.fit.slopeA2PerPs / 6) * 10).toPrecision(3)}×10⁻⁵ cm²/s)`;
    }
    return { label, x: t, y: s.msdA2, dashed };
  });
  return linePlot({
    ...input, series: xy, xTitle: input.xTitle ?? 'Time (ps)', yTitle: input.yTitle ?? 'MSD (Å²)',
    logX: input.logLog, logY: input.logLog, legendOrient: 'top-left',
  });
}
