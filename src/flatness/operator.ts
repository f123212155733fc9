/**
 * Linear operators: the only thing the flatness algorithms know about a Hessian. An operator has
 * a size and multiplies float64 vectors; the algorithms (trace, Lanczos, power iteration, SLQ)
 * accept any operator, so they are tested on explicit matrices with known spectra and then run
 * on autodiff Hessians (the operator/algorithm split of hessian-eigenthings v1, ecosystem notes §5).
 *
 * Vectors cross the boundary as Float64Array: reductions, orthogonalization and statistics stay
 * in float64 even when the products come from float32 tfjs.
 */
import type { Matrix } from "../linalg/matrix.js";
import { checkFinite, checkInteger, checkMatrix, fail } from "../util/validate.js";

export interface LinearOperator {
  /** Dimension n of the (square, symmetric) operator. */
  readonly size: number;
  /** y = A v for a vector of length `size`. */
  matvec(v: Float64Array): Float64Array;
  /**
   * A V for several vectors at once. For Hessian operators this groups the products in one tidy;
   * tfjs has no vmap, so it is not faster (measured: 2.6 vs 2.7 ms per product, wasm, bench).
   */
  matmat?(vs: readonly Float64Array[]): Float64Array[];
  /** Frees what the operator holds (tfjs tensors); a disposed operator refuses products. */
  dispose?(): void;
}

/** An operator from a size and a product function (explicit matrices, closed-form Hessians). */
export function linearOperator(size: number, matvec: (v: Float64Array) => Float64Array): LinearOperator {
  checkInteger("linearOperator", "size", size, 1);
  if (typeof matvec !== "function") fail("linearOperator", "matvec", "a function (v: Float64Array) => Float64Array", matvec, TypeError);
  return { size, matvec };
}

/** The operator of an explicit square matrix (row-major float64). */
export function matrixOperator(a: Matrix): LinearOperator {
  checkMatrix("matrixOperator", "a", a);
  if (a.rows !== a.cols) throw new RangeError(`matrixOperator: a must be square; received shape [${a.rows}, ${a.cols}].`);
  const n = a.rows;
  return linearOperator(n, (v) => {
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let s = 0;
      const row = i * n;
      for (let j = 0; j < n; j++) s += a.data[row + j] * v[j];
      out[i] = s;
    }
    return out;
  });
}

/**
 * W^{1/2} A W^{1/2} for nonnegative per-coordinate weights w. Its trace is Σ w_i A_ii, the
 * weighted (e.g. scaled, paper-notes §1.3) trace; the symmetric form keeps Lanczos and Hutch++
 * applicable, and a Rademacher probe z gives (√w∘z)ᵀA(√w∘z), unbiased for Σ w_i A_ii.
 */
export function scaledOperator(op: LinearOperator, weights: ArrayLike<number>, fn = "scaledOperator"): LinearOperator {
  if (weights.length !== op.size) throw new RangeError(`${fn}: weights must have length ${op.size} (the operator size); received ${weights.length}.`);
  checkFinite(fn, "weights", weights);
  const root = new Float64Array(op.size);
  for (let i = 0; i < op.size; i++) {
    if (weights[i] < 0) throw new RangeError(`${fn}: weights must be nonnegative; received ${weights[i]} at index ${i}.`);
    root[i] = Math.sqrt(weights[i]);
  }
  const scale = (v: Float64Array) => {
    const out = new Float64Array(v.length);
    for (let i = 0; i < v.length; i++) out[i] = root[i] * v[i];
    return out;
  };
  const scaled: LinearOperator = {
    size: op.size,
    matvec: (v) => scale(op.matvec(scale(v))),
  };
  if (op.matmat) {
    const mm = op.matmat.bind(op);
    (scaled as { matmat?: LinearOperator["matmat"] }).matmat = (vs) => mm(vs.map(scale)).map(scale);
  }
  return scaled;
}

/** A V column by column, through `matmat` where the operator has one. */
export function applyMany(op: LinearOperator, vs: readonly Float64Array[]): Float64Array[] {
  if (vs.length === 0) return [];
  return op.matmat ? op.matmat(vs) : vs.map((v) => op.matvec(v));
}

/** Checks an operator argument at the public edge of an algorithm. */
export function checkOperator(fn: string, op: unknown): LinearOperator {
  const o = op as LinearOperator;
  if (typeof op !== "object" || op === null || typeof o.matvec !== "function" || !Number.isInteger(o.size) || o.size < 1) {
    fail(fn, "op", "a LinearOperator {size, matvec}", op, TypeError);
  }
  return o;
}

/** Checks that a product has the right length and finite entries (a diverging or broken matvec). */
export function checkProduct(fn: string, y: Float64Array, size: number): Float64Array {
  if (!(y instanceof Float64Array) || y.length !== size) {
    throw new TypeError(`${fn}: op.matvec must return a Float64Array of length ${size}; received ${y instanceof Float64Array ? `length ${y.length}` : typeof y}.`);
  }
  for (let i = 0; i < size; i++) {
    if (!Number.isFinite(y[i])) throw new RangeError(`${fn}: op.matvec returned a non-finite value (${y[i]} at index ${i}); the operator or the point is not finite.`);
  }
  return y;
}
