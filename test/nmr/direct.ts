/** Independent references for the NMR tests: direct O(N·L) correlation sums and explicit averages. */

/** Σ_t x[t·stride + off]·x[(t+lag)·stride + off] over t = 0 … n−1−lag. */
export function directLagSum(x: ArrayLike<number>, n: number, stride: number, off: number, lag: number): number {
  let s = 0;
  for (let t = 0; t + lag < n; t++) s += x[t * stride + off] * x[(t + lag) * stride + off];
  return s;
}

/** Tr(A B) of 3×3 row-major matrices stored at offsets. */
export function traceAB(a: ArrayLike<number>, ao: number, b: ArrayLike<number>, bo: number): number {
  let s = 0;
  for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) s += a[ao + 3 * i + j] * b[bo + 3 * j + i];
  return s;
}

/** Random symmetric traceless tensors (count × 9) with standard normal components (before projection). */
export function randomTracelessTensors(g: () => number, count: number): Float64Array {
  const out = new Float64Array(9 * count);
  for (let k = 0; k < count; k++) {
    const o = 9 * k;
    const xx = g(), yy = g(), xy = g(), xz = g(), yz = g();
    out[o] = xx; out[o + 4] = yy; out[o + 8] = -xx - yy;
    out[o + 1] = out[o + 3] = xy; out[o + 2] = out[o + 6] = xz; out[o + 5] = out[o + 7] = yz;
  }
  return out;
}

/** Uniform random unit vectors (n × 3). */
export function randomDirections(g: () => number, n: number): Float64Array {
  const out = new Float64Array(3 * n);
  for (let j = 0; j < n; j++) {
    const x = g(), y = g(), z = g(), r = Math.hypot(x, y, z);
    out[3 * j] = x / r; out[3 * j + 1] = y / r; out[3 * j + 2] = z / r;
  }
  return out;
}
