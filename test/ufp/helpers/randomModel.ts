/** Random smooth UF3 models and well-separated random structures for tests and benchmarks. */
import { uniformKnots } from '../../../src/ufp/bspline';
import type { UF3Model, ThreeBodyTerm, TwoBodyTerm } from '../../../src/ufp/model';
import { allPairs, allTriples } from '../../../src/ufp/model';
import { rng } from '../../helpers/random';

/** Options of {@link randomModel}. */
export interface RandomModelOptions {
  elements?: string[];
  seed?: number;
  /** 2-body range [r_min, r_cut], Å. */
  r2?: [number, number];
  intervals2?: number;
  /** 3-body leg range [r_min, R], Å (jk leg: [r_min, 2R]). */
  r3?: [number, number];
  intervals3?: number;
  /** Without a 3-body term. */
  twoBodyOnly?: boolean;
  /** Perturb interior knots of every other block (non-uniform 'nk' knots). */
  nonUniform?: boolean;
}

function perturbed(knots: Float64Array, u: () => number): number[] {
  const out = Array.from(knots);
  const m = out.length, h = (out[m - 1] - out[0]) / (m - 7);
  for (let q = 4; q < m - 4; q++) out[q] += 0.3 * h * (u() - 0.5);
  return out;
}

/**
 * A random multi-element model: repulsive-ish 2-body curves and 3-body grids with leading and trailing
 * trims of 3 (zero planes), so energies are C² everywhere including where legs enter/leave the range.
 */
export function randomModel(opts: RandomModelOptions = {}): UF3Model {
  const els = opts.elements ?? ['Li', 'P', 'S'];
  const u = rng(opts.seed ?? 1);
  const [r2min, r2max] = opts.r2 ?? [0.8, 4.6];
  const [r3min, r3max] = opts.r3 ?? [1.0, 3.2];
  const n2 = opts.intervals2 ?? 12, n3 = opts.intervals3 ?? 5;
  let flip = false;
  const knots = (a: number, b: number, n: number) => {
    const k = uniformKnots(a, b, n);
    flip = !flip;
    return opts.nonUniform && flip ? perturbed(k, u) : Array.from(k);
  };
  const twoBody: TwoBodyTerm[] = allPairs(els).map(([a, b]) => {
    const k = knots(r2min, r2max, n2);
    const nc = k.length - 4;
    const c = Array.from({ length: nc }, (_, q) => (q < nc - 3 ? 0.05 * (nc - 3 - q) ** 2 / nc - 0.2 + 0.3 * (u() - 0.5) : 0));
    return { elements: [a, b], knots: k, coefficients: c, cutoff: r2max };
  });
  const threeBody: ThreeBodyTerm[] = [];
  if (!opts.twoBodyOnly)
    for (const [c0, a, b] of allTriples(els)) {
      const kij = knots(r3min, r3max, n3);
      const kik = a === b ? kij : knots(r3min, r3max, n3);
      const kjk = knots(r3min, 2 * r3max, 2 * n3);
      const [L, M, N] = [kij.length - 4, kik.length - 4, kjk.length - 4];
      const coef = new Array<number>(L * M * N).fill(0);
      const inner = (q: number, n: number) => q >= 3 && q < n - 3;
      for (let l = 0; l < L; l++) for (let m = 0; m < M; m++) for (let n = 0; n < N; n++) {
        if (!inner(l, L) || !inner(m, M) || !inner(n, N)) continue;
        if (a === b && m < l) continue;
        const v = 0.4 * (u() - 0.5);
        coef[(l * M + m) * N + n] = v;
        if (a === b) coef[(m * M + l) * N + n] = v;
      }
      threeBody.push({ elements: [c0, a, b], knots: { ij: kij, ik: kik, jk: kjk }, shape: [L, M, N], coefficients: coef, cutoffs: { ij: r3max, ik: r3max, jk: 2 * r3max } });
    }
  const oneBody: Record<string, number> = {};
  els.forEach((e, i) => { oneBody[e] = -1 - i; });
  return { elements: els, oneBody, twoBody, threeBody };
}

/** Random positions (Å) in a cell (rows) with all periodic distances ≥ dMin (rejection sampling). */
export function randomPositions(cell: Float64Array, n: number, dMin: number, seed = 7): Float64Array {
  const u = rng(seed);
  const x = new Float64Array(3 * n);
  const images: number[][] = [];
  for (let a = -1; a <= 1; a++) for (let b = -1; b <= 1; b++) for (let c = -1; c <= 1; c++) images.push([a, b, c]);
  for (let i = 0; i < n; i++) {
    for (let tries = 0; ; tries++) {
      if (tries > 100000) throw new Error('randomPositions: cannot place atoms this densely');
      const f = [u(), u(), u()];
      const p = [0, 1, 2].map((k) => f[0] * cell[k] + f[1] * cell[3 + k] + f[2] * cell[6 + k]);
      let ok = true;
      for (let j = 0; j < i && ok; j++)
        for (const [a, b, c] of images) {
          const d = [0, 1, 2].map((k) => x[3 * j + k] + a * cell[k] + b * cell[3 + k] + c * cell[6 + k] - p[k]);
          if (Math.hypot(d[0], d[1], d[2]) < dMin) { ok = false; break; }
        }
      if (ok) { x.set(p, 3 * i); break; }
    }
  }
  return x;
}
