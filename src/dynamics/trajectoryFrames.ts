/**
 * Trajectory input for the dynamics analyses: frames of any readable format (src/io/formats), the atoms
 * of one element (or all), continuous (unwrapped) positions, and a checked, uniform time step.
 */
import { InputError } from '../core/errors';
import type { Pbc } from '../core/cell';
import type { Structure } from '../core/structure';
import { readFrames } from '../io/formats';
import { Unwrapper } from './unwrap';

/** One frame of the selected atoms. */
export interface SelectedFrame {
  /** 0-based frame index in the file. */
  index: number;
  cell: Float64Array;
  pbc: Pbc;
  /** Positions as stored (wrapped or not), selected atoms, Å. */
  positions: Float64Array;
  /** Continuous positions of the selected atoms, Å (from the file's unwrapped coordinates or image flags when present, else by minimum image). */
  unwrapped: Float64Array;
  /** Frame time (fs) when the file stores it, and the MD step when known. */
  timeFs?: number;
  step?: number;
}

/** Options of {@link selectedFrames}. */
export interface SelectedFramesOptions {
  /** Element to select, or 'all' (default 'Li'). */
  element?: string;
  /** Format name when it cannot be told from the file name. */
  format?: string;
  /** Element of each LAMMPS/DeePMD type. */
  typeMap?: readonly string[];
  /** Largest fractional step between frames accepted by the minimum-image unwrapping (default 0.45). */
  maxStepFraction?: number;
}

/** What the selection holds: species of the file, the selected atom indices, how positions were unwrapped. */
export interface Selection {
  species: string[];
  atoms: Int32Array;
  unwrapMethod: 'file' | 'image-flags' | 'minimum-image';
}

