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
import { hypot, safeScaleExponent, scalePow2, timesPow2 } from "./scalar.js";
import { DEFAULT_SYMMETRY_TOL, symmetricPart } from "./symmetric.js";
import { axpy } from "./blas1.js";
import { ArenaSlot, type Kernels } from "../kernels/index.js";

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
  const w = checkedSymmetric("eigh", a, options);
  const n = a.rows;
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
  const w = checkedSymmetric("eigvalsh", a, options);
  const n = a.rows;
  const values = new Float64Array(n);
  const e = safeScaleExponent(w);
  scalePow2(w, -e);
  eighKernel(n, w, values, false);
  scalePow2(values, e);
  return values;
}

export interface EighAboveResult {
  /** All eigenvalues, ascending. */
  readonly values: Float64Array;
  /** How many exceed the threshold: the last `count` of values. */
  readonly count: number;
  /** Eigenvectors below the threshold also formed (eighAboveKernel's `extra`; 0 for eighAbove). */
  readonly guard: number;
  /** Row t (length n) is the unit eigenvector of values[n − guard − count + t]. */
  readonly vectors: Float64Array;
}

/**
 * All eigenvalues of a symmetric matrix, and unit eigenvectors only for those above `threshold`.
 *
 * Why: the solvers' singular value thresholding (src/solvers/prox.ts) needs the few eigenpairs
 * of a d×d Gram matrix above τ², once per iteration; eigh's eigenvectors cost about 6 of its 8n³
 * flops. Here: tridiagonalization without accumulating Q (keeping the reflectors), eigenvalues by
 * the root-free QL (tqlrat), eigenvectors of the tridiagonal T by inverse iteration (as LAPACK
 * dstein: a fixed start, shifts perturbed and Gram–Schmidt within clusters of close eigenvalues),
 * then x = Q y by the reflectors, O(n²) per vector. Each vector is accepted only if its residual
 * ‖T y − λy‖ is at rounding level; otherwise, or when more than half the eigenvalues are
 * selected, the result comes from eigh. Measured on bench/linalg.bench.ts's eigh_above matrix
 * (3 pairs, n = 30, best of 5×300 calls): 0.046 ms (0.056 ms with tql2's eigenvalues) against
 * 0.138 ms for eigh; the bench measured 0.049 ms for LAPACK's dsyevr on the subset.
 */
export function eighAbove(a: Matrix, threshold: number, options: EighOptions = {}): EighAboveResult {
  const w = checkedSymmetric("eighAbove", a, options);
  if (typeof threshold !== "number" || Number.isNaN(threshold)) throw new TypeError(`eighAbove: threshold must be a number; received ${String(threshold)}.`);
  return eighAboveKernel(a.rows, w, threshold);
}

/** The symmetric part of a square a (a new array), after checking a and options.symmetryTol. */
function checkedSymmetric(fn: string, a: Matrix, options: EighOptions): Float64Array {
  checkMatrix(fn, "a", a);
  if (a.rows !== a.cols) throw new RangeError(`${fn}: a must be square; received shape ${shapeOf(a)}.`);
  const symmetryTol = options.symmetryTol === undefined ? DEFAULT_SYMMETRY_TOL : checkNumber(fn, "options.symmetryTol", options.symmetryTol, { min: 0 });
  return symmetricPart(fn, a, symmetryTol);
}

/**
 * Unchecked kernel of eighAbove: w holds an exactly symmetric n×n matrix (overwritten). `extra`
 * more vectors, of the largest eigenvalues at or below the threshold, are formed too (the warm
 * start of the solvers' thresholding, src/solvers/warm-threshold.ts, keeps them as guard vectors).
 */
export function eighAboveKernel(n: number, w: Float64Array, threshold: number, extra = 0): EighAboveResult {
  const { values, indices, vectors } = selectedKernel(n, w, threshold, false, extra);
  let guard = 0;
  while (guard < indices.length && !(values[indices[guard]] > threshold)) guard++;
  return { values, count: indices.length - guard, guard, vectors };
}

