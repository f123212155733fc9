/**
 * Symmetric PSD square root and inverse square root, via eigh.
 *
 * Section 3 [R]: the rescaling matrices D1 = ((1/(m d2)) Σ_i A_i A_iᵀ)^{1/2} and
 * D2 = ((1/(m d1)) Σ_i A_iᵀ A_i)^{1/2}; the convex relaxation (Theorem 3.2) needs D1⁻¹, D2⁻¹,
 * which exist exactly when the Gram-like averages are nonsingular (for matrix completion, when
 * every row and column is observed).
 */
import { type Matrix, matmulNT } from "./matrix.js";
import { eigh } from "./eigh.js";
import { checkNumber } from "../util/validate.js";

export interface SqrtmPsdOptions {
  /**
   * Eigenvalues down to −tol·λ_max are treated as rounding and clamped to 0 (default 1e-10);
   * more negative ones mean a is not PSD and throw.
   */
  readonly tol?: number;
}

export interface InvSqrtmPsdOptions {
  /** a counts as singular when λ_min ≤ rtol·λ_max (default 1e-12). */
  readonly rtol?: number;
}

/** The symmetric PSD square root S of a symmetric PSD a (S S = a). */
export function sqrtmPsd(a: Matrix, options: SqrtmPsdOptions = {}): Matrix {
  const tol = options.tol === undefined ? 1e-10 : checkNumber("sqrtmPsd", "options.tol", options.tol, { min: 0 });
  const { values, vectors } = eighNamed("sqrtmPsd", a);
  const n = values.length;
  const lmax = n === 0 ? 0 : Math.max(values[n - 1], 0);
  if (n > 0 && values[0] < -tol * lmax) {
    throw new RangeError(`sqrtmPsd: a must be positive semidefinite; received smallest eigenvalue ${values[0].toExponential(3)} < −${tol}·λ_max (λ_max = ${lmax.toExponential(3)}).`);
  }
  const f = new Float64Array(n);
  for (let i = 0; i < n; i++) f[i] = Math.sqrt(Math.sqrt(Math.max(values[i], 0)));
  return spectralProduct(vectors, f);
}

/** The inverse of the PSD square root of a symmetric positive definite a; throws when a is singular to rtol. */
export function invSqrtmPsd(a: Matrix, options: InvSqrtmPsdOptions = {}): Matrix {
  const rtol = options.rtol === undefined ? 1e-12 : checkNumber("invSqrtmPsd", "options.rtol", options.rtol, { min: 0 });
  const { values, vectors } = eighNamed("invSqrtmPsd", a);
  const n = values.length;
  if (n > 0 && !(values[0] > rtol * values[n - 1])) {
    throw new RangeError(
      `invSqrtmPsd: a must be nonsingular positive definite; received a singular matrix (smallest eigenvalue ${values[0].toExponential(3)} ≤ rtol·λ_max = ${rtol}·${values[n - 1].toExponential(3)}).`,
    );
  }
  const f = new Float64Array(n);
  for (let i = 0; i < n; i++) f[i] = 1 / Math.sqrt(Math.sqrt(values[i]));
  return spectralProduct(vectors, f);
}

/** eigh with the caller's name in its error messages. */
function eighNamed(fn: string, a: Matrix): ReturnType<typeof eigh> {
  try {
    return eigh(a);
  } catch (err) {
    if (err instanceof Error && err.message.startsWith("eigh:")) {
      const Ctor = err instanceof TypeError ? TypeError : RangeError;
      throw new Ctor(fn + err.message.slice(4));
    }
    throw err;
  }
}

/** V diag(f²) Vᵀ computed as W Wᵀ with W = V diag(f) (f ≥ 0), so the result is exactly symmetric. */
function spectralProduct(v: Matrix, f: Float64Array): Matrix {
  const n = v.rows, k = v.cols;
  const w = new Float64Array(n * k);
  for (let i = 0; i < n; i++) for (let j = 0; j < k; j++) w[i * k + j] = v.data[i * k + j] * f[j];
  const W: Matrix = { rows: n, cols: k, data: w };
  return matmulNT(W, W);
}
