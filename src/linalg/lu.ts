/**
 * Solution of a general square linear system a x = b by LU factorization with partial (row)
 * pivoting (Golub and Van Loan, Matrices Computations, 4th ed., Algorithm 3.4.1), right-looking
 * on row-major storage so the elimination updates stream whole rows.
 */
import { type Matrix, shapeOf } from "./matrix.js";
import { checkMatrix } from "../util/validate.js";
import { checkFiniteVector } from "./cholesky.js";
import { axpy, dot } from "./blas1.js";

/** x with a x = b, for square nonsingular a; b a vector (length n) or an n×k matrix. */
export function solve(a: Matrix, b: Float64Array): Float64Array;
export function solve(a: Matrix, b: Matrix): Matrix;
export function solve(a: Matrix, b: Float64Array | Matrix): Float64Array | Matrix;
export function solve(a: Matrix, b: Float64Array | Matrix): Float64Array | Matrix {
  checkMatrix("solve", "a", a);
  if (a.rows !== a.cols) throw new RangeError(`solve: a must be square; received shape ${shapeOf(a)}.`);
  const n = a.rows;
  let x: Float64Array, k: number;
  if (b instanceof Float64Array) {
    if (b.length !== n) throw new RangeError(`solve: b must have length ${n}; received ${b.length}.`);
    checkFiniteVector("solve", "b", b);
    x = b.slice();
    k = 1;
  } else {
    checkMatrix("solve", "b", b, n);
    x = b.data.slice();
    k = b.cols;
  }
  const LU = a.data.slice();
  let maxAbs = 0;
  for (let i = 0; i < LU.length; i++) maxAbs = Math.max(maxAbs, Math.abs(LU[i]));
  const tmp = new Float64Array(Math.max(n, k));
  for (let j = 0; j < n; j++) {
    // Pivot: largest |entry| in column j at or below the diagonal.
    let p = j, best = Math.abs(LU[j * n + j]);
    for (let i = j + 1; i < n; i++) {
      const v = Math.abs(LU[i * n + j]);
      if (v > best) { best = v; p = i; }
    }
    if (!(best > n * 2 ** -52 * maxAbs)) {
      throw new RangeError(`solve: a must be nonsingular; received a pivot of ${best.toExponential(3)} in column ${j} (max|a_ij| = ${maxAbs.toExponential(3)}).`);
    }
    if (p !== j) {
      swapRows(LU, n, p, j, tmp);
      swapRows(x, k, p, j, tmp);
    }
    const rj = j * n, inv = 1 / LU[rj + j];
    for (let i = j + 1; i < n; i++) {
      const ri = i * n;
      const f = LU[ri + j] * inv;
      if (f === 0) continue;
      LU[ri + j] = f;
      axpy(-f, LU, rj, LU, ri, j + 1, n);
      if (k === 1) x[i] -= f * x[j];
      else axpy(-f, x, j * k, x, i * k, 0, k);
    }
  }
  // Back substitution with U.
  for (let i = n - 1; i >= 0; i--) {
    const ri = i * n, xi = i * k;
    if (k === 1) x[i] -= dot(LU, ri, x, 0, i + 1, n);
    else for (let j = i + 1; j < n; j++) if (LU[ri + j] !== 0) axpy(-LU[ri + j], x, j * k, x, xi, 0, k);
    const inv = 1 / LU[ri + i];
    for (let c = 0; c < k; c++) x[xi + c] *= inv;
  }
  return b instanceof Float64Array ? x : { rows: n, cols: k, data: x };
}

function swapRows(x: Float64Array, width: number, p: number, q: number, tmp: Float64Array): void {
  const rp = p * width, rq = q * width;
  tmp.set(x.subarray(rp, rp + width));
  x.copyWithin(rp, rq, rq + width);
  x.set(tmp.subarray(0, width), rq);
}
