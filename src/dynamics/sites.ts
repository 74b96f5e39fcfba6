/**
 * Crystallographic (or density-derived) Li sites: a site set in a cell, its tiling onto a simulation
 * supercell, and a fast point → nearest-site lookup within a capture radius r_in.
 */
import { InputError } from '../core/errors';
import { cartesianToFractional, cellParameters, fractionalToCartesian, inv3, mul3, perpendicularWidths, toLowerTriangular, type Mat3, type Pbc } from '../core/cell';
import type { Structure } from '../core/structure';
import { readCif } from '../io/cif';

/** Sites in a periodic cell: positions (Å) and a type (e.g. Wyckoff label 8d/4b/4c) per site. */
export interface SiteSet {
  /** Rows = lattice vectors, Å. */
  cell: Float64Array;
  pbc: Pbc;
  /** nSites × 3, Å. */
  positions: Float64Array;
  /** Type index of each site into `types`. */
  typeOf: Int32Array;
  /** Names of the site types. */
  types: string[];
}

/** Number of sites in a set. */
export function siteCount(s: SiteSet): number {
  return s.typeOf.length;
}

/** The atoms of `element` of a structure as sites, typed by the per-atom string array `labelArray` (default site_label). */
export function sitesFromStructure(s: Structure, opts: { element?: string; labelArray?: string; source?: string } = {}): SiteSet {
  const element = opts.element ?? 'Li', src = opts.source ?? 'structure';
  const labels = s.arrays[opts.labelArray ?? 'site_label'];
  const idx: number[] = [];
  s.species.forEach((e, i) => { if (e === element) idx.push(i); });
  if (idx.length === 0) throw new InputError(`${src}: no ${element} sites (elements present: ${[...new Set(s.species)].join(', ') || 'none'})`);
  if (!s.pbc.every(Boolean)) throw new InputError(`${src}: a site file must describe a fully periodic cell`);
  const types: string[] = [];
  const typeOf = new Int32Array(idx.length);
  const positions = new Float64Array(3 * idx.length);
  idx.forEach((i, k) => {
    const label = labels && labels.kind === 'string' ? labels.data[i] : element;
    let t = types.indexOf(label);
    if (t < 0) { t = types.length; types.push(label); }
    typeOf[k] = t;
    positions.set(s.positions.subarray(3 * i, 3 * i + 3), 3 * k);
  });
  return { cell: Float64Array.from(s.cell), pbc: [true, true, true], positions, typeOf, types };
}

/** Sites of `element` (default Li) from a CIF file, expanded by symmetry, typed by their site labels. */
export function readSiteCif(path: string, opts: { element?: string } = {}): SiteSet {
  return sitesFromStructure(readCif(path), { element: opts.element, source: path });
}

/**
 * The site set laid onto a simulation cell that is a (possibly strained) supercell of the site cell:
 * H_sim = N·H_site with N an integer matrix (entries within `tolerance` of integers, default 0.15; cells
 * in another orientation are compared in LAMMPS's lower-triangular form). Sites keep their fractional
 * positions, so they follow the strain of the simulation cell.
 */
