import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readLammpsData, parseLammpsData, formatLammpsData, writeLammpsData } from '../../src/io/lammps-data';
import { readLammpsDumpFrames, parseLammpsDump, formatLammpsDumpFrame, writeLammpsDump } from '../../src/io/lammps-dump';
import { parseExtxyz, formatExtxyzFrame } from '../../src/io/extxyz';
import { ParseError } from '../../src/core/errors';
import { createStructure, rotateStructure, AtomArray } from '../../src/core/structure';
import { toLowerTriangular, transpose3 } from '../../src/core/cell';
import { rng } from '../helpers/random';
import { FIXTURES, tempDir, assertSameStructure, assertClose, randomStructure, isParse } from './helpers';


/**
 * A random structure already in LAMMPS's lower-triangular orientation, with velocities as a reader makes
 * them (Å/ps × 1e-3: a Å/fs value that did not come from a file need not survive the unit conversion bit for bit).
 */
function lammpsFrame(seed: number, n: number) {
  const u = rng(seed);
  const base = randomStructure(u, n);
  const { cell } = toLowerTriangular(base.cell);
  const s = randomStructure(u, n, { cell, info: { timestep: seed * 10 } });
  s.arrays.velocities = { kind: 'float', width: 3, data: Float64Array.from({ length: 3 * n }, () => (u() - 0.5) * 100 * 1e-3) };
  return s;
}

test('lammps data: known values of the LAMMPS uf3 unit-test data file', () => {
  const s = readLammpsData(join(FIXTURES, 'lammps_unittest.data'), { typeMap: Array(8).fill('Nb') });
  assert.equal(s.species.length, 64);
  assert.ok(s.species.every((e) => e === 'Nb'));
  assert.deepEqual([...s.cell], [10.862, 0, 0, 0, 10.862, 0, 0, 0, 10.862]);
  assert.deepEqual([...s.positions.subarray(0, 3)], [1.0821582679234250e+01, 1.0768089890052606e+01, 5.2782114154092112e-02]);
  assert.deepEqual([...(s.arrays.image.data as Float64Array).subarray(0, 3)], [-1, -1, 0]);
  assert.deepEqual([...(s.arrays.type.data as Float64Array).subarray(0, 3)], [1, 2, 3]);
  assert.equal(s.arrays.masses.data[0], 28.06);
  assert.equal(s.arrays.velocities.width, 3);
  // without a type map the masses decide: 28.06 amu is silicon
  assert.equal(readLammpsData(join(FIXTURES, 'lammps_unittest.data')).species[0], 'Si');
});

test('lammps data: masses → elements, type map, atom styles, sorting by id', () => {
  const text = `title\n\n3 atoms\n3 atom types\n0 4 xlo xhi\n0 5 ylo yhi\n0 6 zlo zhi\n1 2 3 xy xz yz\n\nMasses\n\n1 6.941\n2 30.97\n3 32.065\n\nAtoms # charge\n\n3 3 -2 1 1 1\n1 1 1 0 0 0\n2 2 5 0.5 0.5 0.5\n`;
  const s = parseLammpsData(text);
  assert.deepEqual(s.species, ['Li', 'P', 'S']);
  assert.deepEqual([...s.arrays.charges.data], [1, 5, -2]);
  assert.deepEqual([...s.cell], [4, 0, 0, 1, 5, 0, 2, 3, 6]);
  assert.deepEqual([...s.positions], [0, 0, 0, 0.5, 0.5, 0.5, 1, 1, 1]);
  assert.deepEqual(parseLammpsData(text, { typeMap: ['Na', 'Cl', 'K'] }).species, ['Na', 'Cl', 'K']);
  const noMass = text.replace(/Masses[\s\S]*?Atoms/, 'Atoms');
  assert.throws(() => parseLammpsData(noMass, {}, 'd.data'), isParse(/Masses section or a type map/));
  assert.throws(() => parseLammpsData(text.replace('30.97', '300.5'), {}, 'd.data'), isParse(/within 0.1 amu/));
  assert.throws(() => parseLammpsData(text.replace('2 2 5 0.5', '2 4 5 0.5'), {}, 'd.data'), isParse(/d\.data:\d+: expected an atom type ≤ 3/));
  assert.throws(() => parseLammpsData(text.replace('3 atoms', '4 atoms'), {}, 'd.data'), isParse(/4 lines in the Atoms section/));
  assert.throws(() => parseLammpsData(text.replace('0 4 xlo', '0 x xlo'), {}, 'd.data'), isParse(/d\.data:5: expected a finite number for xhi/));
  assert.throws(() => parseLammpsData(text.replace('1 1 1 0 0 0', '1 1 1 0 0 0 9'), {}, 'd.data'), isParse(/columns/));
});

