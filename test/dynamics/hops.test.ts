import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { SiteLocator, SiteTracker, readSiteCif, sitesForCell, siteCount, type SiteSet } from '../../src/dynamics';
import { msdOfFrames } from '../../src/dynamics/msd';
import { fitDiffusion, jumpRateFromDiffusion } from '../../src/dynamics/diffusion';
import { InputError } from '../../src/core/errors';
import { fractionalToCartesian, mul3 } from '../../src/core/cell';
import { markovJumpSeries } from '../helpers/markovJump';
import { rng, randomTriclinicCell, randomRotation } from '../helpers/random';

const SITES_CIF = join(__dirname, '../../data/structures/beta-Li3PS4_Li-sites_GEMDAT.cif');

test('Markov jump model: the site-hop analysis recovers the known rate within 5 %, and Γ = 6D/a² agrees', () => {
  const m = markovJumpSeries({ seed: 5, nLi: 24, nFrames: 18000, dtFs: 10, hopRatePerPs: 1, vibrationSigmaA: 0.15 });
  const sites: SiteSet = { cell: m.cell, pbc: [true, true, true], positions: m.sitePositions, typeOf: m.siteClass, types: ['k0', 'k1', 'k2'] };
  const tracker = new SiteTracker(new SiteLocator(sites, 0.9), m.nLi);
  const frame = new Float64Array(3 * m.nLi);
  for (let f = 0; f < m.nFrames; f++) { frame.set(m.positions.subarray(3 * m.nLi * f, 3 * m.nLi * (f + 1))); tracker.push(frame); }
  const r = tracker.finish(m.dtFs);
  const realised = m.hops.li.length;
  assert.ok(realised > 4000, `enough hops for a 5 % test (${realised})`);
  assert.ok(Math.abs(r.ratePerPs - m.hopRatePerPs) < 0.05 * m.hopRatePerPs, `rate ${r.ratePerPs} vs ${m.hopRatePerPs}`);
  // only double hops within one frame interval (probability ~ (Γ·dt)²) can be missed
  assert.ok(r.nHops <= realised && r.nHops > 0.985 * realised, `${r.nHops} counted, ${realised} happened`);
  assert.ok(Math.abs(r.rateErrPerPs - Math.sqrt(r.nHops) / (m.nLi * r.durationPs)) < 1e-15);
  assert.equal(r.insideFraction, 1);
  assert.equal(r.unassignedFraction, 0);
  // geometry of the model: a hop is one lattice step (2.5 Å) and goes back with probability 1/6
  assert.ok(Math.abs(r.meanJumpLengthA - 2.5) < 0.02, `jump length ${r.meanJumpLengthA}`);
  assert.ok(Math.abs(r.backHopFraction - 1 / 6) < 0.03, `back hops ${r.backHopFraction}`);
  // class changes: k→k with probability 1/3, k→k±1 with 1/3 each; escape rates per class all ≈ Γ
  const same = r.directions.filter((d) => d.from === d.to).reduce((s, d) => s + d.hops, 0);
  assert.ok(Math.abs(same / r.nHops - 1 / 3) < 0.03);
  for (const t of r.siteTypes) {
    assert.ok(Math.abs(t.occupancy - 1 / 3) < 0.05, `${t.type} occupancy ${t.occupancy}`);
    assert.ok(Math.abs(t.escapeRatePerPs - 1) < 0.1, `${t.type} escape ${t.escapeRatePerPs}`);
    // exponential residence times: mean 1/Γ = 1 ps, median ln2/Γ
    assert.ok(Math.abs(t.residence.meanPs - 1) < 0.1, `${t.type} residence ${t.residence.meanPs}`);
    assert.ok(Math.abs(t.residence.medianPs - Math.LN2) < 0.1);
    // the log-binned distribution holds every residence; for exponential times the bin counts follow
    // N·(e^{−Γa} − e^{−Γb}) — check the bins around the mean
    const h = t.residence.histogram;
    assert.equal(h.counts.reduce((s, x) => s + x, 0), t.residence.count);
    for (let k = 0; k < h.counts.length; k++) {
      const a = h.edgesPs[k], b = h.edgesPs[k + 1], expect = t.residence.count * (Math.exp(-a) - Math.exp(-b));
      if (expect > 100) assert.ok(Math.abs(h.counts[k] - expect) < 5 * Math.sqrt(expect) + 0.05 * expect, `bin ${a}–${b} ps: ${h.counts[k]} vs ${expect}`);
    }
  }
  assert.equal(r.perIon.hops.reduce((s, x) => s + x, 0), r.nHops);
  // the events are those of the model (ion, destination), in time order
  const want = new Set<string>();
  for (let k = 0; k < realised; k++) want.add(`${m.hops.li[k]}:${m.hops.toSite[k]}:${Math.ceil(m.hops.timeFs[k] / m.dtFs)}`);
  let matched = 0;
  for (let k = 0; k < r.nHops; k++) if (want.has(`${r.events.ion[k]}:${r.events.toSite[k]}:${r.events.frame[k]}`)) matched++;
  assert.ok(matched > 0.98 * r.nHops, `${matched} of ${r.nHops} events match the model's`);
  // diffusion cross-check: D = Γa²/6
  const msd = msdOfFrames(m.unwrappedPositions.subarray(0, 3 * m.nLi * 8000), m.nLi, { maxLag: 1000 });
  const lagPs = Float64Array.from({ length: 1001 }, (_, k) => (k * m.dtFs) / 1000);
  const d = fitDiffusion(lagPs, msd.groups[0].msd, { windowPs: [2, 9], perAtom: { data: msd.perAtom, nAtoms: m.nLi } });
  const gammaD = jumpRateFromDiffusion(d.dA2PerPs, r.meanJumpLengthA);
  assert.ok(Math.abs(gammaD - 1) < 3 * (6 * d.errA2PerPs) / 6.25 + 0.05, `Γ from D ${gammaD} ± ${(6 * d.errA2PerPs) / 6.25}`);
});

