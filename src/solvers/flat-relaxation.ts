/**
 * The flat relaxation of Theorem 3.2 and plain nuclear-norm minimization under one result shape,
 * so an experiment can run "flat" and "plain" alike (Figures 3 and 4, Section 8).
 *
 * Flat (eq. (20) [P prose, formula R]):  X̂ = argmin ‖X‖_*  s.t.  A(D1⁻¹ X D2⁻¹) = b,
 *   with D1, D2 the rescaling matrices of Section 3 (src/problems/rescaling.ts); the estimate of
 *   M♮ is D1⁻¹ X̂ D2⁻¹ (Section 8: success means ‖D1⁻¹X̂D2⁻¹ − M♮‖_F < 1e-6 [P]).
 * Plain: X̂ = argmin ‖X‖_* s.t. A(X) = b; the estimate is X̂ itself and D1 = D2 = I.
 *
 * D1 or D2 singular (completion: a row or column never observed, paper-notes §3 [D]) makes the
 * relaxation undefined; the paper skips such cells in Figure 4 [P]. `onSingular: "skip"` returns
 * a result with skipped: true (no iterate, no NaN) instead of throwing.
 *
 * Normalization: rescalingMatrices uses the loss scale ω = 1/m by default; for the identity map
 * we pass ω = 1, the paper's Section 2 loss ‖LRᵀ − M‖²_F [I], so that D1 = D2 = I. A scalar
 * multiple of D1 or D2 changes X̂ by the same scalar and leaves the estimate unchanged.
 */
import { type Matrix, identity, matmul } from "../linalg/matrix.js";
import { eigh } from "../linalg/eigh.js";
import type { MeasurementOperator } from "../problems/operator.js";
import { rescaledOperator, rescalingMatrices } from "../problems/rescaling.js";
import { checkMatrix, checkNumber, checkOneOf, checkVector } from "../util/validate.js";
import { withTable } from "../util/displayable.js";
import { type NuclearNormMinOptions, type NuclearNormMinResult, checkOperator, nuclearNormMinNamed } from "./nuclear-norm.js";
import type { SolverResult } from "./solver-result.js";

export interface RelaxationOptions extends NuclearNormMinOptions {
  /** Precomputed rescaling matrices (default: rescalingMatrices(A)). Ignored by plainRelaxation. */
  readonly D1?: Matrix;
  readonly D2?: Matrix;
  /** Loss scale ω passed to rescalingMatrices (default 1/m; 1 for the identity map). */
  readonly lossScale?: number;
  /** What a singular D1 or D2 does: "throw" (default) or "skip" (a result with skipped: true). */
  readonly onSingular?: "throw" | "skip";
  /** D counts as singular when its smallest eigenvalue is ≤ singularRtol·largest (default 1e-10). */
  readonly singularRtol?: number;
}

export interface RelaxationResult extends SolverResult {
  readonly program: "flat" | "plain";
  /** True when D1 or D2 was singular and onSingular was "skip": no solve was run. */
  readonly skipped: boolean;
  /** X̂, the relaxation's solution (null when skipped). */
  readonly x: Matrix | null;
  /** The estimate of M♮: D1⁻¹ X̂ D2⁻¹ (flat) or X̂ (plain); null when skipped. */
  readonly estimate: Matrix | null;
  readonly D1: Matrix | null;
  readonly D2: Matrix | null;
  readonly D1inv: Matrix | null;
  readonly D2inv: Matrix | null;
  /** rank of X̂ (0 when skipped). */
  readonly rank: number;
  /** The full solver output (certificate, dual, ρ); null when skipped. */
  readonly solver: NuclearNormMinResult | null;
}

const SINGULAR_MODES = ["throw", "skip"] as const;

