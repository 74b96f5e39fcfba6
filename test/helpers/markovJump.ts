/**
 * Synthetic Markov jump model of Li hopping, shared by the NMR (src/nmr) and dynamics (src/dynamics) tests.
 *
 * Model (exactly solvable):
 * - Sites on a periodic simple-cubic grid (nx × ny × nz sites, spacing `spacingA` Å) in an orthorhombic cell.
 *   Each site has 6 neighbours at ±a along x, y, z.
 * - Each site carries one of N = 3 EFG orientation classes, k(ix, iy, iz) = (iy + iz) mod 3 (ny, nz multiples of 3).
 *   The 6 hop vectors change k by {0, 0, +1, −1, +1, −1} mod 3: each class offset twice, so the class after a hop
 *   is uniform and independent of the whole history. Hence for every Li
 *       P(same class at t0 and t0+t) = 1/3 + (2/3)·exp(−Γ t)
 *   and the EFG autocorrelation is exactly C(t) = Z + (1 − Z)·exp(−Γ t) with Z = Tr(V̄²)/⟨Tr V²⟩ (V̄: mean of the
 *   3 class tensors). The default class tensors are mutually orthogonal (Tr V_k V_l = 0 for k ≠ l), so Z = 1/N = 1/3.
 * - Li ions are independent walkers (no site exclusion; two Li may share a site): each waits an exponential time
 *   with rate Γ (`hopRatePerPs`, total escape rate per Li) and then jumps to one of its 6 neighbours uniformly.
 *   Initial sites are uniform (the stationary distribution).
 * - Frames every `dtFs`: position = site position + isotropic Gaussian noise (σ = `vibrationSigmaA` Å per Cartesian
 *   component); tensor = site tensor + isotropic traceless symmetric Gaussian noise (σ = `tensorNoiseSigma` V/Å² per
 *   component in an orthonormal basis of traceless symmetric matrices, so E[Tr N²] = 5σ²), independent per frame.
 * - Tracer diffusion of the walkers: D = Γ a²/6 (Å²/ps with Γ in 1/ps).
 *
 * Everything is seeded (mulberry32 from ./random). Arrays are flat, frame-major:
 * positions[(f·nLi + i)·3 + c], tensors[(f·nLi + i)·9 + 3a + b].
 */
import { rng, gaussian, randomRotation } from './random';

/** Options of {@link markovJumpSeries}. */
export interface MarkovJumpOptions {
  seed: number;
  /** Number of Li ions (independent walkers). */
  nLi: number;
  /** Number of frames written (frame f is at time f·dtFs). */
  nFrames: number;
  /** Time between frames, fs. */
  dtFs: number;
  /** Γ: total hop (escape) rate per Li, 1/ps. */
  hopRatePerPs: number;
  /** Sites per axis [nx, ny, nz]; ny and nz must be multiples of 3. Default [4, 3, 3]. */
  grid?: [number, number, number];
  /** Jump length a = site spacing, Å. Default 2.5. */
  spacingA?: number;
  /** Vibrational noise σ per Cartesian component, Å. Default 0.1. */
  vibrationSigmaA?: number;
  /** EFG noise σ per orthonormal traceless-symmetric component, V/Å². Default 0. */
  tensorNoiseSigma?: number;
  /** The 3 class tensors (3 × 9, V/Å², symmetric traceless). Default: 3 mutually orthogonal η = 1 tensors with
   * |V_zz| = `vzz`, given a common random rotation from the seed. */
  classTensors?: Float64Array;
  /** |V_zz| of the default class tensors, V/Å². Default 1 (C_Q ≈ −97 kHz for 7Li). */
  vzz?: number;
}

