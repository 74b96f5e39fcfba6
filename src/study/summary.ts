/**
 * Stage "summary": the per-temperature rates of the three methods side by side — NMR (1/τ of the ω_Q ACF),
 * counted site hops, and Γ = 6D/a² from the MSD — their ratios, and Arrhenius fits of each across the
 * temperatures (science.md §4–6). The paper's claim under test: NMR and dynamics rates agree within an order
 * of magnitude.
 */
import { InputError } from '../core/errors';
import { fitArrhenius, type ArrheniusFit } from '../nmr/arrhenius';
import type { DynamicsStageResult, EfgStageResult, NmrStageResult } from './analysisStages';

/** The rates of one temperature. */
export interface TemperatureRow {
  temperatureK: number;
  /** Mean temperature of the production run, K. */
  measuredTemperatureK: number;
  productionPs: number;
  /**
   * The KWW fit; `unresolved` says why a converged fit still gives no usable rate (τ outside the fit window, or a
   * bootstrap spread larger than the rate): such rates stay in the row but enter neither ratios nor Arrhenius fits.
   */
  nmr: { ok: boolean; rateHz?: number; rateErrHz?: number; tauPs?: number; beta?: number; plateau?: number; meanTauPs?: number; windowPs?: [number, number]; reason?: string; unresolved?: string; warnings?: string[] };
  hops: { method?: string; rateHz: number; rateErrHz: number; nHops: number; meanJumpLengthA: number; backHopFraction: number; error?: string; cifError?: string; densitySitesRateHz?: number };
  msd: { dA2PerPs: number; dErrA2PerPs: number; dM2PerS: number; gammaHz: number; gammaErrHz: number };
  /** Mean |C_Q| and η of the instantaneous tensors, rms ω_Q/2π (powder), and |C_Q| of each Li's time-averaged tensor (kHz). */
  efg: { meanAbsCqKHz: number; meanEta: number; rmsNuQKHz: number; meanAbsCqOfAverageKHz: number };
  /** log10(NMR rate / hop rate) and log10(NMR rate / Γ_MSD) (null when a rate is missing or zero). */
  log10NmrOverHops: number | null;
  log10NmrOverMsd: number | null;
}

/** An Arrhenius fit of one method, or why there is none. */
export type MethodArrhenius = (ArrheniusFit & { method: string; temperaturesK: number[]; eaErrScaledEv: number }) | { method: string; error: string };

/** Inputs of one temperature for {@link temperatureRow}. */
export interface TemperatureInputs {
  temperatureK: number;
  production: { measuredTemperatureK: number; productionPs: number };
  efg: EfgStageResult;
  nmr: NmrStageResult;
  dynamics: DynamicsStageResult;
}

const usable = (x: number | null | undefined): x is number => typeof x === 'number' && Number.isFinite(x) && x > 0;
const log10Ratio = (a: number | null | undefined, b: number | null | undefined) => (usable(a) && usable(b) ? Math.log10(a / b) : null);

/** Why a converged KWW fit gives no usable NMR rate (τ outside the fit window, or a bootstrap spread above the rate; undefined when usable). */
export function nmrUnresolved(tauPs: number, windowPs: [number, number], rateHz?: number, rateErrHz?: number): string | undefined {
  if (tauPs < windowPs[0]) return `τ = ${tauPs.toPrecision(3)} ps lies before the fit window (${windowPs[0]}–${windowPs[1]} ps): no slow decay resolved in the window`;
  if (tauPs > windowPs[1]) return `τ = ${tauPs.toPrecision(3)} ps lies beyond the fit window (${windowPs[0]}–${windowPs[1]} ps): the decay is extrapolated (run longer)`;
  if (rateHz !== undefined && rateErrHz !== undefined && !(rateErrHz <= rateHz)) return `the bootstrap spread (${rateErrHz.toPrecision(3)} Hz) exceeds the rate (${rateHz.toPrecision(3)} Hz)`;
  return undefined;
}

