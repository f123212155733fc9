import { test } from "node:test";
import assert from "node:assert/strict";
import { conformance } from "./conformance.js";
import { unbalance, checkLemma31 } from "./factorized-claims.js";
import { bilinearProblem } from "../../src/problems/bilinear.js";
import { bilinearOperator } from "../../src/problems/operators.js";

conformance(bilinearProblem, {
  make: (lossScale) => bilinearProblem.generate({ d1: 4, d2: 3, r: 2, k: 3, m: 25, seed: 6, lossScale }),
  lossScaleOf: (i) => i.lossScale,
  otherMinimizer: unbalance,
});
checkLemma31(bilinearProblem, bilinearProblem.generate({ d1: 4, d2: 3, r: 2, k: 3, m: 25, seed: 6 }));

test("bilinearProblem: the operator is rank-one a_i b_iᵀ and b_i = a_iᵀ M♮ b_i", () => {
  const inst = bilinearProblem.generate({ d1: 4, d2: 3, r: 1, m: 5, seed: 2 });
  const A = bilinearProblem.operator(inst);
  assert.equal(A.kind, "bilinear");
  const y = bilinearOperator(inst.aRows, inst.bRows).apply(inst.truth);
  assert.deepEqual(y, inst.b);
});

test("bilinearProblem.generate and fromJSON reject bad input naming the argument", () => {
  assert.throws(() => bilinearProblem.generate({ d1: 4, d2: 3, r: 1, m: -2, seed: 1 }), /bilinearProblem.generate: m must be an integer ≥ 1; received -2/);
  const json = bilinearProblem.toJSON(bilinearProblem.generate({ d1: 4, d2: 3, r: 1, m: 5, seed: 2 }));
  assert.throws(() => bilinearProblem.fromJSON({ ...json, b: [1, 2] }), /json.b.length must be 5/);
  assert.throws(() => bilinearProblem.fromJSON({ ...json, m: 6 }), /json.m must be 5/);
  assert.throws(() => bilinearProblem.fromJSON({ ...json, r: 4 }), /json.r must be an integer in \[1, 3\]; received 4/);
  assert.throws(() => bilinearProblem.fromJSON({ ...json, k: 0 }), /json.k must be an integer ≥ 1; received 0/);
  const bad = JSON.parse(JSON.stringify(json));
  bad.aRows.data[3] = "x";
  assert.throws(() => bilinearProblem.fromJSON(bad), /json.aRows.data\[3\] must be a finite number; received "x"/);
});
