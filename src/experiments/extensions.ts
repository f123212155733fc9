/**
 * Trials of our own experiments, where the paper has none (Sections 6 and 9; paper-notes §4, §6).
 *
 * robustPcaTrial: Y = M♮ + S♮ with at most l corruptions in each row and column; flat solutions are
 * the norm-minimal ones of min ‖X‖_* s.t. ‖Y − X‖_{1,1} ≤ ‖S♮‖_{1,1} (the oracle radius of the
 * paper's formulation [P]; our consequence [D]). Success: ‖X̂ − M♮‖_F < 1e-6 as in Section 8.
 *
 * depthTrial: a sparse x♮ (r nonzeros, ‖x♮‖ = 1), b = A x♮ with Gaussian A; for each depth k the
 * flat solution min Σ D_ll²|x_l|^{2−2/k} s.t. Ax = b [D] on the SAME data, so depths are compared
 * draw by draw. Success: ‖x̂ − x♮‖ < 1e-6.
 */
import { frobeniusNorm, norm2, sub } from "../linalg/matrix.js";
import { hadamardProblem } from "../problems/hadamard.js";
import { robustPcaProblem } from "../problems/robust-pca.js";
import { robustPcaRelaxation } from "../solvers/robust-pca.js";
import { depthFlatSolution } from "../solvers/depth.js";
import { checkInteger, checkNumber, fail } from "../util/validate.js";
import { checkKeys } from "./tasks.js";
import type { Cell } from "./grid.js";
import { SUCCESS_TOL } from "./recovery.js";

/** Solver settings shared by both tasks: tol > 0 (default 1e-9), maxIter ≥ 1 (default the solver's). */
function checkSolverSettings(fn: string, settings: Record<string, unknown>, where: string, keys: readonly string[]): { tol: number; maxIter: number | undefined } {
  if (typeof settings !== "object" || settings === null) fail(fn, where, "an object", settings, TypeError);
  checkKeys(fn, where, settings, keys);
  return {
    tol: settings.tol === undefined ? 1e-9 : checkNumber(fn, `${where}.tol`, settings.tol, { min: 0, minExclusive: true }),
    maxIter: settings.maxIter === undefined ? undefined : checkInteger(fn, `${where}.maxIter`, settings.maxIter, 1),
  };
}

/** Checks a robust-PCA cell {d, r, l} and its settings {tol, maxIter}. */
export function checkRobustPcaJob(fn: string, cell: Cell, settings: Record<string, unknown>, where = "settings") {
  if (typeof cell !== "object" || cell === null) fail(fn, "cell", "an object {d, r, l}", cell, TypeError);
  checkKeys(fn, "cell", cell, ["d", "r", "l"]);
  const d = checkInteger(fn, "cell.d", cell.d, 1), r = checkInteger(fn, "cell.r", cell.r, 1, d), l = checkInteger(fn, "cell.l", cell.l, 0, d);
  return { d, r, l, ...checkSolverSettings(fn, settings, where, ["tol", "maxIter"]) };
}

/** Checks a depth cell {d, r, m} and its settings {depths, tol, maxIter}. */
export function checkDepthJob(fn: string, cell: Cell, settings: Record<string, unknown>, where = "settings") {
  if (typeof cell !== "object" || cell === null) fail(fn, "cell", "an object {d, r, m}", cell, TypeError);
  checkKeys(fn, "cell", cell, ["d", "r", "m"]);
  const d = checkInteger(fn, "cell.d", cell.d, 1), r = checkInteger(fn, "cell.r", cell.r, 1, d), m = checkInteger(fn, "cell.m", cell.m, 1);
  const solver = checkSolverSettings(fn, settings, where, ["depths", "tol", "maxIter"]);
  let depths = [2, 3, 4];
  if (settings.depths !== undefined) {
    if (!Array.isArray(settings.depths) || settings.depths.length === 0) fail(fn, `${where}.depths`, "a non-empty array of integers ≥ 2", settings.depths, TypeError);
    depths = settings.depths.map((k, i) => checkInteger(fn, `${where}.depths[${i}]`, k, 2));
    if (new Set(depths).size !== depths.length) fail(fn, `${where}.depths`, "distinct depths", settings.depths);
  }
  return { d, r, m, depths, ...solver };
}

export function robustPcaTrial(cell: Cell, _trial: number, seed: number, settings: Record<string, unknown>) {
  const { d, r, l, tol, maxIter } = checkRobustPcaJob("robustPcaTrial", cell, settings);
  const inst = robustPcaProblem.generate({ d1: d, d2: d, r, l, seed });
  const res = robustPcaRelaxation(inst.observed, inst.radius, { tol, maxIter });
  const error = frobeniusNorm(sub(res.x, inst.truth));
  return {
    corruptions: countNonzeros(inst.sparse.data), error, success: error < SUCCESS_TOL ? 1 : 0,
    rank: res.rank, iterations: res.iterations, converged: res.converged, timeMs: res.timeMs,
  };
}

export function depthTrial(cell: Cell, _trial: number, seed: number, settings: Record<string, unknown>) {
  const { d, r, m, depths, tol, maxIter } = checkDepthJob("depthTrial", cell, settings);
  // The data do not depend on k: draw them once (k only shapes the factor list of the instance).
  const inst = hadamardProblem.generate({ d, r, k: 2, m, seed });
  return depths.map((k) => {
    const res = depthFlatSolution(inst.A, inst.b, k, undefined, { tol, maxIter });
    const diff = new Float64Array(d);
    for (let i = 0; i < d; i++) diff[i] = res.x[i] - inst.truth[i];
    const error = norm2(diff);
    return { k, q: res.q, error, success: error < SUCCESS_TOL ? 1 : 0, support: res.support, iterations: res.iterations, converged: res.converged, timeMs: res.timeMs };
  });
}

function countNonzeros(x: Float64Array): number {
  let n = 0;
  for (const v of x) if (v !== 0) n++;
  return n;
}
