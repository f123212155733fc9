/**
 * The Hessian of any tfjs loss over a list of parameter tensors, as a linear operator
 * (Hessian-vector products), at a fixed point. It is what every flatness measure of
 * paper-notes §1.3 and §8 is computed from when no closed form is at hand.
 *
 * Products. `method: "autodiff"` (default) differentiates ⟨∇f(w), v⟩ once more with tfjs's
 * reverse mode (reverse-over-reverse; tfjs has no forward mode, ecosystem notes §6). tfjs cannot
 * always differentiate twice: kernels whose gradient reuses their output (exp, tanh, sigmoid;
 * tfjs issue #3252) either throw or, inside a larger loss, silently drop out of the second
 * derivative (measured here: for Σ exp(x) + Σ x³ the nested gradient returned only the x³ part;
 * for Σ sigmoid(x) + Σ x³ it was 2 % off). So on construction the operator checks one nested
 * product against central differences on a fixed probe (three products, six gradients), and
 * switches to central differences, saying why (`fallbackReason`), when the nested gradient
 * throws or disagrees by more than both `verifyTolerance` (relative) and the central
 * difference's own error (estimated from steps h and 2h).
 *
 * `method: "finite-difference"`: Hv ≈ (∇f(w + h v) − ∇f(w − h v)) / 2h. Truncation error is
 * O(h²‖∇³f‖), roundoff O(ε·G/h) with ε the float32 unit roundoff and G the scale of the gradient's
 * terms; the two balance at h ~ ε^{1/3} (≈ 4.9e-3 for float32, the step hessian-eigenthings uses).
 * We take the step along the unit direction v/‖v‖ and scale it by max(1, ‖w‖) so each coordinate
 * of w moves by about ε^{1/3} times its own size, not below float32 resolution (our choice).
 * The difference of the two float32 gradients is taken in float64.
 */
import * as tf from "@tensorflow/tfjs";
import { checkFinite, checkNumber, checkOneOf, fail } from "../util/validate.js";
import { createRng } from "../random/rng.js";
import type { LinearOperator } from "./operator.js";
import { norm } from "./vectors.js";

/** A loss written in tfjs over a list of parameter tensors. */
export type Loss = (params: tf.Tensor[]) => tf.Scalar;

export const HESSIAN_METHODS = ["autodiff", "finite-difference"] as const;
export type HessianMethod = (typeof HESSIAN_METHODS)[number];

/** float32 unit roundoff 2^-23 (tfjs computes in float32 only). */
export const FLOAT32_EPS = 2 ** -23;
/** Default central-difference step ε^{1/3} for float32 (see the file comment). */
export const DEFAULT_FD_STEP = Math.cbrt(FLOAT32_EPS);

export interface HessianOperatorOptions {
  /** "autodiff" (default; nested tf.grad, verified, falls back automatically) or "finite-difference". */
  readonly method?: HessianMethod;
  /** Relative central-difference step (default ε^{1/3} ≈ 4.9e-3 for float32). */
  readonly epsilon?: number;
  /**
   * Check one nested-gradient product against a central difference on construction (default true
   * for "autodiff"). Turn off only for losses known to be twice differentiable in tfjs.
   */
  readonly verify?: boolean;
  /**
   * Relative disagreement always accepted in that check (default 1e-3); above it, autodiff is
   * replaced when the disagreement also exceeds the central difference's estimated error.
   */
  readonly verifyTolerance?: number;
}

export interface ParameterBlock {
  readonly shape: readonly number[];
  /** Position of this parameter's first entry in the flat vector. */
  readonly offset: number;
  readonly size: number;
}

export interface HessianOperator extends LinearOperator {
  readonly matmat: (vs: readonly Float64Array[]) => Float64Array[];
  readonly dispose: () => void;
  /** The method in use (after any automatic fallback). */
  readonly method: HessianMethod;
  readonly requestedMethod: HessianMethod;
  /** Why "autodiff" was replaced by "finite-difference", or null. */
  readonly fallbackReason: string | null;
  /** Relative central-difference step. */
  readonly epsilon: number;
  /** Layout of the parameters in the flat vector, in the order given. */
  readonly blocks: readonly ParameterBlock[];
  /** The point w (flat, float64 copy of the float32 parameters). */
  readonly point: Float64Array;
  /** f(w). */
  readonly value: number;
  /** ∇f(w), flat. */
  readonly gradient: Float64Array;
  /** Hessian-vector products computed so far (the verification product not counted). */
  readonly numMatvecs: number;
}

