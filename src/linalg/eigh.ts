/**
 * Symmetric eigendecomposition a = Q diag(λ) Qᵀ, eigenvalues ascending, eigenvectors as columns.
 *
 * Used for the rescaling matrices D1, D2 of Section 3 (through sqrtm.ts) and once per iteration
 * by the convex solvers (projections onto the PSD cone), so it runs on flat Float64Arrays with
 * no get/set calls.
 *
 * Algorithm: Householder tridiagonalization followed by the implicit QL iteration with Wilkinson
 * shifts, i.e. EISPACK tred2 + tql2 (Bowdler, Martin, Reinsch and Wilkinson 1968, Handbook for
 * Automatic Computation II/2; the same pair JAMA and ml-matrix use), written on row-major flat
 * arrays. Our choice over ml-matrix's EigenvalueDecomposition: that one took 1.1 ms (40×40) and
 * 7.8 ms (80×80) on this machine against LAPACK's 0.3 / 1.0 ms (platform notes); see
 * bench/linalg.bench.ts for this file's numbers.
 * The QL rotations act on the rows of Qᵀ (contiguous memory), not on the columns of Q.
 */
import { type Matrix, shapeOf } from "./matrix.js";
import { checkMatrix, checkNumber } from "../util/validate.js";

export interface EighOptions {
  /**
   * Largest accepted asymmetry max|a_ij − a_ji| relative to max|a_ij| (default 1e-10). The
   * decomposition uses the symmetric part (a + aᵀ)/2.
   */
  readonly symmetryTol?: number;
}

export interface EighResult {
  /** Eigenvalues, ascending. */
  readonly values: Float64Array;
  /** Orthonormal eigenvectors as columns: column j belongs to values[j]. */
  readonly vectors: Matrix;
}

const EPS = 2 ** -52;
/** tql2 gives up after this many QL sweeps on one eigenvalue; EISPACK uses 30, convergence is usually 1 to 3. */
const MAX_QL_ITERATIONS = 60;

/** Symmetric eigendecomposition: values ascending, vectors as columns (a = V diag(values) Vᵀ). */
export function eigh(a: Matrix, options: EighOptions = {}): EighResult {
  checkMatrix("eigh", "a", a);
  if (a.rows !== a.cols) throw new RangeError(`eigh: a must be square; received shape ${shapeOf(a)}.`);
  const symmetryTol = options.symmetryTol === undefined ? 1e-10 : checkNumber("eigh", "options.symmetryTol", options.symmetryTol, { min: 0 });
  const n = a.rows;
  const w = symmetricPart("eigh", a, symmetryTol);
  const values = new Float64Array(n);
  const qt = new Float64Array(n * n);
  eighKernel(n, w, values, qt);
  // Transpose Qᵀ (rows are eigenvectors) into V (columns are eigenvectors).
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) v[j * n + i] = qt[i * n + j];
  return { values, vectors: { rows: n, cols: n, data: v } };
}

/** (a + aᵀ)/2 as a new array, after checking that a is symmetric to the given tolerance. */
export function symmetricPart(fn: string, a: Matrix, tol: number): Float64Array {
  const n = a.rows, A = a.data;
  let maxAbs = 0, maxAsym = 0, worstI = 0, worstJ = 0;
  for (let k = 0; k < A.length; k++) maxAbs = Math.max(maxAbs, Math.abs(A[k]));
  const w = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    w[i * n + i] = A[i * n + i];
    for (let j = 0; j < i; j++) {
      const x = A[i * n + j], y = A[j * n + i];
      const asym = Math.abs(x - y);
      if (asym > maxAsym) { maxAsym = asym; worstI = i; worstJ = j; }
      w[i * n + j] = w[j * n + i] = 0.5 * (x + y);
    }
  }
  if (maxAsym > tol * maxAbs) {
    throw new RangeError(
      `${fn}: a must be symmetric (max|a_ij − a_ji| ≤ ${tol}·max|a_ij|); received |a[${worstI}][${worstJ}] − a[${worstJ}][${worstI}]| = ${maxAsym.toExponential(3)} with max|a_ij| = ${maxAbs.toExponential(3)}.`,
    );
  }
  return w;
}

