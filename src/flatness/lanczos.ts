/**
 * Extreme eigenvalues of a symmetric operator (the Hessian's λ_max, the sharpness alternative the
 * paper mentions and does not use, paper-notes §1.3) by the Lanczos method with full
 * reorthogonalization, and the Lanczos tridiagonalization itself, exported for stochastic Lanczos
 * quadrature (spectral-density.ts), as in hessian-eigenthings v1.
 *
 * Full reorthogonalization (every new vector made orthogonal to all earlier ones, twice) costs
 * O(n·m) per step but keeps the basis orthonormal to rounding, so no spurious copies of converged
 * Ritz values appear (Paige 1976 explains the loss of orthogonality without it). Our runs are
 * short (m ≤ a few hundred), where this is the simple and robust choice.
 *
 * Ritz values come from the dense eigendecomposition of the m×m tridiagonal T (src/linalg eigh,
 * float64). The stopping test uses the classical bound ‖A y − θ y‖ = β_m |s_m| for the Ritz pair
 * (θ, y = Q s); the reported residuals are recomputed with one product per returned pair.
 */
import { eigh } from "../linalg/eigh.js";
import { createRng } from "../random/rng.js";
import { withTable } from "../util/displayable.js";
import { checkInteger, checkNumber, checkOneOf, fail } from "../util/validate.js";
import { type LinearOperator, checkOperator, checkProduct } from "./operator.js";
import { axpyInPlace, dot, norm, orthogonalizeInPlace } from "./vectors.js";

export interface TridiagonalizationOptions {
  /** Number of Lanczos steps m (capped at the operator size). */
  readonly steps: number;
  /** Start vector (normalized here); default a Gaussian vector from `seed`. */
  readonly start?: Float64Array;
  readonly seed?: number;
}

export interface Tridiagonalization {
  /** Diagonal of T (length m). */
  readonly alpha: number[];
  /** Off-diagonal of T (length m − 1). */
  readonly beta: number[];
  /** ‖r_m‖, the norm of the last residual (0 when the Krylov space became invariant). */
  readonly lastBeta: number;
  /** Orthonormal Lanczos vectors q_1..q_m. */
  readonly basis: Float64Array[];
  /** True when the Krylov space became invariant before `steps` (T's eigenvalues are then exact). */
  readonly invariant: boolean;
  readonly numMatvecs: number;
}

/** m steps of Lanczos with full reorthogonalization: A Q = Q T + r e_mᵀ. */
export function lanczosTridiagonal(op: LinearOperator, options: TridiagonalizationOptions): Tridiagonalization {
  const fn = "lanczosTridiagonal";
  checkOperator(fn, op);
  const steps = checkInteger(fn, "steps", options.steps, 1);
  const seed = checkInteger(fn, "seed", options.seed ?? 0, 0, 2 ** 32 - 1);
  return tridiagonalize(fn, op, steps, startVector(fn, op.size, options.start, seed), () => undefined);
}

/** Shared kernel; `onStep(t)` may return true to stop early (used by `lanczos`). */
function tridiagonalize(
  fn: string,
  op: LinearOperator,
  steps: number,
  start: Float64Array,
  onStep: (t: Tridiagonalization) => boolean | undefined,
): Tridiagonalization {
  const n = op.size;
  const m = Math.min(steps, n);
  const alpha: number[] = [];
  const beta: number[] = [];
  const basis: Float64Array[] = [start];
  let lastBeta = 0;
  let invariant = false;
  let scale = 0;
  for (let j = 0; j < m; j++) {
    const q = basis[j];
    const w = Float64Array.from(checkProduct(fn, op.matvec(q), n));
    const a = dot(q, w);
    alpha.push(a);
    axpyInPlace(-a, q, w);
    if (j > 0) axpyInPlace(-beta[j - 1], basis[j - 1], w);
    orthogonalizeInPlace(w, basis);
    lastBeta = norm(w);
    scale = Math.max(scale, Math.abs(a), lastBeta);
    // An invariant Krylov space (or the whole space): T's eigenvalues are eigenvalues of A.
    if (lastBeta <= 1e-12 * scale || basis.length === n) {
      invariant = true;
      lastBeta = 0;
      break;
    }
    const state = { alpha, beta, lastBeta, basis, invariant, numMatvecs: j + 1 };
    if (j < m - 1) {
      if (onStep(state)) return { ...state, alpha: [...alpha], beta: [...beta] };
      for (let i = 0; i < n; i++) w[i] /= lastBeta;
      basis.push(w);
      beta.push(lastBeta);
    }
  }
  return { alpha, beta, lastBeta, basis, invariant, numMatvecs: alpha.length };
}

/** Eigenvalues (ascending) and eigenvector matrix of the tridiagonal T(alpha, beta), float64. */
export function tridiagonalEigen(alpha: readonly number[], beta: readonly number[]): { values: Float64Array; vectors: { rows: number; cols: number; data: Float64Array } } {
  const m = alpha.length;
  const data = new Float64Array(m * m);
  for (let i = 0; i < m; i++) {
    data[i * m + i] = alpha[i];
    if (i + 1 < m) data[i * m + i + 1] = data[(i + 1) * m + i] = beta[i];
  }
  return eigh({ rows: m, cols: m, data });
}

export const WHICH = ["LA", "SA", "LM"] as const;
export type Which = (typeof WHICH)[number];

