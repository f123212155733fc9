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

While a notebook runs, stderr shows which code cell runs (i of n), for how long, and the latest
state of any flatlab progress display the cell updates (src/display/progress.ts: display ids
"flatlab-progress-…", e.g. an experiment grid's trials done, rate and time left), read off the
kernel's iopub messages. On a terminal that is one line rewritten in place; otherwise (CI logs,
pipes) plain lines: one every FLATLAB_PROGRESS_SECONDS (8 by default) while a cell runs (or the
kernel starts), and one when a cell that ran that long, or showed progress, ends. Quick cells
print nothing.
"""
import argparse
import json
import os
import shutil
import sys
import tempfile
import threading
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


PROGRESS_DISPLAY = "flatlab-progress-"


def format_seconds(seconds):
    """37 s, 4 min 05 s, like formatDuration in src/display/progress.ts (whole seconds)."""
    s = int(round(seconds))
    return f"{s} s" if s < 60 else f"{s // 60} min {s % 60:02d} s" if s < 3600 else f"{s // 3600} h {(s % 3600) // 60:02d} min"


class ProgressReporter:
    """The running notebook's progress on `stream` (see the module docstring)."""

    def __init__(self, label, code_cells, interval, stream=sys.stderr):
        self.label, self.code_cells, self.interval, self.stream = label, code_cells, interval, stream
        # Several runners share one terminal when reproduce.mjs runs notebooks side by side: then plain lines.
        self.tty = stream.isatty() and os.environ.get("FLATLAB_PROGRESS_LINES") != "1"
        self.clock = time.monotonic
        self.lock = threading.Lock()
        # What runs: "cell 4/11" (position among the code cells), "starting the kernel" until the
        # first cell, None between cells.
        self.step = "starting the kernel"
        self.started = self.last_line = self.clock()
        self.progress = None  # latest text/plain of a progress display in this cell
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._tick, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        self.thread.join()
        with self.lock:
            if self.tty:
                self._write("\r\x1b[K")

    def _status(self, now, done=False):
        parts = [f"{self.label}: {self.step}{' done in' if done else ','} {format_seconds(now - self.started)}"]
        if self.progress:
            parts.append(self.progress)
        return ", ".join(parts)

    def _write(self, text):
        try:
            self.stream.write(text)
            self.stream.flush()
        except (OSError, ValueError):
            pass  # progress is a courtesy: a closed stream must not stop the run

    def _line(self, text):
        self._write(f"\r\x1b[K{text}\n" if self.tty else f"{text}\n")
        self.last_line = self.clock()

    def _tick(self):
        while not self.stop.wait(0.5 if self.tty else min(1.0, self.interval / 4)):
            with self.lock:
                if self.step is None:
                    continue
                now = self.clock()
                if self.tty:
                    width = shutil.get_terminal_size((100, 20)).columns - 1
                    self._write("\r\x1b[K" + ("flatlab:   " + self._status(now))[:width])
                elif now - self.last_line >= self.interval:
                    self._line("flatlab:   " + self._status(now))

    def cell_started(self, position):
        with self.lock:
            self.step, self.progress = f"cell {position}/{self.code_cells}", None
            self.started = self.last_line = self.clock()

    def cell_finished(self):
        with self.lock:
            if self.step is None:
                return
            now = self.clock()
            if self.progress or now - self.started >= self.interval:
                self._line("flatlab:   " + self._status(now, done=True))
            elif self.tty:
                self._write("\r\x1b[K")
            self.step = None

    def message(self, msg):
        """Notes the text of a flatlab progress display from an iopub message."""
        content = msg.get("content", {})
        display_id = (content.get("transient") or {}).get("display_id") or ""
        if msg.get("msg_type") in ("display_data", "update_display_data") and display_id.startswith(PROGRESS_DISPLAY):
            text = (content.get("data") or {}).get("text/plain")
            if isinstance(text, str) and text.strip():
                with self.lock:
                    self.progress = " ".join(text.split())


class ReportingClient(NotebookClient):
    """nbclient's client with every iopub message also shown to a ProgressReporter."""

    reporter = None

    def process_message(self, msg, cell, cell_index):
        if self.reporter is not None:
            self.reporter.message(msg)
        return super().process_message(msg, cell, cell_index)


def progress_interval(env=os.environ):
    raw = env.get("FLATLAB_PROGRESS_SECONDS", "8")
    try:
        value = float(raw)
    except ValueError:
        value = float("nan")
    if not value > 0 or value == float("inf"):
        raise SystemExit(f"run_notebooks: FLATLAB_PROGRESS_SECONDS must be a positive number of seconds; received {raw!r}")
    return value


def run_job(job, kernel, timeout, interval=8.0):
    nb = nbformat.read(job["input"], as_version=4)
    replies = {}
    code_positions = {}
    for index, cell in enumerate(nb.cells):
        if cell.cell_type == "code" and cell.source.strip():
            code_positions[index] = len(code_positions) + 1
    reporter = ProgressReporter(os.path.basename(job["input"]), len(code_positions), interval)

    def on_cell_execute(cell, cell_index):
        reporter.cell_started(code_positions.get(cell_index, 0))

    def on_cell_executed(cell, cell_index, execute_reply):
        replies[cell_index] = (execute_reply or {}).get("content")
        reporter.cell_finished()

    client = ReportingClient(
        nb,
        kernel_name=kernel,
        timeout=timeout,
        startup_timeout=120,
        allow_errors=False,
        record_timing=False,
        resources={"metadata": {"path": job["cwd"]}},
        on_cell_execute=on_cell_execute,
        on_cell_executed=on_cell_executed,
    )
    client.reporter = reporter
    started = time.time()
    failure = None
    try:
        with reporter:
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
    interval = progress_interval()
    with open(args.jobs, encoding="utf-8") as f:
        jobs = json.load(f)
    results = []
    for job in jobs:
        print(f"flatlab: executing {job['label']} ...", file=sys.stderr, flush=True)
        result = run_job(job, args.kernel, args.timeout, interval)
        result["label"] = job["label"]
        results.append(result)
        print(f"flatlab: {job['label']} {'ok' if result['ok'] else 'FAILED'} in {result['seconds']} s", file=sys.stderr, flush=True)
    write_atomic(args.report, lambda f: json.dump(results, f, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
