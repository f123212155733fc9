/**
 * Shared known answers for the flatness tests: operators with known spectra, the identity-map
 * loss of paper-notes §1.4 in tfjs and its analytic Hessian in float64, dense Hessians built from
 * products, and a tensor-leak check.
 */
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { selectBackend } from "../../src/tf/backend.js";
import { createRng } from "../../src/random/rng.js";
import { type Matrix, matmul, matmulNT, matmulTN, zeros, transpose } from "../../src/linalg/matrix.js";
import { qr } from "../../src/linalg/qr.js";
import type { LinearOperator } from "../../src/flatness/operator.js";
import { tidyValue } from "../../src/flatness/hessian.js";

/**
 * The backend the flatness tests run on: FLATLAB_BACKEND if set, else the automatic choice.
 * Called from a top-level before() hook, which node:test starts at once, while the file is still
 * loading: test files must not make tensors at module level (they would land on a backend that
 * is still initializing).
 */
export async function useBackend(): Promise<string> {
  return (await selectBackend()).backend;
}

export function gaussianMatrix(rows: number, cols: number, seed: number, scale = 1): Matrix {
  const rng = createRng(seed);
  const out = zeros(rows, cols);
  for (let i = 0; i < out.data.length; i++) out.data[i] = scale * rng.gaussian();
  return out;
}

/** Q diag(λ) Qᵀ with a random orthogonal Q. */
export function withSpectrum(lambda: readonly number[], seed: number): Matrix {
  const n = lambda.length;
  const q = qr(gaussianMatrix(n, n, seed)).q;
  const qd = zeros(n, n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) qd.data[i * n + j] = q.data[i * n + j] * lambda[j];
  return matmulNT(qd, q);
}

/** Dense matrix of an operator from its products with the basis vectors (float64), symmetrized. */
export function denseFromOperator(op: LinearOperator): Matrix {
  const n = op.size;
  const a = zeros(n, n);
  for (let j = 0; j < n; j++) {
    const e = new Float64Array(n);
    e[j] = 1;
    const col = op.matvec(e);
    for (let i = 0; i < n; i++) a.data[i * n + j] = col[i];
  }
  const at = transpose(a);
  for (let i = 0; i < n * n; i++) a.data[i] = 0.5 * (a.data[i] + at.data[i]);
  return a;
}

export function matvecDense(a: Matrix, v: ArrayLike<number>): Float64Array {
  const out = new Float64Array(a.rows);
  for (let i = 0; i < a.rows; i++) {
    let s = 0;
    for (let j = 0; j < a.cols; j++) s += a.data[i * a.cols + j] * v[j];
    out[i] = s;
  }
  return out;
}

/** Dense Hessian from central differences of tf.grad (float32 gradients, float64 arithmetic). */
export function denseHessianByDifferences(loss: (ps: tf.Tensor[]) => tf.Scalar, params: tf.Tensor[], h = 1e-2): Matrix {
  const shapes = params.map((p) => p.shape);
  const sizes = params.map((p) => p.size);
  const w = Float64Array.from(params.flatMap((p) => Array.from(p.dataSync())));
  const n = w.length;
  const grad = (x: Float64Array): Float64Array =>
    tidyValue(() => {
      let o = 0;
      const ts = shapes.map((s, i) => {
        const t = tf.tensor(Float32Array.from(x.subarray(o, o + sizes[i])), s);
        o += sizes[i];
        return t;
      });
      const gs = tf.grads((...xs: tf.Tensor[]) => loss(xs))(ts);
      return Float64Array.from(gs.flatMap((g) => Array.from(g.dataSync())));
    });
  const a = zeros(n, n);
  for (let j = 0; j < n; j++) {
    const p = Float64Array.from(w), m = Float64Array.from(w);
    p[j] += h;
    m[j] -= h;
    const gp = grad(p), gm = grad(m);
    for (let i = 0; i < n; i++) a.data[i * n + j] = (gp[i] - gm[i]) / (2 * h);
  }
  const at = transpose(a);
  for (let i = 0; i < n * n; i++) a.data[i] = 0.5 * (a.data[i] + at.data[i]);
  return a;
}

