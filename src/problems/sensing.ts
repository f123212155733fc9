/**
 * Matrix sensing with the Gaussian ensemble (Section 4, Definition 4.1 [P]): A_i ∈ R^{d1×d2} with
 * i.i.d. N(0, 1) entries, not symmetrized; rectangular factors L ∈ R^{d1×k}, R ∈ R^{d2×k};
 * f(L, R) = (1/m)‖A(LRᵀ) − b‖² (Section 1.1 [R]); b = A(M♮), noiseless (Section 1.1 [P]).
 * Ground truth: rank r, unit Frobenius norm, M = GHᵀ/‖GHᵀ‖_F (our choice [NF], see truth.ts).
 * Seeds: the truth from deriveSeed(seed, 0), the ensemble from deriveSeed(seed, 1).
 */
import { checkMemory } from "../util/memory.js";
import type { Matrix } from "../linalg/matrix.js";
import { deriveSeed } from "../random/rng.js";
import { checkInteger } from "../util/validate.js";
import { type FactorizedOptions, checkCommon, checkCount, checkObservations, factorizedProblem, type FactorizedInstance } from "./factorized.js";
import { gaussianOperator, sampleGaussianOperator } from "./operators.js";
import { matrixToJSON, readMatrix } from "./json.js";
import { lowRankTruth } from "./truth.js";

export interface SensingInstance extends FactorizedInstance {
  readonly problem: "sensing";
  readonly m: number;
  /** m×(d1·d2), row i = vec(A_i) row-major. */
  readonly rows: Matrix;
}

export interface SensingOptions extends FactorizedOptions {
  readonly m: number;
}

export const sensingProblem = factorizedProblem<SensingInstance, SensingOptions>({
  name: "sensing",
  generate(options) {
    const fn = "sensingProblem.generate";
    const { d1, d2, r, k, seed, truthSeed, lossScale } = checkCommon(fn, options);
    const m = checkInteger(fn, "m", options.m, 1);
    checkMemory(fn, { d1, d2, m }, "the d1×d2 truth and m Gaussian d1×d2 measurement matrices", 8 * d1 * d2 * (m + 1));
    const truth = lowRankTruth(fn, d1, d2, r, truthSeed);
    const A = sampleGaussianOperator({ d1, d2, m, seed: deriveSeed(seed, 1) });
    return { problem: "sensing", d1, d2, r, k, m, lossScale: lossScale ?? 1 / m, seed, truth, rows: A.rows, b: A.apply(truth) };
  },
  operator: (inst) => gaussianOperator(inst.d1, inst.d2, inst.rows),
  dataToJSON: (inst) => ({ m: inst.m, rows: matrixToJSON(inst.rows) }),
  fromJSON(fn, common, o) {
    const rows = readMatrix(fn, o, "rows", undefined, common.d1 * common.d2);
    checkObservations(fn, common.b, rows.rows);
    checkCount(fn, o, "m", rows.rows);
    return { ...common, problem: "sensing", m: rows.rows, rows };
  },
});
