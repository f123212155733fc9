/**
 * The headless runner end to end (scripts/reproduce.mjs -> scripts/run_notebooks.py -> nbclient ->
 * the flatlab kernel) on the fixture notebooks in test/fixtures/notebooks, writing into a
 * temporary folder so the tree stays clean.
 */
import { before, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { pythonWith, ROOT, tempDir } from "./jupyterHarness.js";

const FIXTURES = join("test", "fixtures", "notebooks");

function reproduce(args: string[], env: NodeJS.ProcessEnv = {}) {
  const r = spawnSync(process.execPath, [join(ROOT, "scripts", "reproduce.mjs"), ...args], { cwd: ROOT, env: { ...process.env, ...env }, encoding: "utf8", timeout: 600_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, all: r.stdout + r.stderr };
}

let skip: string | false = false;
let python: string | undefined;
before(async () => {
  ({ skip, python } = await pythonWith(["jupyter_client", "nbclient", "nbformat"]));
});

test("a passing notebook runs in quick mode and yields its notebook, figure files and gallery", (t) => {
  if (skip) return t.skip(skip);
  const out = tempDir("out");
  const r = reproduce(["--quick", "--check", "--out", out, join(FIXTURES, "passing.ipynb")]);
  assert.equal(r.status, 0, r.all);
  const nb = JSON.parse(readFileSync(join(out, "notebooks", "passing.ipynb"), "utf8"));
  const code = nb.cells.filter((c: { cell_type: string }) => c.cell_type === "code");
  assert.equal(code[0].outputs[0].text.join(""), "mode: quick\n", "the kernel sees FLATLAB_MODE");
  const [figure] = code[1].outputs;
  assert.equal(figure.output_type, "execute_result");
  assert.equal(typeof figure.data["application/vnd.vegalite.v5+json"], "object");
  assert.ok("image/png" in figure.data);
  assert.deepEqual(figure.metadata, { "image/png": { width: 1, height: 1 } }, "the figure's metadata reaches the notebook");
  assert.deepEqual([...readFileSync(join(out, "figures", "passing-1.png")).subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47]);
  assert.equal(JSON.parse(readFileSync(join(out, "figures", "passing-1.vl.json"), "utf8")).mark, "point");
  assert.match(readFileSync(join(out, "index.html"), "utf8"), /<img src="figures\/passing-1\.png" width="1"/);
  assert.match(r.stdout, /^notebooks: 1 passed, 0 failed$/m);
});

test("a failing notebook makes the command exit non-zero naming the notebook, the cell and the error; a notebook beside it still runs", (t) => {
  if (skip) return t.skip(skip);
  const out = tempDir("out");
  const r = reproduce(["--quick", "--parallel", "2", "--out", out, join(FIXTURES, "failing.ipynb"), join(FIXTURES, "passing.ipynb")]);
  assert.equal(r.status, 1, r.all);
  assert.match(r.stderr, /FAILED test\/fixtures\/notebooks\/failing\.ipynb, cell 3 \(In \[2\]\): RangeError: fixture failure: n is too large/);
  assert.match(r.stderr, /at cell \[2\], line 3/);
  assert.ok(existsSync(join(out, "failed", "failing.ipynb")), "the partly executed notebook is kept for inspection");
  assert.ok(!existsSync(join(out, "notebooks", "failing.ipynb")), "a failed run is not written as a result");
  assert.match(r.stdout, /2 at a time/);
  assert.ok(existsSync(join(out, "notebooks", "passing.ipynb")), "the notebook run beside the failing one is written");
  assert.match(r.stdout, /^notebooks: 1 passed, 1 failed$/m);
});

test("a notebook that does not exist is an error naming it", () => {
  const r = reproduce(["--quick", "no-such-notebook"]);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /notebook "no-such-notebook" does not exist/);
});

test("an unknown mode or option is an error listing the valid ones", () => {
  const bad = reproduce([join(FIXTURES, "passing.ipynb")], { FLATLAB_MODE: "fast" });
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /FLATLAB_MODE must be one of "quick", "full"; received "fast"/);
  const opt = reproduce(["--fast"]);
  assert.equal(opt.status, 2);
  assert.match(opt.stderr, /unknown option --fast; options are --quick, --full/);
  const parallel = reproduce(["--parallel", "0"]);
  assert.equal(parallel.status, 2);
  assert.match(parallel.stderr, /--parallel must be a positive whole number of notebooks; received "0"/);
});

test("without Jupyter the command fails with the exact install commands", () => {
  const r = reproduce(["--quick", join(FIXTURES, "passing.ipynb")], { FLATLAB_PYTHON: "/nonexistent/python3" });
  assert.equal(r.status, 1);
  assert.match(r.stderr, /sh scripts\/install\.sh/);
  assert.match(r.stderr, /pip install nbclient nbconvert jupyter_client/);
});

test("the runner counts an aborted, unanswered or error-output cell as failed, never as silent success", (t) => {
  if (skip) return t.skip(skip);
  const check = `
import sys, json; sys.path.insert(0, ${JSON.stringify(join(ROOT, "scripts"))})
from run_notebooks import cell_failure
cell = {"execution_count": 4, "outputs": []}
print(json.dumps([
  cell_failure(2, cell, None)["ename"],
  cell_failure(2, cell, {"status": "abort"})["ename"],
  cell_failure(2, cell, {"status": "aborted"})["evalue"],
  cell_failure(2, {"outputs": [{"output_type": "error", "ename": "E", "evalue": "v", "traceback": []}]}, {"status": "ok"})["ename"],
  cell_failure(2, cell, {"status": "error", "ename": "TSError", "evalue": "x"})["cell"],
  cell_failure(2, cell, {"status": "ok"}),
]))`;
  const r = spawnSync(python!, ["-c", check], { encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout), ["NotExecuted", "Aborted", "the kernel answered 'aborted': the cell did not run", "E", 3, null]);
});
