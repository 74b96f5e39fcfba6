/**
 * Powder grids: sets of unit B0 directions with weights (summing to 1) for explicit orientation averages.
 * ω_Q is even in b (bᵀVb), so hemisphere grids suffice.
 * - ZCW (Zaremba–Conroy–Wolfsberg; Cheng et al., J. Chem. Phys. 59, 3992 (1973); Edén & Levitt, J. Magn. Reson.
 *   132, 220 (1998)), hemisphere variant: N = F_k (a Fibonacci number), g = F_{k−2},
 *   cos β_j = 1 − j/N, α_j = 2π·frac(j·g/N), equal weights.
 * - Fibonacci (golden-angle) sphere: z_j = 1 − (2j+1)/N, φ_j = 2π j/φ² (φ the golden ratio), equal weights.
 */
import { InputError } from '../core/errors';

/** A set of unit directions (n × 3) with weights (n, summing to 1). */
export interface PowderGrid {
  kind: string;
  n: number;
  directions: Float64Array;
  weights: Float64Array;
}

/** Smallest Fibonacci number ≥ n (n ≥ 2), and the one two places below it. */
function fibonacciAtLeast(n: number): [number, number] {
  let a = 1, b = 2, c = 3; // F_k−2, F_k−1, F_k
  while (c < n) { a = b; b = c; c = a + b; }
  return [c, a];
}

/** ZCW hemisphere grid with the smallest Fibonacci number of points ≥ minPoints (≥ 3). */
export function zcwGrid(minPoints: number): PowderGrid {
  if (!Number.isInteger(minPoints) || minPoints < 1) throw new InputError(`ZCW grid: need a positive number of points, got ${minPoints}`);
  const [N, g] = fibonacciAtLeast(Math.max(3, minPoints));
  const directions = new Float64Array(3 * N);
  for (let j = 0; j < N; j++) {
    const cb = 1 - j / N;
    const sb = Math.sqrt(Math.max(0, 1 - cb * cb));
    const frac = ((j * g) % N) / N;
    const a = 2 * Math.PI * frac;
    directions[3 * j] = sb * Math.cos(a);
    directions[3 * j + 1] = sb * Math.sin(a);
    directions[3 * j + 2] = cb;
  }
  return { kind: 'zcw', n: N, directions, weights: new Float64Array(N).fill(1 / N) };
}

/** Fibonacci (golden-angle) sphere grid with n points. */
export function fibonacciGrid(n: number): PowderGrid {
  if (!Number.isInteger(n) || n < 1) throw new InputError(`Fibonacci grid: need a positive number of points, got ${n}`);
  const directions = new Float64Array(3 * n);
  const turn = 2 * Math.PI * (1 - 2 / (1 + Math.sqrt(5))); // golden angle, rad
  for (let j = 0; j < n; j++) {
    const z = 1 - (2 * j + 1) / n;
    const r = Math.sqrt(Math.max(0, 1 - z * z));
    const phi = turn * j;
    directions[3 * j] = r * Math.cos(phi);
    directions[3 * j + 1] = r * Math.sin(phi);
    directions[3 * j + 2] = z;
  }
  return { kind: 'fibonacci', n, directions, weights: new Float64Array(n).fill(1 / n) };
}

/** A grid by kind name ('zcw' | 'fibonacci') and (minimum) size. */
export function powderGrid(kind: string, n: number): PowderGrid {
  if (kind === 'zcw') return zcwGrid(n);
  if (kind === 'fibonacci') return fibonacciGrid(n);
  throw new InputError(`unknown powder grid ${JSON.stringify(kind)}; expected "zcw" or "fibonacci"`);
}
