import { test } from "node:test";
import assert from "node:assert/strict";
import { IterationMonitor, checkSolverOptions } from "../../src/solvers/solver-result.js";

// Residuals whose ratio (primal/dual = 100) calls for a change of ρ by √100 = 10.
const unbalanced = (monitor: IterationMonitor, iteration: number, mayRebalance = true) => monitor.step(iteration, 1e-2, 1e-4, 1, 1, mayRebalance);

test("IterationMonitor: the first change of ρ waits firstBalance iterations, later ones balanceEvery", () => {
  const monitor = new IterationMonitor(checkSolverOptions("t", {}), 1, 100, 10);
  for (let k = 1; k < 10; k++) { assert.equal(monitor.balanceDue(k), false); assert.equal(unbalanced(monitor, k).rescale, 1); }
  assert.equal(monitor.balanceDue(10), true);
  assert.equal(unbalanced(monitor, 10).rescale, 10);
  for (let k = 11; k < 110; k++) assert.equal(unbalanced(monitor, k).rescale, 1, `iteration ${k}`);
  assert.equal(unbalanced(monitor, 110).rescale, 10);
});

test("IterationMonitor: no change of ρ on an iterate the solver discards (mayRebalance false), and the next may change it", () => {
  const monitor = new IterationMonitor(checkSolverOptions("t", {}), 1, 5);
  assert.equal(unbalanced(monitor, 5, false).rescale, 1);
  assert.equal(monitor.balanceDue(6), true);
  assert.equal(unbalanced(monitor, 6).rescale, 10);
  // Without residual balancing nothing changes ρ.
  const fixed = new IterationMonitor(checkSolverOptions("t", { adaptiveRho: false }), 1, 5);
  assert.equal(fixed.balanceDue(50), false);
  assert.equal(unbalanced(fixed, 50).rescale, 1);
});

test("IterationMonitor: converged when both residuals are at most tol, whatever mayRebalance says", () => {
  const monitor = new IterationMonitor(checkSolverOptions("t", { tol: 1e-6 }), 1, 5);
  assert.deepEqual(monitor.step(7, 1e-6, 5e-7, 1, 1, false), { converged: true, rescale: 1 });
  assert.equal(monitor.primalHistory.length, 1);
});