/** Eigenpairs with |λ| > threshold (threshold ≥ 0): all values ascending, the selected indices into them ascending, row t of vectors the unit eigenvector of values[indices[t]]. */
export interface EighBeyondResult {
  readonly values: Float64Array;
  readonly indices: Int32Array;
  readonly vectors: Float64Array;
}

/**
 * All eigenvalues of a symmetric matrix, and unit eigenvectors only for those with |λ| above
 * `threshold`: eighAbove's method for both ends of the spectrum at once. Why: the symmetric
 * thresholding of the quadratic ensemble (src/solvers/prox.ts symmetricThreshold) keeps the few
 * eigenvalues beyond ±τ; eigh formed every vector. Measured at d = 60 with 2 kept (shared machine):
 * 1.1 ms for the whole thresholding against 2.5 ms for eigh alone.
 */
export function eighBeyond(a: Matrix, threshold: number, options: EighOptions = {}): EighBeyondResult {
  const w = checkedSymmetric("eighBeyond", a, options);
  if (typeof threshold !== "number" || !(threshold >= 0)) throw new RangeError(`eighBeyond: threshold must be a number ≥ 0; received ${String(threshold)}.`);
  return eighBeyondKernel(a.rows, w, threshold);
}

/** Unchecked kernel of eighBeyond: w holds an exactly symmetric n×n matrix (overwritten). */
export function eighBeyondKernel(n: number, w: Float64Array, threshold: number): EighBeyondResult {
  return selectedKernel(n, w, threshold, true);
}

/** λ > threshold, or with both also λ < −threshold: the pairs eighAbove and eighBeyond keep. */
function selected(lambda: number, threshold: number, both: boolean): boolean {
  return lambda > threshold || (both && lambda < -threshold);
}

/** The selected pairs and, when !both, up to `extra` more of the largest eigenvalues not selected. */
function selectedKernel(n: number, w: Float64Array, threshold: number, both: boolean, extra = 0): EighBeyondResult {
  // Power-of-two scaling (exact), as in eigh; the threshold alike, in scalePow2's two steps (for
  // w of subnormal size, 2^-scale alone is Infinity and no pair was selected).
  const scale = safeScaleExponent(w);
  scalePow2(w, -scale);
  const found = n > 4 ? selectedEigenpairs(n, w, timesPow2(threshold, -scale), both, extra) : undefined;
  if (found !== undefined) {
    scalePow2(found.values, scale);
    return found;
  }
  // Fallback: the full decomposition, its selected columns copied out.
  const values = new Float64Array(n);
  eighKernel(n, w, values);
  scalePow2(values, scale);
  const chosen = chosenIndices(values, threshold, both, extra);
  const vectors = new Float64Array(chosen.length * n);
  chosen.forEach((k, t) => { for (let i = 0; i < n; i++) vectors[t * n + i] = w[i * n + k]; });
  return { values, indices: Int32Array.from(chosen), vectors };
}

/** Indices (ascending) of the selected values (ascending), with up to `extra` more below them when !both. */
function chosenIndices(values: Float64Array, threshold: number, both: boolean, extra: number): number[] {
  const chosen: number[] = [];
  for (let i = 0; i < values.length; i++) if (selected(values[i], threshold, both)) chosen.push(i);
  if (!both && extra > 0) {
    const first = chosen.length > 0 ? chosen[0] : values.length;
    for (let i = first - 1; i >= Math.max(0, first - extra); i--) chosen.unshift(i);
  }
  return chosen;
}

/** The tridiagonalization's kernel memory, kept between calls. */
const tridiagonalSlot = new ArenaSlot();

let luWorkspace: TridiagonalLU | undefined;

/** Inverse iteration steps per vector (dstein uses up to 5; 3 reach rounding level on a converged λ). */
const INVERSE_ITERATIONS = 3;
/** Eigenvalues closer than this times ‖T‖ are a cluster: their vectors are orthogonalized explicitly. */
const CLUSTER_GAP = 1e-3;

