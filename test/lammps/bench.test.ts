import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildLammpsExport } from '../../src/lammps/export';
import { parseLammpsInput, LammpsCommand } from '../../src/lammps/deckText';
import { parseLammpsData } from '../../src/io/lammps-data';
import { readStructure } from '../../src/io/formats';
import { getFloatArray } from '../../src/core/structure';
import { BENCH_STEP0, BENCH_UF3, FIX, benchConfigObject, commands, config, only } from './helpers';

const args = (cmds: LammpsCommand[], name: string) => only(cmds, name).args;

test('the exported bench case is the same physics as the reference LAMMPS deck in.ref', () => {
  const { files, result } = buildLammpsExport(config(benchConfigObject()));
  const ours = parseLammpsInput(files['in.lammps'], 'in.lammps');
  const ref = parseLammpsInput(readFileSync(join(FIX, 'lammps/in.ref'), 'utf8'), 'in.ref');
  for (const name of ['units', 'atom_style', 'boundary', 'pair_style', 'pair_coeff', 'neigh_modify']) assert.deepEqual(args(ours, name), args(ref, name), name);
  assert.equal(Number(args(ours, 'timestep')[0]), Number(args(ref, 'timestep')[0]));
  assert.equal(Number(args(ours, 'neighbor')[0]), Number(args(ref, 'neighbor')[0]));
  assert.equal(args(ours, 'neighbor')[1], 'bin');
  const masses = (c: LammpsCommand[]) => commands(c, 'mass').map((m) => [Number(m.args[0]), Number(m.args[1])]);
  assert.deepEqual(masses(ours), masses(ref));
  assert.equal(files['bench_lps.uf3'], readFileSync(BENCH_UF3, 'utf8'), 'the potential file named in pair_coeff, unchanged');
  // integrator and length: fix nve, 100 steps
  const integ = (c: LammpsCommand[]) => commands(c, 'fix').filter((f) => ['nve', 'nvt', 'npt', 'nph', 'langevin', 'temp/csvr'].includes(f.args[2])).map((f) => f.args.slice(1).join(' '));
  assert.deepEqual(integ(ours), integ(ref));
  const steps = (c: LammpsCommand[]) => commands(c, 'run').reduce((a, r) => a + Number(r.args[0]), 0);
  assert.equal(steps(ours), 100);
  assert.equal(steps(ours), steps(ref));
  assert.equal(result.totalSteps, 100);
  // output: thermo every 10 (ours adds columns), dump every 100 with ids, types, positions, velocities, forces
  assert.deepEqual(args(ours, 'thermo'), args(ref, 'thermo'));
  for (const q of args(ref, 'thermo_style')) assert.ok(args(ours, 'thermo_style').includes(q), `thermo keyword ${q}`);
  const dOurs = args(ours, 'dump'), dRef = args(ref, 'dump');
  assert.equal(dOurs[3], dRef[3]);
  for (const col of ['id', 'type', 'vx', 'vy', 'vz', 'fx', 'fy', 'fz']) assert.ok(dOurs.includes(col), col);
  assert.deepEqual(dOurs.slice(dOurs.indexOf('xu'), dOurs.indexOf('xu') + 3), ['xu', 'yu', 'zu'], 'unwrapped positions');
  // initial state: in.ref drew velocities with `velocity create`; ours reads exactly those from the data file
  assert.deepEqual(args(ref, 'velocity').slice(0, 2), ['all', 'create']);
  assert.equal(commands(ours, 'velocity').length, 0);
  const step0 = readStructure(BENCH_STEP0, { typeMap: ['Li', 'P', 'S'] });
  const data = parseLammpsData(files['structure.data'], {}, 'structure.data');
  assert.deepEqual([...data.cell], [...step0.cell]);
  assert.deepEqual([...data.positions], [...step0.positions]);
  assert.deepEqual(data.species, step0.species);
  const v0 = getFloatArray(step0, 'velocities', 3)!, v1 = getFloatArray(data, 'velocities', 3)!;
  let worst = 0;
  for (let k = 0; k < v0.length; k++) worst = Math.max(worst, Math.abs(v1[k] - v0[k]) / Math.abs(v0[k]));
  assert.ok(worst <= 1e-15, `velocities differ by ${worst} (relative)`);
});

test('deck and data file agree: pair_coeff element order = atom types, mass commands = Masses section', () => {
  const { files } = buildLammpsExport(config(benchConfigObject({ masses: { Li: 7.016 } })));
  const deck = parseLammpsInput(files['in.lammps']);
  const pc = only(deck, 'pair_coeff').args;
  const elements = pc.slice(3);
  assert.equal(pc[2], 'bench_lps.uf3');
  const text = files['structure.data'];
  assert.equal(Number(/^(\d+) atom types$/m.exec(text)![1]), elements.length);
  const massSection = text.split('\nMasses\n\n')[1].split('\n\n')[0].split('\n').map((l) => l.split(/\s+/));
  assert.deepEqual(massSection.map((t) => [Number(t[0]), Number(t[1]), t[3]]), commands(deck, 'mass').map((m) => [Number(m.args[0]), Number(m.args[1]), elements[Number(m.args[0]) - 1]]));
  assert.equal(Number(massSection[0][1]), 7.016);
  // every atom's type is the position of its element in pair_coeff
  const data = parseLammpsData(text, { typeMap: elements });
  const types = data.arrays.type.data as Int32Array;
  data.species.forEach((e, i) => assert.equal(elements[types[i] - 1], e));
  const step0 = readStructure(BENCH_STEP0, { typeMap: ['Li', 'P', 'S'] });
  assert.deepEqual(data.species, step0.species);
  // the dump names elements in the same order
  const dm = only(deck, 'dump_modify').args;
  assert.deepEqual(dm.slice(dm.indexOf('element') + 1, dm.indexOf('element') + 1 + elements.length), elements);
});
