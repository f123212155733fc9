import { test } from "node:test";
import assert from "node:assert/strict";
import { qr } from "../../src/linalg/qr.js";
import { frobeniusNorm, matmul, sub, zeros, hstack } from "../../src/linalg/matrix.js";
import { gaussianMatrix, orthogonalityError } from "./fixtures.js";

test("qr gives orthonormal q, upper-triangular r and q r = a for tall, square and wide a", () => {
  for (const [m, n] of [[1, 1], [10, 3], [40, 40], [5, 12], [300, 20], [1, 6], [6, 1]]) {
    const a = gaussianMatrix(m, n, m * 100 + n);
    const { q, r } = qr(a);
    const p = Math.min(m, n);
    assert.deepEqual([q.rows, q.cols, r.rows, r.cols], [m, p, p, n]);
    assert.ok(orthogonalityError(q) < 1e-14 * Math.sqrt(p), `${m}×${n} orthogonality`);
    for (let i = 0; i < p; i++) for (let j = 0; j < Math.min(i, n); j++) assert.equal(r.data[i * n + j], 0);
    assert.ok(frobeniusNorm(sub(matmul(q, r), a)) < 1e-14 * frobeniusNorm(a) * Math.sqrt(p), `${m}×${n} reconstruction`);
  }
});

test("qr of a matrix with dependent or zero columns still returns orthonormal q", () => {
  const g = gaussianMatrix(8, 2, 1);
  const a = hstack(hstack(g, g), zeros(8, 2));
  const { q, r } = qr(a);
  assert.ok(orthogonalityError(q) < 1e-14);
  assert.ok(frobeniusNorm(sub(matmul(q, r), a)) < 1e-14 * frobeniusNorm(a));
});
