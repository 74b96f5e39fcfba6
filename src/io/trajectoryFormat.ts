/**
 * The ufnmr binary trajectory format (.uftraj): append-only, chunked, crash-tolerant.
 *
 *   bytes 0–7    magic "UFNTRJ01"
 *   bytes 8–11   uint32 LE: length H of the JSON header
 *   12 … 12+H    JSON header (UTF-8, space-padded so that the first chunk starts on a multiple of 8)
 *   then chunks, each:
 *     24-byte chunk header: "CHNK", uint32 frame count, uint32 payload bytes, uint32 CRC-32 of the payload,
 *                           uint32 CRC-32 of the preceding 16 header bytes, 4 bytes zero
 *     payload: frame records of a fixed size, little-endian
 *   frame record: float64 step, float64 time (fs), float64 cell[9] (Å, rows), float64 scalars[S]
 *                 (names in header.scalars), then per field in header.fields order 3N values
 *                 (float64 or float32): positions Å, velocities Å/fs, forces eV/Å.
 * A chunk whose bytes are incomplete or whose checksums do not match ends the readable trajectory
 * (a torn write after a crash); everything before it stays readable, also while a writer appends.
 */
import * as zlib from 'node:zlib';
import { ParseError } from '../core/errors';
import type { Pbc } from '../core/cell';

export const TRAJ_MAGIC = 'UFNTRJ01';
export const CHUNK_MAGIC = 'CHNK';
export const CHUNK_HEADER_BYTES = 24;

/** A per-atom vector field stored in frames. */
export type TrajField = 'positions' | 'velocities' | 'forces';
/** Storage precision of a field. */
export type TrajDtype = 'f64' | 'f32';

/** The JSON header of a trajectory file. */
export interface TrajectoryHeader {
  format: 'ufnmr-trajectory';
  version: 1;
  natoms: number;
  species: string[];
  pbc: Pbc;
  /** MD time step, fs (frames may be several steps apart). */
  timestepFs: number;
  /** Stored per-atom fields in record order, with their precision. */
  fields: { name: TrajField; dtype: TrajDtype }[];
  /** Per-frame scalars in record order (names carry units, e.g. "pe_eV", "temp_K"). */
  scalars: string[];
  units: Record<string, string>;
  /** Free-form: program, version, potential, config, start time … */
  provenance: Record<string, unknown>;
}

/** Fixed units of the format. */
export const TRAJ_UNITS = { length: 'Å', time: 'fs', velocity: 'Å/fs', force: 'eV/Å', energy: 'eV', cell: 'Å (rows = lattice vectors)' };

/** One frame as stored. */
export interface TrajectoryFrame {
  step: number;
  timeFs: number;
  cell: Float64Array;
  scalars: Record<string, number>;
  positions: Float64Array;
  velocities?: Float64Array;
  forces?: Float64Array;
}

/** Bytes of one frame record for a header. */
export function frameBytes(h: TrajectoryHeader): number {
  let b = 8 * (2 + 9 + h.scalars.length);
  for (const f of h.fields) b += 3 * h.natoms * (f.dtype === 'f64' ? 8 : 4);
  return b;
}

/** Encodes the file preamble (magic, length, padded JSON header). */
export function encodePreamble(h: TrajectoryHeader): Buffer {
  let json = Buffer.from(JSON.stringify(h), 'utf8');
  const pad = (8 - ((12 + json.length) % 8)) % 8;
  if (pad) json = Buffer.concat([json, Buffer.alloc(pad, 0x20)]);
  const out = Buffer.alloc(12 + json.length);
  out.write(TRAJ_MAGIC, 0, 'latin1');
  out.writeUInt32LE(json.length, 8);
  json.copy(out, 12);
  return out;
}

/** Parses and validates the preamble; returns the header and the offset of the first chunk. */
export function decodePreamble(buf: Buffer, file: string): { header: TrajectoryHeader; dataOffset: number } {
  if (buf.length < 12 || buf.toString('latin1', 0, 8) !== TRAJ_MAGIC) throw new ParseError({ file, array: 'preamble' }, `a ufnmr trajectory (magic ${TRAJ_MAGIC})`, buf.toString('latin1', 0, Math.min(8, buf.length)));
  const len = buf.readUInt32LE(8);
  if (12 + len > buf.length) throw new ParseError({ file, array: 'header' }, `a JSON header of ${len} bytes`, `${buf.length - 12} bytes`);
  let h: TrajectoryHeader;
  try {
    h = JSON.parse(buf.toString('utf8', 12, 12 + len));
  } catch (e) {
    throw new ParseError({ file, array: 'header' }, 'valid JSON', (e as Error).message);
  }
  validateHeader(h, file);
  return { header: h, dataOffset: 12 + len };
}

