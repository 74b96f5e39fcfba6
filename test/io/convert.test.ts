import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { main } from '../../src/cli/main';
import { readFrames, readStructure, writeFrames, detectFormat } from '../../src/io/formats';
import { parseFrameSlice, sliceFrames } from '../../src/io/frame-slice';
import { readExtxyzFrames } from '../../src/io/extxyz';
import { TrajectoryWriter } from '../../src/io/trajectory';
import { FIXTURES, tempDir, assertSameStructure } from './helpers';

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '', err = '';
  const code = await main(args, { stdout: (t) => { out += t; }, stderr: (t) => { err += t; } });
  return { code, out, err };
}

test('formats: detection from names and directories', () => {
  const cases: [string, string][] = [
    ['a/POSCAR', 'poscar'], ['CONTCAR_gamma', 'poscar'], ['x.vasp', 'poscar'], ['OUTCAR.relax', 'outcar'], ['t.extxyz', 'extxyz'],
    ['t.xyz', 'extxyz'], ['s.cif', 'cif'], ['in.data', 'lammps-data'], ['s.lmp', 'lammps-data'], ['data.li3ps4', 'lammps-data'],
    ['t.lammpstrj', 'lammps-dump'], ['t.dump', 'lammps-dump'], ['n.magres', 'magres'], ['a.npy', 'npy'], ['m.uftraj', 'uftraj'],
    [join(FIXTURES, 'deepmd_beta-Li3PS4_5frames'), 'deepmd'],
  ];
  for (const [p, f] of cases) assert.equal(detectFormat(p), f, p);
  assert.throws(() => detectFormat('README.md'), /cannot tell the format/);
});

test('frame slices follow Python semantics', () => {
  const xs = Array.from({ length: 10 }, (_, i) => i);
  const sel = (s: string) => [...sliceFrames(xs, parseFrameSlice(s))];
  assert.deepEqual(sel('2:8:3'), [2, 5]);
  assert.deepEqual(sel('::4'), [0, 4, 8]);
  assert.deepEqual(sel('7:'), [7, 8, 9]);
  assert.deepEqual(sel('-3:'), [7, 8, 9]);
  assert.deepEqual(sel('-1'), [9]);
  assert.deepEqual(sel('3'), [3]);
  assert.deepEqual(sel(':-8'), [0, 1]);
  assert.deepEqual(sel('20:'), []);
  assert.throws(() => parseFrameSlice('1:2:0'), /positive/);
  assert.throws(() => parseFrameSlice('a:b'), /integer/);
  // a non-negative slice stops reading at stop (works on an endless stream)
  function* endless() { for (let i = 0; ; i++) yield i; }
  assert.deepEqual([...sliceFrames(endless(), parseFrameSlice('1:4'))], [1, 2, 3]);
});

test('registry: readStructure picks frames; writeFrames refuses read-only formats and empty input without touching files', () => {
  const p = join(FIXTURES, 'lps_gpaw_pbe_efg_2frames.xyz');
  const all = [...readFrames(p)];
  assertSameStructure(readStructure(p, { index: 1 }), all[1]);
  assertSameStructure(readStructure(p, { index: -1 }), all[1]);
  assert.throws(() => readStructure(p, { index: 2 }), /frame 2 requested, the file has 2/);
  const { dir, cleanup } = tempDir();
  try {
    const out = join(dir, 'x.xyz');
    writeFileSync(out, 'keep');
    assert.throws(() => writeFrames(out, []), /no frames/);
    assert.equal(readFileSync(out, 'utf8'), 'keep');
    assert.throws(() => writeFrames(join(dir, 'x.magres'), all), /read-only/);
    assert.throws(() => writeFrames(join(dir, 'POSCAR'), all), /one structure/);
    assert.equal(existsSync(join(dir, 'POSCAR')), false);
  } finally {
    cleanup();
  }
});

