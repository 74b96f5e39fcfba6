import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readFileSync, writeFileSync, existsSync, readdirSync } from 'node:fs';
import { encodeNpy, parseNpy, readNpy, readNpyRows, writeNpy, NpyWriter, NpyRowReader, NpyArray } from '../../src/io/npy';
import { ParseError } from '../../src/core/errors';
import { rng } from '../helpers/random';
import { tempDir, assertSameNumbers } from './helpers';

// Reference bytes written by numpy 1.26: np.save(f, np.arange(6, dtype='<f8').reshape(2, 3))
const NUMPY_HEADER = "\x93NUMPY\x01\x00v\x00{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }";

test('npy: parses a numpy-written header and data layout', () => {
  const head = Buffer.from(NUMPY_HEADER.padEnd(127, ' ') + '\n', 'latin1');
  assert.equal(head.length, 128);
  const data = Buffer.from(new Float64Array([0, 1, 2, 3, 4, 5]).buffer);
  const a = parseNpy(Buffer.concat([head, data]), 'np.npy');
  assert.equal(a.dtype, 'float64');
  assert.deepEqual(a.shape, [2, 3]);
  assert.deepEqual([...a.data], [0, 1, 2, 3, 4, 5]);
  // our encoder writes the same header for the same array
  const ours = encodeNpy(a);
  assert.deepEqual(Buffer.from(ours.subarray(0, 128)).toString('latin1'), head.toString('latin1'));
});

test('npy: round trips all dtypes, shapes (incl. 0-d, 1-d, empty), header v2', () => {
  const u = rng(11);
  const cases: NpyArray[] = [
    { dtype: 'float64', shape: [3, 4, 2], data: Float64Array.from({ length: 24 }, () => (u() - 0.5) * 1e10) },
    { dtype: 'float32', shape: [5], data: Float32Array.from({ length: 5 }, () => u()) },
    { dtype: 'int32', shape: [2, 2], data: Int32Array.from([-2147483648, 2147483647, 0, -1]) },
    { dtype: 'int64', shape: [3], data: BigInt64Array.from([-(2n ** 63n), 2n ** 63n - 1n, 7n]) },
    { dtype: 'float64', shape: [], data: Float64Array.from([Math.PI]) },
    { dtype: 'float64', shape: [0, 3], data: new Float64Array(0) },
  ];
  const { dir, cleanup } = tempDir();
  try {
    for (const [i, c] of cases.entries()) {
      const p = join(dir, `a${i}.npy`);
      writeNpy(p, c);
      const b = readNpy(p);
      assert.equal(b.dtype, c.dtype);
      assert.deepEqual(b.shape, c.shape);
      assert.deepEqual([...b.data], [...c.data]);
      assert.equal(readFileSync(p).length % 64, c.data.byteLength % 64);
    }
    // version 2.0 header (4-byte length)
    const body = "{'descr': '<i4', 'fortran_order': False, 'shape': (2,), }".padEnd(51, ' ') + '\n';
    const v2 = Buffer.concat([Buffer.from('\x93NUMPY\x02\x00', 'latin1'), Buffer.from([body.length, 0, 0, 0]), Buffer.from(body, 'latin1'), Buffer.from(new Int32Array([5, -6]).buffer)]);
    assert.deepEqual([...parseNpy(v2).data], [5, -6]);
  } finally {
    cleanup();
  }
});

