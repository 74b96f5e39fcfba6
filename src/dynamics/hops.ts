/**
 * Site hopping with a hysteresis rule (science.md §5): an ion belongs to a site only once it comes within
 * r_in of it, and keeps its last site until it enters another one, so rattling in a transition region is
 * not counted. A hop is the entry into a site different from the current one.
 */
import { InputError } from '../core/errors';
import type { SiteLocator } from './sites';

/** Hop events in frame order: entry frame, ion, from/to site, last frame inside the old site, jump length. */
export interface HopEvents {
  /** Frame at which the ion entered its new site. */
  frame: Int32Array;
  /** Ion index (0 … nIons−1 in the order the positions were pushed). */
  ion: Int32Array;
  fromSite: Int32Array;
  toSite: Int32Array;
  /** Last frame the ion was still within r_in of its old site. */
  leftFrame: Int32Array;
  /** Minimum-image distance between the two sites, Å. */
  lengthA: Float64Array;
}

/** Per site type: occupancy, escape rate and residence times. */
export interface SiteTypeStats {
  type: string;
  nSites: number;
  /** Fraction of the ion-time (after each ion's first site entry) spent belonging to sites of this type. */
  occupancy: number;
  hopsOut: number;
  /** Hops out of this type per ps of ion-time spent in it, 1/ps. */
  escapeRatePerPs: number;
  /** Completed residences (between two entries; the first residence of each ion is left out as censored). */
  residence: { count: number; meanPs: number; medianPs: number; p10Ps: number; p90Ps: number; histogram: ResidenceHistogram };
}

/** Counts of residence times in log-spaced bins from the frame spacing to the run duration (edges in ps). */
export interface ResidenceHistogram {
  edgesPs: number[];
  counts: number[];
}

/** Histogram of times (ps) in `bins` log-spaced bins over [lo, hi] ps (times outside go to the end bins). */
export function logHistogram(timesPs: ArrayLike<number>, lo: number, hi: number, bins = 20): ResidenceHistogram {
  if (!(lo > 0 && hi > lo)) return { edgesPs: [lo, hi], counts: [timesPs.length] };
  const edgesPs = Array.from({ length: bins + 1 }, (_, k) => lo * (hi / lo) ** (k / bins));
  const counts = new Array<number>(bins).fill(0);
  for (let i = 0; i < timesPs.length; i++) {
    const k = Math.floor((Math.log(timesPs[i] / lo) / Math.log(hi / lo)) * bins);
    counts[Math.max(0, Math.min(bins - 1, k))]++;
  }
  return { edgesPs, counts };
}

/** Hops between two site types. */
export interface DirectionStats {
  from: string;
  to: string;
  hops: number;
  /** hops / (nIons · duration), 1/ps. */
  ratePerIonPerPs: number;
  /** hops / ion-time spent in the `from` type, 1/ps. */
  escapeRatePerPs: number;
}

/** Everything {@link SiteTracker.finish} reports. */
export interface HopAnalysis {
  nIons: number;
  nFrames: number;
  dtFs: number;
  /** (nFrames − 1)·dt, ps. */
  durationPs: number;
  rInA: number;
  events: HopEvents & { timePs: Float64Array };
  nHops: number;
  /** Jump rate per ion Γ = hops / (nIons · duration), 1/ps, with its Poisson error. */
  ratePerPs: number;
  rateErrPerPs: number;
  rateHz: number;
  /** Hops and rate per ion, 1/ps. */
  perIon: { hops: Int32Array; ratePerPs: Float64Array };
  siteTypes: SiteTypeStats[];
  directions: DirectionStats[];
  meanJumpLengthA: number;
  /** Fraction of hops that return to the site the ion came from (correlated back-and-forth motion). */
  backHopFraction: number;
  /** Fraction of ion-frames within r_in of some site. */
  insideFraction: number;
  /** Fraction of ion-frames before an ion's first site entry (not assigned to any site). */
  unassignedFraction: number;
  /** Residence times of every completed residence per site type, ps. */
  residenceTimesPs: Float64Array[];
}

