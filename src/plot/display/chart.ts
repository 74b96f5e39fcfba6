/** Charts as MIME bundles: the Vega-Lite spec (interactive in JupyterLab) plus SVG and PNG fallbacks. */
import { VEGA_LITE_MAJOR, VlSpec } from '../specs/common';
import { svgToPng } from '../render/png';
import { renderSvg } from '../render/svg';
import { MimeBundle, publish } from './jupyter';

/** MIME type of Vega-Lite specs of the installed major version. */
export const VEGA_LITE_MIME = `application/vnd.vegalite.v${VEGA_LITE_MAJOR}+json`;

/** Options of {@link chartBundle}. */
export interface ChartBundleOptions {
  /** PNG resolution, dpi at 1 px = 1 pt (default 144: crisp on screens, small in notebooks). */
  pngDpi?: number;
}

/** The bundle {Vega-Lite JSON, image/svg+xml, image/png (base64), text/plain} of a spec. */
export async function chartBundle(spec: VlSpec, opts: ChartBundleOptions = {}): Promise<MimeBundle> {
  const svg = await renderSvg(spec);
  const png = svgToPng(svg, opts.pngDpi ?? 144);
  const title = typeof spec.title === 'string' ? spec.title : typeof (spec.title as { text?: unknown })?.text === 'string' ? (spec.title as { text: string }).text : 'chart';
  return {
    [VEGA_LITE_MIME]: spec,
    'image/svg+xml': svg,
    'image/png': png.toString('base64'),
    'text/plain': `<Vega-Lite chart: ${title}>`,
  };
}

/** Displays a Vega-Lite spec in the notebook as a chart bundle (text placeholder outside notebooks). */
export async function showChart(spec: VlSpec, opts: ChartBundleOptions = {}): Promise<void> {
  publish(await chartBundle(spec, opts));
}
