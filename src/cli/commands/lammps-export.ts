/** `ufnmr lammps export --config md.json --out DIR`: the same MD run as a LAMMPS deck (design.md CLI contract). */
import type { CliArgs, Command } from '../command';
import { InputError } from '../../core/errors';
import { exportLammps, LammpsExportResult } from '../../lammps/export';
import type { BarostatMapping } from '../../lammps/ensembles';

const command: Command = {
  name: 'lammps export',
  summary: 'write an md.json run as a LAMMPS deck (pair_style uf3 potential, data file, in.lammps, README.txt)',
  usage: 'lammps export --config md.json --out DIR [--barostat berendsen|nose-hoover] [--force] [--json]',
  help: `
Writes into DIR everything LAMMPS needs to run the MD job of md.json (for long runs on a cluster):
  <name>.uf3       the potential for pair_style uf3 (a .uf3 is copied, a uf3 JSON model converted;
                   Lennard-Jones configs become explicit pair_style lj/cut coefficients instead)
  structure.data   the starting structure (frame, supercell; rotated into LAMMPS's lower-triangular frame
                   when needed; Masses per type; types in pair_coeff element order; Velocities when the
                   config takes them from the structure)
  in.lammps        units metal, minimisation, velocities, one run per stage (ladders, melt-quench), thermo
                   with ufnmr's thermo CSV columns (also written as a CSV), dump of xu yu zu at the trajectory
                   interval, restart files, the temperature guard, the final state
  README.txt       how to run it (lmp -in in.lammps; needs the ML-UF3 package), how to read the output
                   back into ufnmr, and what is exact or approximate
Settings LAMMPS cannot express (e.g. potential.belowRange "extrapolate") are rejected with the key named.
A new DIR is written atomically; an existing deck in DIR is only replaced with --force.
  --config F         the md.json file
  --out DIR          output folder
  --barostat M       how the c-rescale barostat is mapped: berendsen (default: fix press/berendsen, the
                     same relaxation without volume noise) or nose-hoover (fix npt/nph, MTK ensemble)
  --force            overwrite the deck files in an existing DIR`,
  options: { config: { type: 'string' }, out: { type: 'string' }, barostat: { type: 'string' }, force: { type: 'boolean' } },
  async run(args: CliArgs): Promise<Record<string, unknown>> {
    const v = args.values;
    if (typeof v.config !== 'string' || !v.config) throw new InputError('lammps export: --config md.json is required');
    if (typeof v.out !== 'string' || !v.out) throw new InputError('lammps export: --out DIR is required');
    const barostat = (v.barostat ?? 'berendsen') as string;
    if (barostat !== 'berendsen' && barostat !== 'nose-hoover') throw new InputError(`--barostat must be berendsen or nose-hoover, got ${JSON.stringify(barostat)}`);
    const r = exportLammps(v.config, v.out, { barostat: barostat as BarostatMapping, force: !!v.force });
    return r as unknown as Record<string, unknown>;
  },
  format(res: Record<string, unknown>): string {
    const r = res as unknown as LammpsExportResult;
    const lines = [
      `wrote ${r.directory}: ${Object.values(r.files).filter(Boolean).join(', ')}`,
      `${r.natoms} atoms, types ${r.types.map((t) => `${t.type}=${t.element} (${t.atoms} atoms, ${t.massAmu} amu)`).join(', ')}; pair_style ${r.pairStyle.join(' ')}`,
      `${r.stages.length} stage(s), ${r.totalSteps} steps of ${r.timestepPs * 1000} fs (${r.totalTimePs} ps)${r.rotated ? '; cell rotated into the LAMMPS frame' : ''}`,
      `run it: cd ${r.directory} && lmp -in ${r.files.deck}   (see README.txt)`,
    ];
    if (r.notes.length) lines.push('differences from ufnmr:', ...r.notes.map((n) => `  - ${n}`));
    return lines.join('\n');
  },
};

export default command;
