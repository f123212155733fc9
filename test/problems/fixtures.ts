/** Shared helpers for the problem tests: random matrices, flattening factor lists, finite differences. */
import { type Matrix, dot, matmul } from "../../src/linalg/matrix.js";
import type { Rng } from "../../src/random/rng.js";
import type { MeasurementOperator } from "../../src/problems/operator.js";
import * as tf from "@tensorflow/tfjs";
import type { Problem, TfLoss } from "../../src/problems/problem.js";

export { type Matrix, dot, matmul };

export function randomMatrixFor(rng: Rng, rows: number, cols: number, s = 1): Matrix {
  const data = rng.gaussians(rows * cols);
  for (let i = 0; i < data.length; i++) data[i] *= s;
  return { rows, cols, data };
}

/** Materializes A_i = A*(e_i). */
export function denseRows(A: MeasurementOperator): Matrix[] {
  const out: Matrix[] = [], e = new Float64Array(A.m);
  for (let i = 0; i < A.m; i++) { e[i] = 1; out.push(A.adjoint(e)); e[i] = 0; }
  return out;
}



/** W + t·V for factor lists. */
export function shifted(w: readonly Matrix[], v: readonly Matrix[], t: number): Matrix[] {
  return w.map((m, b) => ({ rows: m.rows, cols: m.cols, data: m.data.map((x, i) => x + t * v[b].data[i]) }));
}

function listDot(a: readonly Matrix[], b: readonly Matrix[]): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += dot(a[i], b[i]);
  return s;
}

/**
 * D²f[V, V] by a five-point central difference of t ↦ ⟨∇f(W + tV), V⟩; exact for gradients that are
 * polynomials of degree ≤ 4 in t (all our losses at the depths tested), so only rounding remains.
 */
export function fdHessianForm(grad: (w: Matrix[]) => Matrix[], w: readonly Matrix[], v: readonly Matrix[], h = 1e-3): number {
  const g = (t: number) => listDot(grad(shifted(w, v, t)), v);
  return (8 * (g(h) - g(-h)) - (g(2 * h) - g(-2 * h))) / (12 * h);
}

/** The coordinate directions e_t of a factor list, one block at a time. */
export function* basis(w: readonly Matrix[]): Generator<[number, Matrix[]]> {
  for (let b = 0; b < w.length; b++) {
    for (let i = 0; i < w[b].data.length; i++) {
      const dir = w.map((m) => ({ rows: m.rows, cols: m.cols, data: new Float64Array(m.data.length) }));
      dir[b].data[i] = 1;
      yield [b, dir];
    }
  }
}

/** Per-block sums of the Hessian diagonal, by any quadratic-form oracle. */
export function blockDiagonalSums(form: (dir: Matrix[]) => number, w: readonly Matrix[]): number[] {
  const sums = w.map(() => 0);
  for (const [b, dir] of basis(w)) sums[b] += form(dir);
  return sums;
}

export function toTensors(w: readonly Matrix[]): tf.Tensor2D[] {
  return w.map((m) => tf.tensor2d(Float32Array.from(m.data), [m.rows, m.cols]));
}

/** D²f[V, V] by nested tf.grad (reverse over reverse) in float32. */
export function tfHessianForm(loss: TfLoss, w: readonly Matrix[], v: readonly Matrix[]): number {
  return tf.tidy(() => {
    const W = toTensors(w), V = toTensors(v);
    const gv = (...ps: tf.Tensor[]) => {
      const gs = tf.grads((...qs: tf.Tensor[]) => loss(qs))(ps);
      return tf.addN(gs.map((g, i) => tf.sum(tf.mul(g, V[i])))) as tf.Scalar;
    };
    const hv = tf.grads(gv)(W);
    return tf.addN(hv.map((h, i) => tf.sum(tf.mul(h, V[i])))).dataSync()[0];
  });
}

/** The float64 Hessian form of a problem as an oracle for blockDiagonalSums. */
export function closedForm<I>(p: Problem<I, unknown>, inst: I, w: readonly Matrix[]) {
  return (dir: Matrix[]) => p.hessianForm(inst, w, dir);
}

export function relDiff(a: number, b: number): number {
  return Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);
}
