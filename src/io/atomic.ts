/**
 * Atomic output files: everything is written to a temporary file next to the target, fsync'ed, then
 * renamed over the target, so a crash or an error never leaves a half-written file in place of a good one.
 * Every ufnmr writer (and every other layer's output) goes through {@link writeFileAtomic} or
 * {@link AtomicFile} / {@link withAtomicFile}.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, unlinkSync, writeSync, existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { InputError } from '../core/errors';

let counter = 0;

/** A fresh temporary path in the same directory as `path` (same file system, so rename is atomic). */
export function temporaryPathFor(path: string): string {
  counter = (counter + 1) % 1e9;
  return join(dirname(path), `.${basename(path)}.tmp-${process.pid}-${Date.now().toString(36)}-${counter}`);
}

/** Best-effort fsync of a directory so that a rename inside it is durable. */
function fsyncDirectory(dir: string): void {
  try {
    const fd = openSync(dir, 'r');
    try { fsyncSync(fd); } finally { closeSync(fd); }
  } catch {
    // some file systems refuse fsync on directories: the rename itself is still atomic
  }
}

const FLUSH_BYTES = 1 << 20;

/**
 * A file being written atomically. `write` buffers text or bytes; `commit` flushes, fsyncs and renames
 * the temporary file over the target; `abort` deletes the temporary file. Use {@link withAtomicFile}
 * to get commit/abort right automatically.
 */
export class AtomicFile {
  /** The final path. */
  readonly path: string;
  /** The temporary path being written. */
  readonly tempPath: string;
  private fd: number | undefined;
  private parts: (string | Uint8Array)[] = [];
  private pending = 0;
  private done = false;

  constructor(path: string) {
    this.path = path;
    const dir = dirname(path);
    if (!existsSync(dir)) throw new InputError(`cannot write ${path}: directory ${dir} does not exist`);
    this.tempPath = temporaryPathFor(path);
    this.fd = openSync(this.tempPath, 'wx', 0o644);
  }

  /** Appends text (UTF-8) or bytes. */
  write(chunk: string | Uint8Array): void {
    if (this.done || this.fd === undefined) throw new InputError(`${this.path}: write after commit/abort`);
    this.parts.push(chunk);
    this.pending += chunk.length;
    if (this.pending >= FLUSH_BYTES) this.flush();
  }

  /** Writes the buffered chunks to the temporary file. */
  flush(): void {
    if (this.fd === undefined || this.parts.length === 0) return;
    let text = '';
    for (const p of this.parts) {
      if (typeof p === 'string') { text += p; continue; }
      if (text) { writeAll(this.fd, Buffer.from(text, 'utf8')); text = ''; }
      writeAll(this.fd, p);
    }
    if (text) writeAll(this.fd, Buffer.from(text, 'utf8'));
    this.parts = [];
    this.pending = 0;
  }

  /** The file descriptor of the temporary file, after flushing (for positioned writes such as header patches). */
  descriptor(): number {
    if (this.fd === undefined) throw new InputError(`${this.path}: file already closed`);
    this.flush();
    return this.fd;
  }

  /** Flushes, fsyncs and renames the temporary file over the target. */
  commit(): void {
    if (this.done) return;
    this.flush();
    const fd = this.fd!;
    fsyncSync(fd);
    closeSync(fd);
    this.fd = undefined;
    renameSync(this.tempPath, this.path);
    this.done = true;
    fsyncDirectory(dirname(this.path));
  }

  /** Discards everything written; the target is left untouched. Safe to call more than once. */
  abort(): void {
    if (this.done) return;
    this.done = true;
    if (this.fd !== undefined) { try { closeSync(this.fd); } catch { /* already closed */ } this.fd = undefined; }
    try { unlinkSync(this.tempPath); } catch { /* never created or already gone */ }
  }
}

function writeAll(fd: number, buf: Uint8Array): void {
  let off = 0;
  while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off);
}

/** Runs fn with an {@link AtomicFile} for `path`: commits when fn returns, aborts (and rethrows) when it throws. */
export function withAtomicFile<T>(path: string, fn: (file: AtomicFile) => T): T {
  const f = new AtomicFile(path);
  try {
    const r = fn(f);
    f.commit();
    return r;
  } catch (e) {
    f.abort();
    throw e;
  }
}

/** Writes a whole file atomically (temporary file + fsync + rename). */
export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  withAtomicFile(path, (f) => f.write(data));
}

/**
 * Replaces directory `dir` atomically with the contents that `fill(tmpDir)` writes into a fresh
 * temporary directory: the old directory (if any) is swapped out only after fill succeeded.
 */
export function replaceDirectoryAtomic<T>(dir: string, fill: (tmpDir: string) => T): T {
  const parent = dirname(dir);
  if (!existsSync(parent)) throw new InputError(`cannot write ${dir}: directory ${parent} does not exist`);
  const tmp = temporaryPathFor(dir);
  mkdirSync(tmp);
  let result: T;
  try {
    result = fill(tmp);
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
  fsyncDirectory(tmp);
  if (existsSync(dir)) {
    const old = temporaryPathFor(dir) + '.old';
    renameSync(dir, old);
    try {
      renameSync(tmp, dir);
    } catch (e) {
      renameSync(old, dir);
      rmSync(tmp, { recursive: true, force: true });
      throw e;
    }
    rmSync(old, { recursive: true, force: true });
  } else {
    renameSync(tmp, dir);
  }
  fsyncDirectory(parent);
  return result;
}
