import { test } from "node:test";
import assert from "node:assert/strict";
import { projectL1Ball } from "../../src/problems/l1-ball.js";
import { createRng } from "../../src/random/rng.js";

const l1 = (x: ArrayLike<number>) => Array.from(x).reduce((s, v) => s + Math.abs(v), 0);

test("projectL1Ball leaves points inside the ball unchanged and lands on the sphere from outside", () => {
  assert.deepEqual(Array.from(projectL1Ball([0.2, -0.3], 1).projection), [0.2, -0.3]);
  const { projection, threshold } = projectL1Ball([3, -1, 0.5], 2);
  assert.ok(Math.abs(l1(projection) - 2) < 1e-14);
  assert.deepEqual(Array.from(projection), [2, 0, 0]);
  assert.equal(threshold, 1);
  assert.deepEqual(Array.from(projectL1Ball([1, -2], 0).projection).map(Math.abs), [0, 0]);
});

test("projectL1Ball satisfies the variational inequality ⟨z − P(z), s − P(z)⟩ ≤ 0 for points s of the ball", () => {
  const rng = createRng(3);
  for (let trial = 0; trial < 20; trial++) {
    const z = rng.gaussians(12), radius = 0.5 + 3 * rng.uniform();
    const p = projectL1Ball(z, radius).projection;
    assert.ok(l1(p) <= radius * (1 + 1e-12));
    for (let s = 0; s < 20; s++) {
      const v = rng.gaussians(12), scale = radius / Math.max(l1(v), radius) * rng.uniform();
      let ip = 0;
      for (let i = 0; i < 12; i++) ip += (z[i] - p[i]) * (v[i] * scale - p[i]);
      assert.ok(ip <= 1e-12, `inner product ${ip}`);
    }
  }
});

test("projectL1Ball rejects a negative radius and non-finite entries", () => {
  assert.throws(() => projectL1Ball([1], -1), /projectL1Ball: radius must be a finite number ≥ 0; received -1/);
  assert.throws(() => projectL1Ball([1, Infinity], 1), /projectL1Ball: z must be finite; received Infinity at index 1/);
});
