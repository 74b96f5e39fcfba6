/**
 * Plots: Vega-Lite spec builders for the project's figures, a publication theme, headless rendering
 * to SVG/PNG/PDF, and notebook displays.
 *
 * API summary (all builders are pure and return a plain Vega-Lite JSON spec, `VlSpec`):
 *   parityPlot({reference, predicted, group?, quantity?, unit?})     model vs reference, y = x, RMSE/MAE/R²
 *   acfPlot({series: [{label, lagPs, values, fit?: {tauPs, beta, plateau} | {lagPs, values}}]})
 *                                                                      correlation functions on a log lag axis (ps)
 *   arrheniusPlot({series: [{label, temperatureK, rateHz, rateErrHz?, fit?: {eaEv, prefactorHz}}]})
 *   msdPlot({series: [{label, timePs, msdA2, fit?: {slopeA2PerPs, interceptA2?}}], logLog?})
 *   rdfPlot({series: [{label, rA, g}]})
 *   tracePlot({timePs, panels: [{quantity, unit, values | series, target?}]})   stacked MD traces
 *   hopRatePlot({rows: [{group, method, rateHz, errHz?}], logY?})   grouped bars / points with error bars
 *   learningCurvePlot({series: [{label, epoch, loss}]})
 *   linePlot({series: [{label, x, y, dashed?}], xTitle, yTitle, logX?, logY?, hlines?})   generic
 * Every builder also takes {title, width, height, xTitle, yTitle}; bad input throws InputError.
 *
 *   await saveFigure(spec, 'out/fig')  → out/fig.svg, out/fig.png (300 dpi), out/fig.pdf (600-dpi raster)
 *   await renderSvg(spec) → SVG text;  svgToPng(svg, dpi) → PNG bytes
 *
 * Notebook side (see display/): show(spec) displays a chart bundle (Vega-Lite JSON + SVG + PNG);
 * showTable(dataFrameOrRows); progressBar(label) / stderrProgress() render {@link ProgressEvent}s;
 * structureSvg(structure) draws a cell projection coloured by element.
 *
 * Progress from library code: accept an optional callback `onProgress?: ProgressCallback` where
 * `ProgressCallback = (p: {done: number; total?: number; label?: string; rate?: number; unit?: string}) => void`
 * — declare that shape locally if your layer sits below plot; it is structural, no import needed.
 */
export * from './theme';
export * from './esm';
export * from './specs/common';
export * from './specs/parity';
export * from './specs/acf';
export * from './specs/arrhenius';
export * from './specs/lines';
export * from './specs/msd';
export * from './specs/rdf';
export * from './specs/trace';
export * from './specs/hopRates';
export * from './specs/learningCurve';
export * from './render/fonts';
export * from './render/textMetrics';
export * from './render/svg';
export * from './render/png';
export * from './render/pdf';
export * from './render/saveFigure';
export * from './display';
