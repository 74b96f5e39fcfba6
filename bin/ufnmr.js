#!/usr/bin/env node
'use strict';
// Runs the built CLI (dist/). In a source checkout where src/ is newer than the build (or there is
// no build), runs src/ through tsx instead, so a stale dist/ never answers.
const path = require('node:path');
const fs = require('node:fs');
const root = path.join(__dirname, '..');
const built = path.join(root, 'dist', 'cli', 'main.js');
const src = path.join(root, 'src');

function newestMtime(dir) {
  let t = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) t = Math.max(t, newestMtime(p));
    else if (e.name.endsWith('.ts')) t = Math.max(t, fs.statSync(p).mtimeMs);
  }
  return t;
}

function useSource() {
  if (!fs.existsSync(src)) return false;
  let tsxAvailable = true;
  try { require.resolve('tsx/cjs'); } catch { tsxAvailable = false; }
  if (!tsxAvailable) return false;
  if (!fs.existsSync(built)) return true;
  return newestMtime(src) > fs.statSync(built).mtimeMs;
}

let mod;
if (useSource()) {
  require('tsx/cjs');
  mod = require(path.join(src, 'cli', 'main.ts'));
} else {
  mod = require(built);
}
mod.main(process.argv.slice(2)).then((code) => { process.exitCode = code; });
