'use strict';
/**
 * The notebook prelude: one import gives the whole built library (dist/) plus the display helpers.
 *   import * as u from '../kernel/prelude';
 *   await u.show(u.plot.rdfPlot({...}));  u.showTable(rows);  const bar = u.progressBar('MD');
 * tslab cells compile to CommonJS and cannot import .ts outside the notebook folder, hence plain JS
 * over dist/ (run `npm run build` first).
 */
const path = require('node:path');
const fs = require('node:fs');

const dist = path.join(__dirname, '..', 'dist');
if (!fs.existsSync(path.join(dist, 'index.js'))) {
  throw new Error(`ufnmr is not built: run "npm run build" in ${path.dirname(__dirname)} (notebooks import ${dist})`);
}
const lib = require(dist);
const p = lib.plot;

module.exports = {
  ...lib,
  show: p.show,
  showChart: p.showChart,
  showTable: p.showTable,
  showStructure: p.showStructure,
  progressBar: p.progressBar,
  saveFigure: p.saveFigure,
};
