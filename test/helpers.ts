import assert from "node:assert/strict";

/** |actual - expected| ≤ rtol·max(|expected|, tiny) + atol, with both numbers in the message. */
export function assertClose(actual: number, expected: number, rtol = 1e-12, atol = 0, what = "value"): void {
  const err = Math.abs(actual - expected);
  const tol = rtol * Math.abs(expected) + atol;
  assert.ok(Number.isFinite(actual) && err <= tol, `${what}: expected ${expected}, received ${actual} (error ${err.toExponential(2)} > tolerance ${tol.toExponential(2)})`);
}

/** Relative error of two arrays in the Euclidean norm. */
export function relError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.equal(a.length, b.length, "relError: lengths differ");
  let num = 0, den = 0;
  for (let i = 0; i < a.length; i++) { num += (a[i] - b[i]) ** 2; den += b[i] ** 2; }
  return Math.sqrt(num) / Math.max(Math.sqrt(den), 1e-300);
}
