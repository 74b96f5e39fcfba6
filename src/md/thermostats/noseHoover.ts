/**
 * Nosé–Hoover chain thermostat (Martyna, Klein & Tuckerman, J. Chem. Phys. 97, 2635 (1992)), integrated
 * with the Trotter factorisation of Martyna, Tuckerman, Tobias & Klein (Mol. Phys. 87, 1117 (1996)):
 * a chain half step (n_c substeps × Suzuki–Yoshida weights) at each end of the velocity-Verlet step.
 * Masses Q₁ = N_f k_B T τ², Q_j = k_B T τ² (eV·fs²). Conserved: H + Σ ½Q_j v_j² + N_f k_B T η₁ + k_B T Σ_{j>1} η_j.
 */
import { InputError } from '../../core/errors';
import { KB_EV_PER_K } from '../../core/units';
import { MDSystem, kineticEnergy, scaleVelocities } from '../system';
import type { Thermostat } from '../integrators/types';
import { checkNonNegative, checkPositive } from './checks';

/** Options of {@link NoseHooverChainThermostat}. */
export interface NoseHooverOptions {
  temperatureK: number;
  /** Period-like time constant τ of the thermostat, fs. */
  tauFs: number;
  /** Chain length (default 3). */
  chainLength?: number;
  /** Substeps per half step (default 1). */
  substeps?: number;
  /** Suzuki–Yoshida order: 1, 3 or 5 (default 3). */
  order?: 1 | 3 | 5;
}

const YOSHIDA: Record<number, number[]> = {
  1: [1],
  3: [1 / (2 - Math.cbrt(2)), 1 - 2 / (2 - Math.cbrt(2)), 1 / (2 - Math.cbrt(2))],
  5: (() => { const w = 1 / (4 - Math.pow(4, 1 / 3)); return [w, w, 1 - 4 * w, w, w]; })(),
};

/** Nosé–Hoover chain thermostat acting on all atoms. */
export class NoseHooverChainThermostat implements Thermostat {
  readonly kind = 'nose-hoover';
  readonly breaksMomentum = false;
  temperatureK: number;
  readonly tauFs: number;
  private readonly eta: Float64Array;
  private readonly etaDot: Float64Array;
  private readonly weights: number[];
  private readonly substeps: number;

  constructor(opts: NoseHooverOptions) {
    checkPositive(opts.tauFs, 'nose-hoover tauFs (fs)');
    checkNonNegative(opts.temperatureK, 'temperatureK (K)');
    const m = opts.chainLength ?? 3, nc = opts.substeps ?? 1, order = opts.order ?? 3;
    if (!Number.isInteger(m) || m < 1 || m > 20) throw new InputError(`chainLength must be an integer 1–20, got ${m}`);
    if (!Number.isInteger(nc) || nc < 1 || nc > 100) throw new InputError(`substeps must be an integer 1–100, got ${nc}`);
    if (!YOSHIDA[order]) throw new InputError(`Suzuki–Yoshida order must be 1, 3 or 5, got ${order}`);
    this.temperatureK = opts.temperatureK;
    this.tauFs = opts.tauFs;
    this.eta = new Float64Array(m);
    this.etaDot = new Float64Array(m);
    this.weights = YOSHIDA[order];
    this.substeps = nc;
  }

  halfStep(sys: MDSystem, dtHalfFs: number): void {
    const kT = KB_EV_PER_K * this.temperatureK, nf = sys.dof;
    const M = this.eta.length, v = this.etaDot, eta = this.eta;
    const q0 = nf * kT * this.tauFs * this.tauFs, qj = kT * this.tauFs * this.tauFs;
    if (!(qj > 0)) return; // T = 0: no chain dynamics (masses vanish)
    const Q = (j: number) => (j === 0 ? q0 : qj);
    let twoK = 2 * kineticEnergy(sys);
    let scale = 1;
    const G = (j: number) => (j === 0 ? (twoK - nf * kT) / q0 : (Q(j - 1) * v[j - 1] * v[j - 1] - kT) / qj);
    for (let s = 0; s < this.substeps; s++)
      for (const w of this.weights) {
        const d = (w * dtHalfFs) / this.substeps;
        v[M - 1] += G(M - 1) * d / 2;
        for (let j = M - 2; j >= 0; j--) { const a = Math.exp(-v[j + 1] * d / 4); v[j] = (v[j] * a + G(j) * d / 2) * a; }
        const f = Math.exp(-v[0] * d);
        scale *= f; twoK *= f * f;
        for (let j = 0; j < M; j++) eta[j] += v[j] * d;
        for (let j = 0; j < M - 1; j++) { const a = Math.exp(-v[j + 1] * d / 4); v[j] = (v[j] * a + G(j) * d / 2) * a; }
        v[M - 1] += G(M - 1) * d / 2;
      }
    scaleVelocities(sys, scale);
  }

  extraEnergy(sys: MDSystem): number {
    const kT = KB_EV_PER_K * this.temperatureK, nf = sys.dof, t2 = this.tauFs * this.tauFs;
    let e = 0.5 * nf * kT * t2 * this.etaDot[0] ** 2 + nf * kT * this.eta[0];
    for (let j = 1; j < this.eta.length; j++) e += 0.5 * kT * t2 * this.etaDot[j] ** 2 + kT * this.eta[j];
    return e;
  }

  getState(): Record<string, unknown> {
    return { kind: this.kind, temperatureK: this.temperatureK, eta: [...this.eta], etaDot: [...this.etaDot] };
  }

  setState(st: Record<string, unknown>): void {
    if (st.kind !== this.kind) throw new InputError(`checkpoint thermostat is ${String(st.kind)}, configured ${this.kind}`);
    const eta = st.eta as number[], etaDot = st.etaDot as number[];
    if (!Array.isArray(eta) || eta.length !== this.eta.length || !Array.isArray(etaDot) || etaDot.length !== this.eta.length)
      throw new InputError(`checkpoint Nosé–Hoover chain has length ${Array.isArray(eta) ? eta.length : '?'}, configured ${this.eta.length}`);
    this.temperatureK = st.temperatureK as number;
    this.eta.set(eta);
    this.etaDot.set(etaDot);
  }
}