test('lammps data: round trip is bit-exact for lower-triangular cells (positions, velocities, images, charges)', () => {
  const { dir, cleanup } = tempDir();
  try {
    for (const seed of [1, 2, 3]) {
      const s = lammpsFrame(seed, 9 + seed);
      delete s.arrays.forces;
      s.info = { comment: 'my title' };
      s.arrays.image = { kind: 'int', width: 3, data: Int32Array.from({ length: 3 * s.species.length }, (_, i) => (i % 5) - 2) };
      if (seed === 2) s.arrays.charges = { kind: 'float', width: 1, data: Float64Array.from(s.species, (e) => (e === 'Li' ? 1 : e === 'P' ? 5 : -2)) };
      const p = join(dir, `s${seed}.data`);
      writeLammpsData(p, s, { typeMap: ['Li', 'P', 'S'] });
      const b = readLammpsData(p, { typeMap: ['Li', 'P', 'S'] });
      assertSameStructure(s, b, { ignoreArrays: ['type', 'masses'] });
      // and read → write → read of the fixture
      const f = readLammpsData(join(FIXTURES, 'lammps_unittest.data'), { typeMap: Array(8).fill('Nb') });
      assertSameStructure(f, parseLammpsData(formatLammpsData(f), { typeMap: Array(8).fill('Nb') }));
    }
  } finally {
    cleanup();
  }
});

test('lammps: triclinic data and dump reproduce the extended XYZ structure (rotation to the LAMMPS convention and back)', () => {
  const u = rng(42);
  for (let trial = 0; trial < 5; trial++) {
    const s = randomStructure(u, 12, { info: { energy: -1.5 } });
    s.arrays.velocities = { kind: 'float', width: 3, data: Float64Array.from({ length: 36 }, () => u() - 0.5) };
    const xyz = parseExtxyz(formatExtxyzFrame(s))[0];
    const { rotation: R } = toLowerTriangular(xyz.cell);
    const Rt = transpose3(R);
    const fromData = parseLammpsData(formatLammpsData(xyz));
    const fromDump = parseLammpsDump(formatLammpsDumpFrame(xyz))[0];
    for (const [what, l] of [['data', fromData], ['dump', fromDump]] as const) {
      assert.ok(l.cell[1] === 0 && l.cell[2] === 0 && l.cell[5] === 0, `${what}: lower-triangular`);
      const back = rotateStructure(l, Rt);
      const scale = 1e-12 * 50;
      assertClose(back.cell, xyz.cell, scale, `${what} cell`);
      assertClose(back.positions, xyz.positions, scale, `${what} positions`);
      assertClose(back.arrays.velocities.data as Float64Array, xyz.arrays.velocities.data as Float64Array, 1e-13, `${what} velocities`);
      if (what === 'dump') assertClose(back.arrays.forces.data as Float64Array, xyz.arrays.forces.data as Float64Array, 1e-12 * 100, 'dump forces');
      assert.deepEqual(l.species, xyz.species);
    }
  }
});

test('lammps dump: multi-frame round trip is bit-exact (triclinic bounds, all column kinds) and streams', () => {
  const frames = [lammpsFrame(5, 10), lammpsFrame(6, 10), lammpsFrame(7, 10)];
  const n = 10;
  frames[1].arrays.charges = { kind: 'float', width: 1, data: Float64Array.from({ length: n }, (_, i) => i / 7) };
  frames[1].arrays.c_pe = { kind: 'float', width: 1, data: Float64Array.from({ length: n }, (_, i) => -i / 3) };
  frames[2].arrays.image = { kind: 'int', width: 3, data: Int32Array.from({ length: 3 * n }, (_, i) => (i % 3) - 1) };
  frames[2].arrays.unwrapped_positions = { kind: 'float', width: 3, data: Float64Array.from({ length: 3 * n }, (_, i) => i * 1.1) };
  frames[2].pbc = [true, true, false];
  const { dir, cleanup } = tempDir();
  try {
    const p = join(dir, 'traj.lammpstrj');
    assert.equal(writeLammpsDump(p, frames, { typeMap: ['Li', 'P', 'S'] }), 3);
    const gen = readLammpsDumpFrames(p, { typeMap: ['Li', 'P', 'S'] });
    let k = 0;
    for (const b of gen) {
      // the dump stores xhi + max(0, tilts): the cell diagonal comes back to within 1 ulp, all else exactly
      assertClose(b.cell, frames[k].cell, 4e-15 * Math.max(...frames[k].cell), 'cell');
      b.cell = frames[k].cell;
      assertSameStructure(frames[k++], b, { ignoreArrays: ['type'] });
    }
    assert.equal(k, 3);
  } finally {
    cleanup();
  }
});

