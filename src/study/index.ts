/**
 * The end-to-end study pipeline (`ufnmr study`): structure → MD per temperature → EFG series → ω_Q ACF and KWW
 * fit → site hops and MSD → rates side by side with Arrhenius fits → figures, resumable stage by stage.
 */
export * from './config';
export * from './manifest';
export * from './mdJob';
export * from './structureStage';
export * from './contacts';
export * from './analysisStages';
export * from './summary';
export * from './figures';
export * from './pipeline';
export * from './results';
