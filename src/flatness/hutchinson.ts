/**
 * Hutchinson's stochastic trace estimator (Hutchinson 1990): tr A ≈ (1/s) Σ z_iᵀ A z_i with
 * i.i.d. probes E[z zᵀ] = I. Reports the standard error of that mean, s_z/√s (the habit of
 * hessian-eigenthings v1), and can stop early once the relative standard error reaches a target.
 *
 * With `weights` w ≥ 0 (one per coordinate) it estimates Σ w_i A_ii, e.g. the paper's scaled
 * trace (paper-notes §1.3; weights from `parameterWeights(op, scaledTraceWeights(op))`), using the
 * symmetric operator W^{1/2} A W^{1/2}.
 */
import { createRng } from "../random/rng.js";
import { withTable } from "../util/displayable.js";
import { checkInteger, checkNumber } from "../util/validate.js";
import { type LinearOperator, checkOperator, checkProduct, scaledOperator } from "./operator.js";
import { type ProbeDistribution, checkDistribution, drawProbe } from "./probes.js";
import { dot, mean, standardError } from "./vectors.js";

export interface StochasticTraceOptions {
  /** Budget of operator products (default 100); with a target it is the cap. */
  readonly numMatvecs?: number;
  /** Probe distribution (default "rademacher"). */
  readonly distribution?: ProbeDistribution;
  /** Seed of the probes (default 0); echoed in the result. */
  readonly seed?: number;
  /**
   * Stop once stderr ≤ targetRelStderr·|estimate| (checked after each probe from `minSamples`
   * on). Optional stopping makes the estimate very slightly biased; the fixed budget does not.
   */
  readonly targetRelStderr?: number;
  /** Probes before the target is first checked (default min(10, numMatvecs)): a stderr from fewer is unreliable. */
  readonly minSamples?: number;
  /** Per-coordinate nonnegative weights: estimate Σ w_i A_ii instead of tr A. */
  readonly weights?: ArrayLike<number>;
}

export interface StochasticTraceResult {
  readonly method: "hutchinson" | "hutch++";
  readonly estimate: number;
  /** Standard error of the estimate (for Hutch++: of its stochastic residual part; see hutchPlusPlus). */
  readonly stderr: number;
  /** The per-probe values whose mean enters the estimate. */
  readonly samples: readonly number[];
  /** Operator products used. */
  readonly numMatvecs: number;
  readonly seed: number;
  readonly distribution: ProbeDistribution;
  readonly targetRelStderr: number | null;
  /** Whether the target was reached (null without a target). */
  readonly reachedTarget: boolean | null;
}

export interface ParsedTraceOptions {
  readonly numMatvecs: number;
  readonly distribution: ProbeDistribution;
  readonly seed: number;
  readonly targetRelStderr: number | null;
  readonly minSamples: number;
  readonly op: LinearOperator;
}

/** Hutchinson's estimate of tr A (or of Σ w_i A_ii). */
export function hutchinson(op: LinearOperator, options: StochasticTraceOptions = {}): StochasticTraceResult {
  const fn = "hutchinson";
  const o = parseTraceOptions(fn, op, options, 1);
  const rng = createRng(o.seed);
  const samples: number[] = [];
  let reached: boolean | null = o.targetRelStderr === null ? null : false;
  for (let i = 0; i < o.numMatvecs; i++) {
    const z = drawProbe(rng, o.op.size, o.distribution);
    samples.push(dot(z, checkProduct(fn, o.op.matvec(z), o.op.size)));
    if (o.targetRelStderr !== null && samples.length >= o.minSamples && standardError(samples) <= o.targetRelStderr * Math.abs(mean(samples))) {
      reached = true;
      break;
    }
  }
  return traceResult({
    method: "hutchinson",
    estimate: mean(samples),
    stderr: standardError(samples),
    samples,
    numMatvecs: samples.length,
    seed: o.seed,
    distribution: o.distribution,
    targetRelStderr: o.targetRelStderr,
    reachedTarget: reached,
  });
}

/** Validation shared by Hutchinson and Hutch++. */
export function parseTraceOptions(fn: string, op: LinearOperator, options: StochasticTraceOptions, minMatvecs: number): ParsedTraceOptions {
  checkOperator(fn, op);
  const numMatvecs = checkInteger(fn, "numMatvecs", options.numMatvecs ?? 100, minMatvecs);
  const distribution = checkDistribution(fn, options.distribution ?? "rademacher");
  const seed = checkInteger(fn, "seed", options.seed ?? 0, 0, 2 ** 32 - 1);
  const targetRelStderr = options.targetRelStderr === undefined ? null : checkNumber(fn, "targetRelStderr", options.targetRelStderr, { min: 0, minExclusive: true });
  const minSamples = checkInteger(fn, "minSamples", options.minSamples ?? Math.max(2, Math.min(10, numMatvecs)), 2);
  const scaled = options.weights === undefined ? op : scaledOperator(op, options.weights, fn);
  return { numMatvecs, distribution, seed, targetRelStderr, minSamples, op: scaled };
}

export function traceResult(r: StochasticTraceResult): StochasticTraceResult {
  const title = r.method === "hutchinson" ? "Hessian trace (Hutchinson)" : "Hessian trace (Hutch++)";
  return withTable(r, title, (x) => [
    ["estimate", x.estimate],
    ["standard error", x.stderr],
    ["operator products", x.numMatvecs],
    ["probes", `${x.samples.length} ${x.distribution}`],
    ["seed", x.seed],
    ...(x.targetRelStderr === null ? [] : ([["target rel. stderr", `${x.targetRelStderr} (${x.reachedTarget ? "reached" : "not reached"})`]] as const)),
  ]);
}
