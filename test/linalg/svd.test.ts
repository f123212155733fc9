import { test } from "node:test";
import assert from "node:assert/strict";
import { assertClose } from "../helpers.js";
import { svd, singularValues } from "../../src/linalg/svd.js";
import { type Matrix, diag, fromRows, matmul, matmulNT, scale, transpose, zeros } from "../../src/linalg/matrix.js";
import { EPS, gaussianMatrix, orthogonalityError, randomOrthogonal, reconstructionError } from "./fixtures.js";

const METHODS = ["golub-kahan", "jacobi"] as const;

function assertValidSvd(a: Matrix, label: string, tol = 1e-13): void {
  for (const method of METHODS) assertValidSvdWith(a, `${method} ${label}`, method, tol);
}

function assertValidSvdWith(a: Matrix, label: string, method: (typeof METHODS)[number], tol: number): void {
  const { u, s, v } = svd(a, { method });
  const p = Math.min(a.rows, a.cols);
  assert.deepEqual([u.rows, u.cols, v.rows, v.cols, s.length], [a.rows, p, a.cols, p, p], `${label}: shapes`);
  for (let i = 1; i < p; i++) assert.ok(s[i] <= s[i - 1], `${label}: s must be descending at ${i}`);
  for (let i = 0; i < p; i++) assert.ok(s[i] >= 0, `${label}: s must be nonnegative`);
  const rec = reconstructionError(a, u, s, v);
  assert.ok(rec < tol, `${label}: ‖A − UΣVᵀ‖/‖A‖ = ${rec}`);
  const ou = orthogonalityError(u), ov = orthogonalityError(v);
  assert.ok(ou < tol * Math.sqrt(p + 1) && ov < tol * Math.sqrt(p + 1), `${label}: ‖UᵀU − I‖ = ${ou}, ‖VᵀV − I‖ = ${ov}`);
}

test("svd reconstructs random matrices of every shape with orthonormal factors", () => {
  const shapes: [number, number][] = [[1, 1], [1, 7], [7, 1], [2, 2], [5, 5], [10, 10], [30, 30], [50, 50], [80, 80], [60, 15], [15, 60], [200, 3], [3, 200]];
  shapes.forEach(([r, c], k) => assertValidSvd(gaussianMatrix(r, c, 100 + k), `${r}×${c}`));
});

test("svd handles rank-deficient matrices: rank-3 product, duplicated columns", () => {
  const a = matmulNT(gaussianMatrix(30, 3, 1), gaussianMatrix(20, 3, 2));
  for (const m of [a, transpose(a)]) for (const method of METHODS) {
    assertValidSvdWith(m, `${method} rank 3 ${m.rows}×${m.cols}`, method, 1e-13);
    const s = svd(m, { method }).s;
    assert.ok(s[2] > 1e-3 && s[3] < 1e-13 * s[0], `rank 3 expected; s = ${Array.from(s.subarray(0, 5))}`);
  }
  const b = gaussianMatrix(10, 4, 3);
  assertValidSvd(fromRows(Array.from({ length: 10 }, (_, i) => [b.data[4 * i], b.data[4 * i], b.data[4 * i + 1], b.data[4 * i + 1]])), "duplicated columns");
});

test("svd of zero matrices returns s = 0 and still orthonormal u and v", () => {
  for (const [r, c] of [[4, 3], [3, 4], [1, 1], [5, 5]]) for (const method of METHODS) {
    const { u, s, v } = svd(zeros(r, c), { method });
    assert.ok(s.every((x) => x === 0));
    assert.ok(orthogonalityError(u) < 1e-15 && orthogonalityError(v) < 1e-15);
  }
});

test("svd of empty matrices returns empty factors of the right shapes", () => {
  for (const [r, c] of [[0, 5], [5, 0], [0, 0]]) {
    const { u, s, v } = svd(zeros(r, c));
    assert.deepEqual([u.rows, u.cols, s.length, v.rows, v.cols], [r, 0, 0, c, 0]);
  }
});

test("svd recovers prescribed singular values, including repeated and tiny ones", () => {
  const n = 12;
  const sigma = [5, 5, 5, 3, 3, 1, 1e-3, 1e-3, 1e-8, 1e-12, 0, 0];
  const a = matmulNT(matmul(randomOrthogonal(n, 7), diag(sigma)), randomOrthogonal(n, 8));
  assertValidSvd(a, "prescribed spectrum");
  for (const method of METHODS) {
    const s = svd(a, { method }).s;
    for (let i = 0; i < n; i++) assertClose(s[i], sigma[i], 0, 20 * n * EPS * 5, `${method} s[${i}]`);
  }
});

test("svd of an identity and of a diagonal with mixed signs gives |entries| sorted", () => {
  for (const method of METHODS) assert.deepEqual(Array.from(svd(diag([-2, 0.5, 3, -1]), { method }).s), [3, 2, 1, 0.5]);
  assertValidSvd(diag([1, 1, 1]), "identity");
});

test("singularValues equals svd(a).s for both methods and both orientations", () => {
  const a = gaussianMatrix(17, 9, 11);
  for (const b of [a, transpose(a)]) {
    const s1 = singularValues(b);
    for (const method of METHODS) {
      const s2 = svd(b, { method }).s;
      for (let i = 0; i < s1.length; i++) assertClose(s1[i], s2[i], 1e-13);
    }
  }
});

test("svd with the jacobi method gets tiny singular values of a graded matrix to high relative accuracy", () => {
  // D1 Q D2 with a well-conditioned Q: singular values spread over 1e-12..1, each known to a few ulps relative.
  const n = 8;
  const q = randomOrthogonal(n, 3);
  const grade = Array.from({ length: n }, (_, i) => 10 ** (-(12 * i) / (n - 1)));
  const a = matmul(diag(grade), q);
  const s = svd(a, { method: "jacobi" }).s;
  for (let i = 0; i < n; i++) assertClose(s[i], grade[i], 1e-12, 0, `s[${i}]`);
});

test("svd works on matrices scaled to 1e-300 and 1e300 (no overflow, underflow or NaN)", () => {
  const g = gaussianMatrix(9, 7, 21);
  const s0 = singularValues(g);
  for (const c of [1e-300, 1e-160, 1e160, 1e300]) {
    const a = scale(g, c);
    assertValidSvd(a, `scale ${c}`);
    for (const method of METHODS) {
      const s = svd(a, { method }).s;
      for (let i = 0; i < s.length; i++) assertClose(s[i] / c, s0[i], 1e-13, 0, `${method} scale ${c} s[${i}]`);
    }
    const sv = singularValues(a);
    for (let i = 0; i < sv.length; i++) assertClose(sv[i] / c, s0[i], 1e-13, 0, `singularValues scale ${c}`);
  }
});

test("svd rejects non-finite entries and non-matrices, naming the argument", () => {
  const a = fromRows([[1, 2], [3, NaN]]);
  assert.throws(() => svd(a), { name: "RangeError", message: /^svd: a must be finite; received NaN at index 3\./ });
  assert.throws(() => svd({ rows: 1, cols: 1, data: [1] } as unknown as Matrix), { name: "TypeError", message: /^svd: a must be a Matrix/ });
  assert.throws(() => svd(fromRows([[1]]), { method: "qr" as "jacobi" }), { name: "RangeError", message: 'svd: options.method must be one of "golub-kahan", "jacobi"; received "qr".' });
});
