/**
 * Equivariant local-environment features around EFG centres (Li), the inputs of the EFG model (model.ts).
 *
 * Radial functions (r in Å): g_k(r) = (r_ref/r)^p · exp(−((r − μ_k)/σ)²) · f_c(r), μ_k = r_min + k·Δ,
 * Δ = (r_c − r_min)/(K − 1), σ = w·Δ, f_c(r) = ½(1 + cos(π r/r_c)) (r < r_c; smooth to first derivative).
 * For centre i, neighbour species s (channel c = s·K + k), with u = r̂_ij and T(u) = u uᵀ − I/3:
 *   invariants   x[c]    = Σ_{j∈s} g_k(r_ij)                                    (L = 0)
 *   L=2 moments  M[c]    = Σ_{j∈s} g_k(r_ij) T(u)                               (symmetric traceless)
 * and, when `dipoles` is on, two-hop polarisation tensors (the EFG of point dipoles induced on the neighbours by
 * the field of their own neighbours; science.md §3 "an ionic core polarises"): with the field per unit charge of
 * species s at atom j, e_j[s] = Σ_{l∈N(j), l∈s} f_c(r_jl) (r_j − r_l)/r_jl³ (1/Å²), and v = r̂ from j to i,
 *   D1[s, s'] = Σ_{j∈s'} f_c(r_ij)/r_ij⁴ · sym-traceless(v ⊗ e_j[s]),
 *   D2[s, s'] = Σ_{j∈s'} f_c(r_ij)/r_ij⁴ · (v·e_j[s]) T(v)
 * (a point dipole p at j gives the EFG (−6 sym-traceless(v⊗p) + 15 (v·p) T(v))/r⁴ at i), and, when `quadrupoles` is
 * on, the EFG of quadrupoles induced on the neighbours by the field gradient of their own neighbours: with
 * G_j[s] = Σ_{l∈N(j), l∈s} f_c(r_jl) (3 r̂r̂ᵀ − I)/r_jl³ (1/Å³),
 *   Q1[s, s'] = Σ_{j∈s'} f_c/r⁵ · G_j[s],   Q2 = Σ f_c/r⁵ · sym-traceless(v ⊗ G_j[s] v),   Q3 = Σ f_c/r⁵ · (vᵀ G_j[s] v) T(v)
 * (the three L = 2 forms that the EFG of a point quadrupole at distance r is built from).
 * Every feature tensor transforms as R·M·Rᵀ and every invariant is unchanged under rotations, translations and
 * permutations of like atoms, exactly (up to round-off). Tensors are stored as 6 numbers (xx, yy, zz, xy, xz, yz).
 */
import { InputError } from '../core/errors';
import type { Mat3, Pbc } from '../core/cell';
import { NeighborListBuilder } from '../core/neighbors';
import type { Structure } from '../core/structure';

/** Descriptor settings (stored in a model's metadata). Lengths in Å. */
export interface DescriptorSettings {
  /** Neighbour species channels, e.g. ["Li", "P", "S"]. Any other element is an error. */
  species: string[];
  /** Element whose sites are the EFG centres (default "Li"). */
  centre: string;
  /** Cutoff radius r_c (Å) of the moments and of both dipole hops. */
  cutoff: number;
  /** Centre of the first Gaussian (Å). */
  rMin: number;
  /** Number of radial functions K per species. */
  nRadial: number;
  /** Gaussian width σ as a fraction of the spacing Δ. */
  width: number;
  /** Power p of the (r_ref/r)^p prefactor (0: none; 3: point-charge-like). */
  power: number;
  /** Reference length r_ref of the prefactor (Å). */
  rRef: number;
  /** Include the two-hop induced-dipole tensors D1, D2. */
  dipoles: boolean;
  /** Include the two-hop induced-quadrupole tensors Q1, Q2, Q3 (absent in old files: off). */
  quadrupoles?: boolean;
}

/** Default descriptor settings for Li–P–S (cutoff 5.5 Å, 6 Gaussians per species, 1/r³ prefactor, dipoles and quadrupoles on). */
export function defaultDescriptorSettings(species: string[] = ['Li', 'P', 'S']): DescriptorSettings {
  return { species: [...species], centre: 'Li', cutoff: 5.5, rMin: 1.8, nRadial: 6, width: 1.0, power: 3, rRef: 2.5, dipoles: true, quadrupoles: true };
}

