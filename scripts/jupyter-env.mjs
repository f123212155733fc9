// Where flatlab meets Jupyter on this machine: the Python that has Jupyter's client libraries,
// the project-local kernelspec, the build of the library, atomic writes. Shared by setup.mjs,
// reproduce.mjs, lab.mjs and the kernel tests. Nothing here touches the user's global Jupyter:
// the kernelspec lives in <project>/.jupyter/share/jupyter and is found through JUPYTER_PATH.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
export const KERNEL_NAME = "flatlab";
/** The project's Jupyter data folder (FLATLAB_JUPYTER_DIR moves it, for tests). */
export const JUPYTER_DATA_DIR = process.env.FLATLAB_JUPYTER_DIR ? resolve(process.env.FLATLAB_JUPYTER_DIR) : join(ROOT, ".jupyter", "share", "jupyter");
export const KERNEL_DIR = join(JUPYTER_DATA_DIR, "kernels", KERNEL_NAME);
export const LAUNCHER = join(ROOT, "dist", "kernel", "launcher.js");

/** Python modules the notebook runner needs (jupyter_client alone is enough for the kernelspec). */
export const RUNNER_MODULES = ["jupyter_client", "nbclient", "nbformat"];

export const INSTALL_HELP = [
  "Install Jupyter's client and notebook runner, then run `npm install` (or `node scripts/setup.mjs`) again:",
  "  Debian/Ubuntu:  sh scripts/install.sh   (the Debian packages flatlab needs, then npm ci)",
  "  pip:            pip install nbclient nbconvert jupyter_client",
  "To use a particular Python, set FLATLAB_PYTHON=/path/to/python3.",
].join("\n");

export class JupyterMissingError extends Error {
  constructor(detail) {
    super(`flatlab: no Python with Jupyter was found (${detail}).\n${INSTALL_HELP}`);
    this.name = "JupyterMissingError";
  }
}

/** The Python modules among `modules` that `python` cannot import, or null when it cannot run. */
export function missingModules(python, modules = RUNNER_MODULES) {
  const code = `import importlib.util, json; print(json.dumps([m for m in ${JSON.stringify(modules)} if importlib.util.find_spec(m) is None]))`;
  const r = spawnSync(python, ["-c", code], { encoding: "utf8", timeout: 30_000 });
  if (r.error || r.status !== 0) return null;
  try {
    return JSON.parse(r.stdout.trim().split("\n").pop());
  } catch {
    return null;
  }
}

/**
 * The Python to run Jupyter with: FLATLAB_PYTHON if set (and then only it), else `python3` on
 * PATH, else /usr/bin/python3; the first that imports every module of `modules`. Throws
 * JupyterMissingError naming what each candidate lacks.
 */
export function findPython(modules = RUNNER_MODULES, env = process.env) {
  const candidates = env.FLATLAB_PYTHON ? [env.FLATLAB_PYTHON] : ["python3", "/usr/bin/python3"];
  const tried = [];
  for (const python of candidates) {
    const missing = missingModules(python, modules);
    if (missing === null) tried.push(`${python}: cannot be run`);
    else if (missing.length > 0) tried.push(`${python}: lacks ${missing.join(", ")}`);
    else return python;
  }
  throw new JupyterMissingError(`${env.FLATLAB_PYTHON ? "FLATLAB_PYTHON=" : "tried "}${tried.join("; ")}`);
}

/** The environment with the project's Jupyter data folder first on JUPYTER_PATH. */
export function jupyterEnv(env = process.env, extra = {}) {
  const path = [JUPYTER_DATA_DIR, ...(env.JUPYTER_PATH ? env.JUPYTER_PATH.split(":").filter((p) => p && p !== JUPYTER_DATA_DIR) : [])];
  return { ...env, JUPYTER_PATH: path.join(":"), ...extra };
}

/** The kernelspec of the flatlab kernel: tslab's kernel started through our launcher. */
export function kernelSpec(node = process.execPath, launcher = LAUNCHER) {
  return {
    argv: [node, launcher, "{connection_file}"],
    display_name: "TypeScript (flatlab)",
    language: "typescript",
    interrupt_mode: "signal",
    metadata: { flatlab: { launcher } },
  };
}

/** Writes a file through a temporary sibling and a rename, so readers never see half a file. */
export function writeFileAtomic(file, data) {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}-${Date.now()}`;
  try {
    writeFileSync(tmp, data);
    renameSync(tmp, file);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}

/** Writes <dir>/kernels/flatlab/kernel.json atomically; returns its path. */
export function writeKernelSpec(dataDir = JUPYTER_DATA_DIR, spec = kernelSpec()) {
  const file = join(dataDir, "kernels", KERNEL_NAME, "kernel.json");
  writeFileAtomic(file, JSON.stringify(spec, null, 2) + "\n");
  return file;
}

export function removeKernelSpec(dataDir = JUPYTER_DATA_DIR) {
  const dir = join(dataDir, "kernels", KERNEL_NAME);
  const existed = existsSync(dir);
  rmSync(dir, { recursive: true, force: true });
  return existed;
}

function newestMtime(path) {
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const name of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, name)));
  return newest;
}

/** True when dist is missing or older than src/ or tsconfig.json. */
export function buildIsStale(root = ROOT) {
  const marker = join(root, "dist", "index.js");
  if (!existsSync(marker) || !existsSync(join(root, "dist", "kernel", "launcher.js"))) return true;
  const built = statSync(marker).mtimeMs;
  return newestMtime(join(root, "src")) > built || statSync(join(root, "tsconfig.json")).mtimeMs > built;
}

/** Builds the library with the project's own tsc when dist is missing or stale. */
export function ensureBuilt(root = ROOT, log = console.log) {
  if (!buildIsStale(root)) return false;
  let tsc;
  try {
    tsc = createRequire(join(root, "package.json")).resolve("typescript/bin/tsc");
  } catch {
    throw new Error("flatlab: dist/ is missing or out of date and TypeScript is not installed to build it; run `npm install` (with dev dependencies).");
  }
  log("flatlab: building the library (tsc -p tsconfig.json) ...");
  const r = spawnSync(process.execPath, [tsc, "-p", join(root, "tsconfig.json")], { cwd: root, stdio: "inherit" });
  if (r.status !== 0) throw new Error(`flatlab: the build failed (tsc exited with ${r.status ?? r.signal}).`);
  return true;
}
