import { test } from "node:test";
import assert from "node:assert/strict";
import { certifiedFailureTest, recoveryInstance, recoveryTrial, SUCCESS_TOL } from "../../src/experiments/recovery.js";
import { identity, scale } from "../../src/linalg/matrix.js";
import { nuclearNorm } from "../../src/linalg/norms.js";

test("certifiedFailureTest: stops once ‖X♮‖_* − β, over √min(d1, d2)·‖D1‖·‖D2‖, reaches 10·SUCCESS_TOL", () => {
  const { truth } = recoveryInstance({ ensemble: "gaussian", d: 9, r: 2, m: 60 }, 1, 2);
  const target = nuclearNorm(truth);
  const info = (bound: number) => ({ iteration: 1, primalResidual: 1, dualResidual: 1, objective: bound, rho: 1, feasibleObjectiveBound: bound });
  const plain = certifiedFailureTest(truth, identity(9), identity(9));
  const edge = 10 * SUCCESS_TOL * 3; // √9 = 3
  assert.equal(plain(info(target - edge * 1.01)), true);
  assert.equal(plain(info(target - edge * 0.99)), false);
  assert.equal(plain(info(target + 1)), false);
  assert.equal(plain({ ...info(0), feasibleObjectiveBound: undefined }), false, "no bound, no certificate");
  // With D1 = 2I, D2 = 3I: X♮ = 6M♮ (‖·‖_* six times larger), and the bound is divided by 3·2·3.
  const flat = certifiedFailureTest(truth, scale(identity(9), 2), scale(identity(9), 3));
  assert.equal(flat(info(6 * target - 18 * 10 * SUCCESS_TOL * 1.01)), true);
  assert.equal(flat(info(6 * target - 18 * 10 * SUCCESS_TOL * 0.99)), false);
});

test("recoveryTrial with certifyFailures: the same verdicts, failing solves stopped early and flagged, successful solves untouched", () => {
  const cells = [
    { ensemble: "completion", d: 20, r: 2, p: 0.4933 },
    { ensemble: "gaussian", d: 12, r: 2, m: 70 },
    { ensemble: "covariance", d: 12, r: 2, m: 40 },
  ] as const;
  let certified = 0, failures = 0, successes = 0;
  for (const cell of cells) for (const trial of [0, 1, 2]) {
    const seed = 1282230106 + trial * 7919;
    const plainRows = recoveryTrial(cell, trial, seed, { truthSeed: 2022, regularity: false });
    const certRows = recoveryTrial(cell, trial, seed, { truthSeed: 2022, regularity: false, certifyFailures: true });
    for (const [i, old] of plainRows.entries()) {
      const now = certRows[i];
      const where = `${JSON.stringify(cell)} trial ${trial} ${old.program}`;
      assert.equal(now.success, old.success, `${where}: verdict`);
      assert.equal("certifiedFailure" in old, false, `${where}: no certifiedFailure field without the setting`);
      assert.equal(typeof now.certifiedFailure, "boolean");
      if (now.certifiedFailure) {
        certified++;
        assert.equal(now.converged, false);
        assert.ok(now.iterations <= old.iterations, `${where}: ${now.iterations} > ${old.iterations} iterations`);
      } else if (old.success === 1) {
        assert.equal(now.iterations, old.iterations, `${where}: a success runs the same iterations`);
        assert.equal(now.error, old.error, `${where}: and returns the same estimate`);
      }
      if (old.success === 1) successes++; else failures++;
    }
  }
  assert.ok(successes > 0 && failures > 0, `a mix of outcomes (${successes} successes, ${failures} failures)`);
  assert.ok(certified >= failures / 2, `most failures certified (${certified} of ${failures})`);
  assert.throws(() => recoveryTrial(cells[1], 0, 1, { truthSeed: 1, certifyFailures: "yes" as never }), /recoveryTrial: settings\.certifyFailures must be a boolean/);
});
