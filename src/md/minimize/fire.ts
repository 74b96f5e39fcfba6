/**
 * FIRE energy minimisation (Bitzek, Koskinen, Gähler, Moseler & Gumbsch,
 * Phys. Rev. Lett. 97, 170201 (2006)), optionally relaxing the cell at a target pressure.
 *
 * Cell relaxation uses a deformation gradient D (r = D·r₀, cell rows h = D·h₀) as extra coordinates,
 * as ASE's UnitCellFilter does: the generalized force on r₀ is Dᵀ·F, on D it is (W − P·V·I)·D⁻ᵀ
 * (W = Σ r⊗f, the virial, eV), divided by `cellFactor` (default N) so that both are of similar size.
 * The quantity minimised is the enthalpy E + P·V. Units: Å, eV, eV/Å, pressure GPa at the interface.
 */
import { InputError } from '../../core/errors';
import { Mat3, inv3, volume } from '../../core/cell';
import type { Calculator, ForceResult } from '../../core/potential';
import { EV_PER_A3_IN_GPA } from '../../core/units';

/** Which cell degrees of freedom relax. */
export type CellMode = false | 'isotropic' | 'orthorhombic' | 'full';

/** Options of {@link fire}. */
export interface FireOptions {
  /** Converged when every atomic force is below this (eV/Å). Default 0.01. */
  fmax?: number;
  /** Converged when every relaxed stress component is within this of the target (GPa). Default 0.01. */
  stressTolGPa?: number;
  maxSteps?: number;
  /** Relax the cell (default false). */
  cell?: CellMode;
  /** Target pressure for cell relaxation, GPa (default 0). */
  pressureGPa?: number;
  /** Largest move of any coordinate per step, Å (default 0.1). */
  maxMoveA?: number;
  /** Initial and largest FIRE time step (default 0.1 and 1.0, pseudo-time units). */
  dt?: number;
  dtMax?: number;
  cellFactor?: number;
  /** Called after every step with the step number, energy (eV) and largest force (eV/Å). */
  onStep?: (step: number, energy: number, fmax: number) => void;
}

/** Result of a minimisation; positions and cell are new arrays. */
export interface FireResult {
  converged: boolean;
  steps: number;
  /** Potential energy at the end, eV. */
  energy: number;
  /** Largest atomic force at the end, eV/Å. */
  fmax: number;
  /** Stress at the end (GPa, 3×3 row-major, positive = tensile, ASE sign). */
  stressGPa: number[];
  positions: Float64Array;
  cell: Mat3;
}