/** The Hessian of `loss` at `params` as a linear operator on flat float64 vectors. */
export function hessianOperator(loss: Loss, params: readonly tf.Tensor[], options: HessianOperatorOptions = {}): HessianOperator {
  const fn = "hessianOperator";
  checkLossAndParams(fn, loss, params);
  const requestedMethod = checkOneOf(fn, "method", options.method ?? "autodiff", HESSIAN_METHODS);
  const epsilon = checkNumber(fn, "epsilon", options.epsilon ?? DEFAULT_FD_STEP, { min: 0, minExclusive: true });
  const verify = options.verify ?? true;
  const verifyTolerance = checkNumber(fn, "verifyTolerance", options.verifyTolerance ?? 1e-3, { min: 0, minExclusive: true });

  const blocks: ParameterBlock[] = [];
  let size = 0;
  for (const p of params) {
    blocks.push({ shape: [...p.shape], offset: size, size: p.size });
    size += p.size;
  }
  const point = flatten(params.map((p) => p.dataSync()), size);
  // Private float32 copies: the operator outlives any tidy of the caller and is freed by dispose().
  const own = params.map((p) => tf.keep(p.clone()));
  try {
    return buildOperator(fn, loss, own, blocks, size, point, requestedMethod, epsilon, verify, verifyTolerance);
  } catch (e) {
    own.forEach((t) => t.dispose());
    throw e;
  }
}

function buildOperator(
  fn: string,
  loss: Loss,
  own: tf.Tensor[],
  blocks: readonly ParameterBlock[],
  size: number,
  point: Float64Array,
  requestedMethod: HessianMethod,
  epsilon: number,
  verify: boolean,
  verifyTolerance: number,
): HessianOperator {
  let disposed = false;
  let count = 0;
  const { value, gradient } = lossAndGradient(fn, loss, own, size);
  const step = epsilon * Math.max(1, norm(point));

  const autodiffProduct = (v: Float64Array): Float64Array =>
    tidyValue(() => {
      const vs = unflatten(v, blocks);
      const outer = tf.engine().gradients(
        () => {
          const inner = tf.engine().gradients(() => loss(own), own, undefined, true);
          let s: tf.Tensor = tf.scalar(0);
          inner.grads.forEach((g, i) => {
            if (g) s = tf.add(s, tf.sum(tf.mul(g, vs[i])));
          });
          return s as tf.Scalar;
        },
        own,
        undefined,
        true,
      );
      return flatten(outer.grads.map((g) => (g ? g.dataSync() : null)), size, blocks);
    });

  const differenceProduct = (v: Float64Array, stepFactor = 1): Float64Array => {
    const vnorm = norm(v);
    if (vnorm === 0) return new Float64Array(size);
    const h = (stepFactor * step) / vnorm;
    const plus = gradientAt(fn, loss, shifted(point, v, h, blocks), size);
    const minus = gradientAt(fn, loss, shifted(point, v, -h, blocks), size);
    const out = new Float64Array(size);
    for (let i = 0; i < size; i++) out[i] = (plus[i] - minus[i]) / (2 * h);
    return out;
  };

  let method: HessianMethod = requestedMethod;
  let fallbackReason: string | null = null;
  if (requestedMethod === "autodiff" && verify) {
    // A fixed probe (seed 0): this is a consistency check of tfjs, not a statistical draw.
    const probe = createRng(0).gaussians(size);
    let byAutodiff: Float64Array | null = null;
    try {
      byAutodiff = autodiffProduct(probe);
    } catch (e) {
      fallbackReason = `nested tf.grad failed (${firstLine(e)}); using central differences`;
    }
    if (byAutodiff !== null) {
      // The central difference's own error, estimated from steps h and 2h (its O(h²) term grows
      // 4-fold, its roundoff halves): a disagreement beyond it is an error of the nested gradient.
      const atH = differenceProduct(probe);
      const at2H = differenceProduct(probe, 2);
      const scale = Math.max(norm(byAutodiff), norm(atH));
      const gap = distance(byAutodiff, atH);
      const allowed = Math.max(verifyTolerance * scale, 4 * distance(atH, at2H));
      if (!(gap <= allowed)) {
        fallbackReason =
          `nested tf.grad disagrees with a central difference (relative difference ${(gap / scale).toExponential(2)}, ` +
          `difference error about ${(distance(atH, at2H) / scale).toExponential(2)}); an op whose gradient reuses its output ` +
          `(exp, tanh, sigmoid; tfjs issue #3252) drops out of second derivatives; using central differences`;
      }
    }
    if (fallbackReason !== null) method = "finite-difference";
  }

  const chosen = method === "autodiff" ? autodiffProduct : differenceProduct;
  const product = (v: Float64Array): Float64Array => {
    const y = chosen(v);
    for (let i = 0; i < size; i++) {
      if (!Number.isFinite(y[i])) {
        throw new RangeError(`${fn}.matvec: the Hessian-vector product is not finite (${y[i]} at index ${i}); the loss overflows near params or v is too large.`);
      }
    }
    return y;
  };
  const live = () => {
    if (disposed) throw new Error(`${fn}: this operator was disposed; build a new one with hessianOperator(loss, params).`);
  };
  const checkVector = (v: Float64Array, arg: string) => {
    if (!(v instanceof Float64Array) || v.length !== size) {
      fail(`${fn}.matvec`, arg, `a Float64Array of length ${size}`, v, TypeError);
    }
  };
  const op: HessianOperator = {
    size,
    method,
    requestedMethod,
    fallbackReason,
    epsilon,
    blocks,
    point,
    value,
    gradient,
    get numMatvecs() {
      return count;
    },
    matvec(v: Float64Array): Float64Array {
      live();
      checkVector(v, "v");
      count++;
      return product(v);
    },
    matmat(vs: readonly Float64Array[]): Float64Array[] {
      live();
      vs.forEach((v, j) => checkVector(v, `vs[${j}]`));
      count += vs.length;
      // One tidy around the batch: intermediates of all products are freed together.
      return tidyValue(() => vs.map(product));
    },
    dispose(): void {
      if (!disposed) own.forEach((t) => t.dispose());
      disposed = true;
    },
  };
  return op;
}

