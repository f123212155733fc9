/**
 * Issue 6 "Checks": jupyter_kernel_test's KernelTests (test/kernel/conformance.py) against the
 * project kernelspec (.jupyter/share/jupyter/kernels/flatlab, written by scripts/setup.mjs and
 * running dist/kernel/launcher.js). Every message is validated against the v5 schema.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { pythonWith, ROOT } from "./jupyterHarness.js";

const EXPECTED_PASSING = [
  "test_kernel_info", "test_execute_stdout", "test_execute_stderr", "test_completion", "test_is_complete",
  "test_inspect", "test_error", "test_execute_result", "test_display_data",
];

test("the project kernel passes jupyter_kernel_test on stdout, stderr, completion, is_complete, inspect, error, execute_result, display_data and kernel_info", async (t) => {
  const { python, skip } = await pythonWith(["jupyter_client", "jupyter_kernel_test"]);
  if (skip) return t.skip(skip);
  const dataDir = join(ROOT, ".jupyter", "share", "jupyter");
  assert.ok(existsSync(join(dataDir, "kernels", "flatlab", "kernel.json")) && existsSync(join(ROOT, "dist", "kernel", "launcher.js")),
    "the project kernelspec and dist/ are missing: run `npm run build && node scripts/setup.mjs` (npm install does both)");
  const r = spawnSync(python!, [join(ROOT, "test", "kernel", "conformance.py"), "-v"], {
    env: { ...process.env, JUPYTER_PATH: dataDir, FLATLAB_KERNEL_NAME: "flatlab" },
    encoding: "utf8",
    timeout: 300_000,
  });
  const log = r.stderr + r.stdout;
  assert.equal(r.status, 0, log);
  for (const name of EXPECTED_PASSING) assert.match(log, new RegExp(`^${name} \\(.*\\) \\.\\.\\. (ok|\\n(  .*\\.\\.\\. ok\\n)+)`, "m"), `${name} did not pass:\n${log}`);
});
