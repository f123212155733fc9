import { test } from "node:test";
import assert from "node:assert/strict";
import type { Matrix } from "../../src/linalg/matrix.js";
import { createRng } from "../../src/random/rng.js";
import { singularValueThreshold, svdThreshold } from "../../src/solvers/prox.js";
import { ThresholdWarmStart, WARM_MIN_SIZE } from "../../src/solvers/warm-threshold.js";
import { nuclearNormMin } from "../../src/solvers/nuclear-norm.js";
import { recoveryInstance } from "../../src/experiments/recovery.js";
import { randomOrthogonal } from "../linalg/fixtures.js";
import { assertClose } from "../helpers.js";

/** z = U diag(σ) Vᵀ (d1×d2) from the first columns of U, V (orthogonal). */
function compose(U: Matrix, V: Matrix, sigma: number[], d1: number, d2: number): Matrix {
  const z = new Float64Array(d1 * d2);
  for (let i = 0; i < d1; i++) for (let j = 0; j < d2; j++) {
    let s = 0;
    for (let k = 0; k < sigma.length; k++) s += U.data[i * d1 + k] * sigma[k] * V.data[j * d2 + k];
    z[i * d2 + j] = s;
  }
  return { rows: d1, cols: d2, data: z };
}

/** The warm route's output against the SVD route: same rank, ‖·‖_*, σ_max, output within 1e-12‖z‖_F. */
function checkAgainstSvd(z: Matrix, tau: number, warm: ThresholdWarmStart, label: string): void {
  const a = new Float64Array(z.rows * z.cols).fill(NaN), b = new Float64Array(z.rows * z.cols);
  const ra = singularValueThreshold(z, tau, a, warm), rb = svdThreshold(z, tau, b);
  assert.equal(ra.rank, rb.rank, `${label}: rank`);
  assertClose(ra.nuclearNorm, rb.nuclearNorm, 1e-12, 1e-13 * rb.rank * rb.inputOperatorNorm, `${label}: ‖·‖_*`);
  assertClose(ra.inputOperatorNorm, rb.inputOperatorNorm, 1e-12, 0, `${label}: σ_max`);
  let diff = 0, norm = 0;
  for (let i = 0; i < a.length; i++) { diff += (a[i] - b[i]) ** 2; norm += z.data[i] ** 2; }
  assert.ok(Math.sqrt(diff) <= 1e-12 * Math.sqrt(norm), `${label}: output differs by ${Math.sqrt(diff / norm).toExponential(2)}·‖z‖_F`);
}

/**
 * A sequence of iterates as an ADMM run makes them: a fixed spectrum whose singular vectors turn a
 * little at each step (U ← U·R with R a small rotation), so that the previous subspace is a good start.
 */
function drifting(d1: number, d2: number, sigma: (step: number) => number[], steps: number, angle: number, seed: number): Matrix[] {
  const U0 = randomOrthogonal(d1, seed), V0 = randomOrthogonal(d2, seed + 1);
  const turn = (Q: Matrix, n: number, step: number): Matrix => {
    // Q·G with G a product of plane rotations by angle·step in random planes (deterministic).
    const out = Float64Array.from(Q.data);
    const r2 = createRng(seed + 3);
    for (let g = 0; g < 2 * n; g++) {
      const a = Math.floor(r2.uniform() * n), b = (a + 1 + Math.floor(r2.uniform() * (n - 1))) % n, th = angle * step * (r2.uniform() - 0.5);
      const c = Math.cos(th), s = Math.sin(th);
      for (let i = 0; i < n; i++) { const x = out[i * n + a], y = out[i * n + b]; out[i * n + a] = c * x - s * y; out[i * n + b] = s * x + c * y; }
    }
    return { rows: n, cols: n, data: out };
  };
  return Array.from({ length: steps }, (_, k) => compose(turn(U0, d1, k), turn(V0, d2, k), sigma(k), d1, d2));
}

test("warm thresholding equals the SVD route on drifting iterates (square, wide, tall) and serves most calls", () => {
  for (const [d1, d2] of [[60, 60], [40, 70], [70, 40]]) {
    const p = Math.min(d1, d2);
    // Two kept values (σ = 10, 7 against τ = 1), the rest just below τ as near an ADMM solution.
    const sigma = () => Array.from({ length: p }, (_, i) => (i === 0 ? 10 : i === 1 ? 7 : 0.95 - (0.5 * i) / p));
    const warm = new ThresholdWarmStart();
    drifting(d1, d2, sigma, 30, 1e-4, 5).forEach((z, k) => checkAgainstSvd(z, 1, warm, `${d1}×${d2} step ${k}`));
    assert.ok(warm.warmCalls >= 25, `${d1}×${d2}: warm route served ${warm.warmCalls} of 30 calls`);
  }
});

