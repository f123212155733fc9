import { test } from "node:test";
import assert from "node:assert/strict";
import { sensingProblem } from "../../src/problems/index.js";
import { flatRelaxation } from "../../src/solvers/flat-relaxation.js";
import { frobeniusNorm, sub } from "../../src/linalg/matrix.js";
import { train, type TrainOptions } from "../../src/training/train.js";
import { JUPYTER_DISPLAY } from "../../src/util/displayable.js";

// m = 50 < d² = 64: with k = d the minimizer set holds every X with A(X) = b, wrong answers included;
// and m is well above the r(2d − r) = 28 degrees of freedom of rank 2, so nuclear-norm minimization recovers M♮.
const inst = sensingProblem.generate({ d1: 8, d2: 8, r: 2, k: 8, m: 50, seed: 1 });
const gd = (o: Partial<TrainOptions> = {}): TrainOptions => ({ method: "gd", steps: 300, stepSize: 0.05, init: { scale: 0.3, seed: 2 }, ...o });

test("train({method: 'gd'}) decreases the loss at every recorded step and by 1e3 overall", () => {
  const run = train(sensingProblem, inst, gd({ record: { every: 10 } }));
  assert.equal(run.rows.length, 31);
  for (let i = 1; i < run.rows.length; i++) assert.ok(run.rows[i].loss <= run.rows[i - 1].loss, `step ${run.rows[i].step}`);
  assert.ok(run.final.loss < 1e-3 * run.rows[0].loss);
});

test("train: GD from small initialization recovers M♮ (error < 0.05) where the relaxation does, and from large initialization it does not (error > 0.5)", () => {
  const relax = flatRelaxation(sensingProblem.operator(inst), inst.b);
  assert.ok(frobeniusNorm(sub(relax.estimate!, inst.truth)) < 1e-6, "the instance is above the recovery threshold");
  const small = train(sensingProblem, inst, gd({ steps: 2000, stepSize: 0.2, init: { scale: 1e-3, seed: 2 } }));
  const large = train(sensingProblem, inst, gd({ steps: 2000, stepSize: 0.02, init: { scale: 0.5, seed: 2 } }));
  assert.ok(small.final.recoveryError < 0.05, `small init: ${small.final.recoveryError}`);
  assert.ok(large.final.loss < 1e-2 && large.final.recoveryError > 0.5, `large init: loss ${large.final.loss}, error ${large.final.recoveryError}`);
  // Gradient flow conserves LᵀL − RᵀR; small steps nearly do: the large start keeps its imbalance.
  assert.ok(Math.abs(large.final.imbalance - large.rows[0].imbalance) < 0.05 * large.rows[0].imbalance);
});

test("train is deterministic by seed: same options, same rows; another init seed or SGD seed, other rows", () => {
  const sgd = (seed: number, initSeed = 2): TrainOptions => ({ method: "label-noise-sgd", steps: 100, stepSize: 0.01, batchSize: 10, labelNoise: 0.5, seed, init: { scale: 0.3, seed: initSeed } });
  assert.deepEqual(train(sensingProblem, inst, gd()).rows, train(sensingProblem, inst, gd()).rows);
  assert.deepEqual(train(sensingProblem, inst, sgd(1)).rows, train(sensingProblem, inst, sgd(1)).rows);
  assert.notDeepEqual(train(sensingProblem, inst, sgd(1)).final, train(sensingProblem, inst, sgd(2)).final);
  assert.notDeepEqual(train(sensingProblem, inst, gd()).final, train(sensingProblem, inst, gd({ init: { scale: 0.3, seed: 3 } })).final);
});

test("train resumes exactly: 2n steps equal n steps then n more from {factors, step} (GD, SAM and label-noise SGD)", () => {
  for (const extra of [{ method: "gd" }, { method: "sam", rho: 0.1 }, { method: "label-noise-sgd", batchSize: 10, labelNoise: 0.5, seed: 5 }] as Partial<TrainOptions>[]) {
    const whole = train(sensingProblem, inst, gd({ ...extra, steps: 40 }));
    const half = train(sensingProblem, inst, gd({ ...extra, steps: 20 }));
    const rest = train(sensingProblem, inst, gd({ ...extra, steps: 20, init: { factors: [half.state.L, half.state.R], step: half.state.step } }));
    assert.equal(rest.state.step, 40);
    assert.deepEqual(rest.state.L.data, whole.state.L.data, String(extra.method));
  }
});

