import { test } from "node:test";
import assert from "node:assert/strict";
import { conformance } from "./conformance.js";
import { type Matrix, randomMatrixFor, relDiff } from "./fixtures.js";
import { quadraticNetProblem, covarianceEstimation, quadraticNetRescaling, type QuadraticNetInstance } from "../../src/problems/quadratic-net.js";
import { rescalingMatrices } from "../../src/problems/rescaling.js";
import { columns, frobeniusNorm, matmul, matmulNT, scale, sub } from "../../src/linalg/matrix.js";
import { createRng } from "../../src/random/rng.js";

/** Adds one common column c to U1 and U2 (c cᵀ − c cᵀ = 0): another minimizer, with a larger trace. */
function cancellingPair(inst: QuadraticNetInstance, w: Matrix[]): Matrix[] {
  const U = w[0], k = U.cols, out = { rows: U.rows, cols: k, data: U.data.slice() };
  const c = createRng(77).gaussians(inst.d);
  for (let p = 0; p < inst.d; p++) { out.data[p * k + inst.k1 - 1] = c[p]; out.data[p * k + k - 1] = c[p]; }
  return [out];
}

const make = (lossScale?: number) => quadraticNetProblem.generate({ d: 4, r1: 1, r2: 1, k1: 2, k2: 2, m: 20, seed: 15, lossScale });
conformance(quadraticNetProblem, { make, lossScaleOf: (i) => i.lossScale, otherMinimizer: cancellingPair });

const inst = make();

test("quadraticNetProblem: on the minimizer set tr D²f = 8(‖DU1‖² + ‖DU2‖²), D² = (1/m) Σ ‖x_i‖² x_i x_iᵀ (Section 7 [D])", () => {
  const D = quadraticNetRescaling(inst);
  for (const [U] of [quadraticNetProblem.minimizer(inst), cancellingPair(inst, quadraticNetProblem.minimizer(inst))]) {
    const U1 = columns(U, 0, inst.k1), U2 = columns(U, inst.k1, inst.k1 + inst.k2);
    const expected = 8 * (frobeniusNorm(matmul(D, U1)) ** 2 + frobeniusNorm(matmul(D, U2)) ** 2);
    assert.ok(relDiff(quadraticNetProblem.hessianTrace(inst, [U]), expected) < 1e-12);
  }
  // The general D of Section 3 is this D up to the scalar 1/√d.
  const general = rescalingMatrices(quadraticNetProblem.operator(inst)).D1;
  assert.ok(frobeniusNorm(sub(general, scale(D, 1 / Math.sqrt(inst.d)))) < 1e-12);
});

test("quadraticNetProblem.minimizer recovers M♮ = U1U1ᵀ − U2U2ᵀ with unit Frobenius norm and the requested widths", () => {
  const [U] = quadraticNetProblem.minimizer(inst);
  const U1 = columns(U, 0, 2), U2 = columns(U, 2, 4);
  assert.ok(frobeniusNorm(sub(sub(matmulNT(U1, U1), matmulNT(U2, U2)), inst.truth)) < 1e-12);
  assert.ok(Math.abs(frobeniusNorm(inst.truth) - 1) < 1e-14);
});

test("covarianceEstimation is the r2 = k2 = 0 case: a PSD truth and a minimizer with only positive weights", () => {
  const cov = covarianceEstimation({ d: 5, r1: 2, m: 30, seed: 3 });
  assert.equal(cov.r2, 0);
  assert.equal(cov.k2, 0);
  const [U] = quadraticNetProblem.minimizer(cov);
  assert.ok(quadraticNetProblem.isMinimizer(cov, [U]));
  assert.ok(frobeniusNorm(sub(matmulNT(U, U), cov.truth)) < 1e-12);
  const rng = createRng(2), V = randomMatrixFor(rng, 5, 2);
  assert.ok(quadraticNetProblem.hessianForm(cov, [U], [V]) >= 0);
});

test("quadraticNetProblem.generate rejects widths below the ranks, ranks above d and m ≤ 0", () => {
  const ok = { d: 4, r1: 2, r2: 1, m: 10, seed: 1 };
  assert.throws(() => quadraticNetProblem.generate({ ...ok, k1: 1 }), /quadraticNetProblem.generate: k1 must be an integer ≥ 2; received 1/);
  assert.throws(() => quadraticNetProblem.generate({ ...ok, k2: 0 }), /k2 must be an integer ≥ 1; received 0/);
  assert.throws(() => quadraticNetProblem.generate({ ...ok, r2: 3 }), /r2 must be an integer in \[0, 2\]; received 3/);
  assert.throws(() => quadraticNetProblem.generate({ ...ok, r1: 5 }), /r1 must be an integer in \[0, 4\]; received 5/);
  assert.throws(() => quadraticNetProblem.generate({ ...ok, m: 0 }), /m must be an integer ≥ 1; received 0/);
  assert.throws(() => quadraticNetProblem.generate({ ...ok, r1: 0, r2: 0 }), /r1 \+ r2 must be ≥ 1; received 0/);
  const json = quadraticNetProblem.toJSON(quadraticNetProblem.generate(ok));
  assert.throws(() => quadraticNetProblem.fromJSON({ ...json, k1: 1 }), /quadraticNetProblem.fromJSON: k1 must be an integer ≥ the number of positive eigenvalues of M♮ = 2; received 1/);
});
