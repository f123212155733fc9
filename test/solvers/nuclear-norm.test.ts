import { test } from "node:test";
import assert from "node:assert/strict";
import { type Matrix, frobeniusNorm, sub, dot, transpose } from "../../src/linalg/matrix.js";
import { singularValues } from "../../src/linalg/svd.js";
import { nuclearNorm } from "../../src/linalg/norms.js";
import { sampleGaussianOperator, sampleQuadraticOperator, sampleCompletionOperator, sampleBilinearOperator, identityOperator } from "../../src/problems/index.js";
import type { MeasurementOperator } from "../../src/problems/operator.js";
import { flatRelaxation } from "../../src/solvers/flat-relaxation.js";
import { recoveryInstance } from "../../src/experiments/recovery.js";
import { nuclearNormMin } from "../../src/solvers/nuclear-norm.js";
import { assertClose } from "../helpers.js";
import { denseOperator, lowRankTruth, symmetricTruth } from "./dense-operator.js";

const err = (a: Matrix, b: Matrix) => frobeniusNorm(sub(a, b));
const finite = (x: Matrix) => x.data.every(Number.isFinite);

test("nuclearNormMin recovers a rank-2 10×10 matrix exactly from m = 90 Gaussian measurements (‖X̂ − M‖_F < 1e-6)", () => {
  for (const seed of [1, 2, 3]) {
    const A = sampleGaussianOperator({ d1: 10, d2: 10, m: 90, seed });
    const M = lowRankTruth(10, 10, 2, seed);
    const r = nuclearNormMin(A, A.apply(M));
    assert.ok(r.converged, r.message);
    assert.ok(err(r.x, M) < 1e-6, `seed ${seed}: error ${err(r.x, M)}`);
    assert.equal(r.rank, 2);
    assert.ok(r.primalResidual.at(-1)! <= 1e-9 && r.dualResidual.at(-1)! <= 1e-9);
    assert.equal(r.primalResidual.length, r.iterations);
  }
});

test("nuclearNormMin fails to recover well below the phase transition (m = 30 < 2rd − r² = 36)", () => {
  const A = sampleGaussianOperator({ d1: 10, d2: 10, m: 30, seed: 5 });
  const M = lowRankTruth(10, 10, 2, 5);
  const r = nuclearNormMin(A, A.apply(M));
  assert.ok(r.converged, r.message);
  assert.ok(err(r.x, M) > 1e-2, `error ${err(r.x, M)} should be large`);
  // X̂ is still a minimizer: feasible, and no larger in nuclear norm than M.
  assert.ok(r.feasibility < 1e-8);
  assert.ok(r.objective <= nuclearNorm(M) + 1e-8);
});

test("nuclearNormMin returns a KKT certificate: Y = A*(λ) with ‖Y‖_op ≤ 1 + 1e-6 and ⟨Y, X̂⟩ = ‖X̂‖_*", () => {
  for (const m of [30, 60, 90]) {
    const A = sampleGaussianOperator({ d1: 8, d2: 9, m, seed: m });
    const M = lowRankTruth(8, 9, 2, m);
    const b = A.apply(M);
    const r = nuclearNormMin(A, b);
    assert.ok(r.converged, r.message);
    const Y = A.adjoint(r.multiplier);
    const opNorm = singularValues(Y)[0];
    assert.ok(opNorm <= 1 + 1e-6, `m = ${m}: ‖A*(λ)‖_op = ${opNorm}`);
    assertClose(dot(Y, r.x), nuclearNorm(r.x), 1e-7, 0, `m = ${m}: ⟨A*(λ), X̂⟩`);
    assertClose(r.objective, nuclearNorm(r.x), 1e-10, 0, "reported objective");
    // Weak duality: the dual bound is below the primal value and within 1e-7 of it.
    assert.ok(r.dualObjective <= r.objective * (1 + 1e-9));
    assertClose(r.dualObjective, r.objective, 1e-7, 0, `m = ${m}: duality gap`);
  }
});

test("nuclearNormMin on the quadratic ensemble keeps X̂ exactly symmetric and recovers an indefinite rank-3 truth", () => {
  const A = sampleQuadraticOperator({ d: 8, m: 100, seed: 3 });
  const M = symmetricTruth(8, 2, 1, 3);
  const r = nuclearNormMin(A, A.apply(M));
  assert.ok(r.converged, r.message);
  assert.deepEqual(Array.from(r.x.data), Array.from(transpose(r.x).data));
  assert.ok(err(r.x, M) < 1e-6, `error ${err(r.x, M)}`);
  assert.equal(r.rank, 3);
});