function validateHeader(h: TrajectoryHeader, file: string): void {
  const bad = (what: string, found: unknown) => new ParseError({ file, array: 'header' }, what, JSON.stringify(found));
  if (!h || h.format !== 'ufnmr-trajectory') throw bad('format "ufnmr-trajectory"', h?.format);
  if (h.version !== 1) throw bad('version 1', h.version);
  if (!Number.isInteger(h.natoms) || h.natoms < 1) throw bad('natoms ≥ 1', h.natoms);
  if (!Array.isArray(h.species) || h.species.length !== h.natoms || !h.species.every((s) => typeof s === 'string')) throw bad(`species: ${h.natoms} element symbols`, h.species?.length);
  if (!Array.isArray(h.pbc) || h.pbc.length !== 3) throw bad('pbc: three booleans', h.pbc);
  if (!(h.timestepFs > 0)) throw bad('timestepFs > 0', h.timestepFs);
  if (!Array.isArray(h.fields) || !h.fields.some((f) => f.name === 'positions')
    || !h.fields.every((f) => ['positions', 'velocities', 'forces'].includes(f.name) && (f.dtype === 'f64' || f.dtype === 'f32')))
    throw bad('fields: positions (+ velocities, forces) with dtype f64|f32', h.fields);
  if (!Array.isArray(h.scalars) || !h.scalars.every((s) => typeof s === 'string')) throw bad('scalars: names', h.scalars);
}

/** Writes one frame record into `dv` at byte offset `off`; returns the next offset. */
export function encodeFrame(h: TrajectoryHeader, fr: TrajectoryFrame, dv: DataView, off: number): number {
  dv.setFloat64(off, fr.step, true); off += 8;
  dv.setFloat64(off, fr.timeFs, true); off += 8;
  for (let k = 0; k < 9; k++, off += 8) dv.setFloat64(off, fr.cell[k], true);
  for (const s of h.scalars) { dv.setFloat64(off, fr.scalars[s] ?? NaN, true); off += 8; }
  const m = 3 * h.natoms;
  for (const f of h.fields) {
    const a = fr[f.name];
    if (!a || a.length !== m) throw new ParseError({ file: '(trajectory writer)', array: f.name }, `${m} values`, a ? String(a.length) : 'none');
    if (f.dtype === 'f64') for (let k = 0; k < m; k++, off += 8) dv.setFloat64(off, a[k], true);
    else for (let k = 0; k < m; k++, off += 4) dv.setFloat32(off, a[k], true);
  }
  return off;
}

/** Reads one frame record at byte offset `off` of `dv`. */
export function decodeFrame(h: TrajectoryHeader, dv: DataView, off: number): TrajectoryFrame {
  const step = dv.getFloat64(off, true), timeFs = dv.getFloat64(off + 8, true);
  off += 16;
  const cell = new Float64Array(9);
  for (let k = 0; k < 9; k++, off += 8) cell[k] = dv.getFloat64(off, true);
  const scalars: Record<string, number> = {};
  for (const s of h.scalars) { scalars[s] = dv.getFloat64(off, true); off += 8; }
  const fr: TrajectoryFrame = { step, timeFs, cell, scalars, positions: new Float64Array(0) };
  const m = 3 * h.natoms;
  for (const f of h.fields) {
    const a = new Float64Array(m);
    if (f.dtype === 'f64') for (let k = 0; k < m; k++, off += 8) a[k] = dv.getFloat64(off, true);
    else for (let k = 0; k < m; k++, off += 4) a[k] = dv.getFloat32(off, true);
    fr[f.name] = a;
  }
  return fr;
}

/** CRC-32 (IEEE) of bytes. */
export function crc32(b: Uint8Array): number {
  const native = (zlib as unknown as { crc32?: (d: Uint8Array) => number }).crc32;
  if (native) return native(b) >>> 0;
  let c = 0xffffffff;
  for (let i = 0; i < b.length; i++) c = CRC_TABLE[(c ^ b[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

const CRC_TABLE = (() => {
  const t = new Int32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c;
  }
  return t;
})();

/** Encodes the 24-byte chunk header for a payload. */
export function encodeChunkHeader(nframes: number, payload: Uint8Array): Buffer {
  const b = Buffer.alloc(CHUNK_HEADER_BYTES);
  b.write(CHUNK_MAGIC, 0, 'latin1');
  b.writeUInt32LE(nframes, 4);
  b.writeUInt32LE(payload.length, 8);
  b.writeUInt32LE(crc32(payload), 12);
  b.writeUInt32LE(crc32(b.subarray(0, 16)), 16);
  return b;
}

/** Decodes a chunk header; null when it is not a valid one (torn or garbage). */
export function decodeChunkHeader(b: Uint8Array): { nframes: number; payloadBytes: number; crc: number } | null {
  if (b.length < CHUNK_HEADER_BYTES) return null;
  const buf = Buffer.from(b.buffer, b.byteOffset, CHUNK_HEADER_BYTES);
  if (buf.toString('latin1', 0, 4) !== CHUNK_MAGIC) return null;
  if (crc32(buf.subarray(0, 16)) !== buf.readUInt32LE(16)) return null;
  return { nframes: buf.readUInt32LE(4), payloadBytes: buf.readUInt32LE(8), crc: buf.readUInt32LE(12) };
}