test('lammps dump: NeXe fixture, columns in any order, scaled and unwrapped coordinates, triclinic bounds', () => {
  const frames = [...readLammpsDumpFrames(join(FIXTURES, 'NeXe_LJ_dump_3frames.lammpstrj'), { typeMap: ['Ne', 'Xe'] })];
  assert.equal(frames.length, 3);
  const f = frames[0];
  assert.equal(f.species.length, 64);
  assert.equal(f.info.timestep, 0);
  // atom id 2 is the first line of the file: type 1, at 4.4380434557 4.4380434557 0.8760869114
  assert.equal(f.species[1], 'Ne');
  assert.deepEqual([...f.positions.subarray(3, 6)], [4.4380434557, 4.4380434557, 0.8760869114]);
  assert.equal(f.arrays.c_ape.data[1], -0.0166366215);
  assert.deepEqual(f.info.lammps_origin, [8.7608691138938988e-01, 8.7608691138938988e-01, 8.7608691138938988e-01]);
  // hand-made triclinic frame: xy=1, xz=-0.5, yz=0.25; lo = (0, 0, 0), hi = (10, 8, 6)
  // bounds: xlo_b = 0 + min(0, 1, -0.5, 0.5) = -0.5, xhi_b = 10 + 1 = 11, ylo_b = 0, yhi_b = 8.25
  const text = 'ITEM: TIMESTEP\n7\nITEM: NUMBER OF ATOMS\n2\nITEM: BOX BOUNDS xy xz yz pp pp pp\n-0.5 11 1\n0 8.25 -0.5\n0 6 0.25\n' +
    'ITEM: ATOMS zs element ys id xs xu yu zu vx vy vz\n0.5 S 0.5 2 0.5 1 2 3 1000 0 0\n0 Li 0 1 0 -9 -8 -7 0 0 -2000\n';
  const [d] = parseLammpsDump(text);
  assert.deepEqual(d.species, ['Li', 'S']);
  assert.deepEqual([...d.cell], [10, 0, 0, 1, 8, 0, -0.5, 0.25, 6]);
  // r = s·H: (0.5, 0.5, 0.5)·H = (5 + 0.5 − 0.25, 4 + 0.125, 3)
  assertClose(d.positions, [0, 0, 0, 5.25, 4.125, 3], 1e-15, 'scaled → Cartesian');
  assert.deepEqual([...d.arrays.unwrapped_positions.data], [-9, -8, -7, 1, 2, 3]);
  assert.deepEqual([...d.arrays.velocities.data], [0, 0, -2, 1, 0, 0]);
  // only unwrapped coordinates: they become the positions
  const onlyU = text.replace('zs element ys id xs xu yu zu', 'a element b id c xu yu zu');
  const u0 = parseLammpsDump(onlyU)[0];
  assert.deepEqual([...u0.positions], [-9, -8, -7, 1, 2, 3]);
  // … and are marked as unwrapped, so analyses do not unwrap them again; writing keeps xu-only columns
  assert.deepEqual([...u0.arrays.unwrapped_positions.data], [-9, -8, -7, 1, 2, 3]);
  const again = formatLammpsDumpFrame(u0);
  assert.match(again, /ITEM: ATOMS id type element xu yu zu /);
  assert.deepEqual([...parseLammpsDump(again)[0].positions], [-9, -8, -7, 1, 2, 3]);
});

test('lammps dump: bad input gives ParseErrors', () => {
  const good = 'ITEM: TIMESTEP\n0\nITEM: NUMBER OF ATOMS\n1\nITEM: BOX BOUNDS pp pp pp\n0 1\n0 1\n0 1\nITEM: ATOMS id type x y z\n1 1 0 0 0\n';
  assert.equal(parseLammpsDump(good, { typeMap: ['Li'] }).length, 1);
  const cases: [string, RegExp][] = [
    [good, /type map/],
    [good.replace('ITEM: ATOMS id type x y z', 'ITEM: ATOMS id type x y'), /all of x y z or none/],
    [good.replace('1 1 0 0 0', '1 1 0 0'), /d\.dump:10: expected 5 columns/],
    [good.replace('1 1 0 0 0', '1 1 0 inf 0'), /finite number/],
    [good.replace('NUMBER OF ATOMS\n1', 'NUMBER OF ATOMS\n2'), /atom line 2 of 2/],
    [good.replace('0 1\n0 1\n0 1', '0 1\n0 1'), /box bounds|2 numbers/],
    [good.replace('ITEM: TIMESTEP', 'ITEM: TIMESTEPS'), /ITEM: TIMESTEP/],
  ];
  for (const [t, re] of cases) assert.throws(() => parseLammpsDump(t, {}, 'd.dump'), isParse(re), t);
  assert.throws(() => parseLammpsDump(good, { typeMap: ['Xq'] }, 'd.dump'), isParse(/element symbols in the type map/));
});

test('lammps writers refuse structures without a cell', () => {
  const s = createStructure({ species: ['Li'], positions: [0, 0, 0] });
  assert.throws(() => formatLammpsData(s), /need a cell/);
  void ({} as AtomArray);
});
