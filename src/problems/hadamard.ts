/**
 * The depth model (Section 9 [P]): sparse x♮ ∈ R^d with r nonzeros, b = A x♮ with A ∈ R^{m×d}
 * i.i.d. N(0, 1), the "deep" Hadamard parameterization x = v1 ⊙ v2 ⊙ … ⊙ vk and
 * f(v1, …, vk) = κ‖Ax − b‖², κ = 1/m (normalization [I]). Flat = minimal plain trace over the
 * zero-loss set [P].
 *
 * Closed forms, with columns a_l of A, residual ρ = Ax − b and π_j = Π_{i≠j} v_i:
 * - ∂f/∂v_j = 2κ (Aᵀρ) ⊙ π_j;
 * - D²f[Δ] = 2κ‖A Σ_j Δ_j ⊙ π_j‖² + 2κ (Aᵀρ)ᵀ Σ_{j≠j'} Δ_j ⊙ Δ_j' ⊙ Π_{i∉{j,j'}} v_i  [D];
 * - tr D²f = 2 Σ_l D_ll² Σ_j Π_{i≠j} v_i(l)², D = diag(√κ‖a_l‖) [R]: f is linear in each v_j, so
 *   the residual term has no diagonal and the formula holds at every point, not only at zero loss.
 * Balanced factors of x: v_1(l) = sign(x_l)|x_l|^{1/k}, v_j(l) = |x_l|^{1/k} for j ≥ 2.
 * Factors are d×1 column matrices [v1, …, vk]; the tfjs params are tensors of shape [d, 1].
 *
 * Ground truth (our choice [NF]): a uniformly random support of size r, N(0, 1) values, scaled to
 * ‖x♮‖₂ = 1. Seeds: truth deriveSeed(seed, 0), A deriveSeed(seed, 1).
 */
import { checkMemory } from "../util/memory.js";
import * as tf from "@tensorflow/tfjs";
import { type Matrix, matmul, matmulTN, norm2, zeros } from "../linalg/matrix.js";
import { createRng, deriveSeed } from "../random/rng.js";
import { checkInteger, checkNumber, fail } from "../util/validate.js";
import { checkFactors, residualSmall, type Problem, type TfLoss } from "./problem.js";
import { makeTfLoss, tfMatrix } from "./tf-loss.js";
import { matrixToJSON, readHeader, readMatrix, readNumber, readSeed, readVector, SCHEMA_VERSION } from "./json.js";
import { checkCount } from "./factorized.js";

export interface HadamardInstance {
  readonly problem: "hadamard";
  readonly d: number;
  /** Number of nonzeros of x♮. */
  readonly r: number;
  /** Depth: the number of Hadamard factors. */
  readonly k: number;
  readonly m: number;
  readonly lossScale: number;
  readonly seed: number | null;
  /** x♮ (length d, r nonzeros, ‖x♮‖₂ = 1). */
  readonly truth: Float64Array;
  /** m×d. */
  readonly A: Matrix;
  readonly b: Float64Array;
}

export interface HadamardOptions {
  readonly d: number;
  readonly r: number;
  /** Depth k ≥ 1. */
  readonly k: number;
  readonly m: number;
  readonly seed: number;
  readonly lossScale?: number;
}

const NAME = "hadamardProblem";

function vectorsOf(fn: string, inst: HadamardInstance, f: unknown, arg = "factors"): Float64Array[] {
  return checkFactors(`${NAME}.${fn}`, arg, f, Array.from({ length: inst.k }, () => [inst.d, 1] as const)).map((v) => v.data);
}

/** Π_{i ∉ skip} v_i. */
function productExcept(v: Float64Array[], skip: readonly number[]): Float64Array {
  const out = new Float64Array(v[0].length).fill(1);
  for (let i = 0; i < v.length; i++) if (!skip.includes(i)) for (let l = 0; l < out.length; l++) out[l] *= v[i][l];
  return out;
}

function column(data: Float64Array): Matrix {
  return { rows: data.length, cols: 1, data };
}

