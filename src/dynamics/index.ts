/** Dynamics analysis: unwrapping, FFT mean squared displacement, diffusion coefficients, site hops. */
export * from './unwrap';
export * from './msd';
export * from './diffusion';
export * from './sites';
export * from './hops';
export * from './amorphous';
export * from './trajectoryFrames';
export * from './hopsFromTrajectory';
