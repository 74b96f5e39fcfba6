/** Seeded random numbers for tests (mulberry32 from src/core/random.ts). */
import { mulberry32 } from '../../src/core/random';
export const rng = mulberry32;

/** Standard normal deviates from a uniform generator (Box–Muller). */
export function gaussian(u: () => number): () => number {
  return () => Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());
}

/** A random proper rotation matrix (row-major), from a random unit quaternion. */
export function randomRotation(u: () => number): Float64Array {
  const g = gaussian(u);
  let [w, x, y, z] = [g(), g(), g(), g()];
  const n = Math.hypot(w, x, y, z);
  w /= n; x /= n; y /= n; z /= n;
  return new Float64Array([
    1 - 2 * (y * y + z * z), 2 * (x * y - w * z), 2 * (x * z + w * y),
    2 * (x * y + w * z), 1 - 2 * (x * x + z * z), 2 * (y * z - w * x),
    2 * (x * z - w * y), 2 * (y * z + w * x), 1 - 2 * (x * x + y * y),
  ]);
}

/** A random, possibly strongly skewed, right-handed triclinic cell (rows) of roughly the given volume (Å³). */
export function randomTriclinicCell(u: () => number, targetVolume: number, skew = 0.6): Float64Array {
  const L = Math.cbrt(targetVolume);
  for (;;) {
    const c = new Float64Array([
      L * (0.7 + 0.6 * u()), 0, 0,
      skew * L * (2 * u() - 1), L * (0.7 + 0.6 * u()), 0,
      skew * L * (2 * u() - 1), skew * L * (2 * u() - 1), L * (0.7 + 0.6 * u()),
    ]);
    const R = randomRotation(u);
    const out = new Float64Array(9);
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) out[3 * i + j] = c[3 * i] * R[3 * j] + c[3 * i + 1] * R[3 * j + 1] + c[3 * i + 2] * R[3 * j + 2];
    return out;
  }
}
