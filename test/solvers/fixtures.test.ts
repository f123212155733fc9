/**
 * The ADMM solvers against interior-point solutions computed outside flatlab (cvxopt SDP/LP,
 * bench/ref/make_fixtures.py; fixtures in test/fixtures/solvers/). Objective values must agree to
 * 1e-6 relative; solutions to 1e-5 relative (the interior-point iterate itself is accurate to about
 * the square root of its 1e-11 duality gap on degenerate faces, so this is the reference's limit).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { type Matrix, frobeniusNorm, sub } from "../../src/linalg/matrix.js";
import { bilinearOperator, completionOperator, quadraticOperator, rescalingMatrices } from "../../src/problems/index.js";
import type { MeasurementOperator } from "../../src/problems/operator.js";
import { flatRelaxation, plainRelaxation } from "../../src/solvers/flat-relaxation.js";
import { robustPcaRelaxation } from "../../src/solvers/robust-pca.js";
import { depthFlatSolution } from "../../src/solvers/depth.js";
import { assertClose } from "../helpers.js";
import { denseOperator } from "./dense-operator.js";

const DIR = join(__dirname, "..", "fixtures", "solvers");
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const load = (name: string): any => JSON.parse(readFileSync(join(DIR, name), "utf8"));
const mat = (rows: number, cols: number, data: number[]): Matrix => ({ rows, cols, data: Float64Array.from(data) });
const relDiff = (a: Matrix, b: Matrix) => frobeniusNorm(sub(a, b)) / Math.max(frobeniusNorm(b), 1e-300);

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function operators(c: any): MeasurementOperator[] {
  const { m, d1, d2 } = c;
  const rows = Float64Array.from(c.A.flat());
  const ops = [denseOperator(rows, m, d1, d2, c.symmetric, c.kind === "gaussian" ? "dense" : "dense")];
  // The library's structured operators for the same draws, so rescalingMatrices / rescaledOperator are checked too.
  if (c.kind === "bilinear") ops.push(bilinearOperator(mat(m, d1, c.a), mat(m, d2, c.bVectors)));
  if (c.kind === "quadratic") ops.push(quadraticOperator(mat(m, d1, c.x)));
  if (c.kind === "completion") {
    const ri: number[] = [], ci: number[] = [];
    c.mask.forEach((v: number, k: number) => { if (v) { ri.push(Math.floor(k / d2)); ci.push(k % d2); } });
    ops.push(completionOperator(d1, d2, Int32Array.from(ri), Int32Array.from(ci)));
  }
  return ops;
}

const files = readdirSync(DIR).filter((f) => f.endsWith(".json")).sort();

test("fixtures: the cvxopt reference files are present", () => {
  assert.ok(files.length >= 10, `expected ≥ 10 fixtures in ${DIR}, found ${files.length}`);
});

for (const file of files) {
  const c = load(file);
  if (c.program !== "plain" && c.program !== "flat") continue;
  test(`${c.program}Relaxation matches the interior-point solution of ${c.name} (objective 1e-6, solution 1e-5)`, () => {
    const { d1, d2 } = c;
    const xStar = mat(d1, d2, c.xStar);
    for (const A of operators(c)) {
      const label = `${c.name} (${A.kind} operator)`;
      let D1: Matrix | undefined, D2: Matrix | undefined;
      if (c.program === "flat") {
        // D1, D2 of the library against numpy's, formula of paper-notes §1.5.
        const D = rescalingMatrices(A);
        assert.ok(relDiff(D.D1, mat(d1, d1, c.D1)) < 1e-12, `${label}: D1 differs from the reference`);
        assert.ok(relDiff(D.D2, mat(d2, d2, c.D2)) < 1e-12, `${label}: D2 differs from the reference`);
        ({ D1, D2 } = D);
      }
      const r = c.program === "flat" ? flatRelaxation(A, c.b, { tol: 1e-10, D1, D2 }) : plainRelaxation(A, c.b, { tol: 1e-10 });
      assert.ok(r.converged, `${label}: ${r.message}`);
      assertClose(r.objective, c.optimalValue, 1e-6, 0, `${label}: optimal value`);
      assert.ok(relDiff(r.x!, xStar) < 1e-5, `${label}: ‖X̂ − X*‖/‖X*‖ = ${relDiff(r.x!, xStar).toExponential(2)}`);
      if (c.program === "flat") {
        const est = mat(d1, d2, c.estimate);
        assert.ok(relDiff(r.estimate!, est) < 1e-5, `${label}: estimate differs by ${relDiff(r.estimate!, est).toExponential(2)}`);
      }
    }
  });
}

test("robustPcaRelaxation matches the interior-point solution of rpca-6x6", () => {
  const c = load("rpca-6x6.json");
  const r = robustPcaRelaxation(mat(c.d1, c.d2, c.Y), c.radius, { tol: 1e-10 });
  assert.ok(r.converged, r.message);
  assertClose(r.objective, c.optimalValue, 1e-6, 0, "rpca optimal value");
  assert.ok(relDiff(r.x, mat(c.d1, c.d2, c.xStar)) < 1e-5);
});

test("depthFlatSolution with k = 2 matches the LP solution of weighted ℓ1 minimization (l1-12x30)", () => {
  const c = load("l1-12x30.json");
  const A = mat(c.m, c.d, c.A);
  const r = depthFlatSolution(A, c.b, 2, undefined, { tol: 1e-10 });
  assert.ok(r.converged, r.message);
  // Default weights D_ll² = ‖a_l‖²/m are the ones the reference used.
  for (let l = 0; l < c.d; l++) assertClose(r.weights[l], c.weights[l], 1e-12, 0, `weight ${l}`);
  assertClose(r.objective, c.optimalValue, 1e-6, 0, "weighted ℓ1 optimal value");
  const xs = Float64Array.from(c.xStar);
  let err = 0, nrm = 0;
  for (let l = 0; l < c.d; l++) { err += (r.x[l] - xs[l]) ** 2; nrm += xs[l] ** 2; }
  assert.ok(Math.sqrt(err / nrm) < 1e-6, `relative error ${Math.sqrt(err / nrm)}`);
});
