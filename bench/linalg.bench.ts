/**
 * Float64 decompositions: time and accuracy of flatlab's kernels against NumPy/LAPACK
 * (bench/ref/linalg_ref.py, run in a child process, one OpenBLAS thread) and against ml-matrix.
 *
 * eigh_above: eighAbove (the pairs above a threshold) against scipy.linalg.eigh(subset_by_value, driver
 * "evr"), on a Gram matrix with 3 large eigenvalues.
 * gemv, gemvT, gram: y = R x, x = Rᵀ y and R Rᵀ for a Gaussian m×n R in the SIMD kernels (src/kernels)
 * against NumPy's R @ x, R.T @ y, R @ R.T.
 *
 * Run (after npm run build): node --import tsx bench/linalg.bench.ts [quick]   (quick: fewer repetitions, Cholesky up to 500)
 * Times are medians over repetitions after a warm-up; "ratio" is flatlab time / NumPy time. The
 * machine is shared, so expect ±20% between runs. The library is imported from dist/ (compiled by
 * tsc, what tslab loads; `npm run bench` builds it first).
 * cho_solve: one solve with a precomputed factor (scipy.linalg.cho_solve on the Python side).
 * Accuracy: ‖A − UΣVᵀ‖_F/‖A‖_F (svd), ‖A − VΛVᵀ‖_F/‖A‖_F (eigh), ‖LLᵀ − A‖_F/‖A‖_F (cholesky),
 * and ‖QᵀQ − I‖_F for the orthogonal factors.
 */
import { execFileSync } from "node:child_process";
import { Matrix as MlMatrix, SingularValueDecomposition, EigenvalueDecomposition, CholeskyDecomposition } from "ml-matrix";
import { type Matrix, diag, frobeniusNorm, identity, matmul, matmulNT, matmulTN, sub } from "../dist/linalg/matrix.js";
import { svd, singularValues } from "../dist/linalg/svd.js";
import { eigh, eighAbove, eigvalsh } from "../dist/linalg/eigh.js";
import { cholesky, choleskySolve } from "../dist/linalg/cholesky.js";
import { qr } from "../dist/linalg/qr.js";
import { solve } from "../dist/linalg/lu.js";
import { createRng } from "../dist/random/rng.js";
import { Float64Arena } from "../dist/kernels/index.js";

const quick = process.argv.includes("quick");
type Op = "svd" | "svdvals" | "eigh" | "eigh_above" | "eigvalsh" | "cholesky" | "cho_solve" | "qr" | "solve" | "gemv" | "gemvT" | "gram";
/** An n×n case, or rows×cols where cols is given (tall-skinny QR, as Hutch++ sketches are). */
interface Case { op: Op; n: number; cols?: number; reps: number }

const small = [10, 20, 30, 50, 80];
const cases: Case[] = [
  ...small.map((n) => ({ op: "svd" as const, n, reps: repsFor(n) })),
  ...small.map((n) => ({ op: "svdvals" as const, n, reps: repsFor(n) })),
  ...small.map((n) => ({ op: "eigh" as const, n, reps: repsFor(n) })),
  ...small.map((n) => ({ op: "eigvalsh" as const, n, reps: repsFor(n) })),
  ...small.map((n) => ({ op: "eigh_above" as const, n, reps: repsFor(n) })),
  ...[50, 200].map((n) => ({ op: "qr" as const, n, reps: repsFor(n) })),
  { op: "qr", n: 2500, cols: 30, reps: 20 },
  ...[200].map((n) => ({ op: "solve" as const, n, reps: repsFor(n) })),
  ...(quick ? [200, 500] : [200, 500, 1000, 2000]).map((n) => ({ op: "cholesky" as const, n, reps: n >= 1000 ? 3 : repsFor(n) })),
  { op: "cho_solve", n: quick ? 500 : 2000, reps: 20 },
  // The SIMD kernels of src/kernels on the Gaussian projection's shapes: m×n rows at d = 30 and d = 50.
  ...(["gemv", "gemvT", "gram"] as const).flatMap((op) => [{ op, n: 290, cols: 900, reps: op === "gram" ? 20 : 200 }, { op, n: 2000, cols: 2500, reps: op === "gram" ? 3 : 50 }]),
];

function repsFor(n: number): number {
  return Math.max(5, Math.min(quick ? 50 : 200, Math.round(2e6 / (n * n * n))));
}

function gaussian(n: number, seed: number): Matrix {
  return { rows: n, cols: n, data: createRng(seed).gaussians(n * n) };
}

