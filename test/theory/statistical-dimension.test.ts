import { test } from "node:test";
import assert from "node:assert/strict";
import { type Matrix, columns, eigh, frobeniusNorm, matmul, matmulNT, matmulTN, qr, singularValues, sub, svd, trace } from "../../src/linalg/index.js";
import { createRng, type Rng } from "../../src/random/rng.js";
import { asymptoticStatisticalDimension, minOverTau, nuclearNormDegreesOfFreedom, statisticalDimension } from "../../src/theory/statistical-dimension.js";
import { assertClose } from "../helpers.js";

function gaussian(rng: Rng, rows: number, cols: number): Matrix {
  return { rows, cols, data: rng.gaussians(rows * cols) };
}

/** Standard Gaussian of the symmetric matrices with the Frobenius inner product. */
function symmetricGaussian(rng: Rng, n: number): Matrix {
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    a[i * n + i] = rng.gaussian();
    for (let j = 0; j < i; j++) a[i * n + j] = a[j * n + i] = Math.SQRT1_2 * rng.gaussian();
  }
  return { rows: n, cols: n, data: a };
}

/** A random orthogonal n×n matrix, split into its first r columns and the rest. */
function randomBasis(rng: Rng, n: number, r: number): { U: Matrix; Uperp: Matrix } {
  const q = qr(gaussian(rng, n, n)).q;
  return { U: columns(q, 0, r), Uperp: columns(q, r, n) };
}

/** I − UUᵀ. */
function complementProjector(U: Matrix): Matrix {
  const P = matmulNT(U, U);
  const n = U.rows;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) P.data[i * n + j] = (i === j ? 1 : 0) - P.data[i * n + j];
  return P;
}

/**
 * dist²(G, τ·∂‖M♮‖_*) in the original coordinates, by projecting G onto the set: τUVᵀ plus the part of
 * (I − UUᵀ)G(I − VVᵀ) with its singular values clipped at τ. No block reduction is used.
 */
function dist2Rect(G: Matrix, U: Matrix, V: Matrix, tau: number): number {
  const B = matmul(matmul(complementProjector(U), G), complementProjector(V));
  const { u, s, v } = svd(B);
  const P = matmulNT(U, V);
  for (let i = 0; i < P.data.length; i++) P.data[i] *= tau;
  const clipped = { rows: u.rows, cols: u.cols, data: Float64Array.from(u.data) };
  for (let i = 0; i < u.rows; i++) for (let k = 0; k < s.length; k++) clipped.data[i * u.cols + k] *= Math.min(s[k], tau);
  const W = matmulNT(clipped, v);
  for (let i = 0; i < P.data.length; i++) P.data[i] += W.data[i];
  return frobeniusNorm(sub(G, P)) ** 2;
}

/** The same for symmetric M♮ = U diag(signs) Uᵀ: eigenvalues of the complement part clipped to [−τ, τ]. */
function dist2Sym(G: Matrix, U: Matrix, signs: number[], tau: number): number {
  const Pc = complementProjector(U);
  const B = matmul(matmul(Pc, G), Pc);
  const { values, vectors } = eigh(B);
  const n = G.rows;
  const P = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
    let x = 0;
    for (let k = 0; k < U.cols; k++) x += tau * signs[k] * U.data[i * U.cols + k] * U.data[j * U.cols + k];
    for (let k = 0; k < n; k++) x += Math.max(-tau, Math.min(tau, values[k])) * vectors.data[i * n + k] * vectors.data[j * n + k];
    P[i * n + j] = x;
  }
  let d2 = 0;
  for (let i = 0; i < n * n; i++) d2 += (G.data[i] - P[i]) ** 2;
  return d2;
}

/** min over τ ≥ 0 by brute force: a grid of 2001 points, then golden section around the best one. */
function bruteMin(f: (tau: number) => number, hi: number): { tau: number; value: number } {
  let best = 0, bestValue = f(0);
  const n = 2000;
  for (let i = 1; i <= n; i++) {
    const v = f((hi * i) / n);
    if (v < bestValue) { bestValue = v; best = (hi * i) / n; }
  }
  let a = Math.max(0, best - hi / n), b = best + hi / n;
  const g = (Math.sqrt(5) - 1) / 2;
  for (let i = 0; i < 80; i++) {
    const x1 = b - g * (b - a), x2 = a + g * (b - a);
    if (f(x1) < f(x2)) b = x2; else a = x1;
  }
  const tau = (a + b) / 2;
  return f(tau) < bestValue ? { tau, value: f(tau) } : { tau: best, value: bestValue };
}

