/** `ufnmr eval`: energy, forces and stress of one structure with a UF3 potential. */
import { existsSync } from 'node:fs';
import type { Command } from '../command';
import { InputError } from '../../core/errors';
import { getFloatArray } from '../../core/structure';
import { stressFromVirial, toVoigt } from '../../core/potential';
import { volume } from '../../core/cell';
import { readStructure } from '../../io/formats';
import { loadPotential } from '../../ufp/files';
import type { BelowRange } from '../../ufp/kernel';

const command: Command = {
  name: 'eval',
  summary: 'energy, forces and stress of a structure with a UF3 potential (.uf3 or uf3 JSON)',
  usage: 'eval --potential P --structure S [--frame N] [--format F] [--type-map Li,P,S] [--below-range error|extrapolate] [--json]',
  help: `
Evaluates a UF3 potential (science.md §2) on one structure. With a LAMMPS .uf3 file the energy is the one
LAMMPS reports (no 1-body term); a uf3 JSON model adds its 1-body energies. Output: natoms, energy (eV),
forces [[fx,fy,fz],…] (eV/Å), virial [xx,yy,zz,yz,xz,xy] (eV, W = Σ r⊗f) and stress (eV/Å³, σ = −W/V,
negative under compression; null without periodic cell). When the structure carries a reference energy
and forces (e.g. DFT in extended XYZ), their differences are reported too.
  --potential P      .uf3 (LAMMPS) or .json (uf3) model
  --structure S      any structure file src/io reads (extended XYZ, LAMMPS data/dump, POSCAR, CIF, DeePMD, .uftraj …)
  --frame N          frame of a multi-frame file (0-based, default 0; negative counts from the end)
  --format F         structure format when the file name does not tell (e.g. lammps-data)
  --type-map …       elements of LAMMPS atom types 1, 2, … (e.g. Li,P,S)
  --below-range …    atoms closer than a 2-body curve's lowest knot: error (default) or extrapolate`,
  options: {
    potential: { type: 'string' }, structure: { type: 'string' }, frame: { type: 'string' },
    'type-map': { type: 'string' }, 'below-range': { type: 'string' }, format: { type: 'string' },
  },
  async run(args) {
    const v = args.values;
    if (typeof v.potential !== 'string' || !v.potential) throw new InputError('--potential is required');
    if (typeof v.structure !== 'string' || !v.structure) throw new InputError('--structure is required');
    const frame = v.frame === undefined ? 0 : Number(v.frame);
    if (!Number.isInteger(frame)) throw new InputError(`--frame must be an integer, got ${JSON.stringify(v.frame)}`);
    const typeMap = typeof v['type-map'] === 'string' ? v['type-map'].split(',').map((s) => s.trim()).filter(Boolean) : undefined;
    const belowRange = (v['below-range'] ?? 'error') as BelowRange;
    if (belowRange !== 'error' && belowRange !== 'extrapolate') throw new InputError(`--below-range must be error or extrapolate, got ${JSON.stringify(belowRange)}`);
    const pot = loadPotential(v.potential, { belowRange, skin: 0.01 });
    if (!existsSync(v.structure)) throw new InputError(`structure file not found: ${v.structure}`);
    const s = readStructure(v.structure, { index: frame, typeMap, format: typeof v.format === 'string' ? v.format : undefined });
    const r = pot.bind(s.species, s.pbc).compute(s.positions, s.cell);
    const n = s.species.length;
    const forces: number[][] = [];
    for (let i = 0; i < n; i++) forces.push([r.forces[3 * i], r.forces[3 * i + 1], r.forces[3 * i + 2]]);
    const periodic = s.pbc.some(Boolean) && volume(s.cell) > 0;
    const out: Record<string, unknown> = {
      natoms: n,
      energy: r.energy,
      energyPerAtom: r.energy / n,
      forces,
      virial: toVoigt(r.virial),
      stress: periodic ? toVoigt(stressFromVirial(r.virial, s.cell)) : null,
      units: { energy: 'eV', forces: 'eV/A', virial: 'eV', stress: 'eV/A^3' },
      potential: { file: v.potential, elements: pot.elements, oneBody: Object.keys(pot.model.oneBody).length > 0 },
    };
    const refE = typeof s.info.energy === 'number' ? s.info.energy : undefined;
    const refF = getFloatArray(s, 'forces', 3) ?? getFloatArray(s, 'force', 3);
    if (refE !== undefined || refF) {
      let se = 0;
      if (refF) for (let q = 0; q < 3 * n; q++) se += (r.forces[q] - refF[q]) ** 2;
      out.reference = {
        ...(refE !== undefined ? { energy: refE, energyErrorPerAtomMeV: (1000 * (r.energy - refE)) / n } : {}),
        ...(refF ? { forceRmse: Math.sqrt(se / (3 * n)) } : {}),
      };
    }
    return out;
  },
  format(r) {
    const f = r.forces as number[][];
    const lines = [`natoms ${r.natoms}   energy ${(r.energy as number).toFixed(8)} eV   (${(r.energyPerAtom as number).toFixed(8)} eV/atom)`];
    if (r.stress) lines.push(`stress (eV/Å³, xx yy zz yz xz xy): ${(r.stress as number[]).map((x) => x.toExponential(6)).join(' ')}`);
    lines.push(`virial (eV, xx yy zz yz xz xy): ${(r.virial as number[]).map((x) => x.toFixed(6)).join(' ')}`);
    if (r.reference) lines.push(`reference: ${JSON.stringify(r.reference)}`);
    lines.push('atom        fx           fy           fz   (eV/Å)');
    f.slice(0, 20).forEach((v, i) => lines.push(`${String(i).padStart(4)} ${v.map((x) => x.toFixed(8).padStart(12)).join(' ')}`));
    if (f.length > 20) lines.push(`… ${f.length - 20} more (use --json)`);
    return lines.join('\n');
  },
};
export default command;
