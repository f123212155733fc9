/**
 * The identity map A = I (Section 2 [P]): f(L, R) = ‖LRᵀ − M♮‖²_F with no 1/m (Section 1.4 [I]; the
 * normalization that gives Lemma 2.1's D²f[e_i e_jᵀ] = 2‖R_j‖²). Closed forms [R]:
 * D²f[ΔL, ΔR] = 4⟨LRᵀ − M♮, ΔLΔRᵀ⟩ + 2‖ΔL Rᵀ + L ΔRᵀ‖²_F, and str D²f = 2‖L‖²_F + 2‖R‖²_F
 * (eq. (13)) at every point; D1 = D2 = I. Norm-minimal, flat and balanced coincide (Lemma 2.2).
 * Ground truth: rank r, unit Frobenius norm, our choice [NF] (truth.ts), from deriveSeed(seed, 0).
 */
import { checkMemory } from "../util/memory.js";
import { type FactorizedOptions, checkCommon, checkObservations, factorizedProblem, type FactorizedInstance } from "./factorized.js";
import { identityOperator } from "./operators.js";
import { lowRankTruth } from "./truth.js";

export interface IdentityInstance extends FactorizedInstance {
  readonly problem: "identity";
}

export interface IdentityOptions extends FactorizedOptions {
}

export const identityProblem = factorizedProblem<IdentityInstance, IdentityOptions>({
  name: "identity",
  generate(options) {
    const fn = "identityProblem.generate";
    const { d1, d2, r, k, seed, truthSeed, lossScale } = checkCommon(fn, options);
    checkMemory(fn, { d1, d2 }, "the d1×d2 truth and its observations", 16 * d1 * d2);
    const truth = lowRankTruth(fn, d1, d2, r, truthSeed);
    return { problem: "identity", d1, d2, r, k, lossScale: lossScale ?? 1, seed, truth, b: truth.data.slice() };
  },
  operator: (inst) => identityOperator(inst.d1, inst.d2),
  dataToJSON: () => ({}),
  fromJSON(fn, common) {
    checkObservations(fn, common.b, common.d1 * common.d2);
    return { ...common, problem: "identity" };
  },
});
