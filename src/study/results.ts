/**
 * Reading a finished study back (for notebooks and checks): results.json plus the per-temperature curves
 * (acf.json, msd.json, hops.json) it points to.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputError, ParseError } from '../core/errors';
import type { HopsStageResult, MsdStageResult, NmrStageResult } from './analysisStages';
import type { StudyResults } from './pipeline';

/** A loaded study: results.json and, per temperature, the ACF, MSD and hop outputs. */
export interface LoadedStudy {
  directory: string;
  results: StudyResults;
  temperatures: { temperatureK: number; acf: NmrStageResult; msd: MsdStageResult; hops: HopsStageResult & { gammaFromDHz: number | null } }[];
}

function readJsonFile<T>(path: string): T {
  if (!existsSync(path)) throw new InputError(`${path} does not exist (has the study finished? run \`ufnmr study --config … --resume\`)`);
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as T;
  } catch (e) {
    throw new ParseError({ file: path, line: 1 }, 'a JSON document', (e as Error).message);
  }
}

/** Whether a study output directory holds a results.json. */
export function studyFinished(directory: string): boolean {
  return existsSync(join(directory, 'results.json'));
}

/** Loads results.json of a study output directory and the per-temperature stage outputs. */
export function loadStudy(directory: string): LoadedStudy {
  const results = readJsonFile<StudyResults>(join(directory, 'results.json'));
  if (results.format !== 'ufnmr-study-results') throw new ParseError({ file: join(directory, 'results.json'), array: 'format' }, '"ufnmr-study-results"', String(results.format));
  return {
    directory, results,
    temperatures: results.files.map((f) => ({
      temperatureK: f.temperatureK, acf: readJsonFile(join(directory, f.acf)), msd: readJsonFile(join(directory, f.msd)), hops: readJsonFile(join(directory, f.hops)),
    })),
  };
}
