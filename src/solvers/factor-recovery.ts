/**
 * Factor recovery from a relaxation solution, Theorem 3.2 (part 3) [P]: with the SVD
 * X̂ = U Σ Vᵀ of the flat relaxation's solution,
 *     L = D1⁻¹ U √Σ,   R = D2⁻¹ V √Σ,
 * padded with zero columns to any width k ≥ rank X̂; then L Rᵀ = D1⁻¹ X̂ D2⁻¹ and the scaled trace
 * on the minimizer set is str = 2‖D1L‖²_F + 2‖D2R‖²_F = 4‖X̂‖_* (Lemma 3.1 [R]: twice
 * ‖D1L‖² + ‖D2R‖² = 2‖X̂‖_*).
 *
 * Symmetric version (Section 7 [D]): X̂ = Q diag(λ) Qᵀ; U1 = D⁻¹ Q₊ √λ₊ from the positive
 * eigenvalues, U2 = D⁻¹ Q₋ √|λ₋| from the negative ones, so D U1U1ᵀD − D U2U2ᵀD = X̂.
 *
 * Numerical rank: singular values above rankTol·σ_max (default 1e-9, our choice: the solvers stop
 * at relative residuals of 1e-9, and their iterate is exactly low rank after thresholding). Only
 * those triplets are used; the remaining k − rank columns are exact zeros.
 */
import { type Matrix, matmul, padColumns, identity } from "../linalg/matrix.js";
import { svd } from "../linalg/svd.js";
import { eigh } from "../linalg/eigh.js";
import { checkInteger, checkMatrix, checkNumber } from "../util/validate.js";
import { checkRescalingMatrix, invertRescaling } from "./flat-relaxation.js";

export interface FactorRecoveryOptions {
  /** Singular values ≤ rankTol·σ_max count as zero (default 1e-9). */
  readonly rankTol?: number;
}

export interface RecoveredFactors {
  /** d1×k. */
  readonly L: Matrix;
  /** d2×k. */
  readonly R: Matrix;
  /** Numerical rank of X̂. */
  readonly rank: number;
  /** Singular values of X̂ kept (length rank). */
  readonly singularValues: Float64Array;
}

export interface RecoveredSymmetricFactors {
  /** d×k1, from the positive eigenvalues. */
  readonly U1: Matrix;
  /** d×k2, from the negative eigenvalues. */
  readonly U2: Matrix;
  readonly positiveRank: number;
  readonly negativeRank: number;
}

/**
 * L = D1⁻¹U√Σ, R = D2⁻¹V√Σ padded to k columns (Theorem 3.2). D1, D2 default to the identity
 * (factors of a plain solution). Throws when k is below the numerical rank of X̂.
 */
export function recoverFactors(X: Matrix, D1: Matrix | null, D2: Matrix | null, k: number, options: FactorRecoveryOptions = {}): RecoveredFactors {
  const fn = "recoverFactors";
  checkMatrix(fn, "X", X);
  const { rows: d1, cols: d2 } = X;
  const D1inv = rescalingInverse(fn, "D1", D1, d1, "row");
  const D2inv = rescalingInverse(fn, "D2", D2, d2, "column");
  checkInteger(fn, "k", k, 1);
  const rankTol = options.rankTol === undefined ? 1e-9 : checkNumber(fn, "options.rankTol", options.rankTol, { min: 0 });
  const { u, s, v } = svd(X);
  const p = s.length;
  let rank = 0;
  while (rank < p && s[rank] > rankTol * s[0]) rank++;
  if (k < rank) {
    throw new RangeError(`${fn}: k must be at least the numerical rank of X (${rank}, singular values > ${rankTol}·σ_max); received k = ${k}.`);
  }
  // Keep the rank-many triplets and pad with exact zero columns (Theorem 3.2, l < k case): the
  // triplets past the numerical rank carry σ ~ 1e-16·σ_max, i.e. factor entries ~ √σ ~ 1e-8, noise.
  const l = rank;
  const US = scaleColumns(u, s, l), VS = scaleColumns(v, s, l);
  return {
    L: padColumns(matmul(D1inv, US), k),
    R: padColumns(matmul(D2inv, VS), k),
    rank,
    singularValues: s.slice(0, l),
  };
}

/**
 * Symmetric factors U1 (k1 columns), U2 (k2 columns) with X̂ = D U1U1ᵀ D − D U2U2ᵀ D (Section 7).
 * Throws when k1 (k2) is below the number of positive (negative) eigenvalues above tolerance.
 */
export function recoverSymmetricFactors(X: Matrix, D: Matrix | null, k1: number, k2: number, options: FactorRecoveryOptions = {}): RecoveredSymmetricFactors {
  const fn = "recoverSymmetricFactors";
  checkMatrix(fn, "X", X);
  if (X.rows !== X.cols) throw new RangeError(`${fn}: X must be square; received shape [${X.rows}, ${X.cols}].`);
  const d = X.rows;
  const Dinv = rescalingInverse(fn, "D", D, d, "row");
  checkInteger(fn, "k1", k1, 0);
  checkInteger(fn, "k2", k2, 0);
  const rankTol = options.rankTol === undefined ? 1e-9 : checkNumber(fn, "options.rankTol", options.rankTol, { min: 0 });
  const { values, vectors } = eigh(X, { symmetryTol: 1e-8 });
  const top = Math.max(Math.abs(values[0]), Math.abs(values[d - 1]));
  const pos: number[] = [], neg: number[] = [];
  for (let j = d - 1; j >= 0; j--) if (values[j] > rankTol * top) pos.push(j);
  for (let j = 0; j < d; j++) if (values[j] < -rankTol * top) neg.push(j);
  if (k1 < pos.length) throw new RangeError(`${fn}: k1 must be at least the number of positive eigenvalues of X (${pos.length}); received k1 = ${k1}.`);
  if (k2 < neg.length) throw new RangeError(`${fn}: k2 must be at least the number of negative eigenvalues of X (${neg.length}); received k2 = ${k2}.`);
  const pick = (idx: number[], width: number): Matrix => {
    const out = new Float64Array(d * width);
    idx.forEach((j, c) => {
      const f = Math.sqrt(Math.abs(values[j]));
      for (let i = 0; i < d; i++) out[i * width + c] = vectors.data[i * d + j] * f;
    });
    return matmul(Dinv, { rows: d, cols: width, data: out });
  };
  return { U1: pick(pos, k1), U2: pick(neg, k2), positiveRank: pos.length, negativeRank: neg.length };
}

/** First l columns of u scaled by √s. */
function scaleColumns(u: Matrix, s: Float64Array, l: number): Matrix {
  const out = new Float64Array(u.rows * l);
  for (let i = 0; i < u.rows; i++) for (let j = 0; j < l; j++) out[i * l + j] = u.data[i * u.cols + j] * Math.sqrt(s[j]);
  return { rows: u.rows, cols: l, data: out };
}

function rescalingInverse(fn: string, name: string, D: Matrix | null, n: number, line: "row" | "column"): Matrix {
  if (D === null || D === undefined) return identity(n);
  checkRescalingMatrix(fn, name, D, n);
  const inv = invertRescaling(D, name, line, "", 1e-10);
  if (typeof inv === "string") throw new RangeError(`${fn}: ${inv}.`);
  return inv;
}
