/**
 * The rescaling matrices D1, D2 of Section 3 and the rescaled map of the flat relaxation.
 *
 * Section 1.5 of the paper notes [R]: D1 = ((1/(m·d2)) Σ_i A_i A_iᵀ)^{1/2} and
 * D2 = ((1/(m·d1)) Σ_i A_iᵀ A_i)^{1/2}; with them the scaled trace on the minimizer set is
 * str D²f(L, R) = 2‖D1 L‖²_F + 2‖D2 R‖²_F (Lemma 3.1) for f = (1/m)‖A(LRᵀ) − b‖². For a loss
 * ω‖A(LRᵀ) − b‖² the same identity holds with 1/m replaced by ω (`options.lossScale`); the identity
 * problem (ω = 1, Section 2) then gets D1 = D2 = I.
 *
 * Closed forms per ensemble (no A_i formed): bilinear D1² = (ω/d2) Σ ‖b_i‖² a_i a_iᵀ [D, from the
 * proof of Lemma 4.9]; completion D1² = (ω/d2) diag(row counts), D2² = (ω/d1) diag(column counts)
 * [D]; quadratic D1² = D2² = (ω/d) Σ ‖x_i‖² x_i x_iᵀ, i.e. 1/d times the matrix D² of Section 7
 * (see quadratic-net.ts, which exposes that one for its plain trace).
 *
 * rescaledOperator builds B(X) = A(D1⁻¹ X D2⁻¹) (eq. (20)) and keeps each ensemble's structure:
 * B_i = D1⁻ᵀ A_i D2⁻ᵀ, so bilinear stays rank-one, completion stays a weighted mask for diagonal
 * D, quadratic stays symmetric rank-one when D1 = D2. A Gaussian B keeps A, P and Q (a
 * RescaledOperator): its rows vec(Pᵀ A_i Qᵀ) are formed only by the affine projector, straight
 * into its kernel memory. Measured at d = 100, m = 1000 (issue 11): the rows formed here as well
 * were an 80 MB copy of A beside the projector's.
 */
import { type Matrix, matmul, matmulNT, matmulTN, transpose, zeros, scale, shapeOf } from "../linalg/matrix.js";
import { sqrtmPsd } from "../linalg/sqrtm.js";
import { blockMoments, transformBlocks } from "../kernels/index.js";
import { checkMatrix, checkNumber, checkVector, fail } from "../util/validate.js";
import type { MeasurementOperator } from "./operator.js";
// The solvers' check of an operator (type-only imports back, so no load cycle).
import { checkOperator } from "../solvers/nuclear-norm.js";
import {
  type BilinearOperator, type CompletionOperator, type GaussianOperator, type QuadraticOperator,
  bilinearOperator, completionOperator, gaussianOperator, quadraticOperator,
} from "./operators.js";

export interface SecondMoments {
  /** Σ_i A_i A_iᵀ (d1×d1). */
  readonly left: Matrix;
  /** Σ_i A_iᵀ A_i (d2×d2). */
  readonly right: Matrix;
}

export interface RescalingMatrices {
  readonly D1: Matrix;
  readonly D2: Matrix;
}

export interface RescalingOptions {
  /** ω in f = ω‖A(LRᵀ) − b‖²; default 1/m, the paper's normalization. */
  readonly lossScale?: number;
}

/** The generic fallback of rescaledOperator: B(X) = base(P X Q) for an operator of unknown structure. */
export interface RescaledOperator extends MeasurementOperator {
  readonly kind: "rescaled";
  readonly base: MeasurementOperator;
  /** P = D1⁻¹. */
  readonly left: Matrix;
  /** Q = D2⁻¹. */
  readonly right: Matrix;
}