/** Throws InputError when settings are inconsistent. */
export function checkDescriptorSettings(d: DescriptorSettings): void {
  if (!Array.isArray(d.species) || d.species.length === 0 || new Set(d.species).size !== d.species.length) throw new InputError(`descriptor species must be a non-empty list of distinct elements, got ${JSON.stringify(d.species)}`);
  if (typeof d.centre !== 'string' || !d.species.includes(d.centre)) throw new InputError(`descriptor centre ${JSON.stringify(d.centre)} must be one of the species ${JSON.stringify(d.species)}`);
  if (!(d.cutoff > 0 && d.cutoff < 50)) throw new InputError(`descriptor cutoff must be in (0, 50) Å, got ${d.cutoff}`);
  if (!(d.rMin >= 0 && d.rMin < d.cutoff)) throw new InputError(`descriptor rMin must be in [0, cutoff), got ${d.rMin}`);
  if (!(Number.isInteger(d.nRadial) && d.nRadial >= 2 && d.nRadial <= 64)) throw new InputError(`descriptor nRadial must be an integer in 2..64, got ${d.nRadial}`);
  if (!(d.width > 0)) throw new InputError(`descriptor width must be positive, got ${d.width}`);
  if (!(d.power >= 0 && d.power <= 6)) throw new InputError(`descriptor power must be in [0, 6], got ${d.power}`);
  if (!(d.rRef > 0)) throw new InputError(`descriptor rRef must be positive, got ${d.rRef}`);
  if (typeof d.dipoles !== 'boolean') throw new InputError('descriptor dipoles must be true or false');
  if (d.quadrupoles !== undefined && typeof d.quadrupoles !== 'boolean') throw new InputError('descriptor quadrupoles must be true or false');
}

/** Number of invariants and of feature tensors per centre for these settings. */
export function featureCounts(d: DescriptorSettings): { nInv: number; nTen: number } {
  const S = d.species.length, C = S * d.nRadial;
  return { nInv: C, nTen: C + (d.dipoles ? 2 * S * S : 0) + (d.quadrupoles ? 3 * S * S : 0) };
}

/** Names of the feature tensors (for metadata and reports). */
export function featureNames(d: DescriptorSettings): string[] {
  const out: string[] = [];
  for (const s of d.species) for (let k = 0; k < d.nRadial; k++) out.push(`M[${s},${k}]`);
  if (d.dipoles) for (const form of ['D1', 'D2']) for (const s of d.species) for (const s2 of d.species) out.push(`${form}[field ${s}, dipole ${s2}]`);
  if (d.quadrupoles) for (const form of ['Q1', 'Q2', 'Q3']) for (const s of d.species) for (const s2 of d.species) out.push(`${form}[gradient ${s}, quadrupole ${s2}]`);
  return out;
}

/** Features of n centres: invariants (n × nInv) and feature tensors (n × nTen × 6). */
export interface Features {
  n: number;
  nInv: number;
  nTen: number;
  inv: Float64Array;
  ten: Float64Array;
  /** Atom index of each centre. */
  centres: Int32Array;
}

/**
 * Computes model features for trajectories frame after frame, reusing its buffers (the returned arrays are
 * overwritten by the next call; copy them to keep them).
 */
export class Featurizer {
  readonly nInv: number;
  readonly nTen: number;
  protected readonly builder = new NeighborListBuilder();
  /**
   * Per "centre pair" (a pair within the cutoff with at least one centre atom), REC numbers: the unit vector u from
   * atom a to atom b, r (Å), f_c, f_c/r⁴, f_c/r⁵ and the K radial functions g_k(r); atoms a, b in `pairAtoms`.
   */
  protected rec = new Float64Array(0);
  protected pairAtoms = new Int32Array(0); // 2 per centre pair: a, b (u points from a to b)
  protected slot = new Int32Array(0); // centre slot of each atom, −1 if not a centre
  protected field = new Float64Array(0);
  protected grad = new Float64Array(0); // field gradients per unit charge, 6 per (atom, species)
  private types = new Int32Array(0);
  protected inv = new Float64Array(0);
  protected ten = new Float64Array(0);
  protected readonly ck: Float64Array;
  protected readonly delta: number;
  protected readonly inv2s: number;
  protected readonly deltaInv2s: number;
  protected readonly K: number;
  protected readonly S: number;
  /** Numbers per centre pair in `rec` (7 + K). */
  protected readonly REC: number;
  protected readonly power: number;
  protected readonly rRef: number;
  protected readonly rMin: number;
  protected readonly dipoles: boolean;
  protected readonly quads: boolean;
  protected readonly qOffset: number;

