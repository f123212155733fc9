import { test } from "node:test";
import assert from "node:assert/strict";
import { conformance } from "./conformance.js";
import { unbalance } from "./factorized-claims.js";
import { randomMatrixFor, relDiff, shifted } from "./fixtures.js";
import { robustPcaProblem, robustPcaLocalModel, sparseCorruption } from "../../src/problems/robust-pca.js";
import { frobeniusNorm } from "../../src/linalg/matrix.js";
import { createRng } from "../../src/random/rng.js";

const make = (lossScale?: number) => robustPcaProblem.generate({ d1: 4, d2: 5, r: 2, k: 3, l: 1, seed: 12, lossScale });

conformance(robustPcaProblem, {
  make,
  lossScaleOf: (i) => i.lossScale,
  otherMinimizer: unbalance,
  // The Hessian of f is not defined (f is C¹ only); the forms are those of the local model based at w.
  fdGradient: (inst, w) => (x) => robustPcaLocalModel(inst, w).gradient(x),
});

const inst = make();
const rng = createRng(14);
const w = [randomMatrixFor(rng, 4, 3, 0.5), randomMatrixFor(rng, 5, 3, 0.5)];

test("robustPcaLocalModel majorizes f, touches it at the base point and has the same gradient there (Section 6 [R])", () => {
  const model = robustPcaLocalModel(inst, w);
  assert.ok(relDiff(model.loss(w), robustPcaProblem.loss(inst, w)) < 1e-13);
  const g = robustPcaProblem.gradient(inst, w), gm = model.gradient(w);
  g.forEach((m, b) => m.data.forEach((x, t) => assert.ok(Math.abs(x - gm[b].data[t]) < 1e-13)));
  for (let s = 0; s < 10; s++) {
    const x = shifted(w, [randomMatrixFor(rng, 4, 3), randomMatrixFor(rng, 5, 3)], 0.3);
    assert.ok(robustPcaProblem.loss(inst, x) <= model.loss(x) + 1e-14);
  }
  assert.ok(robustPcaProblem.loss(inst, w) > 1e-3, "the random point is off the minimizer set");
});

test("robustPcaProblem: str of the local model at its base point = 2‖L‖² + 2‖R‖² (Section 6 [D])", () => {
  const [L, R] = w;
  assert.ok(relDiff(robustPcaProblem.scaledHessianTrace(inst, w), 2 * frobeniusNorm(L) ** 2 + 2 * frobeniusNorm(R) ** 2) < 1e-14);
});

test("robustPcaProblem.generate: at most l nonzeros in every row and column, radius = ‖S♮‖₁, Y − M♮ on the ball", () => {
  for (const [d1, d2, l] of [[6, 6, 2], [5, 8, 3], [8, 5, 3], [4, 4, 4]]) {
    const S = sparseCorruption(d1, d2, l, 1, 3);
    for (let i = 0; i < d1; i++) assert.ok(Array.from(S.data.subarray(i * d2, (i + 1) * d2)).filter((v) => v !== 0).length <= l);
    for (let j = 0; j < d2; j++) { let c = 0; for (let i = 0; i < d1; i++) if (S.data[i * d2 + j] !== 0) c++; assert.ok(c <= l); }
    if (d1 === d2) assert.equal(S.data.filter((v) => v !== 0).length, d1 * l);
  }
  const big = robustPcaProblem.generate({ d1: 6, d2: 6, r: 2, l: 2, seed: 3 });
  let radius = 0;
  big.sparse.data.forEach((v) => (radius += Math.abs(v)));
  assert.equal(big.radius, radius);
  assert.equal(big.lossScale, 1);
});

test("robustPcaProblem rejects more corruptions than entries, a missing base point and a sparse JSON matrix above the degree bound", () => {
  assert.throws(() => robustPcaProblem.generate({ d1: 3, d2: 4, r: 1, l: 4, seed: 1 }), /robustPcaProblem.generate: l must be an integer in \[0, 3\]; received 4/);
  assert.throws(() => robustPcaProblem.tfLoss(inst), /robustPcaProblem.tfLoss: base must be a list \[L, R\]/);
  const json = robustPcaProblem.toJSON(inst);
  const bad = JSON.parse(JSON.stringify(json));
  bad.sparse.data = bad.sparse.data.map(() => 1);
  assert.throws(() => robustPcaProblem.fromJSON(bad), /json.sparse must be a matrix with at most l = 1 nonzeros per row; received "5 nonzeros in row 0"/);
});
