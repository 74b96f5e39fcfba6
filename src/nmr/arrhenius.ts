/**
 * Arrhenius fit of rates versus temperature (science.md §4): k(T) = k0·exp(−E_a/(k_B T)), as the weighted
 * straight line ln k = ln k0 − E_a·x with x = 1/(k_B T) (1/eV). Weights 1/σ_lnk² with σ_lnk = σ_k/k when rate
 * errors are given (covariance taken as absolute, the reduced χ² is reported); otherwise unweighted with the
 * covariance scaled by the residual variance (needs ≥ 3 points for errors).
 */
import { InputError } from '../core/errors';
import { KB_EV_PER_K } from '../core/units';

/** Result of {@link fitArrhenius}. */
export interface ArrheniusFit {
  /** Activation energy and its standard error, eV. */
  eaEv: number;
  eaErrEv: number;
  /** Prefactor k0 (units of the rates) and the standard error of ln k0. */
  prefactor: number;
  lnPrefactor: number;
  lnPrefactorErr: number;
  /** Correlation coefficient between E_a and ln k0. */
  correlation: number;
  chi2: number;
  dof: number;
  /** χ²/dof (weighted fits): ≫ 1 means the rate errors are too small for a straight line. */
  reducedChi2: number;
  n: number;
  weighted: boolean;
}

/** Fits k = k0 exp(−E_a/k_B T) to rates (any unit, e.g. Hz) at temperatures (K), optionally with rate errors. */
export function fitArrhenius(temperaturesK: ArrayLike<number>, rates: ArrayLike<number>, rateErrors?: ArrayLike<number>): ArrheniusFit {
  const n = temperaturesK.length;
  if (rates.length !== n) throw new InputError(`Arrhenius fit: ${n} temperatures but ${rates.length} rates`);
  if (rateErrors && rateErrors.length !== n) throw new InputError(`Arrhenius fit: ${rateErrors.length} rate errors for ${n} rates`);
  if (n < 2) throw new InputError(`Arrhenius fit: need at least 2 temperatures, got ${n}`);
  const x = new Float64Array(n), y = new Float64Array(n), w = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const T = temperaturesK[i], k = rates[i];
    if (!(T > 0) || !Number.isFinite(T)) throw new InputError(`Arrhenius fit: temperature ${i} must be a positive number of K, got ${T}`);
    if (!(k > 0) || !Number.isFinite(k)) throw new InputError(`Arrhenius fit: rate ${i} must be positive and finite, got ${k}`);
    x[i] = 1 / (KB_EV_PER_K * T);
    y[i] = Math.log(k);
    if (rateErrors) {
      const s = rateErrors[i];
      if (!(s > 0) || !Number.isFinite(s)) throw new InputError(`Arrhenius fit: rate error ${i} must be positive and finite, got ${s}`);
      const sl = s / k;
      w[i] = 1 / (sl * sl);
    } else w[i] = 1;
  }
  let S = 0, Sx = 0, Sy = 0, Sxx = 0, Sxy = 0;
  for (let i = 0; i < n; i++) { S += w[i]; Sx += w[i] * x[i]; Sy += w[i] * y[i]; Sxx += w[i] * x[i] * x[i]; Sxy += w[i] * x[i] * y[i]; }
  const D = S * Sxx - Sx * Sx;
  if (!(D > 1e-12 * S * Sxx)) throw new InputError('Arrhenius fit: all temperatures are (nearly) equal: the slope is undetermined');
  const slope = (S * Sxy - Sx * Sy) / D, icpt = (Sxx * Sy - Sx * Sxy) / D;
  let chi2 = 0;
  for (let i = 0; i < n; i++) chi2 += w[i] * (y[i] - icpt - slope * x[i]) ** 2;
  const dof = n - 2;
  const weighted = rateErrors !== undefined;
  const scale = weighted ? 1 : dof > 0 ? chi2 / dof : NaN;
  const varSlope = (scale * S) / D, varIcpt = (scale * Sxx) / D, covSI = (-scale * Sx) / D;
  return {
    eaEv: -slope, eaErrEv: Math.sqrt(varSlope),
    prefactor: Math.exp(icpt), lnPrefactor: icpt, lnPrefactorErr: Math.sqrt(varIcpt),
    correlation: -covSI / Math.sqrt(varSlope * varIcpt),
    chi2, dof, reducedChi2: dof > 0 ? chi2 / dof : NaN, n, weighted,
  };
}
