/**
 * Flatness estimators on each tfjs backend available (tensorflow if @tensorflow/tfjs-node loads,
 * wasm, cpu): Gaussian sensing with d1 = d2 = d = 30, k = 10, m = 600 (issue 3, "Speed and
 * memory"), f(L, R) = (1/m)‖A vec(LRᵀ) − b‖² with A an m×(d·d) matrix of i.i.d. N(0, 1) entries
 * (paper-notes §1.1, §2.1), written directly in tfjs here.
 *
 * Times one loss+gradient, one Hessian-vector product (nested tf.grad, and central differences
 * for comparison), building the Hessian operator (includes its one-off autodiff check), the exact
 * trace (d·k·2 = 600 products) and Hutchinson with 100 probes. Goal of the issue: one HVP within
 * 3× one gradient. Reference column: the same gradient and HVP in closed form, float64 NumPy
 * (REFERENCE_PY below, Debian's /usr/bin/python3, one BLAS thread), i.e. what a hand-derived HVP
 * costs; the lead adds the library's own float64 closed-form column once the problems land.
 *
 * Run (after npm run build): node --import tsx bench/flatness.bench.ts [quick]   (quick: fewer repetitions, no exact trace)
 * Times are medians after a warm-up; the machine is shared, expect ±20 % between runs.
 */
import { execFileSync } from "node:child_process";
import * as tf from "@tensorflow/tfjs";
import { BACKEND_NAMES, selectBackend } from "../dist/tf/backend.js";
import { hessianOperator } from "../dist/flatness/hessian.js";
import { hessianTrace } from "../dist/flatness/trace.js";
import { hutchinson } from "../dist/flatness/hutchinson.js";
import { createRng } from "../dist/random/rng.js";
import { sensingProblem } from "../dist/problems/sensing.js";

const quick = process.argv.includes("quick");
const d = 30, k = 10, m = 600, r = 3;

// Instance (float64, then float32 for tfjs): rank-r ground truth with unit Frobenius norm.
const rng = createRng(20260);
const sensing = Float32Array.from(rng.gaussians(m * d * d));
const truth = new Float64Array(d * d);
{
  const u = rng.gaussians(d * r), v = rng.gaussians(d * r);
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) for (let s = 0; s < r; s++) truth[i * d + j] += u[i * r + s] * v[j * r + s];
  const nrm = Math.hypot(...truth);
  for (let i = 0; i < truth.length; i++) truth[i] /= nrm;
}
const b = new Float32Array(m);
for (let i = 0; i < m; i++) {
  let s = 0;
  for (let j = 0; j < d * d; j++) s += sensing[i * d * d + j] * truth[j];
  b[i] = s;
}
const L0 = Float32Array.from(rng.gaussians(d * k), (x) => 0.1 * x);
const R0 = Float32Array.from(rng.gaussians(d * k), (x) => 0.1 * x);

interface Row { backend: string; quantity: string; ms: number; reference?: number }
const rows: Row[] = [];

function median(xs: number[]): number {
  const s = xs.slice().sort((a, c) => a - c);
  return s[Math.floor(s.length / 2)];
}

function time(f: () => void, reps: number, warmup = 5): number {
  for (let i = 0; i < warmup; i++) f();
  const ts: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    f();
    ts.push(performance.now() - t0);
  }
  return median(ts);
}

function timePair(f: () => void, g: () => void, reps: number, warmup = 10): [number, number] {
  for (let i = 0; i < warmup; i++) { f(); g(); }
  const tf_: number[] = [], tg: number[] = [];
  for (let i = 0; i < reps; i++) {
    let t0 = performance.now();
    f();
    tf_.push(performance.now() - t0);
    t0 = performance.now();
    g();
    tg.push(performance.now() - t0);
  }
  return [median(tf_), median(tg)];
}

