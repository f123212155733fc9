/**
 * Convex solvers: one flat and one plain solve (median of 5, tol 1e-9) for Gaussian sensing, rank 2,
 * at (d, m) = (10, 90), (20, 190), (30, 290), side by side with THE SAME ADMM in NumPy/SciPy
 * (bench/ref/solvers_ref.py, a child process with OPENBLAS_NUM_THREADS=1, on the same instances
 * passed as JSON), and the ratio flatlab/NumPy (goal ≤ 1.0). Then the peak RSS of a d = 50,
 * m = 2000 Gaussian solve (goal < 500 MB).
 *
 * Run (after npm run build): node --import tsx bench/solvers.bench.ts [quick]   (quick: 1 repetition, no memory case)
 * ms/iter is the whole solve time (setup included: Gram matrix, Cholesky, rescaling) / iterations.
 */
import { execFileSync } from "node:child_process";
import { writeFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Matrix, frobeniusNorm, matmulNT, scale, sub } from "../dist/linalg/matrix.js";
import { createRng } from "../dist/random/rng.js";
import { sampleGaussianOperator } from "../dist/problems/index.js";
import { flatRelaxation, plainRelaxation, type RelaxationResult } from "../dist/solvers/flat-relaxation.js";
import { runGrid } from "../dist/experiments/run.js";
import { gridJobs } from "../dist/experiments/grid.js";
import { recoveryInstance, type RecoveryCell } from "../dist/experiments/recovery.js";

const quick = process.argv.includes("quick");
// `memory`: only the peak-memory case, run by the main bench in a fresh child process so that the
// earlier solves' heap does not count.
const memoryOnly = process.argv.includes("memory");
const reps = quick ? 1 : 5;
const tol = 1e-9;
const sizes: [number, number][] = [[10, 90], [20, 190], [30, 290]];

function truth(d: number, r: number, seed: number): Matrix {
  const rng = createRng(seed);
  const g: Matrix = { rows: d, cols: r, data: rng.gaussians(d * r) };
  const h: Matrix = { rows: d, cols: r, data: rng.gaussians(d * r) };
  const m = matmulNT(g, h);
  return scale(m, 1 / frobeniusNorm(m));
}

const median = (xs: number[]) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)];

interface Row { d: number; m: number; program: string; iterations: number; ms: number; err: number; converged: boolean }

