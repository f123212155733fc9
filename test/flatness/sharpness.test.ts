import { before, test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { assertClose } from "../helpers.js";
import { adaptiveSharpness, samSharpness } from "../../src/flatness/sharpness.js";
import { assertNoLeak, asFloat32, gaussianMatrix, identityMapLoss, matvecDense, tensorOf, useBackend, withSpectrum } from "./fixtures.js";

before(async () => {
  await useBackend();
});

const n = 6;
const A = asFloat32(withSpectrum([4, 2, 1, 0.5, 0.25, 0.1], 71));
const A32 = Float32Array.from(A.data);
/** ½ xᵀ A x (the constant is made per call: the estimators call the loss inside their own tidy). */
const quadratic = ([x]: tf.Tensor[]) => tf.mul(0.5, tf.sum(tf.mul(x, tf.matMul(tf.tensor2d(A32, [n, n]), x.reshape([n, 1])).reshape([n])))) as tf.Scalar;
const q64 = (x: ArrayLike<number>) => {
  const ax = matvecDense(A, x);
  let s = 0;
  for (let i = 0; i < n; i++) s += x[i] * ax[i];
  return 0.5 * s;
};

test("samSharpness of ½xᵀAx at x = 0 approaches ρ²λ_max/2 with ascent steps", () => {
  const x = tf.zeros([n]);
  const rho = 0.05;
  const r = samSharpness(quadratic, [x], { rho, steps: 60 });
  assertClose(r.sharpness, (rho ** 2 * 4) / 2, 1e-3, 0, "multi-step SAM sharpness");
  assertClose(r.perturbationNorm, rho, 1e-6, 0, "‖ε‖ = ρ");
  assert.equal(r.steps, 60);
  assert.equal(r.estimate, r.sharpness);
  // The first step (random direction, the gradient being 0) is a lower bound.
  assert.ok(r.history[0] <= r.sharpness && r.history[0] > 0);
  x.dispose();
});

test("samSharpness with one step equals f(w + ρ g/‖g‖) − f(w), the first-order formula", () => {
  const w = [0.3, -0.2, 0.5, 0.1, -0.4, 0.25];
  const x = tf.tensor1d(w);
  const rho = 0.05;
  const g = matvecDense(A, Float64Array.from(Float32Array.from(w)));
  const gn = Math.hypot(...g);
  const w32 = Float64Array.from(Float32Array.from(w));
  const expected = q64(w32.map((wi, i) => wi + (rho * g[i]) / gn)) - q64(w32);
  const r = samSharpness(quadratic, [x], { rho });
  assertClose(r.sharpness, expected, 1e-4, 0, "one-step SAM");
  assert.equal(r.numGradients, 2);
  // More steps never report less (the best iterate is kept).
  assert.ok(samSharpness(quadratic, [x], { rho, steps: 10 }).sharpness >= r.sharpness);
  x.dispose();
});

test("adaptiveSharpness with one step uses ε = ρ T² g/‖T g‖ with T = diag(|w| + η)", () => {
  const w = [0.3, -0.2, 0.5, 0.1, -0.4, 0.25];
  const w32 = Float64Array.from(Float32Array.from(w));
  const x = tf.tensor1d(w);
  const rho = 0.5, eta = 0.01;
  const g = matvecDense(A, w32);
  const t = w32.map((wi) => Math.abs(wi) + eta);
  const tg = g.map((gi, i) => t[i] * gi);
  const tgn = Math.hypot(...tg);
  const expected = q64(w32.map((wi, i) => wi + (rho * t[i] * t[i] * g[i]) / tgn)) - q64(w32);
  const r = adaptiveSharpness(quadratic, [x], { rho, eta });
  assertClose(r.sharpness, expected, 1e-4, 0, "one-step ASAM");
  assert.equal(r.method, "adaptive");
  x.dispose();
});

test("adaptiveSharpness (η = 0) is invariant under (L, R) → (αL, R/α); samSharpness is not", () => {
  const l = asFloat32(gaussianMatrix(4, 2, 72)), r = asFloat32(gaussianMatrix(3, 2, 73));
  const loss = identityMapLoss(asFloat32(gaussianMatrix(4, 3, 74)));
  const alpha = 4; // a power of two: αL and R/α are exact in float32
  const at = (s: number) => [tensorOf({ ...l, data: l.data.map((v) => s * v) }), tensorOf({ ...r, data: r.data.map((v) => v / s) })];
  const p1 = at(1), p2 = at(alpha);
  const a1 = adaptiveSharpness(loss, p1, { rho: 0.1, eta: 0, steps: 3 }).sharpness;
  const a2 = adaptiveSharpness(loss, p2, { rho: 0.1, eta: 0, steps: 3 }).sharpness;
  assertClose(a2, a1, 1e-3, 0, "adaptive sharpness after rescaling");
  const s1 = samSharpness(loss, p1, { rho: 0.1 }).sharpness;
  const s2 = samSharpness(loss, p2, { rho: 0.1 }).sharpness;
  assert.ok(Math.abs(s2 - s1) > 0.1 * Math.abs(s1), `SAM sharpness barely changed: ${s1} vs ${s2}`);
  [...p1, ...p2].forEach((t) => t.dispose());
});

test("samSharpness scales with the loss: c·f has c times the sharpness at the same ε", () => {
  const x = tf.tensor1d([0.3, -0.2, 0.5, 0.1, -0.4, 0.25]);
  const a = samSharpness(quadratic, [x], { rho: 0.05 }).sharpness;
  const b = samSharpness(([p]) => tf.mul(3, quadratic([p])) as tf.Scalar, [x], { rho: 0.05 }).sharpness;
  assertClose(b, 3 * a, 1e-4, 0);
  x.dispose();
});

test("samSharpness and adaptiveSharpness reject bad radii, steps and non-finite params, naming the argument", () => {
  const x = tf.tensor1d([1, 2, 3, 4, 5, 6]);
  assert.throws(() => samSharpness(quadratic, [x], { rho: 0 }), /samSharpness: rho must be a finite number > 0; received 0/);
  assert.throws(() => samSharpness(quadratic, [x], { steps: 0 }), /samSharpness: steps must be an integer ≥ 1; received 0/);
  assert.throws(() => adaptiveSharpness(quadratic, [x], { eta: -1 }), /adaptiveSharpness: eta must be a finite number ≥ 0; received -1/);
  const z = tf.tensor1d([0, 1, 2, 3, 4, 5]);
  assert.throws(() => adaptiveSharpness(quadratic, [z], { eta: 0 }), /eta must be > 0 when some parameters are 0/);
  const bad = tf.tensor1d([1, 2, Infinity, 4, 5, 6]);
  assert.throws(() => samSharpness(quadratic, [bad]), /samSharpness: params\[0\] must be finite; received Infinity at index 2/);
  [x, z, bad].forEach((t) => t.dispose());
});

test("samSharpness and adaptiveSharpness leave tf.memory().numTensors unchanged over 100 calls", () => {
  const x = tf.tensor1d([0.3, -0.2, 0.5, 0.1, -0.4, 0.25]);
  assertNoLeak("samSharpness", () => void samSharpness(quadratic, [x], { steps: 3 }));
  assertNoLeak("adaptiveSharpness", () => void adaptiveSharpness(quadratic, [x], { steps: 3 }));
  x.dispose();
});
