/**
 * Small dense measurement operators for the solver tests, independent of src/problems: the m
 * matrices A_i are stored as the rows of an m×(d1·d2) array. Also seeded instance builders
 * (Gaussian, bilinear, completion, quadratic ensembles of paper-notes §2.1, §3, §5) and a dense
 * rescaled operator B(X) = A(D1⁻¹ X D2⁻¹) built by brute force.
 */
import type { MeasurementOperator } from "../../src/problems/operator.js";
import { type Matrix, matmul, matmulNT, matmulTN, scale, zeros, identity } from "../../src/linalg/matrix.js";
import { createRng } from "../../src/random/rng.js";
import { indefiniteTruth, lowRankTruth as libraryLowRankTruth } from "../../src/problems/truth.js";
import { sqrtmPsd } from "../../src/linalg/sqrtm.js";

export function denseOperator(rowsA: Float64Array, m: number, d1: number, d2: number, symmetric = false, kind = "dense"): MeasurementOperator {
  const n = d1 * d2;
  if (rowsA.length !== m * n) throw new Error("denseOperator: bad size");
  return {
    kind, d1, d2, m, symmetric,
    apply(x: Matrix): Float64Array {
      if (x.rows !== d1 || x.cols !== d2) throw new RangeError(`apply: shape [${x.rows}, ${x.cols}] ≠ [${d1}, ${d2}]`);
      const out = new Float64Array(m);
      for (let i = 0; i < m; i++) {
        let s = 0;
        const o = i * n;
        for (let j = 0; j < n; j++) s += rowsA[o + j] * x.data[j];
        out[i] = s;
      }
      return out;
    },
    adjoint(y: ArrayLike<number>): Matrix {
      const out = new Float64Array(n);
      for (let i = 0; i < m; i++) {
        const c = y[i];
        if (c === 0) continue;
        const o = i * n;
        for (let j = 0; j < n; j++) out[j] += c * rowsA[o + j];
      }
      return { rows: d1, cols: d2, data: out };
    },
    gram(): Matrix {
      return matmulNT({ rows: m, cols: n, data: rowsA }, { rows: m, cols: n, data: rowsA });
    },
  };
}

/** Row i of the stacked array as a d1×d2 matrix. */
export function measurementMatrix(rowsA: Float64Array, i: number, d1: number, d2: number): Matrix {
  return { rows: d1, cols: d2, data: rowsA.slice(i * d1 * d2, (i + 1) * d1 * d2) };
}

/** The library's truths (src/problems/truth.ts), under the names these tests use. */
export const lowRankTruth = (d1: number, d2: number, r: number, seed: number): Matrix => libraryLowRankTruth("test", d1, d2, r, seed);
export const symmetricTruth = indefiniteTruth;

export interface Instance {
  A: MeasurementOperator;
  rowsA: Float64Array;
  b: Float64Array;
  M: Matrix;
}

export function gaussianInstance(d1: number, d2: number, r: number, m: number, seed: number): Instance {
  const rowsA = createRng(seed + 1000).gaussians(m * d1 * d2);
  const A = denseOperator(rowsA, m, d1, d2, false, "gaussian");
  const M = lowRankTruth(d1, d2, r, seed);
  return { A, rowsA, b: A.apply(M), M };
}

export function bilinearInstance(d1: number, d2: number, r: number, m: number, seed: number): Instance {
  const rng = createRng(seed + 2000);
  const rowsA = new Float64Array(m * d1 * d2);
  for (let i = 0; i < m; i++) {
    const a = rng.gaussians(d1), bb = rng.gaussians(d2);
    for (let p = 0; p < d1; p++) for (let q = 0; q < d2; q++) rowsA[i * d1 * d2 + p * d2 + q] = a[p] * bb[q];
  }
  const A = denseOperator(rowsA, m, d1, d2, false, "bilinear");
  const M = lowRankTruth(d1, d2, r, seed);
  return { A, rowsA, b: A.apply(M), M };
}

/** Completion with m = |Ω| selected entries (A_i = e_i e_jᵀ), Bernoulli(p) mask. */
export function completionInstance(d1: number, d2: number, r: number, p: number, seed: number): Instance & { mask: Uint8Array } {
  const rng = createRng(seed + 3000);
  const mask = new Uint8Array(d1 * d2);
  const idx: number[] = [];
  for (let k = 0; k < d1 * d2; k++) if (rng.uniform() < p) { mask[k] = 1; idx.push(k); }
  const m = idx.length;
  const rowsA = new Float64Array(m * d1 * d2);
  idx.forEach((k, i) => { rowsA[i * d1 * d2 + k] = 1; });
  const A = denseOperator(rowsA, m, d1, d2, false, "completion");
  const M = lowRankTruth(d1, d2, r, seed);
  return { A, rowsA, b: A.apply(M), M, mask };
}

export function quadraticInstance(d: number, r1: number, r2: number, m: number, seed: number): Instance {
  const rng = createRng(seed + 4000);
  const rowsA = new Float64Array(m * d * d);
  for (let i = 0; i < m; i++) {
    const x = rng.gaussians(d);
    for (let p = 0; p < d; p++) for (let q = 0; q < d; q++) rowsA[i * d * d + p * d + q] = x[p] * x[q];
  }
  const A = denseOperator(rowsA, m, d, d, true, "quadratic");
  const M = symmetricTruth(d, r1, r2, seed);
  return { A, rowsA, b: A.apply(M), M };
}

export function identityDense(d1: number, d2: number): MeasurementOperator {
  const n = d1 * d2;
  const rowsA = new Float64Array(n * n);
  for (let i = 0; i < n; i++) rowsA[i * n + i] = 1;
  return denseOperator(rowsA, n, d1, d2, false, "identity");
}

/**
 * Rescaling matrices by the formula of paper-notes §1.5 [R], brute force:
 * D1 = ((1/(m d2)) Σ A_i A_iᵀ)^{1/2}, D2 = ((1/(m d1)) Σ A_iᵀ A_i)^{1/2}.
 */
export function denseRescaling(rowsA: Float64Array, m: number, d1: number, d2: number): { D1: Matrix; D2: Matrix } {
  let s1 = zeros(d1, d1), s2 = zeros(d2, d2);
  for (let i = 0; i < m; i++) {
    const a = measurementMatrix(rowsA, i, d1, d2);
    const p = matmulNT(a, a), q = matmulTN(a, a);
    for (let k = 0; k < d1 * d1; k++) s1.data[k] += p.data[k];
    for (let k = 0; k < d2 * d2; k++) s2.data[k] += q.data[k];
  }
  s1 = scale(s1, 1 / (m * d2));
  s2 = scale(s2, 1 / (m * d1));
  return { D1: sqrtmPsd(s1), D2: sqrtmPsd(s2) };
}

/** B_i = D1inv A_i D2inv stacked as rows. */
export function denseRescaled(rowsA: Float64Array, m: number, d1: number, d2: number, D1inv: Matrix, D2inv: Matrix, symmetric = false): MeasurementOperator {
  const out = new Float64Array(m * d1 * d2);
  for (let i = 0; i < m; i++) {
    const bi = matmul(matmul(D1inv, measurementMatrix(rowsA, i, d1, d2)), D2inv);
    out.set(bi.data, i * d1 * d2);
  }
  return denseOperator(out, m, d1, d2, symmetric, "rescaled");
}

export { identity };
