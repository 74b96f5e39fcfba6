/**
 * Plug-in points of the MD step: a thermostat acts at the ends of the step (half steps, e.g. Nosé–Hoover
 * chains, Bussi) and/or in the middle of the drift (Langevin's O step); a barostat rescales cell,
 * positions and velocities just before the force evaluation. All state is JSON-able for checkpoints.
 */
import type { MDSystem } from '../system';

/** A thermostat. `reservoirEnergy` (eV) is the energy it has taken out of the system so far. */
export interface Thermostat {
  readonly kind: string;
  /** Target temperature, K (protocols change it between steps). */
  temperatureK: number;
  /** Acts over dtHalf (fs) at the start and at the end of a step. */
  halfStep?(sys: MDSystem, dtHalfFs: number): void;
  /** Acts over a full step (fs) between the two half drifts. */
  midStep?(sys: MDSystem, dtFs: number): void;
  /** Energy bookkeeping term: E_pot + K + extraEnergy is conserved (eV). */
  extraEnergy(sys: MDSystem): number;
  /** Degrees of freedom the thermostat does not conserve the COM momentum for (true: 3N). */
  readonly breaksMomentum: boolean;
  getState(): Record<string, unknown>;
  setState(state: Record<string, unknown>): void;
}

/** A barostat acting once every `every` steps, before the force evaluation. */
export interface Barostat {
  readonly kind: string;
  /** Target pressure, eV/Å³ (compression positive). */
  pressure: number;
  /** Rescales cell, positions and velocities; `temperatureK` is the thermostat's target. */
  apply(sys: MDSystem, dtFs: number, temperatureK: number): void;
  /** Energy bookkeeping term (eV), e.g. P0·V plus the work done by the noise. */
  extraEnergy(sys: MDSystem): number;
  readonly every: number;
  getState(): Record<string, unknown>;
  setState(state: Record<string, unknown>): void;
}
