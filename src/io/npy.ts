/**
 * NumPy .npy files (format versions 1–3): float64, float32, int32 and int64, little-endian, C order,
 * any shape. Whole-array read/write, a row reader that reads only the requested rows along axis 0 from
 * disk, and an appending {@link NpyWriter} that streams rows to disk and patches the header shape on close.
 */
import { closeSync, fstatSync, openSync, readSync, writeSync } from 'node:fs';
import { endianness } from 'node:os';
import { InputError, ParseError } from '../core/errors';
import { AtomicFile, writeFileAtomic } from './atomic';

/** Element types supported by the .npy reader and writers. */
export type NpyDtype = 'float64' | 'float32' | 'int32' | 'int64';
/** Typed array holding the data of each dtype (int64 as BigInt64Array, exactly). */
export type NpyData = Float64Array | Float32Array | Int32Array | BigInt64Array;

/** An n-dimensional array in C order. */
export interface NpyArray {
  dtype: NpyDtype;
  shape: number[];
  data: NpyData;
}

const DESCR: Record<string, NpyDtype> = { '<f8': 'float64', '<f4': 'float32', '<i4': 'int32', '<i8': 'int64' };
const DESCR_OF: Record<NpyDtype, string> = { float64: '<f8', float32: '<f4', int32: '<i4', int64: '<i8' };
const ITEMSIZE: Record<NpyDtype, number> = { float64: 8, float32: 4, int32: 4, int64: 8 };
const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

if (endianness() !== 'LE') throw new Error('ufnmr .npy support assumes a little-endian host');

/** Bytes per element of a dtype. */
export function itemSize(dtype: NpyDtype): number {
  return ITEMSIZE[dtype];
}

/** Parsed .npy header. */
export interface NpyHeader {
  dtype: NpyDtype;
  shape: number[];
  /** Offset of the data in the file (bytes). */
  dataOffset: number;
}

