import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DensitySites, WindowedDisplacementHops, SiteLocator, SiteTracker } from '../../src/dynamics';
import { MinimumImage } from '../../src/core/cell';
import { InputError } from '../../src/core/errors';
import { markovJumpSeries } from '../helpers/markovJump';

const model = markovJumpSeries({ seed: 9, nLi: 16, nFrames: 12000, dtFs: 10, hopRatePerPs: 1, vibrationSigmaA: 0.15 });
const frameOf = (arr: Float64Array, f: number) => arr.subarray(3 * model.nLi * f, 3 * model.nLi * (f + 1));

test('density-derived sites: every model site is found within 0.05 Å, and tracking on them recovers the hop rate within 5 %', () => {
  const dens = new DensitySites(model.cell, 0.2);
  for (let f = 0; f < model.nFrames; f++) dens.push(frameOf(model.positions, f));
  const found = dens.findSites({ smoothingA: 0.25, minSeparationA: 1.2, minDensityRatio: 3 });
  assert.equal(found.sites.typeOf.length, model.nSites);
  const mi = new MinimumImage(model.cell);
  for (let s = 0; s < model.nSites; s++) {
    let best = Infinity;
    for (let k = 0; k < model.nSites; k++) {
      const p = model.sitePositions, q = found.sites.positions;
      best = Math.min(best, mi.apply(q[3 * k] - p[3 * s], q[3 * k + 1] - p[3 * s + 1], q[3 * k + 2] - p[3 * s + 2]));
    }
    assert.ok(best < 0.05, `model site ${s}: nearest found site ${best} Å away`);
  }
  const tr = new SiteTracker(new SiteLocator(found.sites, 0.9), model.nLi, { minFirstFrameInside: 0 });
  for (let f = 0; f < model.nFrames; f++) tr.push(frameOf(model.positions, f));
  const r = tr.finish(model.dtFs);
  assert.ok(Math.abs(r.ratePerPs - model.hopRatePerPs) < 0.05 * model.hopRatePerPs, `rate ${r.ratePerPs}`);
  // too strict a density cut finds nothing
  assert.throws(() => dens.findSites({ minDensityRatio: 1e6 }), (e: Error) => e instanceof InputError && /no density peak/.test(e.message));
});

test('windowed displacements: a threshold below the jump length recovers the rate within 10 %; counts fall with the threshold', () => {
  const w = new WindowedDisplacementHops(model.nLi, { windowFrames: 5, thresholdsA: [1.5, 2.0, 3.0, 4.0] });
  for (let f = 0; f < model.nFrames; f++) w.push(frameOf(model.unwrappedPositions, f));
  const r = w.finish(model.dtFs);
  assert.equal(r.nWindows, model.nFrames / 5);
  const rates = r.thresholds.map((t) => t.ratePerPs);
  assert.ok(Math.abs(rates[0] - 1) < 0.1, `rate at 1.5 Å: ${rates[0]}`);
  for (let k = 1; k < rates.length; k++) assert.ok(rates[k] <= rates[k - 1]);
  assert.ok(rates[3] < 0.5 * rates[0], 'a threshold beyond the jump length needs several hops');
  assert.throws(() => new WindowedDisplacementHops(2, { windowFrames: 0, thresholdsA: [1] }), InputError);
  assert.throws(() => new WindowedDisplacementHops(2, { windowFrames: 3, thresholdsA: [] }), InputError);
  const few = new WindowedDisplacementHops(1, { windowFrames: 3, thresholdsA: [1] });
  few.push([0, 0, 0]);
  assert.throws(() => few.finish(10), (e: Error) => e instanceof InputError && /0 complete window/.test(e.message));
  assert.throws(() => few.push([0, NaN, 0]), InputError);
});
