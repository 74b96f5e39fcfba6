/** Writing figures to disk: SVG, PNG and PDF (and the spec as JSON), each atomically (temp file, then rename). */
import { existsSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, extname } from 'node:path';
import { InputError } from '../../core/errors';
import type { VlSpec } from '../specs/common';
import { rasterToPdf } from './pdf';
import { rasterizeSvg } from './png';
import { renderSvg } from './svg';

/** Output formats of {@link saveFigure}; 'json' is the Vega-Lite spec itself. */
export type FigureFormat = 'svg' | 'png' | 'pdf' | 'json';

/** Options of {@link saveFigure}. */
export interface SaveFigureOptions {
  /** Formats to write (default svg, png, pdf). */
  formats?: readonly FigureFormat[];
  /** PNG resolution in dots per inch at 1 px = 1 pt (default 300). */
  pngDpi?: number;
  /** Resolution of the raster embedded in the PDF (default 600). */
  pdfDpi?: number;
}

/** Paths written by {@link saveFigure}, by format. */
export type SavedFigure = Partial<Record<FigureFormat, string>>;

const KNOWN = new Set(['.svg', '.png', '.pdf', '.json']);

/**
 * Renders a Vega-Lite spec and writes `<base>.svg`, `<base>.png`, `<base>.pdf` (base = `path` without a
 * .svg/.png/.pdf/.json extension). Existing files are replaced only once the new one is complete.
 */
export async function saveFigure(spec: VlSpec, path: string, opts: SaveFigureOptions = {}): Promise<SavedFigure> {
  const formats = opts.formats ?? ['svg', 'png', 'pdf'];
  for (const f of formats) if (!['svg', 'png', 'pdf', 'json'].includes(f)) throw new InputError(`saveFigure: unknown format ${JSON.stringify(f)} (svg, png, pdf, json)`);
  const dir = dirname(path);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new InputError(`saveFigure: directory ${dir} does not exist (for ${path})`);
  const ext = extname(path).toLowerCase();
  const base = KNOWN.has(ext) ? path.slice(0, -ext.length) : path;
  const svg = await renderSvg(spec);
  const out: SavedFigure = {};
  const write = (fmt: FigureFormat, data: string | Buffer) => {
    const target = `${base}.${fmt}`;
    writeAtomic(target, data);
    out[fmt] = target;
  };
  if (formats.includes('svg')) write('svg', svg);
  if (formats.includes('png')) write('png', rasterizeSvg(svg, (opts.pngDpi ?? 300) / 72).png);
  if (formats.includes('pdf')) {
    const { widthPx, heightPx } = svgSize(svg);
    const r = rasterizeSvg(svg, (opts.pdfDpi ?? 600) / 72);
    write('pdf', rasterToPdf(r.width, r.height, r.rgba, { widthPt: widthPx, heightPt: heightPx, title: typeof spec.title === 'string' ? spec.title : basename(base) }));
  }
  if (formats.includes('json')) write('json', JSON.stringify(spec, null, 1) + '\n');
  return out;
}

/** Width and height (px) of an SVG document from its root attributes. */
export function svgSize(svg: string): { widthPx: number; heightPx: number } {
  const head = svg.slice(0, svg.indexOf('>') + 1);
  const w = /\swidth="([\d.]+)"/.exec(head), h = /\sheight="([\d.]+)"/.exec(head);
  if (!w || !h) throw new Error('SVG without numeric width/height on its root element');
  return { widthPx: Number(w[1]), heightPx: Number(h[1]) };
}

/** Writes a file through a temporary sibling and a rename, so a crash never leaves a half-written target. */
export function writeAtomic(target: string, data: string | Buffer): void {
  const tmp = `${target}.tmp-${process.pid}-${Date.now()}`;
  try {
    writeFileSync(tmp, data);
    renameSync(tmp, target);
  } catch (e) {
    if (existsSync(tmp)) unlinkSync(tmp);
    throw e;
  }
}
