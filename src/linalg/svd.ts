/**
 * Thin singular value decomposition a = U diag(s) Vᵀ, s descending, for any shape.
 *
 * The convex solvers of Section 3 (nuclear-norm proximal steps, Theorem 3.2 [P]) take one SVD of a
 * d×d matrix (d = 10..50) per iteration, and the paper's success test ‖X̂ − M‖_F < 1e-6 [P] needs
 * singular vectors accurate to working precision, so an SVD via eigh(AᵀA) (which squares the
 * condition number) is not offered.
 *
 * Methods (our choice of default, measured in bench/linalg.bench.ts):
 * - "golub-kahan" (default): Householder bidiagonalization + implicit-shift QR
 *   (svd-golub-kahan.ts); backward stable, about 22n³ flops for a square matrix with vectors.
 *   50×50: 0.8-1.3 ms (LAPACK 0.28 ms), ‖A − UΣVᵀ‖/‖A‖ 2.5e-15, ‖UᵀU − I‖ 1.2e-14.
 * - "jacobi": one-sided Jacobi (svd-jacobi.ts); 2.5-3x slower (50×50: 3.1 ms), but small
 *   singular values come out with high relative accuracy.
 * Wide matrices are decomposed through their transpose; matrices with entries beyond 2^±100 are
 * scaled by a power of two first (exact), so neither kernel overflows or underflows. ml-matrix's SingularValueDecomposition was
 * not used: 3 ms (40×40) and 19 ms (80×80) against LAPACK's 0.4 / 1.4 ms (platform notes).
 */
import { type Matrix } from "./matrix.js";
import { checkMatrix, checkOneOf } from "../util/validate.js";
import { golubKahanKernel } from "./svd-golub-kahan.js";
import { completeOrthonormalRows, jacobiKernel } from "./svd-jacobi.js";
import { safeScaleExponent, scalePow2 } from "./scalar.js";

export interface SvdOptions {
  /** "golub-kahan" (default, faster) or "jacobi" (tiny singular values to high relative accuracy). */
  readonly method?: "golub-kahan" | "jacobi";
}

export interface SvdResult {
  /** rows×p with orthonormal columns, p = min(rows, cols). */
  readonly u: Matrix;
  /** Singular values, descending, length p. */
  readonly s: Float64Array;
  /** cols×p with orthonormal columns. */
  readonly v: Matrix;
}

const EPS = 2 ** -52;
const METHODS = ["golub-kahan", "jacobi"] as const;

/** Thin SVD: a = u·diag(s)·vᵀ with s descending; u, v with orthonormal columns (also where s = 0). */
export function svd(a: Matrix, options: SvdOptions = {}): SvdResult {
  checkMatrix("svd", "a", a);
  const method = options.method === undefined ? "golub-kahan" : checkOneOf("svd", "options.method", options.method, METHODS);
  const { rows, cols } = a;
  const wide = rows < cols;
  // Work on B = a (tall or square) or B = aᵀ (wide), m ≥ n; W holds Bᵀ (row j = column j of B).
  const m = wide ? cols : rows, n = wide ? rows : cols;
  const W = transposedWork(a, wide);
  const s = new Float64Array(n);
  const Ut = new Float64Array(n * m);
  const Vt = new Float64Array(n * n);
  if (n > 0) {
    const e = safeScaleExponent(W);
    scalePow2(W, -e);
    if (method === "golub-kahan") golubKahanKernel(m, n, W, s, Ut, Vt, true);
    else jacobiFactors(m, n, W, s, Ut, Vt);
    scalePow2(s, e);
  }
  const uB: Matrix = { rows: m, cols: n, data: transposeFlat(Ut, n, m) };
  const vB: Matrix = { rows: n, cols: n, data: transposeFlat(Vt, n, n) };
  return wide ? { u: vB, s, v: uB } : { u: uB, s, v: vB };
}

/** Singular values only, descending (Golub–Kahan without accumulating U and V). */
export function singularValues(a: Matrix): Float64Array {
  checkMatrix("singularValues", "a", a);
  const wide = a.rows < a.cols;
  const m = wide ? a.cols : a.rows, n = wide ? a.rows : a.cols;
  const s = new Float64Array(n);
  if (n > 0) {
    const W = transposedWork(a, wide);
    const e = safeScaleExponent(W);
    scalePow2(W, -e);
    golubKahanKernel(m, n, W, s, new Float64Array(0), new Float64Array(0), false);
    scalePow2(s, e);
  }
  return s;
}

/** Bᵀ as a flat n×m array, where B = a if a is tall or square and B = aᵀ if a is wide. */
function transposedWork(a: Matrix, wide: boolean): Float64Array {
  const { rows, cols, data } = a;
  if (wide) return data.slice();
  const W = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) W[j * rows + i] = data[i * cols + j];
  return W;
}

/** Jacobi on W (n×m), then sorted s, Uᵀ rows (completed where s is negligible) and Vᵀ rows. */
function jacobiFactors(m: number, n: number, W: Float64Array, sOut: Float64Array, Ut: Float64Array, VtOut: Float64Array): void {
  const Vt = new Float64Array(n * n);
  for (let j = 0; j < n; j++) Vt[j * n + j] = 1;
  const s = new Float64Array(n);
  jacobiKernel(m, n, W, Vt, s, true);
  const order = Array.from({ length: n }, (_, j) => j).sort((x, y) => s[y] - s[x]);
  // Jacobi leaves every pair of columns orthogonal relative to their own norms, so even tiny
  // columns normalize to orthonormal u; only columns below s_max·eps² (rounding debris of exact
  // zeros, or underflow) are replaced by a completion.
  const tiny = s[order[0]] * EPS * EPS;
  let rank = 0;
  for (let k = 0; k < n; k++) {
    const j = order[k];
    sOut[k] = s[j];
    VtOut.set(Vt.subarray(j * n, (j + 1) * n), k * n);
    if (s[j] > tiny && s[j] > 0) {
      const inv = 1 / s[j];
      for (let i = 0; i < m; i++) Ut[k * m + i] = W[j * m + i] * inv;
      rank = k + 1;
    }
  }
  completeOrthonormalRows(Ut, m, n, rank);
}

function transposeFlat(x: Float64Array, rows: number, cols: number): Float64Array {
  const out = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[j * rows + i] = x[i * cols + j];
  return out;
}
