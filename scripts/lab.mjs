#!/usr/bin/env node
// `npm run lab [-- jupyter options]`: opens JupyterLab (or the classic Notebook) on the project
// with JUPYTER_PATH pointing at the project-local flatlab kernel, so "TypeScript (flatlab)" is
// in the kernel list without touching the user's global Jupyter. FLATLAB_JUPYTER_APP=notebook (or
// jupyterlab) picks one when both are installed. Arguments after `--` go to Jupyter unchanged.
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

const APPS = ["jupyterlab", "notebook"];

function main() {
  if (!existsSync(join(KERNEL_DIR, "kernel.json"))) {
    console.error("flatlab: the kernel is not registered; run `npm install` (or `node scripts/setup.mjs`) first.");
    return 1;
  }
  const wanted = process.env.FLATLAB_JUPYTER_APP?.trim();
  if (wanted && !APPS.includes(wanted)) {
    console.error(`flatlab: FLATLAB_JUPYTER_APP must be one of ${APPS.map((a) => JSON.stringify(a)).join(", ")}; received ${JSON.stringify(wanted)}.`);
    return 2;
  }
  const app = (wanted ? [wanted] : APPS).find((m) => pythonWith(m));
  if (!app) {
    console.error([
      "flatlab: no Python with JupyterLab or the Notebook was found. Install one:",
      "  pip:            pip install jupyterlab",
      "  Debian/Ubuntu:  sh scripts/install.sh   (installs python3-notebook, the classic Notebook, among others)",
      "Or open notebooks/ in VS Code and pick the kernel \"TypeScript (flatlab)\" (start VS Code with",
      `JUPYTER_PATH=${jupyterEnv().JUPYTER_PATH} so it finds the kernel).`,
    ].join("\n"));
    return 1;
  }
  const python = pythonWith(app);
  const args = process.argv.slice(2);
  // JupyterLab and the Notebook exit at once for root ("Running as root is not recommended. Use
  // --allow-root"); a root shell (a container, a fresh Debian without sudo) is a normal place to
  // run this, so say so and pass the flag.
  if (process.getuid?.() === 0 && !args.includes("--allow-root")) {
    args.push("--allow-root");
    console.log("flatlab: running as root, so passing --allow-root to Jupyter.");
  }
  console.log(`flatlab: starting ${python} -m ${app} ${args.join(" ")}`.trimEnd());
  const child = spawn(python, ["-m", app, ...args], { cwd: ROOT, env: jupyterEnv(), stdio: "inherit" });
  // Ctrl-C reaches Jupyter through the terminal; we just wait for it to finish. A SIGTERM or
  // SIGHUP sent to this process alone (a test, a service manager) is passed on, so no server is
  // left running without its parent.
  process.on("SIGINT", () => {});
  for (const signal of ["SIGTERM", "SIGHUP"]) process.on(signal, () => child.kill(signal));
  child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
  return undefined;
}

const status = main();
if (status !== undefined) process.exitCode = status;
