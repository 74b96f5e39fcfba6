/**
 * Point-charge electric field gradient by Ewald summation in periodic triclinic cells (science.md §3).
 * V_ab(r_i) = k_e Σ_j q_j ∂_a∂_b 1/|r − r_j| at r = r_i (j ≠ i, all periodic images), split with the
 * Ewald parameter α into
 *   real space  k_e Σ_{j,n}' q_j A(r) (x_a x_b − δ_ab r²/3),
 *               A(r) = [3 erfc(αr)/r³ + (2α/√π) e^{−α²r²}(3/r² + 2α²)]/r²,
 *   reciprocal  k_e (4π/Ω) Σ_{G≠0} e^{−G²/4α²}/G² · (−G_aG_b + δ_ab G²/3) · Σ_j q_j cos(G·(r_i − r_j)),
 * keeping only the traceless part (the trace of each split part is the Gaussian charge density, which cancels
 * between the two; the self term and the G = 0 term are isotropic and drop out). k_e = e/(4πε0) = 14.399645 V·Å/e,
 * so tensors come out in V/Å² for charges in e. A non-neutral cell is summed with a uniform neutralising
 * background (the usual Ewald convention); the result is then no longer a plain sum of point charges.
 * The nucleus feels (1 − γ∞)·V with the Sternheimer antishielding factor γ∞ (science.md §3).
 */
import { InputError } from '../core/errors';
import { COULOMB_EV_A } from '../core/units';
import { Mat3, Pbc, inv3, reciprocalCell, volume, det3 } from '../core/cell';
import type { Structure } from '../core/structure';
import { erfc } from './erfc';

const TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);

/** Options of {@link pointChargeEfg}. */
export interface EwaldOptions {
  /** Ewald splitting parameter α (1/Å); default balances real- and reciprocal-space work. */
  alpha?: number;
  /** Target relative truncation error of both sums (default 1e-12). */
  accuracy?: number;
  /** Sternheimer antishielding factor γ∞: the result is multiplied by (1 − γ∞). Default 0. */
  sternheimer?: number;
  /** Atoms at which the EFG is evaluated (default: every atom). */
  sites?: ArrayLike<number>;
}

/** Result of {@link pointChargeEfg}: tensors (9 per site, row-major, V/Å²) and the Ewald settings used. */
export interface EwaldResult {
  tensors: Float64Array;
  sites: Int32Array;
  netCharge: number;
  alpha: number;
  realCutoff: number;
  reciprocalCutoff: number;
}

/**
 * Point-charge EFG tensors (V/Å², traceless, symmetric) at `sites` of a periodic array of charges q (e) at
 * positions (Å, flat 3N) in a cell whose rows are the lattice vectors (Å). pbc must be all true or all false
 * (then a plain direct sum).
 */
export function pointChargeEfg(positions: ArrayLike<number>, cell: Mat3, pbc: Pbc, charges: ArrayLike<number>, opts: EwaldOptions = {}): EwaldResult {
  const n = charges.length;
  if (positions.length !== 3 * n) throw new InputError(`point-charge EFG: ${positions.length / 3} positions for ${n} charges`);
  for (let j = 0; j < n; j++) if (!Number.isFinite(charges[j])) throw new InputError(`point-charge EFG: charge of atom ${j} is not a finite number`);
  const sites = Int32Array.from(opts.sites ?? Array.from({ length: n }, (_, i) => i));
  for (const i of sites) if (!(i >= 0 && i < n)) throw new InputError(`point-charge EFG: site index ${i} outside 0..${n - 1}`);
  const gamma = opts.sternheimer ?? 0;
  if (!Number.isFinite(gamma)) throw new InputError('point-charge EFG: the Sternheimer factor must be a finite number');
  let net = 0, sumAbs = 0;
  for (let j = 0; j < n; j++) { net += charges[j]; sumAbs += Math.abs(charges[j]); }
  const out = new Float64Array(9 * sites.length);
  const periodic = pbc.filter(Boolean).length;
  if (periodic === 0) {
    directSum(positions, charges, sites, out);
    scale(out, COULOMB_EV_A * (1 - gamma));
    return { tensors: out, sites, netCharge: net, alpha: 0, realCutoff: Infinity, reciprocalCutoff: 0 };
  }
  if (periodic !== 3) throw new InputError(`point-charge EFG needs a cell periodic in all three directions or none (pbc = ${pbc.join(',')})`);
  const omega = volume(cell);
  if (!(omega > 1e-9) || det3(cell) === 0) throw new InputError('point-charge EFG: degenerate cell');
  const acc = opts.accuracy ?? 1e-12;
  if (!(acc > 0 && acc < 1)) throw new InputError(`point-charge EFG: accuracy must lie in (0, 1), got ${acc}`);
  const m = Math.max(1, sites.length);
  const alpha = opts.alpha ?? Math.pow((Math.PI ** 3 * m * n) / ((n + m) * omega * omega), 1 / 6);
  if (!(alpha > 0) || !Number.isFinite(alpha)) throw new InputError(`point-charge EFG: α must be positive, got ${alpha}`);
  // e^{−s²} ≈ accuracy; one extra unit of margin covers the polynomial prefactors of the EFG kernels
  const s = Math.sqrt(-Math.log(acc)) + 1;
  const rc = s / alpha, gc = 2 * s * alpha;
  realSpace(positions, cell, charges, sites, alpha, rc, out);
  reciprocalSpace(positions, cell, charges, sites, alpha, gc, omega, out);
  scale(out, COULOMB_EV_A * (1 - gamma));
  void sumAbs;
  return { tensors: out, sites, netCharge: net, alpha, realCutoff: rc, reciprocalCutoff: gc };
}

