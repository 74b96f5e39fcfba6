/** Types of kernel/prelude.js: the built library plus the display helpers at top level. */
export * from '../dist';
export { show, showChart, showTable, showStructure, progressBar, saveFigure } from '../dist/plot';
