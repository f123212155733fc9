/**
 * flatlab: flat minima in low-rank matrix recovery.
 * Ding, Drusvyatskiy, Fazel, Harchaoui, "Flat minima generalize for low-rank matrix recovery",
 * arXiv 2203.03756. The public surface: re-exports only.
 */
export * as linalg from "./linalg/index.js";
export * from "./random/rng.js";
export { runMode, notebookParams, runSettings, MODES, type Mode } from "./util/mode.js";
export { setMemoryLimit, memoryLimit } from "./util/memory.js";
export { withTable, withWideTable, tableBundle, table, markdown, assertClaim, JUPYTER_DISPLAY, type MimeBundle, type Displayable } from "./util/displayable.js";
export { tf, selectBackend, backendInfo, BACKEND_NAMES, type BackendName, type BackendInfo } from "./tf/index.js";
export * from "./theory/index.js";
export * from "./problems/index.js";
export * from "./solvers/index.js";
export * from "./flatness/index.js";
export * from "./experiments/index.js";
export * from "./figures/index.js";
export * from "./display/index.js";
export * from "./training/index.js";