test("warm thresholding: a singular value rising above τ outside the warm subspace is caught by the certificate", () => {
  const d = 50, U = randomOrthogonal(d, 11), V = randomOrthogonal(d, 12);
  const warm = new ThresholdWarmStart();
  const base = Array.from({ length: d }, (_, i) => (i === 0 ? 8 : i === 1 ? 6 : 0.9 * (1 - i / d)));
  for (let k = 0; k < 6; k++) checkAgainstSvd(compose(U, V, base, d, d), 1, warm, `settle ${k}`);
  const before = warm.warmCalls;
  assert.ok(before >= 3, `the warm route was in use (${before} calls)`);
  // Direction 40 (far outside the 2 + GUARD warm vectors) jumps to 1.5τ: rank 3.
  const jumped = base.map((v, i) => (i === 40 ? 1.5 : v));
  checkAgainstSvd(compose(U, V, jumped, d, d), 1, warm, "jump");
  // Then back: the route recovers after its wait.
  for (let k = 0; k < 8; k++) checkAgainstSvd(compose(U, V, base, d, d), 1, warm, `after ${k}`);
  assert.ok(warm.warmCalls > before, "the warm route is used again after the jump");
});

test("warm thresholding on adversarial spectra: clustered and equal kept values, values at and just above τ, huge and tiny ratios, zero tail", () => {
  const d = 40, U = randomOrthogonal(d, 21), V = randomOrthogonal(d, 22);
  const spectra: [string, number[], number][] = [
    ["equal kept values", Array.from({ length: d }, (_, i) => (i < 3 ? 5 : 0.8 * 0.9 ** i)), 1],
    ["clustered kept values", Array.from({ length: d }, (_, i) => (i < 3 ? 5 + 1e-11 * i : 0.8 * 0.9 ** i)), 1],
    ["a value exactly at τ", Array.from({ length: d }, (_, i) => (i === 0 ? 6 : i === 1 ? 1 : 0.5 / (i + 1))), 1],
    ["a value 1e-12 above τ", Array.from({ length: d }, (_, i) => (i === 0 ? 6 : i === 1 ? 1 + 1e-12 : 0.5 / (i + 1))), 1],
    ["σ_max/τ = 60 (the Gram route's edge)", Array.from({ length: d }, (_, i) => (i === 0 ? 60 : i === 1 ? 3 : 0.5 / (i + 1))), 1],
    ["zero tail (rank 2)", Array.from({ length: d }, (_, i) => (i === 0 ? 3 : i === 1 ? 2 : 0)), 1],
    ["tiny scale", Array.from({ length: d }, (_, i) => (i === 0 ? 3e-150 : i === 1 ? 2e-150 : 1e-151 / (i + 1))), 1e-150],
    ["huge scale", Array.from({ length: d }, (_, i) => (i === 0 ? 3e150 : i === 1 ? 2e150 : 1e149 / (i + 1))), 1e150],
  ];
  for (const [name, sigma, tau] of spectra) {
    const warm = new ThresholdWarmStart();
    // The same iterate repeatedly, then slightly perturbed: the warm route gets its chance.
    for (let k = 0; k < 5; k++) checkAgainstSvd(compose(U, V, sigma.map((s) => s * (1 + 1e-9 * k)), d, d), tau, warm, `${name}, call ${k}`);
  }
});

test("warm thresholding stays with the full route when the kept values sit among the rest (near the phase transition)", () => {
  const d = 40, U = randomOrthogonal(d, 31), V = randomOrthogonal(d, 32);
  const sigma = Array.from({ length: d }, (_, i) => 1.205 - (0.4 * i) / d); // 21 values above τ = 1, no gap
  const warm = new ThresholdWarmStart();
  for (let k = 0; k < 6; k++) checkAgainstSvd(compose(U, V, sigma, d, d), 1, warm, `call ${k}`);
  assert.equal(warm.warmCalls, 0);
  assert.equal(warm.fullCalls, 6);
});

test("the solver uses the warm route from min(d1, d2) = WARM_MIN_SIZE on and still recovers the known solution; below it, never", () => {
  for (const d of [WARM_MIN_SIZE - 1, WARM_MIN_SIZE + 4]) {
    const { truth, A, b } = recoveryInstance({ ensemble: "completion", d, r: 2, p: 0.4 }, 1, 7);
    const r = nuclearNormMin(A, b, { tol: 1e-9, recordHistory: false });
    assert.ok(r.converged, `d = ${d}: converged`);
    let err = 0;
    for (let i = 0; i < truth.data.length; i++) err += (r.x.data[i] - truth.data[i]) ** 2;
    assert.ok(Math.sqrt(err) < 1e-6, `d = ${d}: ‖X̂ − M♮‖_F = ${Math.sqrt(err).toExponential(2)}`);
    if (d < WARM_MIN_SIZE) assert.equal(r.warmThresholds, 0, `d = ${d}`);
    else assert.ok(r.warmThresholds > r.iterations / 3, `d = ${d}: ${r.warmThresholds} warm of ${r.iterations} iterations`);
  }
});
