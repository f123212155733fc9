import { test } from "node:test";
import assert from "node:assert/strict";
import { type Matrix } from "../../src/linalg/matrix.js";
import { eigh, eighAbove, eighBeyond } from "../../src/linalg/eigh.js";
import { createRng } from "../../src/random/rng.js";
import { singularValueThreshold, svdThreshold, symmetricThreshold } from "../../src/solvers/prox.js";
import { relError } from "../helpers.js";

const rng = createRng(11);

/** Q diag(λ) Qᵀ for a random orthogonal Q (Gram–Schmidt of a Gaussian matrix). */
function withSpectrum(lambda: number[]): Matrix {
  const n = lambda.length, Q = rng.gaussians(n * n);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < i; k++) {
      let c = 0;
      for (let j = 0; j < n; j++) c += Q[i * n + j] * Q[k * n + j];
      for (let j = 0; j < n; j++) Q[i * n + j] -= c * Q[k * n + j];
    }
    let s = 0;
    for (let j = 0; j < n; j++) s += Q[i * n + j] ** 2;
    for (let j = 0; j < n; j++) Q[i * n + j] /= Math.sqrt(s);
  }
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) {
    let s = 0;
    for (let k = 0; k < n; k++) s += lambda[k] * Q[k * n + i] * Q[k * n + j];
    a[i * n + j] = a[j * n + i] = s;
  }
  return { rows: n, cols: n, data: a };
}

/** Residual, orthonormality and eigenvalue checks of eighAbove against eigh. */
function check(a: Matrix, threshold: number, label: string): number {
  const n = a.rows, r = eighAbove(a, threshold), full = eigh(a);
  const scale = Math.max(Math.abs(full.values[0] ?? 0), Math.abs(full.values[n - 1] ?? 0), Number.MIN_VALUE);
  let expected = 0;
  while (expected < n && full.values[n - 1 - expected] > threshold) expected++;
  assert.equal(r.count, expected, `${label}: count`);
  for (let i = 0; i < n; i++) assert.ok(Math.abs(r.values[i] - full.values[i]) <= 1e-14 * n * scale, `${label}: eigenvalue ${i}`);
  checkPairs(a, Array.from({ length: r.count }, (_, t) => r.values[n - r.count + t]), r.vectors, scale, label);
  return r.count;
}

/** Each row t of vectors is a unit eigenvector of a for lambdas[t] (residual ≤ 1e-13·scale), orthogonal to the others. */
function checkPairs(a: Matrix, lambdas: number[], vectors: Float64Array, scale: number, label: string): void {
  const n = a.rows;
  for (let t = 0; t < lambdas.length; t++) {
    const lam = lambdas[t], v = vectors.subarray(t * n, (t + 1) * n);
    let res = 0;
    for (let i = 0; i < n; i++) {
      let s = -lam * v[i];
      for (let j = 0; j < n; j++) s += a.data[i * n + j] * v[j];
      res += s * s;
    }
    assert.ok(Math.sqrt(res) <= 1e-13 * scale, `${label}: residual of vector ${t} = ${Math.sqrt(res) / scale}·‖a‖`);
    for (let u = 0; u <= t; u++) {
      let dot = 0;
      for (let i = 0; i < n; i++) dot += v[i] * vectors[u * n + i];
      assert.ok(Math.abs(dot - (u === t ? 1 : 0)) <= 1e-13, `${label}: vᵀv for ${t}, ${u} = ${dot}`);
    }
  }
}

test("eighAbove: the eigenpairs above a threshold, with clusters of equal eigenvalues, against eigh", () => {
  for (const n of [6, 12, 30, 51]) {
    const spread = Array.from({ length: n }, (_, i) => i / n);
    // Three exactly equal top eigenvalues and a near-equal fourth: one cluster.
    check(withSpectrum(spread.map((v, i) => (i < 3 ? 5 : i === 3 ? 5 + 1e-12 : v))), 1, `n=${n} cluster`);
    // Well separated, 2 selected.
    check(withSpectrum(spread.map((v, i) => (i < 2 ? 10 * (i + 2) : v))), 2, `n=${n} separated`);
    // None selected; all selected (the full-decomposition fallback); negative spectrum.
    assert.equal(check(withSpectrum(spread), 2, `n=${n} none`), 0);
    assert.equal(check(withSpectrum(spread), -1, `n=${n} all`), n);
    check(withSpectrum(spread.map((v, i) => (i < 2 ? -v - 3 : -v))), -0.45, `n=${n} negative`);
    // Rank-deficient and zero matrices.
    check(withSpectrum(spread.map((_, i) => (i < 2 ? i + 1 : 0))), 0.5, `n=${n} rank 2`);
    assert.equal(check({ rows: n, cols: n, data: new Float64Array(n * n) }, 0, `n=${n} zero`), 0);
  }
});

