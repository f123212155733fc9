/**
 * `npm run reproduce` shows a running notebook's progress (issue 14 item 6) in a form that reads
 * in CI logs: with stderr a pipe, plain lines (no carriage returns or escape codes), one every
 * FLATLAB_PROGRESS_SECONDS while a cell runs, carrying the cell's position and the latest state
 * of the flatlab progress display it updates (the fixture's 3-second loop stands in for a grid).
 */
import { before, test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { join } from "node:path";
import { pythonWith, ROOT, tempDir } from "./jupyterHarness.js";

let skip: string | false = false;
before(async () => {
  ({ skip } = await pythonWith(["jupyter_client", "nbclient", "nbformat"]));
});

/** Runs reproduce with stdout and stderr piped; every stderr line with its arrival time (ms). */
function reproduceTimed(args: string[], env: NodeJS.ProcessEnv): Promise<{ status: number | null; stdout: string; stderr: string; lines: { at: number; text: string }[] }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(ROOT, "scripts", "reproduce.mjs"), ...args], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "", stderr = "", pending = "";
    const lines: { at: number; text: string }[] = [];
    const timer = setTimeout(() => child.kill("SIGTERM"), 180_000);
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => {
      stderr += d;
      pending += d;
      const parts = pending.split("\n");
      pending = parts.pop()!;
      for (const text of parts) lines.push({ at: performance.now(), text });
    });
    child.on("error", reject);
    child.on("close", (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr, lines });
    });
  });
}

test("reproduce with stderr piped prints plain progress lines, one a second here, with the cell and the grid's progress", async (t) => {
  if (skip) return t.skip(skip);
  const r = await reproduceTimed(["--quick", "--out", tempDir("out"), join("test", "fixtures", "notebooks", "progress.ipynb")], { FLATLAB_PROGRESS_SECONDS: "1" });
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.doesNotMatch(r.stderr, /[\r\x1b]/, "no carriage return or escape code when stderr is not a terminal");
  const running = r.lines.filter((l) => /^flatlab: {3}progress\.ipynb: cell 2\/3, \d+ s, trials: \d+\/30 \(\d+%\) · .* · .*left$/.test(l.text));
  assert.ok(running.length >= 2, `at least two lines while the 3-second cell runs; received:\n${r.stderr}`);
  const counts = running.map((l) => Number(/trials: (\d+)\//.exec(l.text)![1]));
  assert.ok(counts.every((c, i) => i === 0 || c >= counts[i - 1]) && counts.at(-1)! > counts[0], `the trial count advances: ${counts.join(", ")}`);
  const gaps = running.slice(1).map((l, i) => l.at - running[i].at);
  assert.ok(Math.max(...gaps) < 3000, `a line about every second, none more than 3 s apart: gaps ${gaps.map((g) => Math.round(g)).join(", ")} ms`);
  assert.match(r.stderr, /^flatlab: {3}progress\.ipynb: cell 2\/3 done in \d+ s, trials: 30\/30 done in [\d.]+ s, [\d.]+\/s$/m, "the cell's end, with the display's final summary");
  assert.doesNotMatch(r.stderr, /cell 3\/3/, "a quick cell without progress prints nothing");
  assert.match(r.stdout, /^notebooks: 1 passed, 0 failed$/m);
});

test("a FLATLAB_PROGRESS_SECONDS that is not a positive number is an error naming it", async (t) => {
  if (skip) return t.skip(skip);
  const r = await reproduceTimed(["--quick", "--out", tempDir("out"), join("test", "fixtures", "notebooks", "passing.ipynb")], { FLATLAB_PROGRESS_SECONDS: "0" });
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /FLATLAB_PROGRESS_SECONDS must be a positive number of seconds; received '0'/);
});