/** Σ A_i A_iᵀ and Σ A_iᵀ A_i, by closed form for every known ensemble. */
export function secondMoments(A: MeasurementOperator): SecondMoments {
  checkOperator("secondMoments", A);
  const { d1, d2, m } = A;
  switch (A.kind) {
    case "gaussian": {
      const { left, right } = blockMoments((A as GaussianOperator).rows.data, m, d1, d2);
      return { left: { rows: d1, cols: d1, data: left }, right: { rows: d2, cols: d2, data: right } };
    }
    case "bilinear": {
      const { a, b } = A as BilinearOperator;
      return { left: weightedGram(a, rowSquares(b)), right: weightedGram(b, rowSquares(a)) };
    }
    case "completion": {
      const { rowIndex, colIndex, weights } = A as CompletionOperator;
      const left = zeros(d1, d1), right = zeros(d2, d2);
      for (let k = 0; k < m; k++) {
        const w2 = weights === undefined ? 1 : weights[k] * weights[k];
        left.data[rowIndex[k] * (d1 + 1)] += w2;
        right.data[colIndex[k] * (d2 + 1)] += w2;
      }
      return { left, right };
    }
    case "quadratic": {
      const { x } = A as QuadraticOperator;
      const g = weightedGram(x, rowSquares(x));
      return { left: g, right: g };
    }
    case "identity":
      return { left: scale(eye(d1), d2), right: scale(eye(d2), d1) };
    default: {
      // Unknown structure: form each A_i = A*(e_i) once.
      const left = zeros(d1, d1), right = zeros(d2, d2);
      const e = new Float64Array(m);
      for (let i = 0; i < m; i++) {
        e[i] = 1;
        const Ai = A.adjoint(e);
        e[i] = 0;
        addInPlace(left, matmulNT(Ai, Ai));
        addInPlace(right, matmulTN(Ai, Ai));
      }
      return { left, right };
    }
  }
}

/**
 * D1 = ((ω/d2) Σ A_i A_iᵀ)^{1/2}, D2 = ((ω/d1) Σ A_iᵀ A_i)^{1/2} with ω = 1/m by default
 * (Section 1.5 [R]). Diagonal cases (completion, identity) are square-rooted entrywise.
 */
export function rescalingMatrices(A: MeasurementOperator, options: RescalingOptions = {}): RescalingMatrices {
  checkOperator("rescalingMatrices", A);
  if (typeof options !== "object" || options === null) fail("rescalingMatrices", "options", "an object", options, TypeError);
  const kappa = options.lossScale === undefined ? 1 / A.m : checkNumber("rescalingMatrices", "options.lossScale", options.lossScale, { min: 0, minExclusive: true });
  const { left, right } = secondMoments(A);
  return { D1: psdRoot(scale(left, kappa / A.d2)), D2: psdRoot(scale(right, kappa / A.d1)) };
}

/**
 * B(X) = A(D1inv · X · D2inv) (Section 3, eq. (20)), specialized per ensemble so no A_i is formed
 * where the structure allows; other operators get the generic RescaledOperator.
 */
export function rescaledOperator(A: MeasurementOperator, D1inv: Matrix, D2inv: Matrix): MeasurementOperator {
  const fn = "rescaledOperator";
  checkOperator(fn, A);
  checkMatrix(fn, "D1inv", D1inv, A.d1, A.d1);
  checkMatrix(fn, "D2inv", D2inv, A.d2, A.d2);
  const P = D1inv, Q = D2inv, { d1, d2, m } = A;
  switch (A.kind) {
    case "gaussian":
      return genericRescaled(A, P, Q);
    case "bilinear": {
      // Pᵀ a bᵀ Qᵀ = (Pᵀ a)(Q b)ᵀ: rows a_iᵀ P and b_iᵀ Qᵀ.
      const { a, b } = A as BilinearOperator;
      return bilinearOperator(matmul(a, P), matmulNT(b, Q));
    }
    case "completion": {
      const { rowIndex, colIndex, weights } = A as CompletionOperator;
      if (isDiagonal(P) && isDiagonal(Q)) {
        const w = new Float64Array(m);
        for (let k = 0; k < m; k++) w[k] = (weights === undefined ? 1 : weights[k]) * P.data[rowIndex[k] * (d1 + 1)] * Q.data[colIndex[k] * (d2 + 1)];
        return completionOperator(d1, d2, rowIndex, colIndex, w);
      }
      // w Pᵀ e_i e_jᵀ Qᵀ = (w · row i of P)(row j of Qᵀ = column j of Q)ᵀ.
      const a = zeros(m, d1), b = zeros(m, d2);
      for (let k = 0; k < m; k++) {
        const wk = weights === undefined ? 1 : weights[k];
        for (let p = 0; p < d1; p++) a.data[k * d1 + p] = wk * P.data[rowIndex[k] * d1 + p];
        for (let q = 0; q < d2; q++) b.data[k * d2 + q] = Q.data[q * d2 + colIndex[k]];
      }
      return bilinearOperator(a, b);
    }
    case "quadratic": {
      const { x } = A as QuadraticOperator;
      // Pᵀ x xᵀ Qᵀ stays symmetric rank-one exactly when Q = Pᵀ (D1 = D2 symmetric).
      if (sameEntries(Q, transpose(P))) return quadraticOperator(matmul(x, P));
      return bilinearOperator(matmul(x, P), matmulNT(x, Q));
    }
    case "identity": {
      const rowIndex = new Int32Array(m), colIndex = new Int32Array(m);
      for (let t = 0; t < m; t++) { rowIndex[t] = Math.floor(t / d2); colIndex[t] = t % d2; }
      return rescaledOperator(completionOperator(d1, d2, rowIndex, colIndex), P, Q);
    }
    default:
      return genericRescaled(A, P, Q);
  }
}

