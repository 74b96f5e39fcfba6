#!/usr/bin/env python3
"""Executes one notebook with nbclient (Jupyter's own client) and the ufnmr (tslab) kernel.

Usage: execute_notebook.py IN.ipynb OUT.ipynb [--kernel NAME] [--timeout S] [--failed-copy PATH]

On success the executed notebook is validated against nbformat and written to OUT atomically.
On failure the original error of the failing cell is printed with its cell number. tslab reports
errors only on stderr (its execute_reply carries no ename/evalue, so nbclient alone prints an
empty "Error:"): the error is recovered from the cell's stderr stream and also added to the cell as
a proper nbformat "error" output in the failed copy. Exit status: 0 ok, 1 cell failed, 2 other error.
"""
import argparse
import os
import re
import sys
import tempfile

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
# "RangeError: boom", "InputError: …", "Error [ERR_X]: …", "Uncaught TypeError: …"
ERROR_LINE = re.compile(r"^(?:Uncaught )?([A-Za-z_$][\w$]*(?:Error|Exception)|Error)(?: \[[^\]]*\])?: ?(.*)$")
# TypeScript diagnostics as tslab prints them: "1:7 - Type 'number' is not assignable to type 'string'."
TS_DIAGNOSTIC = re.compile(r"^(?:\S+ )?(\d+):(\d+) - (.*)$")
INTERNAL_FRAME = re.compile(r"^\s+at .*(node_modules[\\/]tslab|node:vm|node:internal|sigintHandlersWrap)")


class Client(NotebookClient):
    """NotebookClient that remembers which cell it is executing."""

    current_index = None

    async def async_execute_cell(self, cell, cell_index, *args, **kwargs):
        self.current_index = cell_index
        return await super().async_execute_cell(cell, cell_index, *args, **kwargs)


def recover_error(cell):
    """(ename, evalue, traceback lines) of a failed cell, from error outputs or its stderr text."""
    for out in cell.get("outputs", []):
        if out.get("output_type") == "error" and (out.get("ename") or out.get("evalue")):
            return out["ename"], out["evalue"], [ANSI.sub("", t) for t in out.get("traceback", [])]
    stderr = "".join(
        out.get("text", "")
        for out in cell.get("outputs", [])
        if out.get("output_type") == "stream" and out.get("name") == "stderr"
    )
    lines = [l for l in ANSI.sub("", stderr).rstrip().splitlines()]
    trace = [l for l in lines if not INTERNAL_FRAME.match(l)]
    for l in lines:
        m = ERROR_LINE.match(l.strip())
        if m:
            return m.group(1), m.group(2), trace
    diags = [TS_DIAGNOSTIC.match(l.strip()) for l in lines]
    diags = [d for d in diags if d]
    if diags:
        d = diags[0]
        return "TypeScriptError", "line %s, column %s: %s" % (d.group(1), d.group(2), d.group(3)), trace
    if trace:
        return "Error", trace[0], trace
    return "Error", "the cell failed without an error message", []


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("input")
    ap.add_argument("output")
    ap.add_argument("--kernel", default="ufnmr")
    ap.add_argument("--timeout", type=int, default=600, help="seconds per cell")
    ap.add_argument("--failed-copy", help="where to write the partially executed notebook on failure")
    args = ap.parse_args()

    try:
        nb = nbformat.read(args.input, as_version=4)
    except Exception as e:  # unreadable or invalid JSON
        print("%s: cannot read notebook: %s" % (args.input, e), file=sys.stderr)
        return 2
    client = Client(
        nb,
        kernel_name=args.kernel,
        timeout=args.timeout,
        allow_errors=False,
        record_timing=False,
        resources={"metadata": {"path": os.path.dirname(os.path.abspath(args.input))}},
    )
    try:
        client.execute()
    except (CellExecutionError, CellTimeoutError, DeadKernelError) as e:
        index = client.current_index
        if index is None:
            print("%s: the kernel failed before any cell ran: %s" % (args.input, e), file=sys.stderr)
            return 2
        cell = nb.cells[index]
        code_number = sum(1 for c in nb.cells[: index + 1] if c.cell_type == "code")
        if isinstance(e, CellTimeoutError):
            ename, evalue, trace = "TimeoutError", "cell did not finish within %d s" % args.timeout, []
        elif isinstance(e, DeadKernelError):
            ename, evalue, trace = "DeadKernelError", "the kernel died while running this cell: %s" % e, []
        else:
            ename, evalue, trace = recover_error(cell)
        cell.outputs.append(nbformat.v4.new_output("error", ename=ename, evalue=evalue, traceback=trace or ["%s: %s" % (ename, evalue)]))
        print("%s: cell %d (code cell %d) failed:" % (args.input, index + 1, code_number), file=sys.stderr)
        print("  %s: %s" % (ename, evalue), file=sys.stderr)
        shown = [l for l in trace if l.strip() and not ERROR_LINE.match(l.strip())][:12]
        for l in shown:
            print("  | " + l, file=sys.stderr)
        print("  cell source:", file=sys.stderr)
        for l in cell.source.splitlines()[:15]:
            print("  > " + l, file=sys.stderr)
        if args.failed_copy:
            nbformat.write(nb, args.failed_copy)
            print("  partially executed copy: %s" % args.failed_copy, file=sys.stderr)
        return 1
    except Exception as e:
        print("%s: could not execute (%s: %s)" % (args.input, type(e).__name__, e), file=sys.stderr)
        return 2

    nb.metadata["kernelspec"] = {"name": "ufnmr", "display_name": "TypeScript (ufnmr)", "language": "typescript"}
    nbformat.validate(nb)
    out_dir = os.path.dirname(os.path.abspath(args.output))
    fd, tmp = tempfile.mkstemp(prefix=".executing-", suffix=".ipynb", dir=out_dir)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            nbformat.write(nb, f)
        # mkstemp makes the file private (0600): give it the target's mode, or the umask default.
        if os.path.exists(args.output):
            mode = os.stat(args.output).st_mode & 0o777
        else:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        os.chmod(tmp, mode)
        os.replace(tmp, args.output)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return 0


if __name__ == "__main__":
    sys.exit(main())
