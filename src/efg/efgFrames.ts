/**
 * Reading frames that carry reference EFG tensors, by file type: extended XYZ with a per-atom `efg` column
 * (9 numbers, units from the frame's `efg_units`, default V/Å²). Each frame gets a stable label: its `source`
 * info when present, else "<file>#<index>".
 */
import { existsSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { InputError } from '../core/errors';
import { readExtxyzFrames } from '../io/extxyz';
import type { LabelledFrame } from './dataset';

/** Frames with EFG data from one file; `name` labels them (default: the file name). */
export function readEfgFrames(path: string, name = basename(path)): LabelledFrame[] {
  if (!existsSync(path)) throw new InputError(`EFG data file not found: ${path}`);
  const ext = extname(path).toLowerCase();
  if (ext === '.xyz' || ext === '.extxyz') {
    const out: LabelledFrame[] = [];
    let k = 0;
    for (const s of readExtxyzFrames(path)) {
      const src = s.info.source;
      const label = typeof src === 'string' && src ? src : `${name}#${k}`;
      if (!s.arrays.efg) throw new InputError(`${name} frame ${k}: no per-atom EFG data (expected an 'efg' column of 9 numbers in Properties)`);
      out.push({ structure: s, label });
      k++;
    }
    if (out.length === 0) throw new InputError(`${path}: no frames`);
    return out;
  }
  throw new InputError(`${path}: unsupported EFG data format ${JSON.stringify(ext)} (extended XYZ with an efg column)`);
}
