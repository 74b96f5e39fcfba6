/**
 * npm run notebooks [-- [--out DIR] [--timeout S] [--python PY] [NOTEBOOK.ipynb …]]
 * Executes notebooks (default: every notebooks/*.ipynb) headless through real Jupyter (nbclient) with
 * the ufnmr tslab kernel, from a temporary kernelspec (no install needed), and writes the executed
 * copies with their outputs (in place by default, or into --out DIR). A failing cell fails the
 * command with its original error message and cell number; the source notebook is left untouched.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, delimiter, join, resolve } from 'node:path';
import { KERNEL_NAME, REPO_ROOT, findJupyterPython, writeKernelSpecDir } from './kernelspec';

/** Options of {@link runNotebooks}. */
export interface RunOptions {
  notebooks: string[];
  outDir?: string;
  timeoutS: number;
  python?: string;
  /** Where partially executed copies of failed notebooks go (default: a temp dir). */
  failedDir?: string;
}

/** Result per notebook: ok, or the exit status of the executor (1 = a cell failed, 2 = other). */
export interface RunResult { notebook: string; output: string; status: number; seconds: number }

/** Executes the notebooks one after another; returns one result each (never throws for a failing cell). */
export function runNotebooks(opts: RunOptions): RunResult[] {
  if (!existsSync(join(REPO_ROOT, 'dist', 'index.js')))
    throw new Error(`the library is not built: run "npm run build" first (notebooks import ${join(REPO_ROOT, 'dist')})`);
  const py = findJupyterPython(['nbclient', 'nbformat', 'jupyter_client']);
  const jupyterPath = mkdtempSync(join(tmpdir(), 'ufnmr-jupyter-'));
  const failedDir = opts.failedDir ?? mkdtempSync(join(tmpdir(), 'ufnmr-failed-'));
  writeKernelSpecDir(join(jupyterPath, 'kernels', KERNEL_NAME));
  const env = { ...process.env, JUPYTER_PATH: [jupyterPath, process.env.JUPYTER_PATH].filter(Boolean).join(delimiter), PYDEVD_DISABLE_FILE_VALIDATION: '1' };
  const results: RunResult[] = [];
  try {
    for (const nb of opts.notebooks) {
      const output = opts.outDir ? join(opts.outDir, basename(nb)) : nb;
      const t0 = Date.now();
      console.error(`executing ${nb} …`);
      const r = spawnSync(py.python, [
        join(__dirname, 'execute_notebook.py'), nb, output, '--kernel', KERNEL_NAME, '--timeout', String(opts.timeoutS),
        '--failed-copy', join(failedDir, basename(nb).replace(/\.ipynb$/, '.failed.ipynb')),
      ], { env, stdio: ['ignore', 'inherit', 'inherit'] });
      const seconds = (Date.now() - t0) / 1000;
      const status = r.status ?? 2;
      console.error(status === 0 ? `  ok (${seconds.toFixed(1)} s) → ${output}` : `  FAILED (${seconds.toFixed(1)} s)`);
      results.push({ notebook: nb, output, status, seconds });
    }
  } finally {
    rmSync(jupyterPath, { recursive: true, force: true });
  }
  return results;
}

/** Every *.ipynb directly in `dir`, sorted (hidden files and checkpoints skipped). */
export function listNotebooks(dir: string): string[] {
  return readdirSync(dir).filter((f) => f.endsWith('.ipynb') && !f.startsWith('.')).sort().map((f) => join(dir, f));
}

function parseArgs(argv: string[]): RunOptions {
  const opts: RunOptions = { notebooks: [], timeoutS: 600 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--out') opts.outDir = resolve(value());
    else if (a === '--timeout') {
      opts.timeoutS = Number(value());
      if (!(opts.timeoutS > 0)) throw new Error('--timeout must be a positive number of seconds');
    } else if (a === '--python') opts.python = value();
    else if (a.startsWith('--')) throw new Error(`unknown option ${a} (expected --out DIR, --timeout S, --python PY)`);
    else opts.notebooks.push(resolve(a));
  }
  if (opts.python) process.env.UFNMR_PYTHON = opts.python;
  if (opts.notebooks.length === 0) opts.notebooks = listNotebooks(join(REPO_ROOT, 'notebooks'));
  for (const nb of opts.notebooks) if (!existsSync(nb) || !statSync(nb).isFile()) throw new Error(`no such notebook: ${nb}`);
  if (opts.outDir && (!existsSync(opts.outDir) || !statSync(opts.outDir).isDirectory())) throw new Error(`--out ${opts.outDir}: not a directory`);
  return opts;
}

if (require.main === module) {
  try {
    const opts = parseArgs(process.argv.slice(2));
    if (opts.notebooks.length === 0) {
      console.error('no notebooks found in notebooks/');
      process.exitCode = 1;
    } else {
      const results = runNotebooks(opts);
      const failed = results.filter((r) => r.status !== 0);
      console.error(`${results.length - failed.length}/${results.length} notebooks ran cleanly${failed.length ? `; failed: ${failed.map((r) => basename(r.notebook)).join(', ')}` : ''}`);
      process.exitCode = failed.length ? 1 : 0;
    }
  } catch (e) {
    console.error(`notebooks: ${(e as Error).message}`);
    process.exitCode = 2;
  }
}
