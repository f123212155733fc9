/**
 * Quadratic-activation network and covariance estimation (Section 7 [P]).
 *
 * Teacher y(x) = xᵀ M♮ x with M♮ = U1♮U1♮ᵀ − U2♮U2♮ᵀ (r1 positive, r2 negative directions); data
 * x_i ~ N(0, I_d), y_i = ⟨x_i x_iᵀ, M♮⟩, so A_i = x_i x_iᵀ. Student ŷ(U, x) = xᵀ(U1U1ᵀ − U2U2ᵀ)x with
 * U = [U1, U2] ∈ R^{d×(k1+k2)} and fixed output weights s = (+1 on k1 columns, −1 on k2).
 * Loss f(U) = κ Σ_i (ŷ(U, x_i) − y_i)², κ = 1/m (normalization [I]). r2 = k2 = 0 is covariance
 * estimation (Chen, Chi and Goldsmith 2015), r1 = k1 = 1, r2 = 0 is phase retrieval [P].
 *
 * Closed forms [D], with P = XU (rows x_iᵀU), residual ρ_i = ŷ_i − y_i, S = diag(s):
 * - ∇f = 4κ Σ_i ρ_i x_i x_iᵀ U S;
 * - D²f[Δ] = 2κ Σ_i (4 (x_iᵀ U S Δᵀ x_i)² + 2 ρ_i x_iᵀ Δ S Δᵀ x_i);
 * - tr D²f = 8(‖DU1‖² + ‖DU2‖²) + 4κ(k1 − k2) Σ_i ρ_i ‖x_i‖², D² = κ Σ_i ‖x_i‖² x_i x_iᵀ; on the
 *   minimizer set the second term vanishes (Section 7's 8(‖DU1‖² + ‖DU2‖²) [D]). The paper's flatness
 *   measure here is the plain trace [P]. `rescaling` returns this D (D1 = D2 = D); the general
 *   rescalingMatrices(operator) of Section 3 gives D/√d, the same up to the scalar 1/d.
 *
 * Ground truth (our choice [NF]; the paper's sign pattern is not given): U1♮, U2♮ Gaussian, then
 * both scaled so ‖M♮‖_F = 1. Seeds: truth deriveSeed(seed, 0), data deriveSeed(seed, 1).
 */
import { checkMemory } from "../util/memory.js";
import { type Matrix, matmul, matmulTN, zeros } from "../linalg/matrix.js";
import { eigh } from "../linalg/eigh.js";
import { sqrtmPsd } from "../linalg/sqrtm.js";
import * as tf from "@tensorflow/tfjs";
import { deriveSeed } from "../random/rng.js";
import { checkInteger, checkNumber, fail } from "../util/validate.js";
import { quadraticOperator, sampleQuadraticOperator, type QuadraticOperator } from "./operators.js";
import { checkFactors, residualSmall, type Problem, type TfLoss } from "./problem.js";
import { makeTfLoss, tfMatrix } from "./tf-loss.js";
import { RANK_RTOL, indefiniteTruth } from "./truth.js";
import { matrixToJSON, readHeader, readMatrix, readNumber, readSeed, readVector, SCHEMA_VERSION } from "./json.js";
import { checkCount, truthSeedOf } from "./factorized.js";

export interface QuadraticNetInstance {
  readonly problem: "quadratic-net";
  readonly d: number;
  /** Positive and negative ranks of M♮. */
  readonly r1: number;
  readonly r2: number;
  /** Student widths: k1 columns with output weight +1, k2 with −1. */
  readonly k1: number;
  readonly k2: number;
  readonly m: number;
  readonly lossScale: number;
  readonly seed: number | null;
  /** M♮ = U1♮U1♮ᵀ − U2♮U2♮ᵀ, d×d, ‖M♮‖_F = 1. */
  readonly truth: Matrix;
  /** m×d, row i = x_iᵀ. */
  readonly x: Matrix;
  /** y_i = x_iᵀ M♮ x_i. */
  readonly y: Float64Array;
}

