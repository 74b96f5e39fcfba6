/** Shared helpers of the LAMMPS export tests: configs written to a temp folder, deck queries. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseMDConfig, MDConfig } from '../../src/md/config';
import { LammpsCommand, parseLammpsInput } from '../../src/lammps/deckText';

export const FIX = join(__dirname, '../fixtures');
export const BENCH_UF3 = join(FIX, 'ufp/bench_lps.uf3');
export const BENCH_STEP0 = join(FIX, 'ufp/nve_dump_step0.lammpstrj');
export const NEXE = join(FIX, 'md/nexe_2frames.lammpstrj');

/** Ne–Xe Lennard-Jones parameters of the nexe fixture (md.json form). */
export const NEXE_LJ = {
  lennardJones: {
    pairs: {
      'Ne-Ne': { epsilonEv: 0.003705453303, sigmaA: 2.73, cutoffA: 6 },
      'Ne-Xe': { epsilonEv: 0.006323399148, sigmaA: 3.472, cutoffA: 8 },
      'Xe-Xe': { epsilonEv: 0.02206037315, sigmaA: 3.92, cutoffA: 10 },
    },
    shift: true,
  },
};

/** A fresh temporary folder. */
export function tmp(prefix = 'lammps-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** The bench case as md.json: bench_lps.uf3 on beta768, NVE 100 × 0.5 fs, velocities from the step-0 dump. */
export function benchConfigObject(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    structure: BENCH_STEP0, typeMap: ['Li', 'P', 'S'], potential: { file: BENCH_UF3 },
    masses: { Li: 6.94, P: 30.974, S: 32.06 }, timestepFs: 0.5, velocities: 'structure',
    stages: [{ name: 'nve', steps: 100, ensemble: 'nve' }],
    output: { directory: 'run', thermo: { every: 10 }, trajectory: { every: 100, velocities: true, forces: true } },
    ...extra,
  };
}

/** A 64-atom Ne–Xe LJ config with the given extra keys (stages etc.). */
export function nexeConfigObject(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    structure: NEXE, typeMap: ['Ne', 'Xe'], potential: NEXE_LJ, timestepFs: 2, seed: 3,
    velocities: { temperatureK: 40 }, stages: [{ name: 'nve', steps: 10, ensemble: 'nve' }],
    output: { directory: 'run', thermo: { every: 5 } },
    ...extra,
  };
}

/** Writes a config object as md.json into a temp folder and validates it. */
export function config(obj: Record<string, unknown>, dir = tmp()): MDConfig {
  const path = join(dir, 'md.json');
  writeFileSync(path, JSON.stringify(obj));
  return parseMDConfig(obj, path);
}

/** All commands with this name. */
export function commands(deck: LammpsCommand[] | string, name: string): LammpsCommand[] {
  const cmds = typeof deck === 'string' ? parseLammpsInput(deck) : deck;
  return cmds.filter((c) => c.name === name);
}

/** The one command with this name (throws when there are none or several). */
export function only(deck: LammpsCommand[] | string, name: string): LammpsCommand {
  const c = commands(deck, name);
  if (c.length !== 1) throw new Error(`expected one ${name} command, found ${c.length}`);
  return c[0];
}

/** The fixes defined (fix ID all style …) as "style args…" strings in deck order. */
export function fixes(deck: LammpsCommand[] | string): string[] {
  return commands(deck, 'fix').map((c) => c.args.slice(2).join(' '));
}
