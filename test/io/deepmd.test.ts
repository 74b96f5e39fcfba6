import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { mkdirSync, writeFileSync, readdirSync, cpSync } from 'node:fs';
import { readDeepmdFrames, writeDeepmd, isDeepmdSystem } from '../../src/io/deepmd';
import { writeNpy } from '../../src/io/npy';
import { ParseError } from '../../src/core/errors';
import { composition } from '../../src/core/structure';
import { rng } from '../helpers/random';
import { FIXTURES, tempDir, assertSameStructure, randomStructure } from './helpers';

const SYS = join(FIXTURES, 'deepmd_beta-Li3PS4_5frames');

test('deepmd: known values of the β-Li3PS4 system (first 5 frames of lips-dpgen, checked against numpy)', () => {
  assert.ok(isDeepmdSystem(SYS));
  const frames = [...readDeepmdFrames(SYS)];
  assert.equal(frames.length, 5);
  const f = frames[0];
  assert.deepEqual(composition(f), { Li: 24, P: 8, S: 32 });
  // numpy: np.load('energy.npy')[:5].tolist() etc. on the original files
  assert.deepEqual(frames.map((x) => x.info.energy), [-15262.6572265625, -15260.5263671875, -15259.8427734375, -15258.0439453125, -15256.0712890625]);
  assert.deepEqual([...f.positions.subarray(0, 3)], [4.571769714355469, 0.10317974537611009, 2.6834280490875244]);
  assert.deepEqual([...f.cell], [12.819000244140625, 0, 0, 0, 8.220000267028809, 0, 0, 0, 12.246999740600586]);
  assert.deepEqual([...(frames[4].arrays.forces.data as Float64Array).subarray(189)], [0.7414239645004272, 0.092243991792202, 4.8107805252075195]);
  assert.deepEqual(frames[2].info.virial, [13.323258399963379, 2.0419139862060547, 2.3682007789611816, 2.0419139862060547, 45.0025749206543, 4.140724182128906, 2.3682007789611816, 4.140724182128906, 44.42668533325195]);
  // one energy reference, ≈ −238 eV/atom (shared data README)
  assert.ok(Math.abs((f.info.energy as number) / 64 + 238.5) < 1);
});

test('deepmd: read → write → read is bit-exact, across several sets; streaming frame by frame', () => {
  const { dir, cleanup } = tempDir();
  try {
    const frames = [...readDeepmdFrames(SYS)];
    const out = join(dir, 'sys');
    assert.equal(writeDeepmd(out, frames, { setSize: 2 }), 5);
    assert.deepEqual(readdirSync(out).sort(), ['set.000', 'set.001', 'set.002', 'type.raw', 'type_map.raw']);
    const back = [...readDeepmdFrames(out)];
    assert.equal(back.length, 5);
    back.forEach((b, i) => assertSameStructure(frames[i], b));
    // random frames with the same atoms, written over the existing system
    const u = rng(1);
    const base = randomStructure(u, 6);
    const rand = [0, 1, 2].map(() => {
      const s = randomStructure(u, 6);
      s.species = base.species;
      s.info = { energy: u() * 100, virial: Array.from({ length: 9 }, () => u()) };
      return s;
    });
    writeDeepmd(out, rand);
    const r = [...readDeepmdFrames(out)];
    r.forEach((b, i) => assertSameStructure(rand[i], b));
    // different atoms in a later frame: refused, and the old system stays in place
    const bad = [rand[0], randomStructure(u, 7)];
    bad[1].info = { energy: 1, virial: Array(9).fill(0) };
    assert.throws(() => writeDeepmd(out, bad), /same atoms/);
    assert.equal([...readDeepmdFrames(out)].length, 3);
    assert.deepEqual(readdirSync(dir), ['sys']);
  } finally {
    cleanup();
  }
});

test('deepmd: inconsistent systems are ParseErrors', () => {
  const { dir, cleanup } = tempDir();
  try {
    const d = join(dir, 'bad');
    cpSync(SYS, d, { recursive: true });
    writeNpy(join(d, 'set.000', 'force.npy'), { dtype: 'float64', shape: [4, 192], data: new Float64Array(4 * 192) });
    assert.throws(() => [...readDeepmdFrames(d)], (e: unknown) => e instanceof ParseError && /force\.npy \[force\]: expected 5 frames/.test((e as Error).message));
    writeNpy(join(d, 'set.000', 'force.npy'), { dtype: 'float64', shape: [5, 191], data: new Float64Array(5 * 191) });
    assert.throws(() => [...readDeepmdFrames(d)], (e: unknown) => e instanceof ParseError && /192 values per frame/.test((e as Error).message));
    writeFileSync(join(d, 'type.raw'), '0\n7\n');
    assert.throws(() => [...readDeepmdFrames(d)], (e: unknown) => e instanceof ParseError && /type index 0…2/.test((e as Error).message));
    mkdirSync(join(dir, 'empty'));
    writeFileSync(join(dir, 'empty', 'type.raw'), '0\n');
    writeFileSync(join(dir, 'empty', 'type_map.raw'), 'Li\n');
    assert.throws(() => [...readDeepmdFrames(join(dir, 'empty'))], (e: unknown) => e instanceof ParseError && /set\.NNN/.test((e as Error).message));
  } finally {
    cleanup();
  }
});
