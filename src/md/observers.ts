/**
 * Observers called by the simulation loop every `every` steps: a thermo log (CSV with units in the
 * column names), trajectory frames (ufnmr binary format) and custom callbacks. File observers record
 * their byte length in checkpoints and cut their file back to it on resume, so a resumed run writes
 * exactly what an uninterrupted one would.
 */
import { closeSync, existsSync, fstatSync, fsyncSync, ftruncateSync, openSync, readSync, writeSync } from 'node:fs';
import { InputError } from '../core/errors';
import { volume } from '../core/cell';
import { EV_PER_A3_IN_GPA } from '../core/units';
import { writeFileAtomic } from '../io/atomic';
import { TrajectoryWriter, TrajField, TrajDtype } from '../io/trajectory';
import type { Integrator } from './integrators/integrator';
import { MDSystem, kineticEnergy, temperature, pressure, groupTemperature } from './system';

/** What an observer sees. */
export interface MDContext {
  sys: MDSystem;
  integrator: Integrator;
  /** Name of the running stage. */
  stage: string;
}

/** Something called every `every` steps (and once before the first step of a fresh run). */
export interface Observer {
  readonly name: string;
  readonly every: number;
  observe(ctx: MDContext): void;
  /** Writes buffered output; with sync, also to disk (fsync). */
  flush?(sync: boolean): void;
  close?(): void;
  /** JSON-able state stored in checkpoints (e.g. the file length). */
  checkpointState?(): unknown;
}

/** A named group of atoms whose temperature is logged. */
export interface AtomGroup { name: string; atoms: Int32Array }

/** Column names and values of one thermo row. */
export function thermoRow(ctx: MDContext, groups: AtomGroup[] = []): [string[], number[]] {
  const { sys, integrator } = ctx;
  const ke = kineticEnergy(sys), vol = volume(sys.cell), mass = sys.masses.reduce((a, b) => a + b, 0);
  const names = ['step', 'time_fs', 'temp_K', 'pe_eV', 'ke_eV', 'etot_eV', 'conserved_eV', 'press_GPa', 'volume_A3', 'density_g_cm3'];
  const vals = [sys.step, sys.timeFs, temperature(sys), sys.potentialEnergy, ke, sys.potentialEnergy + ke, integrator.conservedEnergy(sys),
    pressure(sys) * EV_PER_A3_IN_GPA, vol, sys.pbc.some(Boolean) ? (mass * 1.6605390666) / vol : NaN];
  for (const g of groups) { names.push(`temp_${g.name}_K`); vals.push(groupTemperature(sys, g.atoms)); }
  return [names, vals];
}

/** Appends text lines to a file that can be cut back to a recorded length. */
class AppendFile {
  private fd: number;
  private size: number;
  private buf = '';
  constructor(readonly path: string, fd: number, size: number) { this.fd = fd; this.size = size; }

  static create(path: string, firstText: string, overwrite: boolean): AppendFile {
    if (existsSync(path) && !overwrite) throw new InputError(`${path} exists; remove it, resume the run, or set "overwrite": true`);
    writeFileAtomic(path, firstText);
    const fd = openSync(path, 'r+');
    return new AppendFile(path, fd, fstatSync(fd).size);
  }

  static resume(path: string, keepBytes: number): AppendFile {
    if (!existsSync(path)) throw new InputError(`cannot resume: ${path} is missing`);
    const fd = openSync(path, 'r+');
    const size = fstatSync(fd).size;
    if (!Number.isInteger(keepBytes) || keepBytes > size) { closeSync(fd); throw new InputError(`cannot resume: ${path} is shorter (${size} bytes) than at the checkpoint (${keepBytes} bytes)`); }
    ftruncateSync(fd, keepBytes);
    return new AppendFile(path, fd, keepBytes);
  }

  write(text: string): void { this.buf += text; if (this.buf.length > 1 << 16) this.flush(false); }

  flush(sync: boolean): void {
    if (this.fd < 0) return;
    if (this.buf) {
      const b = Buffer.from(this.buf, 'utf8');
      let off = 0;
      while (off < b.length) off += writeSync(this.fd, b, off, b.length - off, this.size + off);
      this.size += b.length;
      this.buf = '';
    }
    if (sync) fsyncSync(this.fd);
  }

  get bytes(): number { return this.size; }

  close(): void { if (this.fd >= 0) { this.flush(true); closeSync(this.fd); this.fd = -1; } }

  /** First line of the file (the CSV header). */
  static firstLine(path: string): string {
    const fd = openSync(path, 'r');
    try {
      const b = Buffer.alloc(4096);
      const n = readSync(fd, b, 0, b.length, 0);
      return b.toString('utf8', 0, n).split('\n')[0];
    } finally { closeSync(fd); }
  }
}