test("minOverTau(r, c, σ) equals a brute-force τ grid minimum of rτ² − 2cτ + Σ(σᵢ − τ)₊² (including the bound τ = 0)", () => {
  const rng = createRng(7);
  const cases: [number, number, number[]][] = [
    [2, 0.3, [3.1, 2.2, 1.5, 0.4]],
    [1, -40, [0.5, 0.2]], // c + Σσ < 0: the minimum sits at τ = 0
    [3, 1.2, []],
    [2, 0, [1, 1, 1]], // ties
  ];
  for (let i = 0; i < 20; i++) cases.push([1 + rng.int(4), 3 * rng.gaussian(), Array.from(singularValues(gaussian(rng, 1 + rng.int(8), 1 + rng.int(8))))]);
  for (const [r, c, s] of cases) {
    const F = (tau: number) => r * tau * tau - 2 * c * tau + s.reduce((a, v) => a + Math.max(v - tau, 0) ** 2, 0);
    const exact = minOverTau(r, c, s);
    const brute = bruteMin(F, 2 * (Math.max(0, ...s) + Math.abs(c)) + 1);
    assertClose(exact.value, brute.value, 1e-9, 1e-9, `min value (r = ${r}, c = ${c})`);
    assert.ok(exact.value <= brute.value + 1e-12, "the exact minimum is never above a grid point");
    assertClose(exact.tau, brute.tau, 0, 1e-5, "minimizer");
    assertClose(exact.value, F(exact.tau), 1e-12, 1e-12, "value at the minimizer");
  }
});

test("the block reduction equals dist²(G, τ∂‖M♮‖_*) computed on full matrices by SVD projection, per sample (5×7 rank 2, 6×4 rank 3)", () => {
  const rng = createRng(11);
  for (const [d1, d2, r] of [[5, 7, 2], [6, 4, 3], [3, 3, 1]]) {
    for (let sample = 0; sample < 6; sample++) {
      const { U, Uperp } = randomBasis(rng, d1, r);
      const { U: V, Uperp: Vperp } = randomBasis(rng, d2, r);
      const G = gaussian(rng, d1, d2);
      const full = bruteMin((tau) => dist2Rect(G, U, V, tau), 10);
      const G11 = matmul(matmulTN(U, G), V), G22 = matmul(matmulTN(Uperp, G), Vperp);
      const offBlocks = frobeniusNorm(matmul(matmulTN(U, G), Vperp)) ** 2 + frobeniusNorm(matmul(matmulTN(Uperp, G), V)) ** 2;
      const reduced = frobeniusNorm(G11) ** 2 + offBlocks + minOverTau(r, trace(G11), singularValues(G22)).value;
      assertClose(reduced, full.value, 1e-8, 1e-8, `${d1}×${d2} rank ${r}, sample ${sample}`);
    }
  }
});

test("the symmetric reduction equals dist²(G, τ∂‖M♮‖_*) on full symmetric matrices, for any sign split", () => {
  const rng = createRng(12);
  for (const [d, signs] of [[6, [1, -1]], [5, [1, 1, -1]], [4, [-1]]] as [number, number[]][]) {
    for (let sample = 0; sample < 5; sample++) {
      const { U, Uperp } = randomBasis(rng, d, signs.length);
      const G = symmetricGaussian(rng, d);
      const full = bruteMin((tau) => dist2Sym(G, U, signs, tau), 10);
      const G11 = matmul(matmulTN(U, G), U), G22 = matmul(matmulTN(Uperp, G), Uperp);
      let c = 0;
      signs.forEach((s, k) => (c += s * G11.data[k * signs.length + k]));
      const offBlock = 2 * frobeniusNorm(matmul(matmulTN(U, G), Uperp)) ** 2;
      const reduced = frobeniusNorm(G11) ** 2 + offBlock + minOverTau(signs.length, c, eigh(G22).values.map(Math.abs)).value;
      assertClose(reduced, full.value, 1e-8, 1e-8, `d = ${d}, signs ${signs}, sample ${sample}`);
    }
  }
});

test("statisticalDimension agrees with the mean of min_τ dist² over full Gaussian matrices (independent draws, within 4 standard errors)", () => {
  const rng = createRng(13);
  const d1 = 5, d2 = 6, r = 2, n = 1500;
  const { U, Uperp } = randomBasis(rng, d1, r);
  const { U: V, Uperp: Vperp } = randomBasis(rng, d2, r);
  const values: number[] = [];
  for (let i = 0; i < n; i++) {
    const G = gaussian(rng, d1, d2);
    // Exact minimization is the tested function's; here the blocks come from the full matrix.
    const G11 = matmul(matmulTN(U, G), V);
    const rest = frobeniusNorm(G) ** 2 - frobeniusNorm(G11) ** 2 - frobeniusNorm(matmul(matmulTN(Uperp, G), Vperp)) ** 2;
    values.push(frobeniusNorm(G11) ** 2 + rest + minOverTau(r, trace(G11), singularValues(matmul(matmulTN(Uperp, G), Vperp))).value);
  }
  const mean = values.reduce((a, b) => a + b) / n;
  const se = Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / (n - 1) / n);
  const est = statisticalDimension({ d1, d2, r }, { samples: 3000, seed: 5 });
  const z = Math.abs(est.delta - mean) / Math.hypot(se, est.stderr);
  assert.ok(z < 4, `δ ${est.delta} ± ${est.stderr} against full-matrix ${mean} ± ${se} (z = ${z.toFixed(2)})`);
});

