/** Minimal LAMMPS dump reader for MD test fixtures (orthogonal boxes, columns by name, sorted by id). */
import { readFileSync } from 'node:fs';

export interface DumpFrame {
  step: number;
  box: [number, number][];
  cols: Record<string, Float64Array>;
  n: number;
}

/** All frames of a small dump file; columns sorted by atom id. */
export function readDump(path: string): DumpFrame[] {
  const lines = readFileSync(path, 'utf8').split('\n');
  const frames: DumpFrame[] = [];
  let k = 0;
  while (k < lines.length) {
    if (!lines[k].startsWith('ITEM: TIMESTEP')) { k++; continue; }
    const step = Number(lines[k + 1]);
    const n = Number(lines[k + 3]);
    const box = [0, 1, 2].map((d) => lines[k + 5 + d].trim().split(/\s+/).map(Number) as [number, number]);
    const names = lines[k + 8].trim().split(/\s+/).slice(2);
    const rows = lines.slice(k + 9, k + 9 + n).map((l) => l.trim().split(/\s+/).map(Number));
    rows.sort((a, b) => a[names.indexOf('id')] - b[names.indexOf('id')]);
    const cols: Record<string, Float64Array> = {};
    names.forEach((c, ci) => { cols[c] = Float64Array.from(rows, (r) => r[ci]); });
    frames.push({ step, box, cols, n });
    k += 9 + n;
  }
  return frames;
}

/** Interleaves three columns into a flat 3N array. */
export function vec3(f: DumpFrame, a: string, b: string, c: string): Float64Array {
  const out = new Float64Array(3 * f.n);
  for (let i = 0; i < f.n; i++) { out[3 * i] = f.cols[a][i]; out[3 * i + 1] = f.cols[b][i]; out[3 * i + 2] = f.cols[c][i]; }
  return out;
}
