/**
 * The potential of an md.json in LAMMPS terms: a UF3 model as a `.uf3` file for `pair_style uf3`
 * (ML-UF3 package), or Lennard-Jones parameters as explicit `pair_style lj/cut` coefficients. The element
 * order returned is the LAMMPS type order (type t ↔ elements[t−1]) used by pair_coeff and the data file.
 */
import { readFileSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { InputError } from '../core/errors';
import type { PotentialSpec } from '../md/config';
import { readModel } from '../ufp/files';
import { formatUf3 } from '../ufp/formatLammps';
import { num } from './metal';

/** A potential ready for a deck. */
export interface PotentialExport {
  /** Element of each LAMMPS atom type (type t ↔ elements[t−1]); the pair_coeff element order. */
  elements: string[];
  /** Files the deck needs next to it: name → content. */
  files: Record<string, string>;
  /** pair_style / pair_coeff / pair_modify commands as [name, ...args]. */
  commands: string[][];
  /** Neighbour-list skin, Å (`neighbor skin bin`). */
  skinA: number;
  /** Largest interaction cutoff, Å. */
  cutoffA: number;
  /** What differs from ufnmr's evaluation (shown in the deck header and the export result). */
  notes: string[];
  /** 1-body energy per atom of each element (eV) that LAMMPS leaves out, when the model has any. */
  oneBodyEv?: Record<string, number>;
}

/**
 * Exports the md.json potential for atoms of `species`; `where` names the config in messages.
 * InputError when the potential lacks an element or uses a setting LAMMPS cannot reproduce.
 */
export function exportPotential(spec: PotentialSpec, species: readonly string[], where: string): PotentialExport {
  return spec.kind === 'uf3' ? exportUf3(spec, species, where) : exportLennardJones(spec, species, where);
}

function checkSpecies(elements: readonly string[], species: readonly string[], what: string): void {
  const missing = [...new Set(species)].filter((e) => !elements.includes(e));
  if (missing.length) throw new InputError(`${what} has no parameters for element(s) ${missing.join(', ')} of the structure (it covers ${elements.join(', ')})`);
}

function exportUf3(spec: Extract<PotentialSpec, { kind: 'uf3' }>, species: readonly string[], where: string): PotentialExport {
  if (spec.belowRange === 'extrapolate')
    throw new InputError(`${where}.potential.belowRange: "extrapolate" has no LAMMPS equivalent (pair_style uf3 does not evaluate below the lowest knot); use "error" (the default) for a run that LAMMPS reproduces`);
  const model = readModel(spec.file);
  checkSpecies(model.elements, species, `potential ${spec.file}`);
  const isJson = extname(spec.file).toLowerCase() === '.json' || readFileSync(spec.file, 'utf8').trimStart().startsWith('{');
  const stem = basename(spec.file).replace(/\.(uf3\.json|json|uf3)$/i, '');
  const name = `${stem || 'potential'}.uf3`;
  // a .uf3 file is copied byte for byte (what the user validated); a uf3 JSON model is converted
  const text = isJson ? formatUf3(model, { author: 'ufnmr', citation: `converted from ${basename(spec.file)}` }) : readFileSync(spec.file, 'utf8');
  const bodies = model.threeBody.length > 0 ? 3 : 2;
  const notes: string[] = [];
  const oneBody = Object.fromEntries(Object.entries(model.oneBody).filter(([, e]) => e !== 0));
  if (Object.keys(oneBody).length)
    notes.push(`LAMMPS pair_style uf3 has no 1-body term: its PotEng is ufnmr's energy minus Σ N_el·e_el (${Object.entries(oneBody).map(([e, v]) => `${e} ${num(v)} eV`).join(', ')}); forces, pressure and dynamics are unchanged`);
  let cutoff = 0;
  for (const t of model.twoBody) cutoff = Math.max(cutoff, t.cutoff);
  for (const t of model.threeBody) cutoff = Math.max(cutoff, t.cutoffs.ij, t.cutoffs.ik);
  return {
    elements: [...model.elements], files: { [name]: text },
    commands: [['pair_style', 'uf3', String(bodies)], ['pair_coeff', '*', '*', name, ...model.elements]],
    skinA: spec.skinA, cutoffA: cutoff, notes, oneBodyEv: Object.keys(oneBody).length ? oneBody : undefined,
  };
}

interface LJ { epsilon: number; sigma: number; cutoff: number }

function exportLennardJones(spec: Extract<PotentialSpec, { kind: 'lennard-jones' }>, species: readonly string[], where: string): PotentialExport {
  // explicit coefficients for every type pair: ufnmr mixes missing pairs with Lorentz–Berthelot
  // (σ arithmetic, ε geometric, r_c max), LAMMPS lj/cut by default geometrically — never rely on LAMMPS mixing
  const elements: string[] = [];
  const given = new Map<string, LJ>();
  for (const [key, p] of Object.entries(spec.pairs)) {
    const parts = key.split('-');
    if (parts.length !== 2 || !parts[0] || !parts[1]) throw new InputError(`${where}.potential.lennardJones.pairs: key ${JSON.stringify(key)} must look like "Ne-Xe"`);
    for (const e of parts) if (!elements.includes(e)) elements.push(e);
    given.set(`${parts[0]}-${parts[1]}`, p);
  }
  checkSpecies(elements, species, `${where}.potential.lennardJones`);
  const pair = (a: string, b: string): LJ => {
    const p = given.get(`${a}-${b}`) ?? given.get(`${b}-${a}`);
    if (p) return p;
    const pa = given.get(`${a}-${a}`), pb = given.get(`${b}-${b}`);
    if (!pa || !pb) throw new InputError(`${where}.potential.lennardJones.pairs: pair ${a}-${b} is missing and cannot be mixed (needs ${a}-${a} and ${b}-${b})`);
    return { epsilon: Math.sqrt(pa.epsilon * pb.epsilon), sigma: 0.5 * (pa.sigma + pb.sigma), cutoff: Math.max(pa.cutoff, pb.cutoff) };
  };
  const commands: string[][] = [];
  let cutoff = 0;
  for (let a = 0; a < elements.length; a++)
    for (let b = a; b < elements.length; b++) {
      const p = pair(elements[a], elements[b]);
      cutoff = Math.max(cutoff, p.cutoff);
      commands.push(['pair_coeff', String(a + 1), String(b + 1), num(p.epsilon), num(p.sigma), num(p.cutoff)]);
    }
  return {
    elements, files: {},
    commands: [['pair_style', 'lj/cut', num(cutoff)], ...commands, ['pair_modify', 'shift', spec.shift ? 'yes' : 'no']],
    skinA: spec.skinA, cutoffA: cutoff, notes: [],
  };
}
