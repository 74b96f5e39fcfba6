/**
 * Writer and reader of the ufnmr binary trajectory format (see trajectoryFormat.ts for the layout).
 * The writer buffers frames into chunks and appends each chunk with a single write; `flush(true)`
 * also fsyncs (checkpoints do). The reader indexes chunks lazily, can be refreshed while a writer is
 * appending, and stops at a torn or corrupt last chunk (reported in `tornTail`).
 */
import { closeSync, existsSync, fstatSync, fsyncSync, ftruncateSync, openSync, readSync, writeSync } from 'node:fs';
import { InputError, ParseError } from '../core/errors';
import { writeFileAtomic } from './atomic';
import {
  CHUNK_HEADER_BYTES, TRAJ_UNITS, TrajectoryFrame, TrajectoryHeader, decodeChunkHeader, decodeFrame, decodePreamble, encodeChunkHeader,
  encodeFrame, encodePreamble, frameBytes, crc32,
} from './trajectoryFormat';

export * from './trajectoryFormat';

/** Header fields a caller provides; format, version and units are filled in. */
export type TrajectoryHeaderInit = Omit<TrajectoryHeader, 'format' | 'version' | 'units'> & { units?: Record<string, string> };

/** Options of {@link TrajectoryWriter.create}. */
export interface TrajectoryWriterOptions {
  /** Frames per chunk (default 16). */
  chunkFrames?: number;
  /** Replace an existing file (default false: refuse). */
  overwrite?: boolean;
}

/** Appends frames to a .uftraj file. */
export class TrajectoryWriter {
  readonly header: TrajectoryHeader;
  private fd: number;
  private readonly recordBytes: number;
  private readonly chunkFrames: number;
  private buf: Buffer;
  private pendingFrames = 0;
  private size: number;
  private frames: number;

  private constructor(readonly path: string, header: TrajectoryHeader, fd: number, size: number, frames: number, chunkFrames: number) {
    this.header = header;
    this.fd = fd;
    this.recordBytes = frameBytes(header);
    this.chunkFrames = chunkFrames;
    this.buf = Buffer.alloc(this.recordBytes * chunkFrames);
    this.size = size;
    this.frames = frames;
  }

  /** A new trajectory file (the header is written atomically). Refuses to replace a file unless overwrite. */
  static create(path: string, init: TrajectoryHeaderInit, opts: TrajectoryWriterOptions = {}): TrajectoryWriter {
    const header: TrajectoryHeader = { format: 'ufnmr-trajectory', version: 1, ...init, units: { ...TRAJ_UNITS, ...(init.units ?? {}) } };
    const pre = encodePreamble(header);
    decodePreamble(pre, path); // validates the header
    if (existsSync(path) && !opts.overwrite) throw new InputError(`${path} exists; remove it, resume the run, or allow overwriting`);
    writeFileAtomic(path, pre);
    const fd = openSync(path, 'r+');
    return new TrajectoryWriter(path, header, fd, pre.length, 0, checkChunk(opts.chunkFrames));
  }

  /**
   * Reopens an existing trajectory for appending after `keepBytes` bytes (a length recorded by
   * {@link bytes} at a checkpoint; default: everything readable). Later bytes are cut off.
   */
  static resume(path: string, opts: { keepBytes?: number; chunkFrames?: number } = {}): TrajectoryWriter {
    const r = new TrajectoryReader(path);
    const keep = opts.keepBytes ?? r.validBytes;
    if (!Number.isInteger(keep) || keep > r.validBytes || keep < r.dataOffset)
      throw new InputError(`${path}: cannot resume at byte ${keep}; the readable trajectory ends at byte ${r.validBytes}`);
    const frames = r.framesBefore(keep);
    r.close();
    const fd = openSync(path, 'r+');
    ftruncateSync(fd, keep);
    fsyncSync(fd);
    return new TrajectoryWriter(path, r.header, fd, keep, frames, checkChunk(opts.chunkFrames));
  }

