/**
 * The publication theme: one font family (DejaVu Sans, bundled via dejavu-fonts-ttf so SVG, PNG and
 * PDF look the same everywhere), journal-sized text, a framed plot area with outward ticks and the
 * Okabe–Ito colour-blind-safe palette (Okabe & Ito 2008; Wong, Nat. Methods 8, 441 (2011)).
 */

/** Font family used by every figure (its TTF files are bundled, see render/fonts.ts). */
export const FONT_FAMILY = 'DejaVu Sans';

/** Okabe–Ito palette, ordered for contrast on white (yellow last: use only for fills). */
export const PALETTE: readonly string[] = [
  '#0072B2', // blue
  '#D55E00', // vermillion
  '#009E73', // bluish green
  '#CC79A7', // reddish purple
  '#E69F00', // orange
  '#56B4E9', // sky blue
  '#000000', // black
  '#F0E442', // yellow
];

/** Default plot-area size in px (1 px = 1 pt in the PDF): about a single journal column with its axes. */
export const DEFAULT_WIDTH = 300;
export const DEFAULT_HEIGHT = 220;

/** Vega-Lite `config` block of the theme (merged into every spec built by src/plot/specs). */
export function publicationConfig(): Record<string, unknown> {
  const text = { font: FONT_FAMILY };
  return {
    background: 'white',
    font: FONT_FAMILY,
    padding: 8,
    view: { stroke: '#000000', strokeWidth: 0.8, continuousWidth: DEFAULT_WIDTH, continuousHeight: DEFAULT_HEIGHT },
    range: { category: [...PALETTE] },
    title: { ...text, fontSize: 13, fontWeight: 'normal', anchor: 'start', offset: 8, color: '#000000' },
    axis: {
      labelFont: FONT_FAMILY, titleFont: FONT_FAMILY,
      labelFontSize: 11, titleFontSize: 12, titleFontWeight: 'normal',
      labelColor: '#000000', titleColor: '#000000',
      domain: false, grid: false,
      ticks: true, tickColor: '#000000', tickWidth: 0.8, tickSize: 4,
      labelFlush: false, labelOverlap: true, titlePadding: 6,
    },
    legend: {
      labelFont: FONT_FAMILY, titleFont: FONT_FAMILY,
      labelFontSize: 10, titleFontSize: 11, titleFontWeight: 'normal',
      labelColor: '#000000', titleColor: '#000000', symbolSize: 60, symbolStrokeWidth: 1.5,
      orient: 'top-right', fillColor: 'rgba(255,255,255,0.85)', padding: 4, cornerRadius: 0,
      strokeColor: null,
    },
    header: { labelFont: FONT_FAMILY, titleFont: FONT_FAMILY, labelFontSize: 11, titleFontSize: 12 },
    text: { ...text, fontSize: 10, color: '#000000' },
    line: { strokeWidth: 1.5 },
    point: { size: 28, filled: true },
    rule: { strokeWidth: 1 },
    bar: { stroke: null },
    concat: { spacing: 12 },
  };
}
