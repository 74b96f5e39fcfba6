/** `ufnmr msd` and `ufnmr hops` end to end on trajectory files written from the Markov jump model. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main';
import { createStructure, type Structure } from '../../src/core/structure';
import { writeExtxyz } from '../../src/io/extxyz';
import { writeCif } from '../../src/io/cif';
import { writeLammpsDump } from '../../src/io/lammps-dump';
import { SiteLocator, SiteTracker, msdOfFrames, fitDiffusion } from '../../src/dynamics';
import { markovJumpSeries } from '../helpers/markovJump';

async function cli(args: string[]): Promise<{ code: number; json: Record<string, any> }> {
  let out = '';
  const code = await main(args, { stdout: (t) => { out += t; }, stderr: () => {} });
  return { code, json: out ? JSON.parse(out) : {} };
}

const dir = mkdtempSync(join(tmpdir(), 'ufnmr-dyn-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

// 12 Li hopping among 36 sites plus 2 static S atoms; frames 10 fs apart
const m = markovJumpSeries({ seed: 21, nLi: 12, nFrames: 1500, dtFs: 10, hopRatePerPs: 3, vibrationSigmaA: 0.12 });
const species = [...Array(m.nLi).fill('Li'), 'S', 'S'];
function frame(f: number, withTime: boolean): Structure {
  const pos = new Float64Array(3 * (m.nLi + 2));
  pos.set(m.positions.subarray(3 * m.nLi * f, 3 * m.nLi * (f + 1)));
  pos.set([0.1, 0.1, 0.1, 5, 0.1, 0.1], 3 * m.nLi);
  return createStructure({ species, positions: pos, cell: m.cell, pbc: true, info: withTime ? { time_fs: f * m.dtFs } : {} });
}
const xyz = join(dir, 'traj.xyz');
writeExtxyz(xyz, Array.from({ length: m.nFrames }, (_, f) => frame(f, false)));
const sitesCif = join(dir, 'sites.cif');
writeCif(sitesCif, createStructure({
  species: Array(m.nSites).fill('Li'), positions: m.sitePositions, cell: m.cell, pbc: true,
  arrays: { site_label: { kind: 'string', width: 1, data: Array.from(m.siteClass, (k) => `k${k}`) } },
}));

test('ufnmr hops --sites equals the library on the same frames and counts the model hops', async () => {
  const r = await cli(['hops', '--trajectory', xyz, '--sites', sitesCif, '--dt-fs', '10', '--r-in', '0.9', '--r-in-scan', '0.6,1.2', '--events', '--json']);
  assert.equal(r.code, 0, JSON.stringify(r.json));
  const j = r.json;
  const tr = new SiteTracker(new SiteLocator({ cell: m.cell, pbc: [true, true, true], positions: m.sitePositions, typeOf: m.siteClass, types: ['k0', 'k1', 'k2'] }, 0.9), m.nLi);
  for (let f = 0; f < m.nFrames; f++) tr.push(m.positions.subarray(3 * m.nLi * f, 3 * m.nLi * (f + 1)));
  const lib = tr.finish(m.dtFs);
  assert.equal(j.nIons, 12);
  assert.equal(j.nHops, lib.nHops);
  assert.ok(Math.abs(j.ratePerPs - lib.ratePerPs) < 1e-12);
  assert.ok(j.nHops >= 0.96 * m.hops.li.length && j.nHops <= m.hops.li.length, `${j.nHops} of ${m.hops.li.length}`);
  assert.deepEqual(Object.keys(j.sites.types).sort(), ['k0', 'k1', 'k2']);
  assert.equal(j.sites.n, 36);
  assert.equal(j.events.timePs.length, j.nHops);
  assert.equal(j.rInSensitivity.length, 3);
  assert.ok(Math.abs(j.meanJumpLengthA - 2.5) < 0.05);
  assert.ok(j.diffusionCheck.gammaFromDPerPs > 0, JSON.stringify(j.diffusionCheck));
  assert.equal(j.perIon.atom.length, 12);
});

test('ufnmr msd equals the library MSD; D agrees with Γa²/6 within its error', async () => {
  const r = await cli(['msd', '--trajectory', xyz, '--dt-fs', '10', '--max-lag-ps', '3', '--fit-window', '0.5:2.5', '--jump-length-a', '2.5', '--json']);
  assert.equal(r.code, 0, JSON.stringify(r.json));
  const li = r.json.elements.Li;
  assert.equal(li.nAtoms, 12);
  assert.equal(r.json.maxLagFrames, 300);
  assert.equal(r.json.unwrap, 'minimum-image');
  const lib = msdOfFrames(m.unwrappedPositions, m.nLi, { maxLag: 300 });
  for (let k = 0; k < li.lagPs.length; k++) {
    const lag = Math.round(li.lagPs[k] * 100);
    assert.ok(Math.abs(li.msdA2[k] - lib.groups[0].msd[lag]) < 1e-9 * (1 + lib.groups[0].msd[lag]));
  }
  const lagPs = Float64Array.from({ length: 301 }, (_, k) => k / 100);
  const d = fitDiffusion(lagPs, lib.groups[0].msd, { windowPs: [0.5, 2.5], perAtom: { data: lib.perAtom, nAtoms: 12 } });
  assert.ok(Math.abs(li.diffusion.dA2PerPs - d.dA2PerPs) < 1e-9);
  assert.ok(Math.abs(li.diffusion.dA2PerPs - m.diffusionA2PerPs) < 3 * li.diffusion.errA2PerPs + 0.05 * m.diffusionA2PerPs, JSON.stringify(li.diffusion));
  assert.ok(li.gammaFromDPerPs > 0);
  // every element separately
  const all = await cli(['msd', '--trajectory', xyz, '--dt-fs', '10', '--element', 'all', '--json']);
  assert.equal(all.code, 0, JSON.stringify(all.json));
  assert.deepEqual(Object.keys(all.json.elements), ['Li', 'S']);
  assert.ok(Math.max(...all.json.elements.S.msdA2) < 1e-20);
});

test('ufnmr hops --amorphous reports windowed and density-site rates with their sensitivity', async () => {
  const r = await cli(['hops', '--trajectory', xyz, '--amorphous', '--dt-fs', '10', '--window-fs', '50', '--thresholds', '1.5,2,3', '--json']);
  assert.equal(r.code, 0, JSON.stringify(r.json));
  const j = r.json;
  assert.equal(j.mode, 'amorphous');
  assert.equal(j.windowed.thresholds.length, 3);
  assert.equal(j.windowed.windowFrames, 5);
  assert.ok(j.densitySensitivity.length >= 4);
  assert.ok(j.sites.n > 20 && j.sites.n <= 36, `${j.sites.n} sites`);
  assert.ok(Math.abs(j.ratePerPs / 3 - 1) < 0.2, `density-site rate ${j.ratePerPs}`);
  assert.ok(Math.abs(j.windowed.thresholds[0].ratePerPs / 3 - 1) < 0.25, `windowed rate ${j.windowed.thresholds[0].ratePerPs}`);
});

test('bad input: no dt, non-uniform steps, sites not near the Li, too few frames, conflicting frame times', async () => {
  const e1 = await cli(['msd', '--trajectory', xyz, '--json']);
  assert.notEqual(e1.code, 0);
  assert.match(e1.json.error.message, /stores no frame times: give --dt-fs/);
  // LAMMPS dump with an irregular MD step between frames 2 and 3
  const dump = join(dir, 'irregular.lammpstrj');
  writeLammpsDump(dump, [0, 1, 2, 4, 5].map((k) => { const s = frame(k, false); s.info.timestep = 100 * (k === 4 ? 350 / 100 : k); return s; }), {});
  const e2 = await cli(['msd', '--trajectory', dump, '--dt-fs', '10', '--type-map', 'Li,S', '--json']);
  assert.match(e2.json.error.message, /non-uniform time steps: frames 2→3 are 150 MD steps apart, earlier frames 100/);
  // sites that do not match the structure: the Li sites of β-Li3PS4
  const beta = join(__dirname, '../../data/structures/beta-Li3PS4_Li-sites_GEMDAT.cif');
  const e3 = await cli(['hops', '--trajectory', xyz, '--sites', beta, '--dt-fs', '10', '--json']);
  assert.match(e3.json.error.message, /not a supercell of the site cell/);
  // a site file in the right cell but with sites away from the Li
  const offCif = join(dir, 'off.cif');
  writeCif(offCif, createStructure({ species: ['Li', 'Li'], positions: [0, 0, 0, 5, 3.75, 3.75], cell: m.cell, pbc: true }));
  const e4 = await cli(['hops', '--trajectory', xyz, '--sites', offCif, '--dt-fs', '10', '--r-in', '0.5', '--json']);
  assert.match(e4.json.error.message, /of 12 ions .* lie within r_in = 0.5 Å of a site from .*off.cif in the first frame/);
  const one = join(dir, 'one.xyz');
  writeExtxyz(one, [frame(0, false), frame(1, false)]);
  const e5 = await cli(['msd', '--trajectory', one, '--dt-fs', '10', '--json']);
  assert.match(e5.json.error.message, /too few/);
  const timed = join(dir, 'timed.xyz');
  writeExtxyz(timed, [0, 1, 2].map((k) => frame(k, true)));
  const e6 = await cli(['msd', '--trajectory', timed, '--dt-fs', '20', '--json']);
  assert.match(e6.json.error.message, /--dt-fs 20 disagrees with the trajectory's frame times \(10 fs apart\)/);
  const e7 = await cli(['hops', '--trajectory', xyz, '--dt-fs', '10', '--json']);
  assert.match(e7.json.error.message, /--sites sites.cif .* or --amorphous/);
});