test("eighAbove works at scales 1e-150 and 1e150", () => {
  for (const s of [1e-150, 1e150]) {
    const a = withSpectrum([3, 2, 1, 0.5, 0.25, 0.1, 0.05, 0.01].map((v) => v * s));
    assert.equal(check(a, 1.5 * s, `scale ${s}`), 2);
  }
});

test("eighAbove rejects bad input naming the argument", () => {
  assert.throws(() => eighAbove({ rows: 2, cols: 3, data: new Float64Array(6) }, 0), /eighAbove: a must be square; received shape \[2, 3\]/);
  assert.throws(() => eighAbove({ rows: 2, cols: 2, data: Float64Array.from([1, NaN, NaN, 1]) }, 0), /eighAbove: a/);
  assert.throws(() => eighAbove({ rows: 2, cols: 2, data: Float64Array.from([1, 0, 0, 1]) }, NaN), /eighAbove: threshold must be a number; received NaN/);
});

test("singularValueThreshold's Gram route (eighAbove) equals the SVD route with repeated and clustered singular values", () => {
  for (const [d1, d2] of [[30, 30], [40, 25], [25, 40], [8, 8]]) {
    const p = Math.min(d1, d2);
    // z = U diag(σ) Vᵀ with σ = (3, 3, 3, 2, 2 + 1e-10, small ...).
    const sigma = Array.from({ length: p }, (_, i) => (i < 3 ? 3 : i < 5 ? 2 + (i - 3) * 1e-10 : 0.1 / (i + 1)));
    // Random orthogonal U, V: the eigenvectors of random symmetric matrices.
    const Ur = eigh(withSpectrum(Array.from({ length: d1 }, (_, i) => i))).vectors, Vr = eigh(withSpectrum(Array.from({ length: d2 }, (_, i) => i))).vectors;
    const z = new Float64Array(d1 * d2);
    for (let i = 0; i < d1; i++) for (let j = 0; j < d2; j++) {
      let s = 0;
      for (let k = 0; k < p; k++) s += Ur.data[i * d1 + k] * sigma[k] * Vr.data[j * d2 + k];
      z[i * d2 + j] = s;
    }
    for (const tau of [2.5, 1, 0.05, 5]) {
      const a = new Float64Array(d1 * d2), b = new Float64Array(d1 * d2);
      const ra = singularValueThreshold({ rows: d1, cols: d2, data: z }, tau, a);
      const rb = svdThreshold({ rows: d1, cols: d2, data: z }, tau, b);
      assert.equal(ra.rank, rb.rank, `${d1}×${d2}, τ = ${tau}: rank`);
      assert.ok(Math.abs(ra.nuclearNorm - rb.nuclearNorm) <= 1e-12 * (1 + rb.nuclearNorm), `${d1}×${d2}, τ = ${tau}: ‖·‖_*`);
      assert.ok(rb.rank === 0 ? a.every((v) => v === 0) : relError(a, b) < 1e-12, `${d1}×${d2}, τ = ${tau}: output differs by ${relError(a, b)}`);
    }
  }
});

/** eighBeyond against eigh: the selected set is exactly {i : |λ_i| > τ} of eigh's values, with residuals and orthonormality at rounding level. */
function checkBeyond(a: Matrix, threshold: number, label: string): number {
  const n = a.rows, r = eighBeyond(a, threshold), full = eigh(a);
  const scale = Math.max(Math.abs(full.values[0] ?? 0), Math.abs(full.values[n - 1] ?? 0), Number.MIN_VALUE);
  for (let i = 0; i < n; i++) assert.ok(Math.abs(r.values[i] - full.values[i]) <= 1e-14 * n * scale, `${label}: eigenvalue ${i}`);
  const expected = [...full.values.keys()].filter((i) => Math.abs(r.values[i]) > threshold);
  assert.deepEqual(Array.from(r.indices), expected, `${label}: selected indices`);
  checkPairs(a, Array.from(r.indices, (i) => r.values[i]), r.vectors, scale, label);
  return r.indices.length;
}

