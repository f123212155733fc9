/**
 * Regularity measures of flat solutions, Figure 4 (Theorem 3.3: flat solutions are nearly
 * norm-minimal and nearly balanced [P]). The paper's exact formulas are not in our copy [NF];
 * these are OUR CHOICE, the defaults of paper-notes §7.4 [I]:
 *
 *   normGap   = |½(‖L_f‖²_F + ‖R_f‖²_F) − ‖X̂_nuc‖_*| / ‖X̂_nuc‖_*
 *               (½(‖L‖² + ‖R‖²) ≥ ‖LRᵀ‖_*, with equality exactly for norm-minimal factors;
 *               ‖X̂_nuc‖_* = min over the minimizer set by the variational form, §1.1);
 *   imbalance = ‖L_fᵀL_f − R_fᵀR_f‖_* / ‖M♮‖_*
 *               (nuclear norm as in eq. (23) [D]; normalized by ‖M♮‖_* as Theorem 3.3's bound
 *               2κ²c(κ)‖M♮‖_* suggests; by ‖X̂_nuc‖_* when ‖M♮‖_* is not given).
 *
 * Figure 4 shows both on a log10 scale; zero is possible only for A = I.
 */
import { type Matrix, matmulTN, frobeniusNorm } from "../linalg/matrix.js";
import { nuclearNorm } from "../linalg/norms.js";
import { checkMatrix, checkNumber } from "../util/validate.js";
import { withTable } from "../util/displayable.js";

export interface RegularityOptions {
  /** ‖M♮‖_*, the normalizer of the imbalance (default: plainObjective). */
  readonly truthNuclearNorm?: number;
}

export interface RegularityMeasures {
  /** |½(‖L_f‖² + ‖R_f‖²) − ‖X̂_nuc‖_*| / ‖X̂_nuc‖_* (our choice; paper's formula [NF]). */
  readonly normGap: number;
  /** ‖L_fᵀL_f − R_fᵀR_f‖_* / normalizer (our choice; paper's formula [NF]). */
  readonly imbalance: number;
  /** ‖L_fᵀL_f − R_fᵀR_f‖_* without normalization. */
  readonly imbalanceRaw: number;
  /** The normalizer used for imbalance: ‖M♮‖_* if given, else ‖X̂_nuc‖_*. */
  readonly imbalanceNormalizer: number;
  readonly imbalanceNormalizedBy: "truth" | "plain";
  /** ½(‖L_f‖² + ‖R_f‖²). */
  readonly halfFactorNorm: number;
  /** ‖X̂_nuc‖_*, the plain nuclear-norm minimum. */
  readonly plainObjective: number;
  /** The formulas, for notebooks and tables (they are our choice, not the paper's). */
  readonly definitions: string;
}

export const REGULARITY_DEFINITIONS =
  "our choice (paper's formulas not found): normGap = |½(‖L_f‖²+‖R_f‖²) − ‖X̂_nuc‖_*| / ‖X̂_nuc‖_*; " +
  "imbalance = ‖L_fᵀL_f − R_fᵀR_f‖_* / ‖M♮‖_* (or / ‖X̂_nuc‖_*)";

/** Both Figure 4 measures for flat factors (L_f, R_f) against the plain optimum ‖X̂_nuc‖_*. */
export function regularityMeasures(L: Matrix, R: Matrix, plainObjective: number, options: RegularityOptions = {}): RegularityMeasures {
  const fn = "regularityMeasures";
  checkMatrix(fn, "L", L);
  checkMatrix(fn, "R", R, undefined, L.cols);
  checkNumber(fn, "plainObjective", plainObjective, { min: 0, minExclusive: true });
  const truth = options.truthNuclearNorm === undefined ? undefined : checkNumber(fn, "options.truthNuclearNorm", options.truthNuclearNorm, { min: 0, minExclusive: true });
  const halfFactorNorm = 0.5 * (frobeniusNorm(L) ** 2 + frobeniusNorm(R) ** 2);
  const ltl = matmulTN(L, L), rtr = matmulTN(R, R);
  for (let i = 0; i < ltl.data.length; i++) ltl.data[i] -= rtr.data[i];
  const imbalanceRaw = nuclearNorm(ltl);
  const normalizer = truth ?? plainObjective;
  const result: RegularityMeasures = {
    normGap: Math.abs(halfFactorNorm - plainObjective) / plainObjective,
    imbalance: imbalanceRaw / normalizer,
    imbalanceRaw,
    imbalanceNormalizer: normalizer,
    imbalanceNormalizedBy: truth === undefined ? "plain" : "truth",
    halfFactorNorm,
    plainObjective,
    definitions: REGULARITY_DEFINITIONS,
  };
  return withTable(result, "regularity of the flat solution (Figure 4; measures are our choice)", (r) => [
    ["norm gap", r.normGap], ["imbalance", r.imbalance], ["½(‖L‖²+‖R‖²)", r.halfFactorNorm], ["‖X̂_nuc‖_*", r.plainObjective],
    ["imbalance normalized by", r.imbalanceNormalizedBy],
  ]);
}