/** The kernel of eighAbove and eighBeyond on w (scaled, overwritten); undefined when eigh should do it. */
function selectedEigenpairs(n: number, w: Float64Array, threshold: number, both: boolean, extra: number): EighBeyondResult | undefined {
  // tred2's reduction in the SIMD kernels (src/kernels/kernels.wat "tridiagonalize"): measured at
  // n = 30, 27 µs here in JavaScript and 11 µs there.
  // Room for the selected vectors too (at most n/2 + extra rows, else eigh is used).
  const arena = tridiagonalSlot.take(2 * n * n + 8 * n);
  const V = arena.alloc(n * n, w), d0 = arena.alloc(n), e0 = arena.alloc(n), h = arena.alloc(n);
  arena.kernels.tridiagonalize(V.byteOffset, n, d0.byteOffset, e0.byteOffset, h.byteOffset);
  // T: diagonal diag, off-diagonal off[i] between rows i and i + 1.
  const diag = arena.alloc(n), off = e0.subarray(1);
  for (let j = 0; j < n; j++) diag[j] = V[j * n + j];
  let tnorm = 0;
  for (let i = 0; i < n; i++) tnorm = Math.max(tnorm, Math.abs(diag[i]) + (i > 0 ? Math.abs(off[i - 1]) : 0) + (i < n - 1 ? Math.abs(off[i]) : 0));
  // Eigenvalues on copies (tqlrat overwrites them).
  const d = Float64Array.from(diag), e2 = arena.alloc(n);
  for (let i = 0; i < n - 1; i++) e2[i] = off[i] * off[i];
  if (!tqlrat(n, d, e2)) return undefined;
  d.sort();
  const chosen = chosenIndices(d, threshold, both, extra);
  const count = chosen.length, indices = Int32Array.from(chosen);
  if (2 * count > n) return undefined;
  if (count === 0) return { values: d, indices, vectors: new Float64Array(0) };
  // The vectors, and y with the scratch of its orthogonalization, in kernel memory.
  const k = arena.kernels, vectors = arena.alloc(count * n), coefficients = arena.alloc(count), scratch = arena.alloc(n);
  const tiny = Math.max(tnorm, Number.MIN_VALUE) * EPS;
  // One factorization workspace per size, kept (a call per ADMM iteration).
  const work = luWorkspace !== undefined && luWorkspace.n === n ? luWorkspace : (luWorkspace = new TridiagonalLU(n));
  const y = arena.alloc(n);
  // Largest first; t indexes rows of `vectors` in ascending order of eigenvalue.
  let clusterStart = count - 1;
  for (let t = count - 1; t >= 0; t--) {
    const lambda = d[indices[t]];
    if (t < count - 1 && d[indices[t + 1]] - lambda > CLUSTER_GAP * tnorm) clusterStart = t;
    // Within a cluster, shifts are perturbed apart (dstein) so repeated eigenvalues give distinct vectors.
    const shift = lambda - (clusterStart - t) * 10 * tiny;
    work.factor(diag, off, shift, tiny);
    for (let i = 0; i < n; i++) y[i] = 1 + ((i * 7919) % 101) * 1e-3;
    for (let it = 0; it < INVERSE_ITERATIONS; it++) {
      work.solve(y);
      if (clusterStart > t) orthogonalizeRows(k, y, vectors, t + 1, clusterStart - t, n, coefficients, scratch);
      if (!normalize(y)) return undefined;
    }
    if (tridiagonalResidual(diag, off, lambda, y) > 64 * n * tiny) return undefined;
    vectors.set(y, t * n);
  }
  // x = Q y for all vectors, one reflector at a time, in the SIMD kernels: measured at n = 100 with
  // 45 vectors (an early ADMM iterate), this loop in JavaScript took most of a 1.7 ms call.
  k.reflectRows(V.byteOffset, n, h.byteOffset, vectors.byteOffset, count, scratch.byteOffset);
  return { values: d, indices, vectors: vectors.slice() };
}

