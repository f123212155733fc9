/**
 * Cross-check of every problem's closed-form traces against the flatness estimators (exact trace
 * from batched HVPs over tfjs), at a random point and at a minimizer: float32, relative error < 1e-3.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { randomMatrixFor, relDiff, toTensors, type Matrix } from "./fixtures.js";
import { hessianTrace, scaledHessianTrace } from "../../src/flatness/trace.js";
import { createRng } from "../../src/random/rng.js";
import type { Problem } from "../../src/problems/problem.js";
import { identityProblem } from "../../src/problems/identity.js";
import { sensingProblem } from "../../src/problems/sensing.js";
import { bilinearProblem } from "../../src/problems/bilinear.js";
import { completionProblem } from "../../src/problems/completion.js";
import { robustPcaProblem } from "../../src/problems/robust-pca.js";
import { quadraticNetProblem } from "../../src/problems/quadratic-net.js";
import { hadamardProblem } from "../../src/problems/hadamard.js";

tf.setBackend("cpu");

const cases: [Problem<any, any>, unknown][] = [
  [identityProblem, identityProblem.generate({ d1: 3, d2: 4, r: 2, k: 3, seed: 1 })],
  [sensingProblem, sensingProblem.generate({ d1: 3, d2: 4, r: 2, k: 3, m: 30, seed: 2 })],
  [bilinearProblem, bilinearProblem.generate({ d1: 4, d2: 3, r: 2, k: 3, m: 25, seed: 3 })],
  [completionProblem, completionProblem.generate({ d1: 4, d2: 5, r: 2, k: 3, p: 0.7, seed: 4 })],
  [robustPcaProblem, robustPcaProblem.generate({ d1: 4, d2: 5, r: 2, k: 3, l: 1, seed: 5 })],
  [quadraticNetProblem, quadraticNetProblem.generate({ d: 4, r1: 1, r2: 1, k1: 2, k2: 2, m: 20, seed: 6 })],
  [hadamardProblem, hadamardProblem.generate({ d: 5, r: 2, k: 3, m: 8, seed: 7 })],
];

for (const [p, inst] of cases) {
  test(`${p.name}: closed-form hessianTrace and scaledHessianTrace equal the flatness exact traces (float32, < 1e-3)`, () => {
    const rng = createRng(8);
    const wStar = p.minimizer(inst);
    const wRand = wStar.map((m: Matrix) => randomMatrixFor(rng, m.rows, m.cols, 0.7));
    for (const w of [wRand, wStar]) {
      const loss = p.tfLoss(inst, w), params = toTensors(w);
      try {
        const plain = hessianTrace(loss, params).estimate;
        const scaled = scaledHessianTrace(loss, params, { weights: p.scaledTraceWeights(inst) }).estimate;
        assert.ok(relDiff(plain, p.hessianTrace(inst, w)) < 1e-3, `trace ${plain} vs ${p.hessianTrace(inst, w)}`);
        assert.ok(relDiff(scaled, p.scaledHessianTrace(inst, w)) < 1e-3, `scaled ${scaled} vs ${p.scaledHessianTrace(inst, w)}`);
      } finally {
        params.forEach((t) => t.dispose());
        loss.dispose();
      }
    }
  });
}
