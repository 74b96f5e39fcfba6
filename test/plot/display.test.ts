/** Notebook displays through a recording sender: chart/table/structure bundles, in-place progress, dispatch. */
import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { InputError } from '../../src/core/errors';
import { createStructure } from '../../src/core/structure';
import * as plot from '../../src/plot';
import { decodePng } from './decodePng';

type Sent = { bundle: plot.MimeBundle; id: string | undefined; update: boolean };
function record(): Sent[] {
  const sent: Sent[] = [];
  plot.setDisplaySender((bundle, id, update) => sent.push({ bundle, id, update }));
  return sent;
}
afterEach(() => plot.setDisplaySender(undefined));

test('outside tslab nothing is detected as a notebook', () => {
  plot.setDisplaySender(undefined);
  assert.equal(plot.inNotebook(), false);
});

test('chart bundle: Vega-Lite JSON, SVG and a decodable PNG', async () => {
  const sent = record();
  const spec = plot.rdfPlot({ title: 'g', series: [{ label: 'Li–S', rA: [1, 2, 3], g: [0, 2, 1] }] });
  await plot.show(spec);
  assert.equal(sent.length, 1);
  const b = sent[0].bundle;
  assert.equal(plot.VEGA_LITE_MIME, 'application/vnd.vegalite.v6+json');
  assert.deepEqual(b[plot.VEGA_LITE_MIME], spec);
  assert.match(String(b['image/svg+xml']), /^<svg[\s\S]*<text[\s\S]*r \(Å\)/);
  const png = decodePng(Buffer.from(String(b['image/png']), 'base64'));
  const { widthPx } = plot.svgSize(String(b['image/svg+xml']));
  assert.ok(Math.abs(png.width - 2 * widthPx) <= 1, 'PNG at 144 dpi');
  assert.equal(b['text/plain'], '<Vega-Lite chart: g>');
});

test('tables from a danfojs DataFrame, row objects and column records', async () => {
  const sent = record();
  const dfd = await import('danfojs-node');
  const df = new dfd.DataFrame({ 'T (K)': [400, 500], 'rate (Hz)': [1.5e9, 0.123456789], method: ['<NMR>', 'hops'] });
  await plot.show(df as unknown as plot.TableLike);
  const html = String(sent[0].bundle['text/html']);
  assert.match(html, /<th>T \(K\)<\/th><th>rate \(Hz\)<\/th><th>method<\/th>/);
  assert.match(html, /<td>0<\/td><td style="text-align:right">400<\/td><td style="text-align:right">1\.5000e\+9<\/td><td>&lt;NMR&gt;<\/td>/);
  assert.match(html, /0\.123457/);
  const text = String(sent[0].bundle['text/plain']).split('\n');
  assert.deepEqual(text.slice(0, 3), ['   T (K)  rate (Hz)  method', '0    400  1.5000e+9  <NMR>', '1    500   0.123457  hops']);
  const rows = plot.tableBundle([{ a: 1, b: 'x' }, { a: 2 }]);
  assert.match(String(rows['text/plain']), /^a  b\n1  x\n2\n\[2 rows × 2 columns\]$/);
  const long = plot.tableBundle({ i: Array.from({ length: 100 }, (_, i) => i) }, { maxRows: 10 });
  const lines = String(long['text/plain']).split('\n');
  assert.deepEqual([lines[1], lines[5], lines[6], lines[7], lines[11]], [' 0', ' 4', ' …', '95', '99']);
  assert.throws(() => plot.tableBundle({ a: [1, 2], b: [1] }), (e: Error) => e instanceof InputError && /column "b": 1 values, expected 2/.test(e.message));
});

