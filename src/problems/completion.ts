/**
 * Matrix completion (Section 5 [P]): ξ_ij i.i.d. Bernoulli(p) on d1×d2, A_k = e_i e_jᵀ over the
 * observed set Ω (m = |Ω|, row-major order), f(L, R) = (1/m) Σ_Ω ((LRᵀ)_ij − M_ij)².
 * The paper's scaling of A (a 1/√p factor?) and its "m" are [NF]; our choice is the plain mask and
 * κ = 1/|Ω|. Neither changes which minimizer is flattest (Section 3 of the notes).
 * Closed forms [D]: tr D²f = 2κ(Σ_i n_i ‖ℓ_i‖² + Σ_j c_j ‖r_j‖²) with row counts n_i, column
 * counts c_j (at every point; see factorized.ts), D1 = diag(√(κ n_i/d2)), D2 = diag(√(κ c_j/d1)).
 * Seeds: truth deriveSeed(seed, 0), mask deriveSeed(seed, 1).
 */
import { checkMemory } from "../util/memory.js";
import { deriveSeed } from "../random/rng.js";
import { fail } from "../util/validate.js";
import { type FactorizedOptions, checkCommon, checkCount, checkObservations, factorizedProblem, type FactorizedInstance } from "./factorized.js";
import { checkProbability, completionOperator, sampleCompletionOperator } from "./operators.js";
import { readIndices, readNumber } from "./json.js";
import { lowRankTruth } from "./truth.js";

export interface CompletionInstance extends FactorizedInstance {
  readonly problem: "completion";
  /** Sampling probability of the mask. */
  readonly p: number;
  /** Number of observed entries |Ω|. */
  readonly m: number;
  readonly rowIndex: Int32Array;
  readonly colIndex: Int32Array;
}

export interface CompletionOptions extends FactorizedOptions {
  /** Bernoulli probability, in (0, 1]. */
  readonly p: number;
}

export const completionProblem = factorizedProblem<CompletionInstance, CompletionOptions>({
  name: "completion",
  generate(options) {
    const fn = "completionProblem.generate";
    const { d1, d2, r, k, seed, truthSeed, lossScale } = checkCommon(fn, options);
    const p = checkProbability(fn, "p", options.p);
    checkMemory(fn, { d1, d2 }, "the d1×d2 truth and the indices of the observed entries", 8 * d1 * d2 * (1 + 3 * p));
    const truth = lowRankTruth(fn, d1, d2, r, truthSeed);
    const A = sampleCompletionOperator({ d1, d2, p, seed: deriveSeed(seed, 1) });
    return {
      problem: "completion", d1, d2, r, k, p, m: A.m, lossScale: lossScale ?? 1 / A.m, seed, truth,
      rowIndex: A.rowIndex, colIndex: A.colIndex, b: A.apply(truth),
    };
  },
  operator: (inst) => completionOperator(inst.d1, inst.d2, inst.rowIndex, inst.colIndex),
  dataToJSON: (inst) => ({ p: inst.p, m: inst.m, rowIndex: Array.from(inst.rowIndex), colIndex: Array.from(inst.colIndex) }),
  fromJSON(fn, common, o) {
    const p = readNumber(fn, o, "p");
    if (!(p > 0 && p <= 1)) fail(fn, "json.p", "a number in (0, 1]", p);
    const rowIndex = readIndices(fn, o, "rowIndex"), colIndex = readIndices(fn, o, "colIndex", rowIndex.length);
    checkObservations(fn, common.b, rowIndex.length);
    checkCount(fn, o, "m", rowIndex.length);
    return { ...common, problem: "completion", p, m: rowIndex.length, rowIndex, colIndex };
  },
});
