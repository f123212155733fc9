/**
 * One training run on a factorized problem, recorded: gradient descent, SAM or label-noise SGD
 * (src/training/optimizers.ts) from a seeded random start or from given factors, with the loss,
 * the closed-form scaled Hessian trace (Section 1.3 [P + R]), the recovery error ‖LRᵀ − M♮‖_F and
 * the imbalance ‖LᵀL − RᵀR‖_F every `record.every` steps. Our extension: the paper trains nothing
 * (paper-notes §0, §10 item 10), so every setting here is the caller's choice.
 *
 * Divergence: a step whose starting loss is not finite, or exceeds `divergenceFactor` (default
 * 1e6, our choice) times max(f(W₀), f(0)), stops the run with an error naming the method, the
 * step and the step size. f(0) = κ‖b‖² is the loss of the zero factors: it keeps the threshold
 * meaningful when the run starts at (or near) a minimizer, where f(W₀) ≈ 0.
 */
import { checkInterrupted } from "../util/interrupt.js";
import { type Matrix, norm2 } from "../linalg/matrix.js";
import { deriveSeed } from "../random/rng.js";
import type { FactorizedInstance } from "../problems/factorized.js";
import { withTable } from "../util/displayable.js";
import { checkInteger, checkNumber, checkOneOf, fail } from "../util/validate.js";
import { type InitOptions, initialFactors } from "./init.js";
import { type FactorizedTrainable, type TrainingMetrics, type TrainingModel, checkTrainingFactors, trainingModel } from "./model.js";
import { type Optimizer, type TrainingMethod, type TrainingState, TRAINING_METHODS, gradientDescent, labelNoiseSgd, sam } from "./optimizers.js";

export interface TrainOptions {
  readonly method: TrainingMethod;
  /** Number of steps (0 records the start only). */
  readonly steps: number;
  /** η. */
  readonly stepSize: number;
  /**
   * A seeded random start (i.i.d. N(0, scale²) entries), or given factors [L, R] with the step count
   * to resume from (default 0; label-noise SGD draws step t's noise from deriveSeed(seed, t), so
   * resuming a run at its final state.step continues it exactly).
   */
  readonly init: InitOptions | { readonly factors: readonly Matrix[]; readonly step?: number };
  /**
   * Which steps to record: every `every` steps, or about `logSpaced` steps spaced evenly in log(step)
   * between 1 and `steps` (for log-scale plots of dynamics on several time scales). Default
   * {every: max(1, round(steps/200))}, counted from the start of this run; the start and the last step are always recorded.
   */
  readonly record?: RecordOptions;
  /** SAM only: the ascent radius ρ (required). */
  readonly rho?: number;
  /** Label-noise SGD only: measurements per step (required). */
  readonly batchSize?: number;
  /** Label-noise SGD only: σ of the label noise (required). */
  readonly labelNoise?: number;
  /** Label-noise SGD only: seed of batches and noise (default deriveSeed(init.seed, 2); required with given factors). */
  readonly seed?: number;
  /** Stop when the loss exceeds this factor times max(f(W₀), f(0)) (default 1e6). */
  readonly divergenceFactor?: number;
  /** Called with each recorded row (e.g. to advance a progress bar). */
  readonly onRecord?: (row: TrainingRow) => void;
}

export type RecordOptions = { readonly every: number } | { readonly logSpaced: number };

export interface TrainingRow extends TrainingMetrics {
  readonly step: number;
}

export interface TrainingResult {
  readonly method: TrainingMethod;
  /** Step size and the method's own settings (rho; batchSize, labelNoise, seed). */
  readonly settings: Readonly<Record<string, number>>;
  /** The random start, or null when factors were given. */
  readonly init: InitOptions | null;
  readonly steps: number;
  /** The recording schedule used. */
  readonly record: RecordOptions;
  readonly rows: readonly TrainingRow[];
  /** The last row. */
  readonly final: TrainingRow;
  /** The final state (resume with init: {factors: [state.L, state.R]}). */
  readonly state: TrainingState;
  readonly seconds: number;
}

const METHOD_NAMES: Record<TrainingMethod, string> = { gd: "gradient descent", sam: "SAM", "label-noise-sgd": "label-noise SGD" };
const ONLY_FOR: Record<string, TrainingMethod> = { rho: "sam", batchSize: "label-noise-sgd", labelNoise: "label-noise-sgd", seed: "label-noise-sgd" };

