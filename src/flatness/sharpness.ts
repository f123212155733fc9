/**
 * Worst-case sharpness in a ball: SAM's ρ-sharpness and its adaptive (ASAM) variant. These are the
 * training-time notions of flatness the paper cites as motivation (paper-notes §0: SAM appears
 * only in the introduction); flatlab offers them beside the Hessian trace for comparison.
 *
 * SAM (Foret, Kleiner, Mobahi, Neyshabur 2021, arXiv 2010.01412): max_{‖ε‖₂ ≤ ρ} f(w + ε) − f(w),
 * with the first-order maximizer ε = ρ g/‖g‖, g = ∇f(w), over all parameters stacked. For
 * `steps` > 1 we continue with projected normalized-gradient ascent,
 * ε ← Π_ρ(ε + η ∇f(w + ε)/‖∇f(w + ε)‖), η = `stepSize` (default ρ), and report the largest
 * increase seen (every iterate is feasible, so that is a valid lower bound on the maximum).
 *
 * Adaptive sharpness (Kwon, Kim, Park, Choi 2021, "ASAM", arXiv 2102.11600): the ball is
 * ‖T_w⁻¹ ε‖₂ ≤ ρ with T_w = diag(|w| + η), so the measure ignores rescalings that leave the
 * function unchanged when η = 0; first-order maximizer ε = ρ T_w² g/‖T_w g‖. η = `eta` (default
 * 0.01, the ASAM code's default; [I] our reading of it). Ascent runs in δ = T_w⁻¹ ε.
 *
 * If g = 0 exactly (e.g. a quadratic at its minimizer) the first-order direction is undefined;
 * we start from a seeded random direction instead (our choice) and rely on the ascent steps.
 * The loss difference is taken in float64 from float32 losses, so it carries an absolute error
 * of about 2^-23·|f(w)|.
 */
import type * as tf from "@tensorflow/tfjs";
import { createRng } from "../random/rng.js";
import { withTable } from "../util/displayable.js";
import { checkInteger, checkNumber } from "../util/validate.js";
import { type Loss, type ParameterBlock, checkLossAndParams, lossAndGradient, tidyValue, unflatten } from "./hessian.js";
import { norm } from "./vectors.js";

export interface SharpnessOptions {
  /** Radius of the perturbation ball (default 0.05 for SAM, 0.5 for adaptive, the papers' CIFAR-10 values). */
  readonly rho?: number;
  /** 1 (default): the first-order SAM perturbation; more: projected ascent steps. */
  readonly steps?: number;
  /** Ascent step length in the ball's own norm (default rho). */
  readonly stepSize?: number;
  /** Seed of the random start used only when the gradient is exactly zero (default 0). */
  readonly seed?: number;
}

export interface AdaptiveSharpnessOptions extends SharpnessOptions {
  /** η in T_w = diag(|w| + η) (default 0.01). */
  readonly eta?: number;
}

export interface SharpnessResult {
  readonly method: "sam" | "adaptive";
  /** max found of f(w + ε) − f(w) over the ball. */
  readonly sharpness: number;
  /** Same number, under the name every estimator uses. */
  readonly estimate: number;
  readonly lossAtPoint: number;
  readonly lossPerturbed: number;
  readonly rho: number;
  readonly steps: number;
  /** ‖ε‖₂ of the best perturbation (for adaptive: of ε itself, not of T⁻¹ε). */
  readonly perturbationNorm: number;
  /** The increase after each step (index 0: the first-order perturbation). */
  readonly history: readonly number[];
  readonly numGradients: number;
  readonly seed: number;
}

/** SAM ρ-sharpness of `loss` at `params`. */
export function samSharpness(loss: Loss, params: readonly tf.Tensor[], options: SharpnessOptions = {}): SharpnessResult {
  return sharpness("samSharpness", "sam", loss, params, options, 0.05, null);
}

