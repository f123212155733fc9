/**
 * Bilinear ("rank-one") sensing (Section 4, Definition 4.1 [P]): A_i = a_i b_iᵀ with a_i ∈ R^{d1},
 * b_i ∈ R^{d2} i.i.d. N(0, 1), applied as a_iᵀ X b_i without forming A_i;
 * f(L, R) = (1/m) Σ_i (a_iᵀ L Rᵀ b_i − y_i)² (Section 1.1 [R]). Rescaling in closed form:
 * D1² = (1/(m d2)) Σ ‖b_i‖² a_i a_iᵀ, D2² = (1/(m d1)) Σ ‖a_i‖² b_i b_iᵀ [D] (rescaling.ts).
 * Ground truth as in sensing.ts (our choice [NF]); seeds: truth deriveSeed(seed, 0), ensemble
 * deriveSeed(seed, 1).
 */
import { checkMemory } from "../util/memory.js";
import type { Matrix } from "../linalg/matrix.js";
import { deriveSeed } from "../random/rng.js";
import { checkInteger } from "../util/validate.js";
import { type FactorizedOptions, checkCommon, checkCount, checkObservations, factorizedProblem, type FactorizedInstance } from "./factorized.js";
import { bilinearOperator, sampleBilinearOperator } from "./operators.js";
import { matrixToJSON, readMatrix } from "./json.js";
import { lowRankTruth } from "./truth.js";

export interface BilinearInstance extends FactorizedInstance {
  readonly problem: "bilinear";
  readonly m: number;
  /** m×d1, row i = a_iᵀ. */
  readonly aRows: Matrix;
  /** m×d2, row i = b_iᵀ (the sensing vectors, not the observations b). */
  readonly bRows: Matrix;
}

export interface BilinearOptions extends FactorizedOptions {
  readonly m: number;
}

export const bilinearProblem = factorizedProblem<BilinearInstance, BilinearOptions>({
  name: "bilinear",
  generate(options) {
    const fn = "bilinearProblem.generate";
    const { d1, d2, r, k, seed, truthSeed, lossScale } = checkCommon(fn, options);
    const m = checkInteger(fn, "m", options.m, 1);
    checkMemory(fn, { d1, d2, m }, "the d1×d2 truth and m pairs of Gaussian vectors", 8 * (d1 * d2 + m * (d1 + d2)));
    const truth = lowRankTruth(fn, d1, d2, r, truthSeed);
    const A = sampleBilinearOperator({ d1, d2, m, seed: deriveSeed(seed, 1) });
    return { problem: "bilinear", d1, d2, r, k, m, lossScale: lossScale ?? 1 / m, seed, truth, aRows: A.a, bRows: A.b, b: A.apply(truth) };
  },
  operator: (inst) => bilinearOperator(inst.aRows, inst.bRows),
  dataToJSON: (inst) => ({ m: inst.m, aRows: matrixToJSON(inst.aRows), bRows: matrixToJSON(inst.bRows) }),
  fromJSON(fn, common, o) {
    const aRows = readMatrix(fn, o, "aRows", undefined, common.d1);
    const bRows = readMatrix(fn, o, "bRows", aRows.rows, common.d2);
    checkObservations(fn, common.b, aRows.rows);
    checkCount(fn, o, "m", aRows.rows);
    return { ...common, problem: "bilinear", m: aRows.rows, aRows, bRows };
  },
});
