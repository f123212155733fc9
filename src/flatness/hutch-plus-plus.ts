/**
 * Hutch++ (Meyer, Musco, Musco, Woodruff 2021, "Hutch++: Optimal Stochastic Trace Estimation",
 * arXiv 2010.09649, Algorithm 1): with a budget of N products, sketch S (n×s, s = ⌊N/3⌋, Gaussian),
 * Q = orth(A S), then
 *
 *   tr A ≈ tr(Qᵀ A Q) + (1/g) Σ_i z_iᵀ (I − QQᵀ) A (I − QQᵀ) z_i,
 *
 * with g = N − s − rank(Q) probes z_i. For PSD A it reaches relative error ε with O(1/ε) products
 * instead of Hutchinson's O(1/ε²): the sketch captures the top of the spectrum exactly and the
 * probes only see the small remainder.
 *
 * Standard error, our definition: given the sketch Q the first term is exact, so `stderr` is the
 * standard error of the residual Hutchinson mean, s_z/√g, and `samples` are the residual values
 * zᵀ(I−QQᵀ)A(I−QQᵀ)z. It is a conditional standard error: it ignores how the estimate would vary
 * with a different sketch (the estimator is unbiased for any Q independent of the z_i, so this
 * is the spread that matters for one run, but it is not the full sampling variance).
 * A target relative stderr stops the residual phase early; the sketch phase always runs.
 */
import { createRng } from "../random/rng.js";
import type { LinearOperator } from "./operator.js";
import { applyMany, checkProduct } from "./operator.js";
import { drawProbe } from "./probes.js";
import { type StochasticTraceOptions, type StochasticTraceResult, parseTraceOptions, traceResult } from "./hutchinson.js";
import { dot, mean, norm, orthogonalizeInPlace, standardError } from "./vectors.js";

/** Hutch++ estimate of tr A (or Σ w_i A_ii with `weights`); numMatvecs ≥ 3. */
export function hutchPlusPlus(op: LinearOperator, options: StochasticTraceOptions = {}): StochasticTraceResult {
  const fn = "hutchPlusPlus";
  const o = parseTraceOptions(fn, op, options, 3);
  const n = o.op.size;
  const rng = createRng(o.seed);
  const sketchRng = rng.fork(1);
  const probeRng = rng.fork(2);

  // Sketch: Q = orth(A S), S Gaussian (the distribution option applies to the residual probes).
  const s = Math.min(Math.floor(o.numMatvecs / 3), n);
  const sketch: Float64Array[] = [];
  for (let j = 0; j < s; j++) sketch.push(drawProbe(sketchRng, n, "gaussian"));
  const images = applyMany(o.op, sketch).map((y) => checkProduct(fn, y, n));
  const q = orthonormalColumns(images);

  // Exact part: tr(Qᵀ A Q).
  const aq = applyMany(o.op, q).map((y) => checkProduct(fn, y, n));
  let exactPart = 0;
  q.forEach((col, j) => (exactPart += dot(col, aq[j])));

  // Residual Hutchinson on (I − QQᵀ) A (I − QQᵀ).
  const budget = o.numMatvecs - s - q.length;
  const samples: number[] = [];
  let reached: boolean | null = o.targetRelStderr === null ? null : false;
  for (let i = 0; i < budget; i++) {
    const z = drawProbe(probeRng, n, o.distribution);
    orthogonalizeInPlace(z, q);
    const y = checkProduct(fn, o.op.matvec(z), n);
    orthogonalizeInPlace(y, q);
    samples.push(dot(z, y));
    if (o.targetRelStderr !== null && samples.length >= o.minSamples) {
      if (standardError(samples) <= o.targetRelStderr * Math.abs(exactPart + mean(samples))) {
        reached = true;
        break;
      }
    }
  }
  const residual = samples.length > 0 ? mean(samples) : 0;
  return traceResult({
    method: "hutch++",
    estimate: exactPart + residual,
    stderr: samples.length > 0 ? standardError(samples) : 0,
    samples,
    numMatvecs: s + q.length + samples.length,
    seed: o.seed,
    distribution: o.distribution,
    targetRelStderr: o.targetRelStderr,
    reachedTarget: reached,
  });
}

/**
 * An orthonormal basis of the span of `cols` by Gram-Schmidt with reorthogonalization; columns
 * whose remainder is below 1e-12 of their norm are dropped (exact rank deficiency: the estimator
 * is unbiased for any orthonormal Q, so keeping noise directions would be harmless but wasteful).
 */
function orthonormalColumns(cols: readonly Float64Array[]): Float64Array[] {
  const q: Float64Array[] = [];
  for (const c of cols) {
    const v = Float64Array.from(c);
    const before = norm(v);
    orthogonalizeInPlace(v, q);
    const after = norm(v);
    if (before === 0 || after <= 1e-12 * before) continue;
    for (let i = 0; i < v.length; i++) v[i] /= after;
    q.push(v);
  }
  return q;
}