/** Options of {@link SiteTracker}. */
export interface SiteTrackerOptions {
  /** Fail when fewer than this fraction of ions lie within r_in of a site in the first frame (default 0.5). */
  minFirstFrameInside?: number;
  /** Where the sites came from, for messages. */
  sitesName?: string;
}

class GrowInt {
  data = new Int32Array(256);
  n = 0;
  push(v: number): void {
    if (this.n === this.data.length) { const d = new Int32Array(this.n * 2); d.set(this.data); this.data = d; }
    this.data[this.n++] = v;
  }
  view(): Int32Array { return this.data.slice(0, this.n); }
}

/** Streaming hysteresis site tracker: push the ions' positions (Å) frame by frame, then finish(dt). */
export class SiteTracker {
  private readonly state: Int32Array; // current site (−1 before the first entry)
  private readonly entered: Int32Array; // frame of entry into the current site
  private readonly lastInside: Int32Array; // last frame inside the current site
  private readonly prevSite: Int32Array; // the site before the current one (for back hops)
  private readonly hopsPerIon: Int32Array;
  private readonly typeFrames: Float64Array;
  private readonly ev = { frame: new GrowInt(), ion: new GrowInt(), from: new GrowInt(), to: new GrowInt(), left: new GrowInt() };
  private readonly residence: number[][]; // per type, frames
  private frames = 0;
  private inside = 0;
  private unassigned = 0;
  private backHops = 0;
  private readonly opts: SiteTrackerOptions;

  /** locator: sites on the simulation cell with the capture radius; nIons: ions per frame. */
  constructor(readonly locator: SiteLocator, readonly nIons: number, opts: SiteTrackerOptions = {}) {
    if (!Number.isInteger(nIons) || nIons < 1) throw new InputError(`site tracker: need at least one ion, got ${nIons}`);
    this.state = new Int32Array(nIons).fill(-1);
    this.entered = new Int32Array(nIons);
    this.lastInside = new Int32Array(nIons);
    this.prevSite = new Int32Array(nIons).fill(-1);
    this.hopsPerIon = new Int32Array(nIons);
    this.typeFrames = new Float64Array(locator.sites.types.length);
    this.residence = locator.sites.types.map(() => []);
    this.opts = opts;
  }

  /** Frames pushed so far. */
  get framesSeen(): number {
    return this.frames;
  }

  /** Processes one frame of ion positions (Å, 3·nIons). */
  push(positions: ArrayLike<number>): void {
    const n = this.nIons, f = this.frames, loc = this.locator, typeOf = loc.sites.typeOf;
    if (positions.length !== 3 * n) throw new InputError(`site tracker: frame ${f} has ${positions.length} coordinates, expected ${3 * n} (${n} ions)`);
    let insideNow = 0;
    for (let i = 0; i < n; i++) {
      const x = positions[3 * i], y = positions[3 * i + 1], z = positions[3 * i + 2];
      if (!(Number.isFinite(x) && Number.isFinite(y) && Number.isFinite(z))) throw new InputError(`site tracker: ion ${i} has a non-finite coordinate in frame ${f}`);
      const s = loc.locate(x, y, z);
      const cur = this.state[i];
      if (s >= 0) {
        insideNow++;
        if (cur < 0) { this.state[i] = s; this.entered[i] = f; this.lastInside[i] = f; }
        else if (s === cur) this.lastInside[i] = f;
        else {
          const e = this.ev;
          e.frame.push(f); e.ion.push(i); e.from.push(cur); e.to.push(s); e.left.push(this.lastInside[i]);
          if (s === this.prevSite[i]) this.backHops++;
          // the first residence of an ion started before the record: censored, left out
          if (this.prevSite[i] >= 0) this.residence[typeOf[cur]].push(f - this.entered[i]);
          this.prevSite[i] = cur;
          this.state[i] = s; this.entered[i] = f; this.lastInside[i] = f;
          this.hopsPerIon[i]++;
        }
      }
      const now = this.state[i];
      if (now >= 0) this.typeFrames[typeOf[now]]++;
      else this.unassigned++;
    }
    this.inside += insideNow;
    if (f === 0) {
      const min = this.opts.minFirstFrameInside ?? 0.5;
      if (insideNow < min * n)
        throw new InputError(`only ${insideNow} of ${n} ions (${((100 * insideNow) / n).toFixed(0)} %) lie within r_in = ${loc.rIn} Å of a site${this.opts.sitesName ? ` from ${this.opts.sitesName}` : ''} in the first frame: do the sites match this structure (cell, origin, orientation, element)?`);
    }
    this.frames++;
  }