test("eighBeyond: the eigenpairs with |λ| above a threshold at both ends, on random and adversarial spectra, against eigh", () => {
  for (const n of [6, 13, 30, 60]) {
    const spread = Array.from({ length: n }, (_, i) => (i / n) - 0.5);
    // Random spectrum, a few beyond ±1 at both ends.
    assert.equal(checkBeyond(withSpectrum(spread.map((v, i) => (i === 0 ? 3 : i === 1 ? -2.5 : i === 2 ? 4 : v))), 1, `n=${n} random`), 3);
    // Clusters: three equal positive and two equal negative eigenvalues, plus a near-equal one.
    checkBeyond(withSpectrum(spread.map((v, i) => (i < 3 ? 5 : i < 5 ? -5 : i === 5 ? -5 - 1e-12 : v))), 1, `n=${n} clusters`);
    // Tiny and huge scales (the selection and vectors must survive 1e-150 and 1e150).
    for (const s of [1e-150, 1e150]) {
      const lam = spread.map((v, i) => (i === 0 ? 7 : i === 1 ? -6 : v) * s);
      assert.equal(checkBeyond(withSpectrum(lam), s, `n=${n} scale ${s}`), 2);
    }
    // None beyond; all beyond (the full-decomposition fallback); threshold 0 keeps every nonzero λ.
    assert.equal(checkBeyond(withSpectrum(spread), 1, `n=${n} none`), 0);
    assert.equal(checkBeyond(withSpectrum(spread.map((v) => (v >= 0 ? v + 2 : v - 2))), 1, `n=${n} all`), n);
    checkBeyond(withSpectrum(spread.map((v, i) => (i < 2 ? 0 : v))), 0, `n=${n} threshold 0`);
  }
});

test("eighBeyond: eigenvalues exactly at ±threshold are not kept (strict inequality, as in the prox)", () => {
  // A diagonal matrix has exact eigenvalues: ±2 at the threshold, ±2.0000000000000004 just beyond.
  const n = 12, diag = [2, -2, 2 + 4.440892098500626e-16, -2 - 4.440892098500626e-16, 1, -1, 0.5, 0, 0, 0, 0, 0];
  const a = new Float64Array(n * n);
  diag.forEach((v, i) => { a[i * n + i] = v; });
  const r = eighBeyond({ rows: n, cols: n, data: a }, 2);
  assert.deepEqual(Array.from(r.indices).map((i) => r.values[i]), [-2 - 4.440892098500626e-16, 2 + 4.440892098500626e-16]);
});

test("symmetricThreshold (eigenpairs beyond ±τ only) equals thresholding from the full eigh on random, clustered, tiny and huge spectra", () => {
  const reference = (z: Matrix, tau: number): Float64Array => {
    const n = z.rows, { values, vectors } = eigh(z), out = new Float64Array(n * n);
    for (let k = 0; k < n; k++) {
      const a = Math.abs(values[k]);
      if (!(a > tau)) continue;
      const c = Math.sign(values[k]) * (a - tau);
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) out[i * n + j] += c * vectors.data[i * n + k] * vectors.data[j * n + k];
    }
    return out;
  };
  for (const n of [8, 30, 60]) {
    const base = Array.from({ length: n }, (_, i) => 0.1 * ((i / n) - 0.5));
    const cases: [string, number[], number][] = [
      ["rank 3 indefinite", base.map((v, i) => (i === 0 ? 3 : i === 1 ? 2 : i === 2 ? -1.5 : v)), 0.2],
      ["clustered at ±1", base.map((v, i) => (i < 3 ? 1 : i < 5 ? -1 : v)), 0.5],
      ["tiny", base.map((v, i) => (i < 2 ? 1 - 2 * i : v) * 1e-150), 0.3e-150],
      ["huge", base.map((v, i) => (i < 2 ? 1 - 2 * i : v) * 1e150), 0.3e150],
    ];
    for (const [label, lambda, tau] of cases) {
      const z = withSpectrum(lambda), out = new Float64Array(n * n);
      const r = symmetricThreshold(z, tau, out);
      const ref = reference(z, tau);
      assert.ok(relError(out, ref) < 1e-12, `n=${n} ${label}: relative error ${relError(out, ref)}`);
      assert.equal(r.rank, lambda.filter((v) => Math.abs(v) > tau).length, `n=${n} ${label}: rank`);
      for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) assert.equal(out[i * n + j], out[j * n + i]);
    }
  }
});