function numberInfo(s: Structure, key: string): number | undefined {
  const v = s.info[key];
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

/**
 * Streams a trajectory file: `onStart` receives the selection after the first frame; each yielded frame
 * holds the selected atoms. The selection and atom count must stay the same in every frame.
 */
export function* selectedFrames(path: string, opts: SelectedFramesOptions = {}, onStart?: (sel: Selection) => void): Generator<SelectedFrame> {
  const element = opts.element ?? 'Li';
  let sel: Selection | undefined;
  let unwrapper: Unwrapper | undefined;
  let index = 0;
  for (const s of readFrames(path, { format: opts.format, typeMap: opts.typeMap })) {
    if (!sel) {
      const atoms: number[] = [];
      s.species.forEach((e, i) => { if (element === 'all' || e === element) atoms.push(i); });
      if (atoms.length === 0) throw new InputError(`${path}: no ${element} atoms in the first frame (elements present: ${[...new Set(s.species)].join(', ')}); give --element or --type-map`);
      const method: Selection['unwrapMethod'] = s.arrays.unwrapped_positions ? 'file' : s.arrays.image?.kind === 'int' && s.arrays.image.width === 3 ? 'image-flags' : 'minimum-image';
      sel = { species: [...s.species], atoms: Int32Array.from(atoms), unwrapMethod: method };
      if (method === 'minimum-image') unwrapper = new Unwrapper(atoms.length, { maxStepFraction: opts.maxStepFraction });
      onStart?.(sel);
    } else if (s.species.length !== sel.species.length || sel.atoms.some((i) => s.species[i] !== sel!.species[i]))
      throw new InputError(`${path}: frame ${index} has a different set of atoms (${s.species.length} atoms) than frame 0 (${sel.species.length})`);
    const n = sel.atoms.length;
    const positions = new Float64Array(3 * n);
    for (let k = 0; k < n; k++) positions.set(s.positions.subarray(3 * sel.atoms[k], 3 * sel.atoms[k] + 3), 3 * k);
    let unwrapped: Float64Array;
    if (sel.unwrapMethod === 'file') {
      const u = s.arrays.unwrapped_positions;
      if (!u || u.kind !== 'float' || u.width !== 3) throw new InputError(`${path}: frame ${index} lacks the unwrapped coordinates that frame 0 had`);
      unwrapped = new Float64Array(3 * n);
      for (let k = 0; k < n; k++) unwrapped.set(u.data.subarray(3 * sel.atoms[k], 3 * sel.atoms[k] + 3), 3 * k);
    } else if (sel.unwrapMethod === 'image-flags') {
      const img = s.arrays.image;
      if (!img || img.kind !== 'int' || img.width !== 3) throw new InputError(`${path}: frame ${index} lacks the image flags that frame 0 had`);
      unwrapped = new Float64Array(3 * n);
      const h = s.cell;
      for (let k = 0; k < n; k++) {
        const i = sel.atoms[k], a = img.data[3 * i], b = img.data[3 * i + 1], c = img.data[3 * i + 2];
        for (let x = 0; x < 3; x++) unwrapped[3 * k + x] = positions[3 * k + x] + a * h[x] + b * h[3 + x] + c * h[6 + x];
      }
    } else unwrapped = unwrapper!.push(positions, s.cell, s.pbc);
    const timeFs = numberInfo(s, 'time_fs');
    const step = numberInfo(s, 'step') ?? numberInfo(s, 'timestep');
    yield { index, cell: s.cell, pbc: s.pbc, positions, unwrapped, timeFs, step };
    index++;
  }
  if (!sel) throw new InputError(`${path}: no frames`);
}

/**
 * Checks the time axis frame by frame: the time between frames is --dt-fs, or the file's frame times;
 * frame times (or MD steps) must be evenly spaced. Call `next(frame)` for every frame; `dtFs` is known
 * after the second frame (or at once when given).
 */
export class TimeAxis {
  private t0?: number;
  private s0?: number;
  private dtFile?: number;
  private dStep?: number;
  private frames = 0;
  private first?: { timeFs?: number; step?: number };

  /** dtFs: the user's time between frames (fs), if any; path for messages. */
  constructor(private readonly dtUser: number | undefined, private readonly path: string) {
    if (dtUser !== undefined && !(dtUser > 0 && Number.isFinite(dtUser))) throw new InputError(`--dt-fs: the time between frames must be a positive number of fs, got ${dtUser}`);
  }

  /** Registers a frame; throws on non-uniform spacing or a conflict with --dt-fs. */
  next(f: { index: number; timeFs?: number; step?: number }): void {
    if (this.frames === 0) this.first = { timeFs: f.timeFs, step: f.step };
    else {
      if (f.timeFs !== undefined && this.first?.timeFs !== undefined) {
        const prev = this.t0!, d = f.timeFs - prev;
        if (this.dtFile === undefined) {
          if (!(d > 0)) throw new InputError(`${this.path}: frame times must increase (frame ${f.index}: ${f.timeFs} fs after ${prev} fs)`);
          this.dtFile = d;
          if (this.dtUser !== undefined && Math.abs(d - this.dtUser) > 1e-6 * this.dtUser) throw new InputError(`--dt-fs ${this.dtUser} disagrees with the trajectory's frame times (${d} fs apart)`);
        } else if (Math.abs(d - this.dtFile) > 1e-6 * this.dtFile) throw new InputError(`${this.path}: non-uniform time steps: frames ${f.index - 1}→${f.index} are ${d} fs apart, earlier frames ${this.dtFile} fs`);
      } else if (f.step !== undefined && this.first?.step !== undefined) {
        const d = f.step - this.s0!;
        if (this.dStep === undefined) {
          if (!(d > 0)) throw new InputError(`${this.path}: MD steps must increase (frame ${f.index}: step ${f.step} after ${this.s0})`);
          this.dStep = d;
        } else if (d !== this.dStep) throw new InputError(`${this.path}: non-uniform time steps: frames ${f.index - 1}→${f.index} are ${d} MD steps apart, earlier frames ${this.dStep}`);
      }
    }
    this.t0 = f.timeFs;
    this.s0 = f.step;
    this.frames++;
    if (this.frames >= 2 && this.dtUser === undefined && this.dtFile === undefined)
      throw new InputError(`${this.path} stores no frame times: give --dt-fs (the time between frames, fs)`);
  }

  /** Time between frames, fs (undefined until known). */
  get dtFs(): number | undefined {
    return this.dtUser ?? this.dtFile;
  }
}