function make(op: Op, n: number, cols = n): Matrix {
  if (cols !== n) return { rows: n, cols, data: createRng(n + cols).gaussians(n * cols) };
  const g = gaussian(n, n);
  if (op === "eigh_above") return aboveCase(n);
  if (op === "eigh" || op === "eigvalsh") {
    const a: Matrix = { rows: n, cols: n, data: new Float64Array(n * n) };
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) a.data[i * n + j] = g.data[i * n + j] + g.data[j * n + i];
    return a;
  }
  if (op === "cholesky" || op === "cho_solve") {
    const a = matmulTN(g, g);
    for (let i = 0; i < n; i++) a.data[i * n + i] += n;
    return a;
  }
  return g;
}

/**
 * eigh_above: the eigenpairs above a threshold of a Gram matrix zᵀz with z = rank 3 + 1e-2 noise,
 * as the solvers' thresholding meets them: the 3 large eigenvalues are selected (threshold 1).
 */
function aboveCase(n: number): Matrix {
  const rng = createRng(100 + n), a = rng.gaussians(n * 3), b = rng.gaussians(n * 3), noise = rng.gaussians(n * n);
  const z = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
    let s = 1e-2 * noise[i * n + j];
    for (let k = 0; k < 3; k++) s += a[i * 3 + k] * b[j * 3 + k];
    z[i * n + j] = s;
  }
  return matmulTN({ rows: n, cols: n, data: z }, { rows: n, cols: n, data: z });
}

