/**
 * One trial of the paper's recovery experiments (Section 8, Figures 3 and 4 [P]): for a grid cell
 * draw one ground truth M♮ (rank r, ‖M♮‖_F = 1), for each trial a fresh measurement ensemble, and
 * solve both programs on the same data:
 *   - flat:  min ‖X‖_* s.t. A(D1⁻¹XD2⁻¹) = b (eq. (20)), estimate D1⁻¹X̂D2⁻¹;
 *   - plain: min ‖X‖_* s.t. A(X) = b (nuclear-norm minimization).
 * Success means ‖estimate − M♮‖_F < 1e-6 [P]. For the flat solution the row also carries the two
 * Figure 4 regularity measures of its factors L_f = D1⁻¹U√Σ, R_f = D2⁻¹V√Σ (formulas our choice,
 * the paper's are [NF]; see src/solvers/regularity.ts); a cell whose D1 or D2 is singular is
 * reported as skipped for the flat program, as the paper skips it in Figure 4.
 *
 * Ensembles: "gaussian" (Figure 3a), "bilinear" (3b), "completion" (3c, axis p instead of m),
 * "quadratic" (3d: symmetric X, A_i = x_i x_iᵀ, M♮ = U1U1ᵀ − U2U2ᵀ with r1 positive and r2
 * negative directions; the split is [NF], our default r1 = r − 1, r2 = 1 for r ≥ 2), and
 * "covariance" (the quadratic ensemble with r2 = 0, Section 7).
 */
import { type Matrix, frobeniusNorm, matmul, sub } from "../linalg/matrix.js";
import { nuclearNorm, operatorNorm } from "../linalg/norms.js";
import { deriveSeed } from "../random/rng.js";
import { indefiniteTruth, lowRankTruth } from "../problems/truth.js";
import type { MeasurementOperator } from "../problems/operator.js";
import { sampleBilinearOperator, sampleCompletionOperator, sampleGaussianOperator, sampleQuadraticOperator } from "../problems/operators.js";
import { flatRelaxation, flatRescaling, plainRelaxation, type RelaxationResult } from "../solvers/flat-relaxation.js";
import type { IterationInfo } from "../solvers/solver-result.js";
import { recoverFactors } from "../solvers/factor-recovery.js";
import { regularityMeasures } from "../solvers/regularity.js";
import { checkInteger, checkNumber, checkOneOf, fail } from "../util/validate.js";
import { checkKeys } from "./tasks.js";

export const ENSEMBLES = ["gaussian", "bilinear", "completion", "quadratic", "covariance"] as const;
export type Ensemble = (typeof ENSEMBLES)[number];
export const PROGRAMS = ["flat", "plain"] as const;
export type Program = (typeof PROGRAMS)[number];

/** The paper's success threshold on ‖estimate − M♮‖_F with ‖M♮‖_F = 1 (Section 8 [P]). */
export const SUCCESS_TOL = 1e-6;

export interface RecoveryCell {
  readonly ensemble: Ensemble;
  /** d = d1 = d2 (square, as in the paper's experiments). */
  readonly d: number;
  /** Rank of M♮ (the paper: 2, and 3 for the quadratic network). */
  readonly r: number;
  /** Number of measurements (all ensembles but completion). */
  readonly m?: number;
  /** Sampling probability (completion). */
  readonly p?: number;
  /** Negative directions of M♮ for "quadratic" (default 1 when r ≥ 2; our choice [NF]). */
  readonly r2?: number;
}

export interface RecoverySettings {
  /** Seed of the grid: M♮ of a cell comes from deriveSeed(truthSeed, d, m or round(p·1e6), r). */
  readonly truthSeed: number;
  /** Solver tolerance (default 1e-9: relative primal and dual residuals). */
  readonly tol?: number;
  readonly maxIter?: number;
  /** Which programs to run (default both). */
  readonly programs?: readonly Program[];
  /** Compute the Figure 4 regularity measures for the flat solution (default true). */
  readonly regularity?: boolean;
  /**
   * Stop a solve as soon as its failure is certified (default false; see certifiedFailureTest):
   * the same verdicts, far fewer iterations for the failing solves that dominate a grid's cost
   * near the transition. Rows then carry `certifiedFailure`.
   */
  readonly certifyFailures?: boolean;
}

