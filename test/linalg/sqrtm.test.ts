import { test } from "node:test";
import assert from "node:assert/strict";
import { invSqrtmPsd, sqrtmPsd } from "../../src/linalg/sqrtm.js";
import { frobeniusNorm, fromRows, identity, matmul, sub } from "../../src/linalg/matrix.js";
import { withSpectrum } from "./fixtures.js";

test("sqrtmPsd(a) squared equals a and is symmetric, also for singular PSD a", () => {
  for (const lambda of [[4, 1, 9, 0.25, 2], [3, 0, 0, 1e-20, 7, 2]]) {
    const a = withSpectrum(lambda, lambda.length);
    const s = sqrtmPsd(a);
    assert.ok(frobeniusNorm(sub(matmul(s, s), a)) < 1e-14 * frobeniusNorm(a) * 10);
    const n = s.rows;
    for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) assert.equal(s.data[i * n + j], s.data[j * n + i]);
  }
});

test("invSqrtmPsd(a) is the inverse of sqrtmPsd(a)", () => {
  const a = withSpectrum([4, 1, 9, 0.25, 2, 30], 1);
  const prod = matmul(invSqrtmPsd(a), sqrtmPsd(a));
  assert.ok(frobeniusNorm(sub(prod, identity(6))) < 1e-13);
});

test("invSqrtmPsd throws a singular RangeError naming a and the smallest eigenvalue", () => {
  const a = withSpectrum([1, 2, 0, 3], 2);
  assert.throws(() => invSqrtmPsd(a), { name: "RangeError", message: /^invSqrtmPsd: a must be nonsingular positive definite; received a singular matrix \(smallest eigenvalue -?\d\.\d+e-1[5-7] ≤ rtol/ });
  const b = withSpectrum([1, 2, 1e-6], 3);
  assert.doesNotThrow(() => invSqrtmPsd(b));
  assert.throws(() => invSqrtmPsd(b, { rtol: 1e-5 }), /smallest eigenvalue 1\.000e-6/);
});

test("sqrtmPsd rejects an indefinite matrix, and both name their own function on bad input", () => {
  assert.throws(() => sqrtmPsd(fromRows([[1, 0], [0, -1]])), { message: /^sqrtmPsd: a must be positive semidefinite; received smallest eigenvalue -1\.000e\+0/ });
  assert.throws(() => sqrtmPsd(fromRows([[1, 2], [0, 1]])), { message: /^sqrtmPsd: a must be symmetric/ });
  assert.throws(() => invSqrtmPsd(fromRows([[1, 2, 3]])), { message: "invSqrtmPsd: a must be square; received shape [1, 3]." });
});
