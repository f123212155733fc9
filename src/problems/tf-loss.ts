/**
 * The factorized loss f(L, R) = ω‖A(LRᵀ) − b‖² (Section 1.1 [R]) as a tfjs function of [L, R] for
 * autodiff, with each ensemble applied through its structure (Gaussian rows as one matMul,
 * bilinear as (aL ⊙ bR)·1, completion as a dense weighted mask). tfjs is float32 only, so this is
 * for cross-checks and estimators, not for the float64 closed forms.
 *
 * The data are uploaded once, when the loss is built, and kept out of any enclosing tf.tidy; the
 * returned function's dispose() frees them. Every call runs inside tf.tidy, so repeated calls do not
 * grow tf.memory().numTensors.
 */
import * as tf from "@tensorflow/tfjs";
import type { Matrix } from "../linalg/matrix.js";
import type { MeasurementOperator } from "./operator.js";
import type { BilinearOperator, CompletionOperator, GaussianOperator, QuadraticOperator } from "./operators.js";
import type { TfLoss } from "./problem.js";
import { fail } from "../util/validate.js";

/** Wraps a body and its constants as a TfLoss; checks the params list length and shapes. */
export function makeTfLoss(fn: string, shapes: readonly (readonly number[])[], constants: tf.Tensor[], body: (params: tf.Tensor[]) => tf.Scalar): TfLoss {
  for (const c of constants) tf.keep(c);
  const loss = ((params: tf.Tensor[]) => {
    if (!Array.isArray(params) || params.length !== shapes.length) fail(fn, "params.length", `${shapes.length}`, Array.isArray(params) ? params.length : params, Array.isArray(params) ? RangeError : TypeError);
    for (let i = 0; i < shapes.length; i++) {
      const s = params[i].shape;
      if (s.length !== shapes[i].length || s.some((v, j) => v !== shapes[i][j])) fail(fn, `params[${i}].shape`, `[${shapes[i].join(", ")}]`, `[${s.join(", ")}]`);
    }
    return tf.tidy(() => body(params));
  }) as TfLoss;
  loss.dispose = () => { for (const c of constants) c.dispose(); };
  return loss;
}

export function tfMatrix(a: Matrix): tf.Tensor2D {
  return tf.tensor2d(Float32Array.from(a.data), [a.rows, a.cols], "float32");
}

/** ω‖A(LRᵀ) − b‖² over params [L (d1×k), R (d2×k)]. */
export function tfFactorizedLoss(fn: string, A: MeasurementOperator, b: Float64Array, kappa: number, k: number): TfLoss {
  const { d1, d2, m } = A;
  const shapes = [[d1, k], [d2, k]];
  const bT = tf.tensor1d(Float32Array.from(b), "float32");
  const scaled = (r: tf.Tensor) => tf.mul(kappa, tf.sum(tf.square(r))) as tf.Scalar;
  switch (A.kind) {
    case "bilinear":
    case "quadratic": {
      const left = A.kind === "bilinear" ? (A as BilinearOperator).a : (A as QuadraticOperator).x;
      const right = A.kind === "bilinear" ? (A as BilinearOperator).b : (A as QuadraticOperator).x;
      const aT = tfMatrix(left), cT = A.kind === "bilinear" ? tfMatrix(right) : aT;
      const consts = A.kind === "bilinear" ? [bT, aT, cT] : [bT, aT];
      return makeTfLoss(fn, shapes, consts, ([L, R]) => scaled(tf.sub(tf.sum(tf.mul(tf.matMul(aT, L), tf.matMul(cT, R)), 1), bT)));
    }
    case "completion": {
      const { rowIndex, colIndex, weights } = A as CompletionOperator;
      const W = new Float32Array(d1 * d2), B = new Float32Array(d1 * d2);
      for (let t = 0; t < m; t++) {
        W[rowIndex[t] * d2 + colIndex[t]] = weights === undefined ? 1 : weights[t];
        B[rowIndex[t] * d2 + colIndex[t]] = b[t];
      }
      const WT = tf.tensor2d(W, [d1, d2]), BT = tf.tensor2d(B, [d1, d2]);
      bT.dispose();
      return makeTfLoss(fn, shapes, [WT, BT], ([L, R]) => scaled(tf.sub(tf.mul(WT, tf.matMul(L, R, false, true)), BT)));
    }
    case "identity": {
      const BT = tf.reshape(bT, [d1, d2]);
      return makeTfLoss(fn, shapes, [bT, BT], ([L, R]) => scaled(tf.sub(tf.matMul(L, R, false, true), BT)));
    }
    default: {
      // Gaussian rows, or any other operator materialized once as rows vec(A_i).
      const rows = A.kind === "gaussian" ? (A as GaussianOperator).rows : materializeRows(A);
      const RT = tfMatrix(rows), n = d1 * d2;
      return makeTfLoss(fn, shapes, [bT, RT], ([L, R]) =>
        scaled(tf.sub(tf.reshape(tf.matMul(RT, tf.reshape(tf.matMul(L, R, false, true), [n, 1])), [m]), bT)));
    }
  }
}

/** m×(d1·d2) rows vec(A_i), by A*(e_i). */
export function materializeRows(A: MeasurementOperator): Matrix {
  const n = A.d1 * A.d2, out = new Float64Array(A.m * n), e = new Float64Array(A.m);
  for (let i = 0; i < A.m; i++) {
    e[i] = 1;
    out.set(A.adjoint(e).data, i * n);
    e[i] = 0;
  }
  return { rows: A.m, cols: n, data: out };
}
