/**
 * The measurement ensembles of the paper as `MeasurementOperator`s, each applied without forming
 * the A_i densely where the ensemble has structure:
 * - Gaussian ensemble (Definition 4.1 [P]): A_i with i.i.d. N(0, 1) entries, d1×d2, not
 *   symmetrized; stored as one m×(d1·d2) row matrix (row i = vec(A_i), row-major).
 * - Gaussian bilinear ensemble (Definition 4.1 [P]): A_i = a_i b_iᵀ, stored as a (m×d1) and
 *   b (m×d2); ⟨A_i, X⟩ = a_iᵀ X b_i and ⟨A_i, A_j⟩ = (a_i·a_j)(b_i·b_j).
 * - Matrix completion (Section 5 [P]): A_k = w_k e_{i_k} e_{j_k}ᵀ over the observed set Ω (w_k = 1
 *   for the paper's mask; other weights arise from rescaling, see rescaling.ts).
 * - Quadratic sensing (Section 7 [P]): symmetric A_i = x_i x_iᵀ, ⟨A_i, X⟩ = x_iᵀ X x_i.
 * - Identity map (Section 2 [P]): A(X) = vec(X), m = d1·d2.
 * Each kind keeps its data as readonly fields so rescaledOperator can specialize on it. The
 * `sample*` functions draw an ensemble from an explicit seed.
 */
import { checkMemory } from "../util/memory.js";
import { type Matrix, matmul, matmulNT, matmulTN, zeros } from "../linalg/matrix.js";
import { createRng } from "../random/rng.js";
import { gramOfRows } from "../kernels/index.js";
import { checkFinite, checkInteger, checkMatrix, checkVector, fail } from "../util/validate.js";
import type { MeasurementOperator } from "./operator.js";

export interface GaussianOperator extends MeasurementOperator {
  readonly kind: "gaussian";
  /** m×(d1·d2): row i holds vec(A_i) row-major, i.e. entry (p, q) of A_i at column p·d2 + q. */
  readonly rows: Matrix;
}

export interface BilinearOperator extends MeasurementOperator {
  readonly kind: "bilinear";
  /** m×d1, row i = a_iᵀ. */
  readonly a: Matrix;
  /** m×d2, row i = b_iᵀ. */
  readonly b: Matrix;
}

export interface CompletionOperator extends MeasurementOperator {
  readonly kind: "completion";
  /** Row index i_k of the k-th observed entry (row-major order over the mask). */
  readonly rowIndex: Int32Array;
  /** Column index j_k of the k-th observed entry. */
  readonly colIndex: Int32Array;
  /** Weights w_k (A_k = w_k e_i e_jᵀ); absent means all ones (the paper's mask). */
  readonly weights?: Float64Array;
}

export interface QuadraticOperator extends MeasurementOperator {
  readonly kind: "quadratic";
  /** m×d, row i = x_iᵀ. */
  readonly x: Matrix;
}

export interface IdentityOperator extends MeasurementOperator {
  readonly kind: "identity";
}

/** Gaussian ensemble from its rows (m×(d1·d2)). */
export function gaussianOperator(d1: number, d2: number, rows: Matrix): GaussianOperator {
  const fn = "gaussianOperator";
  checkInteger(fn, "d1", d1, 1);
  checkInteger(fn, "d2", d2, 1);
  checkMatrix(fn, "rows", rows, undefined, d1 * d2);
  const m = checkInteger(fn, "rows.rows (m)", rows.rows, 1);
  const n = d1 * d2, R = rows.data;
  return {
    kind: "gaussian", d1, d2, m, symmetric: false, rows,
    apply(x) {
      checkMatrix(`${fn}.apply`, "x", x, d1, d2);
      const out = new Float64Array(m), X = x.data;
      for (let i = 0; i < m; i++) {
        let s = 0;
        const o = i * n;
        for (let t = 0; t < n; t++) s += R[o + t] * X[t];
        out[i] = s;
      }
      return out;
    },
    adjoint(y) {
      checkVector(`${fn}.adjoint`, "y", y, m);
      const out = new Float64Array(n);
      for (let i = 0; i < m; i++) {
        const yi = y[i];
        if (yi === 0) continue;
        const o = i * n;
        for (let t = 0; t < n; t++) out[t] += yi * R[o + t];
      }
      return { rows: d1, cols: d2, data: out };
    },
    gram: () => ({ rows: m, cols: m, data: gramOfRows(R, m, n) }),
  };
}

