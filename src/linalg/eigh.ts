/**
 * Symmetric eigendecomposition a = Q diag(λ) Qᵀ, eigenvalues ascending, eigenvectors as columns.
 *
 * Used for the rescaling matrices D1, D2 of Section 3 [R] (through sqrtm.ts) and once per iteration
 * by the convex solvers (projections onto the PSD cone), so it runs on flat Float64Arrays with
 * no get/set calls.
 *
 * Algorithm: Householder tridiagonalization followed by the implicit QL iteration with Wilkinson
 * shifts, i.e. EISPACK tred2 + tql2 (Bowdler, Martin, Reinsch and Wilkinson 1968, Handbook for
 * Automatic Computation II/2; the same pair JAMA and ml-matrix use), written on row-major flat
 * arrays. Our choice over ml-matrix's EigenvalueDecomposition: that one took 1.1 ms (40×40) and
 * 7.8 ms (80×80) on this machine against LAPACK's 0.3 / 1.0 ms (platform notes); see
 * bench/linalg.bench.ts for this file's numbers.
 */
import { type Matrix, shapeOf } from "./matrix.js";
import { checkMatrix, checkNumber } from "../util/validate.js";
import { hypot, safeScaleExponent, scalePow2 } from "./scalar.js";
import { DEFAULT_SYMMETRY_TOL, symmetricPart } from "./symmetric.js";
import { axpy } from "./blas1.js";

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
  const symmetryTol = options.symmetryTol === undefined ? DEFAULT_SYMMETRY_TOL : checkNumber("eigh", "options.symmetryTol", options.symmetryTol, { min: 0 });
  const n = a.rows;
  const w = symmetricPart("eigh", a, symmetryTol);
  const values = new Float64Array(n);
  // Power-of-two scaling (exact) keeps tql2's squares away from overflow and underflow.
  const e = safeScaleExponent(w);
  scalePow2(w, -e);
  eighKernel(n, w, values);
  scalePow2(values, e);
  return { values, vectors: { rows: n, cols: n, data: w } };
}

/**
 * Eigenvalues only, ascending: skips forming and rotating the eigenvectors (about 6n³ of the
 * 8n³ flops of eigh).
 */
export function eigvalsh(a: Matrix, options: EighOptions = {}): Float64Array {
  checkMatrix("eigvalsh", "a", a);
  if (a.rows !== a.cols) throw new RangeError(`eigvalsh: a must be square; received shape ${shapeOf(a)}.`);
  const symmetryTol = options.symmetryTol === undefined ? DEFAULT_SYMMETRY_TOL : checkNumber("eigvalsh", "options.symmetryTol", options.symmetryTol, { min: 0 });
  const n = a.rows;
  const w = symmetricPart("eigvalsh", a, symmetryTol);
  const values = new Float64Array(n);
  const e = safeScaleExponent(w);
  scalePow2(w, -e);
  eighKernel(n, w, values, false);
  scalePow2(values, e);
  return values;
}

/**
 * Unchecked kernel. On entry w holds a symmetric n×n matrix (row-major; overwritten). On exit
 * values holds the eigenvalues ascending and, when wantVectors, column j of w (row-major) the
 * unit eigenvector of values[j].
 */
export function eighKernel(n: number, w: Float64Array, values: Float64Array, wantVectors = true): void {
  if (n === 0) return;
  const e = new Float64Array(n);
  tred2(n, w, values, e, wantVectors);
  tql2(n, w, values, e, wantVectors);
  if (wantVectors) sortAscending(n, values, w);
  else values.sort();
}

/**
 * Householder reduction to tridiagonal form (EISPACK tred2). V (row-major, n×n) holds the
 * matrix on entry (lower triangle used) and the accumulated orthogonal transformation on exit;
 * d gets the diagonal, e the subdiagonal in e[1..n-1].
 */
function tred2(n: number, V: Float64Array, d: Float64Array, e: Float64Array, wantVectors: boolean): void {
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
        e[j] += V[j * n + j] * f + dotAndAxpy(V, j * n, d, e, f, j);
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
        rank2Row(V, k * n, -d[k], e, -e[k], d, k + 1);
      }
      for (let j = 0; j < i; j++) {
        d[j] = V[(i - 1) * n + j];
        V[i * n + j] = 0;
      }
    }
    d[i] = h;
  }
  if (wantVectors) {
    accumulateTridiagonalization(n, V, d, e);
  } else {
    // The diagonal of the tridiagonal sits on the diagonal of V until the accumulation.
    for (let j = 0; j < n; j++) d[j] = V[j * n + j];
    e[0] = 0;
  }
}

