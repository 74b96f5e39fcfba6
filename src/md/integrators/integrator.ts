/**
 * The MD step: velocity Verlet (Swope et al. 1982) with optional thermostat and barostat hooks,
 *   [T half] · B(dt/2) · A(dt/2) · [T mid: O(dt)] · A(dt/2) · [barostat] · F · B(dt/2) · [T half]
 * which is plain velocity Verlet without hooks (one drift of dt, as LAMMPS `fix nve`) and BAOAB
 * (Leimkuhler & Matthews 2013) with a Langevin thermostat. One force evaluation per step.
 */
import { InputError } from '../../core/errors';
import type { Calculator, ForceResult } from '../../core/potential';
import { MDSystem, MVV2E, evaluateForces, kineticEnergy } from '../system';
import type { Barostat, Thermostat } from './types';

/** Options of {@link Integrator}. */
export interface IntegratorOptions {
  /** Time step, fs. */
  dtFs: number;
  thermostat?: Thermostat;
  barostat?: Barostat;
}

/** Advances an MDSystem step by step. Stateless apart from its thermostat/barostat. */
export class Integrator {
  readonly dtFs: number;
  readonly thermostat?: Thermostat;
  readonly barostat?: Barostat;
  private invMass = new Float64Array(0);
  private massesRef: Float64Array | null = null;
  private readonly scratch: ForceResult = { energy: 0, forces: new Float64Array(0), virial: new Float64Array(9) };

  constructor(opts: IntegratorOptions) {
    if (!(opts.dtFs > 0) || !Number.isFinite(opts.dtFs)) throw new InputError(`time step must be a positive number of fs, got ${opts.dtFs}`);
    this.dtFs = opts.dtFs;
    this.thermostat = opts.thermostat;
    this.barostat = opts.barostat;
  }

  /** Forces at the current positions (call once before the first step). */
  prepare(sys: MDSystem, calc: Calculator): void {
    evaluateForces(sys, calc, this.scratch);
  }

  /** One MD step of dtFs; sys.forces must hold the forces at the current positions. */
  step(sys: MDSystem, calc: Calculator): void {
    const dt = this.dtFs, h = 0.5 * dt;
    const th = this.thermostat;
    const im = this.inverseMasses(sys);
    if (th?.halfStep) th.halfStep(sys, h);
    kick(sys.velocities, sys.forces, im, h);
    if (th?.midStep) {
      drift(sys.positions, sys.velocities, h);
      th.midStep(sys, dt);
      drift(sys.positions, sys.velocities, h);
    } else {
      drift(sys.positions, sys.velocities, dt);
    }
    const baro = this.barostat;
    if (baro && (sys.step + 1) % baro.every === 0) baro.apply(sys, dt * baro.every, th ? th.temperatureK : 0);
    evaluateForces(sys, calc, this.scratch);
    kick(sys.velocities, sys.forces, im, h);
    if (th?.halfStep) th.halfStep(sys, h);
    sys.step += 1;
    sys.timeFs += dt;
  }

  /** E_pot + K + thermostat/barostat bookkeeping (eV): constant in NVE/NVT(NHC) up to integration error. */
  conservedEnergy(sys: MDSystem): number {
    return sys.potentialEnergy + kineticEnergy(sys) + (this.thermostat?.extraEnergy(sys) ?? 0) + (this.barostat?.extraEnergy(sys) ?? 0);
  }

  /** Thermostat and barostat state (JSON-able). */
  getState(): Record<string, unknown> {
    return { dtFs: this.dtFs, thermostat: this.thermostat?.getState() ?? null, barostat: this.barostat?.getState() ?? null };
  }

  /** Restores {@link getState} output (same thermostat/barostat kinds). */
  setState(state: Record<string, unknown>): void {
    if (state.dtFs !== this.dtFs) throw new InputError(`checkpoint time step ${String(state.dtFs)} fs differs from the configured ${this.dtFs} fs`);
    const t = state.thermostat as Record<string, unknown> | null, b = state.barostat as Record<string, unknown> | null;
    if (!!t !== !!this.thermostat || !!b !== !!this.barostat) throw new InputError('checkpoint thermostat/barostat do not match the configured ensemble');
    if (t) this.thermostat!.setState(t);
    if (b) this.barostat!.setState(b);
  }

  private inverseMasses(sys: MDSystem): Float64Array {
    if (this.massesRef !== sys.masses || this.invMass.length !== sys.masses.length) {
      this.invMass = sys.masses.map((m) => 1 / (m * MVV2E));
      this.massesRef = sys.masses;
    }
    return this.invMass;
  }
}

/** v += dt·F/m (Å/fs; F eV/Å; invMass = 1/(m·MVV2E)). */
export function kick(v: Float64Array, f: Float64Array, invMass: Float64Array, dtFs: number): void {
  for (let i = 0, o = 0; i < invMass.length; i++, o += 3) {
    const s = dtFs * invMass[i];
    v[o] += s * f[o]; v[o + 1] += s * f[o + 1]; v[o + 2] += s * f[o + 2];
  }
}

/** x += dt·v (Å). */
export function drift(x: Float64Array, v: Float64Array, dtFs: number): void {
  for (let k = 0; k < x.length; k++) x[k] += dtFs * v[k];
}
