/**
 * Loading ESM-only packages (vega, vega-lite) from CommonJS code, including tslab notebook cells.
 * Under `module: NodeNext` with CommonJS output tsc keeps `import()`, but other compilers (tslab's
 * tsc 5.0 with `module: commonjs`) rewrite it to `require()`, which cannot load ESM on Node 20.
 * A Function-constructed `import()` is never rewritten.
 */
import { pathToFileURL } from 'node:url';

// eslint-disable-next-line @typescript-eslint/no-implied-eval
const realImport = new Function('specifier', 'return import(specifier)') as (specifier: string) => Promise<unknown>;

const cache = new Map<string, Promise<unknown>>();

/** Dynamically imports an ES module by package name (resolved from this library's node_modules), cached. */
export function importEsm<T = unknown>(packageName: string): Promise<T> {
  let p = cache.get(packageName);
  if (!p) {
    // Resolve from here so that a notebook's working directory does not matter.
    const resolved = require.resolve(packageName);
    p = realImport(pathToFileURL(resolved).href);
    cache.set(packageName, p);
  }
  return p as Promise<T>;
}
