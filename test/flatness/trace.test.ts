import { before, test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { assertClose } from "../helpers.js";
import { hessianOperator } from "../../src/flatness/hessian.js";
import { matrixOperator } from "../../src/flatness/operator.js";
import { hessianTrace, scaledHessianTrace } from "../../src/flatness/trace.js";
import { type Matrix, matmul, zeros } from "../../src/linalg/matrix.js";
import { asFloat32, assertNoLeak, frob2, gaussianMatrix, identityMapLoss, tensorOf, useBackend, withSpectrum } from "./fixtures.js";

before(async () => {
  await useBackend();
});

const d1 = 4, d2 = 3, k = 2;
const L = asFloat32(gaussianMatrix(d1, k, 21, 0.8));
const R = asFloat32(gaussianMatrix(d2, k, 22, 0.8));
const M = asFloat32(gaussianMatrix(d1, d2, 23, 0.5));

test("hessianTrace of the identity-map loss equals 2 d1 ‖R‖² + 2 d2 ‖L‖² (paper-notes §1.4, Lemma 2.1)", () => {
  const lt = tensorOf(L), rt = tensorOf(R);
  const r = hessianTrace(identityMapLoss(M), [lt, rt]);
  const expected = 2 * d1 * frob2(R) + 2 * d2 * frob2(L);
  assertClose(r.estimate, expected, 1e-3, 0, "trace");
  assert.equal(r.numMatvecs, (d1 + d2) * k);
  assert.equal(r.stderr, 0);
  // Lemma 2.1: every diagonal entry of the L block is 2‖R_j‖² for its column j.
  for (let i = 0; i < d1; i++) {
    for (let j = 0; j < k; j++) {
      let rj = 0;
      for (let a = 0; a < d2; a++) rj += R.data[a * k + j] ** 2;
      assertClose(r.diagonal[i * k + j], 2 * rj, 1e-3, 0, `H[L(${i},${j})]`);
    }
  }
  lt.dispose();
  rt.dispose();
});

test("scaledHessianTrace of the identity-map loss equals 2‖L‖² + 2‖R‖² with weights 1/d1, 1/d2 (eq. (13))", () => {
  const lt = tensorOf(L), rt = tensorOf(R);
  const r = scaledHessianTrace(identityMapLoss(M), [lt, rt]);
  assert.deepEqual(r.weights, [1 / d1, 1 / d2]);
  assertClose(r.estimate, 2 * frob2(L) + 2 * frob2(R), 1e-3, 0, "scaled trace");
  assertClose(r.blockTraces[0], 2 * frob2(R), 1e-3, 0, "L block");
  assertClose(r.blockTraces[1], 2 * frob2(L), 1e-3, 0, "R block");
  // The same through an operator, and with explicit weights.
  const op = hessianOperator(identityMapLoss(M), [lt, rt]);
  assertClose(scaledHessianTrace(op).estimate, r.estimate, 1e-6, 0, "operator route");
  assertClose(scaledHessianTrace(op, { weights: [1, 1] }).estimate, hessianTrace(op).estimate, 1e-6, 0, "unit weights = plain trace");
  op.dispose();
  lt.dispose();
  rt.dispose();
});

test("hessianTrace of an explicit matrix is the sum of its diagonal, in any batch size", () => {
  const a = withSpectrum([5, -1, 2, 0.5, 3, -2, 1], 24);
  let diagSum = 0;
  for (let i = 0; i < 7; i++) diagSum += a.data[i * 7 + i];
  for (const batchSize of [1, 3, 32]) assertClose(hessianTrace(matrixOperator(a), { batchSize }).estimate, diagSum, 1e-12, 1e-12, `batch ${batchSize}`);
  assertClose(diagSum, 8.5, 1e-12, 0, "trace = Σλ");
});

test("multiplying the loss by c > 0 multiplies traces by c and keeps the flatter of two minimizers flatter", () => {
  // Two points of the minimizer set {LRᵀ = M}: (L, R) and (L B, R B^{-T}) with B = diag(3, 1/2).
  const m = matmulNT(L, R);
  const b = [3, 0.5];
  const lb = zeros(d1, k), rb = zeros(d2, k);
  for (let i = 0; i < d1; i++) for (let j = 0; j < k; j++) lb.data[i * k + j] = L.data[i * k + j] * b[j];
  for (let i = 0; i < d2; i++) for (let j = 0; j < k; j++) rb.data[i * k + j] = R.data[i * k + j] / b[j];
  const points = [[L, R], [asFloat32(lb), asFloat32(rb)]].map(([l, r]) => [tensorOf(l), tensorOf(r)]);
  const base = identityMapLoss(asFloat32(m));
  const str = (c: number) => points.map((p) => scaledHessianTrace(([l, r]) => tf.mul(c, base([l, r])) as tf.Scalar, p).estimate);
  const s1 = str(1), s7 = str(7.3);
  for (let i = 0; i < 2; i++) assertClose(s7[i], 7.3 * s1[i], 1e-3, 0, `point ${i}`);
  assert.equal(s1[0] < s1[1], s7[0] < s7[1], "the flatter point changed under rescaling");
  assert.notEqual(s1[0], s1[1]);
  points.flat().forEach((t) => t.dispose());
});

test("scaledHessianTrace asks for weights unless params are [L (d1×k), R (d2×k)], and checks them", () => {
  const x = tf.tensor1d([1, 2, 3]);
  const loss = ([p]: tf.Tensor[]) => tf.sum(tf.square(p)) as tf.Scalar;
  assert.throws(() => scaledHessianTrace(loss, [x]), /scaledHessianTrace: weights must be given \(one per parameter\) unless params are \[L \(d1×k\), R \(d2×k\)\]; received params of shapes \[3\]/);
  assertClose(scaledHessianTrace(loss, [x], { weights: [0.5] }).estimate, 3, 1e-6, 0, "0.5 · tr(2I)");
  assert.throws(() => scaledHessianTrace(loss, [x], { weights: [-1] }), /weights\[0\] must be a finite number ≥ 0; received -1/);
  assert.throws(() => scaledHessianTrace(loss, [x], { weights: [1, 2] }), /weights must be an array of 1 numbers/);
  assert.throws(() => hessianTrace(loss, [x], { batchSize: 0 }), /hessianTrace: batchSize must be an integer ≥ 1; received 0/);
  assert.throws(() => hessianTrace({ size: 0 } as never), /hessianTrace: op must be a LinearOperator/);
  x.dispose();
});

test("hessianTrace and scaledHessianTrace leave tf.memory().numTensors unchanged over 100 calls", () => {
  const lt = tensorOf(L), rt = tensorOf(R);
  const loss = identityMapLoss(M);
  assertNoLeak("hessianTrace", () => void hessianTrace(loss, [lt, rt]));
  assertNoLeak("scaledHessianTrace", () => void scaledHessianTrace(loss, [lt, rt]));
  lt.dispose();
  rt.dispose();
});

test("trace results are JSON-ready and display as a table", () => {
  const r = hessianTrace(matrixOperator(withSpectrum([1, 2], 25)));
  const json = JSON.parse(JSON.stringify(r));
  assert.equal(json.method, "exact");
  assert.equal(json.numMatvecs, 2);
  const bundle = (r as unknown as Record<symbol, () => Record<string, string>>)[Symbol.for("Jupyter.display")]();
  assert.match(bundle["text/plain"], /Hessian trace \(exact\)/);
  assert.match(bundle["text/html"], /<table>/);
});

function matmulNT(a: Matrix, b: Matrix): Matrix {
  const bt = zeros(b.cols, b.rows);
  for (let i = 0; i < b.rows; i++) for (let j = 0; j < b.cols; j++) bt.data[j * b.rows + i] = b.data[i * b.cols + j];
  return matmul(a, bt);
}
