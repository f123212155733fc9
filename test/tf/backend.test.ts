import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as tfDirect from "@tensorflow/tfjs";
import { assertClose } from "../helpers.js";
import { BACKEND_NAMES, backendInfo, selectBackend, tf } from "../../src/tf/index.js";
import { hessianOperator } from "../../src/flatness/hessian.js";
import { hessianTrace, scaledHessianTrace } from "../../src/flatness/trace.js";
import { hutchinson } from "../../src/flatness/hutchinson.js";
import { hutchPlusPlus } from "../../src/flatness/hutch-plus-plus.js";
import { lanczos } from "../../src/flatness/lanczos.js";
import { powerIteration } from "../../src/flatness/power-iteration.js";
import { spectralDensity } from "../../src/flatness/spectral-density.js";
import { adaptiveSharpness, samSharpness } from "../../src/flatness/sharpness.js";
import { createRng } from "../../src/random/rng.js";

function nativeInstalled(): boolean {
  try {
    require.resolve("@tensorflow/tfjs-node");
    return true;
  } catch {
    return false;
  }
}

async function withEnv<T>(value: string | undefined, f: () => Promise<T>): Promise<T> {
  const saved = process.env.FLATLAB_BACKEND;
  if (value === undefined) delete process.env.FLATLAB_BACKEND;
  else process.env.FLATLAB_BACKEND = value;
  try {
    return await f();
  } finally {
    if (saved === undefined) delete process.env.FLATLAB_BACKEND;
    else process.env.FLATLAB_BACKEND = saved;
  }
}

test("selectBackend() picks tensorflow, else wasm, else cpu, and reports why", async () => {
  const info = await withEnv(undefined, () => selectBackend());
  if (nativeInstalled()) {
    assert.equal(info.backend, "tensorflow");
  } else {
    assert.equal(info.backend, "wasm");
    assert.match(info.reason, /automatic choice/);
    // No error text for a missing optional extra (issue 14: committed run settings showed one).
    assert.match(info.reason, /tensorflow: @tensorflow\/tfjs-node \(optional\) is not installed/);
    assert.doesNotMatch(info.reason, /Cannot find module/);
  }
  assert.equal(tf.getBackend(), info.backend);
  assert.deepEqual(backendInfo(), info);
});

test("selectBackend(name) and FLATLAB_BACKEND force a backend; the argument wins over the variable", async () => {
  const byEnv = await withEnv("cpu", () => selectBackend());
  assert.deepEqual({ ...byEnv }, { backend: "cpu", reason: "requested by environment variable FLATLAB_BACKEND" });
  assert.equal(tf.getBackend(), "cpu");
  const byArg = await withEnv("cpu", () => selectBackend("wasm"));
  assert.deepEqual({ ...byArg }, { backend: "wasm", reason: "requested by argument name" });
  assert.equal(backendInfo().backend, "wasm");
  await tf.setBackend("cpu");
  assert.match(backendInfo().reason, /changed outside selectBackend \(last selected: wasm\)/);
});

test("selectBackend rejects an unknown name, listing the valid ones and naming where it came from", async () => {
  await assert.rejects(() => selectBackend("gpu"), {
    name: "RangeError",
    message: 'selectBackend: name must be one of "tensorflow", "wasm", "cpu"; received "gpu".',
  });
  await assert.rejects(() => withEnv("webgl", () => selectBackend()), {
    message: 'selectBackend: FLATLAB_BACKEND must be one of "tensorflow", "wasm", "cpu"; received "webgl".',
  });
  assert.deepEqual([...BACKEND_NAMES], ["tensorflow", "wasm", "cpu"]);
});

test("selectBackend('tensorflow') without @tensorflow/tfjs-node fails with the install command", { skip: nativeInstalled() }, async () => {
  await assert.rejects(() => selectBackend("tensorflow"), /could not start: @tensorflow\/tfjs-node \(optional\) is not installed.*npm install @tensorflow\/tfjs-node/s);
});

