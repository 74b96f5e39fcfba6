/**
 * The ufnmr Jupyter kernel: a kernelspec that starts this repository's tslab 1.0.22 with the current
 * Node, finding a Python that has Jupyter, and (un)installing the spec through jupyter_client.
 * Shared by install.ts, uninstall.ts and run-notebooks.ts.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { Resvg } from '@resvg/resvg-js';

/** Repository root (the folder holding package.json and node_modules). */
export const REPO_ROOT = resolve(__dirname, '..');

/** Kernel name used by notebooks (metadata.kernelspec.name). */
export const KERNEL_NAME = 'ufnmr';
export const DISPLAY_NAME = 'TypeScript (ufnmr)';

/** Contents of kernel.json: tslab's kernel entry point run by this Node, with an absolute path. */
export function kernelJson(): Record<string, unknown> {
  const tslab = join(dirname(require.resolve('tslab/package.json', { paths: [REPO_ROOT] })), 'bin', 'tslab');
  return {
    argv: [process.execPath, tslab, 'kernel', '--config-path', '{connection_file}'],
    display_name: DISPLAY_NAME,
    language: 'typescript',
    interrupt_mode: 'signal',
    metadata: { ufnmr: { repo: REPO_ROOT, prelude: join(REPO_ROOT, 'kernel', 'prelude') } },
  };
}

const LOGO = `<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64" viewBox="0 0 64 64">
<circle cx="32" cy="32" r="30" fill="#CC80FF" stroke="#0072B2" stroke-width="3"/>
<text x="32" y="43" text-anchor="middle" font-family="DejaVu Sans" font-weight="bold" font-size="28" fill="#000">Li</text></svg>`;

/** Writes kernel.json and the logos into `dir` (created if needed); returns dir. */
export function writeKernelSpecDir(dir: string): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'kernel.json'), JSON.stringify(kernelJson(), null, 1) + '\n');
  const font = join(dirname(require.resolve('dejavu-fonts-ttf/package.json', { paths: [REPO_ROOT] })), 'ttf', 'DejaVuSans-Bold.ttf');
  for (const size of [32, 64]) {
    const png = new Resvg(LOGO, { fitTo: { mode: 'width', value: size }, font: { fontFiles: [font], loadSystemFonts: false, defaultFontFamily: 'DejaVu Sans' } }).render().asPng();
    writeFileSync(join(dir, `logo-${size}x${size}.png`), png);
  }
  return dir;
}

/** A Python interpreter and the version of the Jupyter modules it has. */
export interface JupyterPython {
  python: string;
  executable: string;
}

/**
 * The first Python among `candidates` (default: $UFNMR_PYTHON, /usr/bin/python3, python3, python)
 * that can import all `modules`; throws an Error explaining what was tried and how to get Jupyter.
 */
export function findJupyterPython(modules: readonly string[], candidates?: readonly string[]): JupyterPython {
  const list = candidates ?? [process.env.UFNMR_PYTHON, '/usr/bin/python3', 'python3', 'python'].filter((x): x is string => !!x);
  const tried: string[] = [];
  for (const py of list) {
    const r = spawnSync(py, ['-c', `import sys, ${modules.join(', ')}; print(sys.executable)`], { encoding: 'utf8' });
    if (r.status === 0) return { python: py, executable: r.stdout.trim() };
    const why = r.error ? 'not found' : (r.stderr.trim().split('\n').pop() ?? `exit ${r.status}`);
    tried.push(`  ${py}: ${why}`);
  }
  throw new Error(
    `no Python with ${modules.join(', ')} was found. Tried:\n${tried.join('\n')}\n` +
      'Install Jupyter, e.g. "apt-get install jupyter-nbconvert python3-nbclient python3-ipykernel" (Debian/Ubuntu) ' +
      'or "pip install jupyterlab", or name a Python with --python PATH (or UFNMR_PYTHON).',
  );
}

/** Where a kernelspec goes: the user's Jupyter data dir, a prefix, or the Python's sys.prefix. */
export type InstallTarget = { kind: 'user' } | { kind: 'prefix'; prefix: string } | { kind: 'sys-prefix' };

const PY_INSTALL = `
import sys
from jupyter_client.kernelspec import KernelSpecManager
src, name, kind, prefix = sys.argv[1:5]
if kind == 'sys-prefix':
    prefix = sys.prefix
dest = KernelSpecManager().install_kernel_spec(src, kernel_name=name, user=(kind == 'user'), prefix=(prefix or None))
print(dest)
`;

const PY_UNINSTALL = `
import os, shutil, sys
from jupyter_core.paths import jupyter_data_dir
name, kind, prefix = sys.argv[1:4]
if kind == 'sys-prefix':
    prefix = sys.prefix
base = jupyter_data_dir() if kind == 'user' else os.path.join(prefix, 'share', 'jupyter')
d = os.path.join(base, 'kernels', name)
if os.path.isdir(d):
    shutil.rmtree(d)
    print('removed ' + d)
else:
    print('not installed: ' + d)
`;

function runPython(py: string, script: string, args: string[]): string {
  const r = spawnSync(py, ['-c', script, ...args], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${py} failed (exit ${r.status}):\n${r.stderr || r.error?.message}`);
  return r.stdout.trim();
}

/** Installs the ufnmr kernelspec with `python`'s jupyter_client; returns the installed directory. */
export function installKernel(python: string, target: InstallTarget, name = KERNEL_NAME): string {
  const tmp = join(tmpdir(), `ufnmr-kernelspec-${process.pid}-${Date.now()}`);
  try {
    writeKernelSpecDir(tmp);
    return runPython(python, PY_INSTALL, [tmp, name, target.kind, target.kind === 'prefix' ? resolve(target.prefix) : '']);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** Removes the ufnmr kernelspec from the target; returns python's message (removed / not installed). */
export function uninstallKernel(python: string, target: InstallTarget, name = KERNEL_NAME): string {
  return runPython(python, PY_UNINSTALL, [name, target.kind, target.kind === 'prefix' ? resolve(target.prefix) : '']);
}

/** Parses the shared options --user | --prefix P | --sys-prefix, --python PY, --name N. */
export function parseInstallArgs(argv: readonly string[]): { target: InstallTarget; python?: string; name: string } {
  let target: InstallTarget = { kind: 'user' };
  let python: string | undefined;
  let name = KERNEL_NAME;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = a.includes('=') ? a.slice(a.indexOf('=') + 1) : argv[++i];
      if (!v) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--user') target = { kind: 'user' };
    else if (a === '--sys-prefix') target = { kind: 'sys-prefix' };
    else if (a === '--prefix' || a.startsWith('--prefix=')) target = { kind: 'prefix', prefix: value() };
    else if (a === '--python' || a.startsWith('--python=')) python = value();
    else if (a === '--name' || a.startsWith('--name=')) name = value();
    else throw new Error(`unknown option ${a} (expected --user, --prefix DIR, --sys-prefix, --python PY, --name NAME)`);
  }
  return { target, python, name };
}