  constructor(readonly settings: DescriptorSettings) {
    checkDescriptorSettings(settings);
    const c = featureCounts(settings);
    this.nInv = c.nInv; this.nTen = c.nTen;
    const K = settings.nRadial, delta = (settings.cutoff - settings.rMin) / (K - 1), sigma = settings.width * delta;
    this.K = K; this.S = settings.species.length; this.power = settings.power; this.rRef = settings.rRef; this.rMin = settings.rMin; this.dipoles = settings.dipoles; this.quads = !!settings.quadrupoles;
    this.REC = 7 + K;
    this.qOffset = this.S * K + (settings.dipoles ? 2 * this.S * this.S : 0);
    this.delta = delta; this.inv2s = 1 / (sigma * sigma); this.deltaInv2s = delta / (sigma * sigma);
    this.ck = Float64Array.from({ length: K }, (_, k) => Math.exp(-(k * k * delta * delta) / (sigma * sigma)));
  }

  /** Species index of every atom (InputError naming an element the settings do not know). */
  typeIndices(species: readonly string[], where = 'structure'): Int32Array {
    const sp = this.settings.species;
    if (this.types.length !== species.length) this.types = new Int32Array(species.length);
    for (let i = 0; i < species.length; i++) {
      const t = sp.indexOf(species[i]);
      if (t < 0) throw new InputError(`${where}: element ${species[i]} (atom ${i}) is unknown to this EFG model (species ${sp.join(', ')})`);
      this.types[i] = t;
    }
    return this.types;
  }

  /** Centre atoms (all atoms of the centre element) of a species list. */
  centresOf(species: readonly string[]): Int32Array {
    const out: number[] = [];
    for (let i = 0; i < species.length; i++) if (species[i] === this.settings.centre) out.push(i);
    return Int32Array.from(out);
  }

  /** Features of a Structure at its centre atoms (default: every atom of the centre element). */
  featurizeStructure(s: Structure, centres?: Int32Array, where = 'structure'): Features {
    return this.featurize(s.positions, s.cell, s.pbc, this.typeIndices(s.species, where), centres ?? this.centresOf(s.species));
  }