/**
 * LU factorization with partial pivoting of the tridiagonal T − σI (as LAPACK dlagtf): U has
 * two superdiagonals after row swaps; zero pivots are replaced by ±tiny, so the factor of a
 * (nearly) singular shift still solves, which inverse iteration relies on.
 */
class TridiagonalLU {
  private readonly u0: Float64Array;
  private readonly u1: Float64Array;
  private readonly u2: Float64Array;
  private readonly mult: Float64Array;
  private readonly swapped: Uint8Array;
  constructor(readonly n: number) {
    this.u0 = new Float64Array(n);
    this.u1 = new Float64Array(n);
    this.u2 = new Float64Array(n);
    this.mult = new Float64Array(n);
    this.swapped = new Uint8Array(n);
  }

  factor(diag: Float64Array, off: Float64Array, shift: number, tiny: number): void {
    const { n, u0, u1, u2, mult, swapped } = this;
    u0[0] = diag[0] - shift;
    u1[0] = n > 1 ? off[0] : 0;
    for (let i = 0; i < n - 1; i++) {
      const sub = off[i], nextDiag = diag[i + 1] - shift, nextSuper = i + 2 < n ? off[i + 1] : 0;
      if (Math.abs(u0[i]) >= Math.abs(sub)) {
        swapped[i] = 0;
        if (u0[i] === 0) u0[i] = tiny;
        const l = sub / u0[i];
        mult[i] = l;
        u2[i] = 0;
        u0[i + 1] = nextDiag - l * u1[i];
        u1[i + 1] = nextSuper;
      } else {
        swapped[i] = 1;
        const l = u0[i] / sub;
        mult[i] = l;
        const oldSuper = u1[i];
        u0[i] = sub;
        u1[i] = nextDiag;
        u2[i] = nextSuper;
        u0[i + 1] = oldSuper - l * nextDiag;
        u1[i + 1] = -l * nextSuper;
      }
    }
    if (u0[n - 1] === 0) u0[n - 1] = tiny;
  }

  /** y ← (T − σI)⁻¹ y. */
  solve(y: Float64Array): void {
    const { n, u0, u1, u2, mult, swapped } = this;
    for (let i = 0; i < n - 1; i++) {
      if (swapped[i]) { const t = y[i]; y[i] = y[i + 1]; y[i + 1] = t; }
      y[i + 1] -= mult[i] * y[i];
    }
    y[n - 1] /= u0[n - 1];
    if (n > 1) y[n - 2] = (y[n - 2] - u1[n - 2] * y[n - 1]) / u0[n - 2];
    for (let i = n - 3; i >= 0; i--) y[i] = (y[i] - u1[i] * y[i + 1] - u2[i] * y[i + 2]) / u0[i];
  }
}

/**
 * y ← (I − VᵀV) y twice (classical Gram–Schmidt with reorthogonalization, as accurate as the
 * modified one it replaced), V the `rows` orthonormal rows of `vectors` from row `first`, all in
 * kernel memory: measured at n = 100 with 45 vectors in one cluster (an early ADMM iterate), the
 * row-by-row loop in JavaScript was most of the call.
 */
function orthogonalizeRows(k: Kernels, y: Float64Array, vectors: Float64Array, first: number, rows: number, n: number, c: Float64Array, scratch: Float64Array): void {
  const V = vectors.byteOffset + 8 * first * n;
  for (let pass = 0; pass < 2; pass++) {
    k.gemv(V, rows, n, y.byteOffset, c.byteOffset);
    k.gemvT(V, rows, n, c.byteOffset, scratch.byteOffset);
    k.axpy(-1, scratch.byteOffset, y.byteOffset, n);
  }
}

