import { test } from "node:test";
import assert from "node:assert/strict";
import { cholesky, choleskySolve } from "../../src/linalg/cholesky.js";
import { type Matrix, frobeniusNorm, fromRows, matmul, matmulNT, matmulTN, sub } from "../../src/linalg/matrix.js";
import { norm2 } from "../../src/linalg/matrix.js";
import { gaussianMatrix } from "./fixtures.js";

/** A well-conditioned SPD matrix GᵀG + n·I. */
function spd(n: number, seed: number): Matrix {
  const g = gaussianMatrix(n, n, seed);
  const a = matmulTN(g, g);
  for (let i = 0; i < n; i++) a.data[i * n + i] += n;
  return a;
}

test("cholesky returns lower-triangular L with L Lᵀ = a", () => {
  for (const n of [1, 2, 7, 31, 32, 33, 67, 130]) {
    const a = spd(n, n);
    const l = cholesky(a);
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) assert.equal(l.data[i * n + j], 0);
    for (let i = 0; i < n; i++) assert.ok(l.data[i * n + i] > 0);
    const err = frobeniusNorm(sub(matmulNT(l, l), a)) / frobeniusNorm(a);
    assert.ok(err < 1e-15 * n, `n=${n}: ‖LLᵀ − a‖/‖a‖ = ${err}`);
  }
});

test("choleskySolve solves vector and matrix right-hand sides to small residual", () => {
  const n = 60;
  const a = spd(n, 5);
  const l = cholesky(a);
  const b = gaussianMatrix(n, 1, 6).data;
  const x = choleskySolve(l, b);
  const r = matmul(a, { rows: n, cols: 1, data: x });
  assert.ok(norm2(sub(r, { rows: n, cols: 1, data: b }).data) < 1e-13 * norm2(b));
  const B = gaussianMatrix(n, 3, 7);
  const X = choleskySolve(l, B);
  assert.deepEqual([X.rows, X.cols], [n, 3]);
  assert.ok(frobeniusNorm(sub(matmul(a, X), B)) < 1e-13 * frobeniusNorm(B));
  // Column 0 of the matrix solve equals the vector solve of column 0.
  const b0 = new Float64Array(n);
  for (let i = 0; i < n; i++) b0[i] = B.data[3 * i];
  const x0 = choleskySolve(l, b0);
  for (let i = 0; i < n; i++) assert.ok(Math.abs(x0[i] - X.data[3 * i]) < 1e-13);
});

test("cholesky finds a non-positive pivot inside a later block (index 70 of 100)", () => {
  // Row 70 copies row 69 and its diagonal is 1 smaller: the Schur complement at 70 is −1.
  const n = 100;
  const a = spd(n, 9);
  for (let j = 0; j < n; j++) a.data[70 * n + j] = a.data[j * n + 70] = a.data[69 * n + j];
  a.data[70 * n + 70] = a.data[69 * n + 69] - 1;
  assert.throws(() => cholesky(a), /non-positive pivot -1\.000e\+0 at index 70 \(of 100\)/);
});

test("cholesky names the pivot index where a is not positive definite", () => {
  const indefinite = fromRows([[4, 2, 0], [2, 1, 0], [0, 0, 1]]); // singular: pivot 1 is 0
  assert.throws(() => cholesky(indefinite), { name: "RangeError", message: /^cholesky: a must be positive definite; received a non-positive pivot .* at index 1 \(of 3\)\./ });
  assert.throws(() => cholesky(fromRows([[-1]])), /at index 0/);
});

test("cholesky and choleskySolve reject bad shapes and non-finite input", () => {
  assert.throws(() => cholesky(gaussianMatrix(2, 3, 1)), { message: "cholesky: a must be square; received shape [2, 3]." });
  assert.throws(() => cholesky(fromRows([[1, NaN], [NaN, 1]])), { message: /^cholesky: a must be finite; received NaN at index 1\./ });
  assert.throws(() => cholesky(fromRows([[2, 1], [0, 2]])), { name: "RangeError", message: /^cholesky: a must be symmetric .*received \|a\[1\]\[0\] − a\[0\]\[1\]\| = 1\.000e\+0/ });
  const l = cholesky(spd(3, 1));
  assert.throws(() => choleskySolve(l, new Float64Array(2)), { message: "choleskySolve: b must have length 3; received 2." });
  assert.throws(() => choleskySolve(l, new Float64Array([1, Infinity, 0])), { message: /^choleskySolve: b must be finite; received Infinity at index 1\./ });
  const bad = { rows: 3, cols: 3, data: l.data.slice() };
  bad.data[3] = NaN; // L[1][0]
  assert.throws(() => choleskySolve(bad, new Float64Array([1, 1, 1])), { name: "RangeError", message: /^choleskySolve: l must be a finite Cholesky factor; the solution has NaN at index/ });
  assert.throws(() => choleskySolve({ rows: 2, cols: 2, data: [1, 0, 0, 1] } as unknown as Matrix, new Float64Array(2)), { name: "TypeError", message: /^choleskySolve: l must be a Matrix/ });
});
