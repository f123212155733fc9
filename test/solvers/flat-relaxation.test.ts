import { test } from "node:test";
import assert from "node:assert/strict";
import { type Matrix, frobeniusNorm, sub, identity, matmul } from "../../src/linalg/matrix.js";
import {
  sampleGaussianOperator, sampleQuadraticOperator, sampleBilinearOperator, identityOperator, completionOperator, rescalingMatrices,
} from "../../src/problems/index.js";
import { flatRelaxation, plainRelaxation } from "../../src/solvers/flat-relaxation.js";
import { recoverFactors } from "../../src/solvers/factor-recovery.js";
import { lowRankTruth, symmetricTruth } from "./dense-operator.js";

const err = (a: Matrix, b: Matrix) => frobeniusNorm(sub(a, b));

test("flatRelaxation recovers M from Gaussian measurements above the transition: ‖D1⁻¹X̂D2⁻¹ − M‖_F < 1e-6", () => {
  const A = sampleGaussianOperator({ d1: 10, d2: 10, m: 90, seed: 1 });
  const M = lowRankTruth(10, 10, 2, 1);
  const r = flatRelaxation(A, A.apply(M));
  assert.ok(r.converged, r.message);
  assert.equal(r.program, "flat");
  assert.equal(r.skipped, false);
  assert.ok(err(r.estimate!, M) < 1e-6, `error ${err(r.estimate!, M)}`);
  // X̂ = D1 M D2 (Lemma 4.7: the unique solution of the relaxation is D1 M♮ D2).
  assert.ok(err(r.x!, matmul(matmul(r.D1!, M), r.D2!)) < 1e-6);
  assert.ok(err(r.x!, M) > 1e-3, "X̂ itself is the rescaled matrix, not M");
});

test("flatRelaxation and plainRelaxation recover the same M for bilinear and quadratic ensembles", () => {
  const Mb = lowRankTruth(8, 8, 2, 2);
  const B = sampleBilinearOperator({ d1: 8, d2: 8, m: 60, seed: 2 });
  const Mq = symmetricTruth(8, 1, 1, 2);
  const Q = sampleQuadraticOperator({ d: 8, m: 70, seed: 2 });
  for (const [A, M] of [[B, Mb], [Q, Mq]] as const) {
    const f = flatRelaxation(A, A.apply(M)), p = plainRelaxation(A, A.apply(M));
    assert.ok(f.converged && p.converged, `${A.kind}: ${f.message} / ${p.message}`);
    assert.ok(err(f.estimate!, M) < 1e-6 && err(p.estimate!, M) < 1e-6, `${A.kind}: ${err(f.estimate!, M)}, ${err(p.estimate!, M)}`);
  }
});

test("flatRelaxation equals plainRelaxation when A = I, and the identity normalization gives D1 = D2 = I", () => {
  const A = identityOperator(6, 5);
  const M = lowRankTruth(6, 5, 2, 3);
  const f = flatRelaxation(A, M.data), p = plainRelaxation(A, M.data);
  assert.deepEqual(Array.from(f.D1!.data), Array.from(identity(6).data));
  assert.deepEqual(Array.from(f.D2!.data), Array.from(identity(5).data));
  assert.ok(err(f.estimate!, p.estimate!) < 1e-9);
  assert.ok(Math.abs(f.objective - p.objective) < 1e-9);
  // With the 1/m loss scale D = I/√m: a scalar, which rescales X̂ and leaves the estimate unchanged.
  const g = flatRelaxation(A, M.data, { lossScale: 1 / A.m });
  assert.ok(Math.abs(g.D1!.data[0] - 1 / Math.sqrt(A.m)) < 1e-15);
  assert.ok(err(g.estimate!, p.estimate!) < 1e-8);
});

