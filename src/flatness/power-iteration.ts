/**
 * Top eigenpairs by power iteration with deflation (the PyHessian / hessian-eigenthings
 * `deflated_power_iteration` scheme, ecosystem notes §5): the i-th pair is found by power
 * iteration on A − Σ_{j<i} λ_j u_j u_jᵀ, its iterates kept orthogonal to the u_j found. It finds
 * the eigenvalues of largest magnitude. Slower than Lanczos (the rate is |λ_{i+1}/λ_i| per step)
 * but simple and a useful cross-check.
 */
import { createRng } from "../random/rng.js";
import { checkInteger, checkNumber } from "../util/validate.js";
import { type LinearOperator, checkOperator, checkProduct } from "./operator.js";
import { type EigenResult, eigenResult } from "./lanczos.js";
import { axpyInPlace, dot, norm, orthogonalizeInPlace } from "./vectors.js";

export interface PowerIterationOptions {
  /** Number of eigenpairs (default 1). */
  readonly k?: number;
  /** Iterations per pair (default 100). */
  readonly maxIter?: number;
  /** Stop a pair when ‖A v − λ v‖ ≤ tol · max(|λ|, |λ_1|) (default 1e-4). */
  readonly tol?: number;
  readonly seed?: number;
}

/** The k eigenpairs of largest magnitude, one after another, by deflated power iteration. */
export function powerIteration(op: LinearOperator, options: PowerIterationOptions = {}): EigenResult {
  const fn = "powerIteration";
  checkOperator(fn, op);
  const n = op.size;
  const k = checkInteger(fn, "k", options.k ?? 1, 1, n);
  const maxIter = checkInteger(fn, "maxIter", options.maxIter ?? 100, 1);
  const tol = checkNumber(fn, "tol", options.tol ?? 1e-4, { min: 0, minExclusive: true });
  const seed = checkInteger(fn, "seed", options.seed ?? 0, 0, 2 ** 32 - 1);
  const rng = createRng(seed);

  const eigenvalues: number[] = [];
  const found: Float64Array[] = [];
  const residuals: number[] = [];
  const converged: boolean[] = [];
  const iterations: number[] = [];
  let numMatvecs = 0;
  for (let i = 0; i < k; i++) {
    let v = rng.gaussians(n);
    orthogonalizeInPlace(v, found);
    normalize(v);
    let lambda = 0, residual = Infinity, it = 0, done = false;
    while (it < maxIter && !done) {
      it++;
      const av = checkProduct(fn, op.matvec(v), n);
      numMatvecs++;
      lambda = dot(v, av);
      // Residual of the undeflated operator: v is orthogonal to the found u_j, so this equals the deflated one up to rounding.
      const r = Float64Array.from(av);
      axpyInPlace(-lambda, v, r);
      residual = norm(r);
      const scale = Math.max(Math.abs(lambda), eigenvalues.length > 0 ? Math.abs(eigenvalues[0]) : 0, Number.MIN_VALUE);
      done = residual <= tol * scale;
      if (done) break;
      // Deflate: w = (A − Σ λ_j u_j u_jᵀ) v, then keep it orthogonal to the u_j.
      const w = Float64Array.from(av);
      found.forEach((u, j) => axpyInPlace(-eigenvalues[j] * dot(u, v), u, w));
      orthogonalizeInPlace(w, found);
      if (norm(w) === 0) break; // v spans a null direction of the deflated operator: λ = 0 exactly
      normalize(w);
      v = w;
    }
    eigenvalues.push(lambda);
    found.push(v);
    residuals.push(residual);
    converged.push(done || residual === 0);
    iterations.push(it);
  }
  return eigenResult({
    method: "power-iteration",
    eigenvalues,
    eigenvectors: found.map((u) => Array.from(u)),
    residuals,
    converged,
    iterations,
    numMatvecs,
    tol,
    seed,
  });
}

function normalize(v: Float64Array): void {
  const nv = norm(v);
  for (let i = 0; i < v.length; i++) v[i] /= nv;
}