/** Options of {@link ThermoLog}. */
export interface ThermoLogOptions {
  every: number;
  groups?: AtomGroup[];
  overwrite?: boolean;
  /** Resume: cut the file to this many bytes and continue. */
  resumeBytes?: number;
  /** Also receive each row (e.g. for a notebook plot). */
  onRow?: (row: Record<string, number>) => void;
}

/** Thermo log as CSV (units in the column names; full double precision). */
export class ThermoLog implements Observer {
  readonly name = 'thermo';
  readonly every: number;
  private file: AppendFile | null = null;
  private header: string[] | null = null;

  constructor(readonly path: string | null, private readonly opts: ThermoLogOptions) {
    checkEvery(opts.every, 'thermo every');
    this.every = opts.every;
    if (path && opts.resumeBytes !== undefined) {
      this.file = AppendFile.resume(path, opts.resumeBytes);
      this.header = AppendFile.firstLine(path).split(',');
    }
  }

  observe(ctx: MDContext): void {
    const [names, vals] = thermoRow(ctx, this.opts.groups);
    if (this.path && !this.file) {
      this.file = AppendFile.create(this.path, names.join(',') + '\n', this.opts.overwrite ?? false);
      this.header = names;
    }
    this.file?.write(vals.join(",") + "\n");
    if (this.opts.onRow) { const row: Record<string, number> = {}; names.forEach((n, i) => { row[n] = vals[i]; }); this.opts.onRow(row); }
  }

  flush(sync: boolean): void { this.file?.flush(sync); }
  close(): void { this.file?.close(); }
  checkpointState(): unknown { return { bytes: this.file ? (this.file.flush(false), this.file.bytes) : 0, header: this.header }; }
}

/** Options of {@link TrajectoryObserver}. */
export interface TrajectoryObserverOptions {
  every: number;
  velocities?: boolean;
  forces?: boolean;
  /** Precision of positions/velocities/forces (default f64). */
  dtype?: TrajDtype;
  chunkFrames?: number;
  provenance?: Record<string, unknown>;
  overwrite?: boolean;
  resumeBytes?: number;
}

const TRAJ_SCALARS = ['pe_eV', 'ke_eV', 'temp_K', 'conserved_eV', 'press_GPa'];

/** Writes frames to a ufnmr trajectory file. */
export class TrajectoryObserver implements Observer {
  readonly name = 'trajectory';
  readonly every: number;
  private writer: TrajectoryWriter | null = null;

  constructor(readonly path: string, private readonly opts: TrajectoryObserverOptions) {
    checkEvery(opts.every, 'trajectory every');
    this.every = opts.every;
    if (opts.resumeBytes !== undefined) this.writer = TrajectoryWriter.resume(path, { keepBytes: opts.resumeBytes, chunkFrames: opts.chunkFrames });
  }

  observe(ctx: MDContext): void {
    const { sys } = ctx;
    if (!this.writer) {
      const dtype = this.opts.dtype ?? 'f64';
      const fields: { name: TrajField; dtype: TrajDtype }[] = [{ name: 'positions', dtype }];
      if (this.opts.velocities) fields.push({ name: 'velocities', dtype });
      if (this.opts.forces) fields.push({ name: 'forces', dtype });
      this.writer = TrajectoryWriter.create(this.path, {
        natoms: sys.species.length, species: sys.species, pbc: sys.pbc, timestepFs: ctx.integrator.dtFs, fields, scalars: TRAJ_SCALARS,
        provenance: { program: 'ufnmr md', created: new Date().toISOString(), ...(this.opts.provenance ?? {}) },
      }, { chunkFrames: this.opts.chunkFrames, overwrite: this.opts.overwrite });
    }
    const ke = kineticEnergy(sys);
    this.writer.append({
      step: sys.step, timeFs: sys.timeFs, cell: sys.cell, positions: sys.positions,
      velocities: this.opts.velocities ? sys.velocities : undefined, forces: this.opts.forces ? sys.forces : undefined,
      scalars: { pe_eV: sys.potentialEnergy, ke_eV: ke, temp_K: temperature(sys), conserved_eV: ctx.integrator.conservedEnergy(sys), press_GPa: pressure(sys) * EV_PER_A3_IN_GPA },
    });
  }

  flush(sync: boolean): void { this.writer?.flush(sync); }
  close(): void { this.writer?.close(); }
  checkpointState(): unknown { this.writer?.flush(false); return { bytes: this.writer?.bytes ?? 0 }; }
}

/** Calls fn every `every` steps. */
export class CallbackObserver implements Observer {
  constructor(readonly every: number, private readonly fn: (ctx: MDContext) => void, readonly name = 'callback') {
    checkEvery(every, 'callback every');
  }
  observe(ctx: MDContext): void { this.fn(ctx); }
}

function checkEvery(n: number, what: string): void {
  if (!Number.isInteger(n) || n < 1) throw new InputError(`${what} must be a positive integer number of steps, got ${n}`);
}
