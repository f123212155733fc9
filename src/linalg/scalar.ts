/**
 * Scalar helpers for the decompositions: a cheap hypot, and the power-of-two scaling that keeps
 * the kernels away from overflow and underflow.
 */

/** sqrt(a² + b²) for plane rotations, without Math.hypot's cost (several times slower in V8); falls back to it only when squaring over- or underflows. */
export function hypot(a: number, b: number): number {
  const r = Math.sqrt(a * a + b * b);
  if (r === Infinity || (r < 1e-150 && (a !== 0 || b !== 0))) return Math.hypot(a, b);
  return r;
}

/**
 * An exponent e such that 2^-e·max|x_i| lies in [0.5, 1) when max|x_i| is outside
 * [2^-100, 2^100], else 0. Multiplying by a power of two is exact, so decompositions can work on
 * 2^-e·x, away from overflow and underflow (as LAPACK's drivers do), and unscale their results.
 */
export function safeScaleExponent(x: Float64Array): number {
  let amax = 0;
  for (let i = 0; i < x.length; i++) {
    const v = Math.abs(x[i]);
    if (v > amax) amax = v;
  }
  if (amax === 0 || (amax >= 2 ** -100 && amax <= 2 ** 100)) return 0;
  return Math.floor(Math.log2(amax)) + 1;
}

/** x ← 2^k·x in place, in two steps so that 2^k itself never overflows or underflows. */
export function scalePow2(x: Float64Array, k: number): void {
  if (k === 0) return;
  const h = Math.trunc(k / 2);
  const f1 = 2 ** h, f2 = 2 ** (k - h);
  for (let i = 0; i < x.length; i++) x[i] = x[i] * f1 * f2;
}

/** 2^k·x for one number, as scalePow2 does it. */
export function timesPow2(x: number, k: number): number {
  if (k === 0) return x;
  const h = Math.trunc(k / 2);
  return x * 2 ** h * 2 ** (k - h);
}
