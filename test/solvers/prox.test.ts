import { test } from "node:test";
import assert from "node:assert/strict";
import { type Matrix, frobeniusNorm, sub, matmul, matmulNT, transpose } from "../../src/linalg/matrix.js";
import { svd } from "../../src/linalg/svd.js";
import { nuclearNorm } from "../../src/linalg/norms.js";
import { createRng } from "../../src/random/rng.js";
import { singularValueThreshold, svdThreshold, symmetricThreshold, proxPowerScalar } from "../../src/solvers/prox.js";
import { projectL1BallInto as projectL1Ball } from "../../src/problems/l1-ball.js";
import { assertClose } from "../helpers.js";
import { randomOrthogonal } from "../linalg/fixtures.js";

const rng = createRng(7);
const gaussianMatrix = (r: number, c: number): Matrix => ({ rows: r, cols: c, data: rng.gaussians(r * c) });

test("singularValueThreshold is the prox of τ‖·‖_*: Z − prox(Z) is a subgradient (‖·‖_op ≤ τ, ⟨·, prox⟩ = τ‖prox‖_*)", () => {
  for (const [r, c] of [[6, 6], [7, 4], [3, 8]]) {
    const Z = gaussianMatrix(r, c);
    const s = svd(Z).s;
    const tau = 0.5 * (s[1] + s[2]);
    const out = new Float64Array(r * c);
    const t = singularValueThreshold(Z, tau, out);
    const X: Matrix = { rows: r, cols: c, data: out };
    assert.equal(t.rank, 2);
    assertClose(t.nuclearNorm, nuclearNorm(X), 1e-12);
    const G = sub(Z, X);
    assert.ok(svd(G).s[0] <= tau * (1 + 1e-12));
    let inner = 0;
    for (let i = 0; i < r * c; i++) inner += G.data[i] * out[i];
    assertClose(inner, tau * nuclearNorm(X), 1e-11);
  }
});

test("symmetricThreshold soft-thresholds |eigenvalues| keeping signs, with an exactly symmetric output", () => {
  const d = 6;
  const Q = svd(gaussianMatrix(d, d)).u;
  const lam = [3, -2, 1.5, -0.5, 0.2, 0];
  const D: Matrix = { rows: d, cols: d, data: new Float64Array(d * d) };
  lam.forEach((v, i) => { D.data[i * d + i] = v; });
  const Z = matmul(matmul(Q, D), transpose(Q));
  const out = new Float64Array(d * d);
  const t = symmetricThreshold(Z, 1, out);
  assert.equal(t.rank, 3);
  assertClose(t.nuclearNorm, 2 + 1 + 0.5, 1e-12);
  const expected = lam.map((v) => Math.sign(v) * Math.max(Math.abs(v) - 1, 0));
  expected.forEach((v, i) => { D.data[i * d + i] = v; });
  const X = matmul(matmul(Q, D), transpose(Q));
  assert.ok(frobeniusNorm(sub({ rows: d, cols: d, data: out }, X)) < 1e-12);
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) assert.equal(out[i * d + j], out[j * d + i]);
});

test("projectL1Ball agrees with a bisection on the threshold θ and leaves interior points unchanged", () => {
  for (const n of [1, 5, 40]) {
    const v = rng.gaussians(n);
    const l1 = v.reduce((s, x) => s + Math.abs(x), 0);
    const radius = 0.3 * l1;
    const out = new Float64Array(n);
    projectL1Ball(v, radius, out);
    let lo = 0, hi = Math.max(...v.map(Math.abs));
    for (let it = 0; it < 200; it++) {
      const mid = 0.5 * (lo + hi);
      const s = v.reduce((a, x) => a + Math.max(Math.abs(x) - mid, 0), 0);
      if (s > radius) lo = mid; else hi = mid;
    }
    const ref = v.map((x) => Math.sign(x) * Math.max(Math.abs(x) - hi, 0));
    for (let i = 0; i < n; i++) assertClose(out[i], ref[i], 1e-12, 1e-14);
    assertClose(out.reduce((a, x) => a + Math.abs(x), 0), radius, 1e-12);
    const inside = new Float64Array(n);
    projectL1Ball(v, 2 * l1, inside);
    assert.deepEqual(Array.from(inside), Array.from(v));
  }
  const z = new Float64Array(3);
  projectL1Ball(Float64Array.from([1, -2, 3]), 0, z);
  assert.deepEqual(Array.from(z), [0, 0, 0]);
});

