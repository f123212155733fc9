/**
 * Spectral matrix norms. The nuclear norm ‖X‖_* is the objective of the convex relaxation
 * (Section 3, Theorem 3.2 [P]); the operator norm is its dual and bounds step sizes.
 */
import { type Matrix } from "./matrix.js";
import { singularValues } from "./svd.js";

/** ‖a‖_* = Σ σ_i(a). */
export function nuclearNorm(a: Matrix): number {
  const s = singularValues(a);
  let t = 0;
  for (let i = s.length - 1; i >= 0; i--) t += s[i]; // smallest first, for less rounding
  return t;
}

/** ‖a‖_op = σ_max(a) (0 for an empty matrix). */
export function operatorNorm(a: Matrix): number {
  const s = singularValues(a);
  return s.length === 0 ? 0 : s[0];
}
