/**
 * One MD job of a study (melt-quench, equilibration, production): its md.json is written into the stage
 * folder (so `ufnmr md --config <folder>/md.json --resume` works on it by hand too) and run through the MD
 * layer's runner, resuming from the folder's checkpoint when there is one. A finished production run can be
 * extended: when the only change to its md.json is a larger number of production steps, the checkpoint is
 * re-stamped with the new configuration hash and the run continues (bit-identically to a longer run).
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputError, SimulationError } from '../core/errors';
import { writeFileAtomic } from '../io/atomic';
import { readCheckpoint, writeCheckpoint } from '../md/checkpoint';
import { readMDConfig } from '../md/config';
import type { ProgressCallback } from '../md/progress';
import { configHash, runMD } from '../md/run';
import { canonicalJson } from './manifest';
import { checkContacts } from './contacts';

/**
 * Thrown when an MD job stopped early (signal): the study stops and can continue with --resume. An InputError so
 * that the command line reports it as a message, not as an internal error.
 */
export class StudyStopped extends InputError {
  constructor(message: string) {
    super(message);
  }
  override name = 'StudyStopped';
}

/** Options of {@link runMdJob}. */
export interface MdJobOptions {
  /** Continue from the folder's checkpoint (else a checkpoint there is an error). */
  resume: boolean;
  log: (text: string) => void;
  onProgress?: ProgressCallback;
  /** Allow a finished run to be extended when only the step count of its single stage grew. */
  extendable?: boolean;
  /**
   * Hash of everything the job depends on (inputs' contents included; step counts of extendable jobs left out),
   * kept in job.json: a checkpoint of a job with another hash is never resumed.
   */
  jobHash?: string;
  /** Shortest distance (Å) any two atoms of the final frame may have; closer means the structure collapsed (default 1.0). */
  minContactA?: number;
}


function withoutSteps(o: Record<string, unknown>): string {
  const stages = (o.stages as Record<string, unknown>[] | undefined)?.map((s) => ({ ...s, steps: 0 }));
  return canonicalJson({ ...o, stages, output: undefined, threads: undefined, progressIntervalMs: undefined });
}

function readJson(path: string): Record<string, unknown> | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

/**
 * Runs (or resumes, or extends) the MD job `mdObject` in folder `dir`; resolves with the runner's JSON
 * summary. Throws {@link StudyStopped} when the run was stopped by a signal.
 */
export async function runMdJob(dir: string, mdObject: Record<string, unknown>, o: MdJobOptions): Promise<Record<string, unknown>> {
  mkdirSync(dir, { recursive: true });
  const mdPath = join(dir, 'md.json');
  const previous = existsSync(mdPath) ? readJson(mdPath) : undefined;
  const cpPath = join(dir, 'checkpoint.json');
  const hasCheckpoint = existsSync(cpPath);
  if (hasCheckpoint && !o.resume) throw new InputError(`${dir} already holds an MD run: add --resume to continue it, or remove the folder to start it again`);
  const jobPath = join(dir, 'job.json');
  if (hasCheckpoint && o.jobHash !== undefined) {
    const job = existsSync(jobPath) ? readJson(jobPath) : undefined;
    if (job?.hash !== o.jobHash) throw new InputError(`${dir}: its MD run was started from other inputs (an upstream stage or the potential changed); remove the folder to run this stage again`);
  }
  if (!hasCheckpoint) writeFileAtomic(jobPath, JSON.stringify({ hash: o.jobHash ?? null, started: new Date().toISOString() }) + '\n');
  const obj = { ...mdObject, output: { ...(mdObject.output as Record<string, unknown>), overwrite: !hasCheckpoint } };
  writeFileAtomic(mdPath, JSON.stringify(obj, null, 1) + '\n');
  const cfg = readMDConfig(mdPath);
  if (hasCheckpoint) {
    const cp = readCheckpoint(cpPath);
    const hash = configHash(cfg);
    if (cp.run.configHash !== hash) {
      const total = cfg.stages.reduce((a, s) => a + s.steps, 0);
      const sameButLonger = o.extendable && previous && cfg.stages.length === 1 && withoutSteps(previous) === withoutSteps(obj) && total >= cp.step;
      if (!sameButLonger) throw new InputError(`${dir}: its checkpoint was written by a different configuration; remove the folder to run this stage again with the new settings`);
      o.log(`${dir}: extending the run from step ${cp.step} to ${total}\n`);
      cp.run.configHash = hash;
      cp.run.totalSteps = total;
      writeCheckpoint(cpPath, cp);
    }
  }
  let result: Record<string, unknown>;
  try {
    result = await runMD(cfg, { resume: hasCheckpoint, onProgress: o.onProgress, log: o.log });
  } catch (e) {
    if (e instanceof SimulationError) throw new InputError(`${dir}: ${e.message} (the last checkpoint and the trajectory so far are kept; check the potential, the temperature or the time step)`);
    throw e;
  }
  if (result.stopped) throw new StudyStopped(`${dir}: ${String(result.stopped)}; continue with --resume`);
  checkContacts(join(dir, 'final.xyz'), o.minContactA ?? 1.0);
  return result;
}
