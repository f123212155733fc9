/**
 * Exact Hessian traces from Hessian-vector products on the basis vectors (batched), and the
 * paper's scaled trace (paper-notes §1.3 [P + R]):
 *
 *   str(D²f(L,R)) = (1/d1) Σ_{L entries} D²f[e_i e_jᵀ] + (1/d2) Σ_{R entries} D²f[e_i e_jᵀ],
 *
 * i.e. the diagonal of the Hessian weighted 1/d1 on the L block and 1/d2 on the R block. In
 * general: one nonnegative weight per parameter tensor. Costs `size` products, so it is for small
 * problems and for checking the stochastic estimators and the closed forms.
 */
import type * as tf from "@tensorflow/tfjs";
import { withTable } from "../util/displayable.js";
import { checkInteger, fail } from "../util/validate.js";
import { type HessianOperator, type HessianOperatorOptions, type Loss, hessianOperator, parameterWeights } from "./hessian.js";
import { type LinearOperator, applyMany, checkOperator, checkProduct } from "./operator.js";

export interface ExactTraceOptions {
  /** Basis vectors per batched product (default 32): bounds memory, amortizes the tfjs overhead. */
  readonly batchSize?: number;
}

export interface ScaledTraceOptions extends ExactTraceOptions {
  /**
   * One weight per parameter tensor. Default, only for params [L (d1×k), R (d2×k)]: [1/d1, 1/d2],
   * the paper's scaled trace. Any other parameter list must give its weights.
   */
  readonly weights?: readonly number[];
}

export interface ExactTraceResult {
  readonly method: "exact";
  /** Σ_i w_i H_ii (w_i = 1 for the plain trace). */
  readonly estimate: number;
  /** 0: the exact trace has no sampling error (float32 products still round). */
  readonly stderr: 0;
  /** The unweighted Hessian diagonal H_ii. */
  readonly diagonal: readonly number[];
  /** Per parameter tensor: its weighted share of the estimate (empty for a plain operator). */
  readonly blockTraces: readonly number[];
  /** Per-parameter weights used (null for the plain trace). */
  readonly weights: readonly number[] | null;
  readonly numMatvecs: number;
  /** How the products were computed ("autodiff", "finite-difference", or "operator"). */
  readonly productMethod: string;
  readonly fallbackReason: string | null;
}

/** tr H: exact, from H e_i for every basis vector e_i. */
export function hessianTrace(op: LinearOperator, options?: ExactTraceOptions): ExactTraceResult;
export function hessianTrace(loss: Loss, params: readonly tf.Tensor[], options?: ExactTraceOptions & HessianOperatorOptions): ExactTraceResult;
export function hessianTrace(
  target: LinearOperator | Loss,
  paramsOrOptions?: readonly tf.Tensor[] | ExactTraceOptions,
  maybeOptions: ExactTraceOptions & HessianOperatorOptions = {},
): ExactTraceResult {
  const fn = "hessianTrace";
  if (typeof target === "function") {
    const op = hessianOperator(target, paramsOrOptions as tf.Tensor[], maybeOptions);
    try {
      return exactTrace(fn, op, null, maybeOptions);
    } finally {
      op.dispose();
    }
  }
  return exactTrace(fn, checkOperator(fn, target), null, (paramsOrOptions ?? {}) as ExactTraceOptions);
}

