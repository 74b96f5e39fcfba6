/** npm run kernel:uninstall [-- --user | --prefix DIR | --sys-prefix] [--python PY] [--name NAME]: removes the kernelspec. */
import { findJupyterPython, parseInstallArgs, uninstallKernel } from './kernelspec';

function main(): number {
  try {
    const { target, python, name } = parseInstallArgs(process.argv.slice(2));
    const py = findJupyterPython(['jupyter_core'], python ? [python] : undefined);
    console.log(uninstallKernel(py.python, target, name));
    return 0;
  } catch (e) {
    console.error(`kernel:uninstall: ${(e as Error).message}`);
    return 1;
  }
}
process.exitCode = main();