/** Bilinear ensemble A_i = a_i b_iᵀ from a (m×d1) and b (m×d2). */
export function bilinearOperator(a: Matrix, b: Matrix): BilinearOperator {
  const fn = "bilinearOperator";
  checkMatrix(fn, "a", a);
  const m = checkInteger(fn, "a.rows (m)", a.rows, 1);
  checkMatrix(fn, "b", b, m);
  const d1 = checkInteger(fn, "a.cols (d1)", a.cols, 1), d2 = checkInteger(fn, "b.cols (d2)", b.cols, 1);
  return {
    kind: "bilinear", d1, d2, m, symmetric: false, a, b,
    apply(x) {
      checkMatrix(`${fn}.apply`, "x", x, d1, d2);
      // T = a X (m×d2), then y_i = T_i · b_i: m·d1·d2 flops, no A_i formed.
      const T = matmul(a, x).data, B = b.data, out = new Float64Array(m);
      for (let i = 0; i < m; i++) {
        let s = 0;
        for (let q = 0; q < d2; q++) s += T[i * d2 + q] * B[i * d2 + q];
        out[i] = s;
      }
      return out;
    },
    adjoint(y) {
      checkVector(`${fn}.adjoint`, "y", y, m);
      // Σ y_i a_i b_iᵀ = aᵀ diag(y) b.
      const yb = new Float64Array(m * d2);
      for (let i = 0; i < m; i++) for (let q = 0; q < d2; q++) yb[i * d2 + q] = y[i] * b.data[i * d2 + q];
      return matmulTN(a, { rows: m, cols: d2, data: yb });
    },
    gram() {
      const ga = matmulNT(a, a).data, gb = matmulNT(b, b).data;
      for (let t = 0; t < ga.length; t++) ga[t] *= gb[t];
      return { rows: m, cols: m, data: ga };
    },
  };
}

/** Completion map over an observed set given by index lists (and optional weights). */
export function completionOperator(d1: number, d2: number, rowIndex: Int32Array, colIndex: Int32Array, weights?: Float64Array): CompletionOperator {
  const fn = "completionOperator";
  checkInteger(fn, "d1", d1, 1);
  checkInteger(fn, "d2", d2, 1);
  if (!(rowIndex instanceof Int32Array)) fail(fn, "rowIndex", "an Int32Array", rowIndex, TypeError);
  if (!(colIndex instanceof Int32Array)) fail(fn, "colIndex", "an Int32Array", colIndex, TypeError);
  const m = rowIndex.length;
  if (m < 1) fail(fn, "rowIndex.length (m, the number of observed entries)", "≥ 1", m);
  if (colIndex.length !== m) fail(fn, "colIndex.length", `${m} (= rowIndex.length)`, colIndex.length);
  if (weights !== undefined) {
    if (!(weights instanceof Float64Array)) fail(fn, "weights", "a Float64Array", weights, TypeError);
    if (weights.length !== m) fail(fn, "weights.length", `${m} (= rowIndex.length)`, weights.length);
    checkFinite(fn, "weights", weights);
  }
  const seen = new Uint8Array(d1 * d2);
  for (let k = 0; k < m; k++) {
    const i = rowIndex[k], j = colIndex[k];
    if (i < 0 || i >= d1) fail(fn, `rowIndex[${k}]`, `in [0, ${d1 - 1}]`, i);
    if (j < 0 || j >= d2) fail(fn, `colIndex[${k}]`, `in [0, ${d2 - 1}]`, j);
    // Distinct entries keep the Gram matrix diagonal (A_k orthogonal).
    if (seen[i * d2 + j]) fail(fn, `entry (${i}, ${j})`, "observed at most once", "a duplicate");
    seen[i * d2 + j] = 1;
  }
  const w = (k: number) => (weights === undefined ? 1 : weights[k]);
  return {
    kind: "completion", d1, d2, m, symmetric: false, rowIndex, colIndex, weights,
    apply(x) {
      checkMatrix(`${fn}.apply`, "x", x, d1, d2);
      const out = new Float64Array(m);
      for (let k = 0; k < m; k++) out[k] = w(k) * x.data[rowIndex[k] * d2 + colIndex[k]];
      return out;
    },
    adjoint(y) {
      checkVector(`${fn}.adjoint`, "y", y, m);
      const out = zeros(d1, d2);
      for (let k = 0; k < m; k++) out.data[rowIndex[k] * d2 + colIndex[k]] = w(k) * y[k];
      return out;
    },
    gram() {
      const out = zeros(m, m);
      for (let k = 0; k < m; k++) out.data[k * m + k] = w(k) * w(k);
      return out;
    },
  };
}

