import { test } from "node:test";
import assert from "node:assert/strict";
import { frobeniusNorm, sub } from "../../src/linalg/matrix.js";
import { sampleCompletionOperator, sampleGaussianOperator, sampleQuadraticOperator } from "../../src/problems/index.js";
import { nuclearNormMin } from "../../src/solvers/nuclear-norm.js";
import { AndersonAcceleration } from "../../src/solvers/anderson.js";
import { lowRankTruth, symmetricTruth } from "./dense-operator.js";

/** Iterates z ← T(z) for T(z) = z − h(Dz − c) (fixed point D⁻¹c), plain or accelerated; returns iterations and z. */
function affineFixedPoint(memory: number): { iterations: number; z: Float64Array } {
  const n = 120, D = new Float64Array(n).map((_, i) => 0.002 + i / n), c = new Float64Array(n).map((_, i) => Math.sin(i));
  const aa = memory > 0 ? new AndersonAcceleration(n, memory) : undefined;
  let z = new Float64Array(n), next = new Float64Array(n);
  const f = new Float64Array(n);
  for (let it = 1; it <= 20000; it++) {
    let res = 0;
    for (let i = 0; i < n; i++) { f[i] = -(D[i] * z[i] - c[i]); res += f[i] * f[i]; }
    if (Math.sqrt(res) < 1e-12) return { iterations: it, z };
    if (aa === undefined) for (let i = 0; i < n; i++) z[i] += f[i];
    else { aa.next(z, f, next); [z, next] = [next, z]; }
  }
  return { iterations: Infinity, z };
}

test("AndersonAcceleration reaches the known fixed point of an affine contraction in far fewer steps than the plain iteration", () => {
  const plain = affineFixedPoint(0), accelerated = affineFixedPoint(10);
  assert.ok(Number.isFinite(plain.iterations) && Number.isFinite(accelerated.iterations));
  assert.ok(accelerated.iterations * 4 < plain.iterations, `accelerated ${accelerated.iterations}, plain ${plain.iterations}`);
  const n = 120;
  for (let i = 0; i < n; i++) assert.ok(Math.abs(accelerated.z[i] - Math.sin(i) / (0.002 + i / n)) < 1e-8, `entry ${i}`);
});

test("AndersonAcceleration: with no history the step is the plain one, and after reset() again", () => {
  const aa = new AndersonAcceleration(3, 5);
  const out = new Float64Array(3);
  assert.equal(aa.next(Float64Array.of(1, 2, 3), Float64Array.of(0.5, -1, 0), out), false);
  assert.deepEqual(Array.from(out), [1.5, 1, 3]);
  assert.equal(aa.next(Float64Array.of(1.5, 1, 3), Float64Array.of(0.25, -0.5, 0), out), true);
  aa.reset();
  assert.equal(aa.next(Float64Array.of(0, 0, 0), Float64Array.of(1, 1, 1), out), false);
  assert.deepEqual(Array.from(out), [1, 1, 1]);
});

test("nuclearNormMin: accelerated and plain iterations reach the same known solution, the accelerated one in fewer iterations", () => {
  const cases = [
    { name: "gaussian 20×20, m = 190", A: sampleGaussianOperator({ d1: 20, d2: 20, m: 190, seed: 4 }), M: lowRankTruth(20, 20, 2, 4) },
    { name: "completion 20×20, p = 0.7", A: sampleCompletionOperator({ d1: 20, d2: 20, p: 0.7, seed: 5 }), M: lowRankTruth(20, 20, 2, 5) },
    { name: "quadratic d = 12, m = 150", A: sampleQuadraticOperator({ d: 12, m: 150, seed: 6 }), M: symmetricTruth(12, 2, 1, 6) },
  ];
  let plainTotal = 0, acceleratedTotal = 0;
  for (const { name, A, M } of cases) {
    const b = A.apply(M);
    const plain = nuclearNormMin(A, b, { acceleration: "none" });
    const fast = nuclearNormMin(A, b);
    for (const [label, r] of [["plain", plain], ["anderson", fast]] as const) {
      assert.ok(r.converged, `${name} ${label}: ${r.message}`);
      assert.ok(frobeniusNorm(sub(r.x, M)) < 1e-6, `${name} ${label}: error ${frobeniusNorm(sub(r.x, M))}`);
      assert.ok(r.primalResidual.at(-1)! <= 1e-9 && r.dualResidual.at(-1)! <= 1e-9, `${name} ${label}: residuals`);
      assert.ok(r.certificateNorm <= 1 + 1e-6, `${name} ${label}: ‖A*(λ)‖_op = ${r.certificateNorm}`);
    }
    plainTotal += plain.iterations;
    acceleratedTotal += fast.iterations;
  }
  assert.ok(acceleratedTotal < plainTotal, `accelerated ${acceleratedTotal} vs plain ${plainTotal} iterations`);
});

test("nuclearNormMin rejects an unknown acceleration or a bad memory, naming the option", () => {
  const A = sampleGaussianOperator({ d1: 4, d2: 4, m: 12, seed: 1 });
  const b = A.apply(lowRankTruth(4, 4, 1, 1));
  assert.throws(() => nuclearNormMin(A, b, { acceleration: "nesterov" as "none" }), /nuclearNormMin: options\.acceleration must be/);
  assert.throws(() => nuclearNormMin(A, b, { andersonMemory: 0 }), /nuclearNormMin: options\.andersonMemory must be/);
});
