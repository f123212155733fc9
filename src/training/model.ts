/**
 * The factorized loss as an optimizer sees it: f(L, R) = ω‖A(LRᵀ) − b‖² (Section 1.1 [R]; ω = 1/m,
 * the paper's normalization, read from the instance), its gradient, an unbiased minibatch gradient
 * with noisy labels, and the quantities recorded along a run. The paper trains nothing
 * (paper-notes §0, §10 item 10): this module serves our extension, notebook 08.
 *
 * Gradient (the closed form of src/problems/factorized.ts, [D]): with the residual ρ = A(LRᵀ) − b,
 *   ∇_L f = 2ω A*(ρ) R,   ∇_R f = 2ω A*(ρ)ᵀ L.
 * We evaluate it here from one residual so that a step returns the loss it was taken at for free
 * (problem.loss and problem.gradient would each apply A once); the tests check it equals
 * problem.gradient to rounding.
 *
 * Minibatch gradient with label noise (Blanc, Gupta, Valiant, Valiant 2020, arXiv 1904.09080;
 * Damian, Ma, Lee 2021, arXiv 2106.06530): for a batch B of measurements and noisy labels
 * b̃_i = b_i + ε_i, the loss f_B = ω(m/|B|) Σ_{i∈B} (⟨A_i, LRᵀ⟩ − b̃_i)² is unbiased for f (up to a
 * constant), and its gradient is 2ω(m/|B|) (Σ_{i∈B} ρ̃_i A_i) R (and ᵀL for R).
 *
 * Why float64 (Matrix/Float64Array, not tfjs float32): the runs are judged by recovery errors far
 * below 1e-6 and by scaled traces within a few percent of the flat value, and label-noise SGD and
 * SAM move along the minimizer set by small second-order drifts per step that float32 rounding
 * (2^-24 ≈ 6e-8 relative, on every entry, every step) would blur; the closed forms are exact and, in plain
 * JS on these sizes, faster than tfjs autodiff (platform-notes: tens of ms per tfjs gradient step).
 */
import { type Matrix, matmul, matmulNT, matmulTN, frobeniusNorm, sub, norm2 } from "../linalg/matrix.js";
import type { FactorizedInstance } from "../problems/factorized.js";
import type { MeasurementOperator } from "../problems/operator.js";
import type { GaussianOperator } from "../problems/operators.js";
import type { Problem } from "../problems/problem.js";
import { checkFactors } from "../problems/problem.js";
import { checkInteger, fail } from "../util/validate.js";

/** A problem with rectangular factors [L, R] and a linear measurement map (identity, sensing, bilinear, completion). */
export type FactorizedTrainable<I extends FactorizedInstance> = Problem<I, unknown> & { operator(instance: I): MeasurementOperator };

/** One recorded point of a run. */
export interface TrainingMetrics {
  /** f(L, R), the full noiseless loss. */
  readonly loss: number;
  /** str D²f(L, R) in closed form (valid at every point, src/problems/factorized.ts [D]). */
  readonly scaledTrace: number;
  /** ‖LRᵀ − M♮‖_F. */
  readonly recoveryError: number;
  /** ‖LᵀL − RᵀR‖_F (zero for balanced factors, Section 1.2 [P]). */
  readonly imbalance: number;
}

export interface LossAndGradient {
  readonly loss: number;
  readonly gradL: Matrix;
  readonly gradR: Matrix;
}

export interface TrainingModel {
  readonly d1: number;
  readonly d2: number;
  readonly k: number;
  /** Number of measurements. */
  readonly m: number;
  readonly lossScale: number;
  /** f and ∇f at (L, R), from one residual. */
  lossAndGradient(L: Matrix, R: Matrix): LossAndGradient;
  /**
   * The gradient of f_B with labels b_i + noise[j] for i = batch[j]; `loss` is the noiseless
   * minibatch estimate ω(m/|B|) Σ_{i∈B} ρ_i² of f (what a run watches for divergence).
   */
  minibatchGradient(L: Matrix, R: Matrix, batch: Int32Array, noise: Float64Array): LossAndGradient;
  metrics(L: Matrix, R: Matrix): TrainingMetrics;
}

export interface TrainingModelOptions {
  /**
   * Largest m·d1·d2 for which the A_i are held densely to make minibatch gradients cost O(|B|·d1·d2)
   * (default 2^22 entries, 32 MB); above it a minibatch gradient masks a full residual (O(m·d1·d2)).
   * The Gaussian ensemble is dense already and never copied.
   */
  readonly denseLimit?: number;
}

