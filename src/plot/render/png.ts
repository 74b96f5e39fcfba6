/** SVG text → PNG with resvg and the bundled DejaVu Sans (system fonts are not consulted, so output is reproducible). */
import { Resvg } from '@resvg/resvg-js';
import { FONT_FAMILY } from '../theme';
import { dejavuFontFiles } from './fonts';

/** A rasterised image: RGBA pixels (row-major, 4 bytes per pixel) and its PNG encoding. */
export interface Raster {
  width: number;
  height: number;
  rgba: Uint8Array;
  png: Buffer;
}

/** Renders SVG text at `scale` device pixels per SVG px (e.g. 300/72 for 300 dpi at 1 px = 1 pt), on white. */
export function rasterizeSvg(svg: string, scale = 300 / 72): Raster {
  const r = new Resvg(svg, {
    background: 'white',
    fitTo: { mode: 'zoom', value: scale },
    font: {
      fontFiles: dejavuFontFiles(),
      loadSystemFonts: false,
      defaultFontFamily: FONT_FAMILY,
      sansSerifFamily: FONT_FAMILY,
      serifFamily: FONT_FAMILY,
      monospaceFamily: FONT_FAMILY,
    },
  });
  const img = r.render();
  return { width: img.width, height: img.height, rgba: new Uint8Array(img.pixels), png: img.asPng() };
}

/** PNG bytes of an SVG document at the given dpi (1 SVG px = 1 pt). */
export function svgToPng(svg: string, dpi = 300): Buffer {
  return rasterizeSvg(svg, dpi / 72).png;
}
