/** Contact checks: shortest distances per element pair (periodic images included) and the collapse guard. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createStructure } from '../../src/core/structure';
import { writeStructure } from '../../src/io/formats';
import { InputError } from '../../src/core/errors';
import { checkContacts, shortestDistances } from '../../src/study';

test('shortest distances see periodic images and name the pair', () => {
  const s = createStructure({ species: ['Li', 'S', 'S'], positions: new Float64Array([0.2, 0, 0, 9.7, 0, 0, 5, 5, 5]), cell: new Float64Array([10, 0, 0, 0, 10, 0, 0, 0, 10]), pbc: true });
  const d = shortestDistances(s);
  assert.ok(Math.abs(d['Li-S'] - 0.5) < 1e-12); // across the boundary: 0.2 + (10 − 9.7)
  assert.ok(!('S-S' in d)); // 7.1 Å apart: beyond the 4 Å cutoff
});

test('checkContacts throws on a collapsed structure and passes a sound one', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ufnmr-contacts-'));
  try {
    const cell = new Float64Array([10, 0, 0, 0, 10, 0, 0, 0, 10]);
    writeStructure(join(dir, 'bad.xyz'), createStructure({ species: ['Li', 'S'], positions: new Float64Array([1, 1, 1, 1.6, 1, 1]), cell, pbc: true }));
    writeStructure(join(dir, 'good.xyz'), createStructure({ species: ['Li', 'S'], positions: new Float64Array([1, 1, 1, 3.4, 1, 1]), cell, pbc: true }));
    assert.throws(() => checkContacts(join(dir, 'bad.xyz'), 1.0), (e: Error) => e instanceof InputError && /Li-S 0\.60 Å/.test(e.message));
    checkContacts(join(dir, 'good.xyz'), 1.0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
