import { test } from "node:test";
import assert from "node:assert/strict";
import { dot, denseRows, randomMatrixFor } from "./fixtures.js";
import { relError } from "../helpers.js";
import {
  sampleGaussianOperator, sampleBilinearOperator, sampleCompletionOperator, sampleQuadraticOperator,
  identityOperator, completionOperator, completionOperatorFromMask, bilinearOperator, gaussianOperator,
} from "../../src/problems/operators.js";
import type { MeasurementOperator } from "../../src/problems/operator.js";
import { createRng } from "../../src/random/rng.js";

const operators = (): [string, MeasurementOperator][] => [
  ["gaussian", sampleGaussianOperator({ d1: 4, d2: 3, m: 7, seed: 1 })],
  ["bilinear", sampleBilinearOperator({ d1: 4, d2: 3, m: 7, seed: 2 })],
  ["completion", sampleCompletionOperator({ d1: 4, d2: 3, p: 0.5, seed: 3 })],
  ["quadratic", sampleQuadraticOperator({ d: 4, m: 6, seed: 4 })],
  ["identity", identityOperator(3, 2)],
];

for (const [name, A] of operators()) {
  test(`${name}: adjoint identity ⟨A(X), y⟩ = ⟨X, A*(y)⟩`, () => {
    const rng = createRng(11);
    const X = randomMatrixFor(rng, A.d1, A.d2), y = rng.gaussians(A.m);
    const Ax = A.apply(X);
    let lhs = 0;
    for (let i = 0; i < A.m; i++) lhs += Ax[i] * y[i];
    const rhs = dot(X, A.adjoint(y));
    assert.ok(Math.abs(lhs - rhs) <= 1e-12 * (Math.abs(lhs) + 1), `${lhs} vs ${rhs}`);
  });

  test(`${name}: apply agrees with the materialized A_i and gram = A A*`, () => {
    const rows = denseRows(A), X = randomMatrixFor(createRng(12), A.d1, A.d2);
    const Ax = A.apply(X);
    for (let i = 0; i < A.m; i++) assert.ok(Math.abs(Ax[i] - dot(rows[i], X)) < 1e-12 * (1 + Math.abs(Ax[i])));
    const G = A.gram(), e = new Float64Array(A.m);
    const AAt = new Float64Array(A.m * A.m);
    for (let j = 0; j < A.m; j++) { e[j] = 1; const col = A.apply(A.adjoint(e)); e[j] = 0; for (let i = 0; i < A.m; i++) AAt[i * A.m + j] = col[i]; }
    assert.ok(relError(G.data, AAt) < 1e-13);
    if (A.symmetric) for (const Ai of rows) for (let p = 0; p < A.d1; p++) for (let q = 0; q < A.d2; q++) assert.equal(Ai.data[p * A.d2 + q], Ai.data[q * A.d2 + p]);
  });

  test(`${name}: apply and adjoint reject shape mismatches naming the argument`, () => {
    assert.throws(() => A.apply({ rows: A.d1 + 1, cols: A.d2, data: new Float64Array((A.d1 + 1) * A.d2) }), /apply: x must have shape \[\d+, \d+\]/);
    assert.throws(() => A.adjoint(new Float64Array(A.m + 1)), /adjoint: y\.length must be \d+/);
    assert.throws(() => A.adjoint(Float64Array.from({ length: A.m }, (_, i) => (i === 0 ? NaN : 0))), /y must be finite; received NaN at index 0/);
  });
}

test("bilinearOperator gram entries are (a_i·a_j)(b_i·b_j)", () => {
  const a = { rows: 2, cols: 2, data: Float64Array.from([1, 2, 3, 4]) }, b = { rows: 2, cols: 1, data: Float64Array.from([5, 6]) };
  const G = bilinearOperator(a, b).gram();
  assert.deepEqual(Array.from(G.data), [5 * 25, 11 * 30, 11 * 30, 25 * 36]);
});

test("completionOperatorFromMask observes the ones in row-major order and rejects duplicates and other values", () => {
  const A = completionOperatorFromMask({ rows: 2, cols: 2, data: Float64Array.from([0, 1, 1, 1]) });
  assert.deepEqual([Array.from(A.rowIndex), Array.from(A.colIndex)], [[0, 1, 1], [1, 0, 1]]);
  assert.throws(() => completionOperatorFromMask({ rows: 1, cols: 2, data: Float64Array.from([0, 2]) }), /mask entry \(0, 1\) must be 0 or 1; received 2/);
  assert.throws(() => completionOperator(2, 2, Int32Array.from([0, 0]), Int32Array.from([1, 1])), /entry \(0, 1\) must be observed at most once/);
  assert.throws(() => completionOperator(2, 2, Int32Array.from([2]), Int32Array.from([0])), /rowIndex\[0\] must be in \[0, 1\]; received 2/);
});

test("samplers reject bad sizes, p outside (0, 1] and m ≤ 0 naming the argument", () => {
  assert.throws(() => sampleGaussianOperator({ d1: 2, d2: 2, m: 0, seed: 1 }), /sampleGaussianOperator: m must be an integer ≥ 1; received 0/);
  assert.throws(() => sampleBilinearOperator({ d1: 0, d2: 2, m: 3, seed: 1 }), /d1 must be an integer ≥ 1; received 0/);
  assert.throws(() => sampleCompletionOperator({ d1: 2, d2: 2, p: 0, seed: 1 }), /p must be a number in \(0, 1\]; received 0/);
  assert.throws(() => sampleCompletionOperator({ d1: 2, d2: 2, p: 1.5, seed: 1 }), /p must be a number in \(0, 1\]; received 1.5/);
  assert.throws(() => sampleQuadraticOperator({ d: 3, m: -1, seed: 1 }), /m must be an integer ≥ 1; received -1/);
  assert.throws(() => gaussianOperator(2, 2, { rows: 1, cols: 3, data: new Float64Array(3) }), /rows must have shape \[1, 4\]; received \[1, 3\]/);
  assert.throws(() => bilinearOperator({ rows: 2, cols: 2, data: new Float64Array(4) }, { rows: 3, cols: 2, data: new Float64Array(6) }), /bilinearOperator: b must have shape \[2, 2\]; received \[3, 2\]/);
});

test("sampleCompletionOperator with p = 1 observes every entry, and the same seed gives the same mask", () => {
  assert.equal(sampleCompletionOperator({ d1: 3, d2: 4, p: 1, seed: 5 }).m, 12);
  const a = sampleCompletionOperator({ d1: 6, d2: 6, p: 0.3, seed: 9 }), b = sampleCompletionOperator({ d1: 6, d2: 6, p: 0.3, seed: 9 });
  assert.deepEqual(a.rowIndex, b.rowIndex);
  assert.deepEqual(a.colIndex, b.colIndex);
});


