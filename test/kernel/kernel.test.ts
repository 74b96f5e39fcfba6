/**
 * The Jupyter side, through real Jupyter (Debian's jupyter_client/nbclient/nbformat, installed by
 * .ci/run): kernelspec install into a temporary prefix and removal; the smoke notebook executed with
 * the tslab kernel renders a chart bundle, a table and a progress bar and validates against nbformat;
 * failing cells report their original error and cell number. Needs the built library (npm run build).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findJupyterPython } from '../../kernel/kernelspec';

const ROOT = join(__dirname, '..', '..');
const script = (name: string, args: string[], env: NodeJS.ProcessEnv = process.env) =>
  spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'kernel', name), ...args], { cwd: ROOT, encoding: 'utf8', env, timeout: 300_000 });
const python = () => findJupyterPython(['nbclient', 'nbformat', 'jupyter_client']).python;

/** Runs Python code with args; returns stdout (asserts success). */
function py(code: string, args: string[], env: NodeJS.ProcessEnv = process.env): string {
  const r = spawnSync(python(), ['-c', code, ...args], { encoding: 'utf8', env });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
}

test('kernel:install into a temporary prefix is seen by jupyter_client; kernel:uninstall removes it', () => {
  const prefix = mkdtempSync(join(tmpdir(), 'ufnmr-prefix-'));
  try {
    const r = script('install.ts', ['--prefix', prefix]);
    assert.equal(r.status, 0, r.stderr + r.stdout);
    const dir = join(prefix, 'share', 'jupyter', 'kernels', 'ufnmr');
    const spec = JSON.parse(readFileSync(join(dir, 'kernel.json'), 'utf8'));
    assert.equal(spec.argv[0], process.execPath);
    assert.ok(existsSync(spec.argv[1]) && /tslab[\\/]bin[\\/]tslab$/.test(spec.argv[1]), spec.argv[1]);
    assert.deepEqual(spec.argv.slice(2), ['kernel', '--config-path', '{connection_file}']);
    assert.equal(spec.language, 'typescript');
    assert.ok(existsSync(join(dir, 'logo-64x64.png')));
    const env = { ...process.env, JUPYTER_PATH: join(prefix, 'share', 'jupyter') };
    const listed = JSON.parse(py('import json; from jupyter_client.kernelspec import KernelSpecManager as K; print(json.dumps(K().find_kernel_specs()))', [], env));
    assert.equal(listed.ufnmr, dir);
    const u = script('uninstall.ts', ['--prefix', prefix]);
    assert.equal(u.status, 0, u.stderr);
    assert.match(u.stdout, /removed/);
    assert.ok(!existsSync(dir));
    assert.match(script('uninstall.ts', ['--prefix', prefix]).stdout, /not installed/);
  } finally {
    rmSync(prefix, { recursive: true, force: true });
  }
});

test('kernel:install without a usable Python says what was tried and how to get Jupyter', () => {
  const r = script('install.ts', ['--python', '/nonexistent/python3', '--prefix', tmpdir()]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /no Python with jupyter_client was found/);
  assert.match(r.stderr, /\/nonexistent\/python3: not found/);
  assert.match(r.stderr, /apt-get install jupyter-nbconvert/);
  assert.match(script('install.ts', ['--bogus']).stderr, /unknown option --bogus/);
});

