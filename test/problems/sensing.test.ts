import { test } from "node:test";
import assert from "node:assert/strict";
import { conformance } from "./conformance.js";
import { sensingProblem } from "../../src/problems/sensing.js";
import { frobeniusNorm } from "../../src/linalg/matrix.js";
import { unbalance, checkLemma31 } from "./factorized-claims.js";

conformance(sensingProblem, {
  make: (lossScale) => sensingProblem.generate({ d1: 3, d2: 4, r: 2, k: 3, m: 30, seed: 5, lossScale }),
  lossScaleOf: (i) => i.lossScale,
  otherMinimizer: unbalance,
});
checkLemma31(sensingProblem, sensingProblem.generate({ d1: 3, d2: 4, r: 2, k: 3, m: 30, seed: 5 }));

test("sensingProblem.generate: unit-norm rank-r truth, b = A(M♮), κ = 1/m, and the same seed gives the same instance", () => {
  const inst = sensingProblem.generate({ d1: 5, d2: 4, r: 2, m: 12, seed: 3 });
  assert.ok(Math.abs(frobeniusNorm(inst.truth) - 1) < 1e-14);
  assert.equal(inst.lossScale, 1 / 12);
  assert.equal(inst.k, 2);
  assert.deepEqual(sensingProblem.operator(inst).apply(inst.truth), inst.b);
  assert.deepEqual(sensingProblem.toJSON(sensingProblem.generate({ d1: 5, d2: 4, r: 2, m: 12, seed: 3 })), sensingProblem.toJSON(inst));
});

test("sensingProblem.generate rejects bad input naming the argument and the expected value", () => {
  const ok = { d1: 4, d2: 3, r: 2, m: 10, seed: 1 };
  assert.throws(() => sensingProblem.generate({ ...ok, m: 0 }), /sensingProblem.generate: m must be an integer ≥ 1; received 0/);
  assert.throws(() => sensingProblem.generate({ ...ok, r: 4 }), /r must be an integer in \[1, 3\]; received 4/);
  assert.throws(() => sensingProblem.generate({ ...ok, k: 1 }), /k must be an integer ≥ 2; received 1/);
  assert.throws(() => sensingProblem.generate({ ...ok, lossScale: NaN }), /lossScale must be a finite number > 0; received NaN/);
  assert.throws(() => sensingProblem.generate({ ...ok, d1: 2.5 }), /d1 must be an integer ≥ 1; received 2.5/);
});
