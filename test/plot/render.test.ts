/**
 * Headless rendering: every figure type renders to SVG with its axis titles as <text>, and resvg draws
 * that text (dark pixels in the axis-title bands that vanish when the <text> elements are removed);
 * the bundled font metrics match what resvg draws; saveFigure writes valid SVG/PNG/PDF atomically.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { InputError } from '../../src/core/errors';
import * as plot from '../../src/plot';
import { exampleSpecs } from './examples';
import { darkPixels, decodePng } from './decodePng';

const stripText = (svg: string) => svg.replace(/<text[^>]*>[^<]*<\/text>/g, '');

test('each figure type renders axis titles as text that resvg draws', async () => {
  for (const [name, spec] of Object.entries(exampleSpecs())) {
    const svg = await plot.renderSvg(spec);
    const texts = [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
    assert.ok(texts.length >= 6, `${name}: ${texts.length} text elements`);
    assert.ok(texts.some((t) => /\(|Epoch|Temperature|g\(r\)/.test(t)), `${name}: an axis title among ${texts.join(' | ')}`);
    assert.match(svg, /font-family="DejaVu Sans"/);
    const full = decodePng(plot.svgToPng(svg, 144));
    const bare = decodePng(plot.svgToPng(stripText(svg), 144));
    const { widthPx, heightPx } = plot.svgSize(svg);
    assert.ok(Math.abs(full.width - 2 * widthPx) <= 1 && Math.abs(full.height - 2 * heightPx) <= 1, `${name}: PNG size`);
    // x-axis title band (bottom) and y-axis title band (left).
    const bottom = darkPixels(full, 0.2, 0.9, 0.9, 1) - darkPixels(bare, 0.2, 0.9, 0.9, 1);
    const left = darkPixels(full, 0, 0.1, 0.2, 0.8) - darkPixels(bare, 0, 0.1, 0.2, 0.8);
    assert.ok(bottom > 150, `${name}: x-axis title pixels ${bottom}`);
    assert.ok(left > 150, `${name}: y-axis title pixels ${left}`);
  }
});

test('DejaVu advance widths from the TTF match the ink width resvg draws', () => {
  const inkWidth = (s: string) => {
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="400" height="60"><text x="10" y="40" font-family="DejaVu Sans" font-size="20">${s}</text></svg>`;
    const img = decodePng(plot.svgToPng(svg, 72));
    let x0 = Infinity, x1 = -Infinity;
    for (let y = 0; y < img.height; y++)
      for (let x = 0; x < img.width; x++) if (img.rgba[(y * img.width + x) * 4] < 128) { x0 = Math.min(x0, x); x1 = Math.max(x1, x); }
    return x1 - x0 + 1;
  };
  for (const s of ['MMMMMMMMMM', 'iiiiiiiiii', 'Lag time t (ps)', 'Rate (s⁻¹) τ β Å²']) {
    const advance = plot.textWidthPx(s, 20);
    const ink = inkWidth(s);
    // Ink is the advance minus the first glyph's left and the last glyph's right side bearing (a few px).
    assert.ok(ink <= advance + 1 && ink > advance - 8, `${s}: ink ${ink} px vs advance ${advance.toFixed(1)} px`);
  }
  assert.ok(plot.textWidthPx('M', 10, true) > plot.textWidthPx('M', 10), 'bold is wider');
});

test('saveFigure writes SVG, PNG and a well-formed PDF; bad paths and specs leave files alone', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ufnmr-plot-'));
  try {
    const spec = exampleSpecs().rdf;
    const out = await plot.saveFigure(spec, join(dir, 'rdf.png'), { pngDpi: 150, pdfDpi: 100 });
    assert.deepEqual(Object.keys(out).sort(), ['pdf', 'png', 'svg']);
    const svg = readFileSync(out.svg!, 'utf8');
    const { widthPx, heightPx } = plot.svgSize(svg);
    const png = decodePng(readFileSync(out.png!));
    assert.ok(Math.abs(png.width - (widthPx * 150) / 72) <= 1);
    assert.ok(darkPixels(png, 0.2, 0.9, 0.9, 1) > 100, 'saved PNG has x-axis text');
    checkPdf(readFileSync(out.pdf!), widthPx, heightPx, (widthPx * 100) / 72);
    assert.deepEqual(readdirSync(dir).sort(), ['rdf.pdf', 'rdf.png', 'rdf.svg'], 'no temporary files left');

    writeFileSync(join(dir, 'bad.svg'), 'old');
    await assert.rejects(plot.saveFigure({ mark: 'nonsense-mark' }, join(dir, 'bad')));
    assert.equal(readFileSync(join(dir, 'bad.svg'), 'utf8'), 'old', 'failed render keeps the old file');
    await assert.rejects(plot.saveFigure(spec, join(dir, 'missing', 'x')), (e: Error) => e instanceof InputError && /does not exist/.test(e.message));
    await assert.rejects(plot.saveFigure(spec, join(dir, 'x'), { formats: ['gif' as never] }), /unknown format/);
    assert.ok(!existsSync(join(dir, 'x.svg')));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/** Checks the xref table, page size (pt) and the embedded image of a PDF written by rasterToPdf. */
function checkPdf(pdf: Buffer, widthPt: number, heightPt: number, imageWidth: number): void {
  const text = pdf.toString('latin1');
  assert.ok(text.startsWith('%PDF-1.4'));
  assert.ok(text.trimEnd().endsWith('%%EOF'));
  const startxref = Number(/startxref\n(\d+)/.exec(text)![1]);
  assert.equal(text.slice(startxref, startxref + 4), 'xref');
  const entries = [...text.slice(startxref).matchAll(/^(\d{10}) 00000 n $/gm)].map((m) => Number(m[1]));
  assert.equal(entries.length, 6);
  entries.forEach((off, i) => assert.equal(text.slice(off, off + `${i + 1} 0 obj`.length), `${i + 1} 0 obj`));
  const box = /\/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]/.exec(text)!;
  assert.ok(Math.abs(Number(box[1]) - widthPt) < 1e-6 && Math.abs(Number(box[2]) - heightPt) < 1e-6);
  const im = /\/Width (\d+) \/Height (\d+) .*?\/Length (\d+) >>\nstream\n/.exec(text)!;
  const w = Number(im[1]), h = Number(im[2]), len = Number(im[3]);
  assert.ok(Math.abs(w - imageWidth) <= 1);
  const start = im.index + im[0].length;
  const rgb = inflateSync(pdf.subarray(start, start + len));
  assert.equal(rgb.length, w * h * 3);
  let dark = 0;
  for (let i = 0; i < rgb.length; i += 3) if (rgb[i] + rgb[i + 1] + rgb[i + 2] < 300) dark++;
  assert.ok(dark > 500, 'PDF image has content');
}