/** Per-coordinate weights from one weight per parameter (e.g. [1/d1, 1/d2] for [L, R]). */
export function parameterWeights(op: Pick<HessianOperator, "blocks" | "size">, perParameter: readonly number[], fn = "parameterWeights"): Float64Array {
  if (!Array.isArray(perParameter) || perParameter.length !== op.blocks.length) {
    fail(fn, "weights", `an array of ${op.blocks.length} numbers (one per parameter)`, perParameter, TypeError);
  }
  const out = new Float64Array(op.size);
  op.blocks.forEach((b, i) => {
    const w = checkNumber(fn, `weights[${i}]`, perParameter[i], { min: 0 });
    out.fill(w, b.offset, b.offset + b.size);
  });
  return out;
}

/** Checks a loss and its parameters at the public edge (shared by the estimators that take a loss). */
export function checkLossAndParams(fn: string, loss: unknown, params: unknown): asserts params is tf.Tensor[] {
  if (typeof loss !== "function") fail(fn, "loss", "a function (params: tf.Tensor[]) => tf.Scalar", loss, TypeError);
  if (!Array.isArray(params) || params.length === 0) fail(fn, "params", "a non-empty array of tf.Tensor", params, TypeError);
  params.forEach((p, i) => {
    if (!(p instanceof tf.Tensor)) fail(fn, `params[${i}]`, "a tf.Tensor", p, TypeError);
    if (p.isDisposed) fail(fn, `params[${i}]`, "a live tf.Tensor", "a disposed tensor", TypeError);
    if (p.dtype !== "float32") fail(fn, `params[${i}]`, "a float32 tensor", p.dtype, TypeError);
    checkFinite(fn, `params[${i}]`, p.dataSync());
  });
}

