/** Notebook displays: chart/table/structure MIME bundles, in-place progress bars, and the tslab bridge. */
export * from './jupyter';
export * from './chart';
export * from './table';
export * from './progress';
export * from './structureView';
export * from './show';