test('npy: NpyWriter appends rows in chunks and patches the header; readNpyRows reads only the rows asked for', () => {
  const u = rng(5);
  const { dir, cleanup } = tempDir();
  try {
    const p = join(dir, 'series.npy');
    const w = new NpyWriter(p, { dtype: 'float64', rowShape: [4, 3, 3] });
    const all: number[] = [];
    for (let chunk = 0; chunk < 7; chunk++) {
      const rows = 1 + Math.floor(u() * 5);
      const vals = Array.from({ length: rows * 36 }, () => u() - 0.5);
      all.push(...vals);
      w.append(vals);
      assert.equal(existsSync(p), false, 'nothing at the target before close');
    }
    assert.throws(() => w.append([1, 2]), /whole number of rows/);
    w.close();
    assert.deepEqual(readdirSync(dir), ['series.npy'], 'no temporary files left');
    const a = readNpy(p);
    assert.deepEqual(a.shape, [all.length / 36, 4, 3, 3]);
    assertSameNumbers(a.data as Float64Array, all, 'all rows');
    const r = new NpyRowReader(p);
    assert.equal(r.rows, all.length / 36);
    for (const [s, c] of [[0, 1], [2, 3], [r.rows - 1, 1], [0, r.rows], [3, 0]]) {
      const part = readNpyRows(p, s, c);
      assert.deepEqual(part.shape, [c, 4, 3, 3]);
      assertSameNumbers(part.data as Float64Array, all.slice(s * 36, (s + c) * 36), `rows ${s}+${c}`);
    }
    assert.throws(() => r.read(r.rows, 1), /outside/);
    r.close();
    // aborting leaves an existing file untouched
    const w2 = new NpyWriter(p, { dtype: 'int32', rowShape: [] });
    w2.append([1, 2, 3]);
    w2.abort();
    assert.deepEqual(readNpy(p).shape, [all.length / 36, 4, 3, 3]);
    assert.deepEqual(readdirSync(dir), ['series.npy']);
  } finally {
    cleanup();
  }
});

test('npy: malformed files are ParseErrors', () => {
  const good = Buffer.from(encodeNpy({ dtype: 'float64', shape: [2, 2], data: new Float64Array(4) }));
  const bad: [Buffer, RegExp][] = [
    [good.subarray(0, good.length - 1), /32 data bytes/],
    [Buffer.concat([good, Buffer.alloc(8)]), /32 data bytes/],
    [Buffer.from(good.toString('latin1').replace('<f8', '>f8'), 'latin1'), /little-endian/],
    [Buffer.from(good.toString('latin1').replace("'fortran_order': False", "'fortran_order': True "), 'latin1'), /C order/],
    [Buffer.from(good.toString('latin1').replace('NUMPY', 'NUMPZ'), 'latin1'), /magic/],
    [Buffer.from(good.toString('latin1').replace('(2, 2)', '(2, x)'), 'latin1'), /dimensions/],
    [good.subarray(0, 20), /header of/],
  ];
  const { dir, cleanup } = tempDir();
  try {
    for (const [i, [buf, re]] of bad.entries()) {
      assert.throws(() => parseNpy(buf, 'b.npy'), (e: unknown) => e instanceof ParseError && re.test((e as Error).message), `case ${i}`);
      const p = join(dir, `b${i}.npy`);
      writeFileSync(p, buf);
      assert.throws(() => readNpy(p), (e: unknown) => e instanceof ParseError && re.test((e as Error).message), `file case ${i}`);
    }
  } finally {
    cleanup();
  }
});

test('npy: reads files written by numpy itself (int64 3×4, float32 2×3)', () => {
  const a = readNpy(join(__dirname, '..', 'fixtures', 'io', 'numpy_int64_3x4.npy'));
  assert.equal(a.dtype, 'int64');
  assert.deepEqual(a.shape, [3, 4]);
  assert.deepEqual(Array.from(a.data, Number), Array.from({ length: 12 }, (_, i) => (i === 0 ? 0 : -3 * i)));
  const b = readNpy(join(__dirname, '..', 'fixtures', 'io', 'numpy_float32_2x3.npy'));
  assert.equal(b.dtype, 'float32');
  // numpy: (np.arange(6, dtype='<f4') / 7).tolist()
  assert.deepEqual([...b.data], [0.0, 0.1428571492433548, 0.2857142984867096, 0.4285714328289032, 0.5714285969734192, 0.7142857313156128]);
});
