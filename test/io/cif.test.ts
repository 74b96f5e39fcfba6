import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readCif, parseCif, formatCif, writeCif } from '../../src/io/cif';
import { parseSymOp } from '../../src/io/symmetry-operations';
import { ParseError } from '../../src/core/errors';
import { scaledPositions, createStructure } from '../../src/core/structure';
import { cellFromParameters } from '../../src/core/cell';
import { rng } from '../helpers/random';
import { FIXTURES, tempDir, assertClose, randomStructure, isParse } from './helpers';


test('cif: GEMDAT Li sites expand (Pnma, 8 operations) to 8d ×8, 4b ×4, 4c ×4 with labels', () => {
  const s = readCif(join(FIXTURES, 'beta-Li3PS4_Li-sites_GEMDAT.cif'));
  assert.equal(s.species.length, 16);
  assert.ok(s.species.every((e) => e === 'Li'));
  const labels = s.arrays.site_label.data as string[];
  assert.deepEqual(labels, [...Array(8).fill('8d'), ...Array(4).fill('4b'), ...Array(4).fill('4c')]);
  assert.deepEqual([...s.cell], [12.819, 0, 0, 0, 8.2195, 0, 0, 0, 6.1236]);
  assert.equal(s.info.symmetry_operations, 8);
  assert.equal(s.info.partial_occupancy, false);
  assert.equal(s.info.spacegroup, 'P n m a');
  assert.equal(s.info.cif_warnings, undefined, 'multiplicities agree with the expansion');
  const f = scaledPositions(s);
  // first image is the identity: (0.3562, 0.013, 0.439)
  assertClose(f.subarray(0, 3), [0.3562, 0.013, 0.439], 1e-15, '8d first image');
  // every expanded 8d image matches one of the 8 Li on 8d in the independent P1 cell (Chen 2025 frame 0)
  const ref = readCif(join(FIXTURES, 'beta-Li3PS4_ordered_8d4b_Pnma_from-Chen2025-frame0.cif'));
  const rf = scaledPositions(ref);
  for (let i = 0; i < 12; i++) {
    let best = Infinity;
    for (let j = 0; j < 12; j++) {
      let d = 0;
      for (let k = 0; k < 3; k++) { const x = f[3 * i + k] - rf[3 * j + k]; d = Math.max(d, Math.abs(x - Math.round(x))); }
      best = Math.min(best, d);
    }
    assert.ok(best < 2e-3, `Li ${i} (${labels[i]}) has no partner in the P1 cell (${best})`);
  }
});

test('cif: ordered P1 fixture: 32 atoms, labels, formula', () => {
  const s = readCif(join(FIXTURES, 'beta-Li3PS4_ordered_8d4b_Pnma_from-Chen2025-frame0.cif'));
  assert.equal(s.species.length, 32);
  assert.equal(s.species.filter((e) => e === 'S').length, 16);
  assert.equal((s.arrays.site_label.data as string[])[12], 'P1');
  assert.equal(s.info.cif_block, 'image0');
});

test('cif: symmetry operation syntax', () => {
  const w = { file: 'x' };
  const op = parseSymOp(' -x+y , 1/2+z,0.25-y*2 ', w);
  assert.deepEqual([...op.rotation], [-1, 1, 0, 0, 0, 1, 0, -2, 0]);
  assert.deepEqual([...op.translation], [0, 0.5, 0.25]);
  assert.deepEqual([...parseSymOp('X-1/3,Y,Z', w).translation], [-1 / 3, 0, 0]);
  assert.throws(() => parseSymOp('x,y', w), ParseError);
  assert.throws(() => parseSymOp('x,y,q', w), ParseError);
  assert.throws(() => parseSymOp('x,y,z+', w), ParseError);
});