export function sitesForCell(sites: SiteSet, cell: Mat3, opts: { tolerance?: number } = {}): SiteSet {
  const tol = opts.tolerance ?? 0.15;
  const tryN = (hs: Mat3, hc: Mat3) => {
    const n = mul3(hc, inv3(hs));
    const r = n.map(Math.round);
    return n.every((x, k) => Math.abs(x - r[k]) <= tol) ? r : null;
  };
  let N = tryN(sites.cell, cell);
  if (!N) {
    try { N = tryN(toLowerTriangular(sites.cell).cell, toLowerTriangular(cell).cell); } catch { N = null; }
  }
  const fmt = (c: Mat3) => cellParameters(c).map((x) => x.toFixed(3)).join(', ');
  if (!N) throw new InputError(`the simulation cell (a, b, c, α, β, γ = ${fmt(cell)}) is not a supercell of the site cell (${fmt(sites.cell)}) within ${tol}; check the site file or the structure`);
  const det = Math.round(N[0] * (N[4] * N[8] - N[5] * N[7]) - N[1] * (N[3] * N[8] - N[5] * N[6]) + N[2] * (N[3] * N[7] - N[4] * N[6]));
  if (det < 1) throw new InputError(`the simulation cell maps onto the site cell with a singular or left-handed integer matrix (det ${det})`);
  const ninv = inv3(N);
  const fs = cartesianToFractional(sites.cell, sites.positions);
  // translations t of the site cell inside the supercell: bounding box of the corners of N
  const lo = [0, 0, 0], hi = [0, 0, 0];
  for (let c = 0; c < 8; c++) for (let k = 0; k < 3; k++) {
    const v = (c & 1 ? N[k] : 0) + (c & 2 ? N[3 + k] : 0) + (c & 4 ? N[6 + k] : 0);
    lo[k] = Math.min(lo[k], v); hi[k] = Math.max(hi[k], v);
  }
  const nS = sites.typeOf.length;
  const frac: number[] = [], typeOf: number[] = [];
  for (let s = 0; s < nS; s++) {
    const f = [fs[3 * s] - Math.floor(fs[3 * s]), fs[3 * s + 1] - Math.floor(fs[3 * s + 1]), fs[3 * s + 2] - Math.floor(fs[3 * s + 2])];
    for (let t0 = lo[0]; t0 <= hi[0]; t0++) for (let t1 = lo[1]; t1 <= hi[1]; t1++) for (let t2 = lo[2]; t2 <= hi[2]; t2++) {
      const a = f[0] + t0, b = f[1] + t1, c = f[2] + t2;
      const g = [0, 1, 2].map((k) => a * ninv[k] + b * ninv[3 + k] + c * ninv[6 + k]);
      if (g.every((x) => x >= -1e-9 && x < 1 - 1e-9)) { frac.push(...g.map((x) => Math.max(0, x))); typeOf.push(sites.typeOf[s]); }
    }
  }
  if (typeOf.length !== nS * det) throw new InputError(`tiling the sites onto the simulation cell gave ${typeOf.length} sites, expected ${nS} × ${det}`);
  return { cell: Float64Array.from(cell), pbc: [true, true, true], positions: fractionalToCartesian(cell, frac), typeOf: Int32Array.from(typeOf), types: [...sites.types] };
}

/**
 * Point → nearest site within the capture radius r_in (Å), O(1) per query: a voxel grid over the cell
 * lists, per voxel, the sites that can lie within r_in of a point in it. Requires r_in below half the
 * smallest cell width (then the minimum image of a site within r_in is found by rounding fractions).
 */
export class SiteLocator {
  readonly rIn: number;
  private readonly hinv: Float64Array;
  private readonly h: Float64Array;
  private readonly fsite: Float64Array;
  private readonly nv: [number, number, number];
  private readonly start: Int32Array;
  private readonly list: Int32Array;

  /** sites must already be laid onto the simulation cell ({@link sitesForCell}); r_in in Å. */
  constructor(readonly sites: SiteSet, rInA: number) {
    if (!(rInA > 0 && Number.isFinite(rInA))) throw new InputError(`capture radius r_in must be a positive number of Å, got ${rInA}`);
    const w = perpendicularWidths(sites.cell);
    if (!(rInA < Math.min(...w) / 2)) throw new InputError(`capture radius r_in = ${rInA} Å must be below half the smallest cell width (${(Math.min(...w) / 2).toFixed(3)} Å)`);
    this.rIn = rInA;
    this.h = Float64Array.from(sites.cell);
    this.hinv = inv3(sites.cell);
    const nS = sites.typeOf.length;
    this.fsite = cartesianToFractional(sites.cell, sites.positions);
    for (let k = 0; k < 3 * nS; k++) this.fsite[k] -= Math.floor(this.fsite[k]);
    const nv = w.map((x) => Math.max(1, Math.min(256, Math.floor(x / rInA)))) as [number, number, number];
    this.nv = nv;
    // voxel circumradius: half the longest body diagonal of a voxel
    let diag = 0;
    for (const [s1, s2] of [[1, 1], [1, -1], [-1, 1], [-1, -1]]) {
      const v = [0, 1, 2].map((x) => this.h[x] / nv[0] + (s1 * this.h[3 + x]) / nv[1] + (s2 * this.h[6 + x]) / nv[2]);
      diag = Math.max(diag, Math.hypot(v[0], v[1], v[2]) / 2);
    }
    const reach = rInA + diag;
    const span = [0, 1, 2].map((k) => Math.ceil((reach / w[k]) * nv[k]) + 1);
    const nVox = nv[0] * nv[1] * nv[2];
    const pairs: number[] = [];
    for (let s = 0; s < nS; s++) {
      const c = [0, 1, 2].map((k) => Math.floor(this.fsite[3 * s + k] * nv[k]));
      for (let a = c[0] - span[0]; a <= c[0] + span[0]; a++)
        for (let b = c[1] - span[1]; b <= c[1] + span[1]; b++)
          for (let d = c[2] - span[2]; d <= c[2] + span[2]; d++) {
            const g0 = (a + 0.5) / nv[0] - this.fsite[3 * s], g1 = (b + 0.5) / nv[1] - this.fsite[3 * s + 1], g2 = (d + 0.5) / nv[2] - this.fsite[3 * s + 2];
            const x = g0 * this.h[0] + g1 * this.h[3] + g2 * this.h[6], y = g0 * this.h[1] + g1 * this.h[4] + g2 * this.h[7], z = g0 * this.h[2] + g1 * this.h[5] + g2 * this.h[8];
            if (x * x + y * y + z * z > reach * reach) continue;
            const v = ((((a % nv[0]) + nv[0]) % nv[0]) * nv[1] + (((b % nv[1]) + nv[1]) % nv[1])) * nv[2] + (((d % nv[2]) + nv[2]) % nv[2]);
            pairs.push(v, s);
          }
    }
    const start = new Int32Array(nVox + 1);
    for (let p = 0; p < pairs.length; p += 2) start[pairs[p] + 1]++;
    for (let v = 0; v < nVox; v++) start[v + 1] += start[v];
    const list = new Int32Array(pairs.length / 2);
    const cur = start.slice(0, nVox);
    for (let p = 0; p < pairs.length; p += 2) {
      const v = pairs[p], s = pairs[p + 1];
      // a site can be listed twice for one voxel when the span wraps; keep it once
      let dup = false;
      for (let q = start[v]; q < cur[v]; q++) if (list[q] === s) { dup = true; break; }
      if (!dup) list[cur[v]++] = s;
    }
    // compact away the gaps left by duplicates
    let o = 0;
    const packed = new Int32Array(list.length), pstart = new Int32Array(nVox + 1);
    for (let v = 0; v < nVox; v++) {
      pstart[v] = o;
      for (let q = start[v]; q < cur[v]; q++) packed[o++] = list[q];
    }
    pstart[nVox] = o;
    this.start = pstart;
    this.list = packed.subarray(0, o);
  }

