import { test } from "node:test";
import assert from "node:assert/strict";
import { assertClose } from "../helpers.js";
import { eigh, eighAbove, eigvalsh } from "../../src/linalg/eigh.js";
import { type Matrix, diag, fromRows, identity, scale, zeros } from "../../src/linalg/matrix.js";
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

/**
 * eighAbove against eigh: the count above the threshold, all eigenvalues to 1e-13‖a‖, and for the
 * selected pairs ‖a v − λ v‖ ≤ 1e-13‖a‖ and orthonormality to 1e-13 (sums on a/‖a‖, so that no
 * square over- or underflows at extreme scales).
 */
function checkAbove(a: Matrix, threshold: number, label: string): number {
  const n = a.rows, r = eighAbove(a, threshold), full = eigh(a);
  const norm = Math.max(Math.abs(full.values[0]), Math.abs(full.values[n - 1]));
  let expected = 0;
  while (expected < n && full.values[n - 1 - expected] > threshold) expected++;
  assert.equal(r.count, expected, `${label}: count`);
  for (let i = 0; i < n; i++) assertClose(r.values[i] / norm, full.values[i] / norm, 0, 1e-13, `${label}: λ[${i}]/‖a‖`);
  for (let t = 0; t < r.count; t++) {
    const lambda = r.values[n - r.count + t] / norm, v = r.vectors.subarray(t * n, (t + 1) * n);
    let res = 0;
    for (let i = 0; i < n; i++) {
      let s = -lambda * v[i];
      for (let j = 0; j < n; j++) s += (a.data[i * n + j] / norm) * v[j];
      res += s * s;
    }
    assert.ok(Math.sqrt(res) <= 1e-13, `${label}: ‖a v − λ v‖ = ${Math.sqrt(res).toExponential(2)}·‖a‖ for pair ${t}`);
    for (let u = 0; u <= t; u++) {
      let dot = 0;
      for (let i = 0; i < n; i++) dot += v[i] * r.vectors[u * n + i];
      assertClose(dot, u === t ? 1 : 0, 0, 1e-13, `${label}: v${t}ᵀv${u}`);
    }
  }
  return r.count;
}

test("eighAbove: one pair, two clusters of equal eigenvalues, gaps either side of the cluster tolerance, graded spectra", () => {
  for (const n of [5, 10, 30, 50]) {
    const rest = Array.from({ length: n }, (_, i) => i / (2 * n));
    assert.equal(checkAbove(withSpectrum(rest.map((v, i) => (i === 0 ? 4 : v)), n), 1, `n=${n} one`), 1);
    // Top eigenvalues 3, 3 and 2, 2 (exactly equal in pairs): two clusters, four vectors.
    const twoClusters = rest.map((v, i) => (i < 2 ? 3 : i < 4 ? 2 : v));
    if (n >= 8) assert.equal(checkAbove(withSpectrum(twoClusters, n + 1), 1, `n=${n} two clusters`), 4);
    // Gaps of 1.5e-3, 5e-4 and 1e-7 times ‖a‖ between the three selected: outside and inside the
    // distance (1e-3‖T‖) below which inverse iteration orthogonalizes explicitly (without, 1e-7
    // leaves vᵀw ≈ ε/1e-7).
    for (const gap of [1.5e-3, 5e-4, 1e-7]) {
      assert.equal(checkAbove(withSpectrum(rest.map((v, i) => (i < 3 ? 1 - gap * i : v)), n + 2), 0.6, `n=${n} gap ${gap}`), Math.min(3, n));
    }
    assert.equal(checkAbove(withSpectrum(rest.map((_, i) => 10 ** ((-15 * i) / n)), n + 3), 10 ** (-22.5 / n), `n=${n} graded`), 2);
  }
});

test("eighAbove: the Wilkinson matrix W21+ (top pair equal to 1e-14) and a tridiagonal split by a zero", () => {
  const w = zeros(21, 21);
  for (let i = 0; i < 21; i++) {
    w.data[i * 21 + i] = Math.abs(10 - i);
    if (i < 20) w.data[i * 21 + i + 1] = w.data[(i + 1) * 21 + i] = 1;
  }
  assert.equal(checkAbove(w, 9, "W21+"), 4);
  w.data[10 * 21 + 11] = w.data[11 * 21 + 10] = 0;
  assert.equal(checkAbove(w, 9, "W21+ split"), 4);
});

test("eighAbove at scales 1e-310 (subnormal entries) and 1e300, with thresholds 0 and −∞, and below n = 5", () => {
  const lambda = [3, 2.5, 1, 0.5, 0.25, 0.1, 0.05, 0.01, 0, 0];
  for (const c of [1e-310, 1e300]) {
    const a = scale(withSpectrum(lambda, 9), c);
    assert.equal(checkAbove(a, 2 * c, `scale ${c}`), 2);
    assert.equal(checkAbove(a, 0.75 * c, `scale ${c}, 3 pairs`), 3);
  }
  // Threshold 0 on a PSD matrix of subnormal size: all positive eigenvalues (the full decomposition).
  assert.ok(checkAbove(scale(withSpectrum(lambda, 10), 1e-310), 0, "threshold 0") >= 8);
  assert.equal(checkAbove(withSpectrum([1, 2, 3, 4, 5, 6], 11), -Infinity, "−∞"), 6);
  for (const n of [1, 2, 4]) assert.equal(checkAbove(withSpectrum(Array.from({ length: n }, (_, i) => i + 1), 12), n - 0.5, `n=${n}`), 1);
});