/** Builds the model of one instance (checks the instance; caches the measurement rows). */
export function trainingModel<I extends FactorizedInstance>(problem: FactorizedTrainable<I>, instance: I, options: TrainingModelOptions = {}): TrainingModel {
  const fn = "trainingModel";
  if (typeof problem !== "object" || problem === null || typeof problem.operator !== "function" || typeof problem.scaledHessianTrace !== "function") {
    fail(fn, "problem", "a factorized problem with operator() and scaledHessianTrace() (e.g. sensingProblem)", problem, TypeError);
  }
  if (typeof instance !== "object" || instance === null || !(instance.b instanceof Float64Array)) {
    fail(fn, "instance", `an instance of ${problem.name} (from ${problem.name}Problem.generate)`, instance, TypeError);
  }
  const denseLimit = options.denseLimit === undefined ? 2 ** 22 : checkInteger(fn, "options.denseLimit", options.denseLimit, 0);
  const A = problem.operator(instance);
  const { d1, d2, k, lossScale: kappa, truth, b } = instance;
  const m = A.m;
  const rows = denseRows(A, denseLimit);

  const residual = (L: Matrix, R: Matrix): Float64Array => {
    const y = A.apply(matmulNT(L, R));
    for (let i = 0; i < m; i++) y[i] -= b[i];
    return y;
  };
  const factorGradients = (Z: Matrix, L: Matrix, R: Matrix, c: number) => ({ gradL: scaleInPlace(matmul(Z, R), c), gradR: scaleInPlace(matmulTN(Z, L), c) });

  return {
    d1, d2, k, m, lossScale: kappa,
    lossAndGradient(L, R) {
      const rho = residual(L, R);
      return { loss: kappa * norm2(rho) ** 2, ...factorGradients(A.adjoint(rho), L, R, 2 * kappa) };
    },
    minibatchGradient(L, R, batch, noise) {
      const nb = batch.length;
      const c = (kappa * m) / nb;
      let loss = 0;
      if (rows !== null) {
        // ρ_i = ⟨A_i, LRᵀ⟩ − b_i on the batch only; Z = Σ_j (ρ_i − ε_j) A_i.
        const X = matmulNT(L, R).data, n = d1 * d2;
        const Z = { rows: d1, cols: d2, data: new Float64Array(n) };
        for (let j = 0; j < nb; j++) {
          const i = batch[j], off = i * n;
          let s = 0;
          for (let q = 0; q < n; q++) s += rows[off + q] * X[q];
          const r = s - b[i];
          loss += r * r;
          const w = r - noise[j];
          for (let q = 0; q < n; q++) Z.data[q] += w * rows[off + q];
        }
        return { loss: c * loss, ...factorGradients(Z, L, R, 2 * c) };
      }
      const rho = residual(L, R);
      const masked = new Float64Array(m);
      for (let j = 0; j < nb; j++) {
        const i = batch[j];
        loss += rho[i] * rho[i];
        masked[i] += rho[i] - noise[j];
      }
      return { loss: c * loss, ...factorGradients(A.adjoint(masked), L, R, 2 * c) };
    },
    metrics(L, R) {
      return {
        loss: kappa * norm2(residual(L, R)) ** 2,
        scaledTrace: problem.scaledHessianTrace(instance, [L, R]),
        recoveryError: frobeniusNorm(sub(matmulNT(L, R), truth)),
        imbalance: frobeniusNorm(sub(matmulTN(L, L), matmulTN(R, R))),
      };
    },
  };
}

/** Checks [L, R] against an instance's shapes (messages name `arg`[0], `arg`[1]). */
export function checkTrainingFactors(fn: string, arg: string, factors: unknown, model: TrainingModel): [Matrix, Matrix] {
  return checkFactors(fn, arg, factors, [[model.d1, model.k], [model.d2, model.k]]) as [Matrix, Matrix];
}

/** vec(A_i) for every i as one m·(d1·d2) array (row-major A_i), or null when over the limit. */
function denseRows(A: MeasurementOperator, limit: number): Float64Array | null {
  if (A.kind === "gaussian") return (A as GaussianOperator).rows.data;
  const n = A.d1 * A.d2;
  if (A.m * n > limit) return null;
  // A_i = A*(e_i): one adjoint per measurement, once per instance.
  const out = new Float64Array(A.m * n);
  const e = new Float64Array(A.m);
  for (let i = 0; i < A.m; i++) {
    e[i] = 1;
    out.set(A.adjoint(e).data, i * n);
    e[i] = 0;
  }
  return out;
}

function scaleInPlace(a: Matrix, c: number): Matrix {
  for (let i = 0; i < a.data.length; i++) a.data[i] *= c;
  return a;
}
