/**
 * The LAMMPS input deck (`in.lammps`) that reproduces an md.json run: units metal, the data file and
 * potential, optional minimisation, initial velocities, one `run` per stage (stages/ladders/melt-quench),
 * thermo output with the columns of ufnmr's thermo CSV (also written as a CSV by fix print), a dump of
 * unwrapped positions at the trajectory interval, restart files, the temperature guard and the final state.
 */
import { InputError } from '../core/errors';
import type { MDConfig } from '../md/config';
import { DeckWriter, quoted } from './deckText';
import { BarostatMapping, stageFixes } from './ensembles';
import { barFromGPa, num, psFromFs, velocitySeed } from './metal';
import type { PotentialExport } from './potential';
import type { StructureExport } from './structure';

/** Names of the files the deck reads and writes (relative to the run directory). */
export interface DeckFileNames {
  data: string;
  thermoCsv?: string;
  dump?: string;
  restart: [string, string];
  finalData?: string;
  finalRestart: string;
}

/** Options of {@link buildDeck}. */
export interface DeckOptions {
  barostat: BarostatMapping;
  /** Text shown in the header as the origin (e.g. the md.json path). */
  source: string;
  /** Name of the config in error messages. */
  where: string;
  /** Header lines (how to run, how to read back); written as comments. */
  header?: string[];
}

/** A stage as exported. */
export interface ExportedStage { name: string; steps: number; fixes: string[][] }

/** The deck text and a description of it. */
export interface DeckResult {
  text: string;
  stages: ExportedStage[];
  totalSteps: number;
  /** Approximations and differences from the ufnmr run (deduplicated). */
  notes: string[];
}

/** Thermo columns of ufnmr's thermo CSV and the LAMMPS expression of each (metal units converted). */
export function thermoColumns(groupElements: readonly string[]): { name: string; thermo: string; csv: string }[] {
  const cols = [
    { name: 'step', thermo: 'step', csv: '$(step)' },
    { name: 'time_fs', thermo: 'time', csv: '$(time*1000:%.15g)' },
    { name: 'temp_K', thermo: 'temp', csv: '$(temp:%.15g)' },
    { name: 'pe_eV', thermo: 'pe', csv: '$(pe:%.15g)' },
    { name: 'ke_eV', thermo: 'ke', csv: '$(ke:%.15g)' },
    { name: 'etot_eV', thermo: 'etotal', csv: '$(etotal:%.15g)' },
    { name: 'conserved_eV', thermo: 'econserve', csv: '$(econserve:%.15g)' },
    { name: 'press_GPa', thermo: 'press', csv: '$(press/10000:%.15g)' },
    { name: 'volume_A3', thermo: 'vol', csv: '$(vol:%.15g)' },
    { name: 'density_g_cm3', thermo: 'density', csv: '$(density:%.15g)' },
  ];
  for (const e of groupElements) cols.push({ name: `temp_${e}_K`, thermo: `c_temp_${e}`, csv: `$(c_temp_${e}:%.15g)` });
  return cols;
}

