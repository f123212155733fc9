/**
 * Symmetry checks shared by eigh and cholesky: both accept a matrix that is symmetric up to
 * rounding (Gram matrices and averages such as (1/(m d2)) Σ A_i A_iᵀ of Section 3 are, when built
 * in another order) and reject anything else with the worst entry named.
 */
import type { Matrix } from "./matrix.js";

/** Default accepted asymmetry max|a_ij − a_ji| relative to max|a_ij|. */
export const DEFAULT_SYMMETRY_TOL = 1e-10;

/** Throws a RangeError naming the worst pair when max|a_ij − a_ji| > tol·max|a_ij| (a square). */
export function checkSymmetric(fn: string, arg: string, a: Matrix, tol: number): void {
  const n = a.rows, A = a.data;
  let maxAbs = 0, maxAsym = 0, worstI = 0, worstJ = 0;
  for (let k = 0; k < A.length; k++) maxAbs = Math.max(maxAbs, Math.abs(A[k]));
  // 32×32 tiles, so the column-wise reads of the upper triangle stay in cache (n up to thousands).
  const T = 32;
  for (let i0 = 0; i0 < n; i0 += T) {
    for (let j0 = 0; j0 <= i0; j0 += T) {
      const i1 = Math.min(n, i0 + T), j1 = Math.min(n, j0 + T);
      for (let i = i0; i < i1; i++) {
        for (let j = j0; j < j1 && j < i; j++) {
          const asym = Math.abs(A[i * n + j] - A[j * n + i]);
          if (asym > maxAsym) { maxAsym = asym; worstI = i; worstJ = j; }
        }
      }
    }
  }
  if (maxAsym > tol * maxAbs) {
    throw new RangeError(
      `${fn}: ${arg} must be symmetric (max|a_ij − a_ji| ≤ ${tol}·max|a_ij|); received |${arg}[${worstI}][${worstJ}] − ${arg}[${worstJ}][${worstI}]| = ${maxAsym.toExponential(3)} with max|a_ij| = ${maxAbs.toExponential(3)}.`,
    );
  }
}

/** (a + aᵀ)/2 as a new row-major array, after checkSymmetric. */
export function symmetricPart(fn: string, a: Matrix, tol: number): Float64Array {
  checkSymmetric(fn, "a", a, tol);
  const n = a.rows, A = a.data;
  const w = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    w[i * n + i] = A[i * n + i];
    for (let j = 0; j < i; j++) w[i * n + j] = w[j * n + i] = 0.5 * (A[i * n + j] + A[j * n + i]);
  }
  return w;
}
