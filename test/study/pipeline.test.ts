/**
 * A tiny study end to end (64-atom β cell, Lennard-Jones stand-in potential, 2 temperatures, a few hundred
 * steps): outputs and manifests exist, the rates in results.json equal what the library functions give on
 * the stage outputs, resume skips everything, --only redoes what it names, and a longer production extends
 * the finished run instead of starting again.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError } from '../../src/core/errors';
import { readNpy } from '../../src/io/npy';
import { TrajectoryReader } from '../../src/io/trajectory';
import { acfFromNpy, fitAcf, fitArrhenius } from '../../src/nmr';
import { readSiteCif } from '../../src/dynamics';
import { readStudyConfig, runStudy, loadStudy, nmrAcfOptions, nmrFitOptions, studyHopAnalysis, msdOfTrajectory, readManifest, type StudyResults } from '../../src/study';
import { tinyStudyConfig } from './tinyStudy';

const dir = mkdtempSync(join(tmpdir(), 'ufnmr-study-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

const cfgPath = join(dir, 'tiny.json');
writeFileSync(cfgPath, JSON.stringify(tinyStudyConfig(join(dir, 'out'))));
const out = join(dir, 'out');
const logs: string[] = [];
let results: StudyResults;

test('a tiny study runs end to end and writes every stage', async () => {
  results = await runStudy(readStudyConfig(cfgPath), { log: (t) => logs.push(t) });
  assert.equal(results.rows.length, 2);
  assert.deepEqual(results.rows.map((r) => r.temperatureK), [150, 250]);
  for (const key of ['structure', 'T150K/equilibrate', 'T150K/production', 'T150K/efg', 'T150K/nmr', 'T150K/dynamics', 'T250K/nmr', 'summary', 'figures'])
    assert.ok(readManifest(join(out, key)), `manifest of ${key}`);
  for (const f of ['results.json', 'structure/initial.xyz', 'T150K/production/trajectory.uftraj', 'T150K/efg/efg.npy', 'T250K/nmr/acf.json', 'T250K/dynamics/msd.json', 'figures/acf.svg', 'figures/arrhenius.svg', 'figures/msd.svg', 'figures/rates.svg'])
    assert.ok(existsSync(join(out, f)), f);
  assert.equal(results.structure.natoms, 64);
  assert.ok(existsSync(join(out, 'inputs', 'efg-model', 'model.json'))); // inputs are pinned into the study
  assert.equal(results.inputs.efgModel, join(out, 'inputs', 'efg-model'));
  for (const r of results.rows) {
    assert.ok(r.nmr.ok, `NMR fit at ${r.temperatureK} K: ${r.nmr.reason}`);
    assert.ok(r.nmr.rateHz! > 0 && r.nmr.rateErrHz! > 0);
    assert.equal(r.nmr.unresolved, undefined, r.nmr.unresolved);
    assert.ok(r.msd.dA2PerPs > 0);
    assert.equal(r.hops.error, undefined, r.hops.error);
    assert.equal(r.hops.method, 'cif-sites');
    assert.ok(r.hops.densitySitesRateHz !== undefined); // the density-site cross-check ran too
    assert.ok(Math.abs(r.measuredTemperatureK - r.temperatureK) < 0.5 * r.temperatureK);
  }
  const onDisk = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'));
  assert.deepEqual(onDisk.rows.map((r: { nmr: { rateHz: number } }) => r.nmr.rateHz), results.rows.map((r) => r.nmr.rateHz));
});

test('the rates in results.json are what the library gives on the stage outputs', () => {
  const cfg = readStudyConfig(cfgPath);
  const T = 150, tk = `T${T}K`;
  const row = results.rows[0];
  // production frames: steps / frameEvery + 1, dt = frameEvery · timestep
  const traj = join(out, tk, 'production', 'trajectory.uftraj');
  const frames = new TrajectoryReader(traj).length;
  assert.equal(frames, cfg.production.steps / cfg.production.frameEverySteps + 1);
  const efg = readNpy(join(out, tk, 'efg', 'efg.npy'));
  assert.deepEqual(efg.shape, [frames, 24, 3, 3]);
  // NMR: ACF + KWW fit with the study's options
  const dt = cfg.production.frameEverySteps * cfg.timestepFs;
  const fit = fitAcf(acfFromNpy(join(out, tk, 'efg', 'efg.npy'), nmrAcfOptions(cfg, dt)), nmrFitOptions(cfg));
  assert.ok(fit.ok);
  assert.equal(row.nmr.rateHz, fit.rateHz);
  assert.equal(row.nmr.tauPs, fit.tauPs);
  assert.equal(row.nmr.rateErrHz, fit.bootstrap!.rateHzStd);
  // hops (on the site file laid onto the relaxed cell: same 16 sites per cell, same types) and MSD
  const sites = readSiteCif(join(out, tk, 'dynamics', 'sites.cif'));
  assert.equal(sites.typeOf.length, 32);
  assert.deepEqual([...sites.types].sort(), ['4b', '4c', '8d']);
  const info = JSON.parse(readFileSync(join(out, tk, 'dynamics', 'hops.json'), 'utf8')).sitesInfo;
  assert.deepEqual(info.total, { '8d': 16, '4b': 8, '4c': 8 });
  assert.deepEqual(info.snapped, { '8d': 16, '4b': 8 }); // every Li of the relaxed cell claims its 8d/4b site
  assert.ok(info.maxSnapDistanceA < 1);
  const h = studyHopAnalysis(cfg, traj, join(out, tk, 'dynamics', 'sites.cif'));
  assert.equal(row.hops.rateHz, h.hops.ratePerPs * 1e12);
  assert.equal(row.hops.nHops, h.hops.nHops);
  const m = msdOfTrajectory(cfg, traj);
  assert.equal(row.msd.dA2PerPs, m.li.dA2PerPs);
  if (h.hops.nHops > 0) assert.ok(Math.abs(row.msd.gammaHz - (6 * m.li.dA2PerPs / h.hops.meanJumpLengthA ** 2) * 1e12) <= 1e-9 * row.msd.gammaHz);
  // Arrhenius of the NMR rates
  const a = fitArrhenius(results.rows.map((r) => r.temperatureK), results.rows.map((r) => r.nmr.rateHz!), results.rows.map((r) => r.nmr.rateErrHz!));
  const got = results.arrhenius.nmr;
  assert.ok('eaEv' in got);
  assert.equal(got.eaEv, a.eaEv);
  // loadStudy gives the same curves
  const loaded = loadStudy(out);
  assert.equal(loaded.temperatures.length, 2);
  assert.equal(loaded.temperatures[0].acf.rateHz, row.nmr.rateHz);
  assert.equal(loaded.temperatures[0].acf.lagPs.length, loaded.temperatures[0].acf.acf.length);
});

test('running again needs --resume, which skips every finished stage', async () => {
  await assert.rejects(runStudy(readStudyConfig(cfgPath)), (e: Error) => e instanceof InputError && /--resume/.test(e.message));
  const msgs: string[] = [];
  const again = await runStudy(readStudyConfig(cfgPath), { resume: true, log: (t) => msgs.push(t) });
  assert.ok(msgs.length > 0 && msgs.every((m) => /skipped/.test(m)), msgs.join(''));
  assert.deepEqual(again.rows, results.rows);
});

test('--only redoes the named stages; stale stages outside --only are an error', async () => {
  const obj = JSON.parse(readFileSync(cfgPath, 'utf8'));
  obj.nmr.bootstrap = 6;
  writeFileSync(cfgPath, JSON.stringify(obj));
  await assert.rejects(runStudy(readStudyConfig(cfgPath), { only: ['nmr'] }), (e: Error) => e instanceof InputError && /summary/.test(e.message));
  const msgs: string[] = [];
  const r = await runStudy(readStudyConfig(cfgPath), { only: ['nmr', 'summary', 'figures'], log: (t) => msgs.push(t) });
  assert.ok(msgs.some((m) => /T150K\/nmr: running/.test(m)) && msgs.some((m) => /T150K\/efg: done, skipped/.test(m)));
  assert.equal(r.rows[0].nmr.rateHz, results.rows[0].nmr.rateHz); // same fit, other bootstrap
  await assert.rejects(runStudy(readStudyConfig(cfgPath), { only: ['bogus' as 'nmr'] }), /unknown stage "bogus"/);
});

test('a longer production extends the finished runs (resume), and downstream stages follow', async () => {
  const obj = JSON.parse(readFileSync(cfgPath, 'utf8'));
  obj.production.steps = 480;
  writeFileSync(cfgPath, JSON.stringify(obj));
  const msgs: string[] = [];
  const r = await runStudy(readStudyConfig(cfgPath), { resume: true, log: (t) => msgs.push(t) });
  assert.ok(msgs.some((m) => /extending the run from step 320 to 480/.test(m)), msgs.join(''));
  assert.ok(msgs.some((m) => /T150K\/equilibrate: done, skipped/.test(m)));
  assert.equal(r.rows[0].productionPs, 0.48);
  assert.deepEqual(readNpy(join(out, 'T150K', 'efg', 'efg.npy')).shape, [121, 24, 3, 3]);
});

test('bad configs fail before any work, naming the key', () => {
  const bad = (patch: (o: Record<string, any>) => void, re: RegExp) => {
    const o = tinyStudyConfig(join(dir, 'never'));
    patch(o);
    const p = join(dir, 'bad.json');
    writeFileSync(p, JSON.stringify(o));
    assert.throws(() => readStudyConfig(p), (e: Error) => e instanceof InputError && re.test(e.message), re.source);
    assert.ok(!existsSync(join(dir, 'never')));
  };
  bad((o) => { o.temperatureK = o.temperaturesK; }, /unknown key "temperatureK"; did you mean "temperaturesK"/);
  bad((o) => { o.structure.file = 'missing.cif'; }, /structure\.file: .*missing\.cif does not exist/);
  bad((o) => { o.production.thermostat.type = 'berendsen'; }, /thermostat\.type/);
  bad((o) => { o.nmr.coarseFs = 5; }, /coarseFs: 5 fs is not a whole number of frames/);
  bad((o) => { o.system = 'amorphous'; }, /needs "meltQuench"/);
  bad((o) => { o.msd.fitWindowPs = [0.05, 0.5]; }, /beyond maxLagPs/);
});
