import { test } from "node:test";
import assert from "node:assert/strict";
import { type Matrix, dot, denseRows, matmul, randomMatrixFor } from "./fixtures.js";
import { relError } from "../helpers.js";
import { matmulNT, matmulTN, scale } from "../../src/linalg/matrix.js";
import { invSqrtmPsd } from "../../src/linalg/sqrtm.js";
import { createRng } from "../../src/random/rng.js";
import {
  sampleGaussianOperator, sampleBilinearOperator, sampleCompletionOperator, sampleQuadraticOperator, identityOperator,
} from "../../src/problems/operators.js";
import { rescaledOperator, rescalingMatrices, secondMoments } from "../../src/problems/rescaling.js";
import type { MeasurementOperator } from "../../src/problems/operator.js";

const ops = (): [string, MeasurementOperator][] => [
  ["gaussian", sampleGaussianOperator({ d1: 4, d2: 3, m: 20, seed: 1 })],
  ["bilinear", sampleBilinearOperator({ d1: 4, d2: 3, m: 20, seed: 2 })],
  ["completion", sampleCompletionOperator({ d1: 4, d2: 3, p: 0.8, seed: 3 })],
  ["quadratic", sampleQuadraticOperator({ d: 4, m: 20, seed: 4 })],
  ["identity", identityOperator(3, 2)],
];

function spd(rng: ReturnType<typeof createRng>, n: number, diagonal: boolean): Matrix {
  if (diagonal) {
    const out = { rows: n, cols: n, data: new Float64Array(n * n) };
    for (let i = 0; i < n; i++) out.data[i * (n + 1)] = 0.5 + rng.uniform();
    return out;
  }
  const g = randomMatrixFor(rng, n, n);
  const s = matmulNT(g, g);
  for (let i = 0; i < n; i++) s.data[i * (n + 1)] += n;
  return s;
}

for (const [name, A] of ops()) {
  test(`${name}: secondMoments match Σ A_i A_iᵀ and Σ A_iᵀ A_i of the materialized A_i`, () => {
    const { left, right } = secondMoments(A);
    const L = new Float64Array(A.d1 * A.d1), R = new Float64Array(A.d2 * A.d2);
    for (const Ai of denseRows(A)) {
      matmulNT(Ai, Ai).data.forEach((v, t) => (L[t] += v));
      matmulTN(Ai, Ai).data.forEach((v, t) => (R[t] += v));
    }
    assert.ok(relError(left.data, L) < 1e-13 && relError(right.data, R) < 1e-13);
  });

  test(`${name}: rescalingMatrices squares to (κ/d2) Σ A_iA_iᵀ and (κ/d1) Σ A_iᵀA_i`, () => {
    const { D1, D2 } = rescalingMatrices(A, { lossScale: 0.7 });
    const { left, right } = secondMoments(A);
    assert.ok(relError(matmul(D1, D1).data, scale(left, 0.7 / A.d2).data) < 1e-10);
    assert.ok(relError(matmul(D2, D2).data, scale(right, 0.7 / A.d1).data) < 1e-10);
  });

  for (const diagonal of [true, false]) {
    test(`${name}: rescaledOperator equals A(D1⁻¹ X D2⁻¹) computed densely (${diagonal ? "diagonal" : "full"} D)`, () => {
      const rng = createRng(21);
      const P = spd(rng, A.d1, diagonal), Q = A.symmetric ? P : spd(rng, A.d2, diagonal);
      const B = rescaledOperator(A, P, Q);
      const X = randomMatrixFor(rng, A.d1, A.d2);
      assert.ok(relError(B.apply(X), A.apply(matmul(matmul(P, X), Q))) < 1e-12);
      const y = rng.gaussians(A.m);
      const By = B.adjoint(y);
      let lhs = 0;
      const BX = B.apply(X);
      for (let i = 0; i < A.m; i++) lhs += BX[i] * y[i];
      assert.ok(Math.abs(lhs - dot(X, By)) < 1e-10 * (1 + Math.abs(lhs)));
      const rows = denseRows(B), G = B.gram();
      for (let i = 0; i < A.m; i++) for (let j = 0; j < A.m; j++) {
        const g = dot(rows[i], rows[j]);
        assert.ok(Math.abs(G.data[i * A.m + j] - g) < 1e-10 * (1 + Math.abs(g)));
      }
      if (A.kind === "quadratic") assert.equal(B.kind, "quadratic");
      if (A.kind === "bilinear") assert.equal(B.kind, "bilinear");
      // Gaussian: B keeps A (no copy of its m·d1·d2 rows); the affine projector forms its rows.
      if (A.kind === "gaussian") assert.ok(B.kind === "rescaled" && (B as { base?: unknown }).base === A);
      if (A.kind === "completion") assert.equal(B.kind, diagonal ? "completion" : "bilinear");
    });
  }
}

