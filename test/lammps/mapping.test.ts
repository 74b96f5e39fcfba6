import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { buildLammpsExport } from '../../src/lammps/export';
import { parseLammpsInput, LammpsCommand } from '../../src/lammps/deckText';
import { InputError } from '../../src/core/errors';
import { createStructure, floatArray } from '../../src/core/structure';
import { writeStructure, readStructure } from '../../src/io';
import { createSystem } from '../../src/md/system';
import { Integrator } from '../../src/md/integrators/integrator';
import { thermoRow } from '../../src/md/observers';
import { rng, randomTriclinicCell, randomRotation } from '../helpers/random';
import { rotateStructure } from '../../src/core/structure';
import { NEXE, commands, config, fixes, nexeConfigObject, only, tmp } from './helpers';

function deckOf(obj: Record<string, unknown>, barostat: 'berendsen' | 'nose-hoover' = 'berendsen'): { cmds: LammpsCommand[]; files: Record<string, string>; notes: string[] } {
  const { files, result } = buildLammpsExport(config(obj), { barostat });
  return { cmds: parseLammpsInput(files['in.lammps'], 'in.lammps'), files, notes: result.notes };
}

/** Per stage: the fixes defined before its run, the run length and the fixes removed after it. */
function stagesOf(cmds: LammpsCommand[]): { fixes: string[]; run: number; unfix: string[] }[] {
  const out: { fixes: string[]; run: number; unfix: string[] }[] = [];
  const firstVelocityOrOutput = cmds.findIndex((c) => c.name === 'restart');
  let pending: string[] = [];
  for (const c of cmds.slice(firstVelocityOrOutput + 1)) {
    if (c.name === 'fix' && !['thermo_csv', 'guard', 'remove_com'].includes(c.args[0])) pending.push(c.args.slice(0, 1).concat(c.args.slice(2)).join(' '));
    else if (c.name === 'run') { out.push({ fixes: pending, run: Number(c.args[0]), unfix: [] }); pending = []; }
    else if (c.name === 'unfix') out[out.length - 1].unfix.push(c.args[0]);
  }
  return out;
}

test('every ensemble maps to the documented fixes, with damping times in ps and pressures in bar', () => {
  const stages = [
    { name: 'nve', steps: 10, ensemble: 'nve' },
    { name: 'langevin', steps: 100, ensemble: 'nvt', temperatureK: [100, 200], thermostat: { type: 'langevin', tauFs: 50 } },
    { name: 'bussi', steps: 20, ensemble: 'nvt', temperatureK: 300, thermostat: { type: 'bussi', tauFs: 100 } },
    { name: 'nh', steps: 30, ensemble: 'nvt', temperatureK: 300, thermostat: { type: 'nose-hoover', tauFs: 200, chainLength: 4 } },
    { name: 'npt-iso', steps: 40, ensemble: 'npt', temperatureK: 300, thermostat: { type: 'bussi', tauFs: 100 }, barostat: { pressureGPa: [0.1, 0.2], tauFs: 500, compressibilityPerGPa: 0.5 } },
    { name: 'npt-aniso', steps: 50, ensemble: 'npt', temperatureK: 300, thermostat: { type: 'nose-hoover', tauFs: 100 }, barostat: { pressureGPa: 1, tauFs: 2000, mode: 'anisotropic' } },
  ];
  const { cmds, notes } = deckOf(nexeConfigObject({ stages, timestepFs: 2 }));
  assert.deepEqual(only(cmds, 'units').args, ['metal']);
  assert.deepEqual(only(cmds, 'timestep').args, ['0.002']);
  const st = stagesOf(cmds);
  assert.equal(st.length, 6);
  assert.deepEqual(st.map((s) => s.run), [10, 100, 20, 30, 40, 50]);
  assert.deepEqual(st[0].fixes, ['integrate nve']);
  assert.deepEqual(st[1].fixes[0], 'integrate nve');
  assert.match(st[1].fixes[1], /^thermostat langevin 100 200 0\.05 \d+ tally yes$/);
  assert.deepEqual(st[2].fixes[0], 'integrate nve');
  assert.match(st[2].fixes[1], /^thermostat temp\/csvr 300 300 0\.1 \d+$/);
  assert.deepEqual(st[3].fixes, ['integrate nvt temp 300 300 0.2 tchain 4']);
  assert.deepEqual(st[4].fixes[0], 'integrate nve');
  assert.match(st[4].fixes[1], /^thermostat temp\/csvr 300 300 0\.1 \d+$/);
  assert.equal(st[4].fixes[2], 'barostat press/berendsen iso 1000 2000 0.5 modulus 20000');
  assert.deepEqual(st[5].fixes, ['integrate nvt temp 300 300 0.1 tchain 3', `barostat press/berendsen aniso 10000 10000 2 modulus ${1e4 / 0.03}`]);
  // every fix of a stage is removed after its run
  for (const s of st) assert.deepEqual(s.unfix.sort(), s.fixes.map((f) => f.split(' ')[0]).sort());
  // stochastic stages get distinct valid seeds
  const seeds = [st[1].fixes[1], st[2].fixes[1], st[4].fixes[1]].map((f) => Number(f.split(' ')[5]));
  assert.equal(new Set(seeds).size, 3);
  for (const s of seeds) assert.ok(Number.isInteger(s) && s >= 1 && s <= 900000000);
  // Langevin does not conserve momentum: 3N degrees of freedom, as ufnmr counts them
  assert.deepEqual(commands(cmds, 'compute_modify').find((c) => c.args[0] === 'thermo_temp')?.args, ['thermo_temp', 'extra/dof', '0']);
  assert.ok(notes.some((n) => /BAOAB/.test(n)) && notes.some((n) => /press\/berendsen/.test(n)) && notes.some((n) => /temp\/csvr/.test(n)));
});

