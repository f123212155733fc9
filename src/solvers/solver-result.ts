/**
 * Options and result shape shared by the convex solvers (nuclear-norm minimization, the flat
 * relaxation of Theorem 3.2, robust PCA of Section 6, the depth problem of Section 9). All are
 * ADMM / Douglas–Rachford splittings (our choice of method; the paper names no solver [NF]) and
 * report the same diagnostics, so an experiment can treat them alike.
 *
 * Residuals (Boyd, Parikh, Chu, Peleato and Eckstein 2011, "Distributed optimization and
 * statistical learning via ADMM", §3.3, with their relative scaling):
 *   primal  ‖X − Y‖_F / max(‖X‖_F, ‖Y‖_F)       (the two splitting copies agree),
 *   dual    ρ‖Y − Y_prev‖_F / max(‖ρU‖_F, 1)    (the dual variable has settled; W = ρU is a
 *                                               subgradient of ‖·‖_*, whose natural scale is 1,
 *                                               hence the floor; depth.ts uses ‖ρU‖_F alone).
 */
import { checkInterrupted } from "../util/interrupt.js";
import { checkInteger, checkNumber, fail } from "../util/validate.js";

/** What onIteration receives after every iteration. */
export interface IterationInfo {
  readonly iteration: number;
  readonly primalResidual: number;
  readonly dualResidual: number;
  readonly objective: number;
  /** The current penalty ρ (changes under residual balancing). */
  readonly rho: number;
  /**
   * nuclearNormMin only: an upper bound on ‖X‖_* of the current feasible iterate X = P(Y − U), and
   * so on the optimal value: ‖Y‖_* + √min(d1, d2)·‖X − Y‖_F (free to compute, unlike ‖X‖_*).
   */
  readonly feasibleObjectiveBound?: number;
}

export interface SolverOptions {
  /** Relative primal and dual residual at which the run stops (default 1e-9). Must be > 0. */
  readonly tol?: number;
  /** Iteration cap (default 20000). Reaching it returns converged: false with a message. */
  readonly maxIter?: number;
  /** Initial penalty ρ (default: scale-aware, see each solver). */
  readonly rho?: number;
  /** Over-relaxation α ∈ (0, 2) (default 1.6, the value Boyd et al. §3.4.3 suggest, 1.5–1.8). */
  readonly relaxation?: number;
  /** Residual balancing of ρ (default true; Boyd et al. §3.4.1, ratio rule of OSQP, Stellato et al. 2020). */
  readonly adaptiveRho?: boolean;
  /** Keep the per-iteration residual histories (default true). */
  readonly recordHistory?: boolean;
  /** Called after every iteration, e.g. for progress; an exception thrown here stops the solve. */
  readonly onIteration?: (info: IterationInfo) => void;
  /**
   * Called after every iteration; true stops the solve there and returns its current iterate with
   * converged: false, stopped: true and a message that says so (not the cap). For a caller's own
   * certified test, e.g. recoveryTrial's failure certificate (experiments/recovery.ts).
   */
  readonly stopWhen?: (info: IterationInfo) => boolean;
}

export interface SolverResult {
  readonly iterations: number;
  /** Relative primal residual per iteration (empty when recordHistory is false). */
  readonly primalResidual: number[];
  /** Relative dual residual per iteration (empty when recordHistory is false). */
  readonly dualResidual: number[];
  readonly objective: number;
  readonly timeMs: number;
  readonly converged: boolean;
  /** True when options.stopWhen stopped the solve (converged is then false); absent otherwise. */
  readonly stopped?: boolean;
  readonly message: string;
}

export interface CheckedSolverOptions {
  tol: number;
  maxIter: number;
  rho: number | undefined;
  relaxation: number;
  adaptiveRho: boolean;
  recordHistory: boolean;
  onIteration: ((info: IterationInfo) => void) | undefined;
  stopWhen: ((info: IterationInfo) => boolean) | undefined;
}

export function checkSolverOptions(fn: string, options: SolverOptions): CheckedSolverOptions {
  if (typeof options !== "object" || options === null) fail(fn, "options", "an object", options, TypeError);
  const tol = options.tol === undefined ? 1e-9 : checkNumber(fn, "options.tol", options.tol, { min: 0, minExclusive: true });
  const maxIter = options.maxIter === undefined ? 20000 : checkInteger(fn, "options.maxIter", options.maxIter, 1);
  const rho = options.rho === undefined ? undefined : checkNumber(fn, "options.rho", options.rho, { min: 0, minExclusive: true });
  const relaxation = options.relaxation === undefined ? 1.6 : checkNumber(fn, "options.relaxation", options.relaxation, { min: 0, minExclusive: true, max: 1.99 });
  const adaptiveRho = options.adaptiveRho ?? true;
  if (typeof adaptiveRho !== "boolean") fail(fn, "options.adaptiveRho", "a boolean", adaptiveRho, TypeError);
  const recordHistory = options.recordHistory ?? true;
  if (typeof recordHistory !== "boolean") fail(fn, "options.recordHistory", "a boolean", recordHistory, TypeError);
  const onIteration = options.onIteration;
  if (onIteration !== undefined && typeof onIteration !== "function") fail(fn, "options.onIteration", "a function", onIteration, TypeError);
  const stopWhen = options.stopWhen;
  if (stopWhen !== undefined && typeof stopWhen !== "function") fail(fn, "options.stopWhen", "a function", stopWhen, TypeError);
  return { tol, maxIter, rho, relaxation, adaptiveRho, recordHistory, onIteration, stopWhen };
}

