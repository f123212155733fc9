import { before, test } from "node:test";
import assert from "node:assert/strict";
import { assertClose } from "../helpers.js";
import { matrixOperator } from "../../src/flatness/operator.js";
import { powerIteration } from "../../src/flatness/power-iteration.js";
import { useBackend, withSpectrum } from "./fixtures.js";

before(async () => {
  await useBackend();
});

test("powerIteration with deflation finds the two largest-magnitude eigenpairs of a known spectrum", () => {
  const a = withSpectrum([10, -6, 3, 2, 1, 0.5, -0.5, 0.1], 45);
  const r = powerIteration(matrixOperator(a), { k: 2, maxIter: 1000, tol: 1e-8, seed: 4 });
  assertClose(r.eigenvalues[0], 10, 1e-7, 0, "λ1");
  assertClose(r.eigenvalues[1], -6, 1e-7, 0, "λ2");
  assert.deepEqual(r.converged, [true, true]);
  r.residuals.forEach((res) => assert.ok(res <= 1e-8 * 10));
  let overlap = 0;
  for (let j = 0; j < 8; j++) overlap += r.eigenvectors[0][j] * r.eigenvectors[1][j];
  assert.ok(Math.abs(overlap) < 1e-8, "eigenvectors not orthogonal");
});

test("powerIteration reports converged = false when maxIter is too small", () => {
  const a = withSpectrum([1, 0.99, 0.5, 0.1], 46);
  const r = powerIteration(matrixOperator(a), { k: 1, maxIter: 3, tol: 1e-10 });
  assert.deepEqual(r.converged, [false]);
  assert.deepEqual(r.iterations, [3]);
});