/** Adaptive (ASAM) sharpness: perturbations scaled elementwise by |w| + η. */
export function adaptiveSharpness(loss: Loss, params: readonly tf.Tensor[], options: AdaptiveSharpnessOptions = {}): SharpnessResult {
  const eta = checkNumber("adaptiveSharpness", "eta", options.eta ?? 0.01, { min: 0 });
  return sharpness("adaptiveSharpness", "adaptive", loss, params, options, 0.5, eta);
}

function sharpness(
  fn: string,
  method: "sam" | "adaptive",
  loss: Loss,
  params: readonly tf.Tensor[],
  options: SharpnessOptions,
  defaultRho: number,
  eta: number | null,
): SharpnessResult {
  checkLossAndParams(fn, loss, params);
  const rho = checkNumber(fn, "rho", options.rho ?? defaultRho, { min: 0, minExclusive: true });
  const steps = checkInteger(fn, "steps", options.steps ?? 1, 1);
  const stepSize = checkNumber(fn, "stepSize", options.stepSize ?? rho, { min: 0, minExclusive: true });
  const seed = checkInteger(fn, "seed", options.seed ?? 0, 0, 2 ** 32 - 1);

  const blocks: ParameterBlock[] = [];
  let size = 0;
  for (const p of params) {
    blocks.push({ shape: [...p.shape], offset: size, size: p.size });
    size += p.size;
  }
  const w = new Float64Array(size);
  params.forEach((p, i) => w.set(p.dataSync(), blocks[i].offset));
  // T_w: all ones for SAM; |w| + η for adaptive sharpness.
  const t = new Float64Array(size).map((_, i) => (eta === null ? 1 : Math.abs(w[i]) + eta));
  if (eta !== null && t.some((x) => x === 0)) {
    throw new RangeError(`${fn}: eta must be > 0 when some parameters are 0 (T_w = diag(|w| + eta) must be invertible); received ${eta}.`);
  }

  let numGradients = 0;
  const evaluate = (delta: Float64Array | null) =>
    tidyValue(() => {
      const at = new Float64Array(size);
      for (let i = 0; i < size; i++) at[i] = w[i] + (delta ? t[i] * delta[i] : 0);
      numGradients++;
      return lossAndGradient(fn, loss, unflatten(at, blocks), size);
    });

  const base = evaluate(null);
  // Ascent direction in δ-coordinates (ε = T δ): the gradient there is T g.
  const direction = (g: Float64Array) => g.map((x, i) => t[i] * x);
  let d: Float64Array = direction(base.gradient);
  let dn = norm(d);
  if (dn === 0) {
    d = createRng(seed).gaussians(size);
    dn = norm(d);
  }
  let delta: Float64Array = d.map((x) => (rho * x) / dn);

  const history: number[] = [];
  let best = -Infinity, bestLoss = base.value, bestDelta = delta;
  for (let s = 0; s < steps; s++) {
    const here = evaluate(delta);
    const increase = here.value - base.value;
    history.push(increase);
    if (increase > best) {
      best = increase;
      bestLoss = here.value;
      bestDelta = delta;
    }
    if (s === steps - 1) break;
    const g = direction(here.gradient);
    const gn = norm(g);
    if (gn === 0) break; // a stationary point of f(w + Tδ) inside the ball: no ascent direction
    const next = delta.map((x, i) => x + (stepSize * g[i]) / gn);
    const nn = norm(next);
    delta = nn > rho ? next.map((x) => (rho * x) / nn) : next;
  }
  const perturbationNorm = norm(bestDelta.map((x, i) => t[i] * x));
  const result: SharpnessResult = {
    method,
    sharpness: best,
    estimate: best,
    lossAtPoint: base.value,
    lossPerturbed: bestLoss,
    rho,
    steps: history.length,
    perturbationNorm,
    history,
    numGradients,
    seed,
  };
  const title = method === "sam" ? "SAM sharpness" : "Adaptive sharpness (ASAM)";
  return withTable(result, title, (r) => [
    ["sharpness", r.sharpness],
    ["f(w)", r.lossAtPoint],
    ["f(w + ε)", r.lossPerturbed],
    ["ρ", r.rho],
    ["ascent steps", r.steps],
    ["‖ε‖", r.perturbationNorm],
    ["gradient evaluations", r.numGradients],
  ]);
}