/** ρ = A x − b. */
function residual(inst: HadamardInstance, v: Float64Array[]): Float64Array {
  const r = matmul(inst.A, column(productExcept(v, []))).data;
  for (let i = 0; i < r.length; i++) r[i] -= inst.b[i];
  return r;
}

/** D_ll² = κ‖a_l‖². */
function diagonalSquares(inst: HadamardInstance): Float64Array {
  const out = new Float64Array(inst.d);
  for (let i = 0; i < inst.m; i++) for (let l = 0; l < inst.d; l++) out[l] += inst.A.data[i * inst.d + l] ** 2;
  for (let l = 0; l < inst.d; l++) out[l] *= inst.lossScale;
  return out;
}

function traceOf(inst: HadamardInstance, v: Float64Array[]): number {
  const D2 = diagonalSquares(inst);
  let t = 0;
  for (let j = 0; j < inst.k; j++) {
    const p = productExcept(v, [j]);
    for (let l = 0; l < inst.d; l++) t += D2[l] * p[l] * p[l];
  }
  return 2 * t;
}

export const hadamardProblem: Problem<HadamardInstance, HadamardOptions> = {
  name: "hadamard",
  schema: "flatlab.hadamard",
  flatnessMeasure: "trace",
  generate(options) {
    const fn = `${NAME}.generate`;
    if (typeof options !== "object" || options === null) fail(fn, "options", "an object", options, TypeError);
    const d = checkInteger(fn, "d", options.d, 1);
    const r = checkInteger(fn, "r", options.r, 1, d);
    const k = checkInteger(fn, "k", options.k, 1);
    const m = checkInteger(fn, "m", options.m, 1);
    const seed = checkInteger(fn, "seed", options.seed, 0, 2 ** 32 - 1);
    const lossScale = options.lossScale === undefined ? 1 / m : checkNumber(fn, "lossScale", options.lossScale, { min: 0, minExclusive: true });
    checkMemory(fn, { d, m }, "the m×d Gaussian matrix", 8 * (m * d + d));
    const rng = createRng(deriveSeed(seed, 0));
    const order = Array.from({ length: d }, (_, i) => i);
    for (let i = d - 1; i > 0; i--) { const j = rng.int(i + 1); [order[i], order[j]] = [order[j], order[i]]; }
    const truth = new Float64Array(d);
    let norm = 0;
    for (let t = 0; t < r; t++) { const g = rng.gaussian(); truth[order[t]] = g; norm += g * g; }
    for (let l = 0; l < d; l++) truth[l] /= Math.sqrt(norm);
    const A: Matrix = { rows: m, cols: d, data: createRng(deriveSeed(seed, 1)).gaussians(m * d) };
    return { problem: "hadamard", d, r, k, m, lossScale, seed, truth, A, b: matmul(A, column(truth)).data };
  },
  loss(inst, f) {
    const rho = residual(inst, vectorsOf("loss", inst, f));
    let s = 0;
    for (const x of rho) s += x * x;
    return inst.lossScale * s;
  },
  gradient(inst, f) {
    const v = vectorsOf("gradient", inst, f);
    const g = matmulTN(inst.A, column(residual(inst, v))).data;
    return v.map((_, j) => {
      const p = productExcept(v, [j]);
      return column(p.map((x, l) => 2 * inst.lossScale * g[l] * x));
    });
  },
  hessianForm(inst, f, direction) {
    const v = vectorsOf("hessianForm", inst, f), dv = vectorsOf("hessianForm", inst, direction, "direction");
    const dx = new Float64Array(inst.d), ddx = new Float64Array(inst.d);
    for (let j = 0; j < inst.k; j++) {
      const p = productExcept(v, [j]);
      for (let l = 0; l < inst.d; l++) dx[l] += dv[j][l] * p[l];
      for (let jj = 0; jj < inst.k; jj++) {
        if (jj === j) continue;
        const q = productExcept(v, [j, jj]);
        for (let l = 0; l < inst.d; l++) ddx[l] += dv[j][l] * dv[jj][l] * q[l];
      }
    }
    const Adx = matmul(inst.A, column(dx)).data, g = matmulTN(inst.A, column(residual(inst, v))).data;
    let first = 0, second = 0;
    for (const x of Adx) first += x * x;
    for (let l = 0; l < inst.d; l++) second += g[l] * ddx[l];
    return 2 * inst.lossScale * (first + second);
  },
  hessianTrace: (inst, f) => traceOf(inst, vectorsOf("hessianTrace", inst, f)),
  scaledHessianTrace: (inst, f) => traceOf(inst, vectorsOf("scaledHessianTrace", inst, f)) / inst.d,
  scaledTraceWeights: (inst) => Array.from({ length: inst.k }, () => 1 / inst.d),
  rescaling(inst) {
    const D = zeros(inst.d, inst.d), D2 = diagonalSquares(inst);
    for (let l = 0; l < inst.d; l++) D.data[l * (inst.d + 1)] = Math.sqrt(D2[l]);
    return { D1: D, D2: D };
  },
  isMinimizer(inst, f, tol = 1e-8) {
    const rho = residual(inst, vectorsOf("isMinimizer", inst, f));
    checkNumber(`${NAME}.isMinimizer`, "tol", tol, { min: 0 });
    return residualSmall(norm2(rho), norm2(inst.b), tol);
  },
  minimizer(inst) {
    return balancedHadamardFactors(inst.truth, inst.k);
  },
  tfLoss(inst): TfLoss {
    const A = tfMatrix(inst.A), b = tf.tensor2d(Float32Array.from(inst.b), [inst.m, 1]);
    const shapes = Array.from({ length: inst.k }, () => [inst.d, 1]);
    return makeTfLoss(`${NAME}.tfLoss`, shapes, [A, b], (vs) => {
      let x = vs[0];
      for (let j = 1; j < vs.length; j++) x = tf.mul(x, vs[j]);
      return tf.mul(inst.lossScale, tf.sum(tf.square(tf.sub(tf.matMul(A, x), b)))) as tf.Scalar;
    });
  },
  toJSON(inst) {
    return {
      schema: "flatlab.hadamard", version: SCHEMA_VERSION,
      d: inst.d, r: inst.r, k: inst.k, m: inst.m, lossScale: inst.lossScale, seed: inst.seed,
      truth: Array.from(inst.truth), A: matrixToJSON(inst.A), b: Array.from(inst.b),
    };
  },
  fromJSON(json) {
    const fn = `${NAME}.fromJSON`;
    const o = readHeader(fn, json, "flatlab.hadamard");
    const d = readNumber(fn, o, "d", true, 1), r = readNumber(fn, o, "r", true, 1), k = readNumber(fn, o, "k", true, 1);
    if (r > d) fail(fn, "json.r", `an integer in [1, ${d}]`, r);
    const lossScale = readNumber(fn, o, "lossScale", false, 0);
    if (lossScale === 0) fail(fn, "json.lossScale", "a finite number > 0", 0);
    const seed = readSeed(fn, o);
    const truth = readVector(fn, o, "truth", d), A = readMatrix(fn, o, "A", undefined, d), b = readVector(fn, o, "b", A.rows);
    checkCount(fn, o, "m", A.rows);
    return { problem: "hadamard", d, r, k, m: A.rows, lossScale, seed, truth, A, b };
  },
};

/** Balanced Hadamard factors of x: v_1 = sign(x)|x|^{1/k}, v_j = |x|^{1/k} (Section 9 [D]). */
export function balancedHadamardFactors(x: ArrayLike<number>, k: number): Matrix[] {
  checkInteger("balancedHadamardFactors", "k", k, 1);
  return Array.from({ length: k }, (_, j) => column(Float64Array.from(x, (xl) => (j === 0 ? Math.sign(xl) : 1) * Math.abs(xl) ** (1 / k))));
}