export interface LanczosOptions {
  /** Number of eigenpairs (default 1). */
  readonly k?: number;
  /** Most Lanczos steps (default min(size, max(2k + 40, 60))). */
  readonly maxIter?: number;
  /** Converged when ‖A y − θ y‖ ≤ tol · max|θ| (default 1e-4, as hessian-eigenthings). */
  readonly tol?: number;
  /** "LA" largest algebraic (default: λ_max, the sharpness direction), "SA" smallest, "LM" largest magnitude. */
  readonly which?: Which;
  readonly seed?: number;
}

export interface EigenResult {
  readonly method: "lanczos" | "power-iteration";
  /** In the order asked for: LA descending, SA ascending, LM by magnitude descending (power iteration: as found). */
  readonly eigenvalues: readonly number[];
  readonly eigenvectors: readonly (readonly number[])[];
  /** ‖A v − λ v‖ for each returned pair (v of unit norm), recomputed with one product each. */
  readonly residuals: readonly number[];
  readonly converged: readonly boolean[];
  /** Lanczos steps (power iteration: iterations per pair). */
  readonly iterations: number | readonly number[];
  readonly numMatvecs: number;
  readonly tol: number;
  readonly seed: number;
}

/** The k extreme eigenpairs of a symmetric operator by Lanczos with full reorthogonalization. */
export function lanczos(op: LinearOperator, options: LanczosOptions = {}): EigenResult {
  const fn = "lanczos";
  checkOperator(fn, op);
  const n = op.size;
  const k = checkInteger(fn, "k", options.k ?? 1, 1, n);
  const maxIter = checkInteger(fn, "maxIter", options.maxIter ?? Math.min(n, Math.max(2 * k + 40, 60)), k);
  const tol = checkNumber(fn, "tol", options.tol ?? 1e-4, { min: 0, minExclusive: true });
  const which = checkOneOf(fn, "which", options.which ?? "LA", WHICH);
  const seed = checkInteger(fn, "seed", options.seed ?? 0, 0, 2 ** 32 - 1);

  const allConverged = (t: Tridiagonalization): boolean => {
    if (t.alpha.length < k) return false;
    const { values, vectors } = tridiagonalEigen(t.alpha, t.beta);
    const m = t.alpha.length;
    const norm = Math.max(Math.abs(values[0]), Math.abs(values[m - 1]));
    return pick(values, k, which).every((i) => t.lastBeta * Math.abs(vectors.data[(m - 1) * m + i]) <= tol * norm);
  };
  const t = tridiagonalize(fn, op, maxIter, startVector(fn, n, undefined, seed), allConverged);
  const m = t.alpha.length;
  if (m < k) {
    // The start vector's Krylov space is invariant and smaller than k (e.g. an eigenvector start).
    fail(fn, "k", `at most ${m}, the dimension of the invariant Krylov space reached from this start (try another seed)`, k);
  }
  const { values, vectors } = tridiagonalEigen(t.alpha, t.beta);
  const chosen = pick(values, k, which);
  const opNorm = Math.max(Math.abs(values[0]), Math.abs(values[m - 1]));
  const eigenvalues: number[] = [];
  const eigenvectors: number[][] = [];
  const residuals: number[] = [];
  const converged: boolean[] = [];
  for (const i of chosen) {
    const y = new Float64Array(n);
    for (let j = 0; j < m; j++) axpyInPlace(vectors.data[j * m + i], t.basis[j], y);
    const ny = norm(y);
    for (let j = 0; j < n; j++) y[j] /= ny;
    const theta = values[i];
    const ay = checkProduct(fn, op.matvec(y), n);
    axpyInPlace(-theta, y, ay);
    const r = norm(ay);
    eigenvalues.push(theta);
    eigenvectors.push(Array.from(y));
    residuals.push(r);
    converged.push(r <= tol * Math.max(opNorm, Number.MIN_VALUE));
  }
  return eigenResult({ method: "lanczos", eigenvalues, eigenvectors, residuals, converged, iterations: m, numMatvecs: t.numMatvecs + k, tol, seed });
}

export function eigenResult(r: EigenResult): EigenResult {
  const title = r.method === "lanczos" ? "Hessian eigenvalues (Lanczos)" : "Hessian eigenvalues (power iteration)";
  return withTable(r, title, (x) => [
    ...x.eigenvalues.map((v, i) => [`λ${i + 1}`, `${fmt(v)}  (residual ${x.residuals[i].toExponential(2)}${x.converged[i] ? "" : ", not converged"})`] as const),
    ["operator products", x.numMatvecs],
    ["tolerance", x.tol],
    ["seed", x.seed],
  ]);
}

/** Indices into ascending `values` of the k wanted Ritz values, in output order. */
function pick(values: Float64Array, k: number, which: Which): number[] {
  const idx = Array.from(values.keys());
  if (which === "LA") idx.reverse();
  else if (which === "LM") idx.sort((a, b) => Math.abs(values[b]) - Math.abs(values[a]));
  return idx.slice(0, k);
}

export function startVector(fn: string, n: number, start: Float64Array | undefined, seed: number): Float64Array {
  const v = start === undefined ? createRng(seed).gaussians(n) : Float64Array.from(start);
  if (v.length !== n) throw new RangeError(`${fn}: start must have length ${n}; received ${v.length}.`);
  const nv = norm(v);
  if (!(nv > 0) || !Number.isFinite(nv)) fail(fn, "start", "a nonzero finite vector", start, RangeError);
  for (let i = 0; i < n; i++) v[i] /= nv;
  return v;
}

function fmt(x: number): string {
  const a = Math.abs(x);
  return a !== 0 && (a < 1e-3 || a >= 1e6) ? x.toExponential(5) : x.toPrecision(6);
}