function scale(a: Float64Array, f: number): void {
  for (let k = 0; k < a.length; k++) a[k] *= f;
}

/** Adds q·A(r)·(x xᵀ − r²/3 I) to out at offset o. */
function addPair(out: Float64Array, o: number, x: number, y: number, z: number, qa: number): void {
  const r2 = x * x + y * y + z * z, t = r2 / 3;
  out[o] += qa * (x * x - t); out[o + 4] += qa * (y * y - t); out[o + 8] += qa * (z * z - t);
  const xy = qa * x * y, xz = qa * x * z, yz = qa * y * z;
  out[o + 1] += xy; out[o + 3] += xy; out[o + 2] += xz; out[o + 6] += xz; out[o + 5] += yz; out[o + 7] += yz;
}

function directSum(pos: ArrayLike<number>, q: ArrayLike<number>, sites: Int32Array, out: Float64Array): void {
  const n = q.length;
  for (let s = 0; s < sites.length; s++) {
    const i = sites[s];
    for (let j = 0; j < n; j++) {
      if (j === i || q[j] === 0) continue;
      const x = pos[3 * j] - pos[3 * i], y = pos[3 * j + 1] - pos[3 * i + 1], z = pos[3 * j + 2] - pos[3 * i + 2];
      const r2 = x * x + y * y + z * z;
      if (!(r2 > 1e-16)) throw new InputError(`point-charge EFG: atoms ${i} and ${j} coincide`);
      addPair(out, 9 * s, x, y, z, (3 * q[j]) / (r2 * r2 * Math.sqrt(r2)));
    }
  }
}

function realSpace(pos: ArrayLike<number>, cell: Mat3, q: ArrayLike<number>, sites: Int32Array, alpha: number, rc: number, out: Float64Array): void {
  const n = q.length;
  const hinv = inv3(cell);
  const frac = new Float64Array(3 * n);
  for (let j = 0; j < n; j++) {
    const x = pos[3 * j], y = pos[3 * j + 1], z = pos[3 * j + 2];
    frac[3 * j] = x * hinv[0] + y * hinv[3] + z * hinv[6];
    frac[3 * j + 1] = x * hinv[1] + y * hinv[4] + z * hinv[7];
    frac[3 * j + 2] = x * hinv[2] + y * hinv[5] + z * hinv[8];
  }
  // lattice translations that can bring a pair (fractional difference in [−½, ½]) within rc
  let halfDiag = 0;
  for (const sa of [-0.5, 0.5]) for (const sb of [-0.5, 0.5]) for (const sc of [-0.5, 0.5]) {
    const x = sa * cell[0] + sb * cell[3] + sc * cell[6], y = sa * cell[1] + sb * cell[4] + sc * cell[7], z = sa * cell[2] + sb * cell[5] + sc * cell[8];
    halfDiag = Math.max(halfDiag, Math.hypot(x, y, z));
  }
  const reach = rc + halfDiag;
  const rec = reciprocalCell(cell);
  const nmax = [0, 1, 2].map((k) => Math.ceil(reach * Math.hypot(rec[3 * k], rec[3 * k + 1], rec[3 * k + 2])));
  const shifts: number[] = [];
  for (let a = -nmax[0]; a <= nmax[0]; a++)
    for (let b = -nmax[1]; b <= nmax[1]; b++)
      for (let c = -nmax[2]; c <= nmax[2]; c++) {
        const x = a * cell[0] + b * cell[3] + c * cell[6], y = a * cell[1] + b * cell[4] + c * cell[7], z = a * cell[2] + b * cell[5] + c * cell[8];
        if (Math.hypot(x, y, z) <= reach) shifts.push(x, y, z);
      }
  const T = Float64Array.from(shifts), nt = T.length / 3;
  const rc2 = rc * rc, a2 = alpha * alpha, c2 = TWO_OVER_SQRT_PI * alpha;
  for (let s = 0; s < sites.length; s++) {
    const i = sites[s], o = 9 * s;
    for (let j = 0; j < n; j++) {
      const qj = q[j];
      if (qj === 0) continue;
      let f0 = frac[3 * j] - frac[3 * i], f1 = frac[3 * j + 1] - frac[3 * i + 1], f2 = frac[3 * j + 2] - frac[3 * i + 2];
      f0 -= Math.round(f0); f1 -= Math.round(f1); f2 -= Math.round(f2);
      const dx = f0 * cell[0] + f1 * cell[3] + f2 * cell[6], dy = f0 * cell[1] + f1 * cell[4] + f2 * cell[7], dz = f0 * cell[2] + f1 * cell[5] + f2 * cell[8];
      for (let t = 0; t < nt; t++) {
        const x = dx + T[3 * t], y = dy + T[3 * t + 1], z = dz + T[3 * t + 2];
        const r2 = x * x + y * y + z * z;
        if (r2 >= rc2) continue;
        if (r2 < 1e-16) {
          if (j === i) continue; // the atom itself
          throw new InputError(`point-charge EFG: atoms ${i} and ${j} (or a periodic image) coincide`);
        }
        const r = Math.sqrt(r2), ar = alpha * r;
        const A = ((3 * erfc(ar)) / (r2 * r) + c2 * Math.exp(-a2 * r2) * (3 / r2 + 2 * a2)) / r2;
        addPair(out, o, x, y, z, qj * A);
      }
    }
  }
}

