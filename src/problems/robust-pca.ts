/**
 * Robust PCA (Section 6 [P]): Y = M♮ + S♮ with rank M♮ = r and at most l nonzeros in every row and
 * every column of S♮. The loss is the squared distance to the ℓ1 ball Ω of radius ‖S♮‖_{1,1}
 * (eq. (50) [R]):
 *
 *     f(L, R) = κ·dist²_Ω(Y − LRᵀ),   κ = 1 by default (the paper's display has no normalization [R]).
 *
 * f is C¹ but not C² [P], so flatness is measured on the C² local model at a base point (L̃, R̃)
 * (Ha et al. 2020 §4.2; Ge et al. 2017 §4.3 [R]):
 *
 *     f_{L̃,R̃}(L, R) = κ‖Y − LRᵀ − P_Ω(Y − L̃R̃ᵀ)‖²_F = κ‖LRᵀ − T‖²,  T = Y − P_Ω(Y − L̃R̃ᵀ),
 *
 * the identity-map problem with target T. `hessianForm`, `hessianTrace` and `scaledHessianTrace`
 * are those of the local model based at the point itself: str = 2κ(‖L‖² + ‖R‖²) [D], at any point.
 *
 * Our choices [NF]: M♮ as in truth.ts; the support of S♮ is a random "band" {(i, j) :
 * (a(i) − b(j)) mod n < l} with random injections a, b into Z_n, n = max(d1, d2), so each row and
 * each column has at most l nonzeros (exactly l when d1 = d2); magnitudes ±s·(1 + u), u ~ U[0, 1),
 * with s = max|M♮_ij| by default. Seeds: truth deriveSeed(seed, 0), corruptions deriveSeed(seed, 1).
 */
import { checkMemory } from "../util/memory.js";
import { type Matrix, matmul, matmulNT, matmulTN, add, sub, dot, frobeniusNorm, scale, zeros, identity } from "../linalg/matrix.js";
import { createRng, deriveSeed } from "../random/rng.js";
import { checkInteger, checkNumber, fail } from "../util/validate.js";
import { checkCommon } from "./factorized.js";
import { identityOperator } from "./operators.js";
import { projectL1Ball } from "./l1-ball.js";
import { checkFactors, residualSmall, type Problem, type TfLoss } from "./problem.js";
import { tfFactorizedLoss } from "./tf-loss.js";
import { balancedFactors, lowRankTruth } from "./truth.js";
import { matrixToJSON, readHeader, readMatrix, readNumber, readSeed, SCHEMA_VERSION } from "./json.js";

export interface RobustPcaInstance {
  readonly problem: "robust-pca";
  readonly d1: number;
  readonly d2: number;
  readonly r: number;
  readonly k: number;
  /** Degree bound: at most l nonzeros in each row and column of S♮. */
  readonly l: number;
  readonly lossScale: number;
  readonly seed: number | null;
  readonly truth: Matrix;
  /** S♮. */
  readonly sparse: Matrix;
  /** Y = M♮ + S♮. */
  readonly observed: Matrix;
  /** Radius of Ω: ‖S♮‖_{1,1}. */
  readonly radius: number;
}

export interface RobustPcaOptions {
  readonly d1: number;
  readonly d2: number;
  readonly r: number;
  /** At most l corruptions per row and column, in [0, min(d1, d2)]. */
  readonly l: number;
  readonly k?: number;
  readonly seed: number;
  /** Corruption scale s (default max|M♮_ij|). */
  readonly corruptionScale?: number;
  readonly lossScale?: number;
}

/** The C² local model at a base point: its target T and the identity-map formulas with that target. */
export interface RobustPcaLocalModel {
  readonly target: Matrix;
  loss(factors: readonly Matrix[]): number;
  gradient(factors: readonly Matrix[]): Matrix[];
  hessianForm(factors: readonly Matrix[], direction: readonly Matrix[]): number;
}

const NAME = "robustPcaProblem";

/** Y − LRᵀ minus its projection onto Ω: the residual whose squared norm is dist²_Ω. */
function excess(inst: RobustPcaInstance, L: Matrix, R: Matrix): Matrix {
  const Z = sub(inst.observed, matmulNT(L, R));
  const P = projectL1Ball(Z.data, inst.radius).projection;
  for (let t = 0; t < P.length; t++) Z.data[t] -= P[t];
  return Z;
}

function factorsOf(fn: string, inst: RobustPcaInstance, f: unknown, arg = "factors"): [Matrix, Matrix] {
  return checkFactors(`${NAME}.${fn}`, arg, f, [[inst.d1, inst.k], [inst.d2, inst.k]]) as [Matrix, Matrix];
}