/**
 * Unchecked kernel. On entry w holds a symmetric n×n matrix (row-major; overwritten). On exit
 * values holds the eigenvalues ascending and row i of qt the unit eigenvector of values[i].
 */
export function eighKernel(n: number, w: Float64Array, values: Float64Array, qt: Float64Array): void {
  if (n === 0) return;
  const e = new Float64Array(n);
  tred2(n, w, values, e);
  // w now holds the orthogonal Q of the tridiagonalization; QL works on its transpose.
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) qt[i * n + j] = w[j * n + i];
  tql2(n, qt, values, e);
  sortAscending(n, values, qt);
}

/**
 * Householder reduction to tridiagonal form (EISPACK tred2). V (row-major, n×n) holds the
 * matrix on entry (lower triangle used) and the accumulated orthogonal transformation on exit;
 * d gets the diagonal, e the subdiagonal in e[1..n-1].
 */
function tred2(n: number, V: Float64Array, d: Float64Array, e: Float64Array): void {
  for (let j = 0; j < n; j++) d[j] = V[(n - 1) * n + j];
  for (let i = n - 1; i > 0; i--) {
    let scale = 0, h = 0;
    for (let k = 0; k < i; k++) scale += Math.abs(d[k]);
    if (scale === 0) {
      e[i] = d[i - 1];
      for (let j = 0; j < i; j++) {
        d[j] = V[(i - 1) * n + j];
        V[i * n + j] = 0;
        V[j * n + i] = 0;
      }
    } else {
      for (let k = 0; k < i; k++) {
        d[k] /= scale;
        h += d[k] * d[k];
      }
      let f = d[i - 1];
      let g = Math.sqrt(h);
      if (f > 0) g = -g;
      e[i] = scale * g;
      h -= f * g;
      d[i - 1] = f - g;
      for (let j = 0; j < i; j++) e[j] = 0;
      // e = (lower triangle of V) · d, reading V row by row.
      for (let j = 0; j < i; j++) {
        f = d[j];
        V[j * n + i] = f;
        g = e[j] + V[j * n + j] * f;
        const rowJ = j * n;
        for (let k = 0; k < j; k++) {
          const vjk = V[rowJ + k];
          g += vjk * d[k];
          e[k] += vjk * f;
        }
        e[j] = g;
      }
      f = 0;
      for (let j = 0; j < i; j++) {
        e[j] /= h;
        f += e[j] * d[j];
      }
      const hh = f / (h + h);
      for (let j = 0; j < i; j++) e[j] -= hh * d[j];
      // Rank-2 update of the lower triangle, row by row.
      for (let k = 0; k < i; k++) {
        const ek = e[k], dk = d[k], rowK = k * n;
        for (let j = 0; j <= k; j++) V[rowK + j] -= dk * e[j] + ek * d[j];
      }
      for (let j = 0; j < i; j++) {
        d[j] = V[(i - 1) * n + j];
        V[i * n + j] = 0;
      }
    }
    d[i] = h;
  }
  // Accumulate the transformations (g is scratch: e still holds the subdiagonal).
  const g = new Float64Array(n);
  for (let i = 0; i < n - 1; i++) {
    V[(n - 1) * n + i] = V[i * n + i];
    V[i * n + i] = 1;
    const h = d[i + 1];
    if (h !== 0) {
      for (let k = 0; k <= i; k++) d[k] = V[k * n + i + 1] / h;
      // g_j = Σ_k V[k][i+1] V[k][j] for all j ≤ i at once, streaming rows k.
      for (let j = 0; j <= i; j++) g[j] = 0;
      for (let k = 0; k <= i; k++) {
        const vk = V[k * n + i + 1], rowK = k * n;
        if (vk === 0) continue;
        for (let j = 0; j <= i; j++) g[j] += vk * V[rowK + j];
      }
      for (let k = 0; k <= i; k++) {
        const dk = d[k], rowK = k * n;
        for (let j = 0; j <= i; j++) V[rowK + j] -= g[j] * dk;
      }
    }
    for (let k = 0; k <= i; k++) V[k * n + i + 1] = 0;
  }
  for (let j = 0; j < n; j++) {
    d[j] = V[(n - 1) * n + j];
    V[(n - 1) * n + j] = 0;
  }
  V[(n - 1) * n + n - 1] = 1;
  e[0] = 0;
}

