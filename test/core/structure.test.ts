import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createStructure, supercell, masses, density, formula, speciesIndices, rotateStructure, floatArray } from '../../src/core/structure';
import { element, normaliseSymbol, ELEMENTS } from '../../src/core/elements';
import { InputError } from '../../src/core/errors';
import { volume } from '../../src/core/cell';
import { rng, randomRotation } from '../helpers/random';

test('elements table', () => {
  assert.equal(ELEMENTS.length, 118);
  assert.equal(element('Li').Z, 3);
  assert.equal(element('S').mass, 32.06);
  assert.equal(element('Og').Z, 118);
  assert.throws(() => element('Xx'), InputError);
  assert.equal(normaliseSymbol('LI'), 'Li');
  assert.equal(normaliseSymbol('S2'), 'S');
  assert.equal(normaliseSymbol('Li1+'), 'Li');
  assert.equal(normaliseSymbol('1'), undefined);
});

test('createStructure validates', () => {
  assert.throws(() => createStructure({ species: ['Li', 'Q'], positions: new Float64Array(6) }), /unknown element "Q"/);
  assert.throws(() => createStructure({ species: ['Li'], positions: new Float64Array(6) }), /positions hold 6/);
  assert.throws(() => createStructure({ species: ['Li'], positions: [0, NaN, 0] }), /non-finite/);
  assert.throws(() => createStructure({ species: ['Li'], positions: [0, 0, 0], cell: [1, 0, 0, 2, 0, 0, 0, 0, 1] }), /degenerate cell/);
  assert.throws(() => createStructure({ species: ['Li'], positions: [0, 0, 0], arrays: { forces: floatArray(3, [1, 2]) } }), /forces/);
});

test('supercell multiplies atoms, volume and energy; masses and density', () => {
  const s = createStructure({
    species: ['Li', 'Li', 'P', 'S'], positions: [0, 0, 0, 1, 1, 1, 2, 0, 1, 0, 2, 2],
    cell: [5, 0, 0, 1, 6, 0, 0.5, 0.3, 7], info: { energy: -3 }, arrays: { forces: floatArray(3, Array.from({ length: 12 }, (_, i) => i)) },
  });
  const sc = supercell(s, [2, 3, 1]);
  assert.equal(sc.species.length, 24);
  assert.ok(Math.abs(volume(sc.cell) - 6 * volume(s.cell)) < 1e-9);
  assert.equal(sc.info.energy, -18);
  assert.equal(formula(sc), 'Li12P6S6');
  assert.ok(Math.abs(density(sc) - density(s)) < 1e-12);
  assert.deepEqual([...masses(s)], [6.94, 6.94, 30.974, 32.06]);
  assert.deepEqual([...speciesIndices(s, ['Li', 'P', 'S'])], [0, 0, 1, 2]);
  assert.throws(() => speciesIndices(s, ['Li', 'P']), /element S \(atom 3\)/);
});

test('rotation rotates vectors and tensors', () => {
  const R = randomRotation(rng(9));
  const efg = [1, 2, 3, 2, -4, 5, 3, 5, 3];
  const s = createStructure({ species: ['Li'], positions: [1, 0, 0], cell: [3, 0, 0, 0, 3, 0, 0, 0, 3], arrays: { efg: floatArray(9, efg) } });
  const r = rotateStructure(s, R);
  assert.ok(Math.abs(r.positions[0] - R[0]) < 1e-15 && Math.abs(r.positions[1] - R[3]) < 1e-15);
  const t = (r.arrays.efg.data as Float64Array);
  let tr = 0, n0 = 0, n1 = 0;
  for (let i = 0; i < 9; i++) { n0 += efg[i] ** 2; n1 += t[i] ** 2; }
  tr = t[0] + t[4] + t[8];
  assert.ok(Math.abs(n0 - n1) < 1e-10 && Math.abs(tr - 0) < 1e-12);
});
