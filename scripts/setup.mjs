#!/usr/bin/env node
// Set-up run by `npm install` / `npm ci` (the root package's lifecycle script): builds the library
// when dist/ is missing or stale, then registers the flatlab Jupyter kernel project-locally
// (.jupyter/share/jupyter/kernels/flatlab/kernel.json, used through JUPYTER_PATH; the user's
// global Jupyter is untouched). Without Jupyter it removes any stale kernelspec, prints what to
// install and still succeeds: the library itself works without Jupyter; `npm run reproduce`
// fails later with the same message.
import { relative } from "node:path";
import {
  ROOT, ensureBuilt, findPython, INSTALL_HELP, JUPYTER_DATA_DIR, JupyterMissingError, missingModules,
  removeKernelSpec, RUNNER_MODULES, writeKernelSpec,
} from "./jupyter-env.mjs";

function main() {
  try {
    ensureBuilt();
  } catch (e) {
    console.error(e.message);
    return 1;
  }
  let python;
  try {
    python = findPython(["jupyter_client"]);
  } catch (e) {
    if (!(e instanceof JupyterMissingError)) throw e;
    const removed = removeKernelSpec();
    console.warn(`${e.message}\nThe flatlab library is installed and usable from Node without Jupyter; the kernel was not registered${removed ? " (a stale kernelspec was removed)" : ""}.`);
    return 0;
  }
  const file = writeKernelSpec();
  console.log(`flatlab: registered the Jupyter kernel "TypeScript (flatlab)" in ${relative(ROOT, file)} (Python with Jupyter: ${python}).`);
  console.log(`         It is project-local: start Jupyter with \`npm run lab\`, or set JUPYTER_PATH=${JUPYTER_DATA_DIR}.`);
  const missing = missingModules(python, RUNNER_MODULES) ?? RUNNER_MODULES;
  if (missing.length > 0) console.warn(`flatlab: ${python} lacks ${missing.join(", ")}, which \`npm run reproduce\` needs.\n${INSTALL_HELP}`);
  return 0;
}

process.exitCode = main();
