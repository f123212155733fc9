/**
 * The shape every problem module of the paper exposes (Sections 2, 4–7, 9), so notebooks and tests
 * treat them alike: a seeded generator returning a plain instance, the loss with the paper's
 * normalization, its float64 gradient and closed-form Hessian quadratic form, the closed-form plain
 * and scaled Hessian traces, the rescaling matrices, a minimizer check, a tfjs loss for autodiff and
 * versioned JSON.
 *
 * Factors are always a list of matrices: [L, R] (d1×k, d2×k) for the factorized problems, [U]
 * (d×k) for the quadratic network, [v1, …, vk] as d×1 columns for the depth model. The tfjs loss
 * takes tensors of the same shapes in the same order.
 */
import type * as tf from "@tensorflow/tfjs";
import type { Matrix } from "../linalg/matrix.js";
import { fail, checkMatrix } from "../util/validate.js";
import type { RescalingMatrices } from "./rescaling.js";

/** A tfjs loss over a params list; `dispose()` frees the constant tensors it holds (the data). */
export type TfLoss = ((params: tf.Tensor[]) => tf.Scalar) & { dispose(): void };

export interface Problem<I, O> {
  /** Short name, e.g. "sensing". */
  readonly name: string;
  /** JSON schema tag "flatlab.<name>". */
  readonly schema: string;
  /** The paper's flatness measure for this problem: the scaled trace (L, R problems) or the plain trace (symmetric ones). */
  readonly flatnessMeasure: "scaled-trace" | "trace";
  generate(options: O): I;
  /** f at the factors. */
  loss(instance: I, factors: readonly Matrix[]): number;
  /** ∇f, one matrix per factor. */
  gradient(instance: I, factors: readonly Matrix[]): Matrix[];
  /** The Hessian quadratic form D²f(factors)[direction, direction], at any point. */
  hessianForm(instance: I, factors: readonly Matrix[], direction: readonly Matrix[]): number;
  /** tr D²f at any point, in closed form. */
  hessianTrace(instance: I, factors: readonly Matrix[]): number;
  /** Σ_blocks (1/rows of the block)·(diagonal sum of the block): str of Section 1.3 for [L, R]. */
  scaledHessianTrace(instance: I, factors: readonly Matrix[]): number;
  /** Block weights of the scaled trace, one per factor (1/d1, 1/d2 for [L, R]). */
  scaledTraceWeights(instance: I): number[];
  /** D1, D2 with str = 2‖D1L‖² + 2‖D2R‖² on the minimizer set (D1 = D2 = D for symmetric problems). */
  rescaling(instance: I): RescalingMatrices;
  /** Whether the factors reach zero loss: measurement residual ≤ tol·max(1, ‖b‖) (default tol 1e-8). */
  isMinimizer(instance: I, factors: readonly Matrix[], tol?: number): boolean;
  /** A minimizer built from the ground truth: balanced factors, zero-padded to the instance's width. */
  minimizer(instance: I): Matrix[];
  /** The loss in tfjs (float32) for autodiff; robust PCA needs the base point of its local model. */
  tfLoss(instance: I, base?: readonly Matrix[]): TfLoss;
  toJSON(instance: I): Record<string, unknown>;
  fromJSON(json: unknown): I;
}

/** Checks a factor list against expected shapes; messages name factors[i]. */
export function checkFactors(fn: string, arg: string, factors: unknown, shapes: readonly (readonly [number, number])[]): Matrix[] {
  if (!Array.isArray(factors)) fail(fn, arg, `a list of ${shapes.length} matrices`, factors, TypeError);
  if (factors.length !== shapes.length) fail(fn, `${arg}.length`, `${shapes.length}`, factors.length);
  return shapes.map(([r, c], i) => checkMatrix(fn, `${arg}[${i}]`, factors[i], r, c));
}

/** Divides by the scale only where needed: ‖x‖ ≤ tol·max(1, ‖b‖). */
export function residualSmall(residualNorm: number, bNorm: number, tol: number): boolean {
  return residualNorm <= tol * Math.max(1, bNorm);
}
