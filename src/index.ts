/**
 * flatlab: flat minima in low-rank matrix recovery.
 * Ding, Drusvyatskiy, Fazel, Harchaoui, "Flat minima generalize for low-rank matrix recovery",
 * arXiv 2203.03756. The public surface: re-exports only.
 */
export * as linalg from "./linalg/index.js";
export * from "./random/rng.js";
export type { MeasurementOperator } from "./problems/operator.js";
