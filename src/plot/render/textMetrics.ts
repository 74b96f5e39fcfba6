/**
 * Text widths from the bundled DejaVu Sans TTF files (advance widths from the `hmtx` table via `cmap`),
 * installed as vega's text measurer. Without a canvas vega otherwise guesses 0.8 em per character,
 * which overestimates DejaVu (≈ 0.6 em) and leaves oversized margins and panel gaps.
 * Kerning is ignored (a sub-percent effect on labels).
 */
import { readFileSync } from 'node:fs';
import { dejavuFontFiles } from './fonts';

/** Advance widths of one font: `advance(codePoint)` in em. */
export interface FontMetrics {
  advanceEm(codePoint: number): number;
}

/** Parses the advance widths (hmtx) and the Unicode character map (cmap format 4 or 12) of a TrueType file. */
export function parseTrueTypeMetrics(buf: Buffer): FontMetrics {
  const numTables = buf.readUInt16BE(4);
  const tables = new Map<string, number>();
  for (let i = 0; i < numTables; i++) {
    const rec = 12 + 16 * i;
    tables.set(buf.toString('latin1', rec, rec + 4), buf.readUInt32BE(rec + 8));
  }
  const need = (tag: string) => {
    const off = tables.get(tag);
    if (off === undefined) throw new Error(`TrueType font without a ${tag} table`);
    return off;
  };
  const unitsPerEm = buf.readUInt16BE(need('head') + 18);
  const numHMetrics = buf.readUInt16BE(need('hhea') + 34);
  const hmtx = need('hmtx');
  const advanceOf = (glyph: number) => buf.readUInt16BE(hmtx + 4 * Math.min(glyph, numHMetrics - 1)) / unitsPerEm;
  const glyphOf = cmapLookup(buf, need('cmap'));
  const cache = new Map<number, number>();
  return {
    advanceEm(cp: number): number {
      let a = cache.get(cp);
      if (a === undefined) {
        a = advanceOf(glyphOf(cp));
        cache.set(cp, a);
      }
      return a;
    },
  };
}

/** A code point → glyph id function from the best Unicode cmap subtable (format 12, else format 4). */
function cmapLookup(buf: Buffer, cmap: number): (cp: number) => number {
  const n = buf.readUInt16BE(cmap + 2);
  let f4 = -1, f12 = -1;
  for (let i = 0; i < n; i++) {
    const rec = cmap + 4 + 8 * i;
    const platform = buf.readUInt16BE(rec), encoding = buf.readUInt16BE(rec + 2);
    const sub = cmap + buf.readUInt32BE(rec + 4);
    const format = buf.readUInt16BE(sub);
    if (format === 12 && (platform === 3 || platform === 0)) f12 = sub;
    if (format === 4 && ((platform === 3 && encoding === 1) || platform === 0)) f4 = sub;
  }
  if (f12 >= 0) {
    const groups = buf.readUInt32BE(f12 + 12);
    return (cp) => {
      let lo = 0, hi = groups - 1;
      while (lo <= hi) {
        const mid = (lo + hi) >> 1, g = f12 + 16 + 12 * mid;
        const start = buf.readUInt32BE(g), end = buf.readUInt32BE(g + 4);
        if (cp < start) hi = mid - 1;
        else if (cp > end) lo = mid + 1;
        else return buf.readUInt32BE(g + 8) + (cp - start);
      }
      return 0;
    };
  }
  if (f4 < 0) throw new Error('TrueType font without a Unicode cmap (format 4 or 12)');
  const segX2 = buf.readUInt16BE(f4 + 6);
  const ends = f4 + 14, starts = ends + segX2 + 2, deltas = starts + segX2, ranges = deltas + segX2;
  return (cp) => {
    if (cp > 0xffff) return 0;
    for (let s = 0; s < segX2; s += 2) {
      if (cp > buf.readUInt16BE(ends + s)) continue;
      const start = buf.readUInt16BE(starts + s);
      if (cp < start) return 0;
      const delta = buf.readUInt16BE(deltas + s), ro = buf.readUInt16BE(ranges + s);
      if (ro === 0) return (cp + delta) & 0xffff;
      const g = buf.readUInt16BE(ranges + s + ro + 2 * (cp - start));
      return g === 0 ? 0 : (g + delta) & 0xffff;
    }
    return 0;
  };
}

let variants: FontMetrics[] | undefined;

/** Metrics of the four DejaVu Sans variants: [regular, bold, oblique, bold oblique]. */
function dejavuMetrics(): FontMetrics[] {
  variants ??= dejavuFontFiles().map((f) => parseTrueTypeMetrics(readFileSync(f)));
  return variants;
}

/** Width (px) of `text` set in DejaVu Sans at `fontSizePx`, bold and/or oblique. */
export function textWidthPx(text: string, fontSizePx: number, bold = false, italic = false): number {
  const m = dejavuMetrics()[(bold ? 1 : 0) + (italic ? 2 : 0)];
  let w = 0;
  for (const ch of text) w += m.advanceEm(ch.codePointAt(0)!);
  return w * fontSizePx;
}

interface TextItem { fontSize?: number | string; fontWeight?: number | string; fontStyle?: string; limit?: number }

/** Makes vega measure text with the DejaVu metrics (call with the loaded vega module; idempotent). */
export function installTextMetrics(vega: { textMetrics?: { width: unknown } }): void {
  if (!vega.textMetrics) return;
  vega.textMetrics.width = (item: TextItem, text: unknown) => {
    const size = item.fontSize != null ? +item.fontSize || 0 : 11;
    const s = text == null ? '' : String(text).trim();
    if (size <= 0 || !s) return 0;
    const w = item.fontWeight;
    const bold = w === 'bold' || w === 'bolder' || (typeof w === 'number' && w >= 600) || (typeof w === 'string' && +w >= 600);
    const italic = item.fontStyle === 'italic' || item.fontStyle === 'oblique';
    return textWidthPx(s, size, bold, italic);
  };
}
