/** `ufnmr efg point-charge`: point-charge EFG tensors (Ewald) of every atom of a structure. */
import type { Command } from '../command';
import { parseCharges, structurePointChargeEfg } from '../../efg/ewald';
import { nmrParameters } from '../../efg/tensor';
import { readStructureForEfg, intOption, numberOption, requiredString } from './efg-common';

const command: Command = {
  name: 'efg point-charge',
  summary: 'point-charge EFG tensors of every atom by Ewald summation (V/Å²)',
  usage: 'efg point-charge --structure S --charges Li=1,P=5,S=-2 [--sternheimer g] [--frame N] [--alpha A] [--json]',
  help: `
Electric field gradient of a periodic array of point charges at every atom, by Ewald summation for any
triclinic cell (science.md §3); non-periodic structures are summed directly. Charges are given per element
(e). A non-neutral cell is summed with a uniform neutralising background. With --sternheimer g the tensors are
multiplied by (1 − g) (Li⁺: g ≈ 0.26). Output: {units: "V/A^2", tensors: [[Vxx,Vxy,Vxz,Vyx,Vyy,Vyz,Vzx,Vzy,Vzz], …]}
per atom, plus species, 7Li-convention C_Q (kHz) and η per atom, and the Ewald settings.
  --structure S      .xyz/.extxyz (--frame N picks a frame), POSCAR/CONTCAR/.vasp or .cif
  --charges …        Element=charge list, e.g. Li=1,P=5,S=-2
  --sternheimer g    antishielding factor γ∞ (default 0)
  --alpha A          Ewald splitting parameter (1/Å; default: balanced automatically)`,
  options: {
    structure: { type: 'string' }, charges: { type: 'string' }, sternheimer: { type: 'string' },
    frame: { type: 'string' }, alpha: { type: 'string' },
  },
  async run(args) {
    const path = requiredString(args.values.structure, 'structure');
    const charges = parseCharges(requiredString(args.values.charges, 'charges'));
    const s = readStructureForEfg(path, intOption(args.values.frame, 'frame', 0));
    const r = structurePointChargeEfg(s, charges, { sternheimer: numberOption(args.values.sternheimer, 'sternheimer'), alpha: numberOption(args.values.alpha, 'alpha') });
    const tensors: number[][] = [], cqKHz: number[] = [], eta: number[] = [];
    for (let i = 0; i < s.species.length; i++) {
      tensors.push(Array.from(r.tensors.subarray(9 * i, 9 * i + 9)));
      const p = nmrParameters(r.tensors, undefined, 9 * i);
      cqKHz.push(p.cqHz / 1e3); eta.push(p.eta);
    }
    return {
      units: 'V/A^2', natoms: s.species.length, species: s.species, tensors, cqKHzLi7: cqKHz, eta,
      netCharge: r.netCharge, ewald: { alpha: r.alpha, realCutoffA: r.realCutoff, reciprocalCutoffPerA: r.reciprocalCutoff },
    };
  },
  format(r) {
    const sp = r.species as string[], t = r.tensors as number[][], cq = r.cqKHzLi7 as number[], eta = r.eta as number[];
    const lines = [`point-charge EFG (V/Å²), net charge ${(r.netCharge as number).toFixed(6)} e`, 'atom el      Vxx       Vyy       Vzz       Vxy       Vxz       Vyz   C_Q(7Li,kHz)  η'];
    sp.forEach((e, i) => lines.push(`${String(i).padStart(4)} ${e.padEnd(2)} ${[t[i][0], t[i][4], t[i][8], t[i][1], t[i][2], t[i][5]].map((v) => v.toFixed(4).padStart(9)).join(' ')} ${cq[i].toFixed(1).padStart(12)} ${eta[i].toFixed(3)}`));
    return lines.join('\n');
  },
};
export default command;