/** The paper's scaled trace str(D²f) (paper-notes §1.3): per-parameter weights on the diagonal. */
export function scaledHessianTrace(op: HessianOperator, options?: ScaledTraceOptions): ExactTraceResult;
export function scaledHessianTrace(loss: Loss, params: readonly tf.Tensor[], options?: ScaledTraceOptions & HessianOperatorOptions): ExactTraceResult;
export function scaledHessianTrace(
  target: HessianOperator | Loss,
  paramsOrOptions?: readonly tf.Tensor[] | ScaledTraceOptions,
  maybeOptions: ScaledTraceOptions & HessianOperatorOptions = {},
): ExactTraceResult {
  const fn = "scaledHessianTrace";
  if (typeof target === "function") {
    const op = hessianOperator(target, paramsOrOptions as tf.Tensor[], maybeOptions);
    try {
      return exactTrace(fn, op, blockWeights(fn, op, maybeOptions.weights), maybeOptions);
    } finally {
      op.dispose();
    }
  }
  const op = checkOperator(fn, target) as HessianOperator;
  if (!Array.isArray(op.blocks)) fail(fn, "op", "a HessianOperator (from hessianOperator)", op, TypeError);
  const options = (paramsOrOptions ?? {}) as ScaledTraceOptions;
  return exactTrace(fn, op, blockWeights(fn, op, options.weights), options);
}

/** The paper's block weights [1/d1, 1/d2] for params [L (d1×k), R (d2×k)], or the given ones. */
export function scaledTraceWeights(op: Pick<HessianOperator, "blocks">, weights?: readonly number[], fn = "scaledTraceWeights"): number[] {
  if (weights !== undefined) return [...weights];
  const b = op.blocks;
  if (b.length === 2 && b[0].shape.length === 2 && b[1].shape.length === 2 && b[0].shape[1] === b[1].shape[1]) {
    return [1 / b[0].shape[0], 1 / b[1].shape[0]];
  }
  const shapes = b.map((x) => `[${x.shape.join(", ")}]`).join(", ");
  throw new RangeError(
    `${fn}: weights must be given (one per parameter) unless params are [L (d1×k), R (d2×k)]; received params of shapes ${shapes}.`,
  );
}

function blockWeights(fn: string, op: HessianOperator, weights?: readonly number[]): number[] {
  const w = scaledTraceWeights(op, weights, fn);
  parameterWeights(op, w, fn); // validates count and values
  return w;
}

function exactTrace(fn: string, op: LinearOperator, weights: number[] | null, options: ExactTraceOptions): ExactTraceResult {
  const n = op.size;
  const batchSize = checkInteger(fn, "batchSize", options.batchSize ?? 32, 1);
  const diagonal = new Array<number>(n);
  for (let start = 0; start < n; start += batchSize) {
    const end = Math.min(n, start + batchSize);
    const basis: Float64Array[] = [];
    for (let i = start; i < end; i++) {
      const e = new Float64Array(n);
      e[i] = 1;
      basis.push(e);
    }
    applyMany(op, basis).forEach((y, j) => {
      checkProduct(fn, y, n);
      diagonal[start + j] = y[start + j];
    });
  }
  const hop = op as Partial<HessianOperator>;
  const blocks = hop.blocks ?? [];
  const blockTraces = blocks.map((b, i) => {
    let s = 0;
    for (let j = b.offset; j < b.offset + b.size; j++) s += diagonal[j];
    return (weights ? weights[i] : 1) * s;
  });
  const estimate = blocks.length > 0 ? blockTraces.reduce((a, b) => a + b, 0) : diagonal.reduce((a, b) => a + b, 0);
  const result: ExactTraceResult = {
    method: "exact",
    estimate,
    stderr: 0,
    diagonal,
    blockTraces,
    weights,
    numMatvecs: n,
    productMethod: hop.method ?? "operator",
    fallbackReason: hop.fallbackReason ?? null,
  };
  const title = weights ? "Scaled Hessian trace (exact)" : "Hessian trace (exact)";
  return withTable(result, title, (r) => [
    ["estimate", r.estimate],
    ...r.blockTraces.map((t, i) => [`block ${i}${r.weights ? ` (weight ${fmt(r.weights[i])})` : ""}`, t] as const),
    ["Hessian-vector products", r.numMatvecs],
    ["products by", r.productMethod],
  ]);
}

function fmt(x: number): string {
  return Number.isInteger(1 / x) ? `1/${1 / x}` : x.toPrecision(4);
}
