/**
 * Langevin thermostat as the O step of BAOAB (Leimkuhler & Matthews, Appl. Math. Res. Express 2013):
 * v ← c·v + √((1 − c²) k_B T / m) ξ with c = exp(−dt/τ). Each atom gets its own noise, so the
 * centre-of-mass momentum is not conserved (use 3N degrees of freedom).
 */
import { InputError } from '../../core/errors';
import { KB_EV_PER_K } from '../../core/units';
import { MDSystem, MVV2E, kineticEnergy } from '../system';
import type { Thermostat } from '../integrators/types';
import { checkPositive } from './checks';
import { StochasticCoupling } from './stochastic';

/** Options of {@link LangevinThermostat}. */
export interface LangevinOptions {
  temperatureK: number;
  /** Friction time τ = 1/γ, fs. */
  dampingFs: number;
  seed: number;
}

/** BAOAB Langevin thermostat (O step in the middle of the drift). */
export class LangevinThermostat extends StochasticCoupling implements Thermostat {
  readonly kind = 'langevin';
  readonly breaksMomentum = true;
  temperatureK: number;
  readonly dampingFs: number;

  constructor(opts: LangevinOptions) {
    super(opts.seed, 11);
    checkPositive(opts.dampingFs, 'langevin dampingFs (fs)');
    if (!(opts.temperatureK >= 0)) throw new InputError(`temperatureK must be ≥ 0 K, got ${opts.temperatureK}`);
    this.temperatureK = opts.temperatureK;
    this.dampingFs = opts.dampingFs;
  }

  /** O step over dtFs. */
  midStep(sys: MDSystem, dtFs: number): void {
    const c = Math.exp(-dtFs / this.dampingFs), s = Math.sqrt((1 - c * c) * KB_EV_PER_K * this.temperatureK / MVV2E);
    const v = sys.velocities, m = sys.masses, rng = this.rng;
    const k0 = kineticEnergy(sys);
    for (let i = 0, o = 0; i < m.length; i++, o += 3) {
      const si = s / Math.sqrt(m[i]);
      v[o] = c * v[o] + si * rng.normal();
      v[o + 1] = c * v[o + 1] + si * rng.normal();
      v[o + 2] = c * v[o + 2] + si * rng.normal();
    }
    this.exchanged += k0 - kineticEnergy(sys);
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
