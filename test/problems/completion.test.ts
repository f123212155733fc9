import { test } from "node:test";
import assert from "node:assert/strict";
import { conformance } from "./conformance.js";
import { unbalance, checkLemma31 } from "./factorized-claims.js";
import { randomMatrixFor } from "./fixtures.js";
import { completionProblem } from "../../src/problems/completion.js";
import { createRng } from "../../src/random/rng.js";

conformance(completionProblem, {
  make: (lossScale) => completionProblem.generate({ d1: 4, d2: 5, r: 2, k: 3, p: 0.7, seed: 7, lossScale }),
  lossScaleOf: (i) => i.lossScale,
  otherMinimizer: unbalance,
});
checkLemma31(completionProblem, completionProblem.generate({ d1: 4, d2: 5, r: 2, k: 3, p: 0.7, seed: 7 }));

test("completionProblem.hessianTrace = 2κ(Σ n_i‖ℓ_i‖² + Σ c_j‖r_j‖²) with row and column counts (Section 5 [D])", () => {
  const inst = completionProblem.generate({ d1: 6, d2: 5, r: 2, k: 2, p: 0.5, seed: 8 });
  const rng = createRng(4);
  const L = randomMatrixFor(rng, 6, 2), R = randomMatrixFor(rng, 5, 2);
  const n = new Array(6).fill(0), c = new Array(5).fill(0);
  for (let t = 0; t < inst.m; t++) { n[inst.rowIndex[t]]++; c[inst.colIndex[t]]++; }
  let s = 0;
  for (let i = 0; i < 6; i++) s += n[i] * (L.data[2 * i] ** 2 + L.data[2 * i + 1] ** 2);
  for (let j = 0; j < 5; j++) s += c[j] * (R.data[2 * j] ** 2 + R.data[2 * j + 1] ** 2);
  const expected = 2 * inst.lossScale * s;
  assert.ok(Math.abs(completionProblem.hessianTrace(inst, [L, R]) - expected) < 1e-12 * expected);
  assert.equal(inst.lossScale, 1 / inst.m);
});

test("completionProblem.generate rejects p outside (0, 1] and fromJSON a bad p", () => {
  const ok = { d1: 4, d2: 4, r: 1, seed: 1 };
  assert.throws(() => completionProblem.generate({ ...ok, p: 0 }), /completionProblem.generate: p must be a number in \(0, 1\]; received 0/);
  assert.throws(() => completionProblem.generate({ ...ok, p: 1.01 }), /p must be a number in \(0, 1\]; received 1.01/);
  assert.throws(() => completionProblem.generate({ ...ok, p: NaN }), /p must be a number in \(0, 1\]; received NaN/);
  const json = completionProblem.toJSON(completionProblem.generate({ ...ok, p: 0.5 }));
  assert.throws(() => completionProblem.fromJSON({ ...json, p: 2 }), /json.p must be a number in \(0, 1\]; received 2/);
  assert.throws(() => completionProblem.fromJSON({ ...json, rowIndex: (json.rowIndex as number[]).map(() => 9) }), /rowIndex\[0\] must be in \[0, 3\]; received 9/);
});
