/** Summary pieces of a study: Arrhenius fits per method, unresolved NMR rates, agreement, stable hashes. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KB_EV_PER_K } from '../../src/core/units';
import { agreement, arrheniusFits, methodArrhenius, nmrUnresolved, canonicalJson, stableHash, type TemperatureRow } from '../../src/study';

const T = [400, 500, 600, 800];
const k = (ea: number, k0: number) => T.map((t) => k0 * Math.exp(-ea / (KB_EV_PER_K * t)));

test('methodArrhenius recovers E_a and the prefactor of exact Arrhenius rates, skipping unusable rates', () => {
  const rates = k(0.3, 1e13);
  const f = methodArrhenius('x', T, rates, rates.map((r) => 0.1 * r));
  assert.ok('eaEv' in f);
  assert.ok(Math.abs(f.eaEv - 0.3) < 1e-10 && Math.abs(f.prefactor / 1e13 - 1) < 1e-9);
  assert.ok(f.eaErrScaledEv >= f.eaErrEv);
  const g = methodArrhenius('x', T, [rates[0], NaN, null, rates[3]], [undefined, undefined, undefined, undefined]);
  assert.ok('eaEv' in g && g.n === 2 && Math.abs(g.eaEv - 0.3) < 1e-10 && !g.weighted);
  const h = methodArrhenius('x', T, [rates[0], 0, null, undefined], [1, 1, 1, 1]);
  assert.ok('error' in h && /needs 2/.test(h.error));
});

test('a noisy set inflates the scaled E_a error by √(χ²/dof)', () => {
  const rates = k(0.3, 1e13).map((r, i) => r * (i % 2 ? 1.3 : 0.77));
  const f = methodArrhenius('x', T, rates, rates.map((r) => 0.01 * r));
  assert.ok('eaEv' in f && f.reducedChi2 > 1);
  assert.ok(Math.abs(f.eaErrScaledEv - f.eaErrEv * Math.sqrt(f.reducedChi2)) < 1e-12);
});

test('nmrUnresolved flags τ outside the window and errors above the rate', () => {
  assert.equal(nmrUnresolved(2, [0.5, 20], 5e11, 1e11), undefined);
  assert.match(nmrUnresolved(0.1, [0.5, 20], 1e13, 1e12)!, /before the fit window/);
  assert.match(nmrUnresolved(90, [0.5, 20], 1.1e10, 1e9)!, /beyond the fit window/);
  assert.match(nmrUnresolved(2, [0.5, 20], 5e11, 6e11)!, /exceeds the rate/);
  assert.match(nmrUnresolved(2, [0.5, 20], 5e11, NaN)!, /exceeds the rate/);
});

function row(Tk: number, nmr: number, hops: number, unresolved?: string): TemperatureRow {
  return {
    temperatureK: Tk, measuredTemperatureK: Tk, productionPs: 10,
    nmr: { ok: true, rateHz: nmr, rateErrHz: 0.1 * nmr, unresolved },
    hops: { rateHz: hops, rateErrHz: 0.1 * hops, nHops: 10, meanJumpLengthA: 2.5, backHopFraction: 0.3 },
    msd: { dA2PerPs: 1, dErrA2PerPs: 0.1, dM2PerS: 1e-8, gammaHz: hops, gammaErrHz: 0.1 * hops },
    efg: { meanAbsCqKHz: 100, meanEta: 0.5, rmsNuQKHz: 30, meanAbsCqOfAverageKHz: 50 },
    log10NmrOverHops: unresolved ? null : Math.log10(nmr / hops), log10NmrOverMsd: null,
  };
}

test('agreement counts temperatures within an order of magnitude; unresolved NMR rates stay out of the fits', () => {
  const rows = [row(500, 1e11, 2e11), row(600, 5e12, 2e11), row(700, 1e12, 1e12, 'unresolved')];
  const a = agreement(rows);
  assert.deepEqual({ c: a.compared, w: a.withinOrderOfMagnitude, all: a.allWithin }, { c: 2, w: 1, all: false });
  assert.ok(Math.abs(a.maxAbsLog10NmrOverHops! - Math.log10(25)) < 1e-12);
  const fits = arrheniusFits(rows);
  assert.ok('eaEv' in fits.nmr && fits.nmr.n === 2);
  assert.ok('eaEv' in fits.hops && fits.hops.n === 3);
});

test('stable hashes ignore key order and see typed-array contents', () => {
  assert.equal(stableHash({ a: 1, b: { c: [1, 2], d: 'x' } }), stableHash({ b: { d: 'x', c: [1, 2] }, a: 1 }));
  assert.notEqual(stableHash({ a: 1 }), stableHash({ a: 2 }));
  assert.equal(canonicalJson({ v: new Float64Array([1, 2]) }), '{"v":[1,2]}');
});
