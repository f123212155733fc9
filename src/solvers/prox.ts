/**
 * Proximal maps and projections used by the convex solvers of Sections 3, 6 and 9 [D; standard
 * convex analysis, not from the paper]:
 * - singular value thresholding, the prox of τ‖·‖_* (Cai, Candès and Shen 2010, arXiv 0810.3286);
 * - its symmetric version for the quadratic ensemble (Section 7): soft-threshold |eigenvalues|,
 *   keep their signs (eigenpairs beyond ±τ only, no SVD, and X stays exactly symmetric);
 * - Euclidean projection onto the ℓ1 ball (Duchi, Shalev-Shwartz, Singer and Chandra 2008,
 *   "Efficient projections onto the ℓ1-ball", Figure 1, the sort-based O(n log n) variant);
 * - the scalar prox of t·|x|^q for 1 < q < 2 (depth model, Section 9), by safeguarded Newton.
 *
 * Unchecked kernels on flat Float64Arrays: the solvers validate their inputs once at the public
 * edge and call these once per iteration.
 */
import { svd } from "../linalg/svd.js";
import { eighAboveKernel, eighBeyondKernel } from "../linalg/eigh.js";
import type { Matrix } from "../linalg/matrix.js";
import { safeScaleExponent, scalePow2, timesPow2 } from "../linalg/scalar.js";
import { ArenaSlot } from "../kernels/index.js";
import { ThresholdWarmStart } from "./warm-threshold.js";

export interface ThresholdResult {
  /** Number of singular values (or |eigenvalues|) above the threshold: the rank of the output. */
  readonly rank: number;
  /** ‖output‖_* = Σ (σ_i − τ)_+. */
  readonly nuclearNorm: number;
  /** Largest singular value (|eigenvalue|) of the input. */
  readonly inputOperatorNorm: number;
}

/**
 * out ← U diag((σ − τ)_+) Vᵀ where z = U diag(σ) Vᵀ (z is d1×d2, row-major). out must not alias z.
 *
 * Two routes to the same map:
 * - Gram route (default when safe): with C = zᵀz = V diag(σ²) Vᵀ (or z zᵀ when d1 ≤ d2, the
 *   smaller side), SVT(z) = z · V_k diag(1 − τ/σ_i) V_kᵀ over the kept σ_i > τ. The map
 *   λ ↦ (1 − τ/√λ)_+ is Lipschitz with constant 1/(2τ²), so rounding of size ε‖z‖² in C moves
 *   the output by at most about ε(σ_max/τ)²‖z‖; the route is used only when that bound is below
 *   1e-12‖z‖ (σ_max/τ ≤ 67), far under the solvers' 1e-9 tolerance.
 * - SVD route (Golub–Kahan, linalg/svd.ts) otherwise.
 * Measured reason for the Gram route: one SVT runs per ADMM iteration, and C in the SIMD kernels
 * plus the eigenpairs above τ² (eighAbove) took 0.048 ms at d = 30 with 2 kept (z = rank 2 +
 * 1e-3 noise, best of 5×300 calls), against 0.19 ms with eigh's full decomposition and 0.31 ms
 * for the SVD route.
 */
export function singularValueThreshold(z: Matrix, tau: number, out: Float64Array, warm?: ThresholdWarmStart): ThresholdResult {
  const viaGram = gramThreshold(z, tau, out, warm);
  if (viaGram !== undefined) return viaGram;
  return svdThreshold(z, tau, out);
}

/** The SVD route of singularValueThreshold. */
export function svdThreshold(z: Matrix, tau: number, out: Float64Array): ThresholdResult {
  const { u, s, v } = svd(z);
  const d1 = z.rows, d2 = z.cols, p = s.length;
  let rank = 0, nuclearNorm = 0;
  while (rank < p && s[rank] > tau) { nuclearNorm += s[rank] - tau; rank++; }
  out.fill(0);
  const U = u.data, V = v.data;
  for (let i = 0; i < d1; i++) {
    const oi = i * d2, ui = i * p;
    for (let k = 0; k < rank; k++) {
      const c = U[ui + k] * (s[k] - tau);
      if (c === 0) continue;
      for (let j = 0; j < d2; j++) out[oi + j] += c * V[j * p + k];
    }
  }
  return { rank, nuclearNorm, inputOperatorNorm: p > 0 ? s[0] : 0 };
}

