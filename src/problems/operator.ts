/**
 * The linear measurement map A : R^{d1×d2} → R^m of the paper (Section 1.1 [P]):
 * A(X) = (⟨A_1, X⟩, …, ⟨A_m, X⟩) with ⟨X, Y⟩ = tr(XᵀY).
 *
 * Every ensemble (Gaussian, bilinear, completion mask, symmetric rank-one, identity) implements
 * this interface without needless dense copies; the solvers only ever see this interface, so the
 * flat relaxation's rescaled map B(X) = A(D1⁻¹ X D2⁻¹) (Section 3, eq. (20)) is one more
 * implementation of it.
 */
import type { Matrix } from "../linalg/matrix.js";

export interface MeasurementOperator {
  /** Which ensemble built this map ("gaussian", "bilinear", "completion", "quadratic", "identity", "rescaled", ...). */
  readonly kind: string;
  readonly d1: number;
  readonly d2: number;
  /** Number of measurements. */
  readonly m: number;
  /** True when every A_i is symmetric and the map acts on symmetric X (Section 7). */
  readonly symmetric: boolean;
  /** A(X) ∈ R^m. */
  apply(x: Matrix): Float64Array;
  /** A*(y) = Σ_i y_i A_i ∈ R^{d1×d2}. */
  adjoint(y: ArrayLike<number>): Matrix;
  /** The m×m Gram matrix A A*, entries ⟨A_i, A_j⟩ (used by exact projections onto {A(X) = b}). */
  gram(): Matrix;
}
