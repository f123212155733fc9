#!/usr/bin/env node
// `npm run lab [-- jupyter options]`: opens JupyterLab (or the classic Notebook) on the project
// with JUPYTER_PATH pointing at the project-local flatlab kernel, so "TypeScript (flatlab)" is
// in the kernel list without touching the user's global Jupyter.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { findPython, jupyterEnv, JupyterMissingError, KERNEL_DIR, ROOT } from "./jupyter-env.mjs";

/** The first Python (FLATLAB_PYTHON, python3, /usr/bin/python3) that has `app`, or undefined. */
function pythonWith(app) {
  try {
    return findPython([app]);
  } catch (e) {
    if (e instanceof JupyterMissingError) return undefined;
    throw e;
  }
}

function main() {
  if (!existsSync(join(KERNEL_DIR, "kernel.json"))) {
    console.error("flatlab: the kernel is not registered; run `npm install` (or `node scripts/setup.mjs`) first.");
    return 1;
  }
  const app = ["jupyterlab", "notebook"].find((m) => pythonWith(m));
  if (!app) {
    console.error([
      "flatlab: no Python with JupyterLab or the Notebook was found. Install one:",
      "  pip:            pip install jupyterlab",
      "  Debian/Ubuntu:  sudo apt-get install -y jupyter-notebook   (the classic Notebook)",
      "Or open notebooks/ in VS Code and pick the kernel \"TypeScript (flatlab)\" (start VS Code with",
      `JUPYTER_PATH=${jupyterEnv().JUPYTER_PATH} so it finds the kernel).`,
    ].join("\n"));
    return 1;
  }
  const python = pythonWith(app);
  const child = spawn(python, ["-m", app, ...process.argv.slice(2)], { cwd: ROOT, env: jupyterEnv(), stdio: "inherit" });
  // Ctrl-C reaches Jupyter through the terminal; we just wait for it to finish.
  process.on("SIGINT", () => {});
  child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
  return undefined;
}

const status = main();
if (status !== undefined) process.exitCode = status;