function genericRescaled(base: MeasurementOperator, P: Matrix, Q: Matrix): RescaledOperator {
  const fn = "rescaledOperator";
  const { d1, d2, m } = base;
  const Pt = transpose(P), Qt = transpose(Q);
  const adjoint = (y: ArrayLike<number>): Matrix => matmul(matmul(Pt, base.adjoint(checkVector(`${fn}.adjoint`, "y", y, m))), Qt);
  return {
    kind: "rescaled", d1, d2, m, symmetric: base.symmetric && sameEntries(Q, Pt), base, left: P, right: Q,
    apply(x) {
      checkMatrix(`${fn}.apply`, "x", x, d1, d2);
      return base.apply(matmul(matmul(P, x), Q));
    },
    adjoint,
    gram() {
      const n = d1 * d2;
      if (base.kind === "gaussian") {
        // Rows of B: vec(Pᵀ A_i Qᵀ).
        const R = (base as GaussianOperator).rows.data;
        return gaussianOperator(d1, d2, { rows: m, cols: n, data: transformBlocks(R, m, d1, d2, Pt.data, Qt.data) }).gram();
      }
      const rows = new Float64Array(m * n), e = new Float64Array(m);
      for (let i = 0; i < m; i++) {
        e[i] = 1;
        rows.set(adjoint(e).data, i * n);
        e[i] = 0;
      }
      return gaussianOperator(d1, d2, { rows: m, cols: n, data: rows }).gram();
    },
  };
}

/** aᵀ diag(w) a for a stored by rows. */
function weightedGram(a: Matrix, w: Float64Array): Matrix {
  const n = a.cols, scaled = new Float64Array(a.data.length);
  for (let i = 0; i < a.rows; i++) for (let j = 0; j < n; j++) scaled[i * n + j] = w[i] * a.data[i * n + j];
  return matmulTN(a, { rows: a.rows, cols: n, data: scaled });
}

function rowSquares(a: Matrix): Float64Array {
  const out = new Float64Array(a.rows);
  for (let i = 0; i < a.rows; i++) {
    let s = 0;
    for (let j = 0; j < a.cols; j++) s += a.data[i * a.cols + j] ** 2;
    out[i] = s;
  }
  return out;
}

function psdRoot(a: Matrix): Matrix {
  if (!isDiagonal(a)) return sqrtmPsd(a);
  const out = zeros(a.rows, a.cols);
  for (let i = 0; i < a.rows; i++) out.data[i * (a.cols + 1)] = Math.sqrt(Math.max(a.data[i * (a.cols + 1)], 0));
  return out;
}

export function isDiagonal(a: Matrix): boolean {
  for (let i = 0; i < a.rows; i++) for (let j = 0; j < a.cols; j++) if (i !== j && a.data[i * a.cols + j] !== 0) return false;
  return true;
}

function sameEntries(a: Matrix, b: Matrix): boolean {
  if (a.rows !== b.rows || a.cols !== b.cols) return false;
  for (let t = 0; t < a.data.length; t++) if (a.data[t] !== b.data[t]) return false;
  return true;
}

function eye(n: number): Matrix {
  const out = zeros(n, n);
  for (let i = 0; i < n; i++) out.data[i * (n + 1)] = 1;
  return out;
}

function addInPlace(acc: Matrix, x: Matrix): void {
  if (acc.rows !== x.rows || acc.cols !== x.cols) fail("addInPlace", "x", `shape ${shapeOf(acc)}`, shapeOf(x));
  for (let t = 0; t < acc.data.length; t++) acc.data[t] += x.data[t];
}