/**
 * Implicit QL with Wilkinson shifts on the tridiagonal (d, e) (EISPACK tql2). Rotations are
 * applied to the rows of Qt, which on exit holds the eigenvectors as rows.
 */
function tql2(n: number, Qt: Float64Array, d: Float64Array, e: Float64Array): void {
  for (let i = 1; i < n; i++) e[i - 1] = e[i];
  e[n - 1] = 0;
  let f = 0, tst1 = 0;
  for (let l = 0; l < n; l++) {
    tst1 = Math.max(tst1, Math.abs(d[l]) + Math.abs(e[l]));
    let m = l;
    while (m < n - 1 && Math.abs(e[m]) > EPS * tst1) m++;
    if (m > l) {
      let iter = 0;
      do {
        if (++iter > MAX_QL_ITERATIONS) {
          throw new RangeError(`eigh: the QL iteration did not converge for eigenvalue ${l} after ${MAX_QL_ITERATIONS} sweeps (subdiagonal ${e[l].toExponential(3)}).`);
        }
        let g = d[l];
        let p = (d[l + 1] - g) / (2 * e[l]);
        let r = hypot(p, 1);
        if (p < 0) r = -r;
        d[l] = e[l] / (p + r);
        d[l + 1] = e[l] * (p + r);
        const dl1 = d[l + 1];
        let h = g - d[l];
        for (let i = l + 2; i < n; i++) d[i] -= h;
        f += h;
        p = d[m];
        let c = 1, c2 = 1, c3 = 1, s = 0, s2 = 0;
        const el1 = e[l + 1];
        for (let i = m - 1; i >= l; i--) {
          c3 = c2;
          c2 = c;
          s2 = s;
          g = c * e[i];
          h = c * p;
          r = hypot(p, e[i]);
          e[i + 1] = s * r;
          s = e[i] / r;
          c = p / r;
          p = c * d[i] - s * g;
          d[i + 1] = h + s * (c * g + s * d[i]);
          // Rotate rows i and i+1 of Qt.
          const ri = i * n, ri1 = ri + n;
          for (let k = 0; k < n; k++) {
            const a = Qt[ri1 + k], b = Qt[ri + k];
            Qt[ri1 + k] = s * b + c * a;
            Qt[ri + k] = c * b - s * a;
          }
        }
        p = (-s * s2 * c3 * el1 * e[l]) / dl1;
        e[l] = s * p;
        d[l] = c * p;
      } while (Math.abs(e[l]) > EPS * tst1);
    }
    d[l] += f;
    e[l] = 0;
  }
}

/** Selection sort of values with their rows of Qt (n swaps at most; n ≤ a few thousand). */
function sortAscending(n: number, d: Float64Array, Qt: Float64Array): void {
  for (let i = 0; i < n - 1; i++) {
    let k = i, p = d[i];
    for (let j = i + 1; j < n; j++) if (d[j] < p) { k = j; p = d[j]; }
    if (k !== i) {
      d[k] = d[i];
      d[i] = p;
      const ri = i * n, rk = k * n;
      for (let j = 0; j < n; j++) {
        const t = Qt[ri + j];
        Qt[ri + j] = Qt[rk + j];
        Qt[rk + j] = t;
      }
    }
  }
}

/** sqrt(a² + b²) without Math.hypot's cost; falls back to it only when squaring over- or underflows. */
export function hypot(a: number, b: number): number {
  const r = Math.sqrt(a * a + b * b);
  if (r === Infinity || (r < 1e-150 && (a !== 0 || b !== 0))) return Math.hypot(a, b);
  return r;
}