async function run(backend: string): Promise<void> {
  await selectBackend(backend);
  const A = tf.keep(tf.tensor2d(sensing, [m, d * d]));
  const bt = tf.keep(tf.tensor2d(b, [m, 1]));
  const loss = ([l, rr]: tf.Tensor[]) => {
    const x = tf.reshape(tf.matMul(l, rr, false, true), [d * d, 1]);
    return tf.div(tf.sum(tf.square(tf.sub(tf.matMul(A, x), bt))), m) as tf.Scalar;
  };
  const L = tf.keep(tf.tensor2d(L0, [d, k])), R = tf.keep(tf.tensor2d(R0, [d, k]));
  const before = tf.memory().numTensors;
  const reps = quick ? 10 : 30;

  const gradient = () => tf.tidy(() => {
    const { value, grads } = tf.valueAndGrads((l: tf.Tensor, rr: tf.Tensor) => loss([l, rr]))([L, R]);
    value.dataSync();
    grads.forEach((g) => g.dataSync());
  });
  let op = hessianOperator(loss, [L, R]);
  const v = createRng(1).gaussians(op.size);
  // Gradient and HVP timed alternately, so load from other processes hits both alike.
  const [grad, hvp] = timePair(gradient, () => op.matvec(v), reps);
  rows.push({ backend, quantity: "loss + gradient", ms: grad, reference: ref.grad });
  rows.push({ backend, quantity: "HVP (nested tf.grad)", ms: hvp, reference: ref.hvp });
  rows.push({ backend, quantity: "  HVP / gradient", ms: hvp / grad, reference: ref.hvp / ref.grad });
  const batch = Array.from({ length: 10 }, (_, j) => createRng(j + 2).gaussians(op.size));
  rows.push({ backend, quantity: "HVP in a batch of 10 (per product)", ms: time(() => op.matmat(batch), Math.max(3, reps / 5), 1) / 10 });
  const fdOp = hessianOperator(loss, [L, R], { method: "finite-difference" });
  const fd = time(() => fdOp.matvec(v), reps);
  rows.push({ backend, quantity: "HVP (central differences)", ms: fd });
  fdOp.dispose();
  op.dispose();
  rows.push({ backend, quantity: "build hessianOperator (with check)", ms: time(() => hessianOperator(loss, [L, R]).dispose(), Math.max(3, reps / 5), 1) });

  op = hessianOperator(loss, [L, R]);
  if (!quick) rows.push({ backend, quantity: "exact trace (600 HVPs)", ms: time(() => hessianTrace(op), 1, 0) });
  rows.push({ backend, quantity: "Hutchinson, 100 probes", ms: time(() => hutchinson(op, { numMatvecs: 100 }), quick ? 1 : 3, 0) });
  op.dispose();

  const leaked = tf.memory().numTensors - before;
  if (leaked !== 0) console.warn(`${backend}: ${leaked} tensors leaked`);
  [A, bt, L, R].forEach((t) => t.dispose());
}

/** Closed-form float64 gradient and HVP of the same loss in NumPy (median ms). */
function reference(): { grad: number; hvp: number } {
  try {
    const out = execFileSync("/usr/bin/python3", ["-c", REFERENCE_PY, JSON.stringify({ d, k, m, reps: quick ? 20 : 100 })], {
      encoding: "utf8",
      env: { ...process.env, OPENBLAS_NUM_THREADS: "1", OMP_NUM_THREADS: "1" },
    });
    return JSON.parse(out);
  } catch (e) {
    console.warn(`NumPy reference unavailable: ${(e as Error).message.split("\n")[0]}`);
    return { grad: NaN, hvp: NaN };
  }
}

let ref = { grad: NaN, hvp: NaN };

async function main(): Promise<void> {
  ref = reference();
  const available: string[] = [];
  for (const name of BACKEND_NAMES) {
    try {
      await run(name);
      available.push(name);
    } catch (e) {
      console.log(`${name}: skipped (${(e as Error).message.split("\n")[0].slice(0, 140)})`);
    }
  }
  const fmt = (x: number | undefined) => (x === undefined || Number.isNaN(x) ? "" : x < 10 ? x.toFixed(2) : x.toFixed(0));
  console.log(`\nGaussian sensing d1 = d2 = ${d}, k = ${k}, m = ${m} (${2 * d * k} parameters); times in ms (ratios plain)`);
  const header = ["backend", "quantity", "tfjs", "NumPy float64 closed form"];
  const table = rows.map((x) => [x.backend, x.quantity, fmt(x.ms), fmt(x.reference)]);
  const widths = header.map((h, j) => Math.max(h.length, ...table.map((t) => t[j].length)));
  for (const line of [header, ...table]) console.log(line.map((c, j) => (j >= 2 ? c.padStart(widths[j]) : c.padEnd(widths[j]))).join("  "));
  console.log(`backends run: ${available.join(", ")}`);
  closedForm();
  await memoryAtScale();
}

/**
 * The same quantities through the library's float64 closed forms (src/problems/sensing.ts):
 * the goal is the closed-form trace within 2× of one loss+gradient evaluation. The first
 * trace call computes Σ A_iA_iᵀ and Σ A_iᵀA_i once (cached on the instance); later calls reuse them.
 */