test("nuclearNormMin handles completion (diagonal Gram) and bilinear (singular Gram, m > d1·d2) operators", () => {
  const M = lowRankTruth(12, 12, 2, 4);
  const C = sampleCompletionOperator({ d1: 12, d2: 12, p: 0.8, seed: 4 });
  const rc = nuclearNormMin(C, C.apply(M));
  assert.equal(rc.gramMethod, "diagonal");
  assert.ok(rc.converged && err(rc.x, M) < 1e-6, `completion: ${rc.message}, error ${err(rc.x, M)}`);
  const B = sampleBilinearOperator({ d1: 6, d2: 6, m: 50, seed: 4 });
  const M6 = lowRankTruth(6, 6, 1, 4);
  const rb = nuclearNormMin(B, B.apply(M6));
  assert.equal(rb.gramMethod, "pseudo-inverse");
  assert.ok(rb.converged && err(rb.x, M6) < 1e-6, `bilinear: ${rb.message}, error ${err(rb.x, M6)}`);
});

test("nuclearNormMin with A = I returns M itself", () => {
  const M = lowRankTruth(5, 7, 2, 9);
  const r = nuclearNormMin(identityOperator(5, 7), M.data);
  assert.ok(r.converged);
  assert.ok(err(r.x, M) < 1e-9);
});

test("nuclearNormMin with b = 0 returns X̂ = 0 without iterating", () => {
  const A = sampleGaussianOperator({ d1: 4, d2: 4, m: 6, seed: 1 });
  const r = nuclearNormMin(A, new Float64Array(6));
  assert.equal(r.iterations, 0);
  assert.ok(r.converged);
  assert.equal(frobeniusNorm(r.x), 0);
});

test("nuclearNormMin reports the iteration cap: converged false, a message with both residuals, finite output", () => {
  const A = sampleGaussianOperator({ d1: 10, d2: 10, m: 90, seed: 1 });
  const M = lowRankTruth(10, 10, 2, 1);
  const r = nuclearNormMin(A, A.apply(M), { maxIter: 5 });
  assert.equal(r.converged, false);
  assert.equal(r.iterations, 5);
  assert.match(r.message, /no convergence after 5 iterations \(primal residual [0-9.e+-]+, dual residual [0-9.e+-]+, tol 1e-9\)/);
  assert.ok(finite(r.x) && Number.isFinite(r.objective));
});

test("nuclearNormMin calls onIteration once per iteration and a warm start from the solution converges at once", () => {
  const A = sampleGaussianOperator({ d1: 10, d2: 10, m: 90, seed: 2 });
  const M = lowRankTruth(10, 10, 2, 2);
  const b = A.apply(M);
  const seen: number[] = [];
  const r = nuclearNormMin(A, b, { onIteration: (i) => seen.push(i.iteration) });
  assert.deepEqual(seen, Array.from({ length: r.iterations }, (_, i) => i + 1));
  const warm = nuclearNormMin(A, b, { x0: r.x, dual0: r.dual, rho: r.rho });
  assert.ok(warm.converged);
  assert.ok(warm.iterations <= 3, `warm start took ${warm.iterations} iterations`);
  assert.ok(err(warm.x, M) < 1e-6);
});

test("nuclearNormMin is scale-equivariant: b → c·b gives X̂ → c·X̂", () => {
  const A = sampleGaussianOperator({ d1: 7, d2: 7, m: 30, seed: 8 });
  const M = lowRankTruth(7, 7, 2, 8);
  const b = A.apply(M);
  const r1 = nuclearNormMin(A, b);
  const r2 = nuclearNormMin(A, b.map((v) => v * 1e4));
  assert.ok(r1.converged && r2.converged);
  assert.ok(frobeniusNorm(sub(r2.x, { ...r1.x, data: r1.x.data.map((v) => v * 1e4) })) / 1e4 < 1e-7);
});

test("nuclearNormMin rejects a negative or zero tol, a wrong b length, non-finite b, a mis-shaped x0, a non-operator", () => {
  const A = sampleGaussianOperator({ d1: 4, d2: 5, m: 8, seed: 1 });
  const b = new Float64Array(8).fill(1);
  assert.throws(() => nuclearNormMin(A, b, { tol: -1e-9 }), /nuclearNormMin: options\.tol must be a finite number > 0; received -1e-9\./);
  assert.throws(() => nuclearNormMin(A, b, { tol: 0 }), /options\.tol must be a finite number > 0; received 0\./);
  assert.throws(() => nuclearNormMin(A, b.slice(0, 7)), /nuclearNormMin: b.length must be 8; received 7\./);
  assert.throws(() => nuclearNormMin(A, [1, 2, 3, 4, 5, 6, 7, NaN]), /nuclearNormMin: b must be finite; received NaN at index 7\./);
  assert.throws(() => nuclearNormMin(A, b, { x0: { rows: 5, cols: 4, data: new Float64Array(20) } }), /options\.x0 must have shape \[4, 5\]; received \[5, 4\]/);
  assert.throws(() => nuclearNormMin({} as MeasurementOperator, b), TypeError);
  assert.throws(() => nuclearNormMin(A, b, { maxIter: 0 }), /options\.maxIter must be an integer ≥ 1; received 0\./);
});