/** Completion map from a 0/1 mask (d1×d2); observed entries in row-major order. */
export function completionOperatorFromMask(mask: Matrix): CompletionOperator {
  checkMatrix("completionOperatorFromMask", "mask", mask);
  const rows: number[] = [], cols: number[] = [];
  for (let i = 0; i < mask.rows; i++) {
    for (let j = 0; j < mask.cols; j++) {
      const v = mask.data[i * mask.cols + j];
      if (v !== 0 && v !== 1) fail("completionOperatorFromMask", `mask entry (${i}, ${j})`, "0 or 1", v);
      if (v === 1) { rows.push(i); cols.push(j); }
    }
  }
  if (rows.length === 0) fail("completionOperatorFromMask", "mask", "a mask with at least one observed entry", "an empty mask");
  return completionOperator(mask.rows, mask.cols, Int32Array.from(rows), Int32Array.from(cols));
}

/** Quadratic (symmetric rank-one) sensing A_i = x_i x_iᵀ from x (m×d). */
export function quadraticOperator(x: Matrix): QuadraticOperator {
  const fn = "quadraticOperator";
  checkMatrix(fn, "x", x);
  const m = checkInteger(fn, "x.rows (m)", x.rows, 1), d = checkInteger(fn, "x.cols (d)", x.cols, 1);
  return {
    kind: "quadratic", d1: d, d2: d, m, symmetric: true, x,
    apply(z) {
      checkMatrix(`${fn}.apply`, "x", z, d, d);
      // T = x Z (m×d), y_i = T_i · x_i.
      const T = matmul(x, z).data, out = new Float64Array(m);
      for (let i = 0; i < m; i++) {
        let s = 0;
        for (let q = 0; q < d; q++) s += T[i * d + q] * x.data[i * d + q];
        out[i] = s;
      }
      return out;
    },
    adjoint(y) {
      checkVector(`${fn}.adjoint`, "y", y, m);
      const yx = new Float64Array(m * d);
      for (let i = 0; i < m; i++) for (let q = 0; q < d; q++) yx[i * d + q] = y[i] * x.data[i * d + q];
      return matmulTN(x, { rows: m, cols: d, data: yx });
    },
    gram() {
      const g = matmulNT(x, x).data;
      for (let t = 0; t < g.length; t++) g[t] *= g[t];
      return { rows: m, cols: m, data: g };
    },
  };
}

/** The identity map A(X) = vec(X) (row-major), m = d1·d2. */
export function identityOperator(d1: number, d2: number): IdentityOperator {
  const fn = "identityOperator";
  checkInteger(fn, "d1", d1, 1);
  checkInteger(fn, "d2", d2, 1);
  const m = d1 * d2;
  return {
    kind: "identity", d1, d2, m, symmetric: false,
    apply(x) {
      checkMatrix(`${fn}.apply`, "x", x, d1, d2);
      return x.data.slice();
    },
    adjoint(y) {
      checkVector(`${fn}.adjoint`, "y", y, m);
      return { rows: d1, cols: d2, data: Float64Array.from(y) };
    },
    gram() {
      const out = zeros(m, m);
      for (let i = 0; i < m; i++) out.data[i * m + i] = 1;
      return out;
    },
  };
}

export interface EnsembleOptions {
  readonly d1: number;
  readonly d2: number;
  readonly m: number;
  readonly seed: number;
}