test('notebook progress: one display id, updates in place, throttled, final state always drawn', () => {
  const sent = record();
  let t = 0;
  const bar = plot.progressBar('MD', { now: () => t, minIntervalMs: 100 });
  for (let i = 0; i <= 1000; i += 10) {
    t = i; // 1 step per ms → 1000 steps/s
    bar({ done: i, total: 1000, unit: 'steps' });
  }
  bar.finish();
  const ids = new Set(sent.map((s) => s.id));
  assert.equal(ids.size, 1);
  assert.ok([...ids][0]);
  assert.equal(sent[0].update, false);
  assert.ok(sent.slice(1).every((s) => s.update));
  assert.ok(sent.length >= 10 && sent.length <= 14, `${sent.length} redraws for 101 reports at 100 ms`);
  const last = String(sent[sent.length - 1].bundle['text/plain']);
  assert.match(last, /^MD \[#{24}\] 100% 1000\/1000 · 1000 steps\/s$/);
  assert.match(String(sent[5].bundle['text/html']), /<progress value="\d+" max="1000"/);
  assert.match(String(sent[5].bundle['text/plain']), /ETA 0:0\d/);
});

test('stderr progress: \\r redraws on a terminal, throttled lines elsewhere', () => {
  const tty: string[] = [];
  let t = 0;
  const bar = plot.stderrProgress({ label: 'fit', stream: { write: (s: string) => tty.push(s), isTTY: true }, now: () => t });
  for (let i = 0; i < 5; i++) { t = 1000 * i; bar({ done: i, total: 10, rate: 2 }); }
  bar.finish();
  assert.ok(tty.every((s, i) => (i < tty.length - 1 ? s.startsWith('\r') : s === '\n')));
  assert.match(tty[4], /fit \[#{10}-{14}\]  40% 4\/10 · 2\.00 it\/s · ETA 0:03/);
  const log: string[] = [];
  const bar2 = plot.stderrProgress({ stream: { write: (s: string) => log.push(s) }, now: () => t });
  for (let i = 0; i <= 100; i++) { t = 150 * i; bar2({ done: i, total: 100, label: 'x' }); }
  assert.equal(log.length, 3, 'at 0 s, after 10 s, and the final line');
  assert.equal(plot.formatDuration(3725), '1:02:05');
  assert.equal(plot.formatProgress({ done: 7, unit: 'frames' }, undefined), '7 frames');
  // src/md's records carry stage, temperature and ns/day: shown when present.
  assert.equal(plot.formatProgress({ done: 5, total: 10, label: 'md', stage: 'heat', temperatureK: 600.4, nsPerDay: 4.213 }, 2, 4),
    'md [##--]  50% 5/10 · 2.00 it/s · ETA 0:03 · heat · T 600 K · 4.21 ns/day');
});

test('structure view: circles per atom, projection along c keeps x order, element legend', () => {
  const s = createStructure({ species: ['Li', 'S', 'P'], positions: [1, 1, 1, 5, 2, 3, 9, 3, 2], cell: [10, 0, 0, 0, 6, 0, 0, 0, 4] });
  const svg = plot.structureSvg(s, { view: 'c' });
  const atoms = [...svg.matchAll(/<circle cx="([\d.]+)" cy="([\d.]+)" r="([\d.]+)" fill="(#[0-9A-F]+)"/g)];
  assert.equal(atoms.length, 3 + 3, '3 atoms and 3 legend swatches');
  const li = atoms.find((m) => m[4] === '#CC80FF' && Number(m[2]) > 30)!, sx = atoms.find((m) => m[4] === '#FFFF30' && Number(m[2]) > 30)!, p = atoms.find((m) => m[4] === '#FF8000' && Number(m[2]) > 30)!;
  assert.ok(Number(li[1]) < Number(sx[1]) && Number(sx[1]) < Number(p[1]), 'x order preserved');
  assert.ok(Number(li[2]) > Number(sx[2]) && Number(sx[2]) > Number(p[2]), 'y up on screen');
  // Along c the screen scale is uniform: distances in px are proportional to Å.
  const dx = (a: RegExpMatchArray, b: RegExpMatchArray) => Number(b[1]) - Number(a[1]);
  assert.ok(Math.abs(dx(li, sx) / dx(sx, p) - 1) < 1e-3);
  assert.match(svg, />Li 1<\/text>/);
  assert.equal(plot.formula(['Li', 'Li', 'P', 'S', 'S', 'S', 'S']), 'Li2PS4');
  assert.match(String(plot.structureBundle(s)['text/plain']), /Structure LiSP \(3 atoms\), cell a=10\.000 b=6\.000 c=4\.000 Å/);
  assert.throws(() => plot.structureSvg(s, { view: [0, 0, 0] }), InputError);
  const molecule = createStructure({ species: ['H', 'H'], positions: [0, 0, 0, 0.74, 0, 0] });
  assert.throws(() => plot.structureSvg(molecule, { view: 'a' }), /no cell/);
  assert.doesNotThrow(() => plot.structureSvg(molecule));
});

test('show dispatches structures and plain tables', async () => {
  const sent = record();
  await plot.show(createStructure({ species: ['Li'], positions: [0, 0, 0], cell: [3, 0, 0, 0, 3, 0, 0, 0, 3] }));
  await plot.show([{ a: 1 }]);
  assert.ok('image/svg+xml' in sent[0].bundle);
  assert.ok('text/html' in sent[1].bundle);
  assert.equal(plot.isVegaLiteSpec({ mark: 'point' }), true);
  assert.equal(plot.isVegaLiteSpec({ $schema: 'https://vega.github.io/schema/vega/v6.json' }), false);
});