/** The Gram route's kernel memory, kept between calls (one per ADMM iteration). */
const gramSlot = new ArenaSlot();

/** Largest σ_max/τ for the Gram route: ε·67² ≈ 1e-12. */
const GRAM_ROUTE_MAX_RATIO = 67;

/**
 * The Gram route; undefined when σ_max/τ is too large for it (the caller falls back to the SVD).
 * With `warm` (one per solve), the eigenpairs come from the previous call's subspace when that
 * can be certified (warm-threshold.ts), otherwise from eighAbove, which then seeds `warm`.
 */
function gramThreshold(z: Matrix, tau: number, out: Float64Array, warm?: ThresholdWarmStart): ThresholdResult | undefined {
  const d1 = z.rows, d2 = z.cols, Z = z.data;
  // y = z, or zᵀ when z is tall, so that y (p×q) has the fewer rows: with C = y yᵀ = U diag(σ²) Uᵀ,
  // SVT(y) = U_k diag(g) U_kᵀ y, and SVT(zᵀ) = SVT(z)ᵀ.
  const tall = d1 > d2;
  const p = tall ? d2 : d1, q = tall ? d1 : d2;
  const arena = gramSlot.take(3 * p * q + 3 * p * p + (warm === undefined ? 0 : ThresholdWarmStart.scratch(p))), k = arena.kernels;
  const y = arena.alloc(p * q), C = arena.alloc(p * p);
  if (tall) for (let i = 0; i < d1; i++) for (let a = 0; a < d2; a++) y[a * d1 + i] = Z[i * d2 + a];
  else y.set(Z);
  // C in the SIMD kernels, from y and τ scaled by a power of two (exact; a no-op for
  // 2^-100 ≤ max|z_ij| ≤ 2^100): otherwise C overflowed (max|z_ij| ≈ 1e155: C = Infinity) or went
  // subnormal (1e-155), both giving rank 0.
  const scale = safeScaleExponent(y);
  scalePow2(y, -scale);
  k.syrk(y.byteOffset, p, q, C.byteOffset);
  scalePow2(y, scale);
  const ts = timesPow2(tau, -scale), t = ts * ts;
  // Kept pairs: row j of V the unit vector of values[j], ascending, all above τ².
  let values: Float64Array, V: Float64Array, top: number;
  const warmPairs = warm !== undefined && warm.shouldTry(p) ? warm.kept(arena, C, p, t) : undefined;
  if (warmPairs !== undefined) {
    ({ values, vectors: V } = warmPairs);
    top = Math.sqrt(values[values.length - 1]);
  } else {
    // Only the eigenpairs above τ² are needed (usually a few): eighAbove skips the others' vectors.
    const all = eighAboveKernel(p, C, t, warm === undefined ? 0 : warm.guardWanted());
    warm?.seed(p, all.vectors, all.guard + all.count, all.count, all.values);
    values = all.values.subarray(p - all.count);
    V = all.vectors.subarray(all.guard * p);
    top = Math.sqrt(Math.max(all.values[p - 1] ?? 0, 0));
  }
  const r = values.length;
  if (top > GRAM_ROUTE_MAX_RATIO * ts) return undefined;
  const inputOperatorNorm = timesPow2(top, scale);
  if (r === 0) {
    out.fill(0);
    return { rank: 0, nuclearNorm: 0, inputOperatorNorm };
  }
  // Kept pairs: row t of V for values[p − r + t], weight g = 1 − τ/σ (scale-free). G = diag(g) U_kᵀ
  // (r×p) and U_k (p×r), then W = G y and U_k W in the kernels.
  const G = arena.alloc(r * p), Uk = arena.alloc(p * r), W = arena.alloc(r * q), result = arena.alloc(p * q);
  let nuclearNorm = 0;
  for (let t = 0; t < r; t++) {
    const sigma = Math.sqrt(values[t]), g = 1 - ts / sigma;
    nuclearNorm += sigma - ts;
    for (let a = 0; a < p; a++) {
      G[t * p + a] = g * V[t * p + a];
      Uk[a * r + t] = V[t * p + a];
    }
  }
  k.gemmNN(G.byteOffset, y.byteOffset, W.byteOffset, r, p, q);
  k.gemmNN(Uk.byteOffset, W.byteOffset, result.byteOffset, p, r, q);
  if (tall) for (let i = 0; i < d1; i++) for (let a = 0; a < d2; a++) out[i * d2 + a] = result[a * d1 + i];
  else out.set(result);
  return { rank: r, nuclearNorm: timesPow2(nuclearNorm, scale), inputOperatorNorm };
}

