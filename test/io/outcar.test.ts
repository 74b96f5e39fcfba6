import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { readOutcarFrames, parseOutcar } from '../../src/io/outcar';
import { ParseError } from '../../src/core/errors';
import { FIXTURES, isParse } from './helpers';

const FILE = join(FIXTURES, 'OUTCAR_synthetic_LiS');

test('outcar: ionic steps with positions, forces, final energies (not the SCF ones), lattice and species', () => {
  const frames = [...readOutcarFrames(FILE)];
  assert.equal(frames.length, 2);
  const [a, b] = frames;
  assert.deepEqual(a.species, ['Li', 'Li', 'S', 'S']);
  assert.deepEqual([...a.cell], [5, 0, 0, 0.5, 6, 0, 0, 0, 7]);
  assert.deepEqual([...a.positions], [0, 0, 0, 2.5, 3, 3.5, 1.25, 1.5, 1.75, 3.75, 4.5, 5.25]);
  assert.deepEqual([...(a.arrays.forces.data as Float64Array).subarray(0, 3)], [0.012345, -0.023456, 0.034567]);
  assert.equal(a.info.energy, -10.12345678);
  assert.equal(a.info.free_energy, -10.12345678);
  assert.equal(a.info.energy_without_entropy, -10.11111111);
  assert.equal(a.info.energy_sigma0, -10.11728395);
  assert.equal(a.arrays.efg, undefined);
  assert.equal(b.info.energy, -10.23456789);
  assert.equal(b.info.ionic_step, 2);
  assert.deepEqual([...b.positions.subarray(0, 3)], [0.01, -0.02, 0.03]);
});

test('outcar: LEFG tensors (V_xx V_yy V_zz V_xy V_xz V_yz → symmetric 3×3) and the diagonalised table', () => {
  const b = [...readOutcarFrames(FILE)][1];
  const efg = b.arrays.efg.data as Float64Array;
  // ion 1: V_xx −0.102, V_yy −0.102, V_zz 0.204, V_xy 0.011, V_xz −0.020, V_yz 0.030
  assert.deepEqual([...efg.subarray(0, 9)], [-0.102, 0.011, -0.02, 0.011, -0.102, 0.03, -0.02, 0.03, 0.204]);
  for (let i = 0; i < 4; i++) {
    const t = efg.subarray(9 * i, 9 * i + 9);
    assert.equal(t[1], t[3]); assert.equal(t[2], t[6]); assert.equal(t[5], t[7]);
  }
  assert.deepEqual([...(b.arrays.efg_principal.data as Float64Array).subarray(6, 9)], [0.4, -0.1, -2.1]);
  assert.deepEqual([...b.arrays.efg_eta.data], [0, 0.2, 0.2, 0.2]);
  assert.equal(b.info.efg_units, 'V/A^2');
});

test('outcar: fused fixed-format numbers, species option, and bad input', () => {
  const text = readFileSync(FILE, 'utf8');
  const fused = text.replace('       -0.012345      0.023456     -0.034567', '       -0.012345      0.023456-1234.034567');
  assert.equal(parseOutcar(fused)[0].arrays.forces.data[5], -1234.034567);
  const noTitel = text.replace(/ {3}TITEL {2}= [^\n]*\n/g, '');
  assert.throws(() => parseOutcar(noTitel, {}, 'OUTCAR'), isParse(/2 species/));
  assert.deepEqual(parseOutcar(noTitel, { species: ['Na', 'Cl'] })[0].species, ['Na', 'Na', 'Cl', 'Cl']);
  const cases: [string, RegExp][] = [
    [text.replace('        1.25000      1.50000      1.75000', '        1.25000      1.5x000      1.75000'), /OUTCAR:65: expected 6 numbers/],
    [text.slice(0, text.indexOf(' POSITION')), /at least one POSITION/],
    [text.replace('   ions per type =               2   2', '   ions per type =               2   2   1'), /3 species/],
    [text.replace('    4      -1.000     0.400', '    7      -1.000     0.400'), /ion 4 followed by 6 EFG components/],
    [text.replace('        3.75000      4.50000      5.25000        -0.100000     -0.200000      0.300000\n', ''), /OUTCAR:66: expected 6 numbers/],
  ];
  for (const [t, re] of cases) assert.throws(() => parseOutcar(t, {}, 'OUTCAR'), isParse(re), String(re));
});

test('outcar: only the principal-component table present', () => {
  const text = readFileSync(FILE, 'utf8');
  const start = text.indexOf(' Electric field gradients (V/A^2)');
  const end = text.indexOf(' Electric field gradients after diagonalization');
  const b = parseOutcar(text.slice(0, start) + text.slice(end))[1];
  assert.equal(b.arrays.efg, undefined);
  assert.deepEqual([...(b.arrays.efg_principal.data as Float64Array).subarray(0, 3)], [-0.1, -0.1, 0.2]);
  assert.equal(b.info.efg_units, 'V/A^2');
});
