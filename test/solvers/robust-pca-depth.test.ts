import { test } from "node:test";
import assert from "node:assert/strict";
import { type Matrix, frobeniusNorm, sub } from "../../src/linalg/matrix.js";
import { createRng } from "../../src/random/rng.js";
import { robustPcaRelaxation } from "../../src/solvers/robust-pca.js";
import { depthFlatSolution } from "../../src/solvers/depth.js";
import { lowRankTruth } from "./dense-operator.js";

test("robustPcaRelaxation recovers a rank-1 15×15 matrix from sparse corruptions (≤ 1 per row and column) with radius ‖S‖₁", () => {
  const d = 15;
  const M = lowRankTruth(d, d, 1, 21);
  const rng = createRng(21);
  const S = new Float64Array(d * d);
  // A permutation-like pattern: one corruption in each of 8 rows and 8 distinct columns.
  for (let t = 0; t < 8; t++) S[t * d + ((3 * t + 1) % d)] = (rng.uniform() < 0.5 ? -1 : 1) * (0.3 + rng.uniform());
  const Y: Matrix = { rows: d, cols: d, data: M.data.map((v, i) => v + S[i]) };
  const radius = S.reduce((a, v) => a + Math.abs(v), 0);
  const r = robustPcaRelaxation(Y, radius);
  assert.ok(r.converged, r.message);
  assert.ok(frobeniusNorm(sub(r.x, M)) < 1e-6, `error ${frobeniusNorm(sub(r.x, M))}`);
  assert.equal(r.rank, 1);
  assert.ok(r.l1Distance <= radius * (1 + 1e-8));
});

test("robustPcaRelaxation: a radius covering all of Y gives X̂ = 0; bad radius and tol are rejected", () => {
  const Y = lowRankTruth(4, 4, 1, 2);
  const r = robustPcaRelaxation(Y, 1e3);
  assert.ok(r.converged);
  assert.ok(frobeniusNorm(r.x) < 1e-9);
  assert.throws(() => robustPcaRelaxation(Y, -1), /robustPcaRelaxation: radius must be a finite number ≥ 0; received -1\./);
  assert.throws(() => robustPcaRelaxation(Y, 1, { tol: -1 }), /options\.tol must be a finite number > 0/);
  assert.throws(() => robustPcaRelaxation({ rows: 2, cols: 2, data: Float64Array.from([1, NaN, 0, 0]) }, 1), /Y must be finite; received NaN at index 1/);
});

function sparseProblem(m: number, d: number, s: number, seed: number) {
  const rng = createRng(seed);
  const A: Matrix = { rows: m, cols: d, data: rng.gaussians(m * d) };
  const x = new Float64Array(d);
  for (let t = 0; t < s; t++) x[(7 * t + 3) % d] = rng.gaussian() + (rng.uniform() < 0.5 ? -1 : 1);
  const b = new Float64Array(m);
  for (let i = 0; i < m; i++) for (let l = 0; l < d; l++) b[i] += A.data[i * d + l] * x[l];
  return { A, x, b };
}
const dist = (a: Float64Array, b: Float64Array) => Math.sqrt(a.reduce((s, v, i) => s + (v - b[i]) ** 2, 0));

test("depthFlatSolution with k = 2 (weighted ℓ1) recovers a 4-sparse vector in R^60 from m = 30 measurements", () => {
  for (const seed of [1, 2, 3]) {
    const { A, x, b } = sparseProblem(30, 60, 4, seed);
    const r = depthFlatSolution(A, b, 2);
    assert.ok(r.converged, r.message);
    assert.equal(r.q, 1);
    assert.ok(dist(r.x, x) < 1e-6, `seed ${seed}: error ${dist(r.x, x)}`);
    assert.equal(r.support, 4);
  }
});

test("depthFlatSolution with k = 3 (q = 4/3) does not recover it: the flat solution is dense; it satisfies the KKT conditions", () => {
  const { A, x, b } = sparseProblem(30, 60, 4, 1);
  const r = depthFlatSolution(A, b, 3);
  assert.ok(r.converged, r.message);
  assert.ok(Math.abs(r.q - 4 / 3) < 1e-15);
  assert.ok(dist(r.x, x) > 0.1, `error ${dist(r.x, x)}`);
  assert.ok(r.support > 30, `support ${r.support}`);
  assert.ok(r.feasibility < 1e-8);
  // Stationarity: w_l q sign(x_l)|x_l|^{q−1} = (Aᵀν)_l for every l.
  const d = 60, m = 30;
  let num = 0, den = 0;
  for (let l = 0; l < d; l++) {
    let atnu = 0;
    for (let i = 0; i < m; i++) atnu += A.data[i * d + l] * r.multiplier[i];
    const grad = r.weights[l] * r.q * Math.sign(r.x[l]) * Math.abs(r.x[l]) ** (r.q - 1);
    num += (grad - atnu) ** 2;
    den += grad ** 2;
  }
  assert.ok(Math.sqrt(num / den) < 1e-6, `KKT residual ${Math.sqrt(num / den)}`);
});

test("depthFlatSolution rejects k < 2, bad D and inconsistent systems", () => {
  const { A, b } = sparseProblem(5, 8, 2, 1);
  assert.throws(() => depthFlatSolution(A, b, 1), /depthFlatSolution: k must be an integer ≥ 2; received 1\./);
  assert.throws(() => depthFlatSolution(A, b, 2, [1, 2, 3]), /depthFlatSolution: D.length must be 8; received 3\./);
  assert.throws(() => depthFlatSolution(A, b, 2, new Float64Array(8)), /D\[0\]\[0\] must be nonzero/);
  const dup: Matrix = { rows: 2, cols: 3, data: Float64Array.from([1, 2, 3, 1, 2, 3]) };
  assert.throws(() => depthFlatSolution(dup, [1, 2], 2), /b must lie in the range of A/);
});
