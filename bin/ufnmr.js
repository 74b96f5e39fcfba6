#!/usr/bin/env node
'use strict';
// Runs the built CLI (dist/) when present; in a source checkout without a build, runs src/ through tsx.
const path = require('node:path');
const fs = require('node:fs');
const built = path.join(__dirname, '..', 'dist', 'cli', 'main.js');
let mod;
if (fs.existsSync(built)) {
  mod = require(built);
} else {
  require('tsx/cjs');
  mod = require(path.join(__dirname, '..', 'src', 'cli', 'main.ts'));
}
mod.main(process.argv.slice(2)).then((code) => { process.exitCode = code; });