/** min ‖X‖_* s.t. A(D1⁻¹XD2⁻¹) = b (Theorem 3.2, eq. (20)); reports X̂ and D1⁻¹X̂D2⁻¹. */
export function flatRelaxation(A: MeasurementOperator, b: ArrayLike<number>, options: RelaxationOptions = {}): RelaxationResult {
  const fn = "flatRelaxation";
  const t0 = performance.now();
  checkOperator(fn, A);
  checkVector(fn, "b", b, A.m);
  const onSingular = options.onSingular === undefined ? "throw" : checkOneOf(fn, "options.onSingular", options.onSingular, SINGULAR_MODES);
  const rtol = options.singularRtol === undefined ? 1e-10 : checkNumber(fn, "options.singularRtol", options.singularRtol, { min: 0 });
  const { d1, d2 } = A;
  let D1: Matrix, D2: Matrix;
  if (options.D1 !== undefined || options.D2 !== undefined) {
    D1 = checkRescalingMatrix(fn, "options.D1", options.D1, d1);
    D2 = checkRescalingMatrix(fn, "options.D2", options.D2, d2);
  } else {
    ({ D1, D2 } = flatRescaling(A, options.lossScale));
  }
  const inv1 = invertRescaling(D1, "D1", "row", A.kind, rtol);
  const inv2 = invertRescaling(D2, "D2", "column", A.kind, rtol);
  const reason = typeof inv1 === "string" ? inv1 : typeof inv2 === "string" ? inv2 : undefined;
  if (reason !== undefined) {
    const message = `${fn}: ${reason}; the relaxation (20) needs invertible D1, D2 (Figure 4 skips such cells: pass onSingular: "skip").`;
    if (onSingular === "throw") throw new RangeError(message);
    return decorate({
      program: "flat", skipped: true, x: null, estimate: null, D1, D2, D1inv: null, D2inv: null, rank: 0, solver: null,
      iterations: 0, primalResidual: [], dualResidual: [], objective: 0, timeMs: performance.now() - t0, converged: false,
      message: `${fn}: skipped: ${reason}.`,
    });
  }
  const D1inv = inv1 as Matrix, D2inv = inv2 as Matrix;
  // A symmetric problem keeps D1 = D2, hence D1inv = D2inv, so the rescaled map stays symmetric.
  const B = rescaledOperator(A, D1inv, A.symmetric && sameMatrix(D1, D2) ? D1inv : D2inv);
  const solver = nuclearNormMinNamed(fn, B, b, options);
  const estimate = matmul(matmul(D1inv, solver.x), D2inv);
  return decorate({
    program: "flat", skipped: false, x: solver.x, estimate, D1, D2, D1inv, D2inv, rank: solver.rank, solver,
    iterations: solver.iterations, primalResidual: solver.primalResidual, dualResidual: solver.dualResidual,
    objective: solver.objective, timeMs: performance.now() - t0, converged: solver.converged, ...(solver.stopped ? { stopped: true } : {}), message: solver.message,
  });
}

/** D1, D2 as flatRelaxation computes them when not given (loss scale ω = 1/m by default; 1 for the identity map). */
export function flatRescaling(A: MeasurementOperator, lossScale?: number): { D1: Matrix; D2: Matrix } {
  return rescalingMatrices(A, { lossScale: lossScale ?? (A.kind === "identity" ? 1 : 1 / A.m) });
}

/** nuclearNormMin under the RelaxationResult shape (D1 = D2 = I, estimate = X̂). */
export function plainRelaxation(A: MeasurementOperator, b: ArrayLike<number>, options: RelaxationOptions = {}): RelaxationResult {
  const t0 = performance.now();
  const solver = nuclearNormMinNamed("plainRelaxation", A, b, options);
  const I1 = identity(A.d1), I2 = identity(A.d2);
  return decorate({
    program: "plain", skipped: false, x: solver.x, estimate: solver.x, D1: I1, D2: I2, D1inv: I1, D2inv: I2, rank: solver.rank, solver,
    iterations: solver.iterations, primalResidual: solver.primalResidual, dualResidual: solver.dualResidual,
    objective: solver.objective, timeMs: performance.now() - t0, converged: solver.converged, ...(solver.stopped ? { stopped: true } : {}), message: solver.message,
  });
}

/**
 * A rescaling matrix given by the caller must be what Section 3 makes: symmetric positive
 * semidefinite (D = (Σ A_i R R ᵀA_iᵀ)^{1/2}-like square roots). Checked here so that D = −I is not
 * reported as "singular" and a non-symmetric D does not fail inside eigh without naming it.
 */