  /**
   * Shared first stage of {@link featurize} and the fused evaluator (fused.ts), one pass over a half neighbour list:
   * the fields e and field gradients G per unit charge of every atom, and for every pair that touches a centre its
   * record in `rec` (unit vector, r, f_c, f_c/r⁴, f_c/r⁵, radial functions), and the invariants of the centres in
   * `inv`. Returns the number of centre pairs.
   */
  protected prepare(positions: Float64Array, cell: Mat3, pbc: Pbc, types: Int32Array, centres: Int32Array): number {
    const d = this.settings, S = this.S, K = this.K, REC = this.REC;
    const n = positions.length / 3, nc = centres.length;
    if (types.length !== n) throw new InputError(`featurize: ${types.length} species for ${n} atoms`);
    const list = this.builder.build(positions, cell, pbc, d.cutoff, { full: false });
    const m = list.index.length;
    if (this.slot.length < n) this.slot = new Int32Array(n);
    const slot = this.slot;
    slot.fill(-1, 0, n);
    for (let t = 0; t < nc; t++) {
      const i = centres[t];
      if (!(i >= 0 && i < n)) throw new InputError(`featurize: centre index ${i} outside 0..${n - 1}`);
      if (slot[i] >= 0) throw new InputError(`featurize: centre ${i} listed twice`);
      slot[i] = t;
    }
    if (this.inv.length < nc * this.nInv) this.inv = new Float64Array(nc * this.nInv);
    const inv = this.inv, nInv = this.nInv;
    inv.fill(0, 0, nc * nInv);
    if (this.pairAtoms.length < 2 * m) { const cap = Math.ceil(m * 1.2); this.pairAtoms = new Int32Array(2 * cap); this.rec = new Float64Array(REC * cap); }
    const rc = d.cutoff, rc2 = rc * rc, piOverRc = Math.PI / rc;
    const { start, index, image } = list;
    const dip = d.dipoles, quad = this.quads;
    if (dip && this.field.length < 3 * S * n) this.field = new Float64Array(3 * S * n);
    if (quad && this.grad.length < 6 * S * n) this.grad = new Float64Array(6 * S * n);
    const field = this.field, grad = this.grad, rec = this.rec, pairAtoms = this.pairAtoms;
    if (dip) field.fill(0, 0, 3 * S * n);
    if (quad) grad.fill(0, 0, 6 * S * n);
    const h0 = cell[0], h1 = cell[1], h2 = cell[2], h3 = cell[3], h4 = cell[4], h5 = cell[5], h6 = cell[6], h7 = cell[7], h8 = cell[8];
    const power = this.power, rRef = this.rRef, rMin = this.rMin, inv2s = this.inv2s, deltaInv2s = this.deltaInv2s, delta = this.delta, ck = this.ck;
    let np = 0;
    for (let a = 0; a < n; a++) {
      const xa = positions[3 * a], ya = positions[3 * a + 1], za = positions[3 * a + 2];
      const tA = types[a];
      for (let e = start[a], end = start[a + 1]; e < end; e++) {
        const b = index[e];
        let x = positions[3 * b] - xa, y = positions[3 * b + 1] - ya, z = positions[3 * b + 2] - za;
        const n0 = image[3 * e], n1 = image[3 * e + 1], n2 = image[3 * e + 2];
        if ((n0 | n1 | n2) !== 0) { x += n0 * h0 + n1 * h3 + n2 * h6; y += n0 * h1 + n1 * h4 + n2 * h7; z += n0 * h2 + n1 * h5 + n2 * h8; }
        const r2 = x * x + y * y + z * z;
        if (r2 >= rc2) continue;
        if (r2 < 0.01) throw new InputError(`EFG features: atoms ${a} and ${b} are ${Math.sqrt(r2).toFixed(3)} Å apart (overlap)`);
        const r = Math.sqrt(r2), fc = cutoffFunction(piOverRc * r);
        const w = fc / (r2 * r), tB = types[b];
        if (quad) {
          // G += f_c (3 v vᵀ/r² − I)/r³, the same for both atoms of the pair
          const w3 = (3 * w) / r2;
          const gxx = w3 * x * x - w, gyy = w3 * y * y - w, gzz = w3 * z * z - w, gxy = w3 * x * y, gxz = w3 * x * z, gyz = w3 * y * z;
          const qa = 6 * (S * a + tB), qb = 6 * (S * b + tA);
          grad[qa] += gxx; grad[qa + 1] += gyy; grad[qa + 2] += gzz; grad[qa + 3] += gxy; grad[qa + 4] += gxz; grad[qa + 5] += gyz;
          grad[qb] += gxx; grad[qb + 1] += gyy; grad[qb + 2] += gzz; grad[qb + 3] += gxy; grad[qb + 4] += gxz; grad[qb + 5] += gyz;
        }
        if (dip) {
          // field at a from b: (r_a − r_b)/r³ = −v/r³; at b from a: +v/r³
          const oa = 3 * (S * a + tB), ob = 3 * (S * b + tA);
          field[oa] -= w * x; field[oa + 1] -= w * y; field[oa + 2] -= w * z;
          field[ob] += w * x; field[ob + 1] += w * y; field[ob + 2] += w * z;
        }
        const sa = slot[a], sb = slot[b];
        if (sa < 0 && sb < 0) continue;
        // a centre pair: its record, and its radial functions added to the invariants of its centre(s)
        const ir = 1 / r, o = REC * np;
        pairAtoms[2 * np] = a; pairAtoms[2 * np + 1] = b; np++;
        const h4r = fc * ir * ir * ir * ir;
        rec[o] = x * ir; rec[o + 1] = y * ir; rec[o + 2] = z * ir; rec[o + 3] = r; rec[o + 4] = fc; rec[o + 5] = h4r; rec[o + 6] = h4r * ir;
        // g_k(r) = f_c (r_ref/r)^p exp(−((r − μ_k)/σ)²) by the recurrence exp(−(t − kΔ)²/σ²) = exp(−t²/σ²) q^k c_k
        const rr = rRef * ir, pre = power === 0 ? fc : power === 3 ? fc * rr * rr * rr : fc * Math.pow(rr, power);
        const tt = r - rMin, q = Math.exp(2 * tt * deltaInv2s);
        if (tt * tt * inv2s < 500 && q < 1e300) {
          let gk = pre * Math.exp(-tt * tt * inv2s);
          for (let k = 0; k < K; k++) { rec[o + 7 + k] = gk * ck[k]; gk *= q; }
        } else for (let k = 0; k < K; k++) { const u = tt - k * delta; rec[o + 7 + k] = pre * Math.exp(-u * u * inv2s); } // no under/overflow
        if (sa >= 0) { const oi = sa * nInv + tB * K; for (let k = 0; k < K; k++) inv[oi + k] += rec[o + 7 + k]; }
        if (sb >= 0) { const oi = sb * nInv + tA * K; for (let k = 0; k < K; k++) inv[oi + k] += rec[o + 7 + k]; }
      }
    }
    return np;
  }

