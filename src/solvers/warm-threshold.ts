/**
 * Warm-started eigenpairs for singular value thresholding (issue 11, "cheaper iterations"): the
 * eigenpairs above t = τ² of the Gram matrix C = y yᵀ (p×p) of the thresholding's Gram route
 * (prox.ts), found from the previous call's subspace instead of a full tridiagonalization, and
 * certified [D; standard numerical linear algebra, not from the paper]:
 *
 * 1. Subspace iteration with Rayleigh–Ritz on k = r + GUARD vectors, started from the previous
 *    call's Ritz vectors (one ADMM step moves C a little), until the kept Ritz pairs (θ_j > t, with
 *    vectors x_j) have residual R = C X − X Θ small enough that the output moves by less than
 *    1e-12·‖y‖_F: with f(λ) = (1 − τ/√λ)_+ (Lipschitz 1/(2t)) and the block-diagonal part of C in
 *    the basis [X, X⊥], ‖f(C) − X f(Θ) Xᵀ‖_F ≤ √2‖R‖_F/(2t) (Frobenius-norm Lipschitz bound of a
 *    Lipschitz function of a symmetric matrix, Kittaneh 1985), once the rest satisfies
 * 2. the certificate: X⊥ᵀ C X⊥ ≺ t·I, i.e. a Cholesky factorization of t·I − (I − XXᵀ) C (I − XXᵀ)
 *    succeeds, so no eigenvalue above t was missed.
 * When either fails (the rank grew, the kept values sit close to the rest, too many sweeps) the
 * caller takes the full route (eighAbove), which seeds the next attempt; after a failure the next
 * attempts wait, doubling up to MAX_WAIT calls.
 *
 * Why: the full route costs a Householder tridiagonalization (4p³/3 flops, level-2) and all
 * eigenvalues; here a few C·Q (k p²), a Cholesky (p³/3) and k×k work. Measured in the completion
 * solves at d = 100 (2 kept): 0.25–0.31 ms per warm call against 0.45–0.50 ms for the full route;
 * whole solves 12–15% faster (p = 0.19 flat: median 76 → 67 ms). Near the phase transition the
 * kept values sit among many just below τ² and the full route keeps every call (no loss there).
 */
import type { Float64Arena } from "../kernels/index.js";
import { eighKernel } from "../linalg/eigh.js";

/**
 * Smallest min(d1, d2) at which the solvers use the warm route. Measured per call on drifting rank-2
 * iterates (best of 30 runs of 40 calls; full route / with the warm route): p = 20: 19.6 / 33.9 µs,
 * 30: 36.6 / 54.5, 50: 100.5 / 102.0, 70: 154.6 / 125.2, 100: 345.3 / 238.1. Below about 60 the
 * full route is cheaper than the warm route's fixed costs.
 */
export const WARM_MIN_SIZE = 60;
/** Vectors kept beyond the kept pairs: subspace iteration converges like λ_{k+1}/λ_r per sweep. */
export const GUARD = 3;
/** Sweeps of subspace iteration before giving up on a call. */
const MAX_SWEEPS = 6;
/** Attempt only when the last known smallest guard Ritz value over the smallest kept one is at most this. */
const MAX_GAP_RATIO = 0.3;
/** Attempts pause for 1, 2, 4, … calls after consecutive failures, at most this many. */
const MAX_WAIT = 32;
/** Most kept pairs for a warm attempt: beyond, k×p² products approach the full route's cost. */
const MAX_KEPT = (p: number) => Math.ceil(p / 4);
/** Largest output error accepted, relative to ‖y‖_F (the full Gram route's rounding bound). */
const OUTPUT_TOL = 1e-12;

/** The kept pairs: values ascending (θ > t), row j of vectors the unit vector of values[j]. */
export interface KeptPairs {
  readonly values: Float64Array;
  readonly vectors: Float64Array;
}

/** One ADMM run's thresholding state: the last subspace, and counts of the two routes. */
export class ThresholdWarmStart {
  /** k×p rows, orthonormal, descending Ritz values; undefined until the first seed. */
  private basis: Float64Array | undefined;
  private p = 0;
  private k = 0;
  private gapRatio = Infinity;
  private wait = 0;
  private failures = 0;
  /** Calls served by the warm route and by the full route (read by the bench and tests). */
  warmCalls = 0;
  fullCalls = 0;

  /** Values of kernel memory the warm route needs at size p (allocated by the caller's arena). */
  static scratch(p: number): number {
    const k = Math.min(p, MAX_KEPT(p) + GUARD);
    return 2 * p * p + 8 * k * p + 2 * k * k + k;
  }

  /** Whether this call at size p should try kept(); after a failure it counts the wait down. */
  shouldTry(p: number): boolean {
    if (this.basis === undefined || this.p !== p || !(this.gapRatio <= MAX_GAP_RATIO)) return false;
    if (this.wait > 0) { this.wait--; return false; }
    return true;
  }