/**
 * Symmetric version: z (d×d) is symmetrized, z = Q diag(λ) Qᵀ, and
 * out ← Q diag(sign(λ)(|λ| − τ)_+) Qᵀ, the prox of τ‖·‖_* restricted to symmetric matrices.
 * Only the eigenpairs with |λ| > τ are formed (eighBeyond: all eigenvalues, inverse iteration for
 * the kept vectors, eigh when more than half are kept), so the cost follows the kept rank.
 */
export function symmetricThreshold(z: Matrix, tau: number, out: Float64Array): ThresholdResult {
  const d = z.rows;
  const w = new Float64Array(d * d);
  const Z = z.data;
  for (let i = 0; i < d; i++) {
    w[i * d + i] = Z[i * d + i];
    for (let j = 0; j < i; j++) w[i * d + j] = w[j * d + i] = 0.5 * (Z[i * d + j] + Z[j * d + i]);
  }
  const { values, indices, vectors } = eighBeyondKernel(d, w, tau);
  const top = d === 0 ? 0 : Math.max(Math.abs(values[0]), Math.abs(values[d - 1]));
  let nuclearNorm = 0;
  out.fill(0);
  for (let t = 0; t < indices.length; t++) {
    const lambda = values[indices[t]], shrunk = Math.sign(lambda) * (Math.abs(lambda) - tau);
    nuclearNorm += Math.abs(lambda) - tau;
    const o = t * d;
    for (let i = 0; i < d; i++) {
      const ci = shrunk * vectors[o + i];
      if (ci === 0) continue;
      const oi = i * d;
      for (let j = 0; j <= i; j++) out[oi + j] += ci * vectors[o + j];
    }
  }
  for (let i = 0; i < d; i++) for (let j = 0; j < i; j++) out[j * d + i] = out[i * d + j];
  return { rank: indices.length, nuclearNorm, inputOperatorNorm: top };
}

/** out_i ← sign(v_i)(|v_i| − t_i)_+, the prox of Σ t_i|x_i|. */
export function softThreshold(v: Float64Array, t: Float64Array, out: Float64Array): void {
  for (let i = 0; i < v.length; i++) {
    const a = Math.abs(v[i]) - t[i];
    out[i] = a > 0 ? Math.sign(v[i]) * a : 0;
  }
}

/**
 * argmin_x t|x|^q + ½(x − v)² for 1 < q < 2 and t ≥ 0: x = sign(v)·u with u ∈ [0, |v|] the root of
 * u + t q u^{q−1} = |v|. In the variable s = u^{q−1} the equation reads h(s) = s^p + c s − |v| = 0
 * with p = 1/(q − 1) > 1 and c = t q: h is increasing and convex on s ≥ 0, so Newton started at
 * s = |v|^{q−1} (where h ≥ 0) decreases monotonically and quadratically to the root, also when the
 * root is tiny (in u, h' blows up near 0 and Newton crawls).
 */
export function proxPowerScalar(v: number, t: number, q: number): number {
  const a = Math.abs(v);
  if (a === 0 || t === 0) return v;
  const p = 1 / (q - 1), c = t * q;
  let s = Math.pow(a, q - 1);
  for (let it = 0; it < 100; it++) {
    const sp1 = Math.pow(s, p - 1);
    const h = sp1 * s + c * s - a;
    if (h <= 0) break;
    const next = s - h / (p * sp1 + c);
    if (!(next > 0)) { s = Math.max(next, 0); break; }
    if (s - next <= 1e-16 * s) { s = next; break; }
    s = next;
  }
  return Math.sign(v) * Math.pow(s, p);
}
