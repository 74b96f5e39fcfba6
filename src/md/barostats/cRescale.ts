/**
 * Stochastic cell rescaling barostat (Bernetti & Bussi, J. Chem. Phys. 153, 114107 (2020)).
 * Isotropic: the log-volume ε = ln V follows overdamped Langevin dynamics on G(ε) = U + K + P₀V − k_BTε
 * (positions scale by μ = exp(Δε/3), velocities by 1/μ) with mobility β_T/(τ_p V). Written in Itô
 * form and integrated by Euler–Maruyama, as done here, the paper's +k_BT/V drift cancels against the
 * spurious drift of the volume-dependent noise amplitude, leaving
 *   dε = −(β_T/τ_p)(P₀ − P) dt + √(2 k_B T β_T/(V τ_p)) dW.
 * (Checked: an ideal gas then samples ⟨V⟩ = (N+1)k_BT/P₀ exactly; keeping the k_BT/V term gives (N+2).)
 * Anisotropic (each Cartesian axis a separately, for orthorhombic or diagonal-coupled cells):
 *   dε_a = −(β_T/3τ_p)(P₀ − P_aa) dt + √(2 k_B T β_T/(3 V τ_p)) dW_a.
 * P is the instantaneous pressure (kinetic + virial). Applied every `every` steps with Δt = every·dt.
 * The bookkeeping energy P₀V + (work of the moves) makes E_pot + K + thermostat + barostat terms
 * approximately constant (the paper's effective energy; ΔU of a move is estimated to first order).
 */
import { InputError } from '../../core/errors';
import { volume } from '../../core/cell';
import { KB_EV_PER_K } from '../../core/units';
import { MDSystem, kineticEnergy, pressureTensor } from '../system';
import type { Barostat } from '../integrators/types';
import { checkPositive } from '../thermostats/checks';
import { StochasticCoupling } from '../thermostats/stochastic';

/** Options of {@link CRescaleBarostat}. */
export interface CRescaleOptions {
  /** Target pressure, eV/Å³. */
  pressure: number;
  /** Relaxation time τ_p, fs. */
  tauFs: number;
  /** Isothermal compressibility β_T, 1/(eV/Å³) (water ≈ 4.5e-5/bar ≈ 7.2 Å³/eV; solids ~0.1–1 Å³/eV). */
  compressibility: number;
  /** 'isotropic' scales all axes together, 'anisotropic' each Cartesian axis on its own. */
  mode?: 'isotropic' | 'anisotropic';
  /** Axes allowed to change in anisotropic mode (default all). */
  axes?: [boolean, boolean, boolean];
  /** Apply every this many steps (default 1). */
  every?: number;
  seed: number;
}

/** C-rescale barostat (to be combined with a thermostat). */
export class CRescaleBarostat extends StochasticCoupling implements Barostat {
  readonly kind = 'c-rescale';
  pressure: number;
  readonly every: number;
  private readonly tauFs: number;
  private readonly beta: number;
  private readonly mode: 'isotropic' | 'anisotropic';
  private readonly axes: [boolean, boolean, boolean];
  private readonly ptens = new Float64Array(9);

  constructor(opts: CRescaleOptions) {
    super(opts.seed, 21);
    if (!Number.isFinite(opts.pressure)) throw new InputError(`barostat pressure must be a finite number of eV/Å³, got ${opts.pressure}`);
    checkPositive(opts.tauFs, 'barostat tauFs (fs)');
    checkPositive(opts.compressibility, 'barostat compressibility (Å³/eV)');
    const every = opts.every ?? 1;
    if (!Number.isInteger(every) || every < 1) throw new InputError(`barostat every must be a positive integer, got ${every}`);
    const mode = opts.mode ?? 'isotropic';
    if (mode !== 'isotropic' && mode !== 'anisotropic') throw new InputError(`barostat mode must be "isotropic" or "anisotropic", got ${JSON.stringify(mode)}`);
    this.pressure = opts.pressure;
    this.tauFs = opts.tauFs;
    this.beta = opts.compressibility;
    this.mode = mode;
    this.axes = opts.axes ?? [true, true, true];
    this.every = every;
  }

  apply(sys: MDSystem, dtFs: number, temperatureK: number): void {
    const vol = volume(sys.cell), kT = KB_EV_PER_K * temperatureK;
    const p = pressureTensor(sys, this.ptens);
    const mu = [1, 1, 1];
    if (this.mode === 'isotropic') {
      const pScalar = (p[0] + p[4] + p[8]) / 3;
      const drift = -(this.beta / this.tauFs) * (this.pressure - pScalar) * dtFs;
      const noise = Math.sqrt((2 * kT * this.beta * dtFs) / (vol * this.tauFs)) * this.rng.normal();
      const de = drift + noise;
      mu[0] = mu[1] = mu[2] = Math.exp(de / 3);
    } else {
      for (let a = 0; a < 3; a++) {
        const xi = this.rng.normal();
        if (!this.axes[a]) continue;
        const drift = -(this.beta / (3 * this.tauFs)) * (this.pressure - p[4 * a]) * dtFs;
        const noise = Math.sqrt((2 * kT * this.beta * dtFs) / (3 * vol * this.tauFs)) * xi;
        mu[a] = Math.exp(drift + noise);
      }
    }
    const k0 = kineticEnergy(sys);
    scaleAffine(sys, mu);
    const vol1 = volume(sys.cell);
    // H̃ = K + U + P₀V + work stays constant across the move: work −= ΔK + ΔU + P₀ΔV, with ΔU to first
    // order in the strain from the virial (ΔU ≈ −Σ_a W_aa ln μ_a), so the bookkeeping is approximate.
    const dU = -(sys.virial[0] * Math.log(mu[0]) + sys.virial[4] * Math.log(mu[1]) + sys.virial[8] * Math.log(mu[2]));
    this.exchanged -= kineticEnergy(sys) - k0 + dU + this.pressure * (vol1 - vol);
  }

  extraEnergy(sys: MDSystem): number {
    return this.pressure * volume(sys.cell) + this.exchanged;
  }

  getState(): Record<string, unknown> {
    return this.saveState({ pressure: this.pressure });
  }

  setState(st: Record<string, unknown>): void {
    this.loadState(st, 'barostat');
    this.pressure = st.pressure as number;
  }
}

/** Scales Cartesian axis a of the cell rows and positions by mu[a], velocities by 1/mu[a]. */
export function scaleAffine(sys: MDSystem, mu: number[]): void {
  const c = sys.cell, x = sys.positions, v = sys.velocities;
  for (let r = 0; r < 3; r++) for (let a = 0; a < 3; a++) c[3 * r + a] *= mu[a];
  const i0 = 1 / mu[0], i1 = 1 / mu[1], i2 = 1 / mu[2];
  for (let o = 0; o < x.length; o += 3) {
    x[o] *= mu[0]; x[o + 1] *= mu[1]; x[o + 2] *= mu[2];
    v[o] *= i0; v[o + 1] *= i1; v[o + 2] *= i2;
  }
}