/** The local model f_{L̃,R̃} of Section 6 at the base point `base`. */
export function robustPcaLocalModel(inst: RobustPcaInstance, base: readonly Matrix[]): RobustPcaLocalModel {
  const [Lb, Rb] = factorsOf("localModel", inst, base, "base");
  const Zb = sub(inst.observed, matmulNT(Lb, Rb));
  const Pb = projectL1Ball(Zb.data, inst.radius).projection;
  const target = sub(inst.observed, { rows: inst.d1, cols: inst.d2, data: Pb });
  const kappa = inst.lossScale;
  const res = (L: Matrix, R: Matrix) => sub(matmulNT(L, R), target);
  return {
    target,
    loss(f) {
      const [L, R] = factorsOf("localModel.loss", inst, f);
      return kappa * frobeniusNorm(res(L, R)) ** 2;
    },
    gradient(f) {
      const [L, R] = factorsOf("localModel.gradient", inst, f);
      const E = res(L, R);
      return [scale(matmul(E, R), 2 * kappa), scale(matmulTN(E, L), 2 * kappa)];
    },
    hessianForm(f, d) {
      const [L, R] = factorsOf("localModel.hessianForm", inst, f);
      const [dL, dR] = factorsOf("localModel.hessianForm", inst, d, "direction");
      return 4 * kappa * dot(res(L, R), matmulNT(dL, dR)) + 2 * kappa * frobeniusNorm(add(matmulNT(dL, R), matmulNT(L, dR))) ** 2;
    },
  };
}

/** A sparse S with at most l nonzeros per row and column (our construction, see the file comment). */
export function sparseCorruption(d1: number, d2: number, l: number, magnitude: number, seed: number): Matrix {
  const fn = "sparseCorruption";
  checkInteger(fn, "d1", d1, 1);
  checkInteger(fn, "d2", d2, 1);
  checkInteger(fn, "l", l, 0, Math.min(d1, d2));
  checkNumber(fn, "magnitude", magnitude, { min: 0, minExclusive: true });
  checkInteger(fn, "seed", seed, 0, 2 ** 32 - 1);
  checkMemory(fn, { d1, d2 }, "the d1×d2 corruption", 8 * d1 * d2);
  const n = Math.max(d1, d2), rng = createRng(seed);
  const a = permutation(rng, n).slice(0, d1), b = permutation(rng, n).slice(0, d2);
  const S = zeros(d1, d2);
  for (let i = 0; i < d1; i++) {
    for (let j = 0; j < d2; j++) {
      if ((((a[i] - b[j]) % n) + n) % n < l) S.data[i * d2 + j] = (rng.uniform() < 0.5 ? -1 : 1) * magnitude * (1 + rng.uniform());
    }
  }
  return S;
}

function permutation(rng: ReturnType<typeof createRng>, n: number): number[] {
  const p = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [p[i], p[j]] = [p[j], p[i]];
  }
  return p;
}

function build(common: Omit<RobustPcaInstance, "observed" | "radius" | "problem">): RobustPcaInstance {
  let radius = 0;
  for (const v of common.sparse.data) radius += Math.abs(v);
  return { problem: "robust-pca", ...common, observed: add(common.truth, common.sparse), radius };
}

function checkDegree(fn: string, arg: string, S: Matrix, l: number): void {
  for (let i = 0; i < S.rows; i++) {
    let c = 0;
    for (let j = 0; j < S.cols; j++) if (S.data[i * S.cols + j] !== 0) c++;
    if (c > l) fail(fn, arg, `a matrix with at most l = ${l} nonzeros per row`, `${c} nonzeros in row ${i}`);
  }
  for (let j = 0; j < S.cols; j++) {
    let c = 0;
    for (let i = 0; i < S.rows; i++) if (S.data[i * S.cols + j] !== 0) c++;
    if (c > l) fail(fn, arg, `a matrix with at most l = ${l} nonzeros per column`, `${c} nonzeros in column ${j}`);
  }
}

