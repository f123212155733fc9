import { before, test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { relError } from "../helpers.js";
import { hessianOperator, parameterWeights } from "../../src/flatness/hessian.js";
import { createRng } from "../../src/random/rng.js";
import {
  asFloat32,
  assertNoLeak,
  denseFromOperator,
  denseHessianByDifferences,
  gaussianMatrix,
  identityMapHvp,
  identityMapLoss,
  identityMapQuadraticForm,
  matvecDense,
  tensorOf,
  useBackend,
  withSpectrum,
} from "./fixtures.js";

before(async () => {
  await useBackend();
});

/** ½ xᵀ A x (the constant is made per call, inside the estimators' own tidy). */
const quadratic = (a: { rows: number; data: Float64Array }) => {
  const values = Float32Array.from(a.data);
  return ([x]: tf.Tensor[]) => {
    const at = tf.tensor2d(values, [a.rows, a.rows]);
    return tf.mul(0.5, tf.sum(tf.mul(x, tf.matMul(at, x.reshape([a.rows, 1])).reshape([a.rows])))) as tf.Scalar;
  };
};

test("hessianOperator(½xᵀAx) multiplies by A through nested tf.grad (relative error < 1e-3)", () => {
  const a = withSpectrum([3, -2, 1, 0.5, 4, -0.25], 11);
  const x = tf.tensor1d([0.3, -0.1, 0.2, 0.5, -0.7, 0.05]);
  const op = hessianOperator(quadratic(a), [x]);
  assert.equal(op.method, "autodiff");
  assert.equal(op.fallbackReason, null);
  const rng = createRng(1);
  for (let t = 0; t < 5; t++) {
    const v = rng.gaussians(6);
    const err = relError(op.matvec(v), matvecDense(a, v));
    assert.ok(err < 1e-3, `relative error ${err}`);
  }
  op.dispose();
  x.dispose();
});

test("hessianOperator on the identity-map loss matches the analytic Hessian and its quadratic form (paper-notes §1.4)", () => {
  const d1 = 4, d2 = 3, k = 2;
  const l = asFloat32(gaussianMatrix(d1, k, 2, 0.7));
  const r = asFloat32(gaussianMatrix(d2, k, 3, 0.7));
  const m = asFloat32(gaussianMatrix(d1, d2, 4, 0.5));
  const lt = tensorOf(l), rt = tensorOf(r);
  const op = hessianOperator(identityMapLoss(m), [lt, rt]);
  assert.equal(op.method, "autodiff");
  assert.equal(op.size, d1 * k + d2 * k);
  assert.deepEqual(op.blocks.map((b) => b.shape), [[d1, k], [d2, k]]);
  const rng = createRng(5);
  for (let t = 0; t < 5; t++) {
    const v = rng.gaussians(op.size);
    const hv = op.matvec(v);
    const err = relError(hv, identityMapHvp(l, r, m, v));
    assert.ok(err < 1e-3, `HVP relative error ${err}`);
    const q = identityMapQuadraticForm(l, r, m, v);
    let vhv = 0;
    for (let i = 0; i < v.length; i++) vhv += v[i] * hv[i];
    assert.ok(Math.abs(vhv - q) <= 1e-3 * Math.abs(q), `quadratic form ${vhv} vs ${q}`);
  }
  op.dispose();
  lt.dispose();
  rt.dispose();
});

test("hessianOperator's dense Hessian equals the dense Hessian from finite differences of tf.grad", () => {
  const l = asFloat32(gaussianMatrix(3, 2, 6));
  const r = asFloat32(gaussianMatrix(3, 2, 7));
  const m = asFloat32(gaussianMatrix(3, 3, 8));
  const lt = tensorOf(l), rt = tensorOf(r);
  const loss = identityMapLoss(m);
  const op = hessianOperator(loss, [lt, rt]);
  const byProducts = denseFromOperator(op);
  const byDifferences = denseHessianByDifferences(loss, [lt, rt]);
  const err = relError(byProducts.data, byDifferences.data);
  assert.ok(err < 1e-3, `relative error ${err}`);
  op.dispose();
  lt.dispose();
  rt.dispose();
});

test("hessianOperator with method 'finite-difference' agrees with autodiff (relative error < 1e-3)", () => {
  const l = asFloat32(gaussianMatrix(4, 2, 9));
  const r = asFloat32(gaussianMatrix(3, 2, 10));
  const m = asFloat32(gaussianMatrix(4, 3, 11));
  const lt = tensorOf(l), rt = tensorOf(r);
  const ad = hessianOperator(identityMapLoss(m), [lt, rt], { method: "autodiff" });
  const fd = hessianOperator(identityMapLoss(m), [lt, rt], { method: "finite-difference" });
  assert.equal(fd.method, "finite-difference");
  assert.equal(fd.fallbackReason, null);
  const v = createRng(12).gaussians(ad.size);
  const err = relError(fd.matvec(v), ad.matvec(v));
  assert.ok(err < 1e-3, `relative error ${err}`);
  ad.dispose();
  fd.dispose();
  lt.dispose();
  rt.dispose();
});

test("hessianOperator falls back to central differences for tf.exp, where nested gradients fail (tfjs #3252)", () => {
  // f(x) = Σ exp(c_i x_i) + ½‖x‖²: H = diag(c_i² exp(c_i x_i)) + I.
  const c = [0.5, -1, 1.5, 0.25];
  const xv = [0.2, -0.4, 0.1, 0.9];
  const x = tf.tensor1d(xv);
  const ct = tf.keep(tf.tensor1d(c));
  const loss = ([p]: tf.Tensor[]) => tf.add(tf.sum(tf.exp(tf.mul(ct, p))), tf.mul(0.5, tf.sum(tf.square(p)))) as tf.Scalar;
  const op = hessianOperator(loss, [x]);
  assert.equal(op.requestedMethod, "autodiff");
  assert.equal(op.method, "finite-difference");
  assert.match(op.fallbackReason ?? "", /#3252/);
  const v = createRng(13).gaussians(4);
  const expected = v.map((vi, i) => (c[i] ** 2 * Math.exp(c[i] * xv[i]) + 1) * vi);
  const err = relError(op.matvec(v), expected);
  assert.ok(err < 1e-3, `relative error ${err}`);
  op.dispose();
  x.dispose();
  ct.dispose();
});

test("hessianOperator falls back for tanh and sigmoid losses, also where the dropped part is only 2 % (sigmoid + cube)", () => {
  const xv = [0.3, -0.2, 0.7];
  const x = tf.tensor1d(xv);
  const tanhLoss = ([p]: tf.Tensor[]) => tf.sum(tf.tanh(p)) as tf.Scalar;
  const op = hessianOperator(tanhLoss, [x]);
  assert.equal(op.method, "finite-difference");
  const v = new Float64Array([1, -2, 0.5]);
  // d²/dx² tanh = −2 tanh sech²
  const expected = v.map((vi, i) => -2 * Math.tanh(xv[i]) * (1 - Math.tanh(xv[i]) ** 2) * vi);
  assert.ok(relError(op.matvec(v), expected) < 1e-3);
  op.dispose();
  // Nested tf.grad silently returns only the cube's 6x here; the sigmoid's σ(1−σ)(1−2σ) is lost.
  const sig = hessianOperator(([p]) => tf.add(tf.sum(tf.sigmoid(p)), tf.sum(tf.pow(p, 3))) as tf.Scalar, [x]);
  assert.equal(sig.method, "finite-difference");
  const s = (z: number) => 1 / (1 + Math.exp(-z));
  const expectedSig = v.map((vi, i) => (s(xv[i]) * (1 - s(xv[i])) * (1 - 2 * s(xv[i])) + 6 * xv[i]) * vi);
  assert.ok(relError(sig.matvec(v), expectedSig) < 1e-3);
  sig.dispose();
  x.dispose();
});

test("hessianOperator handles a parameter the loss ignores (zero Hessian block) without falling back", () => {
  const a = tf.tensor1d([1, 2]);
  const b = tf.tensor1d([3, 4, 5]);
  const op = hessianOperator(([p]) => tf.sum(tf.pow(p, 3)) as tf.Scalar, [a, b]);
  assert.equal(op.method, "autodiff");
  const hv = op.matvec(new Float64Array([1, 1, 1, 1, 1]));
  assert.ok(relError(hv, [6, 12, 0, 0, 0]) < 1e-6);
  op.dispose();
  a.dispose();
  b.dispose();
});

test("hessianOperator reports f(w), ∇f(w) and the flat point", () => {
  const x = tf.tensor1d([1, -2]);
  const op = hessianOperator(([p]) => tf.sum(tf.square(p)) as tf.Scalar, [x]);
  assert.equal(op.value, 5);
  assert.deepEqual(Array.from(op.gradient), [2, -4]);
  assert.deepEqual(Array.from(op.point), [1, -2]);
  op.dispose();
  x.dispose();
});

test("parameterWeights expands one weight per parameter to every coordinate", () => {
  const w = parameterWeights({ size: 5, blocks: [{ shape: [2], offset: 0, size: 2 }, { shape: [3], offset: 2, size: 3 }] }, [0.5, 2]);
  assert.deepEqual(Array.from(w), [0.5, 0.5, 2, 2, 2]);
  assert.throws(() => parameterWeights({ size: 5, blocks: [{ shape: [5], offset: 0, size: 5 }] }, [1, 2]), /weights must be an array of 1 numbers/);
  assert.throws(() => parameterWeights({ size: 2, blocks: [{ shape: [2], offset: 0, size: 2 }] }, [-1]), /weights\[0\] must be a finite number ≥ 0; received -1/);
});

test("hessianOperator rejects non-finite params, bad losses, unknown methods, and use after dispose", () => {
  const bad = tf.tensor1d([1, NaN, 3]);
  assert.throws(() => hessianOperator(([p]) => tf.sum(p) as tf.Scalar, [bad]), /hessianOperator: params\[0\] must be finite; received NaN at index 1/);
  bad.dispose();
  const x = tf.tensor1d([1, 2]);
  assert.throws(() => hessianOperator(([p]) => tf.square(p) as unknown as tf.Scalar, [x]), /loss must return a tf.Scalar \(rank 0\); received a tensor of shape \[2\]/);
  assert.throws(() => hessianOperator(([p]) => tf.sum(p) as tf.Scalar, [x], { method: "forward" as never }), /method must be one of "autodiff", "finite-difference"; received "forward"/);
  assert.throws(() => hessianOperator(([p]) => tf.sum(p) as tf.Scalar, []), /params must be a non-empty array of tf.Tensor/);
  assert.throws(() => hessianOperator(([p]) => tf.sum(p) as tf.Scalar, [x], { epsilon: 0 }), /epsilon must be a finite number > 0; received 0/);
  assert.throws(() => hessianOperator(([p]) => tf.log(tf.sub(p, 5)).sum() as tf.Scalar, [x]), /loss must be finite at params; received NaN/);
  const op = hessianOperator(([p]) => tf.sum(tf.square(p)) as tf.Scalar, [x]);
  assert.throws(() => op.matvec(new Float64Array(3)), /v must be a Float64Array of length 2/);
  op.dispose();
  assert.throws(() => op.matvec(new Float64Array(2)), /this operator was disposed/);
  x.dispose();
});

test("hessianOperator and its products leave tf.memory().numTensors unchanged over 100 calls", () => {
  const l = tensorOf(gaussianMatrix(3, 2, 14)), r = tensorOf(gaussianMatrix(3, 2, 15));
  const loss = identityMapLoss(gaussianMatrix(3, 3, 16));
  const v = createRng(17).gaussians(12);
  assertNoLeak("hessianOperator + matvec + matmat", () => {
    const op = hessianOperator(loss, [l, r]);
    op.matvec(v);
    op.matmat([v, v]);
    op.dispose();
  });
  const x = tf.tensor1d([0.1, 0.2]);
  assertNoLeak("finite-difference fallback", () => {
    const op = hessianOperator(([p]) => tf.sum(tf.exp(p)) as tf.Scalar, [x]);
    op.matvec(new Float64Array([1, 0]));
    op.dispose();
  });
  assertNoLeak("a construction that fails (non-finite loss)", () => {
    assert.throws(() => hessianOperator(([p]) => tf.sum(tf.log(tf.sub(p, 5))) as tf.Scalar, [x]), /loss must be finite/);
  });
  l.dispose();
  r.dispose();
  x.dispose();
});

test("hessianOperator.matvec refuses to return a non-finite product", () => {
  const x = tf.tensor1d([1, 2]);
  const op = hessianOperator(([p]) => tf.sum(tf.pow(p, 4)) as tf.Scalar, [x]);
  assert.throws(() => op.matvec(new Float64Array([1e38, 1e38])), /hessianOperator.matvec: the Hessian-vector product is not finite \(Infinity at index 0\)/);
  op.dispose();
  x.dispose();
});