test('hysteresis: rattling in a transition region is no hop; residence times count from entry to entry', () => {
  // sites at x = 1 and x = 6 in a 10 Å cube (y = z = 5); r_in = 1
  const cell = new Float64Array([10, 0, 0, 0, 10, 0, 0, 0, 10]);
  const sites: SiteSet = { cell, pbc: [true, true, true], positions: new Float64Array([1, 5, 5, 6, 5, 5]), typeOf: Int32Array.from([0, 1]), types: ['A', 'B'] };
  const path = [1, 1.5, 2.5, 3.4, 2.2, 1.9, 3.5, 5.1, 5.3, 3.4, 2.5, 4.5, 5.5, 6, 7.5, 9, 0.5, 1.2];
  //            A  A    -    -    -    A    -    B    B    -    -    -    B    B  -    -  A    A
  const tr = new SiteTracker(new SiteLocator(sites, 1), 1);
  for (const x of path) tr.push([x, 5, 5]);
  const r = tr.finish(1000); // 1 ps per frame
  assert.equal(r.nHops, 2);
  assert.deepEqual([...r.events.frame], [7, 16]);
  assert.deepEqual([...r.events.fromSite], [0, 1]);
  assert.deepEqual([...r.events.toSite], [1, 0]);
  assert.deepEqual([...r.events.leftFrame], [5, 13]);
  for (const l of r.events.lengthA) assert.ok(Math.abs(l - 5) < 1e-12); // 6 → 1 across the boundary is 5 Å too
  assert.equal(r.backHopFraction, 0.5);
  // the first residence (in A, from frame 0) is censored; B from frame 7 to 16: 9 ps
  assert.deepEqual([...r.residenceTimesPs[1]], [9]);
  assert.equal(r.residenceTimesPs[0].length, 0);
  assert.deepEqual(r.directions.map((d) => `${d.from}→${d.to}:${d.hops}`), ['A→B:1', 'B→A:1']);
  assert.ok(Math.abs(r.ratePerPs - 2 / 17) < 1e-15);
  // time in A: frames 0–6 and 16–17 (9 frames); in B: frames 7–15 (9)
  assert.equal(r.siteTypes[0].occupancy, 0.5);
  assert.equal(r.insideFraction, 9 / 18);
});