/** The identity-map loss f(L,R) = ‖LRᵀ − M‖²_F of paper-notes §1.4, in tfjs. */
export function identityMapLoss(m: Matrix): (ps: tf.Tensor[]) => tf.Scalar {
  const values = Float32Array.from(m.data);
  return ([l, r]) => tf.tidy(() => tf.sum(tf.square(tf.sub(tf.matMul(l, r, false, true), tf.tensor2d(values, [m.rows, m.cols])))) as tf.Scalar);
}

/**
 * Analytic Hessian product of the identity-map loss, E = LRᵀ − M (float64):
 * H[ΔL, ΔR] = (2(ΔL Rᵀ + L ΔRᵀ) R + 2 E ΔR,  2(ΔL Rᵀ + L ΔRᵀ)ᵀ L + 2 Eᵀ ΔL).
 */
export function identityMapHvp(l: Matrix, r: Matrix, m: Matrix, v: Float64Array): Float64Array {
  const d1 = l.rows, d2 = r.rows, k = l.cols;
  const dl: Matrix = { rows: d1, cols: k, data: v.slice(0, d1 * k) };
  const dr: Matrix = { rows: d2, cols: k, data: v.slice(d1 * k) };
  const e = sub(matmulNT(l, r), m);
  const s = add(matmulNT(dl, r), matmulNT(l, dr));
  const hl = add(scale2(matmul(s, r)), scale2(matmul(e, dr)));
  const hr = add(scale2(matmulTN(s, l)), scale2(matmulTN(e, dl)));
  const out = new Float64Array(v.length);
  out.set(hl.data, 0);
  out.set(hr.data, d1 * k);
  return out;
}

/** The quadratic form 4⟨LRᵀ − M, ΔL ΔRᵀ⟩ + 2‖ΔL Rᵀ + L ΔRᵀ‖²_F (paper-notes §1.4 [R]). */
export function identityMapQuadraticForm(l: Matrix, r: Matrix, m: Matrix, v: Float64Array): number {
  const d1 = l.rows, d2 = r.rows, k = l.cols;
  const dl: Matrix = { rows: d1, cols: k, data: v.slice(0, d1 * k) };
  const dr: Matrix = { rows: d2, cols: k, data: v.slice(d1 * k) };
  const e = sub(matmulNT(l, r), m);
  const cross = matmulNT(dl, dr);
  const s = add(matmulNT(dl, r), matmulNT(l, dr));
  let a = 0, b = 0;
  for (let i = 0; i < e.data.length; i++) a += e.data[i] * cross.data[i];
  for (let i = 0; i < s.data.length; i++) b += s.data[i] ** 2;
  return 4 * a + 2 * b;
}

export function frob2(a: Matrix): number {
  let s = 0;
  for (const x of a.data) s += x * x;
  return s;
}

/** Float32-exact copy of a float64 matrix (what the tfjs side actually sees). */
export function asFloat32(a: Matrix): Matrix {
  return { rows: a.rows, cols: a.cols, data: Float64Array.from(Float32Array.from(a.data)) };
}

export function tensorOf(a: Matrix): tf.Tensor2D {
  return tf.tensor2d(Float32Array.from(a.data), [a.rows, a.cols]);
}

/** Runs `f` `times` times and asserts tf.memory().numTensors did not change. */
export function assertNoLeak(what: string, f: () => void, times = 100): void {
  f(); // warm-up: lazily created backend state is not a leak
  const before = tf.memory().numTensors;
  for (let i = 0; i < times; i++) f();
  const after = tf.memory().numTensors;
  assert.equal(after, before, `${what}: ${after - before} tensors leaked over ${times} calls`);
}

function add(a: Matrix, b: Matrix): Matrix {
  return { rows: a.rows, cols: a.cols, data: a.data.map((x, i) => x + b.data[i]) };
}
function sub(a: Matrix, b: Matrix): Matrix {
  return { rows: a.rows, cols: a.cols, data: a.data.map((x, i) => x - b.data[i]) };
}
function scale2(a: Matrix): Matrix {
  return { rows: a.rows, cols: a.cols, data: a.data.map((x) => 2 * x) };
}