export interface QuadraticNetOptions {
  readonly d: number;
  readonly r1: number;
  /** Default 0 (covariance estimation). */
  readonly r2?: number;
  /** Default r1. */
  readonly k1?: number;
  /** Default r2. */
  readonly k2?: number;
  readonly m: number;
  readonly seed: number;
  /** Seed of M♮ alone (default deriveSeed(seed, 0)): trials of one grid cell share it (Section 8). */
  readonly truthSeed?: number;
  readonly lossScale?: number;
}

const NAME = "quadraticNetProblem";

interface Cache { A: QuadraticOperator; D?: Matrix; sqNorms?: Float64Array }
const cache = new WeakMap<QuadraticNetInstance, Cache>();
function cached(inst: QuadraticNetInstance): Cache {
  let c = cache.get(inst);
  if (c === undefined) { c = { A: quadraticOperator(inst.x) }; cache.set(inst, c); }
  return c;
}

function signs(inst: QuadraticNetInstance): Float64Array {
  const s = new Float64Array(inst.k1 + inst.k2);
  for (let j = 0; j < s.length; j++) s[j] = j < inst.k1 ? 1 : -1;
  return s;
}

function factorOf(fn: string, inst: QuadraticNetInstance, f: unknown, arg = "factors"): Matrix {
  return checkFactors(`${NAME}.${fn}`, arg, f, [[inst.d, inst.k1 + inst.k2]])[0];
}

/** P = XU and the residuals ρ_i = Σ_j s_j P_ij² − y_i. */
function forward(inst: QuadraticNetInstance, U: Matrix): { P: Matrix; rho: Float64Array } {
  const P = matmul(inst.x, U), k = U.cols, s = signs(inst), rho = new Float64Array(inst.m);
  for (let i = 0; i < inst.m; i++) {
    let yhat = 0;
    for (let j = 0; j < k; j++) yhat += s[j] * P.data[i * k + j] ** 2;
    rho[i] = yhat - inst.y[i];
  }
  return { P, rho };
}

function squaredNorms(inst: QuadraticNetInstance): Float64Array {
  const c = cached(inst);
  if (c.sqNorms === undefined) {
    const out = new Float64Array(inst.m);
    for (let i = 0; i < inst.m; i++) for (let p = 0; p < inst.d; p++) out[i] += inst.x.data[i * inst.d + p] ** 2;
    c.sqNorms = out;
  }
  return c.sqNorms;
}

/** D = (κ Σ_i ‖x_i‖² x_i x_iᵀ)^{1/2} of Section 7 [D]. */
export function quadraticNetRescaling(inst: QuadraticNetInstance): Matrix {
  const c = cached(inst);
  if (c.D === undefined) {
    const w = squaredNorms(inst), d = inst.d, wx = new Float64Array(inst.x.data.length);
    for (let i = 0; i < inst.m; i++) for (let p = 0; p < d; p++) wx[i * d + p] = inst.lossScale * w[i] * inst.x.data[i * d + p];
    c.D = sqrtmPsd(matmulTN(inst.x, { rows: inst.m, cols: d, data: wx }));
  }
  return c.D;
}

function diagonalSum(inst: QuadraticNetInstance, U: Matrix): number {
  const { P, rho } = forward(inst, U), w = squaredNorms(inst), k = U.cols;
  let quad = 0, res = 0;
  for (let i = 0; i < inst.m; i++) {
    let pn = 0;
    for (let j = 0; j < k; j++) pn += P.data[i * k + j] ** 2;
    quad += w[i] * pn;
    res += rho[i] * w[i];
  }
  return 8 * inst.lossScale * quad + 4 * inst.lossScale * (inst.k1 - inst.k2) * res;
}

function build(fn: string, o: Omit<QuadraticNetInstance, "problem">): QuadraticNetInstance {
  const inst: QuadraticNetInstance = { problem: "quadratic-net", ...o };
  const { positive, negative } = inertia(inst.truth);
  if (inst.k1 < positive) fail(fn, "k1", `an integer ≥ the number of positive eigenvalues of M♮ = ${positive}`, inst.k1);
  if (inst.k2 < negative) fail(fn, "k2", `an integer ≥ the number of negative eigenvalues of M♮ = ${negative}`, inst.k2);
  return inst;
}