export const robustPcaProblem: Problem<RobustPcaInstance, RobustPcaOptions> & {
  localModel: typeof robustPcaLocalModel;
} = {
  name: "robust-pca",
  schema: "flatlab.robust-pca",
  flatnessMeasure: "scaled-trace",
  localModel: robustPcaLocalModel,
  generate(options) {
    const fn = `${NAME}.generate`;
    const { d1, d2, r, k, seed, lossScale } = checkCommon(fn, options);
    // More than min(d1, d2) corruptions per row/column would exceed the entries of a column or row.
    const l = checkInteger(fn, "l", options.l, 0, Math.min(d1, d2));
    checkMemory(fn, { d1, d2 }, "the d1×d2 truth, corruption and observation", 24 * d1 * d2);
    const truth = lowRankTruth(fn, d1, d2, r, deriveSeed(seed, 0));
    let maxAbs = 0;
    for (const v of truth.data) maxAbs = Math.max(maxAbs, Math.abs(v));
    const magnitude = options.corruptionScale === undefined ? maxAbs : checkNumber(fn, "corruptionScale", options.corruptionScale, { min: 0, minExclusive: true });
    const sparse = sparseCorruption(d1, d2, l, magnitude, deriveSeed(seed, 1));
    return build({ d1, d2, r, k, l, lossScale: lossScale ?? 1, seed, truth, sparse });
  },
  loss(inst, f) {
    const [L, R] = factorsOf("loss", inst, f);
    return inst.lossScale * frobeniusNorm(excess(inst, L, R)) ** 2;
  },
  gradient(inst, f) {
    // ∇ dist²_Ω(Z) = 2(Z − P_Ω(Z)) and Z = Y − LRᵀ; equal to the local model's gradient at its base.
    const [L, R] = factorsOf("gradient", inst, f);
    const E = excess(inst, L, R), c = -2 * inst.lossScale;
    return [scale(matmul(E, R), c), scale(matmulTN(E, L), c)];
  },
  hessianForm(inst, f, direction) {
    return robustPcaLocalModel(inst, factorsOf("hessianForm", inst, f)).hessianForm(f, direction);
  },
  hessianTrace(inst, f) {
    // Lemma 2.1 on the local model: L-block entries 2κ‖R_j‖², R-block entries 2κ‖L_j‖².
    const [L, R] = factorsOf("hessianTrace", inst, f);
    return 2 * inst.lossScale * (inst.d1 * frobeniusNorm(R) ** 2 + inst.d2 * frobeniusNorm(L) ** 2);
  },
  scaledHessianTrace(inst, f) {
    const [L, R] = factorsOf("scaledHessianTrace", inst, f);
    return 2 * inst.lossScale * (frobeniusNorm(L) ** 2 + frobeniusNorm(R) ** 2);
  },
  scaledTraceWeights: (inst) => [1 / inst.d1, 1 / inst.d2],
  rescaling(inst) {
    // str = 2‖D1L‖² + 2‖D2R‖² with D1 = √κ I, D2 = √κ I.
    const s = Math.sqrt(inst.lossScale);
    return { D1: scale(identity(inst.d1), s), D2: scale(identity(inst.d2), s) };
  },
  isMinimizer(inst, f, tol = 1e-8) {
    const [L, R] = factorsOf("isMinimizer", inst, f);
    checkNumber(`${NAME}.isMinimizer`, "tol", tol, { min: 0 });
    return residualSmall(frobeniusNorm(excess(inst, L, R)), frobeniusNorm(inst.observed), tol);
  },
  minimizer: (inst) => balancedFactors(`${NAME}.minimizer`, inst.truth, inst.k),
  tfLoss(inst, base): TfLoss {
    if (base === undefined) {
      fail(`${NAME}.tfLoss`, "base", "a list [L, R] (the base point of the C² local model; dist²_Ω itself is not C², Section 6)", base, TypeError);
    }
    const { target } = robustPcaLocalModel(inst, base);
    return tfFactorizedLoss(`${NAME}.tfLoss`, identityOperator(inst.d1, inst.d2), target.data, inst.lossScale, inst.k);
  },
  toJSON(inst) {
    return {
      schema: "flatlab.robust-pca", version: SCHEMA_VERSION,
      d1: inst.d1, d2: inst.d2, r: inst.r, k: inst.k, l: inst.l, lossScale: inst.lossScale, seed: inst.seed,
      truth: matrixToJSON(inst.truth), sparse: matrixToJSON(inst.sparse),
    };
  },
  fromJSON(json) {
    const fn = `${NAME}.fromJSON`;
    const o = readHeader(fn, json, "flatlab.robust-pca");
    const d1 = readNumber(fn, o, "d1", true, 1), d2 = readNumber(fn, o, "d2", true, 1);
    const r = readNumber(fn, o, "r", true, 1), k = readNumber(fn, o, "k", true, 1), l = readNumber(fn, o, "l", true, 0);
    if (r > Math.min(d1, d2)) fail(fn, "json.r", `an integer in [1, ${Math.min(d1, d2)}]`, r);
    if (k < r) fail(fn, "json.k", `an integer ≥ r = ${r}`, k);
    if (l > Math.min(d1, d2)) fail(fn, "json.l", `an integer in [0, ${Math.min(d1, d2)}]`, l);
    const lossScale = readNumber(fn, o, "lossScale", false, 0);
    if (lossScale === 0) fail(fn, "json.lossScale", "a finite number > 0", 0);
    const seed = readSeed(fn, o);
    const truth = readMatrix(fn, o, "truth", d1, d2), sparse = readMatrix(fn, o, "sparse", d1, d2);
    checkDegree(fn, "json.sparse", sparse, l);
    return build({ d1, d2, r, k, l, lossScale, seed, truth, sparse });
  },
};
