/** Spec builders: valid Vega-Lite (compiles), analytic metrics/curves, input validation. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InputError } from '../../src/core/errors';
import * as plot from '../../src/plot';
import { exampleSpecs } from './examples';

test('every example spec compiles with vega-lite and carries the theme and schema', async () => {
  const vlVersion = (await plot.importEsm<{ version: string }>('vega-lite')).version;
  assert.equal(Number(vlVersion.split('.')[0]), plot.VEGA_LITE_MAJOR, 'VEGA_LITE_MAJOR matches the installed vega-lite');
  for (const [name, spec] of Object.entries(exampleSpecs())) {
    assert.match(String(spec.$schema), /vega-lite\/v6\.json$/, name);
    assert.equal((spec.config as Record<string, unknown>).font, plot.FONT_FAMILY, name);
    const vg = await plot.compileToVega(spec);
    assert.ok(Array.isArray(vg.marks) && vg.marks.length > 0, `${name} has marks`);
    JSON.parse(JSON.stringify(spec)); // plain JSON, no typed arrays or functions
  }
});

test('parityMetrics: analytic case', () => {
  const m = plot.parityMetrics([1, 2, 3, 4], [1, 2, 3, 6]);
  assert.equal(m.n, 4);
  assert.equal(m.mae, 0.5);
  assert.equal(m.rmse, 1);
  assert.equal(m.maxAbs, 2);
  // SS_res = 4, SS_tot = 5 → R² = 0.2
  assert.ok(Math.abs(m.r2 - 0.2) < 1e-12);
  assert.ok(Number.isNaN(plot.parityMetrics([2, 2], [1, 3]).r2));
});

test('kwwValue: limits and the 1/e point', () => {
  const c = { tauPs: 2, beta: 0.5, plateau: 0.1 };
  assert.equal(plot.kwwValue(c, 0), 1);
  assert.ok(Math.abs(plot.kwwValue(c, 2) - (0.9 / Math.E + 0.1)) < 1e-15);
  assert.ok(Math.abs(plot.kwwValue(c, 1e9) - 0.1) < 1e-12);
  assert.equal(plot.kwwValue({ ...c, amplitude: 3 }, 0), 3);
});

test('arrheniusRate: ratio between two temperatures gives back Ea', () => {
  const ea = 0.31, kB = 8.617333262e-5;
  const r1 = plot.arrheniusRate(ea, 1e13, 400), r2 = plot.arrheniusRate(ea, 1e13, 800);
  assert.ok(Math.abs(Math.log(r2 / r1) * kB / (1 / 400 - 1 / 800) - ea) < 1e-12);
});

test('thinning keeps endpoints, is monotonic, and log thinning is even in log(x)', () => {
  assert.deepEqual(plot.thinLinear(5, 10), [0, 1, 2, 3, 4]);
  const lin = plot.thinLinear(1001, 11);
  assert.deepEqual(lin, [0, 100, 200, 300, 400, 500, 600, 700, 800, 900, 1000]);
  const x = Array.from({ length: 100001 }, (_, i) => i * 0.001);
  const k = plot.thinLog(x, 50);
  assert.ok(k.length <= 51 && k.length >= 40, `got ${k.length}`);
  assert.equal(k[0], 1); // x = 0 dropped on a log axis
  assert.equal(k[k.length - 1], 100000);
  for (let i = 1; i < k.length; i++) assert.ok(k[i] > k[i - 1]);
  // Each step is at least the nominal log step; where the grid is fine (x ≥ 1) it is close to it.
  const nominal = Math.log(100 / 0.001) / 49;
  for (let i = 1; i < k.length - 1; i++) {
    const step = Math.log(x[k[i]] / x[k[i - 1]]);
    assert.ok(step >= nominal - 1e-9, `step ${i} = ${step} < ${nominal}`);
    if (x[k[i - 1]] >= 1) assert.ok(step < 1.05 * nominal, `step ${i} = ${step} too large`);
  }
  const ls = plot.logspace(0.01, 100, 5);
  [0.01, 0.1, 1, 10, 100].forEach((v, i) => assert.ok(Math.abs(ls[i] / v - 1) < 1e-12));
});

test('acfPlot thins long series and evaluates KWW fits on a log grid', () => {
  const lag = Array.from({ length: 100000 }, (_, i) => 0.001 * i);
  const spec = plot.acfPlot({ series: [{ label: 'a', lagPs: lag, values: lag.map((t) => Math.exp(-t)), fit: { tauPs: 1, beta: 1, plateau: 0 } }] });
  const layers = spec.layer as { data: { values: { t: number; v: number }[] } }[];
  assert.ok(layers[0].data.values.length <= 301, 'data thinned');
  const fit = layers[1].data.values;
  assert.equal(fit.length, 160);
  for (const p of fit) assert.ok(Math.abs(p.v - Math.exp(-p.t)) < 1e-12);
});

test('bad input raises InputError naming the array and index', () => {
  assert.throws(() => plot.parityPlot({ reference: [1, 2], predicted: [1] }), (e: Error) => e instanceof InputError && /expected 2 values/.test(e.message));
  assert.throws(() => plot.acfPlot({ series: [{ label: 'x', lagPs: [0, 1, 2], values: [1, NaN, 0] }] }), (e: Error) => e instanceof InputError && /values\[1\] is NaN/.test(e.message));
  assert.throws(() => plot.acfPlot({ series: [] }), InputError);
  assert.throws(() => plot.acfPlot({ series: [{ lagPs: [0], values: [1] }] }), /no positive lag/);
  assert.throws(() => plot.arrheniusPlot({ series: [{ temperatureK: [300], rateHz: [0] }] }), /rateHz\[0\] = 0/);
  assert.throws(() => plot.rdfPlot({ series: [{ label: 'a', rA: [1], g: [1] }, { label: 'a', rA: [1], g: [1] }] }), /duplicate series label/);
  assert.throws(() => plot.tracePlot({ timePs: [0, 1], panels: [{ quantity: 'T', values: [1] }] }), /expected 2 values/);
  assert.throws(() => plot.hopRatePlot({ rows: [] }), InputError);
  assert.throws(() => plot.hopRatePlot({ rows: [{ group: 'a', method: 'm', rateHz: -1 }], logY: true }), /positive on a log axis/);
});

test('wrapTitle splits long titles before the unit', () => {
  assert.equal(plot.wrapTitle('T (K)', 100), 'T (K)');
  assert.deepEqual(plot.wrapTitle('Potential energy per atom (eV)', 100), ['Potential energy per atom', '(eV)']);
});