function inertia(M: Matrix): { positive: number; negative: number; values: Float64Array; vectors: Matrix } {
  const { values, vectors } = eigh(M);
  let top = 0;
  for (const v of values) top = Math.max(top, Math.abs(v));
  let positive = 0, negative = 0;
  for (const v of values) { if (v > RANK_RTOL * top) positive++; else if (v < -RANK_RTOL * top) negative++; }
  return { positive, negative, values, vectors };
}

export const quadraticNetProblem: Problem<QuadraticNetInstance, QuadraticNetOptions> & {
  operator(inst: QuadraticNetInstance): QuadraticOperator;
} = {
  name: "quadratic-net",
  schema: "flatlab.quadratic-net",
  flatnessMeasure: "trace",
  generate(options) {
    const fn = `${NAME}.generate`;
    if (typeof options !== "object" || options === null) fail(fn, "options", "an object", options, TypeError);
    const d = checkInteger(fn, "d", options.d, 1);
    const r1 = checkInteger(fn, "r1", options.r1, 0, d);
    const r2 = options.r2 === undefined ? 0 : checkInteger(fn, "r2", options.r2, 0, d - r1);
    if (r1 + r2 < 1) fail(fn, "r1 + r2", "≥ 1", r1 + r2);
    const k1 = options.k1 === undefined ? r1 : checkInteger(fn, "k1", options.k1, r1);
    const k2 = options.k2 === undefined ? r2 : checkInteger(fn, "k2", options.k2, r2);
    const m = checkInteger(fn, "m", options.m, 1);
    const seed = checkInteger(fn, "seed", options.seed, 0, 2 ** 32 - 1);
    const lossScale = options.lossScale === undefined ? 1 / m : checkNumber(fn, "lossScale", options.lossScale, { min: 0, minExclusive: true });
    checkMemory(fn, { d, m }, "the d×d truth and m Gaussian vectors of length d", 8 * (d * d + m * d));
    const truth = indefiniteTruth(d, r1, r2, truthSeedOf(fn, options.truthSeed, seed));
    const A = sampleQuadraticOperator({ d, m, seed: deriveSeed(seed, 1) });
    return build(fn, { d, r1, r2, k1, k2, m, lossScale, seed, truth, x: A.x, y: A.apply(truth) });
  },
  operator: (inst) => cached(inst).A,
  loss(inst, f) {
    const { rho } = forward(inst, factorOf("loss", inst, f));
    return inst.lossScale * dot1(rho, rho);
  },
  gradient(inst, f) {
    const U = factorOf("gradient", inst, f);
    const { P, rho } = forward(inst, U), s = signs(inst), k = U.cols;
    // 4κ Xᵀ diag(ρ) P S.
    const W = new Float64Array(P.data.length);
    for (let i = 0; i < inst.m; i++) for (let j = 0; j < k; j++) W[i * k + j] = 4 * inst.lossScale * rho[i] * s[j] * P.data[i * k + j];
    return [matmulTN(inst.x, { rows: inst.m, cols: k, data: W })];
  },
  hessianForm(inst, f, direction) {
    const U = factorOf("hessianForm", inst, f), V = factorOf("hessianForm", inst, direction, "direction");
    const { P, rho } = forward(inst, U), Q = matmul(inst.x, V), s = signs(inst), k = U.cols;
    let total = 0;
    for (let i = 0; i < inst.m; i++) {
      let first = 0, second = 0;
      for (let j = 0; j < k; j++) {
        first += s[j] * P.data[i * k + j] * Q.data[i * k + j];
        second += s[j] * Q.data[i * k + j] ** 2;
      }
      total += 4 * first * first + 2 * rho[i] * second;
    }
    return 2 * inst.lossScale * total;
  },
  hessianTrace: (inst, f) => diagonalSum(inst, factorOf("hessianTrace", inst, f)),
  scaledHessianTrace: (inst, f) => diagonalSum(inst, factorOf("scaledHessianTrace", inst, f)) / inst.d,
  scaledTraceWeights: (inst) => [1 / inst.d],
  rescaling(inst) {
    const D = quadraticNetRescaling(inst);
    return { D1: D, D2: D };
  },
  isMinimizer(inst, f, tol = 1e-8) {
    const { rho } = forward(inst, factorOf("isMinimizer", inst, f));
    checkNumber(`${NAME}.isMinimizer`, "tol", tol, { min: 0 });
    return residualSmall(Math.sqrt(dot1(rho, rho)), Math.sqrt(dot1(inst.y, inst.y)), tol);
  },
  minimizer(inst) {
    // U1 = V₊√λ₊, U2 = V₋√|λ₋| from M♮'s eigendecomposition, zero-padded to k1 and k2 columns.
    const { values, vectors } = inertia(inst.truth), d = inst.d, k = inst.k1 + inst.k2;
    const U = zeros(d, k);
    let top = 0;
    for (const v of values) top = Math.max(top, Math.abs(v));
    let pos = 0, neg = 0;
    for (let e = d - 1; e >= 0; e--) {
      const v = values[e];
      if (Math.abs(v) <= RANK_RTOL * top) continue;
      const col = v > 0 ? pos++ : inst.k1 + neg++;
      for (let p = 0; p < d; p++) U.data[p * k + col] = vectors.data[p * d + e] * Math.sqrt(Math.abs(v));
    }
    return [U];
  },
  tfLoss(inst): TfLoss {
    const X = tfMatrix(inst.x), y = tf.tensor1d(Float32Array.from(inst.y)), s = tf.tensor1d(Float32Array.from(signs(inst)));
    return makeTfLoss(`${NAME}.tfLoss`, [[inst.d, inst.k1 + inst.k2]], [X, y, s], ([U]) => {
      const yhat = tf.sum(tf.mul(tf.square(tf.matMul(X, U)), s), 1);
      return tf.mul(inst.lossScale, tf.sum(tf.square(tf.sub(yhat, y)))) as tf.Scalar;
    });
  },
  toJSON(inst) {
    return {
      schema: "flatlab.quadratic-net", version: SCHEMA_VERSION,
      d: inst.d, r1: inst.r1, r2: inst.r2, k1: inst.k1, k2: inst.k2, m: inst.m, lossScale: inst.lossScale, seed: inst.seed,
      truth: matrixToJSON(inst.truth), x: matrixToJSON(inst.x), y: Array.from(inst.y),
    };
  },
  fromJSON(json) {
    const fn = `${NAME}.fromJSON`;
    const o = readHeader(fn, json, "flatlab.quadratic-net");
    const d = readNumber(fn, o, "d", true, 1);
    const r1 = readNumber(fn, o, "r1", true, 0), r2 = readNumber(fn, o, "r2", true, 0);
    const k1 = readNumber(fn, o, "k1", true, 0), k2 = readNumber(fn, o, "k2", true, 0);
    const lossScale = readNumber(fn, o, "lossScale", false, 0);
    if (lossScale === 0) fail(fn, "json.lossScale", "a finite number > 0", 0);
    const seed = readSeed(fn, o);
    const truth = readMatrix(fn, o, "truth", d, d), x = readMatrix(fn, o, "x", undefined, d);
    const y = readVector(fn, o, "y", x.rows);
    checkCount(fn, o, "m", x.rows);
    return build(fn, { d, r1, r2, k1, k2, m: x.rows, lossScale, seed, truth, x, y });
  },
};

/** Covariance estimation (Section 7, r2 = k2 = 0 [P]): a quadratic network with only positive weights. */
export function covarianceEstimation(options: Omit<QuadraticNetOptions, "r2" | "k2">): QuadraticNetInstance {
  return quadraticNetProblem.generate({ ...options, r2: 0, k2: 0 });
}

function dot1(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}


