import { test } from "node:test";
import assert from "node:assert/strict";
import { solve } from "../../src/linalg/lu.js";
import { frobeniusNorm, fromRows, matmul, norm2, sub } from "../../src/linalg/matrix.js";
import { gaussianMatrix } from "./fixtures.js";

test("solve solves general square systems to small residual, vector and matrix right-hand sides", () => {
  for (const n of [1, 3, 25, 100]) {
    const a = gaussianMatrix(n, n, n);
    const b = gaussianMatrix(n, 2, n + 1);
    const x = solve(a, b);
    assert.ok(frobeniusNorm(sub(matmul(a, x), b)) < 1e-12 * frobeniusNorm(a) * frobeniusNorm(x), `n=${n}`);
    const v = solve(a, b.data.filter((_, i) => i % 2 === 0));
    const r = sub(matmul(a, { rows: n, cols: 1, data: v }), { rows: n, cols: 1, data: b.data.filter((_, i) => i % 2 === 0) });
    assert.ok(norm2(r.data) < 1e-12 * frobeniusNorm(a) * norm2(v));
  }
});

test("solve needs pivoting: a zero leading entry is no problem", () => {
  const x = solve(fromRows([[0, 1], [1, 0]]), new Float64Array([2, 3]));
  assert.deepEqual(Array.from(x), [3, 2]);
});

test("solve rejects singular and non-square a", () => {
  assert.throws(() => solve(fromRows([[1, 2], [2, 4]]), new Float64Array([1, 1])), { name: "RangeError", message: /^solve: a must be nonsingular; received a pivot of .* in column 1/ });
  assert.throws(() => solve(gaussianMatrix(2, 3, 1), new Float64Array(2)), { message: "solve: a must be square; received shape [2, 3]." });
});
