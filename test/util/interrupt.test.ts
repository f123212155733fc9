import { test } from "node:test";
import assert from "node:assert/strict";
import { checkInterrupted, interruptible, setInterruptHost } from "../../src/util/interrupt.js";
import { nuclearNormMin } from "../../src/solvers/index.js";
import { runGrid } from "../../src/experiments/run.js";
import { sampleGaussianOperator } from "../../src/problems/operators.js";

const A = sampleGaussianOperator({ d1: 6, d2: 6, m: 20, seed: 3 });
const b = Array.from({ length: 20 }, (_, i) => Math.cos(i));

function withHost<T>(signal: AbortSignal | undefined, f: () => T): T {
  setInterruptHost({ signal: () => signal });
  try {
    return f();
  } finally {
    setInterruptHost(undefined);
  }
}

test("without a kernel host, interruptible calls straight through and nothing is ever interrupted", () => {
  const add = interruptible("add", (x: number, y: number) => x + y);
  assert.equal(add(2, 3), 5);
  checkInterrupted("nothing");
});

test("in the kernel, an interruptible call runs under breakOnSigint and returns its value or its error", () =>
  withHost(new AbortController().signal, () => {
    const f = interruptible("f", function named(this: unknown, x: number) {
      if (x < 0) throw new RangeError("negative");
      return x * 2;
    });
    assert.equal(f(4), 8);
    assert.throws(() => f(-1), /negative/);
    assert.equal(nuclearNormMin(A, b, { maxIter: 30 }).iterations, 30);
  }));

test("a cell's aborted signal stops solves, interruptible calls and runGrid before they compute", async () => {
  const signal = AbortSignal.abort();
  withHost(signal, () => {
    assert.throws(() => checkInterrupted("loop"), { name: "AbortError", message: "loop: interrupted" });
    assert.throws(() => nuclearNormMin(A, b, { maxIter: 30 }), /nuclearNormMin: interrupted/);
    const twice = interruptible("twice", (x: number) => 2 * x);
    assert.throws(() => twice(1), /twice: interrupted/);
  });
  setInterruptHost({ signal: () => signal });
  try {
    await assert.rejects(runGrid({ task: "demo", axes: { x: [1, 2] }, trials: 2, seed: 1 }, { workers: 1 }), /runGrid: interrupted \(the cell was interrupted\) after 0 of 4 jobs/);
  } finally {
    setInterruptHost(undefined);
  }
});

test("a solve already running stops at its next poll once its cell is interrupted", () => {
  const controller = new AbortController();
  withHost(controller.signal, () => {
    let seen = 0;
    assert.throws(
      () => nuclearNormMin(A, b, { tol: 1e-300, maxIter: 100000, onIteration: (info) => { seen = info.iteration; if (info.iteration === 40) controller.abort(); } }),
      /the solve \(iteration 48\): interrupted/,
    );
    assert.equal(seen, 47);
  });
});
