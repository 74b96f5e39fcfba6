/**
 * Reading frames that carry reference EFG tensors through io's format registry: extended XYZ with a per-atom `efg`
 * column (units from the frame's `efg_units`, default V/Å²), CASTEP .magres (`efg` converted from atomic units to
 * V/Å² by the reader) and VASP OUTCAR with LEFG tensors (V/Å²). Frames without EFG data (e.g. OUTCAR ionic steps
 * before the one with LEFG output) are skipped; a file with none is an error. Each frame gets a stable label: its
 * `source` info when present, else "<file>#<index>".
 */
import { existsSync } from 'node:fs';
import { basename } from 'node:path';
import { InputError } from '../core/errors';
import { readFrames, type ReadOptions } from '../io/formats';
import type { LabelledFrame } from './dataset';

/** Frames with EFG data from one file; `name` labels them (default: the file name). `skipped` counts frames without. */
export function readEfgFrames(path: string, name = basename(path), opts: ReadOptions = {}): LabelledFrame[] & { skipped?: number } {
  if (!existsSync(path)) throw new InputError(`EFG data file not found: ${path}`);
  const out: LabelledFrame[] & { skipped?: number } = [];
  let k = 0, skipped = 0;
  for (const s of readFrames(path, opts)) {
    if (s.arrays.efg) {
      const src = s.info.source;
      out.push({ structure: s, label: typeof src === 'string' && src ? src : `${name}#${k}` });
    } else skipped++;
    k++;
  }
  if (k === 0) throw new InputError(`${path}: no frames`);
  if (out.length === 0) throw new InputError(`${path}: no EFG data in any of its ${k} frame(s) (expected a per-atom 'efg' array: an efg column in extended XYZ, efg lines in .magres, LEFG output in OUTCAR)`);
  out.skipped = skipped;
  return out;
}
