/**
 * One table of claims every problem module must satisfy (the optax-style cross-cutting test):
 * closed-form Hessian form and traces = finite differences of the float64 gradient (< 1e-8) =
 * nested tf.grad in float32 (< 1e-3), gradient = finite differences of the loss, minimizer checks,
 * JSON round trip, invariance under f → c·f, no tensor leak.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { type Matrix, blockDiagonalSums, fdHessianForm, randomMatrixFor, relDiff, shifted, tfHessianForm, toTensors } from "./fixtures.js";
import { createRng } from "../../src/random/rng.js";
import type { Problem } from "../../src/problems/problem.js";

tf.setBackend("cpu");

export interface ConformanceOptions<I> {
  /** Builds a fresh instance (optionally with another loss scale). */
  readonly make: (lossScale?: number) => I;
  /** The default loss scale of make() (for the invariance test). */
  readonly lossScaleOf: (inst: I) => number;
  /** A second, different minimizer (for the order-invariance test). */
  readonly otherMinimizer: (inst: I, w: Matrix[]) => Matrix[];
  /** Gradient used for the FD Hessian at w (default the problem's; robust PCA: its local model's, based at w). */
  readonly fdGradient?: (inst: I, w: Matrix[]) => (x: Matrix[]) => Matrix[];
  /** Test-name prefix (default the problem's name). */
  readonly title?: string;
  /** Scale of the random test point. */
  readonly pointScale?: number;
}

