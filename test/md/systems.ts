/** Small test systems for MD tests: LJ argon on an fcc lattice, a force-free calculator. */
import { createStructure } from '../../src/core/structure';
import type { Calculator, ForceResult } from '../../src/core/potential';
import { LennardJones } from '../../src/md/potentials/lennardJones';
import { createSystem, MDSystem } from '../../src/md/system';

/** Argon LJ (ε = 0.0104 eV, σ = 3.40 Å), shifted, cut at 2.5σ. */
export const ARGON = new LennardJones({ pairs: { 'Ar-Ar': { epsilon: 0.0104, sigma: 3.4, cutoff: 8.5 } }, skin: 1.0 });

/** fcc argon, n×n×n conventional cells at reduced density rho* (σ⁻³). */
export function argonFcc(n: number, rhoStar = 0.8): { sys: MDSystem; calc: Calculator } {
  const a = Math.cbrt(4 / rhoStar) * 3.4;
  const basis = [[0, 0, 0], [0.5, 0.5, 0], [0.5, 0, 0.5], [0, 0.5, 0.5]];
  const pos: number[] = [];
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) for (let k = 0; k < n; k++) for (const b of basis) pos.push((i + b[0]) * a, (j + b[1]) * a, (k + b[2]) * a);
  const L = n * a;
  const s = createStructure({ species: Array(pos.length / 3).fill('Ar'), positions: pos, cell: [L, 0, 0, 0, L, 0, 0, 0, L] });
  return { sys: createSystem(s), calc: ARGON.bind(s.species, s.pbc) };
}

/** A calculator with no interactions (ideal gas). */
export const FREE: Calculator = {
  compute(positions: Float64Array, _cell: Float64Array, out?: ForceResult): ForceResult {
    const r = out ?? { energy: 0, forces: new Float64Array(positions.length), virial: new Float64Array(9) };
    r.energy = 0; r.forces.fill(0); r.virial.fill(0);
    return r;
  },
};

/** Mean and variance of an array. */
export function meanVar(a: ArrayLike<number>): [number, number] {
  let m = 0;
  for (let i = 0; i < a.length; i++) m += a[i];
  m /= a.length;
  let v = 0;
  for (let i = 0; i < a.length; i++) v += (a[i] - m) ** 2;
  return [m, v / (a.length - 1)];
}
