/**
 * scripts/setup.mjs (run by npm install / npm ci) and scripts/jupyter-env.mjs: the project-local
 * kernelspec, finding Python with Jupyter, and what happens without it. The kernelspec goes to a
 * temporary folder (FLATLAB_JUPYTER_DIR) so the project's own is left alone.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { jupyterEnvModule, pythonWith, ROOT, tempDir } from "./jupyterHarness.js";

function setup(env: NodeJS.ProcessEnv) {
  const r = spawnSync(process.execPath, [join(ROOT, "scripts", "setup.mjs")], { cwd: ROOT, env: { ...process.env, ...env }, encoding: "utf8", timeout: 600_000 });
  return { status: r.status, all: r.stdout + r.stderr };
}

test("setup writes the project-local kernelspec: absolute node, the launcher, the connection file", async (t) => {
  const { skip } = await pythonWith(["jupyter_client"]);
  if (skip) return t.skip(skip);
  const dir = tempDir("jupyter");
  const r = setup({ FLATLAB_JUPYTER_DIR: dir });
  assert.equal(r.status, 0, r.all);
  const spec = JSON.parse(readFileSync(join(dir, "kernels", "flatlab", "kernel.json"), "utf8"));
  assert.deepEqual(spec.argv, [process.execPath, join(ROOT, "dist", "kernel", "launcher.js"), "{connection_file}"]);
  assert.deepEqual([spec.display_name, spec.language, spec.interrupt_mode], ["TypeScript (flatlab)", "typescript", "signal"]);
  assert.deepEqual(readdirSync(join(dir, "kernels", "flatlab")), ["kernel.json"], "no temporary files are left");
  assert.match(r.all, /JUPYTER_PATH=/);
});

test("without Jupyter, setup succeeds, prints the install commands and removes a stale kernelspec", () => {
  const dir = tempDir("jupyter");
  mkdirSync(join(dir, "kernels", "flatlab"), { recursive: true });
  writeFileSync(join(dir, "kernels", "flatlab", "kernel.json"), "{}");
  const r = setup({ FLATLAB_JUPYTER_DIR: dir, FLATLAB_PYTHON: "/nonexistent/python3" });
  assert.equal(r.status, 0, "npm ci must not fail for want of Jupyter");
  assert.match(r.all, /FLATLAB_PYTHON=\/nonexistent\/python3: cannot be run/);
  assert.match(r.all, /sh scripts\/install\.sh/);
  assert.match(r.all, /pip install nbclient nbconvert jupyter_client/);
  assert.match(r.all, /a stale kernelspec was removed/);
  assert.ok(!existsSync(join(dir, "kernels", "flatlab")));
});

test("findPython honours FLATLAB_PYTHON alone and names what each candidate lacks", async () => {
  const env = (await jupyterEnvModule()) as unknown as { findPython(m: string[], e: NodeJS.ProcessEnv): string };
  assert.throws(() => env.findPython(["jupyter_client"], { FLATLAB_PYTHON: process.execPath }), /FLATLAB_PYTHON=.*cannot be run/);
  assert.throws(() => env.findPython(["no_such_module_flatlab"], { PATH: process.env.PATH }), /tried python3: (lacks no_such_module_flatlab|cannot be run); \/usr\/bin\/python3: (lacks no_such_module_flatlab|cannot be run)/);
});

test("jupyterEnv puts the project's data folder first on JUPYTER_PATH and keeps the user's", async () => {
  const env = (await jupyterEnvModule()) as unknown as { jupyterEnv(e: NodeJS.ProcessEnv, x?: object): NodeJS.ProcessEnv; JUPYTER_DATA_DIR: string };
  const out = env.jupyterEnv({ JUPYTER_PATH: "/a:/b" }, { FLATLAB_MODE: "quick" });
  assert.equal(out.JUPYTER_PATH, `${env.JUPYTER_DATA_DIR}:/a:/b`);
  assert.equal(out.FLATLAB_MODE, "quick");
});