/** The message of a run that stopped: converged, stopped by options.stopWhen, or the cap, with both residuals against tol. */
export function stopMessage(fn: string, converged: boolean, iterations: number, primal: number, dual: number, tol: number, stopped = false): string {
  const e = (x: number) => x.toExponential(1);
  if (converged) return `${fn}: converged after ${iterations} iterations (primal residual ${e(primal)}, dual residual ${e(dual)} ≤ tol ${tol}).`;
  if (stopped) return `${fn}: stopped by options.stopWhen after ${iterations} iterations, not converged (primal residual ${e(primal)}, dual residual ${e(dual)}, tol ${tol}).`;
  return `${fn}: no convergence after ${iterations} iterations (primal residual ${e(primal)}, dual residual ${e(dual)}, tol ${tol}); raise maxIter or loosen tol.`;
}

/** Throws the divergence error when any entry is not finite. */
export function checkIterate(fn: string, data: Float64Array, iteration: number): void {
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i])) {
      throw new RangeError(`${fn}: the iteration diverged (non-finite iterate ${data[i]} at entry ${i}, iteration ${iteration}); check that A and b are finite and well scaled.`);
    }
  }
}

/** Rebalance ρ when the relative residuals differ by more than this factor. */
const BALANCE_RATIO = 5;
/** ρ stays within [ρ0/RHO_RANGE, ρ0·RHO_RANGE], so a degenerate dual cannot drive it to 0 or ∞. */
const RHO_RANGE = 1e6;

/**
 * Residual balancing (Boyd et al. §3.4.1 with the OSQP rule ρ ← ρ·√(r_primal/r_dual), Stellato et
 * al. 2020): the factor to multiply ρ by (and divide the scaled dual U by), or 1 for no change.
 */
function balanceFactor(primal: number, dual: number, rho: number, rho0: number): number {
  if (!(primal > 0 && dual > 0)) return 1;
  const ratio = primal / dual;
  if (ratio <= BALANCE_RATIO && ratio >= 1 / BALANCE_RATIO) return 1;
  const factor = Math.min(Math.max(Math.sqrt(ratio), 1e-2), 1e2);
  const clamped = Math.min(Math.max(rho * factor, rho0 / RHO_RANGE), rho0 * RHO_RANGE) / rho;
  return Math.abs(clamped - 1) < 1e-12 ? 1 : clamped;
}

/** Residual balancing looks at most every this many iterations (lets the residuals react between changes). */
const BALANCE_EVERY = 5;
/** How often a solve asks whether its Jupyter cell was interrupted (src/util/interrupt.ts); our choice. */
const INTERRUPT_EVERY = 16;

/**
 * The bookkeeping every ADMM solver here does after an iteration: residual histories, the
 * onIteration callback, the stopping test, and residual balancing of ρ.
 */
export class IterationMonitor {
  readonly primalHistory: number[] = [];
  readonly dualHistory: number[] = [];
  private lastBalance = 0;

  /** balanceEvery: least iterations between two changes of ρ (an accelerated solver restarts its history at each). */
  constructor(private readonly opts: CheckedSolverOptions, private readonly rho0: number, private readonly balanceEvery = BALANCE_EVERY, private readonly firstBalance = balanceEvery) {}

  /** Whether residual balancing may change ρ at this iteration (enough iterations since the last change). */
  balanceDue(iteration: number): boolean {
    return this.opts.adaptiveRho && iteration - this.lastBalance >= (this.lastBalance === 0 ? this.firstBalance : this.balanceEvery);
  }

  /**
   * Records an iteration; `rescale` is the factor to multiply ρ by and divide the scaled dual by
   * (1: keep). mayRebalance false: no change of ρ at this iteration (the solver discards it).
   */
  step(iteration: number, primal: number, dual: number, objective: number, rho: number, mayRebalance = true, feasibleObjectiveBound?: number): { converged: boolean; stopped: boolean; rescale: number } {
    const { opts } = this;
    // An async loop of an interrupted cell goes on after tslab rejects the cell: stop its solves.
    if (iteration % INTERRUPT_EVERY === 0) checkInterrupted(`the solve (iteration ${iteration})`);
    if (opts.recordHistory) {
      this.primalHistory.push(primal);
      this.dualHistory.push(dual);
    }
    // The info object only when someone reads it (this runs every iteration).
    const info: IterationInfo | undefined = opts.onIteration === undefined && opts.stopWhen === undefined ? undefined
      : feasibleObjectiveBound === undefined ? { iteration, primalResidual: primal, dualResidual: dual, objective, rho }
        : { iteration, primalResidual: primal, dualResidual: dual, objective, rho, feasibleObjectiveBound };
    if (info !== undefined) opts.onIteration?.(info);
    if (primal <= opts.tol && dual <= opts.tol) return { converged: true, stopped: false, rescale: 1 };
    if (info !== undefined && opts.stopWhen?.(info) === true) return { converged: false, stopped: true, rescale: 1 };
    if (mayRebalance && this.balanceDue(iteration)) {
      const factor = balanceFactor(primal, dual, rho, this.rho0);
      if (factor !== 1) {
        this.lastBalance = iteration;
        return { converged: false, stopped: false, rescale: factor };
      }
    }
    return { converged: false, stopped: false, rescale: 1 };
  }
}
