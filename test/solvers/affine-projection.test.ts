import { test } from "node:test";
import assert from "node:assert/strict";
import { affineProjector } from "../../src/solvers/affine-projection.js";
import { sampleBilinearOperator, sampleGaussianOperator } from "../../src/problems/operators.js";
import { createRng } from "../../src/random/rng.js";
import { relError } from "../helpers.js";

for (const [name, A] of [
  ["Gaussian, m = 40 > d1·d2 = 12", sampleGaussianOperator({ d1: 3, d2: 4, m: 40, seed: 1 })],
  ["bilinear, m = 30 > d1·d2 = 9", sampleBilinearOperator({ d1: 3, d2: 3, m: 30, seed: 2 })],
  ["Gaussian, m = 8 < d1·d2 = 12", sampleGaussianOperator({ d1: 3, d2: 4, m: 8, seed: 3 })],
] as const) {
  test(`affineProjector (${name}) lands on A(X) = b and returns μ with z − P(z) = A*(μ)`, () => {
    const rng = createRng(9);
    const n = A.d1 * A.d2;
    const X = { rows: A.d1, cols: A.d2, data: rng.gaussians(n) };
    const b = A.apply(X);
    const P = affineProjector("test", A, b);
    if (A.m > n) assert.equal(P.method, "pseudo-inverse");
    const z = { rows: A.d1, cols: A.d2, data: rng.gaussians(n) };
    const out = new Float64Array(n);
    const mu = P.project(z, out);
    assert.ok(relError(A.apply({ rows: A.d1, cols: A.d2, data: out }), b) < 1e-10);
    const diff = z.data.map((v, i) => v - out[i]);
    assert.ok(relError(A.adjoint(mu).data, diff) < 1e-9);
    // Projecting a feasible point changes nothing.
    const again = new Float64Array(n);
    P.project({ rows: A.d1, cols: A.d2, data: out }, again);
    assert.ok(relError(again, out) < 1e-10);
  });
}

test("affineProjector rejects an inconsistent overdetermined system by name", () => {
  const A = sampleGaussianOperator({ d1: 2, d2: 2, m: 10, seed: 4 });
  const b = createRng(5).gaussians(10);
  assert.throws(() => affineProjector("nuclearNormMin", A, b), /nuclearNormMin: b must lie in the range of A/);
});
