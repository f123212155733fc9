import { test } from "node:test";
import assert from "node:assert/strict";
import { affineProjector } from "../../src/solvers/affine-projection.js";
import { completionOperator, gaussianOperator, sampleBilinearOperator, sampleCompletionOperator, sampleGaussianOperator } from "../../src/problems/operators.js";
import { rescaledOperator, rescalingMatrices } from "../../src/problems/rescaling.js";
import { nuclearNormMin } from "../../src/solvers/nuclear-norm.js";
import { transformBlocks } from "../../src/kernels/index.js";
import { matmul, transpose } from "../../src/linalg/matrix.js";
import { invSqrtmPsd } from "../../src/linalg/sqrtm.js";
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

test("the flat program's Gaussian operator without a copy of its rows solves exactly as the copied rows (issue 11: memory)", () => {
  // B_i = Pᵀ A_i Qᵀ kept as (A, P, Q), its rows formed only inside the projector, against the
  // same rows formed once in JavaScript as a Gaussian operator (what rescaledOperator returned
  // before): every float of the solve must agree, at both sizes of transformBlocks (one product of
  // the whole stack; block by block).
  for (const [d, m] of [[6, 20], [40, 700]]) {
    const A = sampleGaussianOperator({ d1: d, d2: d, m, seed: 11 });
    const { D1, D2 } = rescalingMatrices(A);
    const P = invSqrtmPsd(matmul(D1, D1)), Q = invSqrtmPsd(matmul(D2, D2));
    const lazy = rescaledOperator(A, P, Q);
    assert.equal(lazy.kind, "rescaled");
    const copied = gaussianOperator(d, d, { rows: m, cols: d * d, data: transformBlocks(A.rows.data, m, d, d, transpose(P).data, transpose(Q).data) });
    const rng = createRng(12);
    const X = { rows: d, cols: d, data: rng.gaussians(d * d) };
    const b = copied.apply(X);
    assert.ok(relError(lazy.apply(X), b) < 1e-12);
    const r1 = nuclearNormMin(lazy, b, { tol: 1e-9, recordHistory: false });
    const r2 = nuclearNormMin(copied, b, { tol: 1e-9, recordHistory: false });
    assert.equal(r1.gramMethod, "cholesky");
    assert.equal(r1.iterations, r2.iterations);
    assert.deepEqual(r1.x.data, r2.x.data);
    assert.deepEqual(r1.multiplier, r2.multiplier);
    assert.equal(r1.certificateNorm, r2.certificateNorm);
  }
});

test("affineProjector on a weighted completion map: observed entries set, the rest kept, bitwise the general formula z − A*((AA*)⁻¹(A(z) − b))", () => {
  const base = sampleCompletionOperator({ d1: 7, d2: 9, p: 0.4, seed: 3 });
  const rng = createRng(4);
  const A = completionOperator(7, 9, base.rowIndex, base.colIndex, Float64Array.from({ length: base.m }, () => 0.5 + rng.uniform()));
  const b = rng.gaussians(A.m), z = { rows: 7, cols: 9, data: rng.gaussians(63) };
  const P = affineProjector("test", A, b);
  assert.equal(P.method, "diagonal");
  const out = new Float64Array(63);
  const mu = P.project(z, out);
  // The general route, written out.
  const r = A.apply(z).map((v, k) => v - b[k]);
  const muWant = r.map((v, k) => (1 / (A.weights![k] * A.weights![k])) * v);
  const corr = A.adjoint(muWant).data;
  assert.deepEqual(mu, muWant);
  assert.deepEqual(out, z.data.map((v, i) => v - corr[i]));
  assert.ok(relError(A.apply({ rows: 7, cols: 9, data: out }), b) < 1e-14);
  // In place (out aliasing z) gives the same.
  const zz = Float64Array.from(z.data);
  P.project({ rows: 7, cols: 9, data: zz }, zz);
  assert.deepEqual(zz, out);
});