  /** Index of the nearest site within r_in of the point (x, y, z) Å, or −1; the distance goes to out[0] when given. */
  locate(x: number, y: number, z: number, out?: Float64Array): number {
    const hi = this.hinv, h = this.h, nv = this.nv;
    let f0 = x * hi[0] + y * hi[3] + z * hi[6], f1 = x * hi[1] + y * hi[4] + z * hi[7], f2 = x * hi[2] + y * hi[5] + z * hi[8];
    f0 -= Math.floor(f0); f1 -= Math.floor(f1); f2 -= Math.floor(f2);
    const v = (Math.min(nv[0] - 1, Math.floor(f0 * nv[0])) * nv[1] + Math.min(nv[1] - 1, Math.floor(f1 * nv[1]))) * nv[2] + Math.min(nv[2] - 1, Math.floor(f2 * nv[2]));
    let best = -1, bestD2 = this.rIn * this.rIn;
    for (let q = this.start[v]; q < this.start[v + 1]; q++) {
      const s = this.list[q];
      let g0 = this.fsite[3 * s] - f0, g1 = this.fsite[3 * s + 1] - f1, g2 = this.fsite[3 * s + 2] - f2;
      g0 -= Math.round(g0); g1 -= Math.round(g1); g2 -= Math.round(g2);
      const dx = g0 * h[0] + g1 * h[3] + g2 * h[6], dy = g0 * h[1] + g1 * h[4] + g2 * h[7], dz = g0 * h[2] + g1 * h[5] + g2 * h[8];
      const d2 = dx * dx + dy * dy + dz * dz;
      if (d2 <= bestD2) { bestD2 = d2; best = s; }
    }
    if (out) out[0] = best >= 0 ? Math.sqrt(bestD2) : NaN;
    return best;
  }

  /** Minimum-image distance between two sites, Å. */
  siteDistance(a: number, b: number): number {
    const f = this.fsite, h = this.h;
    let g0 = f[3 * b] - f[3 * a], g1 = f[3 * b + 1] - f[3 * a + 1], g2 = f[3 * b + 2] - f[3 * a + 2];
    g0 -= Math.round(g0); g1 -= Math.round(g1); g2 -= Math.round(g2);
    // rounding gives the minimum image only for short vectors: search the neighbouring images too
    let best = Infinity;
    for (let a0 = -1; a0 <= 1; a0++) for (let a1 = -1; a1 <= 1; a1++) for (let a2 = -1; a2 <= 1; a2++) {
      const p = g0 + a0, q = g1 + a1, r = g2 + a2;
      const dx = p * h[0] + q * h[3] + r * h[6], dy = p * h[1] + q * h[4] + r * h[7], dz = p * h[2] + q * h[5] + r * h[8];
      best = Math.min(best, dx * dx + dy * dy + dz * dz);
    }
    return Math.sqrt(best);
  }
}