export interface RecoveryRow {
  readonly ensemble: Ensemble;
  readonly d: number;
  readonly r: number;
  readonly m: number;
  readonly p: number | null;
  readonly trial: number;
  readonly seed: number;
  readonly program: Program;
  /**
   * 1 when ‖estimate − M♮‖_F < 1e-6, else 0. A skipped flat program (D1 or D2 singular: a row or
   * column never observed) counts as 0: no program can recover an unobserved row of a generic M♮.
   */
  readonly success: number;
  readonly error: number | null;
  readonly skipped: boolean;
  /**
   * False with skipped false: the solve stopped at the iteration cap (settings.maxIter) and its
   * verdict is the error of the capped iterate; successRates counts these per cell (`capped`).
   */
  readonly converged: boolean;
  readonly iterations: number;
  readonly rank: number;
  readonly timeMs: number;
  /** Figure 4 (flat rows only; null elsewhere or when skipped): our choice of measures, see regularity.ts. */
  readonly normGap: number | null;
  readonly imbalance: number | null;
  /**
   * Only with settings.certifyFailures: true when the solve was stopped because its failure was
   * certified (converged is then false, success 0, and error is that of the stopped iterate).
   */
  readonly certifiedFailure?: boolean;
}

/** The keys of a cell of each ensemble: an axis that does not apply (p on a Gaussian cell) is an error. */
function cellKeys(ensemble: Ensemble): string[] {
  return ["ensemble", "d", "r", ...(ensemble === "completion" ? ["p"] : ["m"]), ...(ensemble === "quadratic" ? ["r2"] : [])];
}

const SETTINGS_KEYS = ["truthSeed", "tol", "maxIter", "programs", "regularity", "certifyFailures"];

/** Validates a cell (names the field, and any key that does not apply) and returns it with m, r2 filled in. */
export function checkRecoveryCell(fn: string, cell: unknown): Required<Omit<RecoveryCell, "p">> & { p: number | null } {
  if (typeof cell !== "object" || cell === null) fail(fn, "cell", "an object {ensemble, d, r, m | p}", cell, TypeError);
  const c = cell as Record<string, unknown>;
  const ensemble = checkOneOf(fn, "cell.ensemble", c.ensemble, ENSEMBLES);
  checkKeys(fn, "cell", c, cellKeys(ensemble), ` for the ${JSON.stringify(ensemble)} ensemble (completion has p instead of m; only quadratic has r2)`);
  const d = checkInteger(fn, "cell.d", c.d, 1);
  const r = checkInteger(fn, "cell.r", c.r, 1, d);
  if (ensemble === "completion") {
    const p = checkNumber(fn, "cell.p", c.p, { min: 0, max: 1, minExclusive: true });
    return { ensemble, d, r, m: 0, p, r2: 0 };
  }
  const m = checkInteger(fn, "cell.m", c.m, 1);
  const r2 = ensemble === "quadratic" ? (c.r2 === undefined ? (r >= 2 ? 1 : 0) : checkInteger(fn, "cell.r2", c.r2, 0, r - 1)) : 0;
  return { ensemble, d, r, m, p: null, r2 };
}

/**
 * Validates the settings of the recovery task (every key named; `where` is how the caller calls
 * them: "settings" in a trial, "spec.settings" in a grid) and fills in the defaults.
 */
export function checkRecoverySettings(fn: string, settings: unknown, where = "settings"): Required<Omit<RecoverySettings, "maxIter">> & { maxIter: number | undefined } {
  if (typeof settings !== "object" || settings === null || Array.isArray(settings)) fail(fn, where, "an object {truthSeed, tol?, maxIter?, programs?, regularity?, certifyFailures?}", settings, TypeError);
  const s = settings as Record<string, unknown>;
  checkKeys(fn, where, s, SETTINGS_KEYS);
  const truthSeed = checkInteger(fn, `${where}.truthSeed`, s.truthSeed, 0, 2 ** 32 - 1);
  const tol = s.tol === undefined ? 1e-9 : checkNumber(fn, `${where}.tol`, s.tol, { min: 0, minExclusive: true });
  const maxIter = s.maxIter === undefined ? undefined : checkInteger(fn, `${where}.maxIter`, s.maxIter, 1);
  const regularity = s.regularity ?? true;
  if (typeof regularity !== "boolean") fail(fn, `${where}.regularity`, "a boolean", regularity, TypeError);
  const certifyFailures = s.certifyFailures ?? false;
  if (typeof certifyFailures !== "boolean") fail(fn, `${where}.certifyFailures`, "a boolean", certifyFailures, TypeError);
  let programs: readonly Program[] = PROGRAMS;
  if (s.programs !== undefined) {
    if (!Array.isArray(s.programs) || s.programs.length === 0) fail(fn, `${where}.programs`, `a non-empty array of ${PROGRAMS.map((p) => JSON.stringify(p)).join(", ")}`, s.programs, TypeError);
    programs = s.programs.map((p, i) => checkOneOf(fn, `${where}.programs[${i}]`, p, PROGRAMS));
    if (new Set(programs).size !== programs.length) fail(fn, `${where}.programs`, "distinct programs (a repeated program repeats the same solve)", s.programs);
  }
  return { truthSeed, tol, maxIter, programs, regularity, certifyFailures };
}