/** y ← y/‖y‖ with the norm taken after scaling by the largest entry (the solves grow y by up to 1/ε); false for y = 0 or non-finite. */
function normalize(y: Float64Array): boolean {
  let amax = 0;
  for (let i = 0; i < y.length; i++) amax = Math.max(amax, Math.abs(y[i]));
  if (!(amax > 0 && amax < Infinity)) return false;
  let ss = 0;
  for (let i = 0; i < y.length; i++) { y[i] /= amax; ss += y[i] * y[i]; }
  const r = 1 / Math.sqrt(ss);
  for (let i = 0; i < y.length; i++) y[i] *= r;
  return true;
}

/** ‖T y − λ y‖₂ for the tridiagonal T (diag, off). */
function tridiagonalResidual(diag: Float64Array, off: Float64Array, lambda: number, y: Float64Array): number {
  const n = y.length;
  let ss = 0;
  for (let i = 0; i < n; i++) {
    const r = (diag[i] - lambda) * y[i] + (i > 0 ? off[i - 1] * y[i - 1] : 0) + (i < n - 1 ? off[i] * y[i + 1] : 0);
    ss += r * r;
  }
  return Math.sqrt(ss);
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
 * d gets the diagonal, e the subdiagonal in e[1..n-1]. Before the accumulation, V holds the
 * reflectors: a = Q T Qᵀ with Q = P_{n−1}⋯P_1, P_s = I − u_s u_sᵀ/h_s, u_s = V[0..s−1][s] (column s
 * above the diagonal) and h_s the value of d[s] (h_s = 0: P_s = I); eighAbove uses them so.
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

/**
 * Eigenvalues (unordered) of the tridiagonal with diagonal d and squared off-diagonal e2[i]
 * between rows i and i + 1 (e2[n − 1] = 0), by Reinsch's root-free rational QL (EISPACK tqlrat,
 * CACM Algorithm 464, 1973); d and e2 are overwritten. False if an eigenvalue took more than
 * MAX_QL_ITERATIONS sweeps. Why not tql2 without vectors: its rotation needs a square root and
 * two divisions in one dependency chain; measured at n = 30, 15.3 µs for tql2 and 10.2 µs here.
 */
function tqlrat(n: number, d: Float64Array, e2: Float64Array): boolean {
  let f = 0, t = 0, b = 0, c = 0;
  for (let l = 0; l < n; l++) {
    // Deflation: e2[m] ≤ (ε·max_{k≤l}(|d_k| + |e_k|))², tql2's test squared.
    const size = Math.abs(d[l]) + Math.sqrt(e2[l]);
    if (size >= t) { t = size; b = EPS * t; c = b * b; }
    let m = l;
    while (e2[m] > c) m++;
    if (m > l) for (let iter = 1; ; iter++) {
      if (iter > MAX_QL_ITERATIONS) return false;
      // Wilkinson shift from the leading 2×2 block, subtracted from d[l + 1..].
      let s = Math.sqrt(e2[l]), g = d[l];
      let p = (d[l + 1] - g) / (2 * s);
      let r = hypot(p, 1);
      d[l] = s / (p + (p < 0 ? -r : r));
      let h = g - d[l];
      for (let i = l + 1; i < n; i++) d[i] -= h;
      f += h;
      // One rational QL sweep from m up to l (a zero g is replaced by ε·t to avoid a division by zero).
      g = d[m];
      if (g === 0) g = b;
      h = g;
      s = 0;
      for (let i = m - 1; i >= l; i--) {
        p = g * h;
        r = p + e2[i];
        e2[i + 1] = s * r;
        s = e2[i] / r;
        d[i + 1] = h + s * (h + d[i]);
        g = d[i] - e2[i] / g;
        if (g === 0) g = b;
        h = (g * p) / r;
      }
      e2[l] = s * g;
      d[l] = h;
      // Converged when the new e2[l]·h is below c (tested without forming the possibly underflowing product).
      if (h === 0 || Math.abs(e2[l]) <= Math.abs(c / h)) break;
      e2[l] *= h;
      if (e2[l] === 0) break;
    }
    d[l] += f;
  }
  return true;
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