/** Product of a shape (1 for a scalar). */
export function shapeSize(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** Parses the header at the start of `buf` (which must hold at least the whole header). */
export function parseNpyHeader(buf: Uint8Array, name: string): NpyHeader {
  const fail = (what: string, found?: string): never => { throw new ParseError({ file: name, array: 'header' }, what, found); };
  if (buf.length < 10 || MAGIC.some((b, i) => buf[i] !== b)) fail('the .npy magic string \\x93NUMPY');
  const major = buf[6];
  let len: number, start: number;
  if (major === 1) { len = buf[8] | (buf[9] << 8); start = 10; }
  else if (major === 2 || major === 3) {
    if (buf.length < 12) fail('a complete .npy header');
    len = (buf[8] | (buf[9] << 8) | (buf[10] << 16)) + buf[11] * 16777216; start = 12;
  } else return fail('.npy format version 1, 2 or 3', String(major));
  if (start + len > buf.length) fail(`a header of ${len} bytes`, `${buf.length - start} bytes`);
  const text = Buffer.from(buf.buffer, buf.byteOffset + start, len).toString(major === 3 ? 'utf8' : 'latin1').trim();
  if (!text.startsWith('{') || !text.endsWith('}')) fail('a header dictionary {...}', text.slice(0, 40));
  const descr = /['"]descr['"]\s*:\s*['"]([^'"]*)['"]/.exec(text)?.[1];
  const fortran = /['"]fortran_order['"]\s*:\s*(True|False)/.exec(text)?.[1];
  const shapeText = /['"]shape['"]\s*:\s*\(([^)]*)\)/.exec(text)?.[1];
  if (descr === undefined) fail("a 'descr' entry in the header", text.slice(0, 60));
  const dtype = DESCR[descr!] ?? fail('dtype <f8, <f4, <i4 or <i8 (little-endian float64/float32/int32/int64)', descr);
  if (fortran !== 'False') fail("'fortran_order': False (C order)", fortran ?? 'nothing');
  if (shapeText === undefined) fail("a 'shape' tuple in the header", text.slice(0, 60));
  const dims = shapeText!.split(',').map((x) => x.trim()).filter((x) => x !== '');
  const shape = dims.map((d) => {
    if (!/^\d+$/.test(d)) fail('non-negative integer dimensions in shape', shapeText);
    const v = Number(d);
    if (!Number.isSafeInteger(v)) fail('a dimension below 2^53', d);
    return v;
  });
  return { dtype, shape, dataOffset: start + len };
}

function typedFromBytes(dtype: NpyDtype, bytes: Uint8Array, count: number): NpyData {
  const copy = new Uint8Array(count * ITEMSIZE[dtype]);
  copy.set(bytes.subarray(0, copy.length));
  switch (dtype) {
    case 'float64': return new Float64Array(copy.buffer);
    case 'float32': return new Float32Array(copy.buffer);
    case 'int32': return new Int32Array(copy.buffer);
    case 'int64': return new BigInt64Array(copy.buffer);
  }
}

/** Parses a whole .npy file held in memory. */
export function parseNpy(buf: Uint8Array, name = '<buffer>'): NpyArray {
  const h = parseNpyHeader(buf, name);
  const count = shapeSize(h.shape);
  const need = count * ITEMSIZE[h.dtype];
  const have = buf.length - h.dataOffset;
  if (have !== need) throw new ParseError({ file: name, array: 'data' }, `${need} data bytes for shape (${h.shape.join(', ')}) ${h.dtype}`, `${have} bytes`);
  return { dtype: h.dtype, shape: h.shape, data: typedFromBytes(h.dtype, buf.subarray(h.dataOffset), count) };
}

/** Reads a whole .npy file. */
export function readNpy(path: string): NpyArray {
  const r = new NpyRowReader(path);
  try {
    return r.read(0, r.rows);
  } finally {
    r.close();
  }
}

/**
 * Random access to the rows (axis 0) of a .npy file without loading it: `read(start, count)` reads
 * just those rows from disk. Keeps the file open until close().
 */
export class NpyRowReader {
  readonly dtype: NpyDtype;
  /** Full shape of the stored array. */
  readonly shape: number[];
  /** Number of rows (shape[0]; 1 for a 0-d array). */
  readonly rows: number;
  /** Elements per row (product of shape[1:]). */
  readonly rowLength: number;
  private fd: number | undefined;
  private readonly dataOffset: number;

  constructor(readonly path: string) {
    this.fd = openSync(path, 'r');
    try {
      const size = fstatSync(this.fd).size;
      const pre = Buffer.alloc(Math.min(size, 12));
      readSync(this.fd, pre, 0, pre.length, 0);
      let hlen = 10;
      if (pre.length >= 10 && MAGIC.every((b, i) => pre[i] === b)) {
        hlen = pre[6] === 1 ? 10 + (pre[8] | (pre[9] << 8)) : pre.length >= 12 ? 12 + pre.readUInt32LE(8) : 12;
      }
      if (hlen > size) throw new ParseError({ file: path, array: 'header' }, `a header of ${hlen} bytes`, `a file of ${size} bytes`);
      const head = Buffer.alloc(hlen);
      readSync(this.fd, head, 0, hlen, 0);
      const h = parseNpyHeader(head, path);
      this.dtype = h.dtype;
      this.shape = h.shape;
      this.dataOffset = h.dataOffset;
      this.rows = h.shape.length === 0 ? 1 : h.shape[0];
      this.rowLength = shapeSize(h.shape.slice(1));
      const need = this.rows * this.rowLength * ITEMSIZE[h.dtype];
      if (size - h.dataOffset !== need)
        throw new ParseError({ file: path, array: 'data' }, `${need} data bytes for shape (${h.shape.join(', ')}) ${h.dtype}`, `${size - h.dataOffset} bytes`);
    } catch (e) {
      this.close();
      throw e;
    }
  }

  /** Rows start..start+count−1 as an array of shape [count, ...shape[1:]]. */
  read(start: number, count: number): NpyArray {
    if (this.fd === undefined) throw new InputError(`${this.path}: reader is closed`);
    if (!Number.isInteger(start) || !Number.isInteger(count) || start < 0 || count < 0 || start + count > this.rows)
      throw new InputError(`${this.path}: rows ${start}..${start + count - 1} are outside 0..${this.rows - 1}`);
    const bytes = count * this.rowLength * ITEMSIZE[this.dtype];
    const buf = new Uint8Array(bytes);
    let got = 0;
    while (got < bytes) {
      const n = readSync(this.fd, buf, got, bytes - got, this.dataOffset + start * this.rowLength * ITEMSIZE[this.dtype] + got);
      if (n === 0) throw new ParseError({ file: this.path, array: 'data' }, `${bytes} bytes of rows ${start}..${start + count - 1}`, `${got} bytes (file shrank?)`);
      got += n;
    }
    const shape = this.shape.length === 0 ? [] : [count, ...this.shape.slice(1)];
    return { dtype: this.dtype, shape, data: typedFromBytes(this.dtype, buf, count * this.rowLength) };
  }

  /** Closes the file (idempotent). */
  close(): void {
    if (this.fd !== undefined) { closeSync(this.fd); this.fd = undefined; }
  }
}

/** Reads rows start..start+count−1 (axis 0) of a .npy file from disk, without loading the rest. */
export function readNpyRows(path: string, start: number, count: number): NpyArray {
  const r = new NpyRowReader(path);
  try {
    return r.read(start, count);
  } finally {
    r.close();
  }
}

function headerBytes(dtype: NpyDtype, shape: readonly number[], minTotal = 0): Uint8Array {
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  const dict = `{'descr': '${DESCR_OF[dtype]}', 'fortran_order': False, 'shape': ${shapeText}, }`;
  let total = 10 + dict.length + 1;
  total = Math.max(minTotal, Math.ceil(total / 64) * 64);
  const len = total - 10;
  if (len > 65535) throw new InputError(`.npy header too long (${len} bytes)`);
  const out = new Uint8Array(total);
  out.set(MAGIC, 0);
  out[6] = 1; out[7] = 0;
  out[8] = len & 0xff; out[9] = len >> 8;
  const body = dict.padEnd(len - 1, ' ') + '\n';
  for (let i = 0; i < body.length; i++) out[10 + i] = body.charCodeAt(i);
  return out;
}

/** Converts numbers to the typed array of a dtype (checks integers for the int dtypes). */
export function toNpyData(dtype: NpyDtype, values: ArrayLike<number> | NpyData, what = 'values'): NpyData {
  if (dtype === 'int64') {
    if (values instanceof BigInt64Array) return values;
    const out = new BigInt64Array(values.length);
    for (let i = 0; i < values.length; i++) {
      const v = Number(values[i]);
      if (!Number.isSafeInteger(v)) throw new InputError(`${what}: ${v} is not an integer (int64 array)`);
      out[i] = BigInt(v);
    }
    return out;
  }
  const src: ArrayLike<number> = values instanceof BigInt64Array ? Array.from(values, Number) : (values as ArrayLike<number>);
  if (dtype === 'int32') {
    if (src instanceof Int32Array) return src;
    const out = new Int32Array(src.length);
    for (let i = 0; i < src.length; i++) {
      const v = src[i];
      if (!Number.isInteger(v) || v < -2147483648 || v > 2147483647) throw new InputError(`${what}: ${v} is not a 32-bit integer`);
      out[i] = v;
    }
    return out;
  }
  if (dtype === 'float32') return src instanceof Float32Array ? src : Float32Array.from(src);
  return src instanceof Float64Array ? src : Float64Array.from(src);
}

function bytesOf(d: NpyData): Uint8Array {
  return new Uint8Array(d.buffer, d.byteOffset, d.byteLength);
}

/** dtype of a typed array. */
export function dtypeOf(d: NpyData): NpyDtype {
  return d instanceof Float64Array ? 'float64' : d instanceof Float32Array ? 'float32' : d instanceof Int32Array ? 'int32' : 'int64';
}

/** An .npy file image of an array (format version 1.0, header padded to 64 bytes). */
export function encodeNpy(arr: NpyArray): Uint8Array {
  const count = shapeSize(arr.shape);
  if (arr.shape.some((d) => !Number.isSafeInteger(d) || d < 0)) throw new InputError(`invalid .npy shape (${arr.shape.join(', ')})`);
  if (arr.data.length !== count) throw new InputError(`.npy data has ${arr.data.length} elements, shape (${arr.shape.join(', ')}) needs ${count}`);
  const data = toNpyData(arr.dtype, arr.data);
  const head = headerBytes(arr.dtype, arr.shape);
  const out = new Uint8Array(head.length + data.byteLength);
  out.set(head, 0);
  out.set(bytesOf(data), head.length);
  return out;
}

/** Writes an array to a .npy file atomically. */
export function writeNpy(path: string, arr: NpyArray): void {
  writeFileAtomic(path, encodeNpy(arr));
}

/**
 * Writes a .npy file row by row (along axis 0) with bounded memory: rows go straight to a temporary
 * file; close() patches the header with the final shape, fsyncs and renames over `path`. The header
 * is reserved large enough for any row count. abort() discards everything.
 */
export class NpyWriter {
  readonly dtype: NpyDtype;
  readonly rowShape: number[];
  readonly rowLength: number;
  private nrows = 0;
  private readonly file: AtomicFile;
  private readonly headerSize: number;

  constructor(readonly path: string, opts: { dtype?: NpyDtype; rowShape: readonly number[] }) {
    this.dtype = opts.dtype ?? 'float64';
    if (!(this.dtype in ITEMSIZE)) throw new InputError(`unsupported .npy dtype ${this.dtype}`);
    this.rowShape = [...opts.rowShape];
    if (this.rowShape.some((d) => !Number.isSafeInteger(d) || d < 0)) throw new InputError(`invalid row shape (${this.rowShape.join(', ')})`);
    this.rowLength = shapeSize(this.rowShape);
    // reserve room for the largest row count (2^53 has 16 digits)
    this.headerSize = headerBytes(this.dtype, [9007199254740991, ...this.rowShape]).length;
    this.file = new AtomicFile(path);
    this.file.write(headerBytes(this.dtype, [0, ...this.rowShape], this.headerSize));
  }

  /** Rows written so far. */
  get rows(): number {
    return this.nrows;
  }

  /** Appends whole rows (values.length must be a multiple of the row length). */
  append(values: ArrayLike<number> | NpyData): void {
    const n = values.length;
    if (this.rowLength === 0 ? n !== 0 : n % this.rowLength !== 0)
      throw new InputError(`${this.path}: appended ${n} values, not a whole number of rows of ${this.rowLength}`);
    const data = toNpyData(this.dtype, values, this.path);
    this.file.write(data === values ? bytesOf(data).slice() : bytesOf(data));
    this.nrows += this.rowLength === 0 ? 0 : n / this.rowLength;
  }

  /** Appends `count` empty rows when the row length is 0 (shape (n, 0)). */
  appendEmptyRows(count: number): void {
    if (this.rowLength !== 0) throw new InputError('appendEmptyRows needs a zero row length');
    this.nrows += count;
  }

  /** Patches the header with the final shape and moves the file into place. */
  close(): void {
    const fd = this.file.descriptor();
    const head = headerBytes(this.dtype, [this.nrows, ...this.rowShape], this.headerSize);
    if (head.length !== this.headerSize) throw new InputError(`${this.path}: header grew beyond its reserved size`);
    writeSync(fd, head, 0, head.length, 0);
    this.file.commit();
  }

  /** Discards the file. */
  abort(): void {
    this.file.abort();
  }
}
