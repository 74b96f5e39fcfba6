/**
 * Stochastic velocity rescaling (Bussi, Donadio & Parrinello, J. Chem. Phys. 126, 014101 (2007)):
 * the kinetic energy K is resampled with the exact propagator of its stochastic equation (eq. A7),
 *   K' = cK + (1 − c)(K̄/N_f)(R₁² + Σ_{i=2}^{N_f} R_i²) + 2R₁√(c(1 − c)K K̄/N_f),  c = exp(−Δt/τ),
 * K̄ = N_f k_B T/2, applied over dt/2 at both ends of the step. Conserves the COM momentum.
 */
import { KB_EV_PER_K } from '../../core/units';
import type { Rng } from '../random';
import { MDSystem, kineticEnergy, scaleVelocities } from '../system';
import type { Thermostat } from '../integrators/types';
import { checkNonNegative, checkPositive } from './checks';
import { StochasticCoupling } from './stochastic';

/** Options of {@link BussiThermostat}. */
export interface BussiOptions {
  temperatureK: number;
  /** Relaxation time τ, fs. */
  tauFs: number;
  seed: number;
}

/** Canonical-sampling velocity rescaling thermostat. */
export class BussiThermostat extends StochasticCoupling implements Thermostat {
  readonly kind = 'bussi';
  readonly breaksMomentum = false;
  temperatureK: number;
  readonly tauFs: number;

  constructor(opts: BussiOptions) {
    super(opts.seed, 12);
    checkPositive(opts.tauFs, 'bussi tauFs (fs)');
    checkNonNegative(opts.temperatureK, 'temperatureK (K)');
    this.temperatureK = opts.temperatureK;
    this.tauFs = opts.tauFs;
  }

  halfStep(sys: MDSystem, dtHalfFs: number): void {
    const k = kineticEnergy(sys);
    const nf = sys.dof;
    const kTarget = 0.5 * nf * KB_EV_PER_K * this.temperatureK;
    const kNew = resampleKinetic(k, kTarget, nf, Math.exp(-dtHalfFs / this.tauFs), this.rng);
    if (k > 0) scaleVelocities(sys, Math.sqrt(kNew / k));
    this.exchanged += k - (k > 0 ? kNew : 0);
  }

  extraEnergy(): number {
    return this.exchanged;
  }

  getState(): Record<string, unknown> {
    return this.saveState({ temperatureK: this.temperatureK });
  }

  setState(st: Record<string, unknown>): void {
    this.loadState(st, 'thermostat');
    this.temperatureK = st.temperatureK as number;
  }
}

/** New kinetic energy (eV) after a time with decay factor c = exp(−t/τ) (Bussi et al. 2007, eq. A7). */
export function resampleKinetic(k: number, kTarget: number, nf: number, c: number, rng: Rng): number {
  const r1 = rng.normal();
  const sumRest = rng.chiSquared(nf - 1);
  const f = kTarget / nf;
  return c * k + (1 - c) * f * (r1 * r1 + sumRest) + 2 * r1 * Math.sqrt(c * (1 - c) * k * f);
}