  /**
   * Guard vectors the full route should form for seed(): GUARD while the spectrum's gap makes a
   * warm attempt worthwhile, else none (near the phase transition the kept values sit among many
   * just below τ², subspace iteration would crawl, and the guard vectors would cost for nothing).
   */
  guardWanted(): number {
    return this.gapRatio <= MAX_GAP_RATIO ? GUARD : 0;
  }

  /**
   * After the full route: rows (ascending eigenvalues, as eighAbove returns them) of the top
   * `rows` eigenvectors of C, of which the last `kept` are above t; values all eigenvalues ascending.
   */
  seed(p: number, vectors: Float64Array, rows: number, kept: number, values: Float64Array): void {
    this.fullCalls++;
    this.basis = undefined;
    const k = kept + GUARD;
    // Worth a warm attempt: a few kept values, well above the next ones.
    this.gapRatio = kept > 0 && k <= Math.min(p, MAX_KEPT(p) + GUARD) ? values[p - k] / values[p - kept] : Infinity;
    if (!(this.gapRatio <= MAX_GAP_RATIO) || rows < k) return;
    const basis = new Float64Array(k * p);
    // Descending order: row j of the basis is the eigenvector of values[p − 1 − j].
    for (let j = 0; j < k; j++) basis.set(vectors.subarray((rows - 1 - j) * p, (rows - j) * p), j * p);
    this.basis = basis;
    this.p = p;
    this.k = k;
  }

  /**
   * The certified pairs of C (p×p in arena memory, symmetric) above t, or undefined (then the
   * caller takes the full route and seeds). C is not modified.
   */
  kept(arena: Float64Arena, C: Float64Array, p: number, t: number): KeptPairs | undefined {
    const found = this.attempt(arena, C, p, t);
    if (found === undefined) {
      this.failures++;
      this.wait = Math.min(2 ** (this.failures - 1), MAX_WAIT);
    } else {
      this.failures = 0;
      this.warmCalls++;
    }
    return found;
  }

  private attempt(arena: Float64Arena, C: Float64Array, p: number, t: number): KeptPairs | undefined {
    const kn = arena.kernels, k = this.k, basis = this.basis as Float64Array;
    const Q = arena.alloc(k * p, basis), W = arena.alloc(k * p), X = arena.alloc(k * p), CX = arena.alloc(k * p);
    const S = arena.alloc(k * k), H = arena.alloc(k * k), theta = arena.alloc(k);
    let trace = 0;
    for (let i = 0; i < p; i++) trace += C[i * p + i];
    // ‖y‖_F² = tr C; the Ritz residual bound below keeps the output within OUTPUT_TOL·‖y‖_F.
    const normY = Math.sqrt(trace);
    let r = 0;
    let converged = false;
    for (let sweep = 0; sweep < MAX_SWEEPS && !converged; sweep++) {
      if (sweep > 0 && !orthonormalizeRows(CX, Q, k, p)) return undefined;
      // W = Q C (rows C q_j, C symmetric); H = Q Wᵀ, the Rayleigh quotient.
      kn.gemmNN(Q.byteOffset, C.byteOffset, W.byteOffset, k, p, p);
      for (let a = 0; a < k; a++) for (let b = 0; b <= a; b++) {
        let s = 0;
        for (let i = 0; i < p; i++) s += Q[a * p + i] * W[b * p + i] + Q[b * p + i] * W[a * p + i];
        H[a * k + b] = H[b * k + a] = 0.5 * s;
      }
      eighKernel(k, H, theta);
      // Ritz vectors in descending order: X = Sᵀ Q, C X = Sᵀ W with S's columns reversed.
      for (let j = 0; j < k; j++) for (let l = 0; l < k; l++) S[j * k + l] = H[l * k + (k - 1 - j)];
      kn.gemmNN(S.byteOffset, Q.byteOffset, X.byteOffset, k, k, p);
      kn.gemmNN(S.byteOffset, W.byteOffset, CX.byteOffset, k, k, p);
      r = 0;
      while (r < k && theta[k - 1 - r] > t) r++;
      // Every Ritz value above t: the kept rank may exceed the subspace.
      if (r === k || r === 0) return undefined;
      let res2 = 0;
      for (let j = 0; j < r; j++) {
        const th = theta[k - 1 - j];
        for (let i = 0; i < p; i++) { const e = CX[j * p + i] - th * X[j * p + i]; res2 += e * e; }
      }
      const sigmaMax = Math.sqrt(theta[k - 1]);
      converged = (Math.SQRT1_2 * Math.sqrt(res2) * sigmaMax) / t <= OUTPUT_TOL * normY;
    }
    if (!converged || !this.certified(arena, C, X, CX, r, p, t)) return undefined;
    // Next call starts from these Ritz vectors, resized to r + GUARD rows.
    this.gapRatio = theta[0] / theta[k - r];
    this.resize(X, k, r + GUARD, p);
    const values = new Float64Array(r), vectors = new Float64Array(r * p);
    for (let j = 0; j < r; j++) {
      values[j] = theta[k - r + j];
      vectors.set(X.subarray((r - 1 - j) * p, (r - j) * p), j * p);
    }
    return { values, vectors };
  }