/** Flat and plain solves at each size, side by side with the NumPy reference. */
function solverTable(): void {
  const instances = sizes.map(([d, m]) => {
    const A = sampleGaussianOperator({ d1: d, d2: d, m, seed: 1000 + d });
    const M = truth(d, 2, 2000 + d);
    return { d, m, A, M, b: A.apply(M) };
  });

  // Warm-up: one untimed solve of each program on every instance, so that V8 has compiled the
  // kernels (the NumPy reference runs precompiled code).
  for (const { A, b } of instances) {
    flatRelaxation(A, b, { tol, recordHistory: false });
    plainRelaxation(A, b, { tol, recordHistory: false });
  }

  const ours: Row[] = [];
  for (const { d, m, A, M, b } of instances) {
    for (const [program, solve] of [["flat", flatRelaxation], ["plain", plainRelaxation]] as const) {
      const times: number[] = [];
      let last: RelaxationResult | undefined;
      for (let k = 0; k < reps; k++) {
        const t = performance.now();
        last = solve(A, b, { tol, recordHistory: false });
        times.push(performance.now() - t);
      }
      ours.push({ d, m, program, iterations: last!.iterations, ms: median(times), err: frobeniusNorm(sub(last!.estimate!, M)), converged: last!.converged });
    }
  }

  // Reference run on the same instances.
  const dir = mkdtempSync(join(tmpdir(), "flatlab-bench-"));
  const file = join(dir, "instances.json");
  writeFileSync(file, JSON.stringify({
    reps, tol,
    instances: instances.map(({ d, m, A, M, b }) => ({ d, m, A: Array.from((A as unknown as { rows: Matrix }).rows.data), b: Array.from(b), M: Array.from(M.data) })),
  }));
  let ref: { results: Row[]; numpy: string; scipy: string } | undefined;
  try {
    const out = execFileSync("/usr/bin/python3", [join(__dirname, "ref", "solvers_ref.py"), file], {
      env: { ...process.env, OPENBLAS_NUM_THREADS: "1", OMP_NUM_THREADS: "1", MKL_NUM_THREADS: "1" },
      maxBuffer: 1 << 26,
    });
    ref = JSON.parse(out.toString());
  } catch (e) {
    console.log(`reference run failed: ${(e as Error).message.split("\n")[0]}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  const f = (x: number, p = 2) => x.toFixed(p).padStart(9);
  console.log(`solvers bench: Gaussian sensing, rank 2, tol ${tol}, median of ${reps}${ref ? `; reference NumPy ${ref.numpy}, SciPy ${ref.scipy} (1 thread)` : ""}`);
  console.log("program    d     m |  iters  ms/iter    ms/solve  ‖est−M‖_F |  ref iters  ms/iter  ms/solve |  ratio");
  for (const r of ours) {
    const p = ref?.results.find((q) => q.d === r.d && q.m === r.m && q.program === r.program);
    console.log(
      `${r.program.padEnd(6)} ${String(r.d).padStart(4)} ${String(r.m).padStart(5)} | ${String(r.iterations).padStart(6)} ${f(r.ms / r.iterations, 3)} ${f(r.ms, 1)}   ${r.err.toExponential(1)}${r.converged ? "" : "*"} |` +
        (p ? ` ${String(p.iterations).padStart(9)} ${f(p.ms / p.iterations, 3)} ${f(p.ms, 1)} | ${f(r.ms / p.ms, 2)}` : "   (no reference)"),
    );
  }
}

// A small phase grid through the experiment engine (d in {10, 20, 30}, m ≈ 1.6, 2.0, 2.5 × the
// 2rd − r² degrees of freedom, 3 trials, flat and plain), with 1 and 2 workers, against the same
// instances solved one after the other by the NumPy reference (one BLAS thread).
async function phaseGrid(): Promise<void> {
  const r = 2, factors = [1.6, 2.0, 2.5];
  const cells = [10, 20, 30].flatMap((d) => factors.map((c) => ({ ensemble: "gaussian", d, r, m: Math.round(c * (2 * r * d - r * r)) })));
  const spec = { task: "recovery", axes: {}, cells, trials: 3, seed: 7, settings: { truthSeed: 7, tol, regularity: false } };
  const timeGrid = async (workers: number) => { const t = performance.now(); const res = await runGrid(spec, { workers }); return { ms: performance.now() - t, rows: res.rows }; };
  const one = await timeGrid(1), two = await timeGrid(2);
  const dirG = mkdtempSync(join(tmpdir(), "flatlab-bench-grid-"));
  const fileG = join(dirG, "instances.json");
  const jobs = gridJobs(spec);
  writeFileSync(fileG, JSON.stringify({
    reps: 1, tol,
    instances: jobs.map((j) => {
      const { truth: M, A, b } = recoveryInstance(j.cell as unknown as RecoveryCell, j.seed, 7);
      return { d: j.cell.d, m: j.cell.m, A: Array.from((A as unknown as { rows: Matrix }).rows.data), b: Array.from(b), M: Array.from(M.data) };
    }),
  }));
  let refMs = NaN;
  try {
    const t = performance.now();
    const out = JSON.parse(execFileSync("/usr/bin/python3", [join(__dirname, "ref", "solvers_ref.py"), fileG], {
      env: { ...process.env, OPENBLAS_NUM_THREADS: "1", OMP_NUM_THREADS: "1", MKL_NUM_THREADS: "1" }, maxBuffer: 1 << 28,
    }).toString()) as { results: Row[] };
    refMs = out.results.reduce((s, x) => s + x.ms, 0);
    void t;
  } catch (e) {
    console.log(`grid reference run failed: ${(e as Error).message.split("\n")[0]}`);
  } finally {
    rmSync(dirG, { recursive: true, force: true });
  }
  const same = JSON.stringify(one.rows.map((x) => x.success)) === JSON.stringify(two.rows.map((x) => x.success));
  console.log(`phase grid (${cells.length} cells × 3 trials × flat and plain = ${one.rows.length} solves): 1 worker ${(one.ms / 1000).toFixed(1)} s, 2 workers ${(two.ms / 1000).toFixed(1)} s` +
    ` (speed-up ${(one.ms / two.ms).toFixed(2)}×, identical rows: ${same}); NumPy reference, sequential: ${(refMs / 1000).toFixed(1)} s; ratio 2 workers / NumPy = ${(two.ms / refMs).toFixed(2)}`);
}
if (memoryOnly) memory();
else {
  solverTable();
  void phaseGrid().then(() => {
    if (!quick) console.log(execFileSync(process.execPath, ["--import", "tsx", __filename, "memory"]).toString().trimEnd());
  });
}

function memory(): void {
  // Peak memory of a d = 50, m = 2000 Gaussian solve, sampled every iteration.
  global.gc?.();
  const before = process.memoryUsage().rss;
  let peak = before;
  const sample = () => { peak = Math.max(peak, process.memoryUsage().rss); };
  const t = performance.now();
  const A = sampleGaussianOperator({ d1: 50, d2: 50, m: 2000, seed: 7 });
  const M = truth(50, 2, 8);
  sample();
  const r = plainRelaxation(A, A.apply(M), { tol, recordHistory: false, onIteration: sample });
  sample();
  console.log(
    `memory: d = 50, m = 2000 plain solve: peak RSS ${(peak / 2 ** 20).toFixed(0)} MB (process start ${(before / 2 ** 20).toFixed(0)} MB), ` +
      `${r.iterations} iterations, ${((performance.now() - t) / 1000).toFixed(1)} s, ‖X̂ − M‖_F = ${frobeniusNorm(sub(r.estimate!, M)).toExponential(1)}`,
  );
}
