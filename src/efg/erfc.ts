/**
 * Complementary error function erfc(x) = 1 − erf(x) to ~1e-15 relative accuracy for the Ewald sums
 * (JavaScript has no Math.erfc). Two branches: the everywhere-positive series
 * erf(x) = (2/√π)·x·e^{−x²}·Σ_n (2x²)^n/(1·3·…·(2n+1)) (Abramowitz & Stegun 7.1.6) for |x| < 1.8, and the
 * Laplace continued fraction erfc(x) = e^{−x²}/√π · 1/(x + ½/(x + 1/(x + 3/2/(x + …)))) (A&S 7.1.14) beyond.
 */

const TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);
const ONE_OVER_SQRT_PI = 1 / Math.sqrt(Math.PI);

/** erfc(x), dimensionless, accurate to ~1e-15 relative for x ≤ 26 (underflows to 0 beyond). */
export function erfc(x: number): number {
  if (x < 0) return 2 - erfc(-x);
  if (x < 1.8) return 1 - erfSeries(x);
  if (x > 27) return 0;
  // backward evaluation of the continued fraction; 80 terms converge to round-off for x ≥ 1.8
  let f = x;
  for (let k = 80; k >= 1; k--) f = x + (0.5 * k) / f;
  return (Math.exp(-x * x) * ONE_OVER_SQRT_PI) / f;
}

/** erf(x), dimensionless. */
export function erf(x: number): number {
  if (x < 0) return -erf(-x);
  return x < 1.8 ? erfSeries(x) : 1 - erfc(x);
}

function erfSeries(x: number): number {
  const x2 = 2 * x * x;
  let term = 1, sum = 1;
  for (let n = 1; n < 200; n++) {
    term *= x2 / (2 * n + 1);
    sum += term;
    if (term < 1e-17 * sum) break;
  }
  return TWO_OVER_SQRT_PI * x * Math.exp(-x * x) * sum;
}