test("proxPowerScalar solves x + t q sign(x)|x|^{q−1} = v (the optimality condition) for q in (1, 2)", () => {
  for (const q of [4 / 3, 1.5, 1.8]) {
    for (const v of [-5, -0.3, 1e-6, 0.01, 2, 40]) {
      for (const t of [1e-3, 0.5, 10]) {
        const x = proxPowerScalar(v, t, q);
        assert.ok(Math.sign(x) === Math.sign(v) && Math.abs(x) <= Math.abs(v));
        const g = x + t * q * Math.sign(x) * Math.abs(x) ** (q - 1);
        assertClose(g, v, 1e-10, 1e-14, `q ${q}, v ${v}, t ${t}`);
      }
    }
  }
  assert.equal(proxPowerScalar(0, 1, 1.5), 0);
  assert.equal(proxPowerScalar(3, 0, 1.5), 3);
});

test("singularValueThreshold with τ above σ_max returns zero; below σ_min returns Z − τ·UVᵀ", () => {
  const Z = gaussianMatrix(5, 5);
  const { u, s, v } = svd(Z);
  const out = new Float64Array(25);
  assert.equal(singularValueThreshold(Z, s[0] * 1.01, out).rank, 0);
  assert.ok(out.every((x) => x === 0));
  const tau = 0.5 * s[4];
  singularValueThreshold(Z, tau, out);
  const uvt = matmulNT(u, v);
  const expected = sub(Z, { ...uvt, data: uvt.data.map((x) => tau * x) });
  assert.ok(frobeniusNorm(sub({ rows: 5, cols: 5, data: out }, expected)) < 1e-12);
});

test("singularValueThreshold's Gram route (eigh of zᵀz or zzᵀ) agrees with the SVD route to 1e-12 relative, tall and wide", () => {
  for (const [r, c] of [[9, 6], [6, 9], [8, 8]]) {
    const Z = gaussianMatrix(r, c);
    const s = svd(Z).s;
    // Thresholds from mid-spectrum down to σ_max/60 (still the Gram route) and σ_max/1000 (SVD fallback).
    for (const tau of [0.5 * (s[2] + s[3]), s[0] / 60, s[0] / 1000]) {
      const a = new Float64Array(r * c), b = new Float64Array(r * c);
      const ta = singularValueThreshold(Z, tau, a), tb = svdThreshold(Z, tau, b);
      assert.equal(ta.rank, tb.rank);
      assertClose(ta.nuclearNorm, tb.nuclearNorm, 1e-12);
      const diff = Math.sqrt(a.reduce((acc, v, i) => acc + (v - b[i]) ** 2, 0));
      assert.ok(diff <= 1e-12 * frobeniusNorm(Z), `[${r}, ${c}] τ = ${tau}: routes differ by ${diff}`);
    }
  }
});

/** z = U diag(σ) Vᵀ (d1×d2) for random orthogonal U, V; σ may be shorter than min(d1, d2) (the rest 0). */
function withSingularValues(d1: number, d2: number, sigma: number[], seed: number): Matrix {
  const U = randomOrthogonal(d1, seed).data, V = randomOrthogonal(d2, seed + 1).data, z = new Float64Array(d1 * d2);
  for (let i = 0; i < d1; i++) for (let j = 0; j < d2; j++) {
    let s = 0;
    for (let k = 0; k < sigma.length; k++) s += U[i * d1 + k] * sigma[k] * V[j * d2 + k];
    z[i * d2 + j] = s;
  }
  return { rows: d1, cols: d2, data: z };
}

/**
 * singularValueThreshold against svdThreshold: same rank, ‖·‖_* and σ_max to 1e-13, outputs within
 * 1e-13‖z‖_F (sums taken on everything divided by max|z_ij|, so squares stay finite at any scale).
 */
