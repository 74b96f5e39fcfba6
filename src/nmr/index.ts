/** NMR analysis: ω_Q, quadrupolar ACF (blocked FFT, streaming), SAE F2, powder grids, KWW and Arrhenius fits. */
export * from './quadrupolar';
export * from './correlator';
export * from './acf';
export * from './powderGrids';
export * from './sae';
export * from './levenbergMarquardt';
export * from './kww';
export * from './acfFit';
export * from './arrhenius';
export * from './timeAxis';
export { lnGamma, gamma } from './special';
export * from './acfNpy';
export * from './saeNpy';
