/**
 * KWW fit of an ACF result with physical units (τ in ps, rates in Hz) and a bootstrap over Li atoms:
 * atoms are resampled with replacement, the ACF is recombined from the per-Li lag sums and refitted; the
 * spread of the refitted parameters is an error estimate that respects the correlation between lags.
 * The covariance errors (tauErrPs, …) treat the lag points as independent; ACF points are strongly correlated,
 * so those errors are too small (≈7× on the Markov test model): quote the bootstrap spread for ACF fits.
 */
import { InputError } from '../core/errors';
import { AcfResult, acfFromLiSums } from './acf';
import { fitKww, KwwFitFailed, KwwFitOptions } from './kww';
import { seededUniform } from './special';

/** Bootstrap spread of the fitted parameters. */
export interface KwwBootstrap {
  nResamples: number;
  /** Resamples whose fit failed (left out of the statistics). */
  nFailed: number;
  tauPsStd: number;
  betaStd: number;
  plateauStd: number;
  rateHzStd: number;
  meanTauPsStd: number;
  /** 16th and 84th percentiles of the rate, Hz. */
  rateHz16: number;
  rateHz84: number;
}

/** A successful ACF fit in physical units. */
export interface AcfFitOk {
  ok: true;
  tauPs: number;
  tauErrPs: number;
  beta: number;
  betaErr: number;
  plateau: number;
  plateauErr: number;
  amplitude: number;
  amplitudeErr: number;
  meanTauPs: number;
  meanTauErrPs: number;
  /** NMR jump rate 1/τ and its error, Hz. */
  rateHz: number;
  rateErrHz: number;
  windowPs: [number, number];
  chi2: number;
  dof: number;
  nPoints: number;
  iterations: number;
  atBound: string[];
  warnings: string[];
  bootstrap?: KwwBootstrap;
}

export type AcfFit = AcfFitOk | KwwFitFailed;

/** Options: the KWW options (window in ps) plus the bootstrap size (0: none) and seed. */
export interface AcfFitOptions extends KwwFitOptions {
  bootstrap?: number;
  seed?: number;
}

function std(a: number[]): number {
  if (a.length < 2) return NaN;
  const m = a.reduce((s, v) => s + v, 0) / a.length;
  return Math.sqrt(a.reduce((s, v) => s + (v - m) ** 2, 0) / (a.length - 1));
}

function percentile(a: number[], q: number): number {
  if (a.length === 0) return NaN;
  const s = [...a].sort((x, y) => x - y);
  const pos = q * (s.length - 1), lo = Math.floor(pos), hi = Math.ceil(pos);
  return s[lo] + (s[hi] - s[lo]) * (pos - lo);
}

/** Fits (1−Z)exp(−(t/τ)^β)+Z to an ACF (lags in ps) on a window in ps; optional bootstrap over Li atoms. */
export function fitAcf(r: AcfResult, o: AcfFitOptions = {}): AcfFit {
  const f = fitKww(r.lagPs, r.acf, o);
  if (!f.ok) return f;
  const out: AcfFitOk = {
    ok: true,
    tauPs: f.tau, tauErrPs: f.tauErr, beta: f.beta, betaErr: f.betaErr,
    plateau: f.plateau, plateauErr: f.plateauErr, amplitude: f.amplitude, amplitudeErr: f.amplitudeErr,
    meanTauPs: f.meanTau, meanTauErrPs: f.meanTauErr,
    rateHz: f.rate * 1e12, rateErrHz: f.rateErr * 1e12,
    windowPs: f.window, chi2: f.chi2, dof: f.dof, nPoints: f.nPoints, iterations: f.iterations,
    atBound: f.atBound, warnings: [...f.warnings],
  };
  const nb = o.bootstrap ?? 0;
  if (nb > 0) {
    if (r.nLi < 2) throw new InputError('bootstrap over Li atoms needs at least 2 Li');
    const u = seededUniform(o.seed ?? 1);
    const counts = new Float64Array(r.nLi);
    const y = new Float64Array(r.origins.length);
    const taus: number[] = [], betas: number[] = [], zs: number[] = [], rates: number[] = [], means: number[] = [];
    let failed = 0;
    for (let b = 0; b < nb; b++) {
      counts.fill(0);
      for (let i = 0; i < r.nLi; i++) counts[Math.floor(u() * r.nLi)]++;
      acfFromLiSums(r, counts, y);
      const g = fitKww(r.lagPs, y, { ...o, window: f.window });
      if (!g.ok) { failed++; continue; }
      taus.push(g.tau); betas.push(g.beta); zs.push(g.plateau); rates.push(g.rate * 1e12); means.push(g.meanTau);
    }
    out.bootstrap = {
      nResamples: nb, nFailed: failed,
      tauPsStd: std(taus), betaStd: std(betas), plateauStd: std(zs), rateHzStd: std(rates), meanTauPsStd: std(means),
      rateHz16: percentile(rates, 0.16), rateHz84: percentile(rates, 0.84),
    };
    if (failed > nb / 10) out.warnings.push(`${failed} of ${nb} bootstrap fits failed`);
  }
  return out;
}