/** Output of {@link markovJumpSeries}. */
export interface MarkovJumpSeries {
  /** Orthorhombic cell, rows = lattice vectors, Å. */
  cell: Float64Array;
  nSites: number;
  /** Site positions (nSites × 3), Å, inside the cell. */
  sitePositions: Float64Array;
  /** Neighbour site indices (nSites × 6) in the order +x, −x, +y, −y, +z, −z. */
  neighbours: Int32Array;
  /** Orientation class of each site (0, 1, 2). */
  siteClass: Int32Array;
  /** Number of distinct orientations (3). */
  nOrientations: number;
  /** The class tensors (3 × 9), V/Å². */
  classTensors: Float64Array;
  /** Tensor of each site (nSites × 9), V/Å². */
  siteTensors: Float64Array;
  nLi: number;
  nFrames: number;
  dtFs: number;
  /** Positions wrapped into the cell (nFrames × nLi × 3), Å. */
  positions: Float64Array;
  /** Unwrapped positions (nFrames × nLi × 3), Å: continuous across periodic boundaries. */
  unwrappedPositions: Float64Array;
  /** EFG tensors (nFrames × nLi × 9), V/Å². */
  tensors: Float64Array;
  /** True site of each Li at each frame (nFrames × nLi). */
  frameSites: Int32Array;
  /** All hop events, sorted by time: Li index, time (fs), from/to site. */
  hops: { li: Int32Array; timeFs: Float64Array; fromSite: Int32Array; toSite: Int32Array };
  /** The model's Γ, 1/ps. */
  hopRatePerPs: number;
  /** The model's Γ, Hz. */
  hopRateHz: number;
  /** Realised rate: hops / (nLi · (nFrames − 1)·dtFs), 1/ps. */
  empiricalHopRatePerPs: number;
  /** Jump length a, Å. */
  jumpLengthA: number;
  /** Tracer diffusion coefficient Γa²/6, Å²/ps. */
  diffusionA2PerPs: number;
  /** Powder plateau Z = Tr(V̄²)/⟨Tr V²⟩ of the noise-free site tensors (1/3 with the default tensors). */
  plateauPowder: number;
  /** E[Tr N²] of the tensor noise, (V/Å²)². */
  noiseTraceSquare: number;
}

/** Three mutually orthogonal η = 1 traceless tensors (xy, xz, yz shear forms) with |V_zz| = vzz, rotated by R. */
export function orthogonalClassTensors(vzz: number, rotation?: Float64Array): Float64Array {
  const out = new Float64Array(27);
  const pairs = [[0, 1], [0, 2], [1, 2]];
  for (let k = 0; k < 3; k++) {
    const m = new Float64Array(9);
    const [a, b] = pairs[k];
    m[3 * a + b] = vzz;
    m[3 * b + a] = vzz;
    const r = rotation ? rotate(m, rotation) : m;
    out.set(r, 9 * k);
  }
  return out;
}

/** R M Rᵀ for 3×3 row-major matrices. */
export function rotate(m: ArrayLike<number>, r: ArrayLike<number>): Float64Array {
  const t = new Float64Array(9);
  for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) {
    let s = 0;
    for (let k = 0; k < 3; k++) for (let l = 0; l < 3; l++) s += r[3 * i + k] * m[3 * k + l] * r[3 * j + l];
    t[3 * i + j] = s;
  }
  return t;
}

/** Tr(A B) for 3×3 row-major matrices. */
function traceProduct(a: ArrayLike<number>, ao: number, b: ArrayLike<number>, bo: number): number {
  let s = 0;
  for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) s += a[ao + 3 * i + j] * b[bo + 3 * j + i];
  return s;
}

const SQ2 = Math.SQRT2, SQ6 = Math.sqrt(6);
/** Orthonormal basis (Tr E_m E_n = δ_mn) of traceless symmetric 3×3 matrices. */
const BASIS: number[][] = [
  [1 / SQ2, 0, 0, 0, -1 / SQ2, 0, 0, 0, 0],
  [-1 / SQ6, 0, 0, 0, -1 / SQ6, 0, 0, 0, 2 / SQ6],
  [0, 1 / SQ2, 0, 1 / SQ2, 0, 0, 0, 0, 0],
  [0, 0, 1 / SQ2, 0, 0, 0, 1 / SQ2, 0, 0],
  [0, 0, 0, 0, 0, 1 / SQ2, 0, 1 / SQ2, 0],
];

