import { before, test } from "node:test";
import assert from "node:assert/strict";
import { assertClose } from "../helpers.js";
import { hessianOperator } from "../../src/flatness/hessian.js";
import { matrixOperator } from "../../src/flatness/operator.js";
import { spectralDensity } from "../../src/flatness/spectral-density.js";
import { assertNoLeak, gaussianMatrix, identityMapLoss, tensorOf, useBackend, withSpectrum } from "./fixtures.js";

before(async () => {
  await useBackend();
});

const n = 50;
const spectrum = Array.from({ length: n }, (_, i) => (i < 5 ? 20 + i : Math.sin(i)));
const A = withSpectrum(spectrum, 61);
const tr = spectrum.reduce((a, b) => a + b, 0);

function trapezoid(x: readonly number[], y: readonly number[]): number {
  let s = 0;
  for (let i = 1; i < x.length; i++) s += 0.5 * (x[i] - x[i - 1]) * (y[i] + y[i - 1]);
  return s;
}

test("spectralDensity integrates to 1 and its mean matches tr(A)/n within 4 standard errors", () => {
  const r = spectralDensity(matrixOperator(A), { numRuns: 10, lanczosSteps: 30, seed: 1 });
  assertClose(trapezoid(r.grid, r.density), 1, 1e-3, 0, "∫ density");
  const meanOfDensity = trapezoid(r.grid, r.grid.map((x, i) => x * r.density[i]));
  // Var of a normalized Rademacher quadratic form: 2(‖A‖²_F − Σ A_ii²)/n², over numRuns runs.
  let frob = 0, diag = 0;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
    frob += A.data[i * n + j] ** 2;
    if (i === j) diag += A.data[i * n + j] ** 2;
  }
  const stderr = Math.sqrt((2 * (frob - diag)) / n ** 2 / 10);
  assert.ok(Math.abs(meanOfDensity - tr / n) <= 4 * stderr, `mean ${meanOfDensity} vs ${tr / n} (stderr ${stderr})`);
  assertClose(r.traceEstimate / n, meanOfDensity, 1e-3, 1e-6, "traceEstimate is n × the density mean");
  r.weights.forEach((w) => assertClose(w.reduce((a, b) => a + b, 0), 1, 1e-12, 0, "weights sum"));
  assert.equal(r.nodes.length, 10);
  assert.deepEqual(r.lanczosSteps, Array(10).fill(30));
});

test("spectralDensity's Ritz nodes reproduce the spectrum when lanczosSteps reaches the size", () => {
  const small = [5, 3, -1, 0.5, 2];
  const r = spectralDensity(matrixOperator(withSpectrum(small, 62)), { numRuns: 2, lanczosSteps: 80, seed: 2 });
  const sorted = small.slice().sort((a, b) => a - b);
  for (const run of r.nodes) run.forEach((x, i) => assertClose(x, sorted[i], 1e-10, 1e-10, `node ${i}`));
  assert.deepEqual(r.lanczosSteps, [5, 5]);
});

test("spectralDensity puts a separated outlier's weight near k/n (5 of 50 eigenvalues above 20)", () => {
  const r = spectralDensity(matrixOperator(A), { numRuns: 20, lanczosSteps: 40, seed: 3 });
  const mass = trapezoid(r.grid.filter((x) => x > 10), r.density.filter((_, i) => r.grid[i] > 10));
  assert.ok(Math.abs(mass - 5 / n) < 0.05, `outlier mass ${mass}`);
});

test("spectralDensity rejects bad counts and widths, naming the argument", () => {
  const op = matrixOperator(A);
  assert.throws(() => spectralDensity(op, { numRuns: 0 }), /spectralDensity: numRuns must be an integer ≥ 1; received 0/);
  assert.throws(() => spectralDensity(op, { lanczosSteps: 0 }), /lanczosSteps must be an integer ≥ 1; received 0/);
  assert.throws(() => spectralDensity(op, { sigma: 0 }), /sigma must be a finite number > 0; received 0/);
  assert.throws(() => spectralDensity(op, { numGridPoints: 1 }), /numGridPoints must be an integer ≥ 2; received 1/);
});

test("spectralDensity on a Hessian leaves tf.memory().numTensors unchanged over 100 calls", () => {
  const lt = tensorOf(gaussianMatrix(2, 2, 63)), rt = tensorOf(gaussianMatrix(2, 2, 64));
  const loss = identityMapLoss(gaussianMatrix(2, 2, 65));
  assertNoLeak("spectralDensity", () => {
    const op = hessianOperator(loss, [lt, rt]);
    spectralDensity(op, { numRuns: 2, lanczosSteps: 4, numGridPoints: 50 });
    op.dispose();
  });
  lt.dispose();
  rt.dispose();
});