test('smoke notebook through Jupyter: valid nbformat with Vega-Lite, SVG, PNG, a table and a progress bar', () => {
  assert.ok(existsSync(join(ROOT, 'dist', 'index.js')), 'dist/ missing: run "npm run build" before the tests');
  const out = mkdtempSync(join(tmpdir(), 'ufnmr-nb-'));
  try {
    const src = join(ROOT, 'notebooks', '_smoke.ipynb');
    const before = readFileSync(src);
    const r = script('run-notebooks.ts', ['--out', out, src]);
    assert.equal(r.status, 0, r.stderr + r.stdout);
    assert.ok(readFileSync(src).equals(before), 'the source notebook is untouched with --out');
    const report = JSON.parse(py(`
import json, sys, nbformat
nb = nbformat.read(sys.argv[1], as_version=4)
nbformat.validate(nb)
outs = [[{"type": o.output_type, "mimes": sorted((o.get("data") or {}).keys()), "html": (o.get("data") or {}).get("text/html", ""), "text": o.get("text", "")} for o in c.outputs] for c in nb.cells if c.cell_type == "code"]
print(json.dumps({"kernel": nb.metadata.kernelspec.name, "lang": nb.metadata.language_info.name, "outs": outs}))
`, [join(out, '_smoke.ipynb')]));
    assert.equal(report.kernel, 'ufnmr');
    assert.equal(report.lang, 'typescript');
    const all = (report.outs as { type: string; mimes: string[]; html: string; text: string }[][]).flat();
    assert.match(all[0].text, /ufnmr loaded: \d+ figure builders/);
    const chart = all.find((o) => o.mimes.some((m) => /^application\/vnd\.vegalite\.v\d+\+json$/.test(m)));
    assert.ok(chart, 'a Vega-Lite bundle');
    assert.ok(chart.mimes.includes('image/svg+xml') && chart.mimes.includes('image/png'), chart.mimes.join());
    assert.ok(all.some((o) => /<table class="dataframe/.test(o.html) && /rate \(Hz\)/.test(o.html)), 'a DataFrame table');
    const bars = all.filter((o) => /<progress /.test(o.html));
    assert.equal(bars.length, 1, 'the progress bar is one output updated in place');
    assert.match(bars[0].html, /value="200" max="200"/);
    assert.ok(all.some((o) => o.mimes.includes('image/svg+xml') && !o.mimes.includes('image/png')), 'a structure view');
    assert.ok(!all.some((o) => o.type === 'stream' && /image\/svg\+xml|text\/html/.test(o.text)), 'show() results are not echoed');
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});

test('a failing cell fails the run with its original message and cell number', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ufnmr-nbfail-'));
  try {
    const write = (name: string, cells: [string, string][]) => {
      const nb = {
        nbformat: 4, nbformat_minor: 5,
        metadata: { kernelspec: { name: 'ufnmr', display_name: 'TypeScript (ufnmr)', language: 'typescript' } },
        cells: cells.map(([type, source], i) => ({ id: `c${i}`, cell_type: type, metadata: {}, source, ...(type === 'code' ? { outputs: [], execution_count: null } : {}) })),
      };
      writeFileSync(join(dir, name), JSON.stringify(nb));
      return join(dir, name);
    };
    const runtime = write('runtime.ipynb', [['markdown', '# t'], ['code', 'console.log(1);'], ['code', "const n = 42;\nthrow new RangeError(`boom ${n}`);"], ['code', 'console.log(2);']]);
    const compile = write('compile.ipynb', [['code', "const s: string = 3;"]]);
    const before = readFileSync(runtime);
    const failed = join(dir, 'failed');
    mkdirSync(failed);
    const r = spawnSync(process.execPath, ['--import', 'tsx', '-e', `
      const { runNotebooks } = require(${JSON.stringify(join(ROOT, 'kernel', 'run-notebooks.ts'))});
      const res = runNotebooks({ notebooks: ${JSON.stringify([runtime, compile])}, timeoutS: 120, failedDir: ${JSON.stringify(failed)} });
      process.exitCode = res.every((x) => x.status === 1) ? 0 : 3;`], { cwd: ROOT, encoding: 'utf8', timeout: 300_000 });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /runtime\.ipynb: cell 3 \(code cell 2\) failed:\n {2}RangeError: boom 42\n/);
    assert.match(r.stderr, /> throw new RangeError/);
    assert.match(r.stderr, /compile\.ipynb: cell 1 \(code cell 1\) failed:\n {2}TypeScriptError: line 1, column 7: Type 'number' is not assignable to type 'string'/);
    assert.ok(!/<Error>: \n/.test(r.stderr));
    assert.ok(readFileSync(runtime).equals(before), 'the failed notebook is not overwritten');
    const err = JSON.parse(py(`
import json, sys, nbformat
nb = nbformat.read(sys.argv[1], as_version=4)
nbformat.validate(nb)
print(json.dumps([o for o in nb.cells[2].outputs if o.output_type == "error"]))
`, [join(failed, 'runtime.failed.ipynb')]));
    assert.equal(err.length, 1);
    assert.equal(err[0].ename, 'RangeError');
    assert.equal(err[0].evalue, 'boom 42');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
