import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readPoscar, parsePoscar, formatPoscar, writePoscar } from '../../src/io/poscar';
import { ParseError } from '../../src/core/errors';
import { volume } from '../../src/core/cell';
import { formula } from '../../src/core/structure';
import { rng } from '../helpers/random';
import { FIXTURES, tempDir, assertSameStructure, assertClose, randomStructure, isParse } from './helpers';


test('poscar: γ-Li3PS4 CONTCAR fixture (VASP 5, Direct)', () => {
  const s = readPoscar(join(FIXTURES, 'CONTCAR_gamma-Li3PS4_xas-tools'));
  assert.equal(formula(s), 'Li6P2S8');
  assert.equal(s.cell[0], 7.7728887530431452);
  assert.equal(s.cell[4], 6.6186469761244338);
  // first Li at direct (0.2435623021061343, 0.3168557575935761, -0.0000276211987660)
  const c = s.cell;
  const f = [0.2435623021061343, 0.3168557575935761, -0.0000276211987660];
  assertClose(s.positions.subarray(0, 3), [0, 1, 2].map((k) => f[0] * c[k] + f[1] * c[3 + k] + f[2] * c[6 + k]), 1e-15, 'first Li');
  assert.equal(s.info.comment, 'γ-Li3PS4 Li6 P2 S8');
});

test('poscar: VASP 4, negative scale (volume), three scales, Cartesian, selective dynamics, POTCAR-style names', () => {
  const v5 = 'test\n-64\n1 0 0\n0 2 0\n0 0 4\nLi_sv S/abc\n1 1\nSelective dynamics\nCartesian\n0 0 0 T F T\n0.5 0.5 0.5 F F F\n';
  const s = parsePoscar(v5);
  assert.deepEqual(s.species, ['Li', 'S']);
  assert.ok(Math.abs(volume(s.cell) - 64) < 1e-12);
  // scale = cbrt(64/8) = 2: Cartesian coordinates are scaled too
  assertClose(s.positions, [0, 0, 0, 1, 1, 1], 1e-15, 'scaled Cartesian');
  assert.deepEqual([...s.arrays.selective_dynamics.data], [1, 0, 1, 0, 0, 0]);
  const v4 = 'Li S\n1.0\n3 0 0\n0 3 0\n0 0 3\n1 2\nDirect\n0 0 0\n0.5 0 0\n0 0.5 0\n';
  assert.deepEqual(parsePoscar(v4).species, ['Li', 'S', 'S']);
  assert.deepEqual(parsePoscar(v4.replace('Li S', 'no names'), { species: ['Na', 'Cl'] }).species, ['Na', 'Cl', 'Cl']);
  assert.throws(() => parsePoscar(v4.replace('Li S', 'no names'), {}, 'P'), isParse(/P:6: expected a VASP 5 species line/));
  const three = parsePoscar('x\n1 2 3\n1 0 0\n0 1 0\n0 0 1\nLi\n1\nC\n1 1 1\n');
  assert.deepEqual([...three.cell], [1, 0, 0, 0, 2, 0, 0, 0, 3]);
  assert.deepEqual([...three.positions], [1, 2, 3]);
});

test('poscar: round trip is bit-exact (Cartesian), Direct within 1e-12; repeated species blocks keep atom order', () => {
  const u = rng(3);
  const { dir, cleanup } = tempDir();
  try {
    for (let k = 0; k < 4; k++) {
      const s = randomStructure(u, 11);
      delete s.arrays.forces;
      s.info = { comment: `frame ${k}` };
      if (k === 1) s.arrays.selective_dynamics = { kind: 'bool', width: 3, data: Uint8Array.from({ length: 33 }, () => (u() < 0.5 ? 1 : 0)) };
      const p = join(dir, 'POSCAR');
      writePoscar(p, s);
      assertSameStructure(s, readPoscar(p));
      const d = parsePoscar(formatPoscar(s, { direct: true }));
      assertClose(d.positions, s.positions, 1e-12, 'direct');
    }
    const fix = readPoscar(join(FIXTURES, 'CONTCAR_gamma-Li3PS4_xas-tools'));
    assertSameStructure(fix, parsePoscar(formatPoscar(fix)));
  } finally {
    cleanup();
  }
});

test('poscar: bad input gives ParseErrors', () => {
  const good = 'c\n1\n3 0 0\n0 3 0\n0 0 3\nLi S\n1 1\nDirect\n0 0 0\n0.5 0 0\n';
  assert.equal(parsePoscar(good).species.length, 2);
  const cases: [string, RegExp][] = [
    [good.replace('0.5 0 0\n', ''), /P:10: expected coordinates of atom 2 of 2/],
    [good.replace('1 1\n', '1\n'), /2 atom counts/],
    [good.replace('Li S', 'Li Xx'), /element name/],
    [good.replace('\n1\n', '\n0\n'), /non-zero scale/],
    [good.replace('Direct', 'Selective dynamics\nDirect'), /three coordinates and three T\/F flags/],
    [good.replace('0 3 0', '0 3'), /three components of lattice vector 2/],
    [good.replace('0 0 3', '0 0 0'), /degenerate/],
    [good.replace('Direct', 'Q'), /Direct or Cartesian/],
  ];
  for (const [t, re] of cases) assert.throws(() => parsePoscar(t, {}, 'P'), isParse(re), t);
});