/** Builds the deck for a validated config, its exported potential and structure. */
export function buildDeck(cfg: MDConfig, pot: PotentialExport, st: StructureExport, files: DeckFileNames, opts: DeckOptions): DeckResult {
  const d = new DeckWriter();
  const notes: string[] = [...pot.notes];
  const note = (t: string) => { if (!notes.includes(t)) notes.push(t); };
  const where = opts.where;
  const s = st.structure;
  const present = [...new Set(s.species)];

  if (opts.header) d.comment(...opts.header).blank();

  d.comment('---- system').command('units', 'metal').command('atom_style', 'atomic').command('atom_modify', 'map', 'array');
  d.command('boundary', ...s.pbc.map((p) => (p ? 'p' : 's')));
  if (!s.pbc.every(Boolean)) note('non-periodic directions are shrink-wrapped (boundary s)');
  d.command('read_data', files.data);
  const cellRelax = cfg.minimize?.cell;
  if (cellRelax === 'full' && !st.triclinic) d.command('change_box', 'all', 'triclinic');
  pot.elements.forEach((e, t) => d.command('mass', t + 1, `${num(st.massesAmu[t])}  # ${e}`));
  if (st.rotation) note('the cell was rotated into LAMMPS\'s lower-triangular frame (a along x, b in the xy plane): positions, velocities and the dump are in that frame');
  if (st.tiltsReduced) note('tilt factors were reduced into LAMMPS\'s range by adding lattice vectors (same crystal, other cell vectors)');

  d.blank().comment('---- potential');
  for (const c of pot.commands) d.command(c[0], ...c.slice(1));
  d.command('neighbor', num(pot.skinA), 'bin').command('neigh_modify', 'every', 1, 'delay', 0, 'check', 'yes');

  // per-element temperatures (ufnmr: 3 degrees of freedom per atom of the group) and the global dof
  const groups = cfg.output.thermo?.groups === 'elements' && present.length >= 2 ? present : [];
  const anyLangevin = cfg.stages.some((x) => x.thermostat?.type === 'langevin');
  d.blank().comment('---- temperatures as ufnmr reports them');
  for (const e of groups) {
    d.command('group', e, 'type', pot.elements.indexOf(e) + 1);
    d.command('compute', `temp_${e}`, e, 'temp').command('compute_modify', `temp_${e}`, 'extra/dof', 0);
  }
  if (anyLangevin) {
    d.command('compute_modify', 'thermo_temp', 'extra/dof', 0);
    note('Langevin stages do not conserve momentum: the temperature counts 3N degrees of freedom (compute_modify thermo_temp extra/dof 0), as ufnmr does');
  }
  d.command('timestep', `${num(psFromFs(cfg.timestepFs))}  # ps = ${num(cfg.timestepFs)} fs`);

  const cols = thermoColumns(groups);
  const thermoEvery = cfg.output.thermo?.every ?? 100;
  d.command('thermo_style', 'custom', ...cols.map((c) => c.thermo)).command('thermo_modify', 'format', 'float', '%.12g').command('thermo', thermoEvery);

  if (cfg.minimize) {
    const m = cfg.minimize;
    d.blank().comment('---- minimisation (ufnmr: FIRE; here conjugate gradients, which leave velocities untouched)');
    d.command('min_style', 'cg').command('min_modify', 'norm', 'max');
    if (m.cell) {
      if (m.cell === 'orthorhombic' && st.rotation)
        throw new InputError(`${where}.minimize.cell: "orthorhombic" relaxes ufnmr's Cartesian axes, but the cell had to be rotated into LAMMPS's frame; use "isotropic" or "full", or give the cell with a along x and b in the xy plane`);
      const style = m.cell === 'isotropic' ? 'iso' : m.cell === 'orthorhombic' ? 'aniso' : 'tri';
      d.command('fix', 'relax', 'all', 'box/relax', style, num(barFromGPa(m.pressureGPa)), 'vmax', 0.001);
    }
    d.command('minimize', 0, num(m.fmaxEvPerA), m.maxSteps, 10 * m.maxSteps);
    if (m.cell) d.command('unfix', 'relax');
    d.command('reset_timestep', 0);
    note('minimisation: LAMMPS cg (with fix box/relax for the cell) instead of FIRE, same force criterion (max atom force ≤ fmaxEvPerA): both stop at a nearby, not bit-identical, minimum');
  }

  d.blank().comment('---- initial velocities');
  const v = cfg.velocities;
  if (v.source === 'maxwell-boltzmann') {
    d.command('velocity', 'all', 'create', num(v.temperatureK), velocitySeed(v.seed), 'dist', 'gaussian', 'mom', v.removeCom ? 'yes' : 'no', 'rot', 'no', 'loop', 'geom', 'temp', 'thermo_temp');
    note('initial velocities: Maxwell–Boltzmann at the same temperature, but from LAMMPS\'s random generator (other numbers than ufnmr\'s)');
    if (!v.exact) note('velocities.exact = false: LAMMPS velocity create always rescales to the exact temperature');
  } else if (v.source === 'zero') {
    d.command('velocity', 'all', 'set', 0, 0, 0);
  } else {
    d.comment(s.arrays.velocities ? 'from the Velocities section of the data file' : 'the structure has no velocities: atoms start at rest (as in ufnmr)');
  }

  d.blank().comment('---- output');
  if (files.thermoCsv) {
    d.command('fix', 'thermo_csv', 'all', 'print', thermoEvery, quoted(cols.map((c) => c.csv).join(',')), 'file', files.thermoCsv, 'screen', 'no', 'title', quoted(cols.map((c) => c.name).join(',')));
    note('thermo CSV: LAMMPS writes the first step of every stage after the first twice (end of one run, start of the next); keep the last');
  }
  const tr = cfg.output.trajectory;
  if (tr && files.dump) {
    const colsDump = ['id', 'type', 'element', 'xu', 'yu', 'zu', ...(tr.velocities ? ['vx', 'vy', 'vz'] : []), ...(tr.forces ? ['fx', 'fy', 'fz'] : [])];
    d.command('dump', 'traj', 'all', 'custom', tr.every, files.dump, ...colsDump);
    d.command('dump_modify', 'traj', 'sort', 'id', 'element', ...pot.elements, 'format', 'float', tr.precision === 'f32' ? '%.8g' : '%.15g');
  }
  d.command('restart', cfg.output.checkpoint.every, ...files.restart);
  const g = cfg.guards;
  d.command('variable', 'guard_temp', 'equal', 'temp');
  d.command('fix', 'guard', 'all', 'halt', g.every, 'v_guard_temp', '>', num(g.maxTemperatureK), 'error', 'hard', 'message', 'yes');
  if (cfg.removeComEvery > 0) d.command('fix', 'remove_com', 'all', 'momentum', cfg.removeComEvery, 'linear', 1, 1, 1);

  const ctx = { seed: cfg.seed, barostat: opts.barostat, triclinic: st.triclinic, rotated: !!st.rotation };
  const stages: ExportedStage[] = [];
  let total = 0;
  const nStages = cfg.stages.length;
  cfg.stages.forEach((stage, k) => {
    const sw = cfg.protocol ? `${where}.protocol (stage "${stage.name}")` : `${where}.stages[${k}]`;
    const fx = stageFixes(stage, k, ctx, sw);
    fx.notes.forEach(note);
    const tempText = stage.temperatureK ? `, T ${stage.temperatureK[0] === stage.temperatureK[1] ? `${stage.temperatureK[0]} K` : `${stage.temperatureK[0]} → ${stage.temperatureK[1]} K`}` : '';
    const pText = stage.barostat ? `, P ${stage.barostat.pressureGPa[0] === stage.barostat.pressureGPa[1] ? `${stage.barostat.pressureGPa[0]} GPa` : `${stage.barostat.pressureGPa[0]} → ${stage.barostat.pressureGPa[1]} GPa`}` : '';
    d.blank().comment(`---- stage ${k + 1}/${nStages} "${stage.name}": ${stage.ensemble}${stage.thermostat ? ` (${stage.thermostat.type})` : ''}${tempText}${pText}, ${stage.steps} steps = ${num(psFromFs(stage.steps * cfg.timestepFs))} ps`);
    if (stage.steps === 0) { d.comment('no steps: skipped'); stages.push({ name: stage.name, steps: 0, fixes: [] }); return; }
    for (const c of fx.commands) d.command(c[0], ...c.slice(1));
    d.command('run', stage.steps);
    for (const id of fx.fixIds) d.command('unfix', id);
    stages.push({ name: stage.name, steps: stage.steps, fixes: fx.commands });
    total += stage.steps;
  });

  d.blank().comment('---- final state');
  d.command('write_restart', files.finalRestart);
  if (files.finalData) d.command('write_data', files.finalData);
  if (cfg.guards.maxEnergyDriftEvPerAtom && cfg.stages.some((x) => x.ensemble === 'nve')) note('the energy-drift guard has no LAMMPS counterpart (only the temperature guard, as fix halt)');
  return { text: d.text(), stages, totalSteps: total, notes };
}
