/**
 * npm run kernel:install [-- --user | --prefix DIR | --sys-prefix] [--python PY] [--name NAME]
 * Installs the "TypeScript (ufnmr)" Jupyter kernel (tslab 1.0.22 from this repository). Default: --user.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT, findJupyterPython, installKernel, parseInstallArgs } from './kernelspec';

function main(): number {
  try {
    const { target, python, name } = parseInstallArgs(process.argv.slice(2));
    const py = findJupyterPython(['jupyter_client'], python ? [python] : undefined);
    const dest = installKernel(py.python, target, name);
    console.log(`installed kernel "${name}" (TypeScript (ufnmr)) with ${py.executable} into ${dest}`);
    if (!existsSync(join(REPO_ROOT, 'dist', 'index.js'))) console.log('note: run "npm run build" before using the prelude (notebooks import the built library)');
    console.log(`in a notebook: import * as u from '${join(REPO_ROOT, 'kernel', 'prelude')}' (or a relative path)`);
    return 0;
  } catch (e) {
    console.error(`kernel:install: ${(e as Error).message}`);
    return 1;
  }
}
process.exitCode = main();
