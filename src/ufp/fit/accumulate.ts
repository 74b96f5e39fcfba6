/**
 * Featurization of training frames into normal equations, in this thread or on worker threads
 * (atom-agnostic frame decomposition: each worker accumulates its share of frames; the main thread sums).
 */
import { Worker } from 'node:worker_threads';
import { extname, join } from 'node:path';
import { cpus } from 'node:os';
import { InputError } from '../../core/errors';
import type { BasisSpec } from './basis';
import { buildLayout } from './basis';
import { Featurizer } from './featurize';
import { NormalEquations, NormalData } from './normal';
import type { FitFrame } from './data';
import { energyTarget } from './data';

/** What a featurization job needs (structured-clone safe). */
export interface AccumulateJob {
  basis: BasisSpec;
  frames: FitFrame[];
  /** Per-element baseline energies (eV/atom) subtracted from the energy targets. */
  baseline: number[];
  /** Fraction of atoms per frame whose force rows are used (default 1), chosen with a per-frame seed. */
  forceAtomFraction?: number;
}

/** Deterministic subset of atoms of a frame (fraction f, seeded by the frame's index and size). */
export function forceAtoms(n: number, f: number, seed: number): Int32Array {
  if (f >= 1) return Int32Array.from({ length: n }, (_, i) => i);
  let s = (seed * 2654435761 + n) >>> 0;
  const r = () => { s = (s * 1664525 + 1013904223) >>> 0; return s / 4294967296; };
  const order = Array.from({ length: n }, (_, i) => [r(), i] as [number, number]).sort((a, b) => a[0] - b[0]);
  const k = Math.max(1, Math.round(f * n));
  return Int32Array.from(order.slice(0, k).map((p) => p[1]).sort((a, b) => a - b));
}

/** Accumulates the normal equations of the job's frames in this thread; onFrame is called after each. */
export function accumulateFrames(job: AccumulateJob, onFrame?: (done: number) => void): NormalEquations {
  const layout = buildLayout(job.basis);
  const fz = new Featurizer(layout);
  const ne = new NormalEquations(layout.nColumns);
  const idx = new Map(layout.elements.map((e, i) => [e, i]));
  const frac = job.forceAtomFraction ?? 1;
  if (!(frac > 0 && frac <= 1)) throw new InputError(`forceAtomFraction must lie in (0, 1], got ${frac}`);
  job.frames.forEach((f, q) => {
    const types = Int32Array.from(f.species, (e) => {
      const t = idx.get(e);
      if (t === undefined) throw new InputError(`${f.source} frame ${f.index}: element ${e} is not among the fit elements ${layout.elements.join(', ')}`);
      return t;
    });
    const feat = fz.featurize(types, f.positions, f.cell, f.pbc, `${f.source} frame ${f.index}`);
    ne.addFrame(feat, energyTarget(f, layout.elements, job.baseline), f.forces, forceAtoms(f.species.length, frac, f.index + 7919 * q));
    onFrame?.(q + 1);
  });
  return ne;
}

/** Worker-thread entry: accumulate, post progress, post the result (buffers transferred). */
export function accumulateWorkerMain(job: AccumulateJob): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { parentPort } = require('node:worker_threads') as typeof import('node:worker_threads');
  try {
    let last = 0;
    const ne = accumulateFrames(job, (done) => {
      if (done - last >= 5 || done === job.frames.length) { parentPort!.postMessage({ type: 'progress', done: done - last }); last = done; }
    });
    const d = ne.data();
    parentPort!.postMessage({ type: 'done', data: d }, [d.gE.buffer, d.bE.buffer, d.gF.buffer, d.bF.buffer] as ArrayBuffer[]);
  } catch (e) {
    parentPort!.postMessage({ type: 'error', message: e instanceof Error ? e.message : String(e), name: e instanceof Error ? e.name : 'Error' });
  }
}

/**
 * Accumulates the normal equations of all frames on `threads` workers (default: the number of cores;
 * 1 = this thread). Frames are dealt round-robin by size so workers get similar loads.
 */
export async function accumulateParallel(job: AccumulateJob, threads = cpus().length, onProgress?: (done: number, total: number) => void): Promise<NormalEquations> {
  const total = job.frames.length;
  if (threads <= 1 || total < 4) return accumulateFrames(job, (d) => onProgress?.(d, total));
  const order = job.frames.map((f, q) => [f.species.length, q] as [number, number]).sort((a, b) => b[0] - a[0]);
  const shares: FitFrame[][] = Array.from({ length: threads }, () => []);
  const load = new Array<number>(threads).fill(0);
  for (const [n, q] of order) {
    let w = 0;
    for (let t = 1; t < threads; t++) if (load[t] < load[w]) w = t;
    shares[w].push(job.frames[q]);
    load[w] += n;
  }
  const entry = join(__dirname, 'accumulate');
  const hook = extname(__filename) === '.ts' ? `require(${JSON.stringify(require.resolve('tsx/cjs'))});` : '';
  const code = `${hook}require(${JSON.stringify(entry)}).accumulateWorkerMain(require('node:worker_threads').workerData)`;
  let done = 0;
  const results = await Promise.all(shares.map((frames) => new Promise<NormalData>((resolvePromise, reject) => {
    const w = new Worker(code, { eval: true, workerData: { ...job, frames } });
    w.on('message', (m: { type: string; done?: number; data?: NormalData; message?: string; name?: string }) => {
      if (m.type === 'progress') { done += m.done!; onProgress?.(done, total); }
      else if (m.type === 'done') { resolvePromise(m.data!); void w.terminate(); }
      else if (m.type === 'error') { reject(m.name === 'InputError' || m.name === 'TooCloseError' ? new InputError(m.message!) : new Error(m.message)); void w.terminate(); }
    });
    w.on('error', reject);
    w.on('exit', (code) => { if (code !== 0) reject(new Error(`featurization worker exited with code ${code}`)); });
  })));
  const ne = NormalEquations.from(results[0]);
  for (const r of results.slice(1)) ne.merge(r);
  return ne;
}
