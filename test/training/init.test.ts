import { test } from "node:test";
import assert from "node:assert/strict";
import { initialFactors } from "../../src/training/init.js";

test("initialFactors(shape, {scale, seed}) draws d1×k and d2×k factors with entry standard deviation scale (within 4 standard errors)", () => {
  const [L, R] = initialFactors({ d1: 40, d2: 30, k: 25 }, { scale: 0.3, seed: 8 });
  assert.deepEqual([L.rows, L.cols, R.rows, R.cols], [40, 25, 30, 25]);
  const xs = [...L.data, ...R.data], n = xs.length;
  const mean = xs.reduce((a, b) => a + b, 0) / n;
  const variance = xs.reduce((a, b) => a + b * b, 0) / n;
  // Gaussian entries: the sample mean has standard error σ/√n, the mean of squares √(2/n)·σ².
  assert.ok(Math.abs(mean) < 4 * 0.3 / Math.sqrt(n), `mean ${mean}`);
  assert.ok(Math.abs(variance - 0.09) < 4 * Math.sqrt(2 / n) * 0.09, `variance ${variance}`);
});

test("initialFactors is deterministic in the seed, and L and R are independent draws", () => {
  const a = initialFactors({ d1: 5, d2: 5, k: 2 }, { scale: 1, seed: 3 });
  const b = initialFactors({ d1: 5, d2: 5, k: 2 }, { scale: 1, seed: 3 });
  const c = initialFactors({ d1: 5, d2: 5, k: 2 }, { scale: 1, seed: 4 });
  assert.deepEqual(a, b);
  assert.notDeepEqual(a[0].data, c[0].data);
  assert.notDeepEqual(a[0].data, a[1].data);
});

test("initialFactors rejects bad shapes and options, naming the argument", () => {
  assert.throws(() => initialFactors({ d1: 0, d2: 3, k: 2 }, { scale: 1, seed: 1 }), { name: "RangeError", message: /^initialFactors: shape.d1 must be an integer ≥ 1; received 0\.$/ });
  assert.throws(() => initialFactors({ d1: 3, d2: 3, k: 2 }, { scale: -1, seed: 1 }), { name: "RangeError", message: /^initialFactors: options.scale must be a finite number ≥ 0; received -1\.$/ });
  assert.throws(() => initialFactors({ d1: 3, d2: 3, k: 2 }, { scale: 1 } as never), { name: "TypeError", message: /^initialFactors: options.seed must be an integer in \[0, 4294967295\]; received undefined\.$/ });
  assert.throws(() => initialFactors(null as never, { scale: 1, seed: 1 }), { name: "TypeError", message: /^initialFactors: shape must be an object/ });
});
