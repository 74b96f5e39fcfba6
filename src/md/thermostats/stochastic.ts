/** State shared by the stochastic thermostats and barostats: a kind, a random stream, exchanged energy. */
import { InputError } from '../../core/errors';
import { Rng, RngState } from '../random';

/** Base of Langevin, Bussi and C-rescale: RNG stream plus the energy they exchanged with the system (eV). */
export abstract class StochasticCoupling {
  abstract readonly kind: string;
  protected rng: Rng;
  /** Energy taken out of the system so far (eV; bookkeeping for the conserved quantity). */
  protected exchanged = 0;

  constructor(seed: number, stream: number) {
    this.rng = new Rng(seed, stream);
  }

  /** JSON-able state with the coupling's own fields. */
  protected saveState(own: Record<string, unknown>): Record<string, unknown> {
    return { kind: this.kind, ...own, exchanged: this.exchanged, rng: this.rng.getState() };
  }

  /** Restores the shared part of {@link saveState}; checks the kind. */
  protected loadState(st: Record<string, unknown>, role: string): void {
    if (st.kind !== this.kind) throw new InputError(`checkpoint ${role} is ${String(st.kind)}, configured ${this.kind}`);
    if (typeof st.exchanged !== 'number') throw new InputError(`checkpoint ${role} state lacks its exchanged energy`);
    this.exchanged = st.exchanged;
    this.rng.setState(st.rng as RngState);
  }
}
