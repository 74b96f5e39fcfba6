import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readFileSync, writeFileSync, readdirSync, mkdirSync } from 'node:fs';
import { writeFileAtomic, withAtomicFile, replaceDirectoryAtomic } from '../../src/io/atomic';
import { tempDir } from './helpers';

test('atomic: a failing writer leaves the old file and no temporary behind', () => {
  const { dir, cleanup } = tempDir();
  try {
    const p = join(dir, 'out.txt');
    writeFileAtomic(p, 'good\n');
    assert.throws(() => withAtomicFile(p, (f) => { f.write('half'); throw new Error('boom'); }), /boom/);
    assert.equal(readFileSync(p, 'utf8'), 'good\n');
    assert.deepEqual(readdirSync(dir), ['out.txt']);
    // big writes flush in pieces and still land whole
    const big = 'x'.repeat(3 << 20);
    withAtomicFile(p, (f) => { f.write(big); f.write(Buffer.from('yz')); f.write('!'); });
    assert.equal(readFileSync(p, 'utf8'), big + 'yz!');
    assert.throws(() => writeFileAtomic(join(dir, 'missing', 'a.txt'), 'x'), /does not exist/);
  } finally {
    cleanup();
  }
});

test('atomic: replaceDirectoryAtomic swaps a directory only when filling succeeds', () => {
  const { dir, cleanup } = tempDir();
  try {
    const d = join(dir, 'sys');
    mkdirSync(d);
    writeFileSync(join(d, 'old.raw'), 'old');
    assert.throws(() => replaceDirectoryAtomic(d, (t) => { writeFileSync(join(t, 'new.raw'), 'new'); throw new Error('fail'); }), /fail/);
    assert.deepEqual(readdirSync(d), ['old.raw']);
    replaceDirectoryAtomic(d, (t) => writeFileSync(join(t, 'new.raw'), 'new'));
    assert.deepEqual(readdirSync(d), ['new.raw']);
    assert.deepEqual(readdirSync(dir), ['sys']);
  } finally {
    cleanup();
  }
});