/** One row of the comparison table from the stage results of a temperature. */
export function temperatureRow(x: TemperatureInputs): TemperatureRow {
  const f = x.nmr.fit, h = x.dynamics.hops, d = x.dynamics.msd.li;
  const nmr: TemperatureRow['nmr'] = f.ok
    ? { ok: true, rateHz: x.nmr.rateHz, rateErrHz: x.nmr.rateErrHz, tauPs: f.tauPs, beta: f.beta, plateau: f.plateau, meanTauPs: f.meanTauPs, windowPs: f.windowPs, warnings: f.warnings, unresolved: nmrUnresolved(f.tauPs, f.windowPs, x.nmr.rateHz, x.nmr.rateErrHz) }
    : { ok: false, reason: f.reason };
  const nmrRate = nmr.unresolved ? undefined : nmr.rateHz;
  return {
    temperatureK: x.temperatureK, measuredTemperatureK: x.production.measuredTemperatureK, productionPs: x.production.productionPs, nmr,
    hops: { method: h.method, rateHz: h.rateHz, rateErrHz: h.rateErrHz, nHops: h.nHops, meanJumpLengthA: h.meanJumpLengthA, backHopFraction: h.backHopFraction, error: h.error, cifError: h.cifError, densitySitesRateHz: h.densityCheck?.rateHz },
    msd: { dA2PerPs: d.dA2PerPs, dErrA2PerPs: d.errA2PerPs, dM2PerS: d.dM2PerS, gammaHz: x.dynamics.gammaFromDHz, gammaErrHz: x.dynamics.gammaFromDErrHz },
    efg: { meanAbsCqKHz: x.efg.meanAbsCqKHz, meanEta: x.efg.meanEta, rmsNuQKHz: x.nmr.rmsNuQKHz, meanAbsCqOfAverageKHz: x.efg.meanAbsCqOfAverageKHz },
    log10NmrOverHops: log10Ratio(nmrRate, h.rateHz), log10NmrOverMsd: log10Ratio(nmrRate, x.dynamics.gammaFromDHz),
  };
}

/**
 * Arrhenius fit of one method over the temperatures where its rate is positive and finite (weighted by the
 * rate errors when all are positive). `eaErrScaledEv` multiplies the error by √(χ²/dof) when that exceeds 1
 * (the scatter is larger than the rate errors say).
 */
export function methodArrhenius(method: string, T: number[], rate: (number | null | undefined)[], err: (number | null | undefined)[]): MethodArrhenius {
  const idx = T.map((_, i) => i).filter((i) => usable(rate[i]));
  if (idx.length < 2) return { method, error: `rates at ${idx.length} temperature(s); an Arrhenius fit needs 2` };
  const Ts = idx.map((i) => T[i]), ks = idx.map((i) => rate[i] as number), es = idx.map((i) => err[i]);
  const weighted = es.every(usable);
  try {
    const f = fitArrhenius(Ts, ks, weighted ? (es as number[]) : undefined);
    const birge = f.weighted && f.dof > 0 && f.reducedChi2 > 1 ? Math.sqrt(f.reducedChi2) : 1;
    return { method, temperaturesK: Ts, ...f, eaErrScaledEv: f.eaErrEv * birge };
  } catch (e) {
    if (e instanceof InputError) return { method, error: e.message };
    throw e;
  }
}

/** Arrhenius fits of the three rates (and of D) across the rows. */
export function arrheniusFits(rows: TemperatureRow[]): Record<'nmr' | 'hops' | 'msd' | 'diffusion', MethodArrhenius> {
  const T = rows.map((r) => r.temperatureK);
  return {
    nmr: methodArrhenius('NMR 1/τ', T, rows.map((r) => (r.nmr.unresolved ? undefined : r.nmr.rateHz)), rows.map((r) => r.nmr.rateErrHz)),
    hops: methodArrhenius('site hops', T, rows.map((r) => r.hops.rateHz), rows.map((r) => r.hops.rateErrHz)),
    msd: methodArrhenius('Γ = 6D/a²', T, rows.map((r) => r.msd.gammaHz), rows.map((r) => r.msd.gammaErrHz)),
    diffusion: methodArrhenius('D (m²/s)', T, rows.map((r) => r.msd.dM2PerS), rows.map((r) => (r.msd.dErrA2PerPs > 0 ? r.msd.dErrA2PerPs * 1e-8 : undefined))),
  };
}

/** The agreement check of the paper: |log10(NMR/hops)| ≤ 1 at every temperature with both rates. */
export function agreement(rows: TemperatureRow[]): { compared: number; withinOrderOfMagnitude: number; maxAbsLog10NmrOverHops: number | null; allWithin: boolean } {
  const r = rows.map((x) => x.log10NmrOverHops).filter((x): x is number => x !== null);
  const within = r.filter((x) => Math.abs(x) <= 1).length;
  return { compared: r.length, withinOrderOfMagnitude: within, maxAbsLog10NmrOverHops: r.length ? Math.max(...r.map(Math.abs)) : null, allWithin: r.length > 0 && within === r.length };
}