test('cif: inversion merges a site on the centre; single (non-loop) operations; labels → elements; partial occupancy; text fields; Cartesian sites', () => {
  const text = `# comment
data_test
_cell_length_a 4.0(1)
_cell_length_b 5
_cell_length_c 6
_cell_angle_alpha 90
_cell_angle_beta 100.0
_cell_angle_gamma 90
_publ_section_title
;
A title; with "quotes"
;
loop_
_symmetry_equiv_pos_as_xyz
'x, y, z'
"-x, -y, -z"
loop_
_atom_site_label
_atom_site_fract_x
_atom_site_fract_y
_atom_site_fract_z
_atom_site_occupancy
Li1 0 0 0 1
S2a 0.25 0.1 0.2 0.5
P3 0.5 0.5 0.5 .
`;
  const s = parseCif(text, {}, 't.cif');
  assert.deepEqual(s.species, ['Li', 'S', 'S', 'P']);
  assert.deepEqual(s.arrays.site_label.data, ['Li1', 'S2a', 'S2a', 'P3']);
  assert.deepEqual([...s.arrays.occupancy.data], [1, 0.5, 0.5, 1]);
  assert.equal(s.info.partial_occupancy, true);
  assertClose(s.cell, cellFromParameters(4, 5, 6, 90, 100, 90), 0, 'cell');
  assertClose(scaledPositions(s).subarray(6, 9), [0.75, 0.9, 0.8], 1e-15, 'inverted image');
  const single = text.replace("loop_\n_symmetry_equiv_pos_as_xyz\n'x, y, z'\n\"-x, -y, -z\"", "_space_group_symop_operation_xyz 'x, y, z'");
  assert.equal(parseCif(single).species.length, 3);
  const cart = 'data_c\n_cell_length_a 10\n_cell_length_b 10\n_cell_length_c 10\nloop_\n_atom_site_type_symbol\n_atom_site_Cartn_x\n_atom_site_Cartn_y\n_atom_site_Cartn_z\nLi+ 1 2 3\n';
  const c = parseCif(cart);
  assert.deepEqual(c.species, ['Li']);
  assertClose(c.positions, [1, 2, 3], 1e-15, 'Cartesian site');
});

test('cif: P1 round trip (read → write → read) agrees to 1e-12 Å; random triclinic structures too', () => {
  const { dir, cleanup } = tempDir();
  try {
    for (const f of ['beta-Li3PS4_Li-sites_GEMDAT.cif', 'beta-Li3PS4_ordered_8d4b_Pnma_from-Chen2025-frame0.cif']) {
      const s = readCif(join(FIXTURES, f));
      const p = join(dir, 'out.cif');
      writeCif(p, s);
      const b = readCif(p);
      assert.deepEqual(b.species, s.species);
      assert.deepEqual(b.arrays.site_label.data, s.arrays.site_label.data);
      assertClose(b.cell, s.cell, 1e-12, 'cell');
      assertClose(b.positions, s.positions, 1e-12, 'positions');
    }
    const u = rng(9);
    for (let t = 0; t < 5; t++) {
      const r = randomStructure(u, 7);
      // CIF fixes the orientation (a along x, b in xy): compare a structure already in that orientation
      const cell = cellFromParameters(5 + u(), 6 + u(), 7 + u(), 70 + 40 * u(), 70 + 40 * u(), 70 + 40 * u());
      const frac = Float64Array.from({ length: 21 }, () => u());
      const positions = new Float64Array(21);
      for (let i = 0; i < 7; i++) for (let k = 0; k < 3; k++) positions[3 * i + k] = frac[3 * i] * cell[k] + frac[3 * i + 1] * cell[3 + k] + frac[3 * i + 2] * cell[6 + k];
      const std = createStructure({ species: r.species, positions, cell });
      const b = parseCif(formatCif(std));
      assertClose(b.cell, std.cell, 1e-12, 'cell');
      assertClose(b.positions, std.positions, 1e-12, 'positions');
    }
  } finally {
    cleanup();
  }
});

test('cif: bad input gives ParseErrors with lines', () => {
  const base = 'data_x\n_cell_length_a 4\n_cell_length_b 4\n_cell_length_c 4\nloop_\n_atom_site_label\n_atom_site_fract_x\n_atom_site_fract_y\n_atom_site_fract_z\nLi1 0 0 0\n';
  assert.equal(parseCif(base).species.length, 1);
  const cases: [string, RegExp][] = [
    [base.replace('_cell_length_b 4\n', ''), /_cell_length_b/],
    [base.replace('Li1 0 0 0', 'Li1 0 0'), /c\.cif:5: expected a multiple of 4 values/],
    [base.replace('Li1 0 0 0', 'Li1 0 x 0'), /c\.cif:10: expected a number for coordinate y/],
    [base.replace('Li1 0 0 0', 'Qq1 0 0 0'), /c\.cif:10: expected an element/],
    [base.replace('_cell_length_a 4', "_cell_length_a 'oops"), /closing '/],
    [base + "_symmetry_equiv_pos_as_xyz 'x,y'\n", /symmetry operation/],
    [base.replace('_cell_length_a 4', '_cell_length_a 4\n_cell_angle_gamma 180'), /consistent cell parameters/],
    ['# nothing\n', /a data_ block/],
  ];
  for (const [t, re] of cases) assert.throws(() => parseCif(t, {}, 'c.cif'), isParse(re), t);
  assert.throws(() => formatCif(createStructure({ species: ['Li'], positions: [0, 0, 0] })), /periodic/);
});