export function conformance<I>(p: Problem<I, any>, o: ConformanceOptions<I>): void {
  const inst = o.make();
  const wStar = p.minimizer(inst);
  const rng = createRng(101);
  const wRand = wStar.map((m) => randomMatrixFor(rng, m.rows, m.cols, o.pointScale ?? 0.5));
  const dir = wStar.map((m) => randomMatrixFor(rng, m.rows, m.cols));
  const grad = (w: Matrix[]) => (o.fdGradient ? o.fdGradient(inst, w) : (x: Matrix[]) => p.gradient(inst, x));
  const name = o.title ?? p.name;
  // Error messages name the exported object: "sensingProblem.loss", "robustPcaProblem.loss".
  const label = p.name.replace(/-(\w)/g, (_, c: string) => c.toUpperCase()) + "Problem";

  test(`${name}: minimizer() reaches zero loss and isMinimizer separates it from a random point`, () => {
    assert.ok(p.loss(inst, wStar) < 1e-20, `loss ${p.loss(inst, wStar)}`);
    assert.equal(p.isMinimizer(inst, wStar), true);
    assert.equal(p.isMinimizer(inst, wRand), false);
  });

  for (const [where, w] of [["a random point", wRand], ["a minimizer", wStar]] as const) {
    test(`${name}: gradient equals finite differences of the loss at ${where} (float64, < 1e-8)`, () => {
      const g = p.gradient(inst, w);
      let gv = 0;
      g.forEach((m, i) => m.data.forEach((x, t) => (gv += x * dir[i].data[t])));
      const h = 1e-3, f = (t: number) => p.loss(inst, shifted(w, dir, t));
      const fd = (8 * (f(h) - f(-h)) - (f(2 * h) - f(-2 * h))) / (12 * h);
      if (where === "a minimizer") {
        // f ≥ 0 = f(minimizer), so a zero gradient means f(±h) = o(h); this also holds where f is only C¹ (robust PCA).
        const eps = 1e-6;
        assert.ok(Math.abs(gv) < 1e-12 && Math.max(f(eps), f(-eps)) / eps < 1e-4, `${gv} ${f(eps) / eps}`);
      } else assert.ok(relDiff(gv, fd) < 1e-8, `${gv} vs ${fd}`);
    });

    test(`${name}: closed-form Hessian form and traces equal finite differences of the gradient at ${where} (float64, < 1e-8)`, () => {
      const gradAt = grad(w);
      const form = p.hessianForm(inst, w, dir), fd = fdHessianForm(gradAt, w, dir);
      assert.ok(relDiff(form, fd) < 1e-8, `form ${form} vs FD ${fd}`);
      const sums = blockDiagonalSums((d) => fdHessianForm(gradAt, w, d), w);
      const closedSums = blockDiagonalSums((d) => p.hessianForm(inst, w, d), w);
      sums.forEach((s, b) => assert.ok(relDiff(closedSums[b], s) < 1e-8, `block ${b}: ${closedSums[b]} vs ${s}`));
      const trace = sums.reduce((a, b) => a + b, 0);
      const weights = p.scaledTraceWeights(inst);
      const scaled = sums.reduce((a, s, b) => a + weights[b] * s, 0);
      assert.ok(relDiff(p.hessianTrace(inst, w), trace) < 1e-8, `trace ${p.hessianTrace(inst, w)} vs FD ${trace}`);
      assert.ok(relDiff(p.scaledHessianTrace(inst, w), scaled) < 1e-8, `scaled ${p.scaledHessianTrace(inst, w)} vs FD ${scaled}`);
    });

    test(`${name}: closed forms equal nested tf.grad autodiff at ${where} (float32, < 1e-3)`, () => {
      const loss = p.tfLoss(inst, w);
      try {
        const value = tf.tidy(() => loss(toTensors(w)).dataSync()[0]);
        const f64 = p.loss(inst, w);
        if (where === "a random point") assert.ok(relDiff(value, f64) < 1e-4, `tf loss ${value} vs ${f64}`);
        else assert.ok(Math.abs(value) < 1e-5, `tf loss at minimizer ${value}`);
        const form = tfHessianForm(loss, w, dir);
        assert.ok(relDiff(form, p.hessianForm(inst, w, dir)) < 1e-3, `tf form ${form} vs ${p.hessianForm(inst, w, dir)}`);
        const sums = blockDiagonalSums((d) => tfHessianForm(loss, w, d), w);
        const trace = sums.reduce((a, b) => a + b, 0);
        const weights = p.scaledTraceWeights(inst);
        assert.ok(relDiff(trace, p.hessianTrace(inst, w)) < 1e-3, `tf trace ${trace} vs ${p.hessianTrace(inst, w)}`);
        assert.ok(relDiff(sums.reduce((a, s, b) => a + weights[b] * s, 0), p.scaledHessianTrace(inst, w)) < 1e-3);
      } finally {
        loss.dispose();
      }
    });
  }

  test(`${name}: tfLoss does not grow tf.memory().numTensors over repeated calls, and dispose frees its data`, () => {
    const before = tf.memory().numTensors;
    const loss = p.tfLoss(inst, wStar);
    const W = toTensors(wRand);
    const afterBuild = tf.memory().numTensors;
    for (let i = 0; i < 20; i++) tf.tidy(() => { tf.grads((...ps: tf.Tensor[]) => loss(ps))(W); });
    assert.equal(tf.memory().numTensors, afterBuild);
    W.forEach((t) => t.dispose());
    loss.dispose();
    assert.equal(tf.memory().numTensors, before);
  });

  test(`${name}: toJSON/fromJSON round-trips through JSON text`, () => {
    const json = JSON.parse(JSON.stringify(p.toJSON(inst)));
    assert.equal(json.schema, `flatlab.${p.name}`);
    assert.equal(json.version, 1);
    const back = p.fromJSON(json);
    assert.deepEqual(p.toJSON(back), p.toJSON(inst));
    assert.equal(p.loss(back, wRand), p.loss(inst, wRand));
    assert.equal(p.hessianTrace(back, wRand), p.hessianTrace(inst, wRand));
  });

  test(`${name}: fromJSON rejects another version or schema and names a missing field`, () => {
    const json = p.toJSON(inst);
    assert.throws(() => p.fromJSON({ ...json, version: 2 }), new RegExp(`${label}.fromJSON: json.version must be 1; received 2`));
    assert.throws(() => p.fromJSON({ ...json, schema: "flatlab.other" }), /json.schema must be "flatlab\./);
    for (const field of Object.keys(json).filter((f) => f !== "schema" && f !== "version")) {
      const broken: Record<string, unknown> = { ...json };
      delete broken[field];
      assert.throws(() => p.fromJSON(broken), new RegExp(`json\\.${field}\\b`), `missing ${field}`);
    }
  });

  test(`${name}: scaling f by c > 0 scales both traces by c and keeps the order of two minimizers`, () => {
    const c = 7.5, scaledInst = o.make(c * o.lossScaleOf(inst));
    const other = o.otherMinimizer(inst, wStar);
    assert.ok(p.isMinimizer(inst, other), "other minimizer");
    for (const w of [wStar, other, wRand]) {
      assert.ok(relDiff(p.hessianTrace(scaledInst, w), c * p.hessianTrace(inst, w)) < 1e-12);
      assert.ok(relDiff(p.scaledHessianTrace(scaledInst, w), c * p.scaledHessianTrace(inst, w)) < 1e-12);
    }
    const flat = p.flatnessMeasure === "trace" ? p.hessianTrace : p.scaledHessianTrace;
    const order = (i: I) => Math.sign(flat(i, wStar) - flat(i, other));
    assert.notEqual(order(inst), 0);
    assert.equal(order(scaledInst), order(inst));
  });

  test(`${name}: loss and traces reject factors of the wrong shape or with non-finite entries`, () => {
    const bad = wStar.map((m) => ({ rows: m.rows + 1, cols: m.cols, data: new Float64Array((m.rows + 1) * m.cols) }));
    assert.throws(() => p.loss(inst, bad), new RegExp(`${label}.loss: factors\\[0\\] must have shape`));
    assert.throws(() => p.hessianTrace(inst, wStar.slice(0, wStar.length - 1)), /factors.length must be/);
    const nan = wStar.map((m) => ({ ...m, data: m.data.map((x, i) => (i === 0 ? NaN : x)) }));
    assert.throws(() => p.scaledHessianTrace(inst, nan), /factors\[0\] must be finite; received NaN at index 0/);
  });
}