/** Second half of tred2: forms the orthogonal matrix of the tridiagonalization in V. */
function accumulateTridiagonalization(n: number, V: Float64Array, d: Float64Array, e: Float64Array): void {
  // g is scratch: e still holds the subdiagonal.
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
        const vk = V[k * n + i + 1];
        if (vk !== 0) axpy(vk, V, k * n, g, 0, 0, i + 1);
      }
      for (let k = 0; k <= i; k++) axpy(-d[k], g, 0, V, k * n, 0, i + 1);
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
 * Implicit QL with Wilkinson shifts on the tridiagonal (d, e) (EISPACK tql2). The rotations of
 * one QL sweep are recorded and then applied to the columns of V row by row, as one chain per row
 * (each entry loaded and stored once per sweep, the LAPACK dlasr pattern), instead of rotating
 * column pairs one rotation at a time with strided access.
 */
function tql2(n: number, V: Float64Array, d: Float64Array, e: Float64Array, wantVectors: boolean): void {
  for (let i = 1; i < n; i++) e[i - 1] = e[i];
  e[n - 1] = 0;
  const cs = new Float64Array(n), sn = new Float64Array(n);
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
          cs[i] = c;
          sn[i] = s;
        }
        // Columns (i, i+1) ← (c·v_i − s·v_{i+1}, s·v_i + c·v_{i+1}) for i = m-1 down to l,
        // four rows at a time so each (c, s) load serves four entries.
        let k = wantVectors ? 0 : n;
        for (; k + 3 < n; k += 4) {
          const r0 = k * n, r1 = r0 + n, r2 = r1 + n, r3 = r2 + n;
          let c0 = V[r0 + m], c1 = V[r1 + m], c2v = V[r2 + m], c3v = V[r3 + m];
          for (let i = m - 1; i >= l; i--) {
            const ci = cs[i], si = sn[i];
            const v0 = V[r0 + i], v1 = V[r1 + i], v2 = V[r2 + i], v3 = V[r3 + i];
            V[r0 + i + 1] = si * v0 + ci * c0;
            V[r1 + i + 1] = si * v1 + ci * c1;
            V[r2 + i + 1] = si * v2 + ci * c2v;
            V[r3 + i + 1] = si * v3 + ci * c3v;
            c0 = ci * v0 - si * c0;
            c1 = ci * v1 - si * c1;
            c2v = ci * v2 - si * c2v;
            c3v = ci * v3 - si * c3v;
          }
          V[r0 + l] = c0;
          V[r1 + l] = c1;
          V[r2 + l] = c2v;
          V[r3 + l] = c3v;
        }
        for (; k < n; k++) {
          const row = k * n;
          let carry = V[row + m];
          for (let i = m - 1; i >= l; i--) {
            const vi = V[row + i], ci = cs[i], si = sn[i];
            V[row + i + 1] = si * vi + ci * carry;
            carry = ci * vi - si * carry;
          }
          V[row + l] = carry;
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

/** Selection sort of values with their columns of V (n swaps at most). */
function sortAscending(n: number, d: Float64Array, V: Float64Array): void {
  for (let i = 0; i < n - 1; i++) {
    let k = i, p = d[i];
    for (let j = i + 1; j < n; j++) if (d[j] < p) { k = j; p = d[j]; }
    if (k !== i) {
      d[k] = d[i];
      d[i] = p;
      for (let r = 0; r < n; r++) {
        const t = V[r * n + i];
        V[r * n + i] = V[r * n + k];
        V[r * n + k] = t;
      }
    }
  }
}

// Inner loops of tred2, unrolled by two (V8 does neither unrolling nor vectorization; measured
// about 1.3x on the tridiagonalization).

/** e[k] += f·V[row+k] for k < len, and returns Σ_k V[row+k]·d[k]: one pass over a row of the lower triangle. */
function dotAndAxpy(V: Float64Array, row: number, d: Float64Array, e: Float64Array, f: number, len: number): number {
  let g0 = 0, g1 = 0, k = 0;
  for (; k + 1 < len; k += 2) {
    const v0 = V[row + k], v1 = V[row + k + 1];
    g0 += v0 * d[k];
    g1 += v1 * d[k + 1];
    e[k] += v0 * f;
    e[k + 1] += v1 * f;
  }
  if (k < len) {
    const v0 = V[row + k];
    g0 += v0 * d[k];
    e[k] += v0 * f;
  }
  return g0 + g1;
}

/** V[row+j] += a·x[j] + b·y[j] for j < len. */
function rank2Row(V: Float64Array, row: number, a: number, x: Float64Array, b: number, y: Float64Array, len: number): void {
  let j = 0;
  for (; j + 1 < len; j += 2) {
    const v0 = V[row + j] + a * x[j] + b * y[j];
    const v1 = V[row + j + 1] + a * x[j + 1] + b * y[j + 1];
    V[row + j] = v0;
    V[row + j + 1] = v1;
  }
  if (j < len) V[row + j] += a * x[j] + b * y[j];
}
