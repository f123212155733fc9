import { before, test } from "node:test";
import assert from "node:assert/strict";
import { assertClose } from "../helpers.js";
import { hessianOperator, parameterWeights } from "../../src/flatness/hessian.js";
import { hutchinson } from "../../src/flatness/hutchinson.js";
import { hutchPlusPlus } from "../../src/flatness/hutch-plus-plus.js";
import { linearOperator, matrixOperator } from "../../src/flatness/operator.js";
import { scaledHessianTrace, scaledTraceWeights } from "../../src/flatness/trace.js";
import { assertNoLeak, asFloat32, gaussianMatrix, identityMapLoss, tensorOf, useBackend, withSpectrum } from "./fixtures.js";

before(async () => {
  await useBackend();
});

const spectrum = Array.from({ length: 20 }, (_, i) => Math.cos(1.3 * i) * (1 + i / 4));
const A = withSpectrum(spectrum, 31);
const exact = spectrum.reduce((a, b) => a + b, 0);

for (const distribution of ["rademacher", "gaussian"] as const) {
  test(`hutchinson (${distribution}) is within 3 standard errors of the exact trace for at least 95 of 100 seeds`, () => {
    let inside = 0;
    for (let seed = 0; seed < 100; seed++) {
      const r = hutchinson(matrixOperator(A), { numMatvecs: 30, distribution, seed });
      assert.equal(r.samples.length, 30);
      assert.ok(r.stderr > 0);
      if (Math.abs(r.estimate - exact) <= 3 * r.stderr) inside++;
    }
    assert.ok(inside >= 95, `only ${inside} of 100 within 3 stderr`);
  });
}

test("hutchinson with a target relative stderr stops once it is reached, and says when the cap came first", () => {
  const psd = withSpectrum(Array.from({ length: 20 }, (_, i) => 1 + i), 32);
  const r = hutchinson(matrixOperator(psd), { numMatvecs: 1000, targetRelStderr: 0.05, seed: 3 });
  assert.equal(r.reachedTarget, true);
  assert.ok(r.stderr <= 0.05 * Math.abs(r.estimate));
  assert.ok(r.numMatvecs < 1000 && r.numMatvecs >= 10, `stopped after ${r.numMatvecs}`);
  const capped = hutchinson(matrixOperator(psd), { numMatvecs: 12, targetRelStderr: 1e-6, seed: 3 });
  assert.equal(capped.reachedTarget, false);
  assert.equal(capped.numMatvecs, 12);
});

test("hutchinson with the same seed gives the same result and echoes seed and distribution", () => {
  const a = hutchinson(matrixOperator(A), { numMatvecs: 10, seed: 7, distribution: "gaussian" });
  const b = hutchinson(matrixOperator(A), { numMatvecs: 10, seed: 7, distribution: "gaussian" });
  assert.deepEqual(a, b);
  assert.equal(a.seed, 7);
  assert.equal(a.distribution, "gaussian");
  assert.notEqual(hutchinson(matrixOperator(A), { numMatvecs: 10, seed: 8 }).estimate, a.estimate);
});

test("hutchinson with Rademacher probes is exact on a diagonal operator, also with weights", () => {
  const d = [1, -2, 3, 0.5];
  const diagOp = linearOperator(4, (v) => v.map((x, i) => d[i] * x));
  assertClose(hutchinson(diagOp, { numMatvecs: 5 }).estimate, 2.5, 1e-14, 0);
  assertClose(hutchinson(diagOp, { numMatvecs: 5, weights: [1, 0, 2, 4] }).estimate, 1 + 6 + 2, 1e-14, 0);
});

test("hutchinson and Hutch++ with block weights estimate the scaled trace within 4 standard errors", () => {
  const l = asFloat32(gaussianMatrix(4, 2, 33)), r = asFloat32(gaussianMatrix(3, 2, 34));
  const lt = tensorOf(l), rt = tensorOf(r);
  const op = hessianOperator(identityMapLoss(asFloat32(gaussianMatrix(4, 3, 35))), [lt, rt]);
  const weights = parameterWeights(op, scaledTraceWeights(op));
  const str = scaledHessianTrace(op).estimate;
  const h = hutchinson(op, { numMatvecs: 60, weights, seed: 1 });
  assert.ok(Math.abs(h.estimate - str) <= 4 * h.stderr, `Hutchinson ${h.estimate} ± ${h.stderr} vs ${str}`);
  const hpp = hutchPlusPlus(op, { numMatvecs: 60, weights, seed: 1 });
  assert.ok(Math.abs(hpp.estimate - str) <= Math.max(4 * hpp.stderr, 1e-3 * str), `Hutch++ ${hpp.estimate} ± ${hpp.stderr} vs ${str}`);
  op.dispose();
  lt.dispose();
  rt.dispose();
});

test("hutchinson and hutchPlusPlus reject unknown distributions, non-positive budgets and bad weights, naming the argument", () => {
  const op = matrixOperator(A);
  assert.throws(() => hutchinson(op, { distribution: "uniform" as never }), /hutchinson: distribution must be one of "rademacher", "gaussian"; received "uniform"/);
  assert.throws(() => hutchPlusPlus(op, { distribution: "sphere" as never }), /hutchPlusPlus: distribution must be one of "rademacher", "gaussian"; received "sphere"/);
  assert.throws(() => hutchinson(op, { numMatvecs: 0 }), /hutchinson: numMatvecs must be an integer ≥ 1; received 0/);
  assert.throws(() => hutchinson(op, { numMatvecs: -5 }), /numMatvecs must be an integer ≥ 1; received -5/);
  assert.throws(() => hutchPlusPlus(op, { numMatvecs: 2 }), /hutchPlusPlus: numMatvecs must be an integer ≥ 3; received 2/);
  assert.throws(() => hutchinson(op, { targetRelStderr: 0 }), /targetRelStderr must be a finite number > 0; received 0/);
  assert.throws(() => hutchinson(op, { weights: [1, 2] }), /hutchinson: weights must have length 20/);
  assert.throws(() => hutchinson(op, { seed: -1 }), /hutchinson: seed must be an integer in \[0, 4294967295\]; received -1/);
  const nanOp = linearOperator(3, () => new Float64Array([1, NaN, 0]));
  assert.throws(() => hutchinson(nanOp), /op.matvec returned a non-finite value \(NaN at index 1\)/);
});

test("hutchinson and hutchPlusPlus on a Hessian leave tf.memory().numTensors unchanged over 100 calls", () => {
  const lt = tensorOf(gaussianMatrix(2, 2, 38)), rt = tensorOf(gaussianMatrix(2, 2, 39));
  const loss = identityMapLoss(gaussianMatrix(2, 2, 40));
  assertNoLeak("hutchinson", () => {
    const op = hessianOperator(loss, [lt, rt]);
    hutchinson(op, { numMatvecs: 3 });
    op.dispose();
  });
  assertNoLeak("hutchPlusPlus", () => {
    const op = hessianOperator(loss, [lt, rt]);
    hutchPlusPlus(op, { numMatvecs: 6 });
    op.dispose();
  });
  lt.dispose();
  rt.dispose();
});
