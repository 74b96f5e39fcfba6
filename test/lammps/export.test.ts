import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { exportLammps } from '../../src/lammps/export';
import { main } from '../../src/cli/main';
import { InputError } from '../../src/core/errors';
import { benchConfigObject, nexeConfigObject, tmp } from './helpers';

function writeConfig(obj: Record<string, unknown>): { dir: string; path: string } {
  const dir = tmp();
  const path = join(dir, 'md.json');
  writeFileSync(path, JSON.stringify(obj));
  return { dir, path };
}

async function cli(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '', err = '';
  const code = await main(argv, { stdout: (t) => { out += t; }, stderr: (t) => { err += t; } });
  return { code, out, err };
}

test('exportLammps writes the folder; refuses to overwrite a deck without force, keeps other files with force', () => {
  const { dir, path } = writeConfig(benchConfigObject());
  const out = join(dir, 'lmp');
  const r = exportLammps(path, out);
  assert.deepEqual(readdirSync(out).sort(), ['README.txt', 'bench_lps.uf3', 'in.lammps', 'structure.data']);
  assert.equal(r.directory, out);
  assert.equal(r.natoms, 768);
  assert.deepEqual(r.types.map((t) => [t.element, t.atoms]), [['Li', 288], ['P', 96], ['S', 384]]);
  const readme = readFileSync(join(out, 'README.txt'), 'utf8');
  assert.match(readme, /lmp -in in\.lammps/);
  assert.match(readme, /ML-UF3/);
  assert.match(readme, /ufnmr hops --trajectory trajectory\.lammpstrj --dt-fs 50/);
  assert.match(readFileSync(join(out, 'in.lammps'), 'utf8'), /^# Needs: LAMMPS 7 Feb 2024 or newer with the ML-UF3 package/m);
  // a LAMMPS run leaves its outputs; a second export must not silently replace the deck
  writeFileSync(join(out, 'log.lammps'), 'previous run\n');
  writeFileSync(join(out, 'in.lammps'), 'edited by hand\n');
  assert.throws(() => exportLammps(path, out), (e: unknown) => e instanceof InputError && /already holds a deck.*in\.lammps.*--force/.test(e.message));
  assert.equal(readFileSync(join(out, 'in.lammps'), 'utf8'), 'edited by hand\n');
  exportLammps(path, out, { force: true });
  assert.match(readFileSync(join(out, 'in.lammps'), 'utf8'), /^pair_style uf3 3$/m);
  assert.equal(readFileSync(join(out, 'log.lammps'), 'utf8'), 'previous run\n');
  assert.ok(!readdirSync(out).some((f) => f.includes('.tmp')), 'no temporary files left');
});

test('a rejected config creates no folder', () => {
  const { dir, path } = writeConfig(nexeConfigObject({ stages: [{ steps: 10, ensemble: 'nvt', temperatureK: 0, thermostat: { type: 'nose-hoover', tauFs: 100 } }] }));
  assert.throws(() => exportLammps(path, join(dir, 'never')), /temperatureK/);
  assert.equal(existsSync(join(dir, 'never')), false);
  assert.deepEqual(readdirSync(dir).sort(), ['md.json']);
});

test('ufnmr lammps export: --json result, human summary, clear errors', async () => {
  const { dir, path } = writeConfig(nexeConfigObject({ output: { directory: 'run', trajectory: { every: 5 } } }));
  const r = await cli(['lammps', 'export', '--config', path, '--out', join(dir, 'deck'), '--json']);
  assert.equal(r.code, 0, r.out + r.err);
  const res = JSON.parse(r.out);
  assert.deepEqual(res.pairStyle, ['lj/cut', '10']);
  assert.equal(res.files.deck, 'in.lammps');
  assert.equal(res.outputs.dump, 'trajectory.lammpstrj');
  assert.equal(res.totalSteps, 10);
  assert.equal(res.timestepPs, 0.002);
  const again = await cli(['lammps', 'export', '--config', path, '--out', join(dir, 'deck')]);
  assert.equal(again.code, 1);
  assert.match(again.err + again.out, /--force/);
  const forced = await cli(['lammps', 'export', '--config', path, '--out', join(dir, 'deck'), '--force', '--barostat', 'nose-hoover']);
  assert.equal(forced.code, 0, forced.err);
  assert.match(forced.out, /64 atoms, types 1=Ne/);
  const missing = await cli(['lammps', 'export', '--config', path, '--json']);
  assert.equal(missing.code, 1);
  assert.match(JSON.parse(missing.out).error.message, /--out DIR is required/);
  const badMap = await cli(['lammps', 'export', '--config', path, '--out', join(dir, 'x'), '--barostat', 'mtk', '--json']);
  assert.match(JSON.parse(badMap.out).error.message, /--barostat must be berendsen or nose-hoover/);
});