test("statisticalDimension of a full-rank matrix is d₁d₂ − 1/2 (the descent cone is a half-space minus a ray's worth), within 4 standard errors", () => {
  for (const shape of [{ d1: 4, d2: 4, r: 4 }, { d1: 1, d2: 9, r: 1 }, { d: 3, r: 3, symmetric: true as const }]) {
    const est = statisticalDimension(shape, { samples: 4000, seed: 3 });
    const exact = est.ambient - 0.5;
    assert.ok(Math.abs(est.delta - exact) < 4 * est.stderr, `${JSON.stringify(shape)}: ${est.delta} ± ${est.stderr}, exact ${exact}`);
  }
});

test("statisticalDimension at d = 100, rank 2 is within 1% of the asymptotic formula and below 0.8 · 3r(2d − r)", () => {
  const est = statisticalDimension({ d1: 100, d2: 100, r: 2 }, { samples: 300, seed: 1 });
  assert.ok(Math.abs(est.delta - est.asymptotic) / est.asymptotic < 0.01, `MC ${est.delta} ± ${est.stderr}, asymptotic ${est.asymptotic}`);
  assert.ok(est.delta > est.degreesOfFreedom && est.delta < 0.8 * 3 * est.degreesOfFreedom, `δ ${est.delta} between r(2d − r) = ${est.degreesOfFreedom} and 0.8 · 3r(2d − r)`);
  const sym = statisticalDimension({ d: 60, r: 3, symmetric: true }, { samples: 300, seed: 1 });
  assert.ok(Math.abs(sym.delta - sym.asymptotic) / sym.asymptotic < 0.015, `symmetric MC ${sym.delta} ± ${sym.stderr}, asymptotic ${sym.asymptotic}`);
});

test("asymptoticStatisticalDimension is symmetric in (d₁, d₂), equals the degrees of freedom when r = min(d₁, d₂), and grows with d", () => {
  assertClose(asymptoticStatisticalDimension({ d1: 30, d2: 50, r: 3 }), asymptoticStatisticalDimension({ d1: 50, d2: 30, r: 3 }), 1e-12);
  assert.equal(asymptoticStatisticalDimension({ d1: 5, d2: 8, r: 5 }), nuclearNormDegreesOfFreedom({ d1: 5, d2: 8, r: 5 }));
  const values = [10, 20, 40, 80].map((d) => asymptoticStatisticalDimension({ d1: d, d2: d, r: 2 }));
  for (let i = 1; i < values.length; i++) assert.ok(values[i] > values[i - 1]);
  // Rank 2, d = 10: the Monte Carlo value is 57.1; the formula is a cross-check, not the answer.
  assertClose(values[0], 57.1, 0.01);
});

test("statisticalDimension with the same seed gives the same estimate; the result echoes seed and samples and displays as a table", () => {
  const a = statisticalDimension({ d1: 8, d2: 6, r: 2 }, { samples: 50, seed: 9 });
  const b = statisticalDimension({ d1: 8, d2: 6, r: 2 }, { samples: 50, seed: 9 });
  assert.equal(a.delta, b.delta);
  assert.equal(a.seed, 9);
  assert.equal(a.samples, 50);
  const bundle = (a as unknown as Record<symbol, () => Record<string, string>>)[Symbol.for("Jupyter.display")]();
  assert.match(bundle["text/html"], /δ \(Monte Carlo\)/);
  assert.deepEqual(Object.keys(JSON.parse(JSON.stringify(a))).sort(), ["ambient", "asymptotic", "d1", "d2", "degreesOfFreedom", "delta", "r", "samples", "seed", "stderr", "symmetric"]);
});

test("statisticalDimension names the bad argument: r > min(d₁, d₂), d < 1, non-integer r, few samples", () => {
  assert.throws(() => statisticalDimension({ d1: 5, d2: 3, r: 4 }), { name: "RangeError", message: "statisticalDimension: shape.r must be an integer in [1, 3]; received 4." });
  assert.throws(() => statisticalDimension({ d1: 0, d2: 3, r: 1 }), { name: "RangeError", message: "statisticalDimension: shape.d1 must be an integer ≥ 1; received 0." });
  assert.throws(() => statisticalDimension({ d1: 4, d2: 3, r: 1.5 }), { name: "RangeError", message: "statisticalDimension: shape.r must be an integer in [1, 3]; received 1.5." });
  assert.throws(() => statisticalDimension({ d: 4, r: 5, symmetric: true }), /shape\.r must be an integer in \[1, 4\]; received 5/);
  assert.throws(() => statisticalDimension({ d1: 4, d2: 4, r: 1 }, { samples: 1 }), /options\.samples must be an integer ≥ 2; received 1/);
  assert.throws(() => asymptoticStatisticalDimension({ d1: 4, d2: -1, r: 1 }), /asymptoticStatisticalDimension: shape\.d2 must be an integer ≥ 1; received -1/);
});
