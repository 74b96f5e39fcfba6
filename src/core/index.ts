/** Core: units, elements, Structure, cell math. */
export * from './errors';
export * from './units';
export * from './elements';
export * from './cell';
export * from './structure';
export * from './potential';
export * from './random';
export * from './neighbors';
