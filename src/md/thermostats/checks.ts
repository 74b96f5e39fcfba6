/** Shared argument checks for thermostats and barostats. */
import { InputError } from '../../core/errors';

/** Throws InputError unless x is a finite positive number. */
export function checkPositive(x: number, what: string): void {
  if (!(x > 0) || !Number.isFinite(x)) throw new InputError(`${what} must be a positive number, got ${x}`);
}

/** Throws InputError unless x is a finite number ≥ 0. */
export function checkNonNegative(x: number, what: string): void {
  if (!(x >= 0) || !Number.isFinite(x)) throw new InputError(`${what} must be a number ≥ 0, got ${x}`);
}