  /** Hop statistics for frames dtFs apart. */
  finish(dtFs: number): HopAnalysis {
    if (!(dtFs > 0 && Number.isFinite(dtFs))) throw new InputError(`site tracker: the time between frames must be a positive number of fs, got ${dtFs}`);
    if (this.frames < 2) throw new InputError(`site tracker: ${this.frames} frame(s) are too few to count hops (need at least 2)`);
    const n = this.nIons, sites = this.locator.sites, types = sites.types;
    const dtPs = dtFs / 1000, durationPs = (this.frames - 1) * dtPs;
    const e = this.ev;
    const frame = e.frame.view(), ion = e.ion.view(), fromSite = e.from.view(), toSite = e.to.view(), leftFrame = e.left.view();
    const nHops = frame.length;
    const lengthA = Float64Array.from(fromSite, (a, k) => this.locator.siteDistance(a, toSite[k]));
    const timePs = Float64Array.from(frame, (x) => x * dtPs);
    const rate = nHops / (n * durationPs);
    const assignedFrames = this.typeFrames.reduce((s, x) => s + x, 0);
    const nT = types.length;
    const count = new Float64Array(nT * nT), out = new Float64Array(nT);
    for (let k = 0; k < nHops; k++) {
      const a = sites.typeOf[fromSite[k]], b = sites.typeOf[toSite[k]];
      count[a * nT + b]++; out[a]++;
    }
    const quant = (v: number[], q: number) => (v.length ? v[Math.min(v.length - 1, Math.floor(q * v.length))] : NaN);
    const siteTypes: SiteTypeStats[] = types.map((type, t) => {
      const r = [...this.residence[t]].sort((x, y) => x - y).map((x) => x * dtPs);
      const timeIn = this.typeFrames[t] * dtPs;
      return {
        type, nSites: sites.typeOf.reduce((s, x) => s + (x === t ? 1 : 0), 0),
        occupancy: assignedFrames > 0 ? this.typeFrames[t] / assignedFrames : 0,
        hopsOut: out[t], escapeRatePerPs: timeIn > 0 ? out[t] / timeIn : 0,
        residence: {
          count: r.length, meanPs: r.length ? r.reduce((s, x) => s + x, 0) / r.length : NaN, medianPs: quant(r, 0.5), p10Ps: quant(r, 0.1), p90Ps: quant(r, 0.9),
          histogram: logHistogram(r, dtPs, durationPs),
        },
      };
    });
    const directions: DirectionStats[] = [];
    for (let a = 0; a < nT; a++) for (let b = 0; b < nT; b++) {
      const h = count[a * nT + b];
      if (h === 0) continue;
      const timeIn = this.typeFrames[a] * dtPs;
      directions.push({ from: types[a], to: types[b], hops: h, ratePerIonPerPs: h / (n * durationPs), escapeRatePerPs: timeIn > 0 ? h / timeIn : 0 });
    }
    const total = n * this.frames;
    return {
      nIons: n, nFrames: this.frames, dtFs, durationPs, rInA: this.locator.rIn,
      events: { frame, ion, fromSite, toSite, leftFrame, lengthA, timePs },
      nHops, ratePerPs: rate, rateErrPerPs: Math.sqrt(nHops) / (n * durationPs), rateHz: rate * 1e12,
      perIon: { hops: this.hopsPerIon.slice(), ratePerPs: Float64Array.from(this.hopsPerIon, (h) => h / durationPs) },
      siteTypes, directions,
      meanJumpLengthA: nHops ? lengthA.reduce((s, x) => s + x, 0) / nHops : NaN,
      backHopFraction: nHops ? this.backHops / nHops : 0,
      insideFraction: this.inside / total,
      unassignedFraction: this.unassigned / total,
      residenceTimesPs: this.residence.map((r) => Float64Array.from(r, (x) => x * dtPs)),
    };
  }
}