/** Generates the seeded Markov jump trajectory described in the file header. */
export function markovJumpSeries(o: MarkovJumpOptions): MarkovJumpSeries {
  const [nx, ny, nz] = o.grid ?? [4, 3, 3];
  if (ny % 3 !== 0 || nz % 3 !== 0 || nx < 1) throw new Error(`grid ny and nz must be multiples of 3, got ${[nx, ny, nz]}`);
  if (!(o.hopRatePerPs >= 0) || !(o.dtFs > 0) || !(o.nFrames >= 1) || !(o.nLi >= 1)) throw new Error('bad Markov jump options');
  const a = o.spacingA ?? 2.5;
  const sigX = o.vibrationSigmaA ?? 0.1;
  const sigV = o.tensorNoiseSigma ?? 0;
  const u = rng(o.seed);
  const g = gaussian(u);
  const classTensors = o.classTensors ?? orthogonalClassTensors(o.vzz ?? 1, randomRotation(u));
  if (classTensors.length !== 27) throw new Error('classTensors must hold 3 × 9 numbers');

  const nSites = nx * ny * nz;
  const idx = (ix: number, iy: number, iz: number) => ((ix + nx) % nx) * ny * nz + ((iy + ny) % ny) * nz + ((iz + nz) % nz);
  const cell = new Float64Array([nx * a, 0, 0, 0, ny * a, 0, 0, 0, nz * a]);
  const sitePositions = new Float64Array(3 * nSites);
  const neighbours = new Int32Array(6 * nSites);
  const siteClass = new Int32Array(nSites);
  const siteTensors = new Float64Array(9 * nSites);
  const siteGrid = new Int32Array(3 * nSites);
  for (let ix = 0; ix < nx; ix++) for (let iy = 0; iy < ny; iy++) for (let iz = 0; iz < nz; iz++) {
    const s = idx(ix, iy, iz);
    sitePositions[3 * s] = (ix + 0.5) * a;
    sitePositions[3 * s + 1] = (iy + 0.5) * a;
    sitePositions[3 * s + 2] = (iz + 0.5) * a;
    siteGrid[3 * s] = ix; siteGrid[3 * s + 1] = iy; siteGrid[3 * s + 2] = iz;
    neighbours.set([idx(ix + 1, iy, iz), idx(ix - 1, iy, iz), idx(ix, iy + 1, iz), idx(ix, iy - 1, iz), idx(ix, iy, iz + 1), idx(ix, iy, iz - 1)], 6 * s);
    const k = (iy + iz) % 3;
    siteClass[s] = k;
    siteTensors.set(classTensors.subarray(9 * k, 9 * k + 9), 9 * s);
  }
  const HOP = [[1, 0, 0], [-1, 0, 0], [0, 1, 0], [0, -1, 0], [0, 0, 1], [0, 0, -1]];

  const { nLi, nFrames, dtFs } = o;
  const positions = new Float64Array(nFrames * nLi * 3);
  const unwrapped = new Float64Array(nFrames * nLi * 3);
  const tensors = new Float64Array(nFrames * nLi * 9);
  const frameSites = new Int32Array(nFrames * nLi);
  const hl: number[] = [], ht: number[] = [], hf: number[] = [], hto: number[] = [];
  const ratePerFs = o.hopRatePerPs / 1000;
  const L = [cell[0], cell[4], cell[8]];
  const noise = new Float64Array(9);
  for (let i = 0; i < nLi; i++) {
    let site = Math.floor(u() * nSites);
    const disp = [0, 0, 0]; // unwrapped displacement of the site from the initial site, Å
    const start = sitePositions.slice(3 * site, 3 * site + 3);
    let tNext = ratePerFs > 0 ? -Math.log(1 - u()) / ratePerFs : Infinity;
    for (let f = 0; f < nFrames; f++) {
      const t = f * dtFs;
      while (tNext <= t) {
        const dir = Math.floor(u() * 6);
        const to = neighbours[6 * site + dir];
        hl.push(i); ht.push(tNext); hf.push(site); hto.push(to);
        for (let c = 0; c < 3; c++) disp[c] += HOP[dir][c] * a;
        site = to;
        tNext += -Math.log(1 - u()) / ratePerFs;
      }
      frameSites[f * nLi + i] = site;
      const p = (f * nLi + i) * 3;
      for (let c = 0; c < 3; c++) {
        const x = start[c] + disp[c] + sigX * g();
        unwrapped[p + c] = x;
        positions[p + c] = x - Math.floor(x / L[c]) * L[c];
      }
      noise.fill(0);
      if (sigV > 0) for (let m = 0; m < 5; m++) {
        const w = sigV * g();
        for (let q = 0; q < 9; q++) noise[q] += w * BASIS[m][q];
      }
      const tq = (f * nLi + i) * 9;
      for (let q = 0; q < 9; q++) tensors[tq + q] = siteTensors[9 * site + q] + noise[q];
    }
  }
  const order = ht.map((_, j) => j).sort((p, q) => ht[p] - ht[q] || hl[p] - hl[q]);
  const hops = {
    li: Int32Array.from(order, (j) => hl[j]),
    timeFs: Float64Array.from(order, (j) => ht[j]),
    fromSite: Int32Array.from(order, (j) => hf[j]),
    toSite: Int32Array.from(order, (j) => hto[j]),
  };
  // plateau: Tr(V̄²)/⟨Tr V²⟩ with the stationary (uniform) class weights, 1/3 each
  const mean = new Float64Array(9);
  for (let k = 0; k < 3; k++) for (let q = 0; q < 9; q++) mean[q] += classTensors[9 * k + q] / 3;
  let msq = 0;
  for (let k = 0; k < 3; k++) msq += traceProduct(classTensors, 9 * k, classTensors, 9 * k) / 3;
  const span = (nFrames - 1) * dtFs;
  return {
    cell, nSites, sitePositions, neighbours, siteClass, nOrientations: 3, classTensors, siteTensors,
    nLi, nFrames, dtFs, positions, unwrappedPositions: unwrapped, tensors, frameSites, hops,
    hopRatePerPs: o.hopRatePerPs,
    hopRateHz: o.hopRatePerPs * 1e12,
    empiricalHopRatePerPs: span > 0 ? hops.li.length / (nLi * span / 1000) : NaN,
    jumpLengthA: a,
    diffusionA2PerPs: (o.hopRatePerPs * a * a) / 6,
    plateauPowder: traceProduct(mean, 0, mean, 0) / msq,
    noiseTraceSquare: 5 * sigV * sigV,
  };
}

/**
 * Exact expected powder ACF of the model at lag t (fs): ⟨Tr V(0)V(t)⟩/⟨Tr V(0)²⟩ including the tensor noise
 * (which only adds to lag 0): [Z + (1 − Z)e^{−Γt}]·S/(S + 5σ²) for t > 0, 1 at t = 0 (S = ⟨Tr V²⟩ of the sites).
 */
export function markovExpectedPowderAcf(m: MarkovJumpSeries, lagFs: number): number {
  if (lagFs === 0) return 1;
  let s = 0;
  for (let k = 0; k < 3; k++) s += traceProduct(m.classTensors, 9 * k, m.classTensors, 9 * k) / 3;
  const z = m.plateauPowder;
  return (z + (1 - z) * Math.exp((-m.hopRatePerPs * lagFs) / 1000)) * s / (s + m.noiseTraceSquare);
}