  /**
   * Features at `centres` for positions (Å, 3N), cell (rows, Å), pbc and per-atom species indices.
   * Works on a half neighbour list (each pair once): {@link prepare} computes the fields e_j of every atom and the
   * records of the pairs that touch a centre; each such pair is then added to whichever of its atoms is a centre
   * (with the vector reversed for the second).
   */
  featurize(positions: Float64Array, cell: Mat3, pbc: Pbc, types: Int32Array, centres: Int32Array): Features {
    const C = this.S * this.K;
    const nc = centres.length, nInv = this.nInv, nTen = this.nTen;
    const np = this.prepare(positions, cell, pbc, types, centres);
    if (this.ten.length < nc * nTen * 6) this.ten = new Float64Array(nc * nTen * 6);
    const inv = this.inv, ten = this.ten, slot = this.slot, pairAtoms = this.pairAtoms;
    ten.fill(0, 0, nc * nTen * 6);
    for (let p = 0; p < np; p++) {
      const a = pairAtoms[2 * p], b = pairAtoms[2 * p + 1], ta = slot[a], tb = slot[b];
      if (ta >= 0) this.addPair(ta, types[b], b, 1, p, C);
      if (tb >= 0) this.addPair(tb, types[a], a, -1, p, C);
    }
    return { n: nc, nInv, nTen, inv: inv.subarray(0, nc * nInv), ten: ten.subarray(0, nc * nTen * 6), centres };
  }

  /** Adds neighbour j (species s) of centre slot t through centre pair p; sign +1 when the centre is atom a of the pair, −1 when it is b. */
  private addPair(t: number, s: number, j: number, sign: number, p: number, C: number): void {
    const K = this.K, S = this.S, nTen = this.nTen;
    const ten = this.ten, rec = this.rec, o = this.REC * p;
    const ux = sign * rec[o], uy = sign * rec[o + 1], uz = sign * rec[o + 2]; // unit vector from the centre to j
    const txx = ux * ux - 1 / 3, tyy = uy * uy - 1 / 3, tzz = uz * uz - 1 / 3, txy = ux * uy, txz = ux * uz, tyz = uy * uz;
    const ot = t * nTen * 6;
    for (let k = 0; k < K; k++) {
      const w = rec[o + 7 + k];
      const q = ot + 6 * (s * K + k);
      ten[q] += w * txx; ten[q + 1] += w * tyy; ten[q + 2] += w * tzz; ten[q + 3] += w * txy; ten[q + 4] += w * txz; ten[q + 5] += w * tyz;
    }
    // v = unit vector from neighbour j to the centre = −u
    const vx = -ux, vy = -uy, vz = -uz;
    if (this.quads) {
      const h5 = rec[o + 6], grad = this.grad, SS = S * S, q0 = ot + 6 * this.qOffset;
      for (let sf = 0; sf < S; sf++) {
        const go = 6 * (S * j + sf);
        const gxx = grad[go], gyy = grad[go + 1], gzz = grad[go + 2], gxy = grad[go + 3], gxz = grad[go + 4], gyz = grad[go + 5];
        const wx = gxx * vx + gxy * vy + gxz * vz, wy = gxy * vx + gyy * vy + gyz * vz, wz = gxz * vx + gyz * vy + gzz * vz; // G v
        const vgv = vx * wx + vy * wy + vz * wz, t3 = vgv / 3;
        const o1 = q0 + 6 * (sf * S + s), o2 = o1 + 6 * SS, o3 = o2 + 6 * SS;
        ten[o1] += h5 * gxx; ten[o1 + 1] += h5 * gyy; ten[o1 + 2] += h5 * gzz; ten[o1 + 3] += h5 * gxy; ten[o1 + 4] += h5 * gxz; ten[o1 + 5] += h5 * gyz;
        ten[o2] += h5 * (vx * wx - t3); ten[o2 + 1] += h5 * (vy * wy - t3); ten[o2 + 2] += h5 * (vz * wz - t3);
        ten[o2 + 3] += h5 * 0.5 * (vx * wy + vy * wx); ten[o2 + 4] += h5 * 0.5 * (vx * wz + vz * wx); ten[o2 + 5] += h5 * 0.5 * (vy * wz + vz * wy);
        const hq = h5 * vgv;
        ten[o3] += hq * txx; ten[o3 + 1] += hq * tyy; ten[o3 + 2] += hq * tzz; ten[o3 + 3] += hq * txy; ten[o3 + 4] += hq * txz; ten[o3 + 5] += hq * tyz;
      }
    }
    if (!this.dipoles) return;
    const h = rec[o + 5], field = this.field;
    for (let sf = 0; sf < S; sf++) {
      const fo = 3 * (S * j + sf);
      const ex = field[fo], ey = field[fo + 1], ez = field[fo + 2];
      const dot = vx * ex + vy * ey + vz * ez, d3 = dot / 3;
      const o1 = ot + 6 * (C + sf * S + s), o2 = ot + 6 * (C + S * S + sf * S + s);
      ten[o1] += h * (vx * ex - d3); ten[o1 + 1] += h * (vy * ey - d3); ten[o1 + 2] += h * (vz * ez - d3);
      ten[o1 + 3] += h * 0.5 * (vx * ey + vy * ex); ten[o1 + 4] += h * 0.5 * (vx * ez + vz * ex); ten[o1 + 5] += h * 0.5 * (vy * ez + vz * ey);
      const hd = h * dot;
      ten[o2] += hd * txx; ten[o2 + 1] += hd * tyy; ten[o2 + 2] += hd * tzz; ten[o2 + 3] += hd * txy; ten[o2 + 4] += hd * txz; ten[o2 + 5] += hd * tyz;
    }
  }
}

