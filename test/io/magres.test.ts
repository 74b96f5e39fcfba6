import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { readMagres, parseMagres } from '../../src/io/magres';
import { ParseError } from '../../src/core/errors';
import { EFG_AU_IN_V_PER_A2 } from '../../src/core/units';
import { FIXTURES, isParse } from './helpers';


test('magres: NaCl (CASTEP 24.1): 8 atoms, cubic cell, EFG zero at the cubic sites, shielding', () => {
  const s = readMagres(join(FIXTURES, 'nacl_soprano.magres'));
  assert.equal(s.species.length, 8);
  assert.deepEqual(s.species, ['Na', 'Na', 'Na', 'Na', 'Cl', 'Cl', 'Cl', 'Cl']);
  assert.deepEqual([...s.cell], [5.6399999999999935, 0, 0, 0, 5.6399999999999935, 0, 0, 0, 5.6399999999999935]);
  assert.deepEqual(s.pbc, [true, true, true]);
  const efg = s.arrays.efg.data as Float64Array;
  assert.equal(s.arrays.efg.width, 9);
  // efg Na 1 V_xx = -2.5169861990827056E-15 au
  assert.equal(efg[0], -2.5169861990827056e-15 * EFG_AU_IN_V_PER_A2);
  for (const v of efg) assert.ok(Math.abs(v) < 1e-11, 'cubic site: EFG vanishes');
  const ms = s.arrays.ms.data as Float64Array;
  assert.equal(ms[0], 4.3381922948278310e+02);
  assert.equal(ms[9 * 4 + 8], 9.9908456738907228e+02);
  assert.equal(s.info.efg_units, 'V/A^2');
  assert.equal(s.info.efg_units_in_file, 'au');
  assert.equal(s.info.ms_units, 'ppm');
  assert.equal(s.info.calc_code_version, '24.1');
  assert.deepEqual(s.info.calc_pspot, ['Na 2|1.3|14|16|18|20U:30:21(qc=7)', 'Cl 3|1.8|5|6|7|30:31:32']);
  assert.deepEqual(s.arrays.magres_label.data.slice(3, 5), ['Na', 'Cl']);
  assert.deepEqual([...(s.arrays.magres_index.data as Float64Array).subarray(3, 5)], [4, 1]);
});

test('magres: minimal <block> syntax with EFG in atomic units; a shielding-only file', () => {
  const s = readMagres(join(FIXTURES, 'test_efg_magresview.magres'));
  assert.deepEqual(s.species, ['O', 'O']);
  assert.deepEqual([...s.arrays.efg.data], [1, 0, 0, 0, 1, 0, 0, 0, -2, -0.5, 0, 0, 0, -0.5, 0, 0, 0, 1].map((x) => x * 97.1736));
  assert.deepEqual([...s.positions], [0.2, 0.5, 0.5, 0.7, 0.5, 0.5]);
  assert.deepEqual([...s.cell], [1, 0, 0, 0, 2, 0, 0, 0, 3]);
});

test('magres: bad input gives ParseErrors with lines', () => {
  const good = readFileSync(join(FIXTURES, 'test_efg_magresview.magres'), 'utf8');
  const cases: [string, RegExp][] = [
    [good.replace('units efg au', 'units efg MHz'), /m\.magres:14: expected efg in au/],
    [good.replace('  efg O 2 -.5 0 0 0 -.5 0 0 0 1\n', ''), /efg tensor for every atom/],
    [good.replace('efg O 2 -.5 0 0', 'efg O 3 -.5 0 0'), /efg tensor for an atom listed/],
    [good.replace('atom O O 2 0.7 0.5 0.5', 'atom O O 2 0.7 0.5'), /m\.magres:8: expected atom <species>/],
    [good.replace('atom O O 2 0.7', 'atom Qx O 2 0.7'), /element/],
    [good.replace('</magres>', ''), /end of block magres/],
    [good.replace('#$magres-abinitio-v1.0', '# nothing'), /magres-abinitio/],
    [good.replace('ms O 1 1 1 0 1 1 0 0 0 1', 'ms O 1 1 1 0 1 1 0 0 0 x'), /a ms component/],
  ];
  for (const [t, re] of cases) assert.throws(() => parseMagres(t, 'm.magres'), isParse(re), t);
});

test('magres: efg_local / efg_nonlocal tensors and sus are read and converted', () => {
  const text = '#$magres-abinitio-v1.0\n[atoms]\nunits atom Angstrom\natom Li Li 1 0 0 0\n[/atoms]\n[magres]\nunits efg_local au\nunits efg_nonlocal au\n' +
    'efg_local Li 1 1 0 0 0 -1 0 0 0 0\nefg_nonlocal Li 1 0 0 2 0 0 0 2 0 0\nunits sus 10^-6.cm^3.mol^-1\nsus 1 2 3 4 5 6 7 8 9\n[/magres]\n';
  const s = parseMagres(text);
  assert.deepEqual(s.pbc, [false, false, false]);
  assert.deepEqual([...s.arrays.efg_local.data], [1, 0, 0, 0, -1, 0, 0, 0, 0].map((x) => x * EFG_AU_IN_V_PER_A2));
  assert.deepEqual([...s.arrays.efg_nonlocal.data], [0, 0, 2, 0, 0, 0, 2, 0, 0].map((x) => x * EFG_AU_IN_V_PER_A2));
  assert.equal(s.info.efg_local_units, 'V/A^2');
  assert.deepEqual(s.info.sus, [1, 2, 3, 4, 5, 6, 7, 8, 9]);
});
