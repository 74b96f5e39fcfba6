/**
 * Runs exported decks in a real LAMMPS when an `lmp` executable is on the PATH (skipped otherwise: LAMMPS is
 * not a dependency of the project). Lennard-Jones NVE must match ufnmr's own engine step by step, also for a
 * randomly rotated cell; thermostatted/barostatted protocols must run; with the ML-UF3 package the bench deck
 * must reproduce the reference LAMMPS thermo of in.ref.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { exportLammps } from '../../src/lammps/export';
import { parseMDConfig } from '../../src/md/config';
import { runMD } from '../../src/md/run';
import { readStructure, writeStructure } from '../../src/io';
import { floatArray, rotateStructure, masses } from '../../src/core/structure';
import { rng, gaussian, randomRotation } from '../helpers/random';
import { FIX, NEXE, NEXE_LJ, benchConfigObject, config, tmp } from './helpers';

const help = spawnSync('lmp', ['-h'], { encoding: 'utf8' });
const styles = help.status === 0 ? help.stdout : '';
const noLmp = styles ? false : 'no lmp executable on the PATH';
const has = (style: string) => new RegExp(`(^|\\s)${style.replace('/', '\\/')}(\\s|$)`, 'm').test(styles);

function runLammps(dir: string): void {
  const r = spawnSync('lmp', ['-in', 'in.lammps', '-log', 'log.lammps'], { cwd: dir, encoding: 'utf8' });
  assert.equal(r.status, 0, `LAMMPS failed:\n${r.stdout.split('\n').slice(-8).join('\n')}`);
}

function csv(path: string): { names: string[]; rows: number[][] } {
  const lines = readFileSync(path, 'utf8').trim().split('\n');
  return { names: lines[0].split(','), rows: lines.slice(1).map((l) => l.split(',').map(Number)) };
}

/** A 64-atom Ne–Xe start with seeded velocities (about 40 K), optionally rotated, as extended XYZ. */
function start(dir: string, rotate: boolean): string {
  const s = readStructure(NEXE, { typeMap: ['Ne', 'Xe'] });
  const g = gaussian(rng(21)), m = masses(s);
  s.arrays.velocities = floatArray(3, Float64Array.from({ length: 3 * s.species.length }, (_, k) => 1.3e-3 * Math.sqrt(20 / m[Math.floor(k / 3)]) * g()));
  const path = join(dir, rotate ? 'rotated.xyz' : 'start.xyz');
  writeStructure(path, rotate ? rotateStructure(s, randomRotation(rng(4))) : s);
  return path;
}

for (const rotate of [false, true]) {
  test(`LAMMPS runs the exported Lennard-Jones NVE deck like ufnmr's engine${rotate ? ' (randomly rotated cell)' : ''}`, { skip: noLmp }, async () => {
    const dir = tmp();
    const obj = {
      structure: start(dir, rotate), potential: NEXE_LJ, timestepFs: 2, velocities: 'structure',
      stages: [{ name: 'nve', steps: 300, ensemble: 'nve' }], output: { directory: 'ufnmr', thermo: { every: 50 } },
    };
    writeFileSync(join(dir, 'md.json'), JSON.stringify(obj));
    const cfg = parseMDConfig(obj, join(dir, 'md.json'));
    await runMD(cfg, { handleSignals: false });
    const r = exportLammps(cfg, join(dir, 'lmp'));
    assert.equal(r.rotated, rotate);
    runLammps(r.directory);
    const a = csv(join(dir, 'ufnmr/thermo.csv')), b = csv(join(r.directory, 'thermo.csv'));
    assert.deepEqual(b.names, a.names);
    assert.equal(b.rows.length, a.rows.length);
    // relative tolerances; LAMMPS's metal constants (k_B, mvv2e, amu → g) differ from CODATA in the 6th–8th digit
    const tol: Record<string, number> = { temp_K: 3e-6, temp_Ne_K: 3e-6, temp_Xe_K: 3e-6, ke_eV: 3e-7, density_g_cm3: 3e-7, press_GPa: 1e-6 };
    const worst: Record<string, number> = {};
    a.rows.forEach((row, i) => a.names.forEach((n, k) => {
      const x = row[k], y = b.rows[i][k];
      const rel = Math.abs(x - y) / Math.max(Math.abs(x), 1e-12);
      worst[n] = Math.max(worst[n] ?? 0, rel);
      assert.ok(rel <= (tol[n] ?? 3e-8), `step ${row[0]} ${n}: ufnmr ${x}, LAMMPS ${y}`);
    }));
    if (process.env.LAMMPS_TEST_VERBOSE) console.log(worst);
  });
}

