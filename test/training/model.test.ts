import { test } from "node:test";
import assert from "node:assert/strict";
import { type Matrix, axpby, frobeniusNorm } from "../../src/linalg/matrix.js";
import { bilinearProblem, completionProblem, sensingProblem } from "../../src/problems/index.js";
import type { FactorizedInstance } from "../../src/problems/factorized.js";
import { initialFactors } from "../../src/training/init.js";
import { type FactorizedTrainable, trainingModel } from "../../src/training/model.js";
import { assertClose, relError } from "../helpers.js";

const cases: [string, FactorizedTrainable<FactorizedInstance>, FactorizedInstance][] = [
  ["sensing", sensingProblem as never, sensingProblem.generate({ d1: 6, d2: 5, r: 2, k: 3, m: 40, seed: 3 })],
  ["bilinear", bilinearProblem as never, bilinearProblem.generate({ d1: 6, d2: 5, r: 2, k: 3, m: 40, seed: 3 })],
  ["completion", completionProblem as never, completionProblem.generate({ d1: 6, d2: 5, r: 2, k: 3, p: 0.7, seed: 3 })],
];
const all = (m: number) => Int32Array.from({ length: m }, (_, i) => i);

for (const [name, problem, inst] of cases) {
  const [L, R] = initialFactors(inst, { scale: 0.7, seed: 5 });

  test(`trainingModel(${name}).lossAndGradient equals problem.loss and problem.gradient to 1e-12`, () => {
    const model = trainingModel(problem, inst);
    const { loss, gradL, gradR } = model.lossAndGradient(L, R);
    const [gL, gR] = problem.gradient(inst, [L, R]);
    assertClose(loss, problem.loss(inst, [L, R]), 1e-12);
    assert.ok(relError(gradL.data, gL.data) < 1e-12 && relError(gradR.data, gR.data) < 1e-12);
  });

  test(`trainingModel(${name}).minibatchGradient over every measurement without noise is the full gradient (dense and masked paths)`, () => {
    for (const denseLimit of [undefined, 0]) {
      const model = trainingModel(problem, inst, { denseLimit });
      const full = model.lossAndGradient(L, R);
      const batch = model.minibatchGradient(L, R, all(model.m), new Float64Array(model.m));
      assertClose(batch.loss, full.loss, 1e-12);
      assert.ok(relError(batch.gradL.data, full.gradL.data) < 1e-12 && relError(batch.gradR.data, full.gradR.data) < 1e-12);
    }
  });

  test(`trainingModel(${name}).minibatchGradient averaged over all single-measurement batches is the full gradient`, () => {
    const model = trainingModel(problem, inst);
    const full = model.lossAndGradient(L, R);
    let sumL: Matrix = { rows: L.rows, cols: L.cols, data: new Float64Array(L.data.length) };
    let sumR: Matrix = { rows: R.rows, cols: R.cols, data: new Float64Array(R.data.length) };
    for (let i = 0; i < model.m; i++) {
      const g = model.minibatchGradient(L, R, Int32Array.of(i), new Float64Array(1));
      sumL = axpby(1, sumL, 1 / model.m, g.gradL);
      sumR = axpby(1, sumR, 1 / model.m, g.gradR);
    }
    assert.ok(relError(sumL.data, full.gradL.data) < 1e-12 && relError(sumR.data, full.gradR.data) < 1e-12);
  });

  test(`trainingModel(${name}).minibatchGradient with noise ε is the noiseless gradient of the labels b + ε`, () => {
    const model = trainingModel(problem, inst);
    const batch = Int32Array.of(0, 3, 7), noise = Float64Array.of(0.3, -1.2, 0.05);
    const noisy = model.minibatchGradient(L, R, batch, noise);
    const b = Float64Array.from(inst.b);
    batch.forEach((i, j) => (b[i] += noise[j]));
    const shifted = trainingModel(problem, { ...inst, b }).minibatchGradient(L, R, batch, new Float64Array(3));
    assert.ok(relError(noisy.gradL.data, shifted.gradL.data) < 1e-12 && relError(noisy.gradR.data, shifted.gradR.data) < 1e-12);
  });
}

test("trainingModel(sensing).lossAndGradient matches central finite differences of the loss to 1e-7", () => {
  const [, problem, inst] = cases[0];
  const model = trainingModel(problem, inst);
  const [L, R] = initialFactors(inst, { scale: 0.5, seed: 9 });
  const { gradL } = model.lossAndGradient(L, R);
  const h = 1e-5;
  for (const idx of [0, 4, 11, 17]) {
    const plus = { ...L, data: Float64Array.from(L.data) }, minus = { ...L, data: Float64Array.from(L.data) };
    plus.data[idx] += h;
    minus.data[idx] -= h;
    const fd = (model.lossAndGradient(plus, R).loss - model.lossAndGradient(minus, R).loss) / (2 * h);
    assertClose(gradL.data[idx], fd, 1e-7, 1e-9, `∂f/∂L[${idx}]`);
  }
});

test("trainingModel(sensing).metrics at the balanced minimizer: zero loss, recovery error and imbalance, the closed-form scaled trace; rebalancing (2L, R/2) keeps the loss and changes only the imbalance", () => {
  const [, problem, inst] = cases[0];
  const model = trainingModel(problem, inst);
  const [L, R] = problem.minimizer(inst);
  const m = model.metrics(L, R);
  assert.ok(m.loss < 1e-24 && m.recoveryError < 1e-12 && m.imbalance < 1e-12);
  assert.equal(m.scaledTrace, problem.scaledHessianTrace(inst, [L, R]));
  const moved = model.metrics(axpby(2, L, 0, L), axpby(0.5, R, 0, R));
  assert.ok(moved.loss < 1e-24 && moved.recoveryError < 1e-12);
  assertClose(moved.imbalance, frobeniusNorm(axpby(4, matTN(L), -0.25, matTN(R))), 1e-12);
});

test("trainingModel rejects a missing problem and an instance of the wrong kind, naming the argument", () => {
  const [, problem, inst] = cases[0];
  assert.throws(() => trainingModel(null as never, inst), { name: "TypeError", message: /^trainingModel: problem must be a factorized problem/ });
  assert.throws(() => trainingModel(problem, {} as never), { name: "TypeError", message: /^trainingModel: instance must be an instance of sensing/ });
  assert.throws(() => trainingModel(problem, inst, { denseLimit: -1 }), { name: "RangeError", message: /^trainingModel: options.denseLimit must be an integer ≥ 0; received -1\.$/ });
});

function matTN(a: Matrix): Matrix {
  const k = a.cols, out = new Float64Array(k * k);
  for (let i = 0; i < a.rows; i++) for (let p = 0; p < k; p++) for (let q = 0; q < k; q++) out[p * k + q] += a.data[i * k + p] * a.data[i * k + q];
  return { rows: k, cols: k, data: out };
}