  /** Adds a frame (buffered; a full chunk is written immediately). */
  append(fr: TrajectoryFrame): void {
    if (this.fd < 0) throw new InputError(`${this.path}: append after close`);
    encodeFrame(this.header, fr, new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.length), this.pendingFrames * this.recordBytes);
    this.pendingFrames++;
    this.frames++;
    if (this.pendingFrames >= this.chunkFrames) this.flush();
  }

  /** Writes buffered frames as one chunk; with sync, also fsyncs the file. */
  flush(sync = false): void {
    if (this.fd < 0) return;
    if (this.pendingFrames > 0) {
      const payload = this.buf.subarray(0, this.pendingFrames * this.recordBytes);
      const chunk = Buffer.concat([encodeChunkHeader(this.pendingFrames, payload), payload]);
      let off = 0;
      while (off < chunk.length) off += writeSync(this.fd, chunk, off, chunk.length - off, this.size + off);
      this.size += chunk.length;
      this.pendingFrames = 0;
    }
    if (sync) fsyncSync(this.fd);
  }

  /** File length in bytes after the last flush (frames still buffered are not included). */
  get bytes(): number {
    return this.size;
  }

  /** Frames appended so far (including buffered ones). */
  get frameCount(): number {
    return this.frames;
  }

  /** Flushes, fsyncs and closes. */
  close(): void {
    if (this.fd < 0) return;
    this.flush(true);
    closeSync(this.fd);
    this.fd = -1;
  }
}

function checkChunk(n: number | undefined): number {
  const c = n ?? 16;
  if (!Number.isInteger(c) || c < 1 || c > 1 << 20) throw new InputError(`chunkFrames must be an integer 1–1048576, got ${n}`);
  return c;
}

interface ChunkInfo { offset: number; nframes: number; firstFrame: number }

/** Random-access reader of a .uftraj file; tolerant of a torn last chunk. */
export class TrajectoryReader {
  readonly header: TrajectoryHeader;
  readonly dataOffset: number;
  private fd: number;
  private readonly recordBytes: number;
  private chunks: ChunkInfo[] = [];
  private scanned: number;
  private nframes = 0;
  /** True when bytes after the last good chunk were found (torn or corrupt tail; skipped). */
  tornTail = false;
  private cache: { chunk: number; data: DataView } | null = null;

  constructor(readonly path: string) {
    if (!existsSync(path)) throw new InputError(`trajectory ${path} does not exist`);
    this.fd = openSync(path, 'r');
    const size = fstatSync(this.fd).size;
    const head = Buffer.alloc(Math.min(size, 12));
    readSync(this.fd, head, 0, head.length, 0);
    if (head.length < 12) throw new ParseError({ file: path, array: 'preamble' }, 'at least 12 bytes', `${size}`);
    const len = head.readUInt32LE(8);
    if (len > 1 << 30) throw new ParseError({ file: path, array: 'header' }, 'a header shorter than 1 GiB', String(len));
    const pre = Buffer.alloc(Math.min(size, 12 + len));
    readSync(this.fd, pre, 0, pre.length, 0);
    const { header, dataOffset } = decodePreamble(pre, path);
    this.header = header;
    this.dataOffset = dataOffset;
    this.recordBytes = frameBytes(header);
    this.scanned = dataOffset;
    this.refresh();
  }

