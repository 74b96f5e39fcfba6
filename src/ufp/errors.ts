/** Errors specific to UF3 evaluation. */
import { InputError } from '../core/errors';

/**
 * Two atoms are closer than the lowest knot of their 2-body curve, where the potential has no data
 * (LAMMPS would read outside its tables). Names both atoms (0-based indices), their elements, the
 * distance and the lowest knot (Å).
 */
export class TooCloseError extends InputError {
  override name = 'TooCloseError';
  constructor(readonly i: number, readonly j: number, readonly elementI: string, readonly elementJ: string, readonly distance: number, readonly rMin: number) {
    super(`atoms ${i} (${elementI}) and ${j} (${elementJ}) are ${distance.toFixed(4)} Å apart, closer than the lowest knot ${rMin} Å of the ${elementI}-${elementJ} 2-body curve (the potential has no data there; use belowRange: 'extrapolate' to continue linearly)`);
  }
}