/** A Gaussian ensemble drawn from a seed (Definition 4.1 [P]). */
export function sampleGaussianOperator(options: EnsembleOptions): GaussianOperator {
  const { d1, d2, m, seed } = checkEnsemble("sampleGaussianOperator", options);
  checkMemory("sampleGaussianOperator", { d1, d2, m }, "m Gaussian d1×d2 matrices", 8 * m * d1 * d2);
  const rng = createRng(seed);
  return gaussianOperator(d1, d2, { rows: m, cols: d1 * d2, data: rng.gaussians(m * d1 * d2) });
}

/** A Gaussian bilinear ensemble drawn from a seed (Definition 4.1 [P]); a drawn before b. */
export function sampleBilinearOperator(options: EnsembleOptions): BilinearOperator {
  const { d1, d2, m, seed } = checkEnsemble("sampleBilinearOperator", options);
  checkMemory("sampleBilinearOperator", { d1, d2, m }, "m pairs of Gaussian vectors", 8 * m * (d1 + d2));
  const rng = createRng(seed);
  const a = rng.gaussians(m * d1), b = rng.gaussians(m * d2);
  return bilinearOperator({ rows: m, cols: d1, data: a }, { rows: m, cols: d2, data: b });
}

/** x_i ~ N(0, I_d) i.i.d. (Section 7 [P]). */
export function sampleQuadraticOperator(options: { readonly d: number; readonly m: number; readonly seed: number }): QuadraticOperator {
  const fn = "sampleQuadraticOperator";
  const d = checkInteger(fn, "d", options.d, 1), m = checkInteger(fn, "m", options.m, 1);
  checkMemory(fn, { d, m }, "m Gaussian vectors of length d", 8 * m * d);
  const rng = createRng(checkInteger(fn, "seed", options.seed, 0, 2 ** 32 - 1));
  return quadraticOperator({ rows: m, cols: d, data: rng.gaussians(m * d) });
}

/**
 * A Bernoulli(p) mask ξ_ij (Section 5 [P]) as a completion map. An empty draw (possible for tiny
 * p·d1·d2) is an error rather than an operator with m = 0.
 */
export function sampleCompletionOperator(options: { readonly d1: number; readonly d2: number; readonly p: number; readonly seed: number }): CompletionOperator {
  const fn = "sampleCompletionOperator";
  const d1 = checkInteger(fn, "d1", options.d1, 1), d2 = checkInteger(fn, "d2", options.d2, 1);
  const p = checkProbability(fn, "p", options.p);
  checkMemory(fn, { d1, d2 }, "the indices of the observed entries", 24 * p * d1 * d2);
  const rng = createRng(checkInteger(fn, "seed", options.seed, 0, 2 ** 32 - 1));
  const rows: number[] = [], cols: number[] = [];
  for (let i = 0; i < d1; i++) for (let j = 0; j < d2; j++) if (rng.uniform() < p) { rows.push(i); cols.push(j); }
  if (rows.length === 0) {
    throw new RangeError(`${fn}: the Bernoulli(${p}) mask drawn with seed ${options.seed} observed no entry of the ${d1}×${d2} matrix; raise p or change the seed.`);
  }
  return completionOperator(d1, d2, Int32Array.from(rows), Int32Array.from(cols));
}

/** p ∈ (0, 1]. */
export function checkProbability(fn: string, arg: string, p: unknown): number {
  if (typeof p !== "number") fail(fn, arg, "a number in (0, 1]", p, TypeError);
  if (!(p > 0 && p <= 1)) fail(fn, arg, "a number in (0, 1]", p);
  return p;
}

/** A finite vector of the expected length (arrays or typed arrays). */
function checkEnsemble(fn: string, o: EnsembleOptions): EnsembleOptions {
  if (typeof o !== "object" || o === null) fail(fn, "options", "an object {d1, d2, m, seed}", o, TypeError);
  return {
    d1: checkInteger(fn, "d1", o.d1, 1),
    d2: checkInteger(fn, "d2", o.d2, 1),
    m: checkInteger(fn, "m", o.m, 1),
    seed: checkInteger(fn, "seed", o.seed, 0, 2 ** 32 - 1),
  };
}