/** The grid's check of one recovery job (checkGridSpec calls it for every cell before any solve). */
export function checkRecoveryJob(fn: string, cell: unknown, settings: unknown, where = "settings"): void {
  checkRecoveryCell(fn, cell);
  checkRecoverySettings(fn, settings, where);
}

/**
 * A rough cost of one trial in flops, only to start the largest jobs first (TaskEntry.costName):
 * about 300 iterations of one pass each way over the measurements (m·d² for dense and rank-one
 * ensembles alike) and a thresholding (d³), plus the Gram matrix (m²d²/2 for Gaussian rows, m²d
 * from rank-one factors, none for completion).
 */
export function recoveryCost(cell: RecoveryCell): number {
  const { ensemble, d } = cell;
  const m = ensemble === "completion" ? (cell.p ?? 0) * d * d : cell.m ?? 0;
  const gram = ensemble === "gaussian" ? (m * m * d * d) / 2 : ensemble === "completion" ? 0 : m * m * d;
  return 300 * (2 * m * d * d + d ** 3) + gram;
}

/** One trial: both programs on one measurement draw; one row per program. */
export function recoveryTrial(cell: RecoveryCell, trial: number, seed: number, settings: RecoverySettings): RecoveryRow[] {
  const fn = "recoveryTrial";
  const c = checkRecoveryCell(fn, cell);
  checkInteger(fn, "trial", trial, 0);
  checkInteger(fn, "seed", seed, 0, 2 ** 32 - 1);
  const { truthSeed, tol, maxIter, programs, regularity, certifyFailures } = checkRecoverySettings(fn, settings);
  const { truth, A, b } = recoveryInstance(cell, seed, truthSeed);
  const solverOptions = { tol, maxIter, onSingular: "skip" as const };
  const results: Partial<Record<Program, RelaxationResult>> = {};
  for (const program of programs) {
    if (!certifyFailures) {
      results[program] = program === "flat" ? flatRelaxation(A, b, solverOptions) : plainRelaxation(A, b, solverOptions);
    } else if (program === "plain") {
      results[program] = plainRelaxation(A, b, { ...solverOptions, stopWhen: certifiedFailureTest(truth) });
    } else {
      // Computed here for the certificate and passed in, so that flatRelaxation does not compute them again.
      const { D1, D2 } = flatRescaling(A);
      results[program] = flatRelaxation(A, b, { ...solverOptions, D1, D2, stopWhen: certifiedFailureTest(truth, D1, D2) });
    }
  }
  const truthNuclear = nuclearNorm(truth);
  return programs.map((program) => {
    const res = results[program] as RelaxationResult;
    const error = res.estimate === null ? null : frobeniusNorm(sub(res.estimate, truth));
    let normGap: number | null = null, imbalance: number | null = null;
    const plain = results.plain;
    if (program === "flat" && !res.skipped && regularity && plain !== undefined && !A.symmetric) {
      const { L, R } = recoverFactors(res.x as Matrix, res.D1, res.D2, Math.min(c.d, Math.max(res.rank, 1)));
      ({ normGap, imbalance } = regularityMeasures(L, R, plain.objective, { truthNuclearNorm: truthNuclear }));
    }
    return {
      ensemble: c.ensemble, d: c.d, r: c.r, m: A.m, p: c.p, trial, seed, program,
      // A certified failure fails whatever its stopped iterate's error (every minimizer is ≥ 10·SUCCESS_TOL away).
      success: error !== null && error < SUCCESS_TOL && res.stopped !== true ? 1 : 0,
      error, skipped: res.skipped, converged: res.converged, iterations: res.iterations, rank: res.rank,
      timeMs: res.timeMs, normGap, imbalance,
      ...(certifyFailures ? { certifiedFailure: res.stopped === true } : {}),
    };
  });
}