function compareWithSvdRoute(z: Matrix, tau: number, label: string): number {
  const a = new Float64Array(z.rows * z.cols).fill(NaN), b = new Float64Array(z.rows * z.cols);
  const ra = singularValueThreshold(z, tau, a), rb = svdThreshold(z, tau, b);
  assert.equal(ra.rank, rb.rank, `${label}: rank`);
  // Σ(σ − τ) cancels when τ is close to the kept σ: absolute error up to ε σ_max per kept value.
  assertClose(ra.nuclearNorm, rb.nuclearNorm, 1e-13, 1e-13 * rb.rank * rb.inputOperatorNorm, `${label}: ‖·‖_*`);
  assertClose(ra.inputOperatorNorm, rb.inputOperatorNorm, 1e-13, 0, `${label}: σ_max`);
  const m = z.data.reduce((acc, v) => Math.max(acc, Math.abs(v)), 0);
  let diff = 0, norm = 0;
  for (let i = 0; i < a.length; i++) { diff += ((a[i] - b[i]) / m) ** 2; norm += (z.data[i] / m) ** 2; }
  assert.ok(Math.sqrt(diff) <= 1e-13 * Math.sqrt(norm), `${label}: routes differ by ${(Math.sqrt(diff / norm)).toExponential(2)}·‖z‖_F`);
  return ra.rank;
}

test("singularValueThreshold equals the SVD route to 1e-13 with exactly equal, clustered and zero singular values, wide and tall, at scales 1e-150 to 1e300", () => {
  // σ_max = 1; for each spectrum, thresholds (all with σ_max/τ ≤ 67, the Gram route) and the ranks they keep.
  const cases: { name: string; sigma: (p: number) => number[]; taus: [number, number | "all"][] }[] = [
    { name: "1, 1, 1, 0.5 (equal)", sigma: (p) => Array.from({ length: p }, (_, i) => (i < 3 ? 1 : i === 3 ? 0.5 : 0.5 / (i + 1))), taus: [[1.01, 0], [0.7, 3], [0.35, 4]] },
    { name: "all equal", sigma: (p) => Array.from({ length: p }, () => 1), taus: [[0.7, "all"]] },
    { name: "cluster", sigma: (p) => Array.from({ length: p }, (_, i) => (i < 3 ? 1 - 1e-10 * i : 0.3 * 0.8 ** i)), taus: [[0.7, 3], [0.999, 3]] },
    { name: "rank 2", sigma: () => [1, 0.8], taus: [[0.9, 1], [0.5, 2], [0.02, 2]] },
    { name: "spread", sigma: (p) => Array.from({ length: p }, (_, i) => 1 - (0.5 * i) / p), taus: [[0.3, "all"], [0.999, 1]] },
  ];
  let seed = 20;
  for (const [d1, d2] of [[30, 30], [40, 25], [25, 40], [12, 5], [5, 12], [50, 50]]) {
    const p = Math.min(d1, d2);
    for (const c of cases) {
      const z = withSingularValues(d1, d2, c.sigma(p), seed++);
      for (const s of [1, 1e-150, 1e150, 1e-170, 1e170, 1e-300, 1e300]) {
        const zs: Matrix = s === 1 ? z : { ...z, data: z.data.map((v) => v * s) };
        for (const [tau, rank] of c.taus) {
          const label = `${d1}×${d2} ${c.name}, scale ${s}, τ = ${tau}`;
          assert.equal(compareWithSvdRoute(zs, tau * s, label), rank === "all" ? p : rank, `${label}: expected rank`);
        }
      }
    }
  }
});

test("singularValueThreshold of z = 0 is 0 (rank 0, ‖·‖_* = σ_max = 0), for τ > 0 and τ = 0", () => {
  for (const [d1, d2] of [[7, 7], [9, 4], [4, 9]]) {
    for (const tau of [0.1, 0]) {
      const out = new Float64Array(d1 * d2).fill(NaN);
      const r = singularValueThreshold({ rows: d1, cols: d2, data: new Float64Array(d1 * d2) }, tau, out);
      assert.deepEqual([r.rank, r.nuclearNorm, r.inputOperatorNorm], [0, 0, 0]);
      assert.ok(out.every((v) => v === 0), `${d1}×${d2}, τ = ${tau}: output not zero`);
    }
  }
});
