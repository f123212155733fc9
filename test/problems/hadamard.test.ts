import { test } from "node:test";
import assert from "node:assert/strict";
import { conformance } from "./conformance.js";
import { type Matrix, relDiff } from "./fixtures.js";
import { hadamardProblem, balancedHadamardFactors } from "../../src/problems/hadamard.js";

/** v1 → 2v1, v2 → v2/2: the same x, another (unbalanced) minimizer. */
function unbalanceDepth(_inst: unknown, w: Matrix[]): Matrix[] {
  return w.map((v, j) => ({ ...v, data: v.data.map((x) => (j === 0 ? 2 * x : j === 1 ? x / 2 : x)) }));
}

for (const k of [2, 3]) {
  const make = (lossScale?: number) => hadamardProblem.generate({ d: 5, r: 2, k, m: 8, seed: 20 + k, lossScale });
  conformance(hadamardProblem, { make, lossScaleOf: (i) => i.lossScale, otherMinimizer: unbalanceDepth, pointScale: 0.8, title: `hadamard (depth ${k})` });
}

test("hadamardProblem: on the zero-loss set tr D²f = 2 Σ_l D_ll² Σ_j Π_{i≠j} v_i(l)², and balanced factors give 2k Σ D_ll² |x_l|^{2−2/k}", () => {
  const inst = hadamardProblem.generate({ d: 6, r: 3, k: 3, m: 10, seed: 4 });
  const { D1 } = hadamardProblem.rescaling(inst);
  const w = hadamardProblem.minimizer(inst);
  let expected = 0;
  for (let l = 0; l < 6; l++) expected += D1.data[l * 7] ** 2 * 3 * Math.abs(inst.truth[l]) ** (2 - 2 / 3);
  assert.ok(relDiff(hadamardProblem.hessianTrace(inst, w), 2 * expected) < 1e-12);
  // AM–GM: any other factorization of the same x has a trace at least as large.
  assert.ok(hadamardProblem.hessianTrace(inst, unbalanceDepth(inst, w)) > hadamardProblem.hessianTrace(inst, w));
  let nnz = 0;
  inst.truth.forEach((x) => (nnz += x !== 0 ? 1 : 0));
  assert.equal(nnz, 3);
  assert.ok(Math.abs(Math.hypot(...inst.truth) - 1) < 1e-14);
});

test("balancedHadamardFactors multiply back to x and hadamardProblem rejects bad input", () => {
  const x = [0.5, -2, 0, 3];
  const v = balancedHadamardFactors(x, 3);
  x.forEach((xl, l) => assert.ok(Math.abs(v[0].data[l] * v[1].data[l] * v[2].data[l] - xl) < 1e-14));
  assert.throws(() => hadamardProblem.generate({ d: 4, r: 5, k: 2, m: 3, seed: 1 }), /hadamardProblem.generate: r must be an integer in \[1, 4\]; received 5/);
  assert.throws(() => hadamardProblem.generate({ d: 4, r: 2, k: 0, m: 3, seed: 1 }), /k must be an integer ≥ 1; received 0/);
  assert.throws(() => hadamardProblem.generate({ d: 4, r: 2, k: 2, m: 0, seed: 1 }), /m must be an integer ≥ 1; received 0/);
});