/** f and ∇f at tensors `at` (float64 copies), with the checks every estimator relies on. */
export function lossAndGradient(fn: string, loss: Loss, at: readonly tf.Tensor[], size: number): { value: number; gradient: Float64Array } {
  return tidyValue(() => {
    let result: { value: tf.Scalar; grads: (tf.Tensor | undefined)[] };
    try {
      result = tf.engine().gradients(() => checkedLoss(fn, loss, at), at as tf.Tensor[], undefined, true);
    } catch (e) {
      throw explainKernelError(fn, e);
    }
    const { value, grads } = result;
    const v = value.dataSync()[0];
    if (!Number.isFinite(v)) throw new RangeError(`${fn}: loss must be finite at params; received ${v}.`);
    const g = flatten(grads.map((t) => (t ? t.dataSync() : null)), size, at.map((t) => ({ size: t.size })));
    checkFinite(fn, "the gradient of loss", g);
    return { value: v, gradient: g };
  });
}

function gradientAt(fn: string, loss: Loss, at: () => tf.Tensor[], size: number): Float64Array {
  return tidyValue(() => {
    const ts = at();
    return lossAndGradient(fn, loss, ts, size).gradient;
  });
}

function checkedLoss(fn: string, loss: Loss, at: readonly tf.Tensor[]): tf.Scalar {
  const y = loss(at as tf.Tensor[]) as unknown;
  if (!(y instanceof tf.Tensor) || y.rank !== 0) {
    const got = y instanceof tf.Tensor ? `a tensor of shape [${y.shape.join(", ")}]` : typeof y;
    throw new TypeError(`${fn}: loss must return a tf.Scalar (rank 0); received ${got}.`);
  }
  return y as tf.Scalar;
}

/** Tensors of w + h v with the parameters' shapes (built lazily, inside the caller's tidy). */
function shifted(point: Float64Array, v: Float64Array, h: number, blocks: readonly ParameterBlock[]): () => tf.Tensor[] {
  return () => {
    const moved = new Float32Array(point.length);
    for (let i = 0; i < point.length; i++) moved[i] = point[i] + h * v[i];
    return blocks.map((b) => tf.tensor(moved.subarray(b.offset, b.offset + b.size), b.shape as number[], "float32"));
  };
}

/** Float32 tensors of a flat float64 vector, one per parameter block. */
export function unflatten(v: Float64Array, blocks: readonly ParameterBlock[]): tf.Tensor[] {
  return blocks.map((b) => tf.tensor(Float32Array.from(v.subarray(b.offset, b.offset + b.size)), b.shape as number[], "float32"));
}

/** Concatenates per-parameter arrays into one float64 vector; a null part (no dependence) is zero. */
function flatten(parts: readonly (ArrayLike<number> | null)[], size: number, blocks?: readonly { size: number }[]): Float64Array {
  const out = new Float64Array(size);
  let offset = 0;
  parts.forEach((part, i) => {
    const n = blocks ? blocks[i].size : (part as ArrayLike<number>).length;
    if (part) for (let j = 0; j < n; j++) out[offset + j] = part[j];
    offset += n;
  });
  return out;
}

/**
 * tf.tidy for work that returns plain data: every tensor made inside is freed. (tf.tidy itself
 * walks a returned object key by key looking for tensors, which costs O(n) per Float64Array.)
 */
export function tidyValue<T>(f: () => T): T {
  let out!: T;
  tf.tidy(() => {
    out = f();
  });
  return out;
}

/**
 * The wasm backend lacks some kernels the cpu backend has (ecosystem notes §6), and tfjs does
 * not fall back. Measured here: tf.gather's gradient needs UnsortedSegmentSum, missing on wasm;
 * Einsum has no gradient at all. Say which kernel and what to do instead of tfjs's bare message.
 */
function explainKernelError(fn: string, e: unknown): unknown {
  const text = e instanceof Error ? e.message : String(e);
  const missing = /Kernel '(\w+)' not registered for backend '(\w+)'/.exec(text);
  if (missing) {
    const hint = missing[1] === "UnsortedSegmentSum" ? " (it is the gradient of tf.gather; a 0/1 mask multiply avoids it)" : "";
    return new Error(
      `${fn}: the loss or its gradient needs the tfjs kernel '${missing[1]}', which the ${missing[2]} backend lacks${hint}; ` +
        `run await selectBackend("cpu") first, or write the loss without it.`,
    );
  }
  return e;
}

function distance(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] - b[i]) ** 2;
  return Math.sqrt(s);
}

function firstLine(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split("\n")[0].slice(0, 160);
}