function reciprocalSpace(pos: ArrayLike<number>, cell: Mat3, q: ArrayLike<number>, sites: Int32Array, alpha: number, gc: number, omega: number, out: Float64Array): void {
  const n = q.length, m = sites.length;
  const rec = reciprocalCell(cell); // rows b_k with b_k·a_l = δ_kl (no 2π)
  const tp = 2 * Math.PI;
  const hmax = [0, 1, 2].map((k) => Math.floor((gc * Math.hypot(cell[3 * k], cell[3 * k + 1], cell[3 * k + 2])) / tp));
  const gc2 = gc * gc, inv4a2 = 1 / (4 * alpha * alpha);
  const cosj = new Float64Array(n), sinj = new Float64Array(n);
  for (let h = 0; h <= hmax[0]; h++)
    for (let k = h === 0 ? 0 : -hmax[1]; k <= hmax[1]; k++)
      for (let l = h === 0 && k === 0 ? 1 : -hmax[2]; l <= hmax[2]; l++) {
        const gx = tp * (h * rec[0] + k * rec[3] + l * rec[6]);
        const gy = tp * (h * rec[1] + k * rec[4] + l * rec[7]);
        const gz = tp * (h * rec[2] + k * rec[5] + l * rec[8]);
        const g2 = gx * gx + gy * gy + gz * gz;
        if (g2 > gc2) continue;
        // factor 2: G and −G together
        const pref = (2 * 4 * Math.PI * Math.exp(-g2 * inv4a2)) / (omega * g2);
        let C = 0, S = 0;
        for (let j = 0; j < n; j++) {
          const ph = gx * pos[3 * j] + gy * pos[3 * j + 1] + gz * pos[3 * j + 2];
          const c = Math.cos(ph), s = Math.sin(ph);
          cosj[j] = c; sinj[j] = s;
          C += q[j] * c; S += q[j] * s;
        }
        for (let t = 0; t < m; t++) {
          const i = sites[t];
          const val = -pref * (cosj[i] * C + sinj[i] * S);
          addPair(out, 9 * t, gx, gy, gz, val);
        }
      }
}

/** Parses "Li=1,P=5,S=-2" into a species → charge map (e). */
export function parseCharges(text: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const part of text.split(',').map((p) => p.trim()).filter(Boolean)) {
    const m = /^([A-Z][a-z]?)\s*[=:]\s*([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)$/.exec(part);
    if (!m) throw new InputError(`charges: expected Element=number (e.g. Li=1,P=5,S=-2), got ${JSON.stringify(part)}`);
    if (m[1] in out) throw new InputError(`charges: ${m[1]} given twice`);
    out[m[1]] = Number(m[2]);
  }
  if (Object.keys(out).length === 0) throw new InputError('charges: none given (expected e.g. Li=1,P=5,S=-2)');
  return out;
}

/** Per-atom charges (e) from a species → charge map; InputError naming the species that have none. */
export function chargesBySpecies(species: readonly string[], charges: Record<string, number>): Float64Array {
  const missing = [...new Set(species.filter((e) => !(e in charges)))];
  if (missing.length) throw new InputError(`no charge given for ${missing.join(', ')} (charges given for ${Object.keys(charges).join(', ')})`);
  return Float64Array.from(species, (e) => charges[e]);
}

/** Point-charge EFG of a Structure with charges per species (e) or per atom; see {@link pointChargeEfg}. */
export function structurePointChargeEfg(s: Structure, charges: Record<string, number> | ArrayLike<number>, opts: EwaldOptions = {}): EwaldResult {
  const q = isChargeMap(charges) ? chargesBySpecies(s.species, charges) : charges;
  if (q.length !== s.species.length) throw new InputError(`${q.length} charges for ${s.species.length} atoms`);
  return pointChargeEfg(s.positions, s.cell, s.pbc, q, opts);
}

function isChargeMap(c: Record<string, number> | ArrayLike<number>): c is Record<string, number> {
  return !(ArrayBuffer.isView(c) || Array.isArray(c));
}
