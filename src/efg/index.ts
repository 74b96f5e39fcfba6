/**
 * EFG layer: tensor conventions (Haeberlen order, η, C_Q, Euler angles, units), point-charge EFGs by Ewald
 * summation, and (see model files) the equivariant learned EFG model. Units: V/Å² (science.md §3).
 */
export * from './tensor';
export * from './erfc';
export * from './ewald';
export * from './descriptors';
export * from './model';
export * from './metrics';
export * from './dataset';
export * from './efgFrames';
export * from './artifacts';
export * from './predict';
export * from './train';
export * from './pipeline';
export * from './fused';
export { loadTf } from './backend';
