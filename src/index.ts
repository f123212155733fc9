/**
 * flatlab: flat minima in low-rank matrix recovery.
 * Ding, Drusvyatskiy, Fazel, Harchaoui, "Flat minima generalize for low-rank matrix recovery",
 * arXiv 2203.03756. The public surface: re-exports only.
 */
export * as linalg from "./linalg/index.js";
export * from "./random/rng.js";
export type { MeasurementOperator } from "./problems/operator.js";
export { runMode, notebookParams, MODES, type Mode } from "./util/mode.js";
export { withTable, tableBundle, table, markdown, assertClaim, JUPYTER_DISPLAY, type MimeBundle, type Displayable } from "./util/displayable.js";
export * from "./figures/index.js";
export * from "./display/index.js";
