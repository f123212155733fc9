/**
 * Euclidean projection onto the ℓ1 ball {s : ‖s‖₁ ≤ radius}, exact, by sorting: Duchi, Shalev-Shwartz,
 * Singer and Chandra 2008, "Efficient projections onto the ℓ1-ball for learning in high dimensions",
 * Figure 1 (the O(n log n) sort-based variant). Used by robust PCA (Section 6 [P]), whose loss is
 * the squared distance to the ball of radius ‖S♮‖_{1,1}.
 */
import { checkFinite, checkNumber } from "../util/validate.js";

export interface L1Projection {
  /** P_Ω(z). */
  readonly projection: Float64Array;
  /** Soft threshold θ ≥ 0: P_Ω(z) = sign(z)·max(|z| − θ, 0) (θ = 0 when z is inside the ball). */
  readonly threshold: number;
}

/** Projection of z onto {‖s‖₁ ≤ radius} and the soft threshold it applies. */
export function projectL1Ball(z: ArrayLike<number>, radius: number): L1Projection {
  const fn = "projectL1Ball";
  checkFinite(fn, "z", z);
  checkNumber(fn, "radius", radius, { min: 0 });
  const n = z.length;
  let l1 = 0;
  for (let i = 0; i < n; i++) l1 += Math.abs(z[i]);
  if (l1 <= radius) return { projection: Float64Array.from(z), threshold: 0 };
  const u = Float64Array.from(z, Math.abs).sort().reverse();
  // θ = (Σ_{i≤ρ} u_i − radius)/ρ for the largest ρ with u_ρ > (Σ_{i≤ρ} u_i − radius)/ρ.
  // ρ ≥ 1 always (j = 0 qualifies when radius > 0; radius = 0 gives θ = max|z_i|, the zero projection).
  let cumulative = u[0], theta = u[0] - radius;
  for (let j = 1; j < n; j++) {
    cumulative += u[j];
    const t = (cumulative - radius) / (j + 1);
    if (u[j] > t) theta = t;
    else break;
  }
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const a = Math.abs(z[i]) - theta;
    out[i] = a > 0 ? Math.sign(z[i]) * a : 0;
  }
  return { projection: out, threshold: theta };
}