test("nuclearNormMin rejects b outside the range of A (inconsistent system) with a clear error", () => {
  // Two identical measurements with different values: A(X) = b has no solution.
  const rows = new Float64Array(2 * 4);
  rows.set([1, 2, 3, 4], 0);
  rows.set([1, 2, 3, 4], 4);
  const A = denseOperator(rows, 2, 2, 2);
  assert.throws(() => nuclearNormMin(A, [1, 2]), /nuclearNormMin: b must lie in the range of A \(the system A\(X\) = b is inconsistent\); received b with least-squares residual .* > 1e-8/);
  // Consistent repeated measurements are fine.
  const r = nuclearNormMin(A, [3, 3]);
  assert.ok(r.converged && r.feasibility < 1e-9);
  // A completion map with m = d1·d2 and an unobserved entry carrying a nonzero value.
  const mask = new Float64Array(4 * 4);
  mask[0] = 1; mask[5] = 1; // A_1 = e_0, A_2 = e_1; A_3 = A_4 = 0 (unobserved coordinates)
  const C = denseOperator(mask, 4, 2, 2);
  assert.throws(() => nuclearNormMin(C, [1, 1, 0.5, 0]), /b must lie in the range of A/);
});

test("nuclearNormMin stops with a clear divergence error when the operator produces a non-finite iterate", () => {
  const A = sampleGaussianOperator({ d1: 5, d2: 5, m: 12, seed: 3 });
  let calls = 0;
  // kind "broken" (not "gaussian"): the solver must go through this adjoint, not the dense rows.
  const broken: MeasurementOperator = {
    kind: "broken", d1: A.d1, d2: A.d2, m: A.m, symmetric: false,
    apply: (x) => A.apply(x),
    adjoint: (y) => { calls++; const out = A.adjoint(y); if (calls > 20) out.data[3] = Infinity; return out; },
    gram: () => A.gram(),
  };
  const M = lowRankTruth(5, 5, 1, 3);
  assert.throws(() => nuclearNormMin(broken, A.apply(M)), /nuclearNormMin: the iteration diverged \(non-finite iterate .* iteration \d+\)/);
});

test("nuclearNormMin is scale-free in b: b×1e-170 and b×1e200 give the b×1 solution scaled, with honest feasibility (issue 13, item 2)", () => {
  const A = sampleGaussianOperator({ d1: 4, d2: 4, m: 12, seed: 11 });
  const M = lowRankTruth(4, 4, 1, 11);
  const b = A.apply(M);
  const ref = nuclearNormMin(A, b);
  assert.ok(ref.converged, ref.message);
  for (const s of [1e-170, 1e200]) {
    const r = nuclearNormMin(A, b.map((v) => v * s));
    assert.ok(r.converged, `×${s}: ${r.message}`);
    // In the caller's units: X̂ = s·X̂(b), objective and dual bound scale with s, λ does not.
    const scaled = { rows: 4, cols: 4, data: r.x.data.map((v) => v / s) };
    assert.ok(err(scaled, ref.x) <= 1e-9 * frobeniusNorm(ref.x), `×${s}: ‖X̂/s − X̂(b)‖ = ${err(scaled, ref.x)}`);
    assertClose(r.objective / s, ref.objective, 1e-9, 0, `×${s}: objective`);
    assertClose(r.dualObjective / s, ref.dualObjective, 1e-9, 0, `×${s}: dual bound`);
    assert.ok(r.feasibility > 0 && r.feasibility < 1e-8, `×${s}: feasibility ${r.feasibility}`);
    assert.ok(r.objective > 0 && Number.isFinite(r.objective));
    // A(X̂) = b checked here in the caller's units, scaled to avoid under- and overflow.
    const ax = A.apply(scaled);
    let num = 0, den = 0;
    for (let i = 0; i < 12; i++) { num += (ax[i] - b[i]) ** 2; den += b[i] ** 2; }
    assert.ok(Math.sqrt(num / den) < 1e-8, `×${s}: ‖A(X̂/s) − b‖/‖b‖ = ${Math.sqrt(num / den)}`);
    // ρ in the caller's units (it scales as 1/s; b·s is not an exact rescaling of b, so the paths differ in rounding).
    assertClose(r.rho * s, ref.rho, 1e-3, 0, `×${s}: ρ`);
  }
});