/**
 * The cosine cutoff ½(1 + cos x) for x = πr/r_c ∈ [0, π], as cos²(x/2) = ½(cos z − sin z)² with z = x/2 − π/4 ∈ [−π/4, π/4]
 * and the Taylor series of sin z and cos z to z¹⁵ and z¹⁶ (truncation < 1e-16; within 4e-16 of Math.cos, about twice
 * as fast: it is the most expensive part of the per-pair work).
 */
export function cutoffFunction(x: number): number {
  const z = 0.5 * x - 0.7853981633974483, z2 = z * z;
  const s = z * (1 + z2 * (-1 / 6 + z2 * (1 / 120 + z2 * (-1 / 5040 + z2 * (1 / 362880 + z2 * (-1 / 39916800 + z2 * (1 / 6227020800 + z2 * (-1 / 1307674368000))))))));
  const c = 1 + z2 * (-1 / 2 + z2 * (1 / 24 + z2 * (-1 / 720 + z2 * (1 / 40320 + z2 * (-1 / 3628800 + z2 * (1 / 479001600 + z2 * (-1 / 87178291200 + z2 * (1 / 20922789888000))))))));
  const d = c - s;
  return 0.5 * d * d;
}

/** 6-component symmetric tensor (xx, yy, zz, xy, xz, yz) → 9 components row-major. */
export function sym6ToFull(t6: ArrayLike<number>, o6 = 0, out: Float64Array = new Float64Array(9), o9 = 0): Float64Array {
  out[o9] = t6[o6]; out[o9 + 4] = t6[o6 + 1]; out[o9 + 8] = t6[o6 + 2];
  out[o9 + 1] = out[o9 + 3] = t6[o6 + 3]; out[o9 + 2] = out[o9 + 6] = t6[o6 + 4]; out[o9 + 5] = out[o9 + 7] = t6[o6 + 5];
  return out;
}

/** 9 components row-major → 6-component symmetric part (xx, yy, zz, xy, xz, yz). */
export function fullToSym6(t9: ArrayLike<number>, o9 = 0, out: Float64Array = new Float64Array(6), o6 = 0): Float64Array {
  out[o6] = t9[o9]; out[o6 + 1] = t9[o9 + 4]; out[o6 + 2] = t9[o9 + 8];
  out[o6 + 3] = 0.5 * (t9[o9 + 1] + t9[o9 + 3]); out[o6 + 4] = 0.5 * (t9[o9 + 2] + t9[o9 + 6]); out[o6 + 5] = 0.5 * (t9[o9 + 5] + t9[o9 + 7]);
  return out;
}