function median(xs: number[]): number {
  const s = xs.slice().sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Median time of reps calls after a warm-up of 200 ms (at least one call), so V8 has optimized the kernels. */
function time(reps: number, f: () => unknown): number {
  const warm = performance.now();
  do f(); while (performance.now() - warm < 200);
  const ts: number[] = [];
  for (let r = 0; r < reps; r++) {
    const t = performance.now();
    f();
    ts.push(performance.now() - t);
  }
  return median(ts);
}

const fmt = (x: number | undefined): string => (x === undefined ? "—" : x < 1 ? x.toFixed(3) : x.toFixed(1));
const orth = (q: Matrix): number => frobeniusNorm(sub(matmulTN(q, q), identity(q.cols)));
const rel = (x: Matrix, a: Matrix): number => frobeniusNorm(sub(x, a)) / frobeniusNorm(a);
const toMl = (a: Matrix): MlMatrix => new MlMatrix(Array.from({ length: a.rows }, (_, i) => Array.from(a.data.subarray(i * a.cols, (i + 1) * a.cols))));

interface Row { op: string; n: number | string; ours: number; acc: string; ml?: number; mlAcc?: string; alt?: string }

function measure(c: Case): Row {
  const a = make(c.op, c.n, c.cols);
  const ml = toMl(a);
  switch (c.op) {
    case "svd": {
      const { u, s, v } = svd(a);
      const m = new SingularValueDecomposition(ml);
      const mlRec = m.leftSingularVectors.mmul(MlMatrix.diag(m.diagonal)).mmul(m.rightSingularVectors.transpose());
      return {
        op: c.op, n: c.n, ours: time(c.reps, () => svd(a)),
        acc: `rec ${rel(matmulNT(matmul(u, diag(s)), v), a).toExponential(1)} orth ${Math.max(orth(u), orth(v)).toExponential(1)}`,
        ml: time(Math.min(c.reps, 50), () => new SingularValueDecomposition(ml)),
        mlAcc: `rec ${(mlRec.sub(ml).norm() / ml.norm()).toExponential(1)}`,
        alt: jacobiSummary(a, c.reps),
      };
    }
    case "svdvals":
      return { op: c.op, n: c.n, ours: time(c.reps, () => singularValues(a)), acc: "", ml: time(Math.min(c.reps, 50), () => new SingularValueDecomposition(ml, { computeLeftSingularVectors: false, computeRightSingularVectors: false })) };
    case "eigh": {
      const { values, vectors } = eigh(a);
      const m = new EigenvalueDecomposition(ml, { assumeSymmetric: true });
      const V = m.eigenvectorMatrix;
      const mlRec = V.mmul(MlMatrix.diag(m.realEigenvalues)).mmul(V.transpose());
      return {
        op: c.op, n: c.n, ours: time(c.reps, () => eigh(a)),
        acc: `rec ${rel(matmulNT(matmul(vectors, diag(values)), vectors), a).toExponential(1)} orth ${orth(vectors).toExponential(1)}`,
        ml: time(Math.min(c.reps, 50), () => new EigenvalueDecomposition(ml, { assumeSymmetric: true })),
        mlAcc: `rec ${(mlRec.sub(ml).norm() / ml.norm()).toExponential(1)}`,
      };
    }
    case "eigvalsh":
      return { op: c.op, n: c.n, ours: time(c.reps, () => eigvalsh(a)), acc: "" };
    case "eigh_above": {
      const r = eighAbove(a, 1);
      return { op: c.op, n: c.n, ours: time(c.reps, () => eighAbove(a, 1)), acc: `${r.count} pairs` };
    }
    case "cholesky": {
      const l = cholesky(a);
      // The solvers factor Gram matrices with the SIMD kernel (src/kernels) instead: timed alongside.
      const arena = new Float64Arena(c.n * c.n), work = arena.alloc(c.n * c.n);
      const simd = time(c.reps, () => { work.set(a.data); arena.kernels.cholesky(work.byteOffset, c.n); });
      return {
        op: c.op, n: c.n, ours: time(c.reps, () => cholesky(a)),
        acc: c.n > 500 ? "" : `rec ${rel(matmulNT(l, l), a).toExponential(1)}`,
        ml: c.n > 1000 ? undefined : time(Math.min(c.reps, 3), () => new CholeskyDecomposition(ml)),
        alt: `SIMD kernel (copy included) ${fmt(simd)} ms`,
      };
    }
    case "cho_solve": {
      const l = cholesky(a);
      const b = new Float64Array(c.n).fill(1);
      return { op: c.op, n: c.n, ours: time(c.reps, () => choleskySolve(l, b)), acc: "" };
    }
    case "qr": {
      const { q, r } = qr(a);
      return { op: c.op, n: c.cols ? `${c.n}×${c.cols}` : c.n, ours: time(c.reps, () => qr(a)), acc: `rec ${rel(matmul(q, r), a).toExponential(1)} orth ${orth(q).toExponential(1)}` };
    }
    case "solve": {
      const b = new Float64Array(c.n).fill(1);
      return { op: c.op, n: c.n, ours: time(c.reps, () => solve(a, b)), acc: "" };
    }
    case "gemv": case "gemvT": case "gram": {
      const m = c.n, n = c.cols ?? c.n;
      const arena = new Float64Arena(m * n + m * m + 2 * n + 2 * m), k = arena.kernels;
      const R = arena.alloc(m * n, a.data).byteOffset, x = arena.alloc(n).fill(1).byteOffset, y = arena.alloc(m).fill(1).byteOffset;
      const out = arena.alloc(Math.max(m * m, n)).byteOffset;
      const run = c.op === "gemv" ? () => k.gemv(R, m, n, x, out) : c.op === "gemvT" ? () => k.gemvT(R, m, n, y, out) : () => k.syrk(R, m, n, out);
      return { op: c.op, n: `${m}×${n}`, ours: time(c.reps, run), acc: "" };
    }
  }
}

/** The "jacobi" method, for comparison: time and accuracy. */
function jacobiSummary(a: Matrix, reps: number): string {
  const { u, s, v } = svd(a, { method: "jacobi" });
  const ms = time(Math.min(reps, 30), () => svd(a, { method: "jacobi" }));
  return `jacobi ${fmt(ms)} ms, rec ${rel(matmulNT(matmul(u, diag(s)), v), a).toExponential(1)} orth ${Math.max(orth(u), orth(v)).toExponential(1)}`;
}

function reference(): Map<string, { ms: number; acc: number }> {
  const out = execFileSync("/usr/bin/python3", ["bench/ref/linalg_ref.py", JSON.stringify(cases)], {
    env: { ...process.env, OPENBLAS_NUM_THREADS: "1", OMP_NUM_THREADS: "1" },
    encoding: "utf8",
  });
  const parsed = JSON.parse(out) as { cases: { op: string; n: number; cols: number; ms: number; acc: number }[]; numpy: string };
  console.log(`reference: NumPy ${parsed.numpy}, OpenBLAS, 1 thread`);
  return new Map(parsed.cases.map((c) => [`${c.op}:${c.n}:${c.cols}`, { ms: c.ms, acc: c.acc }]));
}

const ref = reference();
console.log(["op", "n", "flatlab ms", "numpy ms", "ratio", "ml-matrix ms", "flatlab accuracy", "numpy rec", "ml-matrix accuracy", "alternative"].join("\t"));
for (const c of cases) {
  const r = measure(c);
  const np = ref.get(`${c.op}:${c.n}:${c.cols ?? c.n}`);
  console.log([r.op, r.n, fmt(r.ours), fmt(np?.ms), np ? (r.ours / np.ms).toFixed(2) : "—", fmt(r.ml), r.acc, np && np.acc ? np.acc.toExponential(1) : "", r.mlAcc ?? "", r.alt ?? ""].join("\t"));
}