test("flatRelaxation on a completion mask with an unobserved row throws naming the row, or skips when asked", () => {
  // 4×3 mask; row 2 has no observation, every column does.
  const rows = Int32Array.from([0, 0, 1, 1, 3, 3]), cols = Int32Array.from([0, 1, 1, 2, 0, 2]);
  const C = completionOperator(4, 3, rows, cols);
  const b = new Float64Array(6).fill(1);
  assert.throws(() => flatRelaxation(C, b), /flatRelaxation: D1 is singular \(row 2 of the mask has no observation\)/);
  const r = flatRelaxation(C, b, { onSingular: "skip" });
  assert.equal(r.skipped, true);
  assert.equal(r.converged, false);
  assert.equal(r.x, null);
  assert.equal(r.estimate, null);
  assert.match(r.message, /skipped: D1 is singular \(row 2/);
  assert.ok(!JSON.stringify(r).includes("NaN"));
  // An unobserved column names D2.
  const C2 = completionOperator(3, 3, Int32Array.from([0, 1, 2]), Int32Array.from([0, 0, 1]));
  assert.throws(() => flatRelaxation(C2, [1, 1, 1]), /D2 is singular \(column 2 of the mask has no observation\)/);
});

test("flatRelaxation rejects a singular user-supplied D, bad onSingular, and mis-shaped D", () => {
  const A = sampleGaussianOperator({ d1: 3, d2: 3, m: 5, seed: 1 });
  const b = new Float64Array(5).fill(1);
  const D = rescalingMatrices(A);
  const singular: Matrix = { rows: 3, cols: 3, data: Float64Array.from([1, 1, 0, 1, 1, 0, 0, 0, 1]) };
  assert.throws(() => flatRelaxation(A, b, { D1: singular, D2: D.D2 }), /flatRelaxation: D1 is singular \(smallest eigenvalue/);
  assert.throws(() => flatRelaxation(A, b, { onSingular: "ignore" as "skip" }), /options\.onSingular must be one of "throw", "skip"; received "ignore"\./);
  assert.throws(() => flatRelaxation(A, b, { D1: identity(2), D2: D.D2 }), /options\.D1 must have shape \[3, 3\]; received \[2, 2\]/);
  assert.throws(() => plainRelaxation(A, b, { tol: -1 }), /plainRelaxation: options\.tol must be a finite number > 0; received -1\./);
});

test("a user-supplied D that is not a rescaling matrix is named: D1 = −I is not PSD (not 'a zero diagonal entry'), a non-symmetric D1 is not symmetric", () => {
  const A = sampleGaussianOperator({ d1: 3, d2: 3, m: 5, seed: 1 });
  const b = new Float64Array(5).fill(1);
  const D = rescalingMatrices(A);
  const minusI: Matrix = { rows: 3, cols: 3, data: Float64Array.from([-1, 0, 0, 0, -1, 0, 0, 0, -1]) };
  assert.throws(() => flatRelaxation(A, b, { D1: minusI, D2: D.D2 }), /^RangeError: flatRelaxation: options\.D1 must be positive semidefinite \(a rescaling matrix of Section 3\); received one with diagonal entry \(0, 0\) = -1\.$/);
  assert.throws(() => flatRelaxation(A, b, { D1: minusI, D2: D.D2, onSingular: "skip" }), /options\.D1 must be positive semidefinite/);
  const indefinite: Matrix = { rows: 3, cols: 3, data: Float64Array.from([1, 2, 0, 2, 1, 0, 0, 0, 1]) };
  assert.throws(() => flatRelaxation(A, b, { D1: D.D1, D2: indefinite }), /options\.D2 must be positive semidefinite .* smallest eigenvalue -1\.000e\+0/);
  const skew: Matrix = { rows: 3, cols: 3, data: Float64Array.from([2, 0.5, 0, 0, 2, 0, 0, 0, 2]) };
  assert.throws(() => flatRelaxation(A, b, { D1: skew, D2: D.D2 }), /^RangeError: flatRelaxation: options\.D1 must be symmetric \(a rescaling matrix of Section 3\); received entry \(0, 1\) = 0\.5 but \(1, 0\) = 0\.$/);
  assert.throws(() => recoverFactors(identity(3), skew, null, 1), /recoverFactors: D1 must be symmetric/);
});
