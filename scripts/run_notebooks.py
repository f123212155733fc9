"""Executes notebooks headless with the flatlab kernel through nbclient's Python API.

Called by scripts/reproduce.mjs (not meant to be run by hand):
    python run_notebooks.py --jobs JOBS.json --report REPORT.json [--kernel flatlab] [--timeout S]
JOBS.json is a list of {"input", "output", "failed_output", "cwd"}. Each notebook runs in a fresh
kernel started in `cwd` (so the notebook's imports resolve from its own folder); the environment
(FLATLAB_MODE, JUPYTER_PATH) is inherited by the kernel.

nbclient alone is not trusted with failures: every execute_reply is recorded through the
on_cell_executed hook, and after the run every non-empty code cell must have a reply with status
"ok" and no `error` output. An aborted or unanswered cell counts as a failure, never as silent
success. A successful notebook is written to `output`, a failed one to `failed_output` (so a
committed notebook is never overwritten by a broken run); both writes are atomic.
"""
import argparse
import json
import os
import sys
import tempfile
import time

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError


def write_atomic(path, write):
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".ipynb", dir=os.path.dirname(os.path.abspath(path)))
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            write(f)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.remove(tmp)
        raise


def cell_failure(index, cell, reply):
    """The first reason this code cell did not succeed, or None."""
    label = {"cell": index + 1, "execution_count": cell.get("execution_count")}
    for out in cell.get("outputs", []):
        if out.get("output_type") == "error":
            return dict(label, ename=out.get("ename", ""), evalue=out.get("evalue", ""), traceback=list(out.get("traceback", [])))
    if reply is None:
        return dict(label, ename="NotExecuted", evalue="the kernel sent no reply for this cell (it did not run)", traceback=[])
    status = reply.get("status")
    if status == "error":
        return dict(label, ename=reply.get("ename", "Error"), evalue=reply.get("evalue", ""), traceback=list(reply.get("traceback", [])))
    if status != "ok":
        return dict(label, ename="Aborted", evalue=f"the kernel answered {status!r}: the cell did not run", traceback=[])
    return None


def run_job(job, kernel, timeout):
    nb = nbformat.read(job["input"], as_version=4)
    replies = {}

    def on_cell_executed(cell, cell_index, execute_reply):
        replies[cell_index] = (execute_reply or {}).get("content")

    client = NotebookClient(
        nb,
        kernel_name=kernel,
        timeout=timeout,
        startup_timeout=120,
        allow_errors=False,
        record_timing=False,
        resources={"metadata": {"path": job["cwd"]}},
        on_cell_executed=on_cell_executed,
    )
    started = time.time()
    failure = None
    try:
        client.execute()
    except CellExecutionError:
        pass  # found below, with the cell it belongs to
    except Exception as e:  # a dead kernel, a timeout, a kernel that never started
        failure = {"cell": None, "execution_count": None, "ename": type(e).__name__, "evalue": str(e).strip().split("\n")[0], "traceback": [str(e)]}
    for index, cell in enumerate(nb.cells):
        if failure is not None:
            break
        if cell.cell_type != "code" or not cell.source.strip():
            continue
        failure = cell_failure(index, cell, replies.get(index))
    if failure is not None and failure.get("cell") is None and replies:
        # The run stopped (timeout, dead kernel) after the last cell that replied.
        last = max(replies)
        following = [i for i, c in enumerate(nb.cells) if i > last and c.cell_type == "code" and c.source.strip()]
        failure["cell"] = following[0] + 1 if following else last + 1
    seconds = round(time.time() - started, 2)
    target = job["failed_output"] if failure else job["output"]
    write_atomic(target, lambda f: nbformat.write(nb, f))
    code_cells = sum(1 for c in nb.cells if c.cell_type == "code" and c.source.strip())
    return {"input": job["input"], "written": target, "ok": failure is None, "failure": failure, "seconds": seconds, "code_cells": code_cells}


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--jobs", required=True)
    ap.add_argument("--report", required=True)
    ap.add_argument("--kernel", default="flatlab")
    ap.add_argument("--timeout", type=int, default=1800, help="seconds per cell")
    args = ap.parse_args(argv)
    with open(args.jobs, encoding="utf-8") as f:
        jobs = json.load(f)
    results = []
    for job in jobs:
        print(f"flatlab: executing {job['label']} ...", file=sys.stderr, flush=True)
        result = run_job(job, args.kernel, args.timeout)
        result["label"] = job["label"]
        results.append(result)
        print(f"flatlab:   {'ok' if result['ok'] else 'FAILED'} in {result['seconds']} s", file=sys.stderr, flush=True)
    write_atomic(args.report, lambda f: json.dump(results, f, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
