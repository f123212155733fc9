/**
 * Robust PCA relaxation, Section 6 [P prose, formula D]: flat solutions of
 * f(L, R) = dist²_Ω(Y − LRᵀ), Ω = {S : ‖S‖_{1,1} ≤ ‖S♮‖_{1,1}}, are norm-minimal, so they solve
 *     min ‖X‖_*  s.t.  ‖Y − X‖_{1,1} ≤ radius,   radius = ‖S♮‖_{1,1} (oracle knowledge, as in the paper).
 *
 * Method (our choice; the paper runs no robust PCA experiment [P]): two-block ADMM on
 *     min ‖X‖_* + ι{‖S‖₁ ≤ radius}(S)   s.t.  X + S = Y
 * (Boyd et al. 2011, §3.1 with over-relaxation §3.4.3), scaled dual U:
 *     X ← SVT_{1/ρ}(Y − S − U),  X̃ ← αX + (1 − α)(Y − S),
 *     S ← P_Ω(Y − X̃ − U)         (ℓ1-ball projection, Duchi et al. 2008),
 *     U ← U + X̃ + S − Y.
 * Residuals: primal ‖X + S − Y‖/max(‖X‖, ‖S‖, ‖Y‖), dual ρ‖S − S_prev‖/‖ρU‖; ρ rebalanced as in
 * nuclear-norm.ts.
 */
import { type Matrix } from "../linalg/matrix.js";
import { singularValues } from "../linalg/svd.js";
import { checkMatrix, checkNumber } from "../util/validate.js";
import { withTable } from "../util/displayable.js";
import { projectL1BallInto } from "../problems/l1-ball.js";
import { singularValueThreshold } from "./prox.js";
import { IterationMonitor, type SolverOptions, type SolverResult, checkIterate, checkSolverOptions, stopMessage } from "./solver-result.js";

export interface RobustPcaResult extends SolverResult {
  /** X̂, exactly low rank (singular value thresholding output). */
  readonly x: Matrix;
  /** Ŝ with ‖Ŝ‖₁ ≤ radius and X̂ + Ŝ ≈ Y. */
  readonly s: Matrix;
  readonly rank: number;
  /** ‖Y − X̂‖_{1,1} (≤ radius up to the primal residual). */
  readonly l1Distance: number;
  readonly rho: number;
}


/** min ‖X‖_* s.t. ‖Y − X‖_{1,1} ≤ radius (Section 6). */
export function robustPcaRelaxation(Y: Matrix, radius: number, options: SolverOptions = {}): RobustPcaResult {
  const fn = "robustPcaRelaxation";
  const t0 = performance.now();
  checkMatrix(fn, "Y", Y);
  checkNumber(fn, "radius", radius, { min: 0 });
  const opts = checkSolverOptions(fn, options);
  const { rows: d1, cols: d2 } = Y;
  const n = d1 * d2, y = Y.data;
  const X = new Float64Array(n), S = new Float64Array(n), U = new Float64Array(n), Z = new Float64Array(n), prevS = new Float64Array(n);
  const zMat: Matrix = { rows: d1, cols: d2, data: Z };
  const top = singularValues(Y)[0] ?? 0;
  let rho = opts.rho ?? 5 / Math.max(top, 1e-300);
  const rho0 = rho;
  const monitor = new IterationMonitor(opts, rho0);
  const alpha = opts.relaxation;
  let primal = Infinity, dual = Infinity, objective = 0, rank = 0, converged = false, iteration = 0;
  let yNorm = 0;
  for (let i = 0; i < n; i++) yNorm += y[i] * y[i];
  yNorm = Math.sqrt(yNorm);
  if (yNorm === 0 || top === 0) converged = true;
  while (!converged && iteration < opts.maxIter) {
    iteration++;
    for (let i = 0; i < n; i++) Z[i] = y[i] - S[i] - U[i];
    checkIterate(fn, Z, iteration);
    const t = singularValueThreshold(zMat, 1 / rho, X);
    rank = t.rank;
    objective = t.nuclearNorm;
    for (let i = 0; i < n; i++) {
      const xh = alpha * X[i] + (1 - alpha) * (y[i] - S[i]);
      Z[i] = xh; // keep X̃ for the dual update
      prevS[i] = S[i];
      S[i] = y[i] - xh - U[i];
    }
    projectL1BallInto(S, radius, S);
    let rr = 0, ds = 0, xx = 0, ss = 0, uu = 0;
    for (let i = 0; i < n; i++) {
      const u = U[i] + Z[i] + S[i] - y[i];
      U[i] = u;
      const r = X[i] + S[i] - y[i];
      rr += r * r;
      ds += (S[i] - prevS[i]) ** 2;
      xx += X[i] * X[i];
      ss += S[i] * S[i];
      uu += u * u;
    }
    primal = Math.sqrt(rr) / Math.max(Math.sqrt(Math.max(xx, ss)), yNorm);
    // W = ρU is a subgradient of ‖·‖_* at X̂; it vanishes when the ℓ1 constraint is inactive
    // (X̂ = 0), hence the floor 1 (the scale of a nuclear-norm subgradient, invariant under scaling Y).
    dual = (rho * Math.sqrt(ds)) / Math.max(rho * Math.sqrt(uu), 1);
    const step = monitor.step(iteration, primal, dual, objective, rho);
    if (step.converged) { converged = true; break; }
    if (step.rescale !== 1) {
      rho *= step.rescale;
      for (let i = 0; i < n; i++) U[i] /= step.rescale;
    }
  }
  if (yNorm === 0 || top === 0) { primal = 0; dual = 0; }
  let l1 = 0;
  for (let i = 0; i < n; i++) l1 += Math.abs(y[i] - X[i]);
  const result: RobustPcaResult = {
    x: { rows: d1, cols: d2, data: X }, s: { rows: d1, cols: d2, data: S }, rank, l1Distance: l1, rho,
    iterations: iteration, primalResidual: monitor.primalHistory, dualResidual: monitor.dualHistory, objective,
    timeMs: performance.now() - t0, converged, message: stopMessage(fn, converged, iteration, primal, dual, opts.tol),
  };
  return withTable(result, "robust PCA relaxation (Section 6)", (r) => [
    ["converged", r.converged], ["iterations", r.iterations], ["objective ‖X̂‖_*", r.objective], ["rank", r.rank],
    ["‖Y − X̂‖₁", r.l1Distance], ["time (ms)", r.timeMs],
  ]);
}