test("rescaledOperator with the inverse rescaling of completion stays a weighted mask", () => {
  const A = sampleCompletionOperator({ d1: 5, d2: 5, p: 0.9, seed: 8 });
  const { D1, D2 } = rescalingMatrices(A);
  const B = rescaledOperator(A, invSqrtmPsd(matmul(D1, D1)), invSqrtmPsd(matmul(D2, D2)));
  assert.equal(B.kind, "completion");
});

test("rescaledOperator rejects D of the wrong shape naming the argument", () => {
  const A = sampleGaussianOperator({ d1: 3, d2: 2, m: 4, seed: 1 });
  assert.throws(() => rescaledOperator(A, { rows: 2, cols: 2, data: new Float64Array(4) }, { rows: 2, cols: 2, data: new Float64Array(4) }), /rescaledOperator: D1inv must have shape \[3, 3\]; received \[2, 2\]/);
});

// E[D_i²] = I for the Gaussian and bilinear ensembles (Section 1.5): every entry of D² within
// 5 standard errors of the identity. Per-entry variances: Gaussian diagonal 2/(m·d), off-diagonal
// 1/(m·d); bilinear D1² diagonal (2d2² + 6d2)/(m d2²), off-diagonal (d2² + 2d2)/(m d2²).
test("rescalingMatrices: E[D1²] = E[D2²] = I for the Gaussian ensemble (5 standard errors per entry)", () => {
  const d1 = 5, d2 = 4, m = 4000;
  const { D1, D2 } = rescalingMatrices(sampleGaussianOperator({ d1, d2, m, seed: 31 }));
  for (const [D, other] of [[D1, d2], [D2, d1]] as const) {
    const S = matmul(D, D), n = S.rows;
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
      const se = Math.sqrt((i === j ? 2 : 1) / (m * other));
      assert.ok(Math.abs(S.data[i * n + j] - (i === j ? 1 : 0)) < 5 * se, `entry (${i}, ${j}) = ${S.data[i * n + j]}`);
    }
  }
});

test("rescalingMatrices: E[D1²] = E[D2²] = I for the bilinear ensemble (5 standard errors per entry)", () => {
  const d1 = 5, d2 = 4, m = 6000;
  const { D1, D2 } = rescalingMatrices(sampleBilinearOperator({ d1, d2, m, seed: 32 }));
  for (const [D, other] of [[D1, d2], [D2, d1]] as const) {
    const S = matmul(D, D), n = S.rows;
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
      const v = i === j ? 2 * other * other + 6 * other : other * other + 2 * other;
      const se = Math.sqrt(v / (m * other * other));
      assert.ok(Math.abs(S.data[i * n + j] - (i === j ? 1 : 0)) < 5 * se, `entry (${i}, ${j}) = ${S.data[i * n + j]}`);
    }
  }
});

test("rescalingMatrices of the identity map with κ = 1 is the identity, and of completion is diag(√counts·κ/d)", () => {
  const { D1, D2 } = rescalingMatrices(identityOperator(3, 2), { lossScale: 1 });
  assert.deepEqual(Array.from(D1.data), [1, 0, 0, 0, 1, 0, 0, 0, 1]);
  assert.deepEqual(Array.from(D2.data), [1, 0, 0, 1]);
  const A = sampleCompletionOperator({ d1: 3, d2: 3, p: 0.6, seed: 2 });
  const counts = [0, 0, 0];
  for (const i of A.rowIndex) counts[i]++;
  const C = rescalingMatrices(A).D1;
  for (let i = 0; i < 3; i++) assert.ok(Math.abs(C.data[i * 4] - Math.sqrt(counts[i] / (A.m * 3))) < 1e-15);
  assert.throws(() => rescalingMatrices(A, { lossScale: 0 }), /rescalingMatrices: options.lossScale must be a finite number > 0; received 0/);
});
