/**
 * The texts that travel with an exported deck: the short header of in.lammps and README.txt (how to run
 * it, which LAMMPS packages it needs, how to read its output back into ufnmr, what differs from ufnmr).
 */
import type { DeckFileNames } from './deck';
import { num } from './metal';

/** What the texts need to know about an export. */
export interface ReadmeInfo {
  source: string;
  natoms: number;
  elements: string[];
  /** pair style line, e.g. "uf3 3". */
  pairStyle: string;
  deck: string;
  potentialFile?: string;
  files: DeckFileNames;
  /** Time between dump frames, fs (undefined without a dump). */
  frameFs?: number;
  totalSteps: number;
  timestepFs: number;
  usesCsvr: boolean;
  notes: string[];
}

function packages(info: ReadmeInfo): string {
  const p = info.pairStyle.startsWith('uf3') ? ['LAMMPS 7 Feb 2024 or newer with the ML-UF3 package (pair_style uf3)'] : ['LAMMPS 2021 or newer (pair_style lj/cut; thermo keyword econserve)'];
  if (info.usesCsvr) p.push('the EXTRA-FIX package (fix temp/csvr)');
  return p.join(' and ');
}

function readBack(info: ReadmeInfo): string[] {
  const f = info.files;
  const out: string[] = [];
  if (f.dump) {
    const dt = info.frameFs !== undefined ? ` --dt-fs ${num(info.frameFs)}` : '';
    out.push(
      `ufnmr msd  --trajectory ${f.dump}${dt}`,
      `ufnmr hops --trajectory ${f.dump}${dt} --sites data/structures/beta-Li3PS4_Li-sites_GEMDAT.cif   (or --amorphous)`,
      `ufnmr efg predict --model MODEL --trajectory ${f.dump} --output efg.npy`,
      `ufnmr convert ${f.dump} trajectory.xyz`,
    );
  }
  if (f.finalData) out.push(`ufnmr convert ${f.finalData} final.xyz`);
  return out;
}

/** Comment lines for the top of in.lammps. */
export function deckHeader(info: ReadmeInfo): string[] {
  return [
    `ufnmr LAMMPS deck exported from ${info.source}`,
    `${info.natoms} atoms (${info.elements.map((e, t) => `type ${t + 1} = ${e}`).join(', ')}), ${info.totalSteps} steps of ${num(info.timestepFs)} fs`,
    '',
    `Run:   lmp -in ${info.deck}            (in this folder; or mpirun -np N lmp -in ${info.deck})`,
    `Needs: ${packages(info)}`,
    'Read the output back into ufnmr (the dump has unwrapped coordinates xu yu zu and an element column):',
    ...readBack(info).map((l) => `  ${l}`),
    'See README.txt for the mapping of every md.json setting and what differs from ufnmr\'s engine.',
  ];
}

/** README.txt of an exported deck. */
export function readmeText(info: ReadmeInfo): string {
  const f = info.files;
  const lines = [
    `LAMMPS run exported by ufnmr (ufnmr lammps export) from ${info.source}`,
    '',
    'FILES',
    `  ${info.deck.padEnd(22)} the input deck`,
    `  ${f.data.padEnd(22)} starting structure (LAMMPS data file; type t = ${info.elements.map((e, t) => `${t + 1}:${e}`).join(' ')})`,
    ...(info.potentialFile ? [`  ${info.potentialFile.padEnd(22)} the UF3 potential (pair_style ${info.pairStyle}; pair_coeff * * ${info.potentialFile} ${info.elements.join(' ')})`] : []),
    '',
    'RUN',
    `  Needs ${packages(info)}.`,
    `  cd into this folder, then:   lmp -in ${info.deck}`,
    `  in parallel:                  mpirun -np 16 lmp -in ${info.deck}`,
    '  LAMMPS writes into the current folder (and overwrites files of a previous run):',
    ...(f.thermoCsv ? [`    ${f.thermoCsv.padEnd(20)} thermo table with the columns of ufnmr's thermo CSV (time in fs, pressure in GPa)`] : []),
    '    log.lammps           the same quantities in LAMMPS units (time ps, pressure bar)',
    ...(f.dump ? [`    ${f.dump.padEnd(20)} dump custom: id type element xu yu zu [vx vy vz in Å/ps] [fx fy fz]${info.frameFs !== undefined ? `, one frame every ${num(info.frameFs)} fs` : ''}`] : []),
    `    ${f.restart.join(', ')}   restart files, alternating (continue with read_restart)`,
    `    ${f.finalRestart}${f.finalData ? `, ${f.finalData}` : ''}   the final state`,
    '  To continue a stopped run: replace read_data by read_restart <newest restart file>, drop the velocity',
    '  command, and keep only the stages still to run (with their remaining steps).',
    '',
    'BACK INTO UFNMR',
    '  The dump holds unwrapped positions and element names, so no --type-map is needed:',
    ...readBack(info).map((l) => `    ${l}`),
    '',
    'WHAT IS EXACT AND WHAT IS NOT',
    '  Exact: units (metal: timestep and damping times in ps, pressures in bar), structure, masses, types,',
    `  potential (pair_style ${info.pairStyle} gives ufnmr's energies and forces), NVE velocity Verlet, the`,
    '  schedule of stages (temperature/pressure ramps are linear over each run in both codes), output intervals.',
    ...info.notes.map((n) => `  - ${n}`),
    '',
  ];
  return lines.join('\n');
}