test("an accelerated flat solve that an early change of ρ once made run away converges (quadratic network, d = 6, m = 27)", () => {
  // Notebook 06's quick grid, trial 2 of cell (d = 6, m = 27): when ρ could change on an
  // extrapolated iterate, a change at iteration 10 restarted from an extrapolation to ‖Y‖_* =
  // 2.8·10⁹ and the solve stopped at the cap with error 5.5·10³. Now changes wait for a plain step.
  const { truth, A, b } = recoveryInstance({ ensemble: "quadratic", d: 6, m: 27, r: 3, r2: 1 }, 3385517294, 2022);
  const res = flatRelaxation(A, b, { tol: 1e-9, maxIter: 20000 });
  assert.ok(res.converged && res.iterations <= 100, res.message);
  const error = frobeniusNorm(sub(res.estimate!, truth));
  assert.ok(error < 1e-6, `error ${error}`);
});

test("a stalled accelerated solve (Y fixed while the dual drifts) raises ρ and converges (covariance, d = 30, m = 45)", () => {
  // Deciding ρ on extrapolated iterates lowered it 100-fold here (their dual residual measures the
  // extrapolation's jump) and the stall lasted: 613 iterations, or the 20,000 cap when rejected
  // iterates were merely skipped. On plain steps the dual residual is 10⁻¹⁵ and ρ goes up.
  const { A, b } = recoveryInstance({ ensemble: "covariance", d: 30, r: 1, m: 45 }, 12576399, 2022);
  const res = flatRelaxation(A, b, { tol: 1e-9 });
  assert.ok(res.converged && res.iterations <= 400, res.message);
});

test("an operator whose adjoint keeps state between calls makes the accelerated solve stop with a divergence message, not at the cap", () => {
  const { A, b } = recoveryInstance({ ensemble: "gaussian", d: 8, r: 1, m: 30 }, 5, 7);
  // A classic bug: adjoint accumulates into a buffer it never clears (A.gram and A.apply are right).
  const buffer = new Float64Array(64);
  const leaky: MeasurementOperator = {
    ...A, kind: "leaky", apply: (x) => A.apply(x), gram: () => A.gram(),
    adjoint: (y) => { const t = A.adjoint(y).data; for (let i = 0; i < 64; i++) buffer[i] += t[i]; return { rows: 8, cols: 8, data: Float64Array.from(buffer) }; },
  };
  assert.throws(() => nuclearNormMin(leaky, b, { maxIter: 20000 }), /nuclearNormMin: the iteration diverged \(‖Y‖_F = .* at iteration \d+, over 1000 times the bound .*A\.adjoint is the adjoint of A\.apply/);
  // The same operator without the bug converges.
  assert.ok(nuclearNormMin(A, b).converged);
});

test("nuclearNormMin: each iteration's feasibleObjectiveBound bounds the optimal value, and stopWhen stops the solve with a message", () => {
  const A = sampleGaussianOperator({ d1: 12, d2: 10, m: 100, seed: 4 });
  const M = lowRankTruth(12, 10, 2, 4);
  const b = A.apply(M);
  const bounds: number[] = [];
  const full = nuclearNormMin(A, b, { onIteration: (info) => bounds.push(info.feasibleObjectiveBound as number) });
  assert.ok(full.converged && err(full.x, M) < 1e-6, full.message);
  // ‖X_k‖_* ≥ optimum = ‖M‖_* (exact recovery) at every iteration, and the bound is at least that.
  const optimum = nuclearNorm(M);
  assert.equal(bounds.length, full.iterations);
  for (const [k, bound] of bounds.entries()) assert.ok(bound >= optimum * (1 - 1e-12), `iteration ${k + 1}: bound ${bound} < optimum ${optimum}`);
  assert.ok(Math.abs(bounds.at(-1)! - optimum) < 1e-6 * optimum, "the bound tends to the optimum");
  const stopped = nuclearNormMin(A, b, { stopWhen: (info) => info.iteration === 5 });
  assert.equal(stopped.converged, false);
  assert.equal(stopped.stopped, true);
  assert.equal(stopped.iterations, 5);
  assert.match(stopped.message, /^nuclearNormMin: stopped by options\.stopWhen after 5 iterations, not converged/);
  assert.equal(full.stopped, undefined, "a converged run carries no stopped flag");
});
