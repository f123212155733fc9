import { test } from "node:test";
import assert from "node:assert/strict";
import { createRng, deriveSeed } from "../../src/random/rng.js";

test("createRng gives the same stream for the same seed and another for another seed", () => {
  const a = createRng(7).gaussians(5), b = createRng(7).gaussians(5), c = createRng(8).gaussians(5);
  assert.deepEqual(a, b);
  assert.notDeepEqual(a, c);
});

test("gaussian draws have mean 0 and variance 1 within 5 standard errors", () => {
  const n = 200000, x = createRng(1).gaussians(n);
  let s = 0, s2 = 0, s4 = 0;
  for (const v of x) { s += v; s2 += v * v; s4 += v ** 4; }
  assert.ok(Math.abs(s / n) < 5 / Math.sqrt(n), `mean ${s / n}`);
  assert.ok(Math.abs(s2 / n - 1) < 5 * Math.sqrt(2 / n), `variance ${s2 / n}`);
  assert.ok(Math.abs(s4 / n - 3) < 5 * Math.sqrt(96 / n), `fourth moment ${s4 / n}`);
});

test("uniform, rademacher, bernoulli and int stay in range with the right means", () => {
  const r = createRng(3), n = 100000;
  let u = 0, rad = 0, ber = 0;
  for (let i = 0; i < n; i++) {
    const x = r.uniform(); assert.ok(x >= 0 && x < 1); u += x;
    const s = r.rademacher(); assert.ok(s === 1 || s === -1); rad += s;
    ber += r.bernoulli(0.3);
    const k = r.int(5); assert.ok(Number.isInteger(k) && k >= 0 && k < 5);
  }
  assert.ok(Math.abs(u / n - 0.5) < 5 * Math.sqrt(1 / 12 / n));
  assert.ok(Math.abs(rad / n) < 5 / Math.sqrt(n));
  assert.ok(Math.abs(ber / n - 0.3) < 5 * Math.sqrt(0.21 / n));
});

test("fork and deriveSeed give reproducible, label-dependent streams", () => {
  assert.equal(deriveSeed(1, 2, 3), deriveSeed(1, 2, 3));
  assert.notEqual(deriveSeed(1, 2, 3), deriveSeed(1, 3, 2));
  assert.deepEqual(createRng(5).fork(1).gaussians(3), createRng(5).fork(1).gaussians(3));
  assert.notDeepEqual(createRng(5).fork(1).gaussians(3), createRng(5).fork(2).gaussians(3));
});

test("createRng and bernoulli reject bad arguments by name", () => {
  assert.throws(() => createRng(-1), /createRng: seed must be an integer in \[0, 4294967295\]; received -1/);
  assert.throws(() => createRng(1).bernoulli(1.5), /Rng.bernoulli: p must be a finite number ≥ 0 and ≤ 1; received 1.5/);
});

test("gaussians(n) gives exactly the draws of n calls of gaussian(), keeping the spare between calls and the stream for uniform()", () => {
  // The batch loop works on local copies of the generator state (issue 11: instance generation).
  const batch = createRng(42), single = createRng(42);
  const one = () => single.gaussian();
  for (const n of [0, 1, 4, 7, 1, 1000, 3]) {
    const got = batch.gaussians(n);
    const want = Float64Array.from({ length: n }, one);
    assert.deepEqual(got, want);
    // Interleaved draws of the other kinds stay in step too.
    assert.equal(batch.uniform(), single.uniform());
    assert.equal(batch.gaussian(), single.gaussian());
  }
});
