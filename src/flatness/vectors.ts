/**
 * Float64 vector arithmetic shared by the flatness algorithms (the small protocol of
 * hessian-eigenthings' linalg/backend.py): plain loops, no allocation beyond the result.
 */

export function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

export function norm(a: ArrayLike<number>): number {
  return Math.sqrt(dot(a, a));
}

/** y ← y + alpha·x, in place. */
export function axpyInPlace(alpha: number, x: ArrayLike<number>, y: Float64Array): void {
  for (let i = 0; i < y.length; i++) y[i] += alpha * x[i];
}

export function scaled(alpha: number, x: ArrayLike<number>): Float64Array {
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = alpha * x[i];
  return out;
}

/**
 * Removes from v its components along the orthonormal vectors in `basis`, twice
 * (classical Gram-Schmidt applied twice is as stable as modified Gram-Schmidt and then some;
 * Giraud, Langou, Rozložník 2005, "twice is enough").
 */
export function orthogonalizeInPlace(v: Float64Array, basis: readonly Float64Array[]): void {
  for (let pass = 0; pass < 2; pass++) {
    for (const q of basis) axpyInPlace(-dot(q, v), q, v);
  }
}

export function mean(xs: readonly number[]): number {
  let s = 0;
  for (const x of xs) s += x;
  return s / xs.length;
}

/** Standard error of the mean, s/√n with the unbiased sample variance; 0 below two samples. */
export function standardError(xs: readonly number[]): number {
  const n = xs.length;
  if (n < 2) return n === 1 ? Infinity : NaN;
  const m = mean(xs);
  let ss = 0;
  for (const x of xs) ss += (x - m) ** 2;
  return Math.sqrt(ss / (n - 1) / n);
}
