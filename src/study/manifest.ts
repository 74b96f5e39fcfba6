/**
 * Stage bookkeeping of a study: every finished stage leaves `stage.json` in its folder with the hash of
 * everything it depends on (config slice, input file contents, upstream stage hashes), the files it made
 * and a small JSON result. A stage is done when its manifest has the current hash and all outputs exist.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ParseError } from '../core/errors';
import { writeFileAtomic } from '../io/atomic';

/** The stages of a study, in pipeline order. */
export const STAGE_NAMES = ['structure', 'equilibrate', 'production', 'efg', 'nmr', 'dynamics', 'summary', 'figures'] as const;
/** One stage name. */
export type StageName = (typeof STAGE_NAMES)[number];

/** The contents of a stage's `stage.json`. */
export interface StageManifest {
  format: 'ufnmr-study-stage';
  version: 1;
  stage: StageName;
  /** Folder of the stage relative to the study output directory, e.g. "T600K/nmr". */
  key: string;
  hash: string;
  completed: string;
  /** Output files, relative to the stage folder. */
  outputs: string[];
  result: Record<string, unknown>;
}

/** JSON with object keys sorted (so equal values hash equally); typed arrays become plain arrays. */
export function canonicalJson(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) => {
    if (ArrayBuffer.isView(x) && !(x instanceof DataView)) return Array.from(x as unknown as ArrayLike<number>);
    if (x && typeof x === 'object' && !Array.isArray(x)) {
      const o = x as Record<string, unknown>;
      return Object.fromEntries(Object.keys(o).sort().map((k) => [k, o[k]]));
    }
    return x;
  });
}

/** 16-hex-digit SHA-256 of the canonical JSON of a value. */
export function stableHash(v: unknown): string {
  return createHash('sha256').update(canonicalJson(v)).digest('hex').slice(0, 16);
}

/** 16-hex-digit SHA-256 of a file's bytes, or of every file in a folder (sorted names, recursively). */
export function contentHash(path: string): string {
  const h = createHash('sha256');
  const add = (p: string, rel: string) => {
    if (statSync(p).isDirectory()) for (const e of readdirSync(p).sort()) add(join(p, e), `${rel}/${e}`);
    else { h.update(rel); h.update(readFileSync(p)); }
  };
  add(path, '');
  return h.digest('hex').slice(0, 16);
}

/** The manifest in a stage folder, or undefined when there is none. */
export function readManifest(dir: string): StageManifest | undefined {
  const file = join(dir, 'stage.json');
  if (!existsSync(file)) return undefined;
  let m: StageManifest;
  try {
    m = JSON.parse(readFileSync(file, 'utf8')) as StageManifest;
  } catch (e) {
    throw new ParseError({ file, line: 1 }, 'a JSON stage manifest', (e as Error).message);
  }
  if (m?.format !== 'ufnmr-study-stage' || m.version !== 1 || typeof m.hash !== 'string' || !Array.isArray(m.outputs))
    throw new ParseError({ file, array: 'format' }, 'format "ufnmr-study-stage" version 1 with hash and outputs', `${String(m?.format)} ${String(m?.version)}`);
  return m;
}

/** Writes a stage manifest atomically (the last thing a stage does). */
export function writeManifest(dir: string, m: Omit<StageManifest, 'format' | 'version' | 'completed'>): StageManifest {
  const full: StageManifest = { format: 'ufnmr-study-stage', version: 1, ...m, completed: new Date().toISOString() };
  writeFileAtomic(join(dir, 'stage.json'), JSON.stringify(full, null, 1) + '\n');
  return full;
}

/** True when the manifest has this hash and every output it lists exists. */
export function manifestIsCurrent(dir: string, m: StageManifest | undefined, hash: string): m is StageManifest {
  return !!m && m.hash === hash && m.outputs.every((f) => existsSync(join(dir, f)));
}
