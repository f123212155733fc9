import { test } from "node:test";
import assert from "node:assert/strict";
import { assertClose } from "../helpers.js";
import { eigh, eigvalsh } from "../../src/linalg/eigh.js";
import { diag, fromRows, identity, scale, zeros } from "../../src/linalg/matrix.js";
import { EPS, gaussianMatrix, orthogonalityError, reconstructionError, withSpectrum } from "./fixtures.js";

test("eigh recovers a known spectrum Q diag(λ) Qᵀ, ascending, with orthonormal vectors", () => {
  for (const n of [1, 2, 3, 10, 30, 50, 80]) {
    const lambda = Array.from({ length: n }, (_, i) => Math.cos(i) * (1 + i));
    const a = withSpectrum(lambda, 40 + n);
    const { values, vectors } = eigh(a);
    const sorted = lambda.slice().sort((x, y) => x - y);
    const scale = Math.max(...lambda.map(Math.abs));
    for (let i = 0; i < n; i++) assertClose(values[i], sorted[i], 0, 50 * n * EPS * scale, `n=${n} λ[${i}]`);
    assert.ok(reconstructionError(a, vectors, values, vectors) < 1e-13 * Math.sqrt(n), `n=${n} reconstruction`);
    assert.ok(orthogonalityError(vectors) < 1e-13 * Math.sqrt(n), `n=${n} orthogonality ${orthogonalityError(vectors)}`);
  }
});

test("eigh handles repeated eigenvalues, zero and identity matrices", () => {
  const a = withSpectrum([2, 2, 2, -1, -1, 0, 0, 5], 3);
  const { values, vectors } = eigh(a);
  assert.deepEqual(Array.from(values, (x) => Math.round(x * 1e12) / 1e12 + 0), [-1, -1, 0, 0, 2, 2, 2, 5]);
  assert.ok(orthogonalityError(vectors) < 1e-14 * 8);
  for (const m of [zeros(4, 4), identity(5), diag([3, 1, 2])]) {
    const r = eigh(m);
    assert.ok(reconstructionError(m, r.vectors, r.values, r.vectors) < 1e-15);
    assert.ok(orthogonalityError(r.vectors) < 1e-15);
  }
  assert.deepEqual(Array.from(eigh(diag([3, 1, 2])).values), [1, 2, 3]);
});

test("eigh works on matrices scaled to 1e-300 and 1e300 (no overflow, underflow or NaN)", () => {
  const lambda = [3, -1, 0.5, 2, -4, 1e-3];
  for (const c of [1e-300, 1e-160, 1e160, 1e300]) {
    const a = scale(withSpectrum(lambda, 5), c);
    const { values, vectors } = eigh(a);
    const sorted = lambda.slice().sort((x, y) => x - y);
    for (let i = 0; i < lambda.length; i++) assertClose(values[i] / c, sorted[i], 0, 1e-13 * 4, `scale ${c} λ[${i}]`);
    assert.ok(orthogonalityError(vectors) < 1e-13);
  }
});

test("eigvalsh equals the eigenvalues of eigh, ascending", () => {
  for (const n of [1, 2, 5, 33, 60]) {
    const g = gaussianMatrix(n, n, 70 + n);
    const a = { rows: n, cols: n, data: new Float64Array(n * n) };
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) a.data[i * n + j] = g.data[i * n + j] + g.data[j * n + i];
    const v1 = eigvalsh(a), v2 = eigh(a).values;
    for (let i = 0; i < n; i++) assertClose(v1[i], v2[i], 0, 1e-13 * Math.abs(v2[n - 1] - v2[0] + 1), `n=${n} λ[${i}]`);
  }
  assert.throws(() => eigvalsh(zeros(2, 3)), { message: "eigvalsh: a must be square; received shape [2, 3]." });
});

test("eigh of an empty matrix returns empty results", () => {
  const r = eigh(zeros(0, 0));
  assert.equal(r.values.length, 0);
  assert.equal(r.vectors.rows, 0);
});

test("eigh rejects a non-square matrix and names its shape", () => {
  assert.throws(() => eigh(zeros(2, 3)), { name: "RangeError", message: "eigh: a must be square; received shape [2, 3]." });
});

test("eigh rejects an asymmetric matrix and names the worst entry", () => {
  const a = fromRows([[1, 2, 0], [2, 1, 0.5], [0, 0, 1]]);
  assert.throws(() => eigh(a), { name: "RangeError", message: /^eigh: a must be symmetric .*received \|a\[2\]\[1\] − a\[1\]\[2\]\| = 5\.000e-1/ });
  // Asymmetry below the tolerance is accepted and the symmetric part is decomposed.
  const b = fromRows([[1, 2 + 1e-14], [2, 1]]);
  assertClose(eigh(b).values[1], 3 + 5e-15, 1e-15);
  assert.doesNotThrow(() => eigh(a, { symmetryTol: 0.5 }));
});

test("eigh rejects non-finite entries", () => {
  const a = gaussianMatrix(3, 3, 1);
  a.data[4] = Infinity;
  assert.throws(() => eigh(a), { name: "RangeError", message: /^eigh: a must be finite; received Infinity at index 4\./ });
});
