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
import { checkInteger } from "../util/validate.js";
import type { Cell } from "./grid.js";
import { SUCCESS_TOL } from "./recovery.js";

export function robustPcaTrial(cell: Cell, _trial: number, seed: number, settings: Record<string, unknown>) {
  const fn = "robustPcaTrial";
  const d = checkInteger(fn, "cell.d", cell.d, 1), r = checkInteger(fn, "cell.r", cell.r, 1, d), l = checkInteger(fn, "cell.l", cell.l, 0, d);
  const inst = robustPcaProblem.generate({ d1: d, d2: d, r, l, seed });
  const res = robustPcaRelaxation(inst.observed, inst.radius, { tol: Number(settings.tol ?? 1e-9), maxIter: settings.maxIter as number | undefined });
  const error = frobeniusNorm(sub(res.x, inst.truth));
  return {
    corruptions: countNonzeros(inst.sparse.data), error, success: error < SUCCESS_TOL ? 1 : 0,
    rank: res.rank, iterations: res.iterations, converged: res.converged, timeMs: res.timeMs,
  };
}

export function depthTrial(cell: Cell, _trial: number, seed: number, settings: Record<string, unknown>) {
  const fn = "depthTrial";
  const d = checkInteger(fn, "cell.d", cell.d, 1), r = checkInteger(fn, "cell.r", cell.r, 1, d), m = checkInteger(fn, "cell.m", cell.m, 1);
  const depths = (settings.depths as number[] | undefined) ?? [2, 3, 4];
  // The data do not depend on k: draw them once (k only shapes the factor list of the instance).
  const inst = hadamardProblem.generate({ d, r, k: 2, m, seed });
  return depths.map((k) => {
    const res = depthFlatSolution(inst.A, inst.b, k, undefined, { tol: Number(settings.tol ?? 1e-9), maxIter: settings.maxIter as number | undefined });
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