test('the nose-hoover barostat mapping uses fix npt (with a Nosé–Hoover thermostat) or fix nph plus the thermostat fix', () => {
  const baro = { pressureGPa: 0.5, tauFs: 1000 };
  const stages = [
    { name: 'a', steps: 10, ensemble: 'npt', temperatureK: [300, 350], thermostat: { type: 'nose-hoover', tauFs: 100, chainLength: 5 }, barostat: baro },
    { name: 'b', steps: 10, ensemble: 'npt', temperatureK: 300, thermostat: { type: 'bussi', tauFs: 100 }, barostat: { ...baro, mode: 'anisotropic' } },
    { name: 'c', steps: 10, ensemble: 'npt', temperatureK: 300, thermostat: { type: 'langevin', tauFs: 100 }, barostat: baro },
  ];
  const st = stagesOf(deckOf(nexeConfigObject({ stages }), 'nose-hoover').cmds);
  assert.deepEqual(st[0].fixes, ['integrate npt temp 300 350 0.1 iso 5000 5000 1 tchain 5']);
  assert.equal(st[1].fixes[0], 'integrate nph aniso 5000 5000 1');
  assert.match(st[1].fixes[1], /^thermostat temp\/csvr 300 300 0\.1 \d+$/);
  assert.equal(st[2].fixes[0], 'integrate nph iso 5000 5000 1');
  assert.match(st[2].fixes[1], /^thermostat langevin 300 300 0\.1 \d+ tally yes$/);
});

test('a temperature ladder becomes one run per rung, ramp and equilibration (ramps via Tstart → Tstop)', () => {
  const protocol = { type: 'ladder', temperaturesK: [300, 400, 500], stepsPerTemperature: 100, equilibrationSteps: 10, rampSteps: 20, thermostat: { type: 'nose-hoover', tauFs: 100 } };
  const st = stagesOf(deckOf(nexeConfigObject({ stages: undefined, protocol })).cmds);
  assert.deepEqual(st.map((s) => [s.fixes[0], s.run]), [
    ['integrate nvt temp 300 300 0.1 tchain 3', 10], ['integrate nvt temp 300 300 0.1 tchain 3', 100],
    ['integrate nvt temp 300 400 0.1 tchain 3', 20], ['integrate nvt temp 400 400 0.1 tchain 3', 10], ['integrate nvt temp 400 400 0.1 tchain 3', 100],
    ['integrate nvt temp 400 500 0.1 tchain 3', 20], ['integrate nvt temp 500 500 0.1 tchain 3', 10], ['integrate nvt temp 500 500 0.1 tchain 3', 100],
  ]);
});