export function checkRescalingMatrix(fn: string, name: string, D: unknown, n: number): Matrix {
  const M = checkMatrix(fn, name, D, n, n), a = M.data;
  let top = 0;
  for (const v of a) top = Math.max(top, Math.abs(v));
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      if (Math.abs(a[i * n + j] - a[j * n + i]) > 1e-8 * top) {
        throw new RangeError(`${fn}: ${name} must be symmetric (a rescaling matrix of Section 3); received entry (${i}, ${j}) = ${a[i * n + j]} but (${j}, ${i}) = ${a[j * n + i]}.`);
      }
    }
  }
  const notPsd = (what: string) => new RangeError(`${fn}: ${name} must be positive semidefinite (a rescaling matrix of Section 3); received one with ${what}.`);
  for (let i = 0; i < n; i++) if (a[i * (n + 1)] < -1e-10 * top) throw notPsd(`diagonal entry (${i}, ${i}) = ${a[i * (n + 1)]}`);
  let diagonal = true;
  for (let i = 0; i < n && diagonal; i++) for (let j = 0; j < n; j++) if (i !== j && a[i * n + j] !== 0) { diagonal = false; break; }
  if (!diagonal) {
    const smallest = eigh(M, { symmetryTol: 1e-8 }).values[0];
    if (smallest < -1e-10 * top) throw notPsd(`smallest eigenvalue ${smallest.toExponential(3)}`);
  }
  return M;
}

/**
 * D⁻¹ for a symmetric PSD rescaling matrix, or the reason it is singular. Diagonal D (completion,
 * identity) names the first unobserved row or column; a general D names its extreme eigenvalues.
 * The inverse is built as V diag(1/λ) Vᵀ from the lower triangle and mirrored, so it is exactly
 * symmetric.
 */
export function invertRescaling(D: Matrix, name: string, line: "row" | "column", kind: string, rtol: number): Matrix | string {
  const n = D.rows;
  let diagonal = true;
  for (let i = 0; i < n && diagonal; i++) for (let j = 0; j < n; j++) if (i !== j && D.data[i * n + j] !== 0) { diagonal = false; break; }
  if (diagonal) {
    let top = 0;
    for (let i = 0; i < n; i++) top = Math.max(top, Math.abs(D.data[i * (n + 1)]));
    const bad: number[] = [];
    for (let i = 0; i < n; i++) if (!(D.data[i * (n + 1)] > rtol * top)) bad.push(i);
    if (bad.length > 0) {
      const which = bad.length === 1 ? `${line} ${bad[0]}` : `${line}s ${bad.slice(0, 5).join(", ")}${bad.length > 5 ? ", …" : ""}`;
      const what = kind === "completion" ? `of the mask ${bad.length === 1 ? "has" : "have"} no observation` : `${bad.length === 1 ? "has" : "have"} a zero diagonal entry`;
      return `${name} is singular (${which} ${what})`;
    }
    const out = new Float64Array(n * n);
    for (let i = 0; i < n; i++) out[i * (n + 1)] = 1 / D.data[i * (n + 1)];
    return { rows: n, cols: n, data: out };
  }
  const { values, vectors } = eigh(D, { symmetryTol: 1e-8 });
  const top = Math.max(Math.abs(values[0]), Math.abs(values[n - 1]));
  if (!(values[0] > rtol * top)) {
    return `${name} is singular (smallest eigenvalue ${values[0].toExponential(2)} ≤ ${rtol}·largest ${top.toExponential(2)})`;
  }
  const V = vectors.data, out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += (V[i * n + k] * V[j * n + k]) / values[k];
      out[i * n + j] = s;
      out[j * n + i] = s;
    }
  }
  return { rows: n, cols: n, data: out };
}

function sameMatrix(a: Matrix, b: Matrix): boolean {
  if (a.rows !== b.rows || a.cols !== b.cols) return false;
  for (let i = 0; i < a.data.length; i++) if (a.data[i] !== b.data[i]) return false;
  return true;
}

function decorate(result: RelaxationResult): RelaxationResult {
  return withTable(result, `${result.program} relaxation`, (r) => [
    ["program", r.program], ["skipped", r.skipped], ["converged", r.converged], ["iterations", r.iterations],
    ["objective ‖X̂‖_*", r.objective], ["rank", r.rank], ["time (ms)", r.timeMs], ["message", r.message],
  ]);
}