test("train stops a diverging run with an error naming the method, the step and the step size", () => {
  assert.throws(() => train(sensingProblem, inst, gd({ stepSize: 50 })), { name: "RangeError", message: /^train: gradient descent diverged at step \d+ \(loss .*\); lower stepSize \(50\)\.$/ });
  assert.throws(() => train(sensingProblem, inst, gd({ method: "sam", rho: 0.1, stepSize: 50 })), { name: "RangeError", message: /^train: SAM diverged at step \d+ .*lower stepSize \(50\) or rho\.$/ });
  assert.throws(() => train(sensingProblem, inst, { method: "label-noise-sgd", steps: 300, stepSize: 5, batchSize: 5, labelNoise: 1, init: { scale: 0.3, seed: 2 } }), { name: "RangeError", message: /^train: label-noise SGD diverged at step \d+/ });
});

test("train({record: {logSpaced: n}}) records the start, the end and at most n distinct steps, increasing", () => {
  const run = train(sensingProblem, inst, gd({ steps: 1000, record: { logSpaced: 30 } }));
  const steps = run.rows.map((r) => r.step);
  assert.equal(steps[0], 0);
  assert.equal(steps[steps.length - 1], 1000);
  assert.ok(steps.length <= 31 && steps.length >= 20);
  for (let i = 1; i < steps.length; i++) assert.ok(steps[i] > steps[i - 1]);
  assert.ok(steps.includes(1) && steps.includes(2));
});

test("train returns plain JSON-ready data that displays itself as a table", () => {
  const run = train(sensingProblem, inst, gd({ steps: 10 }));
  const copy = JSON.parse(JSON.stringify(run));
  assert.deepEqual(copy.rows, run.rows);
  assert.deepEqual(copy.settings, { stepSize: 0.05 });
  assert.equal(typeof (run as unknown as Record<symbol, unknown>)[JUPYTER_DISPLAY], "function");
});

test("train rejects bad options, naming the argument", () => {
  const bad = (o: Record<string, unknown>, message: RegExp, name = "RangeError") =>
    assert.throws(() => train(sensingProblem, inst, { ...gd(), ...o } as TrainOptions), { name, message });
  bad({ method: "adam" }, /^train: options.method must be one of "gd", "sam", "label-noise-sgd"; received "adam"\.$/);
  bad({ steps: -1 }, /^train: options.steps must be an integer ≥ 0; received -1\.$/);
  bad({ stepSize: 0 }, /^train: options.stepSize must be a finite number > 0; received 0\.$/);
  bad({ init: undefined }, /^train: options.init must be an object/, "TypeError");
  bad({ init: { scale: -1, seed: 1 } }, /^train: options.init.scale must be a finite number ≥ 0; received -1\.$/);
  bad({ init: { factors: [{ rows: 8, cols: 3, data: new Float64Array(24) }, inst.truth] } }, /^train: options.init.factors\[0\] must have shape \[8, 8\]; received \[8, 3\]\.$/);
  bad({ init: { factors: [] } }, /^train: options.init.factors.length must be 2; received 0\.$/);
  bad({ method: "sam" }, /^train: options.rho must be a finite number > 0; received undefined\.$/, "TypeError");
  bad({ rho: 0.1 }, /^train: options.rho must be undefined with method "gd" \(it applies to "sam"\); received 0.1\.$/);
  bad({ method: "label-noise-sgd", batchSize: 51, labelNoise: 1 }, /^train: options.batchSize must be an integer in \[1, 50\]; received 51\.$/);
  bad({ method: "label-noise-sgd", batchSize: 5 }, /^train: options.labelNoise must be a finite number ≥ 0; received undefined\.$/, "TypeError");
  bad({ method: "label-noise-sgd", batchSize: 5, labelNoise: 1, init: { factors: sensingProblem.minimizer(inst) } }, /^train: options.seed must be an integer .* when init gives factors; received undefined\.$/, "TypeError");
  bad({ record: { every: 0 } }, /^train: options.record.every must be an integer ≥ 1; received 0\.$/);
  bad({ record: { often: true } }, /^train: options.record must be an object \{every\} or \{logSpaced\}/, "TypeError");
  bad({ divergenceFactor: 0.5 }, /^train: options.divergenceFactor must be a finite number ≥ 1; received 0.5\.$/);
});