for (const barostat of ['berendsen', 'nose-hoover'] as const) {
  test(`LAMMPS accepts the exported melt-quench deck (minimisation with box relax, Nosé–Hoover and Langevin, ${barostat} barostat)`, { skip: noLmp }, () => {
    const dir = tmp();
    for (const thermostat of ['nose-hoover', 'langevin', ...(has('temp/csvr') ? ['bussi'] : [])]) {
      const cfg = config({
        structure: NEXE, typeMap: ['Ne', 'Xe'], potential: NEXE_LJ, timestepFs: 2, seed: 3, velocities: { temperatureK: 40 }, removeComEvery: 100,
        minimize: { fmaxEvPerA: 0.01, cell: 'isotropic', pressureGPa: 0.05 },
        protocol: { type: 'melt-quench', startTemperatureK: 40, meltTemperatureK: 100, heatSteps: 50, holdSteps: 50, quenchRateKPerPs: 300, finalTemperatureK: 40, annealSteps: 50, nptSteps: 100,
          thermostat: { type: thermostat, tauFs: 100 }, barostat: { type: 'c-rescale', tauFs: 500, compressibilityPerGPa: 0.5 }, pressureGPa: 0.05 },
        output: { directory: 'x', thermo: { every: 50 }, trajectory: { every: 100, velocities: true }, checkpoint: { every: 200 } },
      }, dir);
      const r = exportLammps(cfg, join(dir, `${thermostat}-${barostat}`), { barostat });
      runLammps(r.directory);
      const t = csv(join(r.directory, 'thermo.csv'));
      const last = t.rows[t.rows.length - 1];
      assert.equal(last[0], r.totalSteps);
      assert.ok(last[2] > 10 && last[2] < 100, `final temperature ${last[2]} K`);
      const frames = readFileSync(join(r.directory, 'trajectory.lammpstrj'), 'utf8').match(/ITEM: TIMESTEP/g)!.length;
      assert.equal(frames, Math.floor(r.totalSteps / 100) + 1);
      // the dump reads back into ufnmr without a type map, with unwrapped positions
      const f = readStructure(join(r.directory, 'trajectory.lammpstrj'), { index: -1 });
      assert.deepEqual([...new Set(f.species)].sort(), ['Ne', 'Xe']);
    }
  });
}

test('with the ML-UF3 package, the exported bench deck reproduces the reference LAMMPS thermo (in.ref / nve_thermo.log)', { skip: noLmp || (!has('uf3') && 'this LAMMPS has no pair_style uf3 (ML-UF3 package)') }, () => {
  const dir = tmp();
  const r = exportLammps(config(benchConfigObject(), dir), join(dir, 'lmp'));
  runLammps(r.directory);
  const ref = readFileSync(join(FIX, 'md/lps_bench_nve_thermo.txt'), 'utf8').trim().split('\n').slice(1).map((l) => l.trim().split(/\s+/).map(Number));
  const ours = csv(join(r.directory, 'thermo.csv'));
  const col = (n: string) => ours.names.indexOf(n);
  ref.forEach((row, i) => {
    const o = ours.rows[i];
    assert.equal(o[0], row[0]);
    for (const [k, name] of [[2, 'pe_eV'], [3, 'ke_eV'], [4, 'etot_eV']] as const) assert.ok(Math.abs(o[col(name)] - row[k]) <= 1e-9 * Math.abs(row[k]), `step ${row[0]} ${name}`);
    assert.ok(Math.abs(o[col('press_GPa')] * 1e4 - row[5]) <= 1e-8 * Math.abs(row[5]), `step ${row[0]} pressure`);
  });
});
