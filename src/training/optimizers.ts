/**
 * Three optimizers for the factorized loss, each a pure step on an explicit state (optax-style):
 * `step(model, state)` returns the next state and the loss the step was taken at; nothing is
 * hidden in closures, so a run can be stopped, stored and resumed at any step. None of them is
 * in the paper, which trains nothing (paper-notes §0 and §10 item 10; §9 for the related work):
 * step sizes, radii, batch sizes and noise levels are the caller's choice, and ours in notebook 08.
 *
 * - Gradient descent: W ← W − η ∇f(W), with W = (L, R).
 * - SAM (Foret, Kleiner, Mobahi, Neyshabur 2021, arXiv 2010.01412, the update of their Algorithm 1
 *   with p = 2): g = ∇f(W), ε = ρ g/‖g‖ over both blocks stacked, W ← W − η ∇f(W + ε). At g = 0
 *   exactly we take ε = 0 (the ascent direction is undefined there; our choice).
 * - Label-noise SGD (Blanc et al. 2020, arXiv 1904.09080; Damian, Ma, Lee 2021, arXiv 2106.06530):
 *   draw a batch B of `batchSize` measurements uniformly without replacement, give each sampled
 *   label fresh noise b̃_i = b_i + ε_i with ε_i ~ N(0, σ²), σ = `labelNoise`, and step along the
 *   minibatch gradient of ω(m/|B|) Σ_{i∈B}(⟨A_i, LRᵀ⟩ − b̃_i)². The draws of step t come from
 *   deriveSeed(seed, t), so the state needs no generator and a resumed run draws the same noise.
 */
import { type Matrix, axpby, dot } from "../linalg/matrix.js";
import { createRng, deriveSeed } from "../random/rng.js";
import { checkInteger, checkNumber, fail } from "../util/validate.js";
import type { TrainingModel } from "./model.js";

export const TRAINING_METHODS = ["gd", "sam", "label-noise-sgd"] as const;
export type TrainingMethod = (typeof TRAINING_METHODS)[number];

/** Where a run is: the iteration count and the factors (plain data). */
export interface TrainingState {
  readonly step: number;
  readonly L: Matrix;
  readonly R: Matrix;
}

export interface StepResult {
  readonly state: TrainingState;
  /** The loss at the point the step started from (for SGD, the noiseless minibatch estimate of it). */
  readonly loss: number;
}

export interface Optimizer {
  readonly method: TrainingMethod;
  /** The settings the step uses, echoed into results. */
  readonly settings: Readonly<Record<string, number>>;
  step(model: TrainingModel, state: TrainingState): StepResult;
}

export interface GradientDescentOptions {
  readonly stepSize: number;
}

export interface SamOptions {
  readonly stepSize: number;
  /** Radius ρ of the ascent step. */
  readonly rho: number;
}

export interface LabelNoiseSgdOptions {
  readonly stepSize: number;
  /** |B|, measurements per step, in [1, m]. */
  readonly batchSize: number;
  /** σ, the standard deviation of the noise added to each sampled label. */
  readonly labelNoise: number;
  /** Seed of the batches and the noise. */
  readonly seed: number;
}

export function gradientDescent(options: GradientDescentOptions): Optimizer {
  const fn = "gradientDescent";
  const stepSize = checkStepSize(fn, options);
  return {
    method: "gd",
    settings: { stepSize },
    step(model, { step, L, R }) {
      const { loss, gradL, gradR } = model.lossAndGradient(L, R);
      return { loss, state: { step: step + 1, L: axpby(1, L, -stepSize, gradL), R: axpby(1, R, -stepSize, gradR) } };
    },
  };
}

export function sam(options: SamOptions): Optimizer {
  const fn = "sam";
  const stepSize = checkStepSize(fn, options);
  const rho = checkNumber(fn, "rho", options.rho, { min: 0, minExclusive: true });
  return {
    method: "sam",
    settings: { stepSize, rho },
    step(model, { step, L, R }) {
      const { loss, gradL, gradR } = model.lossAndGradient(L, R);
      const gnorm = Math.sqrt(dot(gradL, gradL) + dot(gradR, gradR));
      const c = gnorm > 0 ? rho / gnorm : 0;
      const at = model.lossAndGradient(axpby(1, L, c, gradL), axpby(1, R, c, gradR));
      return { loss, state: { step: step + 1, L: axpby(1, L, -stepSize, at.gradL), R: axpby(1, R, -stepSize, at.gradR) } };
    },
  };
}

export function labelNoiseSgd(options: LabelNoiseSgdOptions): Optimizer {
  const fn = "labelNoiseSgd";
  const stepSize = checkStepSize(fn, options);
  const batchSize = checkInteger(fn, "batchSize", options.batchSize, 1);
  const labelNoise = checkNumber(fn, "labelNoise", options.labelNoise, { min: 0 });
  const seed = checkInteger(fn, "seed", options.seed, 0, 2 ** 32 - 1);
  return {
    method: "label-noise-sgd",
    settings: { stepSize, batchSize, labelNoise, seed },
    step(model, { step, L, R }) {
      if (batchSize > model.m) fail(fn, "batchSize", `an integer in [1, m] = [1, ${model.m}]`, batchSize);
      const rng = createRng(deriveSeed(seed, step));
      // Partial Fisher–Yates: the first batchSize entries of a random permutation of 0..m-1.
      const perm = new Int32Array(model.m);
      for (let i = 0; i < perm.length; i++) perm[i] = i;
      for (let j = 0; j < batchSize; j++) {
        const t = j + rng.int(model.m - j);
        const tmp = perm[j]; perm[j] = perm[t]; perm[t] = tmp;
      }
      const batch = perm.subarray(0, batchSize);
      const noise = new Float64Array(batchSize);
      for (let j = 0; j < batchSize; j++) noise[j] = labelNoise * rng.gaussian();
      const { loss, gradL, gradR } = model.minibatchGradient(L, R, batch, noise);
      return { loss, state: { step: step + 1, L: axpby(1, L, -stepSize, gradL), R: axpby(1, R, -stepSize, gradR) } };
    },
  };
}

function checkStepSize(fn: string, options: unknown): number {
  if (typeof options !== "object" || options === null) fail(fn, "options", "an object", options, TypeError);
  return checkNumber(fn, "stepSize", (options as { stepSize?: unknown }).stepSize, { min: 0, minExclusive: true });
}