  /** Indexes chunks appended since the last call; returns the number of readable frames. */
  refresh(): number {
    const size = fstatSync(this.fd).size;
    const hb = Buffer.alloc(CHUNK_HEADER_BYTES);
    this.tornTail = false;
    while (this.scanned + CHUNK_HEADER_BYTES <= size) {
      readSync(this.fd, hb, 0, CHUNK_HEADER_BYTES, this.scanned);
      const ch = decodeChunkHeader(hb);
      if (!ch || ch.nframes < 1 || ch.payloadBytes !== ch.nframes * this.recordBytes) { this.tornTail = true; break; }
      const end = this.scanned + CHUNK_HEADER_BYTES + ch.payloadBytes;
      if (end > size) { this.tornTail = true; break; }
      if (end === size || !this.nextLooksValid(end, size)) {
        // the last chunk (where a crash tears writes): check its payload now
        const payload = Buffer.alloc(ch.payloadBytes);
        readSync(this.fd, payload, 0, payload.length, this.scanned + CHUNK_HEADER_BYTES);
        if (crc32(payload) !== ch.crc) { this.tornTail = true; break; }
      }
      this.chunks.push({ offset: this.scanned, nframes: ch.nframes, firstFrame: this.nframes });
      this.nframes += ch.nframes;
      this.scanned = end;
    }
    if (this.scanned < size && !this.tornTail) this.tornTail = true;
    return this.nframes;
  }

  private nextLooksValid(off: number, size: number): boolean {
    if (off + CHUNK_HEADER_BYTES > size) return false;
    const hb = Buffer.alloc(CHUNK_HEADER_BYTES);
    readSync(this.fd, hb, 0, CHUNK_HEADER_BYTES, off);
    return decodeChunkHeader(hb) !== null;
  }

  /** Number of readable frames. */
  get length(): number {
    return this.nframes;
  }

  /** Bytes up to the end of the last good chunk. */
  get validBytes(): number {
    return this.scanned;
  }

  /** Frames stored in the chunks that end at or before byte `bytes`. */
  framesBefore(bytes: number): number {
    let n = 0;
    for (const c of this.chunks) if (c.offset + CHUNK_HEADER_BYTES + c.nframes * this.recordBytes <= bytes) n += c.nframes;
    return n;
  }

  /** Frame i (0-based). Throws ParseError when its chunk is corrupt. */
  frame(i: number): TrajectoryFrame {
    if (!Number.isInteger(i) || i < 0 || i >= this.nframes) throw new InputError(`${this.path}: frame ${i} out of range (0–${this.nframes - 1})`);
    let lo = 0, hi = this.chunks.length - 1;
    while (lo < hi) { const mid = (lo + hi + 1) >> 1; if (this.chunks[mid].firstFrame <= i) lo = mid; else hi = mid - 1; }
    const c = this.chunks[lo];
    if (!this.cache || this.cache.chunk !== lo) {
      const payload = Buffer.alloc(c.nframes * this.recordBytes);
      readSync(this.fd, payload, 0, payload.length, c.offset + CHUNK_HEADER_BYTES);
      const hb = Buffer.alloc(CHUNK_HEADER_BYTES);
      readSync(this.fd, hb, 0, CHUNK_HEADER_BYTES, c.offset);
      const ch = decodeChunkHeader(hb);
      if (!ch || crc32(payload) !== ch.crc) throw new ParseError({ file: this.path, array: `chunk at byte ${c.offset}` }, 'a payload matching its CRC-32', 'corrupt data');
      this.cache = { chunk: lo, data: new DataView(payload.buffer, payload.byteOffset, payload.length) };
    }
    return decodeFrame(this.header, this.cache.data, (i - c.firstFrame) * this.recordBytes);
  }

  /** Frames start, start+stride, … < end, read one at a time. */
  *frames(start = 0, end = this.nframes, stride = 1): Generator<TrajectoryFrame> {
    if (!(Number.isInteger(stride) && stride >= 1)) throw new InputError(`stride must be a positive integer, got ${stride}`);
    for (let i = start; i < Math.min(end, this.nframes); i += stride) yield this.frame(i);
  }

  /** Closes the file. */
  close(): void {
    if (this.fd >= 0) { closeSync(this.fd); this.fd = -1; }
  }
}

/** Reads every readable frame of a trajectory file, one at a time. */
export function* readTrajectory(path: string): Generator<TrajectoryFrame> {
  const r = new TrajectoryReader(path);
  try {
    yield* r.frames();
  } finally {
    r.close();
  }
}
