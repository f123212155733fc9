import { test } from "node:test";
import assert from "node:assert/strict";
import { type Matrix, fromRows } from "../../src/linalg/matrix.js";
import { nuclearNorm } from "../../src/linalg/norms.js";
import { sampleGaussianOperator, identityOperator } from "../../src/problems/index.js";
import { flatRelaxation, plainRelaxation } from "../../src/solvers/flat-relaxation.js";
import { recoverFactors } from "../../src/solvers/factor-recovery.js";
import { regularityMeasures } from "../../src/solvers/regularity.js";
import { assertClose } from "../helpers.js";
import { lowRankTruth } from "./dense-operator.js";

test("regularityMeasures computes the hand-worked values of normGap and imbalance", () => {
  // L = diag(2, 1), R = diag(1, 1): LRᵀ = diag(2, 1), ‖·‖_* = 3; ½(‖L‖² + ‖R‖²) = ½(5 + 2) = 3.5.
  const L: Matrix = fromRows([[2, 0], [0, 1]]), R: Matrix = fromRows([[1, 0], [0, 1]]);
  const r = regularityMeasures(L, R, 3, { truthNuclearNorm: 3 });
  assertClose(r.normGap, 0.5 / 3, 1e-14);
  // LᵀL − RᵀR = diag(3, 0): nuclear norm 3, normalized by 3.
  assertClose(r.imbalanceRaw, 3, 1e-14);
  assertClose(r.imbalance, 1, 1e-14);
  assert.equal(r.imbalanceNormalizedBy, "truth");
  assert.match(r.definitions, /our choice/);
  const p = regularityMeasures(L, R, 4);
  assert.equal(p.imbalanceNormalizedBy, "plain");
  assertClose(p.imbalance, 0.75, 1e-14);
});

test("regularityMeasures is ~0 for A = I (flat = norm-minimal = balanced, Lemma 2.2) and small but nonzero for Gaussian sensing", () => {
  const M = lowRankTruth(6, 6, 2, 4);
  const I = identityOperator(6, 6);
  const fi = flatRelaxation(I, M.data), pi = plainRelaxation(I, M.data);
  const fI = recoverFactors(fi.x!, fi.D1, fi.D2, 6);
  const ri = regularityMeasures(fI.L, fI.R, pi.objective, { truthNuclearNorm: nuclearNorm(M) });
  assert.ok(ri.normGap < 1e-9 && ri.imbalance < 1e-9, `A = I: ${ri.normGap}, ${ri.imbalance}`);

  const A = sampleGaussianOperator({ d1: 6, d2: 6, m: 60, seed: 4 });
  const b = A.apply(M);
  const f = flatRelaxation(A, b), p = plainRelaxation(A, b);
  const fac = recoverFactors(f.x!, f.D1, f.D2, 6);
  const rg = regularityMeasures(fac.L, fac.R, p.objective, { truthNuclearNorm: nuclearNorm(M) });
  // Theorem 3.3: nearly, not exactly, norm-minimal and balanced once D ≠ I.
  assert.ok(rg.normGap > 1e-6 && rg.normGap < 0.5, `normGap ${rg.normGap}`);
  assert.ok(rg.imbalance > 1e-6 && rg.imbalance < 1, `imbalance ${rg.imbalance}`);
  // normGap ≥ 0 always: ½(‖L‖² + ‖R‖²) ≥ ‖LRᵀ‖_* = ‖M‖_* = ‖X̂_nuc‖_* here.
  assert.ok(rg.halfFactorNorm >= p.objective * (1 - 1e-9));
});

test("regularityMeasures rejects mismatched factors and a nonpositive plain objective", () => {
  const L = fromRows([[1, 0]]), R = fromRows([[1, 0, 0]]);
  assert.throws(() => regularityMeasures(L, R, 1), /regularityMeasures: R must have shape \[1, 2\]; received \[1, 3\]/);
  assert.throws(() => regularityMeasures(L, fromRows([[1, 0]]), 0), /plainObjective must be a finite number > 0; received 0\./);
});