test('site locator equals brute force on a skewed cell', () => {
  const u = rng(7);
  const cell = randomTriclinicCell(u, 800, 1.0);
  const nS = 40;
  const f = Float64Array.from({ length: 3 * nS }, () => u());
  const sites: SiteSet = { cell, pbc: [true, true, true], positions: fractionalToCartesian(cell, f), typeOf: new Int32Array(nS), types: ['x'] };
  const rIn = 1.7;
  const loc = new SiteLocator(sites, rIn);
  const dist = new Float64Array(1);
  let found = 0;
  for (let t = 0; t < 1500; t++) {
    const p = fractionalToCartesian(cell, [3 * u() - 1, 3 * u() - 1, 3 * u() - 1]);
    let best = -1, bestD = rIn;
    for (let s = 0; s < nS; s++)
      for (let a = -3; a <= 3; a++) for (let b = -3; b <= 3; b++) for (let c = -3; c <= 3; c++) {
        const dx = sites.positions[3 * s] + a * cell[0] + b * cell[3] + c * cell[6] - p[0];
        const dy = sites.positions[3 * s + 1] + a * cell[1] + b * cell[4] + c * cell[7] - p[1];
        const dz = sites.positions[3 * s + 2] + a * cell[2] + b * cell[5] + c * cell[8] - p[2];
        const d = Math.sqrt(dx * dx + dy * dy + dz * dz);
        if (d <= bestD) { bestD = d; best = s; }
      }
    const got = loc.locate(p[0], p[1], p[2], dist);
    assert.equal(got, best, `point ${t}`);
    if (best >= 0) { found++; assert.ok(Math.abs(dist[0] - bestD) < 1e-9); }
  }
  assert.ok(found > 150);
});

test('β-Li3PS4 sites from the CIF: 8d/4b/4c expanded by symmetry and tiled onto strained and rotated supercells', () => {
  const s = readSiteCif(SITES_CIF);
  assert.deepEqual(s.types, ['8d', '4b', '4c']);
  assert.deepEqual([0, 1, 2].map((t) => s.typeOf.filter((x) => x === t).length), [8, 4, 4]);
  // a 1×2×2 supercell strained by 1.5 % along a
  const sup = new Float64Array([s.cell[0] * 1.015, 0, 0, 0, 2 * s.cell[4], 0, 0, 0, 2 * s.cell[8]]);
  const t = sitesForCell(s, sup);
  assert.equal(siteCount(t), 64);
  assert.deepEqual([0, 1, 2].map((k) => t.typeOf.filter((x) => x === k).length), [32, 16, 16]);
  // every original site, strained, is among the tiled ones
  const loc = new SiteLocator(t, 0.3);
  for (let k = 0; k < 16; k++) {
    const p = [s.positions[3 * k] * 1.015, s.positions[3 * k + 1], s.positions[3 * k + 2]];
    const j = loc.locate(p[0], p[1], p[2]);
    assert.ok(j >= 0 && t.typeOf[j] === s.typeOf[k]);
  }
  // the same supercell in another orientation (rows rotated): found through the lower-triangular form
  const R = randomRotation(rng(8));
  const rotated = mul3(sup, new Float64Array([R[0], R[3], R[6], R[1], R[4], R[7], R[2], R[5], R[8]])); // rows · Rᵀ
  assert.equal(siteCount(sitesForCell(s, rotated)), 64);
  assert.throws(() => sitesForCell(s, new Float64Array([10, 0, 0, 0, 10, 0, 0, 0, 10])), (e: Error) => e instanceof InputError && /not a supercell of the site cell/.test(e.message));
});

test('bad site input: no sites near the ions, capture radius too large, no Li in the file, bad time step', () => {
  const s = readSiteCif(SITES_CIF);
  const loc = new SiteLocator(s, 0.5);
  const tr = new SiteTracker(loc, 2, { sitesName: 'sites.cif' });
  // points far from every Li site (the P position of β-Li3PS4 and a S position)
  const p = fractionalToCartesian(s.cell, [0.0875, 0.25, 0.1718, 0.1552, 0.0458, 0.2854]);
  assert.throws(() => tr.push(p), (e: Error) => e instanceof InputError && /only 0 of 2 ions .* within r_in = 0.5 Å of a site from sites.cif/.test(e.message));
  assert.throws(() => new SiteLocator(s, 4), (e: Error) => e instanceof InputError && /half the smallest cell width/.test(e.message));
  assert.throws(() => readSiteCif(SITES_CIF, { element: 'Na' }), (e: Error) => e instanceof InputError && /no Na sites/.test(e.message));
  const ok = new SiteTracker(loc, 1);
  ok.push(s.positions.subarray(0, 3));
  assert.throws(() => ok.finish(1), (e: Error) => e instanceof InputError && /too few/.test(e.message));
  ok.push(s.positions.subarray(0, 3));
  assert.throws(() => ok.finish(0), InputError);
  assert.throws(() => ok.push([NaN, 0, 0]), (e: Error) => e instanceof InputError && /non-finite/.test(e.message));
});