/** Minimises the energy (or enthalpy) of positions (and cell) with FIRE. */
export function fire(calc: Calculator, positions0: Float64Array, cell0: Mat3, opts: FireOptions = {}): FireResult {
  const fmaxTol = opts.fmax ?? 0.01, sTol = (opts.stressTolGPa ?? 0.01) / EV_PER_A3_IN_GPA;
  const maxSteps = opts.maxSteps ?? 1000, cellMode = opts.cell ?? false;
  const p0 = (opts.pressureGPa ?? 0) / EV_PER_A3_IN_GPA;
  const maxMove = opts.maxMoveA ?? 0.1;
  for (const [k, v] of Object.entries({ fmax: fmaxTol, maxMoveA: maxMove, maxSteps }))
    if (!(v > 0) || !Number.isFinite(v)) throw new InputError(`FIRE ${k} must be a positive number, got ${v}`);
  if (![false, 'isotropic', 'orthorhombic', 'full'].includes(cellMode)) throw new InputError(`FIRE cell must be false, "isotropic", "orthorhombic" or "full", got ${JSON.stringify(cellMode)}`);
  const n3 = positions0.length, nat = n3 / 3;
  const cf = opts.cellFactor ?? nat;
  const nd = n3 + (cellMode ? 9 : 0);
  // coordinates z = [r0 (reference-frame positions), cf·(D − I)]
  const z = new Float64Array(nd), v = new Float64Array(nd), g = new Float64Array(nd);
  z.set(positions0);
  const h0 = Float64Array.from(cell0);
  const D = new Float64Array([1, 0, 0, 0, 1, 0, 0, 0, 1]);
  const pos = new Float64Array(n3), cell = new Float64Array(9), dinv = new Float64Array(9);
  const res: ForceResult = { energy: 0, forces: new Float64Array(n3), virial: new Float64Array(9) };
  let dt = opts.dt ?? 0.1;
  const dtMax = opts.dtMax ?? 1.0;
  let alpha = 0.1, nPos = 0;
  let fmax = Infinity, smax = Infinity, steps = 0;

  const evaluate = () => {
    if (cellMode) for (let k = 0; k < 9; k++) D[k] = (k % 4 === 0 ? 1 : 0) + z[n3 + k] / cf;
    // positions r = D r0; cell rows h_i = D h0_i
    for (let i = 0; i < n3; i += 3) {
      const x = z[i], y = z[i + 1], w = z[i + 2];
      pos[i] = D[0] * x + D[1] * y + D[2] * w; pos[i + 1] = D[3] * x + D[4] * y + D[5] * w; pos[i + 2] = D[6] * x + D[7] * y + D[8] * w;
    }
    for (let r = 0; r < 3; r++) for (let a = 0; a < 3; a++) cell[3 * r + a] = D[3 * a] * h0[3 * r] + D[3 * a + 1] * h0[3 * r + 1] + D[3 * a + 2] * h0[3 * r + 2];
    calc.compute(pos, cell, res);
    const f = res.forces;
    // generalized forces on r0: Dᵀ f
    fmax = 0;
    for (let i = 0; i < n3; i += 3) {
      const fx = f[i], fy = f[i + 1], fz = f[i + 2];
      fmax = Math.max(fmax, fx * fx + fy * fy + fz * fz);
      g[i] = D[0] * fx + D[3] * fy + D[6] * fz; g[i + 1] = D[1] * fx + D[4] * fy + D[7] * fz; g[i + 2] = D[2] * fx + D[5] * fy + D[8] * fz;
    }
    fmax = Math.sqrt(fmax);
    smax = 0;
    if (cellMode) {
      const vol = volume(cell), W = res.virial;
      const A = new Float64Array(9);
      for (let k = 0; k < 9; k++) A[k] = W[k] - (k % 4 === 0 ? p0 * vol : 0);
      if (cellMode === 'isotropic') { const t = (A[0] + A[4] + A[8]) / 3; A.fill(0); A[0] = A[4] = A[8] = t; }
      if (cellMode === 'orthorhombic') for (const k of [1, 2, 3, 5, 6, 7]) A[k] = 0;
      for (let k = 0; k < 9; k++) smax = Math.max(smax, Math.abs(A[k]) / vol);
      inv3(D, dinv);
      // (A · D⁻ᵀ)_ab = Σ_c A_ac D⁻¹_bc
      for (let a = 0; a < 3; a++) for (let b = 0; b < 3; b++) g[n3 + 3 * a + b] = (A[3 * a] * dinv[3 * b] + A[3 * a + 1] * dinv[3 * b + 1] + A[3 * a + 2] * dinv[3 * b + 2]) / cf;
    }
  };

  evaluate();
  let converged = fmax < fmaxTol && smax < sTol;
  while (!converged && steps < maxSteps) {
    // FIRE velocity mixing on the current forces
    let P = 0, vv = 0, ff = 0;
    for (let k = 0; k < nd; k++) { P += g[k] * v[k]; vv += v[k] * v[k]; ff += g[k] * g[k]; }
    if (P > 0) {
      const s = ff > 0 ? Math.sqrt(vv / ff) : 0;
      for (let k = 0; k < nd; k++) v[k] = (1 - alpha) * v[k] + alpha * s * g[k];
      if (++nPos > 5) { dt = Math.min(dt * 1.1, dtMax); alpha *= 0.99; }
    } else {
      v.fill(0); dt *= 0.5; alpha = 0.1; nPos = 0;
    }
    // semi-implicit Euler step with a cap on the largest move
    let m = 0;
    for (let k = 0; k < nd; k++) { v[k] += dt * g[k]; m = Math.max(m, Math.abs(dt * v[k])); }
    const scale = m > maxMove ? maxMove / m : 1;
    for (let k = 0; k < nd; k++) z[k] += scale * dt * v[k];
    evaluate();
    steps++;
    opts.onStep?.(steps, res.energy, fmax);
    if (!Number.isFinite(res.energy)) throw new InputError(`FIRE: the energy became ${res.energy} at step ${steps}`);
    converged = fmax < fmaxTol && smax < sTol;
  }
  const vol = volume(cell);
  return {
    converged, steps, energy: res.energy, fmax, positions: Float64Array.from(pos), cell: Float64Array.from(cell),
    stressGPa: Array.from(res.virial, (w) => (-w / vol) * EV_PER_A3_IN_GPA),
  };
}