test('melt-quench: heat, melt, quench at the configured rate, anneal and the final NPT stage', () => {
  const protocol = {
    type: 'melt-quench', startTemperatureK: 300, meltTemperatureK: 1000, heatSteps: 50, holdSteps: 60, quenchRateKPerPs: 350, finalTemperatureK: 300,
    annealSteps: 40, nptSteps: 70, pressureGPa: 0, thermostat: { type: 'bussi', tauFs: 100 }, barostat: { type: 'c-rescale', tauFs: 1000, compressibilityPerGPa: 0.05 },
  };
  const { cmds } = deckOf(nexeConfigObject({ stages: undefined, protocol, timestepFs: 2 }));
  const st = stagesOf(cmds);
  // quench: 700 K at 350 K/ps = 2 ps = 1000 steps of 2 fs
  assert.deepEqual(st.map((s) => s.run), [50, 60, 1000, 40, 70]);
  assert.match(st[0].fixes[1], /temp\/csvr 300 1000 0\.1/);
  assert.match(st[1].fixes[1], /temp\/csvr 1000 1000 0\.1/);
  assert.match(st[2].fixes[1], /temp\/csvr 1000 300 0\.1/);
  assert.equal(st[2].fixes[2], 'barostat press/berendsen iso 0 0 1 modulus 200000');
  assert.equal(st[0].fixes.length, 2, 'the melt is NVT by default');
  assert.equal(st[4].fixes[2], 'barostat press/berendsen iso 0 0 1 modulus 200000');
  assert.match(deckOf(nexeConfigObject({ stages: undefined, protocol })).files['in.lammps'], /^# ---- stage 3\/5 "quench": npt \(bussi\), T 1000 → 300 K, P 0 GPa, 1000 steps = 2 ps$/m);
});

test('initial velocities: velocity create (seeded, gaussian, momentum as configured), set to zero, or read from the data file', () => {
  const mb = deckOf(nexeConfigObject({ velocities: { temperatureK: 600, seed: 42, removeCom: false } }));
  assert.deepEqual(only(mb.cmds, 'velocity').args, ['all', 'create', '600', '42', 'dist', 'gaussian', 'mom', 'no', 'rot', 'no', 'loop', 'geom', 'temp', 'thermo_temp']);
  assert.ok(!/^Velocities/m.test(mb.files['structure.data']));
  // seeds LAMMPS cannot take (0, > 900000000) are mapped into its range
  for (const seed of [0, 4e9]) {
    const x = Number(only(deckOf(nexeConfigObject({ velocities: { temperatureK: 300, seed } })).cmds, 'velocity').args[3]);
    assert.ok(Number.isInteger(x) && x >= 1 && x <= 900000000, String(x));
  }
  const zero = deckOf(nexeConfigObject({ velocities: 'zero' }));
  assert.deepEqual(only(zero.cmds, 'velocity').args, ['all', 'set', '0', '0', '0']);
  // from the structure: no velocity command, the data file carries them
  const dir = tmp();
  const s = readStructure(NEXE, { typeMap: ['Ne', 'Xe'] });
  s.arrays.velocities = floatArray(3, Float64Array.from({ length: 3 * s.species.length }, (_, k) => 1e-3 * Math.sin(k)));
  writeStructure(join(dir, 'start.xyz'), s);
  const fromS = deckOf(nexeConfigObject({ structure: join(dir, 'start.xyz'), typeMap: undefined, velocities: 'structure' }));
  assert.equal(commands(fromS.cmds, 'velocity').length, 0);
  assert.match(fromS.files['structure.data'], /^Velocities$/m);
  // order: velocities after the minimisation and its timestep reset, outputs after the velocities
  const withMin = deckOf(nexeConfigObject({ minimize: { fmaxEvPerA: 0.02, maxSteps: 300, cell: 'isotropic', pressureGPa: 0.1 } })).cmds;
  const at = (name: string) => withMin.findIndex((c) => c.name === name);
  assert.ok(at('minimize') < at('reset_timestep') && at('reset_timestep') < at('velocity') && at('velocity') < at('restart'));
  assert.deepEqual(only(withMin, 'minimize').args, ['0', '0.02', '300', '3000']);
  assert.deepEqual(only(withMin, 'min_modify').args, ['norm', 'max']);
  assert.ok(fixes(withMin).includes('box/relax iso 1000 vmax 0.001'));
  const full = deckOf(nexeConfigObject({ minimize: { cell: 'full' } })).cmds;
  assert.deepEqual(only(full, 'change_box').args, ['all', 'triclinic']);
  assert.ok(fixes(full).includes('box/relax tri 0 vmax 0.001'));
});

test('outputs: thermo with ufnmr\'s CSV columns, dump of unwrapped positions at the trajectory interval, restarts, guards', () => {
  const obj = nexeConfigObject({
    removeComEvery: 50, guards: { maxTemperatureK: 5000, every: 20 },
    output: { directory: 'run', thermo: { every: 25, file: 'log.csv' }, trajectory: { every: 200, velocities: true, forces: true, precision: 'f32', file: 'traj.uftraj' }, checkpoint: { every: 1000, file: 'cp.json' }, final: 'end.xyz' },
  });
  const { cmds } = deckOf(obj);
  // ufnmr's own thermo header for this system (independent truth: the md observer)
  const s = readStructure(NEXE, { typeMap: ['Ne', 'Xe'] });
  const sys = createSystem(s);
  sys.potentialEnergy = 0;
  const elements = [...new Set(s.species)];
  const groups = elements.map((e) => ({ name: e, atoms: Int32Array.from(s.species.flatMap((x, i) => (x === e ? [i] : []))) }));
  const [names] = thermoRow({ sys, integrator: new Integrator({ dtFs: 1 }), stage: 'x' }, groups);
  const print = commands(cmds, 'fix').find((c) => c.args[0] === 'thermo_csv')!;
  assert.equal(print.args[3], '25');
  assert.equal(print.args[print.args.indexOf('title') + 1], names.join(','));
  assert.equal(print.args[print.args.indexOf('file') + 1], 'log.csv');
  assert.equal(print.args[4].split(',').length, names.length);
  assert.match(print.args[4], /\$\(time\*1000:%\.15g\).*\$\(press\/10000:%\.15g\)/);
  assert.deepEqual(only(cmds, 'thermo').args, ['25']);
  assert.deepEqual(only(cmds, 'thermo_style').args.slice(0, 11), ['custom', 'step', 'time', 'temp', 'pe', 'ke', 'etotal', 'econserve', 'press', 'vol', 'density']);
  assert.deepEqual(only(cmds, 'dump').args, ['traj', 'all', 'custom', '200', 'traj.lammpstrj', 'id', 'type', 'element', 'xu', 'yu', 'zu', 'vx', 'vy', 'vz', 'fx', 'fy', 'fz']);
  assert.deepEqual(only(cmds, 'dump_modify').args, ['traj', 'sort', 'id', 'element', 'Ne', 'Xe', 'format', 'float', '%.8g']);
  assert.deepEqual(only(cmds, 'restart').args, ['1000', 'cp.a.restart', 'cp.b.restart']);
  assert.ok(fixes(cmds).includes('halt 20 v_guard_temp > 5000 error hard message yes'));
  assert.ok(fixes(cmds).includes('momentum 50 linear 1 1 1'));
  assert.deepEqual(only(cmds, 'write_data').args, ['end.data']);
  assert.deepEqual(only(cmds, 'write_restart').args, ['end.restart']);
  // groups for the per-element temperatures count 3 degrees of freedom per atom
  const cm = commands(cmds, 'compute_modify').map((c) => c.args.join(' '));
  assert.deepEqual(cm, ['temp_Ne extra/dof 0', 'temp_Xe extra/dof 0']);
  // no trajectory configured → no dump
  assert.equal(commands(deckOf(nexeConfigObject()).cmds, 'dump').length, 0);
});

test('settings LAMMPS cannot express are rejected with the md.json key named', () => {
  const bad = (obj: Record<string, unknown>, re: RegExp, barostat: 'berendsen' | 'nose-hoover' = 'berendsen') =>
    assert.throws(() => deckOf(obj, barostat), (e: unknown) => e instanceof InputError && re.test(e.message), String(re));
  bad(nexeConfigObject({ stages: [{ steps: 10, ensemble: 'nvt', temperatureK: [0, 100], thermostat: { type: 'nose-hoover', tauFs: 100 } }] }), /stages\[0\]\.temperatureK: LAMMPS fix nvt\/npt needs a target temperature above 0 K/);
  bad({ ...nexeConfigObject(), potential: { file: join(__dirname, '../fixtures/ufp/bench_lps.uf3'), belowRange: 'extrapolate' }, typeMap: ['Li', 'P', 'S'], structure: join(__dirname, '../fixtures/ufp/nve_dump_step0.lammpstrj') }, /potential\.belowRange/);
  // a skewed (triclinic) cell: press/berendsen cannot change it
  const dir = tmp();
  const u = rng(5);
  const cell = randomTriclinicCell(u, 3000, 0.4);
  const n = 32;
  const pos: number[] = [];
  for (let i = 0; i < n; i++) { const f = [u(), u(), u()]; for (let k = 0; k < 3; k++) pos.push(f[0] * cell[k] + f[1] * cell[3 + k] + f[2] * cell[6 + k]); }
  writeStructure(join(dir, 'tri.xyz'), createStructure({ species: Array(n).fill('Ne'), positions: pos, cell }));
  const npt = (mode: string) => [{ steps: 10, ensemble: 'npt', temperatureK: 50, thermostat: { type: 'bussi', tauFs: 100 }, barostat: { pressureGPa: 0, mode } }];
  const tri = { structure: join(dir, 'tri.xyz'), typeMap: undefined };
  bad(nexeConfigObject({ ...tri, stages: npt('isotropic') }), /stages\[0\]\.barostat: LAMMPS fix press\/berendsen cannot change a triclinic box/);
  assert.doesNotThrow(() => deckOf(nexeConfigObject({ ...tri, stages: npt('isotropic') }), 'nose-hoover'));
  // a rotated cell: "anisotropic" (ufnmr's Cartesian axes) has no counterpart
  bad(nexeConfigObject({ ...tri, stages: npt('anisotropic') }), /stages\[0\]\.barostat\.mode/, 'nose-hoover');
  const s = readStructure(NEXE, { typeMap: ['Ne', 'Xe'] });
  writeStructure(join(dir, 'rot.xyz'), rotateStructure(s, randomRotation(u)));
  bad(nexeConfigObject({ structure: join(dir, 'rot.xyz'), typeMap: undefined, minimize: { cell: 'orthorhombic' } }), /minimize\.cell/);
  // a thermostat added to md.json later is rejected until it has a mapping (never silently mapped)
  const future = config(nexeConfigObject({ stages: [{ steps: 10, ensemble: 'nvt', temperatureK: 50, thermostat: { type: 'bussi', tauFs: 100 } }] }));
  (future.stages[0].thermostat as { type: string }).type = 'andersen';
  assert.throws(() => buildLammpsExport(future), (e: unknown) => e instanceof InputError && /stages\[0\]\.thermostat\.type: "andersen" has no LAMMPS mapping/.test(e.message));
  // a protocol stage is named through the protocol
  bad(nexeConfigObject({ stages: undefined, protocol: { type: 'ladder', temperaturesK: [0, 100], stepsPerTemperature: 10, thermostat: { type: 'nose-hoover', tauFs: 100 } } }), /protocol \(stage "0K"\)\.temperatureK/);
});
