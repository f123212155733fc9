/**
 * Thin QR factorization a = Q R by Householder reflections (Golub and Van Loan, 4th ed.,
 * Algorithm 5.2.1), for orthonormalizing blocks of vectors (Hutch++ sketches, Lanczos restarts).
 * Columns of a are held as rows of a work array so each reflection streams contiguous memory.
 */
import { type Matrix } from "./matrix.js";
import { checkMatrix } from "../util/validate.js";
import { axpy, dot } from "./blas1.js";

export interface QrResult {
  /** rows×p with orthonormal columns, p = min(rows, cols). */
  readonly q: Matrix;
  /** p×cols upper triangular (diagonal entries may be negative). */
  readonly r: Matrix;
}

/** Thin Householder QR: a = q r, q with orthonormal columns (also where a has dependent columns). */
export function qr(a: Matrix): QrResult {
  checkMatrix("qr", "a", a);
  const m = a.rows, n = a.cols, p = Math.min(m, n);
  // W = aᵀ: row c of W is column c of a.
  const W = new Float64Array(n * m);
  for (let i = 0; i < m; i++) for (let c = 0; c < n; c++) W[c * m + i] = a.data[i * n + c];
  const vs = new Float64Array(p * m); // Householder vectors v_j (entries j..m-1), unit norm
  const R = new Float64Array(p * n);
  for (let j = 0; j < p; j++) {
    const rj = j * m;
    let norm = 0;
    for (let i = j; i < m; i++) norm += W[rj + i] * W[rj + i];
    norm = Math.sqrt(norm);
    if (norm === 0) continue; // zero column below the diagonal: no reflection, R_jj = 0
    // v = x + sign(x_0)‖x‖e_0, normalized; H = I − 2vvᵀ maps x to −sign(x_0)‖x‖e_0.
    const alpha = W[rj + j] >= 0 ? -norm : norm;
    const vj = j * m;
    for (let i = j; i < m; i++) vs[vj + i] = W[rj + i];
    vs[vj + j] -= alpha;
    let vn = 0;
    for (let i = j; i < m; i++) vn += vs[vj + i] * vs[vj + i];
    vn = Math.sqrt(vn);
    for (let i = j; i < m; i++) vs[vj + i] /= vn;
    W[rj + j] = alpha;
    for (let i = j + 1; i < m; i++) W[rj + i] = 0;
    for (let c = j + 1; c < n; c++) reflect(W, c * m, vs, vj, j, m);
  }
  for (let j = 0; j < p; j++) for (let c = j; c < n; c++) R[j * n + c] = W[c * m + j];
  // Qᵀ rows: Q e_r = H_0 ⋯ H_{p-1} e_r, reflections applied last-first.
  const Qt = new Float64Array(p * m);
  for (let r = 0; r < p; r++) {
    Qt[r * m + r] = 1;
    for (let j = Math.min(r, p - 1); j >= 0; j--) reflect(Qt, r * m, vs, j * m, j, m);
  }
  const Q = new Float64Array(m * p);
  for (let r = 0; r < p; r++) for (let i = 0; i < m; i++) Q[i * p + r] = Qt[r * m + i];
  return { q: { rows: m, cols: p, data: Q }, r: { rows: p, cols: n, data: R } };
}

/** x ← (I − 2vvᵀ)x on entries from..m-1, x at X[xo..], v at V[vo..]. */
function reflect(X: Float64Array, xo: number, V: Float64Array, vo: number, from: number, m: number): void {
  const d = dot(V, vo, X, xo, from, m);
  if (d !== 0) axpy(-2 * d, V, vo, X, xo, from, m);
}
