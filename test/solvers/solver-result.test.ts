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
  assert.deepEqual(monitor.step(7, 1e-6, 5e-7, 1, 1, false), { converged: true, stopped: false, rescale: 1 });
  assert.equal(monitor.primalHistory.length, 1);
});

test("IterationMonitor: options.stopWhen sees each iteration's info (with the bound when given) and stops the run", () => {
  const seen: unknown[] = [];
  const opts = checkSolverOptions("t", { stopWhen: (info) => { seen.push(info); return info.iteration === 3; } });
  const monitor = new IterationMonitor(opts, 1, 5);
  assert.deepEqual(monitor.step(2, 1, 1, 7, 1, true, 9), { converged: false, stopped: false, rescale: 1 });
  assert.deepEqual(monitor.step(3, 1, 1, 7, 1), { converged: false, stopped: true, rescale: 1 });
  assert.deepEqual(seen, [
    { iteration: 2, primalResidual: 1, dualResidual: 1, objective: 7, rho: 1, feasibleObjectiveBound: 9 },
    { iteration: 3, primalResidual: 1, dualResidual: 1, objective: 7, rho: 1 },
  ]);
  assert.throws(() => checkSolverOptions("t", { stopWhen: 3 as never }), /t: options\.stopWhen must be a function/);
});
