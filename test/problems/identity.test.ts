import { test } from "node:test";
import assert from "node:assert/strict";
import { conformance } from "./conformance.js";
import { unbalance, checkLemma31 } from "./factorized-claims.js";
import { randomMatrixFor, relDiff } from "./fixtures.js";
import { identityProblem } from "../../src/problems/identity.js";
import { add, dot, frobeniusNorm, matmulNT, sub } from "../../src/linalg/matrix.js";
import { createRng } from "../../src/random/rng.js";

conformance(identityProblem, {
  make: (lossScale) => identityProblem.generate({ d1: 3, d2: 4, r: 2, k: 3, seed: 9, lossScale }),
  lossScaleOf: (i) => i.lossScale,
  otherMinimizer: unbalance,
});
checkLemma31(identityProblem, identityProblem.generate({ d1: 3, d2: 4, r: 2, k: 3, seed: 9 }));

const inst = identityProblem.generate({ d1: 4, d2: 3, r: 2, k: 3, seed: 10 });
const rng = createRng(5);
const L = randomMatrixFor(rng, 4, 3), R = randomMatrixFor(rng, 3, 3), dL = randomMatrixFor(rng, 4, 3), dR = randomMatrixFor(rng, 3, 3);

test("identityProblem: f = ‖LRᵀ − M♮‖²_F with no 1/m, and D²f = 4⟨LRᵀ − M♮, ΔLΔRᵀ⟩ + 2‖ΔLRᵀ + LΔRᵀ‖² (Section 2 [R])", () => {
  assert.equal(inst.lossScale, 1);
  assert.ok(relDiff(identityProblem.loss(inst, [L, R]), frobeniusNorm(sub(matmulNT(L, R), inst.truth)) ** 2) < 1e-14);
  const expected = 4 * dot(sub(matmulNT(L, R), inst.truth), matmulNT(dL, dR)) + 2 * frobeniusNorm(add(matmulNT(dL, R), matmulNT(L, dR))) ** 2;
  assert.ok(relDiff(identityProblem.hessianForm(inst, [L, R], [dL, dR]), expected) < 1e-12);
});

test("identityProblem: str = 2‖L‖² + 2‖R‖² at any point (eq. (13)), D1 = D2 = I, and Lemma 2.1's D²f[e_i e_jᵀ] = 2‖R_j‖²", () => {
  const str = 2 * frobeniusNorm(L) ** 2 + 2 * frobeniusNorm(R) ** 2;
  assert.ok(relDiff(identityProblem.scaledHessianTrace(inst, [L, R]), str) < 1e-13);
  const { D1, D2 } = identityProblem.rescaling(inst);
  assert.deepEqual(Array.from(D1.data), [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]);
  assert.deepEqual(Array.from(D2.data), [1, 0, 0, 0, 1, 0, 0, 0, 1]);
  const e = { rows: 4, cols: 3, data: new Float64Array(12) };
  e.data[2 * 3 + 1] = 1; // i = 2, j = 1
  const zero = { rows: 3, cols: 3, data: new Float64Array(9) };
  const rj = R.data[1] ** 2 + R.data[4] ** 2 + R.data[7] ** 2;
  assert.ok(relDiff(identityProblem.hessianForm(inst, [L, R], [e, zero]), 2 * rj) < 1e-13);
});

test("identityProblem: minimizer() is balanced (LᵀL = RᵀR) and norm-minimal: ½(‖L‖² + ‖R‖²) = ‖M♮‖_* (Lemma 2.2)", async () => {
  const { nuclearNorm } = await import("../../src/linalg/norms.js");
  const { matmulTN } = await import("../../src/linalg/matrix.js");
  const [Ls, Rs] = identityProblem.minimizer(inst);
  assert.ok(frobeniusNorm(sub(matmulTN(Ls, Ls), matmulTN(Rs, Rs))) < 1e-12);
  assert.ok(relDiff(0.5 * (frobeniusNorm(Ls) ** 2 + frobeniusNorm(Rs) ** 2), nuclearNorm(inst.truth)) < 1e-12);
  assert.throws(() => identityProblem.generate({ d1: 2, d2: 3, r: 3, seed: 1 }), /identityProblem.generate: r must be an integer in \[1, 2\]; received 3/);
});