  /**
   * Cholesky of M = t·I − (I − P) C (I − P), P = Σ x_j x_jᵀ over the r kept rows of X. With
   * w_j = C x_j and H = Xᵀ C X, (I − P)C(I − P) = C − Σ_j (x_j v_jᵀ + v_j x_jᵀ) where
   * v_j = w_j − ½ Σ_l H_jl x_l: one product of p×2r and 2r×p.
   */
  private certified(arena: Float64Arena, C: Float64Array, X: Float64Array, CX: Float64Array, r: number, p: number, t: number): boolean {
    const kn = arena.kernels;
    const left = arena.alloc(p * 2 * r), right = arena.alloc(2 * r * p), M = arena.alloc(p * p), U = arena.alloc(p * p);
    for (let j = 0; j < r; j++) {
      const v = right.subarray(j * p, (j + 1) * p);
      v.set(CX.subarray(j * p, (j + 1) * p));
      for (let l = 0; l < r; l++) {
        let h = 0;
        for (let i = 0; i < p; i++) h += X[j * p + i] * CX[l * p + i];
        for (let i = 0; i < p; i++) v[i] -= 0.5 * h * X[l * p + i];
      }
      right.set(X.subarray(j * p, (j + 1) * p), (r + j) * p);
      for (let i = 0; i < p; i++) {
        left[i * 2 * r + j] = X[j * p + i];
        left[i * 2 * r + r + j] = v[i];
      }
    }
    kn.gemmNN(left.byteOffset, right.byteOffset, U.byteOffset, p, 2 * r, p);
    // Only the lower triangle is read by the factorization.
    for (let i = 0; i < p; i++) {
      for (let j = 0; j < i; j++) M[i * p + j] = U[i * p + j] - C[i * p + j];
      M[i * p + i] = t + U[i * p + i] - C[i * p + i];
    }
    return kn.cholesky(M.byteOffset, p) === -1;
  }

  /** basis ← the first `rows` rows of X (k rows), adding fixed pseudo-random orthonormal rows if rows > k. */
  private resize(X: Float64Array, k: number, rows: number, p: number): void {
    if (rows > Math.min(p, MAX_KEPT(p) + GUARD)) { this.basis = undefined; return; }
    const basis = new Float64Array(rows * p);
    basis.set(X.subarray(0, Math.min(k, rows) * p));
    for (let j = k; j < rows; j++) {
      fixedDirection(basis, j, p);
      if (!orthonormalizeRow(basis, j, p)) { this.basis = undefined; return; }
    }
    this.basis = basis;
    this.k = rows;
  }
}

/** Q ← orthonormal rows spanning the rows of A (k×p), by modified Gram–Schmidt twice; false if A is rank-deficient beyond repair. */
function orthonormalizeRows(A: Float64Array, Q: Float64Array, k: number, p: number): boolean {
  Q.set(A.subarray(0, k * p));
  for (let j = 0; j < k; j++) {
    if (!orthonormalizeRow(Q, j, p)) {
      // A collapsed row (C of rank below k): a fixed pseudo-random direction instead.
      fixedDirection(Q, j, p);
      if (!orthonormalizeRow(Q, j, p)) return false;
    }
  }
  return true;
}

/** Row j of Q ← a fixed pseudo-random direction (deterministic: the same solve, the same bits). */
function fixedDirection(Q: Float64Array, j: number, p: number): void {
  for (let i = 0; i < p; i++) Q[j * p + i] = Math.sin(12.9898 * (i + 1) + 78.233 * (j + 1));
}

/** Row j of Q made orthogonal to rows 0..j−1 (two passes) and unit; false if it vanished. */
function orthonormalizeRow(Q: Float64Array, j: number, p: number): boolean {
  const o = j * p;
  let before = 0;
  for (let i = 0; i < p; i++) before += Q[o + i] * Q[o + i];
  for (let pass = 0; pass < 2; pass++) {
    for (let l = 0; l < j; l++) {
      let c = 0;
      for (let i = 0; i < p; i++) c += Q[l * p + i] * Q[o + i];
      for (let i = 0; i < p; i++) Q[o + i] -= c * Q[l * p + i];
    }
  }
  let after = 0;
  for (let i = 0; i < p; i++) after += Q[o + i] * Q[o + i];
  if (!(after > 1e-20 * before) || !(after > 0)) return false;
  const s = 1 / Math.sqrt(after);
  for (let i = 0; i < p; i++) Q[o + i] *= s;
  return true;
}
