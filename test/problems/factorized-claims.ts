/** Claims specific to the factorized problems [L, R] (Lemma 3.1), shared by their test files. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { type Matrix, matmul } from "./fixtures.js";
import { frobeniusNorm } from "../../src/linalg/matrix.js";
import type { Problem } from "../../src/problems/problem.js";
import type { FactorizedInstance } from "../../src/problems/factorized.js";

/** (L B, R B⁻ᵀ) with B = diag(2, 1/2, 1, …): another minimizer, unbalanced. */
export function unbalance(_inst: unknown, w: Matrix[]): Matrix[] {
  const [L, R] = w, k = L.cols;
  const b = Array.from({ length: k }, (_, j) => (j === 0 ? 2 : j === 1 ? 0.5 : 1));
  const scaleCols = (m: Matrix, f: (j: number) => number): Matrix => ({ rows: m.rows, cols: m.cols, data: m.data.map((x, t) => x * f(t % k)) });
  return [scaleCols(L, (j) => b[j]), scaleCols(R, (j) => 1 / b[j])];
}

export function checkLemma31<I extends FactorizedInstance>(p: Problem<I, unknown>, inst: I): void {
  test(`${p.name}: at minimizers str = 2‖D1 L‖² + 2‖D2 R‖² (Lemma 3.1, eq. (16)), and so at a random point`, () => {
    const { D1, D2 } = p.rescaling(inst);
    const w = p.minimizer(inst);
    for (const [L, R] of [w, unbalance(inst, w)]) {
      const str = 2 * frobeniusNorm(matmul(D1, L)) ** 2 + 2 * frobeniusNorm(matmul(D2, R)) ** 2;
      assert.ok(Math.abs(p.scaledHessianTrace(inst, [L, R]) - str) < 1e-12 * str);
    }
  });
}