test("selectBackend('wasm') leaves the process's uncaughtException and unhandledRejection listeners as they were", () => {
  // A fresh process: the wasm module is instantiated (and its glue adds listeners) once per process.
  const script = `const { selectBackend } = require(${JSON.stringify(require.resolve("../../src/tf/backend.ts"))});
const count = () => [process.listenerCount("uncaughtException"), process.listenerCount("unhandledRejection")].join(" ");
const before = count();
selectBackend("wasm").then(() => console.log(before + " -> " + count()));`;
  const r = spawnSync(process.execPath, ["--import", "tsx", "-e", script], { encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout.trim(), "0 0 -> 0 0");
});

test("the tf re-export is the very tfjs instance the library uses", () => {
  // Namespace wrappers may differ under esModuleInterop; the engine and the functions may not.
  assert.equal(tf.engine(), tfDirect.engine());
  assert.equal(tf.tensor, tfDirect.tensor);
  assert.equal(tf.Tensor, tfDirect.Tensor);
});

/** Every estimator on one backend, on the identity-map loss at a fixed point; plain numbers out. */
function runAll(): Record<string, number> {
  const d1 = 4, d2 = 3, k = 2;
  const rng = createRng(81);
  const l = tf.tensor2d(Float32Array.from(rng.gaussians(d1 * k)), [d1, k]);
  const r = tf.tensor2d(Float32Array.from(rng.gaussians(d2 * k)), [d2, k]);
  const m = Float32Array.from(rng.gaussians(d1 * d2));
  const loss = ([a, b]: tf.Tensor[]) => tf.sum(tf.square(tf.sub(tf.matMul(a, b, false, true), tf.tensor2d(m, [d1, d2])))) as tf.Scalar;
  const before = tf.memory().numTensors;
  const op = hessianOperator(loss, [l, r]);
  const v = createRng(82).gaussians(op.size);
  const out: Record<string, number> = {
    method: op.method === "autodiff" ? 1 : 0,
    hvpNorm: Math.hypot(...op.matvec(v)),
    trace: hessianTrace(op).estimate,
    scaledTrace: scaledHessianTrace(op).estimate,
    hutchinson: hutchinson(op, { numMatvecs: 20, seed: 1 }).estimate,
    hutchPlusPlus: hutchPlusPlus(op, { numMatvecs: 12, seed: 1 }).estimate,
    lambdaMax: lanczos(op, { k: 1 }).eigenvalues[0],
    power: powerIteration(op, { k: 1, maxIter: 300, tol: 1e-6 }).eigenvalues[0],
    slqTrace: spectralDensity(op, { numRuns: 3, lanczosSteps: 5, numGridPoints: 20 }).traceEstimate,
    sam: samSharpness(loss, [l, r], { steps: 3 }).sharpness,
    asam: adaptiveSharpness(loss, [l, r], { steps: 3 }).sharpness,
  };
  op.dispose();
  out.leaked = tf.memory().numTensors - before;
  l.dispose();
  r.dispose();
  return out;
}

test("every estimator runs on cpu and wasm, without leaking tensors, and both backends agree to float32 accuracy", async () => {
  await selectBackend("cpu");
  const cpu = runAll();
  await selectBackend("wasm");
  const wasm = runAll();
  for (const [name, value] of Object.entries(cpu)) {
    assert.ok(Number.isFinite(value), `${name} on cpu: ${value}`);
    assertClose(wasm[name], value, 1e-3, 1e-6, `${name}: wasm vs cpu`);
  }
  assert.equal(cpu.method, 1, "nested tf.grad should work for this loss on cpu");
  assert.equal(wasm.method, 1, "nested tf.grad should work for this loss on wasm");
  assert.equal(cpu.leaked, 0);
  assert.equal(wasm.leaked, 0);
});

test("a loss whose gradient needs a kernel wasm lacks (tf.gather → UnsortedSegmentSum) fails naming the kernel and the fix", async () => {
  await selectBackend("wasm");
  const x = tf.tensor1d([0.3, -0.2, 0.7, 0.1]);
  const loss = ([p]: tf.Tensor[]) => tf.sum(tf.gather(tf.square(p), [0, 2])) as tf.Scalar;
  assert.throws(() => hessianOperator(loss, [x]), /hessianOperator: the loss or its gradient needs the tfjs kernel 'UnsortedSegmentSum', which the wasm backend lacks \(it is the gradient of tf.gather.*selectBackend\("cpu"\)/);
  x.dispose();
  await selectBackend("cpu");
  const y = tf.tensor1d([0.3, -0.2, 0.7, 0.1]);
  const op = hessianOperator(loss, [y]);
  assert.deepEqual(Array.from(op.matvec(new Float64Array([1, 1, 1, 1]))), [2, 0, 2, 0]);
  op.dispose();
  y.dispose();
});