/** Runs `steps` steps of `method` on f(L, R) = κ‖A(LRᵀ) − b‖² and records the run. */
export function train<I extends FactorizedInstance>(problem: FactorizedTrainable<I>, instance: I, options: TrainOptions): TrainingResult {
  const fn = "train";
  const t0 = performance.now();
  if (typeof options !== "object" || options === null) fail(fn, "options", "an object {method, steps, stepSize, init, ...}", options, TypeError);
  const method = checkOneOf(fn, "options.method", options.method, TRAINING_METHODS);
  for (const [key, owner] of Object.entries(ONLY_FOR)) {
    const value = (options as unknown as Record<string, unknown>)[key];
    if (value !== undefined && owner !== method) fail(fn, `options.${key}`, `undefined with method "${method}" (it applies to "${owner}")`, value);
  }
  const steps = checkInteger(fn, "options.steps", options.steps, 0);
  const model = trainingModel(problem, instance);
  const { init, start, step0 } = startOf(fn, options.init, model);
  const optimizer = optimizerOf(fn, method, options, init, model.m);
  const { record: schedule, recordAt } = recordSchedule(fn, options.record, steps);
  const factor = options.divergenceFactor === undefined ? 1e6 : checkNumber(fn, "options.divergenceFactor", options.divergenceFactor, { min: 1 });
  if (options.onRecord !== undefined && typeof options.onRecord !== "function") fail(fn, "options.onRecord", "a function", options.onRecord, TypeError);

  const label = METHOD_NAMES[method];
  const diverged = (step: number, what: string): never => {
    throw new RangeError(`${fn}: ${label} diverged at step ${step} (${what}); lower stepSize (${optimizer.settings.stepSize})${method === "sam" ? " or rho" : ""}.`);
  };
  const rows: TrainingRow[] = [];
  const record = (state: TrainingState): TrainingRow => {
    if (!allFinite(state.L) || !allFinite(state.R)) diverged(state.step, "the factors are no longer finite");
    const row = { step: state.step, ...model.metrics(state.L, state.R) };
    rows.push(row);
    options.onRecord?.(row);
    return row;
  };

  let state: TrainingState = { step: step0, L: start[0], R: start[1] };
  const first = record(state);
  const limit = factor * Math.max(first.loss, model.lossScale * norm2(instance.b) ** 2);
  const check = (step: number, loss: number) => {
    if (!Number.isFinite(loss)) diverged(step, `loss ${loss}`);
    if (loss > limit) diverged(step, `loss ${loss.toExponential(2)} > ${factor.toExponential(0)} × max(f(W₀), f(0)) = ${limit.toExponential(2)}`);
  };
  for (let t = 0; t < steps; t++) {
    if (t % 16 === 0) checkInterrupted(`train (step ${t})`);
    const out = optimizer.step(model, state);
    check(state.step, out.loss);
    state = out.state;
    if (recordAt(t + 1) || t === steps - 1) check(state.step, record(state).loss);
  }
  const result: TrainingResult = {
    method, settings: optimizer.settings, init, steps, record: schedule, rows, final: rows[rows.length - 1], state,
    seconds: (performance.now() - t0) / 1000,
  };
  return withTable(result, `Training run: ${label}`, (r) => [
    ["method", label],
    ...Object.entries(r.settings).map(([k, v]) => [k, v] as [string, number]),
    ["init", r.init === null ? "given factors" : `N(0, ${r.init.scale}²), seed ${r.init.seed}`],
    ["steps", r.steps],
    ["final loss", r.final.loss],
    ["final scaled trace", r.final.scaledTrace],
    ["final ‖LRᵀ − M♮‖_F", r.final.recoveryError],
    ["final ‖LᵀL − RᵀR‖_F", r.final.imbalance],
    ["seconds", r.seconds],
  ]);
}

function recordSchedule(fn: string, record: unknown, steps: number): { record: RecordOptions; recordAt: (step: number) => boolean } {
  if (record === undefined) return recordSchedule(fn, { every: Math.max(1, Math.round(steps / 200)) }, steps);
  if (typeof record === "object" && record !== null && "every" in record) {
    const every = checkInteger(fn, "options.record.every", record.every, 1);
    return { record: { every }, recordAt: (step) => step % every === 0 };
  }
  if (typeof record === "object" && record !== null && "logSpaced" in record) {
    const n = checkInteger(fn, "options.record.logSpaced", record.logSpaced, 2);
    // round(steps^(j/(n−1))), j = 0..n−1: distinct after rounding, so fewer than n at small steps.
    const at = new Set<number>();
    for (let j = 0; j < n; j++) at.add(Math.round(Math.pow(Math.max(steps, 1), j / (n - 1))));
    return { record: { logSpaced: n }, recordAt: (step) => at.has(step) };
  }
  fail(fn, "options.record", "an object {every} or {logSpaced}", record, TypeError);
}

function startOf(fn: string, init: unknown, model: TrainingModel): { init: InitOptions | null; start: [Matrix, Matrix]; step0: number } {
  if (typeof init !== "object" || init === null) fail(fn, "options.init", "an object {scale, seed} or {factors: [L, R], step?}", init, TypeError);
  if ("factors" in init) {
    const given = init as { factors: unknown; step?: unknown };
    const step0 = given.step === undefined ? 0 : checkInteger(fn, "options.init.step", given.step, 0);
    return { init: null, start: checkTrainingFactors(fn, "options.init.factors", given.factors, model), step0 };
  }
  const { scale, seed } = init as InitOptions;
  const fixed = { scale: checkNumber(fn, "options.init.scale", scale, { min: 0 }), seed: checkInteger(fn, "options.init.seed", seed, 0, 2 ** 32 - 1) };
  return { init: fixed, start: initialFactors(model, fixed), step0: 0 };
}

function optimizerOf(fn: string, method: TrainingMethod, o: TrainOptions, init: InitOptions | null, m: number): Optimizer {
  const stepSize = checkNumber(fn, "options.stepSize", o.stepSize, { min: 0, minExclusive: true });
  if (method === "gd") return gradientDescent({ stepSize });
  if (method === "sam") return sam({ stepSize, rho: checkNumber(fn, "options.rho", o.rho, { min: 0, minExclusive: true }) });
  const batchSize = checkInteger(fn, "options.batchSize", o.batchSize, 1, m);
  const labelNoise = checkNumber(fn, "options.labelNoise", o.labelNoise, { min: 0 });
  let seed: number;
  if (o.seed !== undefined) seed = checkInteger(fn, "options.seed", o.seed, 0, 2 ** 32 - 1);
  else if (init !== null) seed = deriveSeed(init.seed, 2);
  else fail(fn, "options.seed", "an integer in [0, 4294967295] when init gives factors", o.seed, TypeError);
  return labelNoiseSgd({ stepSize, batchSize, labelNoise, seed });
}

function allFinite(a: Matrix): boolean {
  for (let i = 0; i < a.data.length; i++) if (!Number.isFinite(a.data[i])) return false;
  return true;
}