test('ufnmr convert: dump → extxyz → POSCAR/CIF/data/DeePMD with --frames and --type-map; --json prints one object', async () => {
  const { dir, cleanup } = tempDir();
  try {
    const dump = join(FIXTURES, 'NeXe_LJ_dump_3frames.lammpstrj');
    const xyz = join(dir, 'nexe.xyz');
    let r = await run(['convert', dump, xyz, '--type-map', 'Ne,Xe', '--frames', '1:', '--json']);
    assert.equal(r.code, 0, r.out + r.err);
    const obj = JSON.parse(r.out);
    assert.equal(r.out.trim().split('\n').length, 1);
    assert.deepEqual(obj, { ok: true, input: dump, output: xyz, from: 'lammps-dump', to: 'extxyz', frames: 2, natoms: 64, formula: 'Ne32Xe32' });
    const frames = [...readExtxyzFrames(xyz)];
    assert.deepEqual(frames.map((f) => f.info.timestep), [1000, 2000]);
    for (const [name, extra] of [['POSCAR', []], ['last.cif', []], ['last.data', ['--type-map', 'Ne,Xe']]] as [string, string[]][]) {
      r = await run(['convert', xyz, join(dir, name), '--frames=-1', ...extra]);
      assert.equal(r.code, 0, r.err);
      assert.match(r.out, /wrote 1 frame\(s\) of Ne32Xe32/);
      assert.deepEqual(readStructure(join(dir, name), { typeMap: ['Ne', 'Xe'] }).species, frames[1].species);
    }
    r = await run(['convert', join(FIXTURES, 'deepmd_beta-Li3PS4_5frames'), join(dir, 'copy'), '--to', 'deepmd', '--set-size', '2', '--json']);
    assert.equal(JSON.parse(r.out).frames, 5);
    const a = [...readFrames(join(FIXTURES, 'deepmd_beta-Li3PS4_5frames'))], b = [...readFrames(join(dir, 'copy'))];
    a.forEach((s, i) => assertSameStructure(s, b[i]));
    r = await run(['convert', dump, join(dir, 'y.xyz'), '--json']);
    assert.equal(r.code, 1);
    const e = JSON.parse(r.out);
    assert.equal(e.ok, false);
    assert.equal(e.error.type, 'ParseError');
    assert.match(e.error.message, /type map/);
    r = await run(['convert', dump, join(dir, 'y.xyz'), '--type-map', 'Ne,Qq']);
    assert.equal(r.code, 1);
    assert.match(r.err, /not an element symbol/);
  } finally {
    cleanup();
  }
});

test('registry: ufnmr .uftraj trajectories read as structures (and convert to extxyz)', async () => {
  const { dir, cleanup } = tempDir();
  try {
    const p = join(dir, 'md.uftraj');
    const w = TrajectoryWriter.create(p, {
      natoms: 2, species: ['Li', 'S'], pbc: [true, true, true], timestepFs: 0.5,
      fields: [{ name: 'positions', dtype: 'f64' }, { name: 'velocities', dtype: 'f64' }], scalars: ['pe_eV'], provenance: {},
    });
    for (let k = 0; k < 3; k++)
      w.append({ step: 10 * k, timeFs: 5 * k, cell: new Float64Array([5, 0, 0, 0, 5, 0, 0, 0, 5]), scalars: { pe_eV: -k }, positions: new Float64Array([0, 0, k, 1, 1, 1]), velocities: new Float64Array([k, 0, 0, 0, 0, -k]) });
    w.close();
    const frames = [...readFrames(p)];
    assert.equal(frames.length, 3);
    assert.deepEqual(frames[2].species, ['Li', 'S']);
    assert.deepEqual([...frames[2].positions], [0, 0, 2, 1, 1, 1]);
    assert.deepEqual([...frames[2].arrays.velocities.data], [2, 0, 0, 0, 0, -2]);
    assert.equal(frames[2].info.pe_eV, -2);
    assert.equal(frames[2].info.time_fs, 10);
    const r = await run(['convert', p, join(dir, 'md.xyz'), '--frames', '::2', '--json']);
    assert.equal(JSON.parse(r.out).frames, 2);
    // a LAMMPS dump written from it carries the MD step as its TIMESTEP
    await run(['convert', p, join(dir, 'md.lammpstrj'), '--json']);
    const dumped = [...readFrames(join(dir, 'md.lammpstrj'), { typeMap: ['Li', 'S'] })];
    assert.deepEqual(dumped.map((f) => f.info.timestep), [0, 10, 20]);
  } finally {
    cleanup();
  }
});
