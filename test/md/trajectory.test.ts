import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync, truncateSync, statSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TrajectoryWriter, TrajectoryReader, readTrajectory, TrajectoryFrame } from '../../src/io/trajectory';
import { InputError, ParseError } from '../../src/core/errors';
import { rng } from '../helpers/random';

const N = 5;
function frame(k: number): TrajectoryFrame {
  const u = rng(100 + k);
  const r = () => Float64Array.from({ length: 3 * N }, () => u() * 10 - 5);
  return { step: 10 * k, timeFs: 5 * k, cell: Float64Array.from({ length: 9 }, () => u()), scalars: { pe_eV: -k * 1.25, temp_K: 300 + k }, positions: r(), velocities: r(), forces: r() };
}
const init = {
  natoms: N, species: ['Li', 'Li', 'P', 'S', 'S'], pbc: [true, true, true] as [boolean, boolean, boolean], timestepFs: 0.5,
  fields: [{ name: 'positions' as const, dtype: 'f64' as const }, { name: 'velocities' as const, dtype: 'f64' as const }, { name: 'forces' as const, dtype: 'f32' as const }],
  scalars: ['pe_eV', 'temp_K'], provenance: { test: true },
};

test('trajectory: frames round-trip exactly (f64) and to float32 precision (f32), chunked, random access', () => {
  const dir = mkdtempSync(join(tmpdir(), 'traj-'));
  const p = join(dir, 'a.uftraj');
  const w = TrajectoryWriter.create(p, init, { chunkFrames: 3 });
  for (let k = 0; k < 10; k++) w.append(frame(k));
  w.close();
  const r = new TrajectoryReader(p);
  assert.equal(r.length, 10);
  assert.equal(r.tornTail, false);
  assert.deepEqual(r.header.species, init.species);
  for (const k of [7, 0, 9, 3]) {
    const a = r.frame(k), b = frame(k);
    assert.equal(a.step, b.step); assert.equal(a.timeFs, b.timeFs);
    assert.deepEqual(a.cell, b.cell); assert.deepEqual(a.positions, b.positions); assert.deepEqual(a.velocities, b.velocities);
    assert.deepEqual(a.forces, Float64Array.from(Float32Array.from(b.forces!)));
    assert.deepEqual(a.scalars, b.scalars);
  }
  r.close();
  assert.equal([...readTrajectory(p)].length, 10);
  assert.throws(() => TrajectoryWriter.create(p, init), InputError); // never replaces an existing file by default
});

test('trajectory: readable while being written; a torn or garbled last chunk is skipped', () => {
  const dir = mkdtempSync(join(tmpdir(), 'traj-'));
  const p = join(dir, 'b.uftraj');
  const w = TrajectoryWriter.create(p, init, { chunkFrames: 2 });
  const r = new TrajectoryReader(p);
  assert.equal(r.length, 0);
  for (let k = 0; k < 5; k++) w.append(frame(k));
  assert.equal(r.refresh(), 4); // two full chunks written, one frame buffered
  w.flush();
  assert.equal(r.refresh(), 5);
  w.close();
  r.close();
  const full = statSync(p).size;
  // torn write: the last chunk cut in the middle
  truncateSync(p, full - 17);
  let rr = new TrajectoryReader(p);
  assert.equal(rr.length, 4); assert.equal(rr.tornTail, true);
  assert.deepEqual(rr.frame(3).positions, frame(3).positions);
  rr.close();
  // same length but garbage in the last payload
  const bytes = readFileSync(p);
  bytes[bytes.length - 3] ^= 0xff;
  writeFileSync(p, bytes);
  rr = new TrajectoryReader(p);
  assert.equal(rr.length, 4);
  rr.close();
  // resume cuts the torn tail and appends after the good chunks
  const w2 = TrajectoryWriter.resume(p);
  assert.equal(w2.frameCount, 4);
  w2.append(frame(4)); w2.close();
  rr = new TrajectoryReader(p);
  assert.equal(rr.length, 5); assert.equal(rr.tornTail, false);
  assert.deepEqual(rr.frame(4).positions, frame(4).positions);
  rr.close();
  // trailing junk shorter than a chunk header
  appendFileSync(p, Buffer.from('CHN'));
  rr = new TrajectoryReader(p);
  assert.equal(rr.length, 5); assert.equal(rr.tornTail, true);
  rr.close();
});

test('trajectory: resume at a recorded byte length drops later frames', () => {
  const dir = mkdtempSync(join(tmpdir(), 'traj-'));
  const p = join(dir, 'c.uftraj');
  const w = TrajectoryWriter.create(p, init, { chunkFrames: 4 });
  for (let k = 0; k < 3; k++) w.append(frame(k));
  w.flush(true);
  const mark = w.bytes;
  for (let k = 3; k < 9; k++) w.append(frame(k));
  w.close();
  const w2 = TrajectoryWriter.resume(p, { keepBytes: mark });
  assert.equal(w2.frameCount, 3);
  w2.close();
  assert.equal(new TrajectoryReader(p).length, 3);
  assert.throws(() => TrajectoryWriter.resume(p, { keepBytes: mark + 1e6 }), InputError);
});

test('trajectory: bad files give ParseError/InputError', () => {
  const dir = mkdtempSync(join(tmpdir(), 'traj-'));
  const p = join(dir, 'bad.uftraj');
  writeFileSync(p, 'not a trajectory at all');
  assert.throws(() => new TrajectoryReader(p), ParseError);
  assert.throws(() => new TrajectoryReader(join(dir, 'missing.uftraj')), InputError);
  const q = join(dir, 'bad2.uftraj');
  assert.throws(() => TrajectoryWriter.create(q, { ...init, natoms: 3 }), ParseError);
});
