import { test } from "node:test";
import assert from "node:assert/strict";
import { type Matrix, frobeniusNorm, sub, matmul, matmulNT, transpose } from "../../src/linalg/matrix.js";
import { solve } from "../../src/linalg/lu.js";
import { nuclearNorm } from "../../src/linalg/norms.js";
import { createRng } from "../../src/random/rng.js";
import { sampleGaussianOperator, sampleBilinearOperator, sampleQuadraticOperator } from "../../src/problems/index.js";
import type { MeasurementOperator } from "../../src/problems/operator.js";
import { flatRelaxation, plainRelaxation } from "../../src/solvers/flat-relaxation.js";
import { recoverFactors, recoverSymmetricFactors } from "../../src/solvers/factor-recovery.js";
import { assertClose } from "../helpers.js";
import { lowRankTruth, symmetricTruth } from "./dense-operator.js";

/** Lemma 3.1 [R]: str D²f(L, R) = 2‖D1L‖²_F + 2‖D2R‖²_F on the minimizer set. */
const scaledTrace = (L: Matrix, R: Matrix, D1: Matrix, D2: Matrix) => 2 * frobeniusNorm(matmul(D1, L)) ** 2 + 2 * frobeniusNorm(matmul(D2, R)) ** 2;
const residual = (A: MeasurementOperator, X: Matrix, b: Float64Array) => {
  const ax = A.apply(X);
  let s = 0, n = 0;
  for (let i = 0; i < b.length; i++) { s += (ax[i] - b[i]) ** 2; n += b[i] ** 2; }
  return Math.sqrt(s / n);
};

for (const kind of ["gaussian", "bilinear"] as const) {
  test(`recoverFactors (${kind}): flat factors are minimizers, ‖D1L‖² + ‖D2R‖² = 2‖X̂‖_* to 1e-8, and their scaled trace is below plain and random minimizers'`, () => {
    const d = 8, k = 4;
    const A = kind === "gaussian" ? sampleGaussianOperator({ d1: d, d2: d, m: 70, seed: 11 }) : sampleBilinearOperator({ d1: d, d2: d, m: 70, seed: 11 });
    const M = lowRankTruth(d, d, 2, 11);
    const b = A.apply(M);
    const flat = flatRelaxation(A, b);
    const plain = plainRelaxation(A, b);
    assert.ok(flat.converged && plain.converged);
    const { L, R, rank } = recoverFactors(flat.x!, flat.D1, flat.D2, k);
    assert.equal(rank, 2);
    assert.equal(L.cols, k);
    // Columns past the numerical rank are exact zeros (Theorem 3.2's padding).
    for (let i = 0; i < d; i++) for (let j: number = rank; j < k; j++) assert.equal(L.data[i * k + j], 0);
    // Minimizers: A(LRᵀ) = b and LRᵀ = D1⁻¹X̂D2⁻¹.
    assert.ok(residual(A, matmulNT(L, R), b) < 1e-8);
    assert.ok(frobeniusNorm(sub(matmulNT(L, R), flat.estimate!)) < 1e-10);
    // Theorem 3.2 with the factor convention: ‖D1L‖² + ‖D2R‖² = 2‖X̂‖_*, so str = 4‖X̂‖_*.
    const half = frobeniusNorm(matmul(flat.D1!, L)) ** 2 + frobeniusNorm(matmul(flat.D2!, R)) ** 2;
    assertClose(half, 2 * flat.objective, 1e-8, 0, "‖D1L‖² + ‖D2R‖² vs 2‖X̂‖_*");
    assertClose(half, 2 * nuclearNorm(flat.x!), 1e-8, 0, "vs the nuclear norm recomputed from X̂");
    const strFlat = scaledTrace(L, R, flat.D1!, flat.D2!);
    // The plain solution's balanced factors are also minimizers, with a larger scaled trace.
    const pf = recoverFactors(plain.x!, null, null, k);
    assert.ok(residual(A, matmulNT(pf.L, pf.R), b) < 1e-8);
    const strPlain = scaledTrace(pf.L, pf.R, flat.D1!, flat.D2!);
    assert.ok(strFlat < strPlain, `flat ${strFlat} vs plain ${strPlain}`);
    // Random points (LB, RB⁻ᵀ) of the minimizer set.
    const rng = createRng(99);
    for (let t = 0; t < 20; t++) {
      const B: Matrix = { rows: k, cols: k, data: rng.gaussians(k * k) };
      for (let i = 0; i < k; i++) B.data[i * k + i] += 2;
      const LB = matmul(L, B), RBinvT = transpose(solve(B, transpose(R)));
      assert.ok(frobeniusNorm(sub(matmulNT(LB, RBinvT), flat.estimate!)) < 1e-8);
      assert.ok(strFlat < scaledTrace(LB, RBinvT, flat.D1!, flat.D2!), `random point ${t} has a smaller scaled trace`);
    }
  });
}

test("recoverFactors pads with zero columns to any k ≥ rank and rejects k below the numerical rank, naming k", () => {
  const M = lowRankTruth(5, 4, 3, 1);
  const wide = recoverFactors(M, null, null, 9);
  assert.equal(wide.L.cols, 9);
  assert.equal(wide.R.cols, 9);
  for (let i = 0; i < 5; i++) for (let j = 4; j < 9; j++) assert.equal(wide.L.data[i * 9 + j], 0);
  assert.ok(frobeniusNorm(sub(matmulNT(wide.L, wide.R), M)) < 1e-14);
  assert.throws(() => recoverFactors(M, null, null, 2), /recoverFactors: k must be at least the numerical rank of X \(3, .*\); received k = 2\./);
  assert.throws(() => recoverFactors(M, null, null, 0), /recoverFactors: k must be an integer ≥ 1; received 0\./);
  assert.throws(() => recoverFactors(M, { rows: 4, cols: 4, data: new Float64Array(16) }, null, 3), /recoverFactors: D1 must have shape \[5, 5\]; received \[4, 4\]/);
  const singular: Matrix = { rows: 5, cols: 5, data: new Float64Array(25) };
  for (let i = 0; i < 4; i++) singular.data[i * 6] = 1;
  assert.throws(() => recoverFactors(M, singular, null, 3), /recoverFactors: D1 is singular \(row 4 has a zero diagonal entry\)/);
});

test("recoverSymmetricFactors splits a flat quadratic solution into U1 (positive) and U2 (negative) with D U1U1ᵀD − D U2U2ᵀD = X̂", () => {
  const A = sampleQuadraticOperator({ d: 7, m: 60, seed: 5 });
  const M = symmetricTruth(7, 2, 1, 5);
  const flat = flatRelaxation(A, A.apply(M));
  assert.ok(flat.converged);
  const { U1, U2, positiveRank, negativeRank } = recoverSymmetricFactors(flat.x!, flat.D1, 3, 2);
  assert.equal(positiveRank, 2);
  assert.equal(negativeRank, 1);
  const est = sub(matmulNT(U1, U1), matmulNT(U2, U2));
  assert.ok(frobeniusNorm(sub(est, flat.estimate!)) < 1e-10);
  assert.ok(frobeniusNorm(sub(est, M)) < 1e-6);
  assert.throws(() => recoverSymmetricFactors(flat.x!, flat.D1, 1, 2), /k1 must be at least the number of positive eigenvalues of X \(2\); received k1 = 1\./);
});
