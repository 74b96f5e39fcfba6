/**
 * A minimal single-page PDF 1.4 holding one raster image (Flate-compressed RGB): PDF output without a
 * canvas or browser. The figure is embedded as pixels (use ≥ 300 dpi), not as vector paths.
 */
import { deflateSync } from 'node:zlib';

/** Options of {@link rasterToPdf}. */
export interface PdfOptions {
  /** Page size in pt (1/72 in); the image fills the page. */
  widthPt: number;
  heightPt: number;
  title?: string;
}

/** PDF bytes of one page showing an RGBA raster (alpha composited on white) scaled to the page size (pt). */
export function rasterToPdf(width: number, height: number, rgba: Uint8Array, opts: PdfOptions): Buffer {
  if (rgba.length !== width * height * 4) throw new Error(`rasterToPdf: ${rgba.length} bytes for ${width}×${height} RGBA`);
  const rgb = Buffer.alloc(width * height * 3);
  for (let p = 0, q = 0; p < rgba.length; p += 4, q += 3) {
    const a = rgba[p + 3] / 255;
    rgb[q] = Math.round(rgba[p] * a + 255 * (1 - a));
    rgb[q + 1] = Math.round(rgba[p + 1] * a + 255 * (1 - a));
    rgb[q + 2] = Math.round(rgba[p + 2] * a + 255 * (1 - a));
  }
  const image = deflateSync(rgb, { level: 9 });
  const w = num(opts.widthPt), h = num(opts.heightPt);
  const content = Buffer.from(`q ${w} 0 0 ${h} 0 0 cm /Im0 Do Q\n`, 'latin1');
  const objects: Buffer[] = [
    Buffer.from('<< /Type /Catalog /Pages 2 0 R >>'),
    Buffer.from('<< /Type /Pages /Kids [3 0 R] /Count 1 >>'),
    Buffer.from(`<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${w} ${h}] /Resources << /XObject << /Im0 4 0 R >> >> /Contents 5 0 R >>`),
    stream(`/Type /XObject /Subtype /Image /Width ${width} /Height ${height} /ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter /FlateDecode`, image),
    stream('', content),
    Buffer.from(`<< /Producer (ufnmr) /Title (${pdfString(opts.title ?? 'figure')}) >>`),
  ];
  const parts: Buffer[] = [Buffer.from('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n', 'latin1')];
  let offset = parts[0].length;
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(offset);
    const chunk = Buffer.concat([Buffer.from(`${i + 1} 0 obj\n`), body, Buffer.from('\nendobj\n')]);
    parts.push(chunk);
    offset += chunk.length;
  });
  let xref = `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const o of offsets) xref += `${String(o).padStart(10, '0')} 00000 n \n`;
  xref += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R /Info ${objects.length} 0 R >>\nstartxref\n${offset}\n%%EOF\n`;
  parts.push(Buffer.from(xref, 'latin1'));
  return Buffer.concat(parts);
}

function stream(dict: string, data: Buffer): Buffer {
  return Buffer.concat([Buffer.from(`<< ${dict} /Length ${data.length} >>\nstream\n`), data, Buffer.from('\nendstream')]);
}

function num(x: number): string {
  if (!(x > 0) || !Number.isFinite(x)) throw new Error(`rasterToPdf: page size must be positive, got ${x}`);
  return Number(x.toFixed(3)).toString();
}

/** Escapes a PDF literal string (ASCII only; other characters become '?'). */
function pdfString(s: string): string {
  return s.replace(/[^\x20-\x7e]/g, '?').replace(/[\\()]/g, (c) => '\\' + c);
}
