import { test } from "node:test";
import assert from "node:assert/strict";
import { axpby, dot } from "../../src/linalg/matrix.js";
import { sensingProblem } from "../../src/problems/index.js";
import { initialFactors } from "../../src/training/init.js";
import { trainingModel } from "../../src/training/model.js";
import { type TrainingState, gradientDescent, labelNoiseSgd, sam } from "../../src/training/optimizers.js";
import { relError } from "../helpers.js";

const inst = sensingProblem.generate({ d1: 6, d2: 5, r: 2, k: 3, m: 40, seed: 4 });
const model = trainingModel(sensingProblem, inst);
const [L0, R0] = initialFactors(inst, { scale: 0.6, seed: 2 });
const start: TrainingState = { step: 7, L: L0, R: R0 };

test("gradientDescent({stepSize}).step moves to W − η∇f(W), counts the step and reports f(W)", () => {
  const { state, loss } = gradientDescent({ stepSize: 0.05 }).step(model, start);
  const g = model.lossAndGradient(L0, R0);
  assert.equal(state.step, 8);
  assert.equal(loss, g.loss);
  assert.ok(relError(state.L.data, axpby(1, L0, -0.05, g.gradL).data) < 1e-15);
  assert.ok(relError(state.R.data, axpby(1, R0, -0.05, g.gradR).data) < 1e-15);
});

test("sam({stepSize, rho}).step descends with the gradient at W + ρ g/‖g‖ (Foret et al. 2021)", () => {
  const { state } = sam({ stepSize: 0.05, rho: 0.3 }).step(model, start);
  const g = model.lossAndGradient(L0, R0);
  const c = 0.3 / Math.sqrt(dot(g.gradL, g.gradL) + dot(g.gradR, g.gradR));
  const at = model.lossAndGradient(axpby(1, L0, c, g.gradL), axpby(1, R0, c, g.gradR));
  assert.ok(relError(state.L.data, axpby(1, L0, -0.05, at.gradL).data) < 1e-15);
  assert.ok(relError(state.R.data, axpby(1, R0, -0.05, at.gradR).data) < 1e-15);
  // The ascent moved the gradient: SAM's step differs from GD's.
  assert.ok(relError(state.L.data, gradientDescent({ stepSize: 0.05 }).step(model, start).state.L.data) > 1e-3);
});

test("sam(...).step where g = 0 exactly (the origin, a saddle) takes ε = 0 and stays put", () => {
  const zero = axpby(0, L0, 0, L0), zeroR = axpby(0, R0, 0, R0);
  const { state } = sam({ stepSize: 0.05, rho: 0.3 }).step(model, { step: 0, L: zero, R: zeroR });
  assert.ok(state.L.data.every((v) => v === 0) && state.R.data.every((v) => v === 0));
});

test("labelNoiseSgd with the whole batch and σ = 0 takes exactly the gradient descent step", () => {
  const sgd = labelNoiseSgd({ stepSize: 0.05, batchSize: inst.m, labelNoise: 0, seed: 1 }).step(model, start);
  const gd = gradientDescent({ stepSize: 0.05 }).step(model, start);
  assert.ok(relError(sgd.state.L.data, gd.state.L.data) < 1e-12 && relError(sgd.state.R.data, gd.state.R.data) < 1e-12);
});

test("labelNoiseSgd.step is a pure function of (seed, state): same state, same step; another step count or seed, another draw", () => {
  const opt = labelNoiseSgd({ stepSize: 0.05, batchSize: 5, labelNoise: 0.5, seed: 11 });
  const a = opt.step(model, start), b = opt.step(model, start);
  assert.deepEqual(a.state.L.data, b.state.L.data);
  const later = opt.step(model, { ...start, step: 8 });
  const other = labelNoiseSgd({ stepSize: 0.05, batchSize: 5, labelNoise: 0.5, seed: 12 }).step(model, start);
  assert.ok(relError(a.state.L.data, later.state.L.data) > 1e-6 && relError(a.state.L.data, other.state.L.data) > 1e-6);
});

test("labelNoiseSgd: the label noise averages out, the mean step over many seeds approaches the GD step (within 5 standard errors)", () => {
  const n = 400, gd = gradientDescent({ stepSize: 0.01 }).step(model, start).state.L.data;
  const samples: Float64Array[] = [];
  for (let s = 0; s < n; s++) samples.push(labelNoiseSgd({ stepSize: 0.01, batchSize: 10, labelNoise: 1, seed: s }).step(model, start).state.L.data);
  for (const idx of [0, 5, 10]) {
    const xs = samples.map((x) => x[idx]);
    const mean = xs.reduce((a, b) => a + b, 0) / n;
    const sd = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1));
    assert.ok(Math.abs(mean - gd[idx]) < 5 * sd / Math.sqrt(n), `entry ${idx}: mean ${mean} vs GD ${gd[idx]} (stderr ${sd / Math.sqrt(n)})`);
  }
});

test("optimizers reject bad settings, naming the argument", () => {
  assert.throws(() => gradientDescent({ stepSize: 0 }), { name: "RangeError", message: /^gradientDescent: stepSize must be a finite number > 0; received 0\.$/ });
  assert.throws(() => gradientDescent(undefined as never), { name: "TypeError", message: /^gradientDescent: options must be an object/ });
  assert.throws(() => sam({ stepSize: 0.1, rho: -1 }), { name: "RangeError", message: /^sam: rho must be a finite number > 0; received -1\.$/ });
  assert.throws(() => labelNoiseSgd({ stepSize: 0.1, batchSize: 0, labelNoise: 1, seed: 1 }), { name: "RangeError", message: /^labelNoiseSgd: batchSize must be an integer ≥ 1; received 0\.$/ });
  assert.throws(() => labelNoiseSgd({ stepSize: 0.1, batchSize: 2, labelNoise: -0.1, seed: 1 }), { name: "RangeError", message: /^labelNoiseSgd: labelNoise must be a finite number ≥ 0; received -0\.1\.$/ });
  assert.throws(() => labelNoiseSgd({ stepSize: 0.1, batchSize: 2, labelNoise: 1, seed: 1.5 }), { name: "RangeError", message: /^labelNoiseSgd: seed must be an integer/ });
  const tooBig = labelNoiseSgd({ stepSize: 0.1, batchSize: 41, labelNoise: 1, seed: 1 });
  assert.throws(() => tooBig.step(model, start), { name: "RangeError", message: /^labelNoiseSgd: batchSize must be an integer in \[1, m\] = \[1, 40\]; received 41\.$/ });
});
