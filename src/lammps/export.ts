/**
 * `ufnmr lammps export`: writes a folder with everything LAMMPS needs to run an md.json job — the potential
 * (.uf3 for pair_style uf3, or lj/cut coefficients), the starting structure as a data file, in.lammps and
 * README.txt. Files are written atomically; an existing deck is never overwritten unless `force`.
 */
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { basename, extname, join, resolve } from 'node:path';
import { InputError } from '../core/errors';
import { replaceDirectoryAtomic, writeFileAtomic } from '../io/atomic';
import type { MDConfig } from '../md/config';
import { readMDConfig } from '../md/config';
import { buildDeck, DeckFileNames, ExportedStage } from './deck';
import type { BarostatMapping } from './ensembles';
import { psFromFs } from './metal';
import { exportPotential } from './potential';
import { deckHeader, readmeText, ReadmeInfo } from './readme';
import { exportStructure, initialStructure } from './structure';

/** Options of {@link exportLammps}. */
export interface LammpsExportOptions {
  /** How the c-rescale barostat is mapped (default 'berendsen'; see ensembles.ts). */
  barostat?: BarostatMapping;
  /** Overwrite the files of an existing deck in the folder. */
  force?: boolean;
}

/** What was exported. */
export interface LammpsExportResult {
  directory: string;
  files: { deck: string; data: string; readme: string; potential?: string };
  natoms: number;
  types: { type: number; element: string; massAmu: number; atoms: number }[];
  pairStyle: string[];
  timestepPs: number;
  totalSteps: number;
  totalTimePs: number;
  stages: ExportedStage[];
  barostat: BarostatMapping;
  rotated: boolean;
  triclinic: boolean;
  /** Outputs LAMMPS will write. */
  outputs: DeckFileNames;
  /** Differences from the ufnmr run (approximations), also in README.txt. */
  notes: string[];
  oneBodyEv?: Record<string, number>;
}

const DECK = 'in.lammps';
const README = 'README.txt';
const DATA = 'structure.data';

function stem(path: string): string {
  const b = basename(path);
  const e = extname(b);
  return e ? b.slice(0, -e.length) : b;
}

/** Output file names inside the run folder, kept apart from the input files. */
function outputNames(cfg: MDConfig, inputs: string[]): DeckFileNames {
  const o = cfg.output;
  const avoid = (name: string) => (inputs.includes(name) ? `out-${name}` : name);
  const ck = stem(o.checkpoint.file) || 'checkpoint';
  return {
    data: DATA,
    thermoCsv: o.thermo ? avoid(basename(o.thermo.file)) : undefined,
    dump: o.trajectory ? avoid(`${stem(o.trajectory.file)}.lammpstrj`) : undefined,
    restart: [avoid(`${ck}.a.restart`), avoid(`${ck}.b.restart`)],
    finalData: o.final ? avoid(`${stem(o.final)}.data`) : undefined,
    finalRestart: avoid(o.final ? `${stem(o.final)}.restart` : 'final.restart'),
  };
}

/** Builds the files of an export in memory (name → text) and its description; writes nothing. */
export function buildLammpsExport(cfg: MDConfig, opts: LammpsExportOptions = {}): { files: Record<string, string>; result: Omit<LammpsExportResult, 'directory'> } {
  const where = cfg.file || 'md config';
  const barostat = opts.barostat ?? 'berendsen';
  if (barostat !== 'berendsen' && barostat !== 'nose-hoover') throw new InputError(`barostat mapping must be "berendsen" or "nose-hoover", got ${JSON.stringify(barostat)}`);
  const s0 = initialStructure(cfg);
  const pot = exportPotential(cfg.potential, s0.species, where);
  const st = exportStructure(s0, pot.elements, cfg.masses, cfg.velocities.source === 'structure', where);
  const potentialFile = Object.keys(pot.files)[0];
  const inputs = [DECK, README, DATA, ...Object.keys(pot.files)];
  if (potentialFile && inputs.indexOf(potentialFile) !== inputs.lastIndexOf(potentialFile)) throw new InputError(`${where}: the potential file name ${potentialFile} clashes with a file of the deck; rename the potential`);
  const names = outputNames(cfg, inputs);
  const tr = cfg.output.trajectory;
  const info: ReadmeInfo = {
    source: cfg.file || '(config built in code)', natoms: st.structure.species.length, elements: pot.elements,
    pairStyle: pot.commands[0].slice(1).join(' '), deck: DECK, potentialFile, files: names,
    frameFs: tr ? tr.every * cfg.timestepFs : undefined, totalSteps: cfg.stages.reduce((a, x) => a + x.steps, 0), timestepFs: cfg.timestepFs,
    usesCsvr: cfg.stages.some((x) => x.thermostat?.type === 'bussi'), notes: [],
  };
  const deck = buildDeck(cfg, pot, st, names, { barostat, source: info.source, where, header: deckHeader(info) });
  info.notes = deck.notes; // README.txt lists them; the deck header points there
  const files: Record<string, string> = { ...pot.files, [DATA]: st.text, [DECK]: deck.text, [README]: readmeText(info) };
  const result: Omit<LammpsExportResult, 'directory'> = {
    files: { deck: DECK, data: DATA, readme: README, potential: potentialFile },
    natoms: st.structure.species.length,
    types: pot.elements.map((e, t) => ({ type: t + 1, element: e, massAmu: st.massesAmu[t], atoms: st.counts[t] })),
    pairStyle: pot.commands[0].slice(1), timestepPs: psFromFs(cfg.timestepFs), totalSteps: deck.totalSteps,
    totalTimePs: psFromFs(deck.totalSteps * cfg.timestepFs), stages: deck.stages, barostat,
    rotated: !!st.rotation, triclinic: st.triclinic, outputs: names, notes: deck.notes, oneBodyEv: pot.oneBodyEv,
  };
  return { files, result };
}

/**
 * Exports a validated md.json config (or the path of one) into folder `outDir`: a new folder is written
 * atomically as a whole; into an existing folder each file is written atomically, and only with `force`
 * when any of the deck's files is already there.
 */
export function exportLammps(config: MDConfig | string, outDir: string, opts: LammpsExportOptions = {}): LammpsExportResult {
  const cfg = typeof config === 'string' ? readMDConfig(config) : config;
  const dir = resolve(outDir);
  const { files, result } = buildLammpsExport(cfg, opts);
  if (existsSync(dir)) {
    if (!statSync(dir).isDirectory()) throw new InputError(`--out ${dir} exists and is not a directory`);
    const clash = Object.keys(files).filter((f) => existsSync(join(dir, f)));
    if (clash.length && !opts.force) throw new InputError(`${dir} already holds a deck (${clash.join(', ')}); use --force to overwrite it, or choose another --out`);
    for (const [name, text] of Object.entries(files).sort(([a], [b]) => Number(a === DECK) - Number(b === DECK))) writeFileAtomic(join(dir, name), text);
  } else {
    mkdirSync(resolve(dir, '..'), { recursive: true });
    replaceDirectoryAtomic(dir, (tmp) => { for (const [name, text] of Object.entries(files)) writeFileAtomic(join(tmp, name), text); });
  }
  return { directory: dir, ...result };
}
