/**
 * Ground truth and balanced factors shared by the problems.
 *
 * The paper draws one random rank-r♮ M♮ with unit Frobenius norm per grid cell (Section 8 [P]) but
 * does not say from which distribution [NF]. Our choice: M = G Hᵀ / ‖G Hᵀ‖_F with G ∈ R^{d1×r},
 * H ∈ R^{d2×r} i.i.d. N(0, 1) (G drawn before H).
 *
 * Balanced factors (Section 1.2 [P]): with the compact SVD M = U Σ Vᵀ, L = U √Σ, R = V √Σ satisfy
 * LᵀL = RᵀR and LRᵀ = M; Theorem 3.2 pads them with zero columns to any width k ≥ rank.
 */
import { type Matrix, matmulNT, scale, frobeniusNorm, sub, zeros } from "../linalg/matrix.js";
import { svd } from "../linalg/svd.js";
import { createRng } from "../random/rng.js";
import { checkInteger, fail } from "../util/validate.js";

/** Relative threshold below which a singular value counts as zero when reading off the rank. */
export const RANK_RTOL = 1e-10;

/** M = GHᵀ/‖GHᵀ‖_F, rank r, from a seed (our choice [NF]). */
export function lowRankTruth(fn: string, d1: number, d2: number, r: number, seed: number): Matrix {
  checkInteger(fn, "d1", d1, 1);
  checkInteger(fn, "d2", d2, 1);
  checkInteger(fn, "r", r, 1, Math.min(d1, d2));
  const rng = createRng(seed);
  const G: Matrix = { rows: d1, cols: r, data: rng.gaussians(d1 * r) };
  const H: Matrix = { rows: d2, cols: r, data: rng.gaussians(d2 * r) };
  const M = matmulNT(G, H);
  return scale(M, 1 / frobeniusNorm(M));
}

/**
 * M = (U1U1ᵀ − U2U2ᵀ)/‖·‖_F with U1 ∈ R^{d×r1}, U2 ∈ R^{d×r2} i.i.d. N(0, 1) (U1 drawn first):
 * the symmetric truth of the quadratic networks of Section 7, signature (r1, r2) (our choice [NF]).
 * Unchecked sizes: the callers validate d, r1, r2.
 */
export function indefiniteTruth(d: number, r1: number, r2: number, seed: number): Matrix {
  const rng = createRng(seed);
  const U1: Matrix = { rows: d, cols: r1, data: rng.gaussians(d * r1) }, U2: Matrix = { rows: d, cols: r2, data: rng.gaussians(d * r2) };
  const M = sub(matmulNT(U1, U1), matmulNT(U2, U2));
  return scale(M, 1 / frobeniusNorm(M));
}

/** Numerical rank: singular values above RANK_RTOL·σ_max. */
export function numericalRank(s: Float64Array): number {
  let r = 0;
  while (r < s.length && s[r] > RANK_RTOL * s[0]) r++;
  return r;
}

/** Balanced factors L = U√Σ, R = V√Σ of M, zero-padded to k columns; k below the rank is an error. */
export function balancedFactors(fn: string, M: Matrix, k: number): [Matrix, Matrix] {
  const { u, s, v } = svd(M);
  const rank = numericalRank(s);
  if (k < rank) fail(fn, "k", `an integer ≥ rank(M♮) = ${rank}`, k);
  const L = zeros(M.rows, k), R = zeros(M.cols, k);
  for (let j = 0; j < rank; j++) {
    const sq = Math.sqrt(s[j]);
    for (let i = 0; i < M.rows; i++) L.data[i * k + j] = u.data[i * u.cols + j] * sq;
    for (let i = 0; i < M.cols; i++) R.data[i * k + j] = v.data[i * v.cols + j] * sq;
  }
  return [L, R];
}