/** A certified failure must put every minimizer this many times SUCCESS_TOL from M♮ (margin for the solver's own error). */
const CERTIFY_MARGIN = 10;

/**
 * The failure certificate of certifyFailures [D, ours]. The relaxation's solution set is the same
 * whether or not a solve runs to convergence, so a failure can be decided early. In the program's
 * coordinates (X = D1 M D2; D1 = D2 = I for the plain program) the truth X♮ = D1 M♮ D2 is
 * feasible, and the solver reports a bound β ≥ ‖X‖_* of a feasible iterate X, so every minimizer
 * X* has ‖X*‖_* ≤ β. Then ‖X* − X♮‖_F ≥ (‖X♮‖_* − β)/√min(d1, d2), and its estimate D1⁻¹X*D2⁻¹
 * lies at least that over ‖D1‖·‖D2‖ (operator norms) from M♮. Once this lower bound reaches
 * CERTIFY_MARGIN × SUCCESS_TOL, no minimizer is a success and the solve stops. A solve run to
 * convergence would return (to its tolerance) one of these minimizers, hence fail too; a solve
 * stopped at the cap counts as a failure either way.
 */
export function certifiedFailureTest(truth: Matrix, D1?: Matrix, D2?: Matrix): (info: IterationInfo) => boolean {
  // D1, D2 omitted: the plain program (D1 = D2 = I).
  const target = nuclearNorm(D1 === undefined || D2 === undefined ? truth : matmul(matmul(D1, truth), D2));
  const dNorms = D1 === undefined || D2 === undefined ? 1 : operatorNorm(D1) * operatorNorm(D2);
  const scale = 1 / (Math.sqrt(Math.min(truth.rows, truth.cols)) * dNorms);
  return (info) => info.feasibleObjectiveBound !== undefined && (target - info.feasibleObjectiveBound) * scale >= CERTIFY_MARGIN * SUCCESS_TOL;
}

/**
 * The data of one trial: M♮ from the cell (one per cell and truthSeed, the paper's protocol), the
 * ensemble from the trial's seed, and b = A(M♮). Benchmarks use it to hand the same instances to a
 * reference implementation.
 */
export function recoveryInstance(cell: RecoveryCell, seed: number, truthSeed: number): { truth: Matrix; A: MeasurementOperator; b: Float64Array } {
  const c = checkRecoveryCell("recoveryInstance", cell);
  const cellSeed = deriveSeed(truthSeed, c.d, c.ensemble === "completion" ? Math.round((c.p as number) * 1e6) : c.m, c.r);
  const { truth, A } = drawInstance(c, cellSeed, seed);
  return { truth, A, b: A.apply(truth) };
}

/** M♮ from the cell's seed, the ensemble from the trial's seed. */
function drawInstance(c: ReturnType<typeof checkRecoveryCell>, cellSeed: number, seed: number): { truth: Matrix; A: MeasurementOperator } {
  const { d, r, m } = c;
  switch (c.ensemble) {
    case "gaussian":
      return { truth: lowRankTruth("recoveryTrial", d, d, r, cellSeed), A: sampleGaussianOperator({ d1: d, d2: d, m, seed }) };
    case "bilinear":
      return { truth: lowRankTruth("recoveryTrial", d, d, r, cellSeed), A: sampleBilinearOperator({ d1: d, d2: d, m, seed }) };
    case "completion":
      return { truth: lowRankTruth("recoveryTrial", d, d, r, cellSeed), A: sampleCompletionOperator({ d1: d, d2: d, p: c.p as number, seed }) };
    case "quadratic":
    case "covariance": {
      const r2 = c.ensemble === "covariance" ? 0 : c.r2;
      // M♮ = U1U1ᵀ − U2U2ᵀ as quadraticNetProblem.generate draws it from truthSeed (not imported
      // here: it loads tfjs, 0.2 s in every worker thread).
      const truth = indefiniteTruth(d, r - r2, r2, cellSeed);
      return { truth, A: sampleQuadraticOperator({ d, m, seed }) };
    }
  }
}
