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
  const projection = Float64Array.from(z);
  const threshold = projectL1BallInto(projection, radius, projection);
  return { projection, threshold };
}

/**
 * Unchecked kernel for solver loops: out ← P_Ω(v), returning the threshold θ with
 * out_i = sign(v_i)(|v_i| − θ)_+ (θ = 0 when v is inside; radius 0 gives the zero vector and θ = ∞).
 * out may alias v.
 */
export function projectL1BallInto(v: Float64Array, radius: number, out: Float64Array): number {
  const n = v.length;
  let l1 = 0;
  for (let i = 0; i < n; i++) l1 += Math.abs(v[i]);
  if (l1 <= radius) {
    if (out !== v) out.set(v);
    return 0;
  }
  if (radius === 0) {
    out.fill(0);
    return Infinity;
  }
  const u = Float64Array.from(v, Math.abs).sort().reverse();
  // θ = (Σ_{i≤ρ} u_i − radius)/ρ for the largest ρ with u_ρ > (Σ_{i≤ρ} u_i − radius)/ρ.
  let cumulative = u[0], theta = u[0] - radius;
  for (let j = 1; j < n; j++) {
    cumulative += u[j];
    const t = (cumulative - radius) / (j + 1);
    if (u[j] > t) theta = t;
    else break;
  }
  for (let i = 0; i < n; i++) {
    const a = Math.abs(v[i]) - theta;
    out[i] = a > 0 ? Math.sign(v[i]) * a : 0;
  }
  return theta;
}