function closedForm(): void {
  const inst = sensingProblem.generate({ d1: d, d2: d, r, k, m, seed: 20260 });
  const f = [{ rows: d, cols: k, data: Float64Array.from(L0) }, { rows: d, cols: k, data: Float64Array.from(R0) }];
  const t0 = performance.now();
  sensingProblem.scaledHessianTrace(inst, f);
  const first = performance.now() - t0;
  const reps = quick ? 10 : 30;
  const [grad, str] = timePair(() => { sensingProblem.loss(inst, f); sensingProblem.gradient(inst, f); }, () => sensingProblem.scaledHessianTrace(inst, f), reps);
  const tr = time(() => sensingProblem.hessianTrace(inst, f), reps);
  console.log(`\nfloat64 closed forms (library): loss + gradient ${grad.toFixed(2)} ms, scaled trace ${str.toFixed(3)} ms (first call ${first.toFixed(1)} ms, computes the second moments), plain trace ${tr.toFixed(3)} ms`);
  console.log(`  scaled trace / (loss + gradient) = ${(str / grad).toFixed(3)} (goal ≤ 2); including the first call: ${(first / grad).toFixed(1)}`);
}

/** Issue 3 memory goal (d = 50, m = 2000 under 500 MB), for the estimator side: RSS after HVPs and Hutchinson. */
async function memoryAtScale(): Promise<void> {
  const dd = 50, kk = 10, mm = 2000;
  await selectBackend();
  const big = createRng(7);
  const A = tf.tensor2d(Float32Array.from(big.gaussians(mm * dd * dd)), [mm, dd * dd]);
  const bt = tf.tensor2d(Float32Array.from(big.gaussians(mm)), [mm, 1]);
  const L = tf.tensor2d(Float32Array.from(big.gaussians(dd * kk)), [dd, kk]);
  const R = tf.tensor2d(Float32Array.from(big.gaussians(dd * kk)), [dd, kk]);
  const loss = ([l, rr]: tf.Tensor[]) => tf.div(tf.sum(tf.square(tf.sub(tf.matMul(A, tf.reshape(tf.matMul(l, rr, false, true), [dd * dd, 1])), bt))), mm) as tf.Scalar;
  const t0 = performance.now();
  const op = hessianOperator(loss, [L, R]);
  const h = hutchinson(op, { numMatvecs: quick ? 10 : 30 });
  const ms = (performance.now() - t0) / h.numMatvecs;
  op.dispose();
  const rss = process.memoryUsage().rss / 2 ** 20;
  console.log(`d = ${dd}, k = ${kk}, m = ${mm} on ${tf.getBackend()}: ${ms.toFixed(1)} ms per HVP (Hutchinson, incl. operator build), RSS ${rss.toFixed(0)} MB, tfjs holds ${(tf.memory().numBytes / 2 ** 20).toFixed(0)} MB`);
  [A, bt, L, R].forEach((t) => t.dispose());
}


/** NumPy reference, kept in this file (one file per benchmark). */
const REFERENCE_PY = String.raw`
"""Reference for bench/flatness.bench.ts: closed-form gradient and Hessian-vector product of
f(L, R) = (1/m)||A vec(L R^T) - b||^2 in float64 NumPy (median ms over reps).

grad_L = (2/m) G R, grad_R = (2/m) G^T L with G = mat(A^T (A vec(L R^T) - b));
H[dL, dR] = (2/m) (mat(A^T A vec(S)) R + G dR,  mat(A^T A vec(S))^T L + G^T dL), S = dL R^T + L dR^T.
"""
import json, sys, time
import numpy as np

cfg = json.loads(sys.argv[1])
d, k, m, reps = cfg["d"], cfg["k"], cfg["m"], cfg["reps"]
rng = np.random.default_rng(0)
A = rng.standard_normal((m, d * d))
b = rng.standard_normal(m)
L = 0.1 * rng.standard_normal((d, k))
R = 0.1 * rng.standard_normal((d, k))
dL = rng.standard_normal((d, k))
dR = rng.standard_normal((d, k))


def grad():
    res = A @ (L @ R.T).ravel() - b
    G = (A.T @ res).reshape(d, d)
    return res @ res / m, 2 / m * G @ R, 2 / m * G.T @ L


def hvp():
    res = A @ (L @ R.T).ravel() - b
    G = (A.T @ res).reshape(d, d)
    S = dL @ R.T + L @ dR.T
    AS = (A.T @ (A @ S.ravel())).reshape(d, d)
    return 2 / m * (AS @ R + G @ dR), 2 / m * (AS.T @ L + G.T @ dL)


def median_ms(f):
    for _ in range(3):
        f()
    ts = []
    for _ in range(reps):
        t0 = time.perf_counter()
        f()
        ts.append((time.perf_counter() - t0) * 1e3)
    return float(np.median(ts))


print(json.dumps({"grad": median_ms(grad), "hvp": median_ms(hvp)}))
`;

main();
