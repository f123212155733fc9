/**
 * Convex solvers: one flat and one plain solve (median of 5, tol 1e-9) for Gaussian sensing, rank 2,
 * at (d, m) = (10, 90), (20, 190), (30, 290), side by side with the plain ADMM in NumPy/SciPy
 * (bench/ref/solvers_ref.py, a child process with OPENBLAS_NUM_THREADS=1, on the same instances
 * passed as JSON), and the ratio flatlab/NumPy (goal ≤ 1.0). Ours is the same ADMM with Anderson
 * acceleration (issue 11); the reference stays the plain iteration it always was, so the ratio
 * includes the saved iterations, and both iteration counts are printed. Then the peak RSS of a d = 50,
 * m = 2000 Gaussian solve (goal < 500 MB), in a fresh process that loads only the solver.
 *
 * Run (after npm run build): node --import tsx bench/solvers.bench.ts [quick]   (quick: 1 repetition, no memory case)
 *   [large]: issue 11's sizes (d = 50–120 at δ and 1.5δ, all four ensembles, then the peak RSS of a
 *   d = 100, m = 1000 flat solve; about 8 min), also by FLATLAB_BENCH_LARGE=1;
 *   [grid-large]: issue 11's grid (d = 60, 80, 100; 6 values of m in [0.8δ, 1.25δ]; 3 trials; both
 *   programs) with 1 and 2 workers, each in a fresh process, then the NumPy run of the same solves;
 *   [profile [d m]]: the phases of one flat solve (default d = 100, m = 922) beside NumPy's.
 * ms/iter is the whole solve time (setup included: Gram matrix, Cholesky, rescaling) / iterations.
 *
 * Issue 11's targets, measured 7 Dec 2026 in the sixth session (CPU-time ratios, two runs; the
 * README has the table). `large` prints, under its table, each row above 0.5× with its measured
 * set-up, cost per iteration and iteration ratios against NumPy's.
 * - Gaussian at δ and 1.5δ, d = 50–120: 0.63–1.16× at 76–156 iterations (0.25–0.56× where a solve
 *   takes hundreds), target 0.5×. Both sides read A twice per iteration at the memory bandwidth
 *   (d = 100, m = 922: 6.7–7.1 against 9.5–10.1 ms), we take 0.51–0.72 of NumPy's iterations, and
 *   with NumPy's set-up the flat rows would still be 0.63–0.76×; the plain program's set-up is
 *   ×2.0–3.5 NumPy's (Gram matrix at the WebAssembly SIMD peak without FMA, 2.4–3× OpenBLAS; first
 *   touch of the kernel arena, 11 µs per page on this VM).
 * - Completion d = 100 at its measured transition (p = 0.19, notebook 04) and at twice it:
 *   1.17–2.22× (56–99 iterations, NumPy 88–177): 0.74–0.86 ms per iteration against NumPy's
 *   0.39–0.42 (warm-started thresholding 0.25–0.31 ms, full route 0.45–0.50 ms while the rank
 *   falls; Anderson 0.13 ms; the solver's vector passes about 0.1 ms).
 * - Bilinear 0.12–0.64× and quadratic 0.36–0.78×; above 0.5 only the bilinear d = 50, m = 630 rows
 *   and the quadratic d = 60, m = 540 flat row, which are 0.46–0.50× by wall clock (first solves at
 *   their sizes: background compilation and garbage collection; this VM's runs of one solve fall
 *   into two groups 1.5× apart).
 * - The warm-started thresholding is used from min(d1, d2) = 60 on (src/solvers/warm-threshold.ts
 *   WARM_MIN_SIZE: below, the full route is cheaper).
 * - Peak RSS of one d = 100, m = 1000 flat solve: 231 MB (46 MB before the solve), target 300 MB.
 * - grid-large, five runs: 125–171 s with one worker, 69–80 s with two (speed-up 1.65–2.42×,
 *   median 1.85×; target 1.8×), peak RSS 307–392 and 566–639 MB (target 1 GB); NumPy run
 *   sequentially 273–320 s (two workers / NumPy 0.22–0.29). A bare streaming pass over A at
 *   d = 100 takes 2.5 ms of CPU alone and 3.4–3.8 ms beside a second streaming process: the bound
 *   where solves are all passes.
 */
import { execFileSync } from "node:child_process";
import { writeFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Matrix, frobeniusNorm, matmulNT, scale, sub, transpose } from "../dist/linalg/matrix.js";
import { BLOCKED_GRAM_SCRATCH, Float64Arena, blockedGram, transformBlocks } from "../dist/kernels/index.js";
import { rescalingMatrices } from "../dist/problems/rescaling.js";
import { singularValueThreshold } from "../dist/solvers/prox.js";
import { AndersonAcceleration } from "../dist/solvers/anderson.js";
import { createRng } from "../dist/random/rng.js";
import { sampleGaussianOperator } from "../dist/problems/operators.js";
import { flatRelaxation, invertRescaling, plainRelaxation, type RelaxationResult } from "../dist/solvers/flat-relaxation.js";
import { gridJobs } from "../dist/experiments/grid.js";
import { recoveryInstance, type RecoveryCell } from "../dist/experiments/recovery.js";
import type { MeasurementOperator } from "../dist/problems/operator.js";

const quick = process.argv.includes("quick");
const reps = quick ? 1 : 5;
const tol = 1e-9;
const sizes: [number, number][] = [[10, 90], [20, 190], [30, 290]];
/**
 * δ, the statistical dimension of the nuclear norm's descent cone at a rank-2 d×d point: the
 * values quoted in issue 11, kept fixed so that rows stay comparable between runs (the library's
 * statisticalDimension, 200 samples, seed 1, gives 419.8, 519.6, 716.7, 923.7, 1133.6 ± 3.5).
 */
const DELTA: Record<number, number> = { 50: 420, 60: 520, 80: 717, 100: 922, 120: 1120 };

function truth(d: number, r: number, seed: number): Matrix {
  const rng = createRng(seed);
  const g: Matrix = { rows: d, cols: r, data: rng.gaussians(d * r) };
  const h: Matrix = { rows: d, cols: r, data: rng.gaussians(d * r) };
  const m = matmulNT(g, h);
  return scale(m, 1 / frobeniusNorm(m));
}

const median = (xs: number[]) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)];

interface Row { d: number; m: number; program: string; iterations: number; ms: number; err: number; converged: boolean; cpuMs?: number; warm?: number; setupMs?: number }

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
  console.log(`solvers bench: Gaussian sensing, rank 2, tol ${tol}, median of ${reps}; ours Anderson-accelerated ADMM${ref ? `; reference: the plain ADMM in NumPy ${ref.numpy}, SciPy ${ref.scipy} (1 thread)` : ""}`);
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
const SMALL_GRID_CELLS = [10, 20, 30].flatMap((d) => [1.6, 2.0, 2.5].map((c) => ({ ensemble: "gaussian", d, r: 2, m: Math.round(c * (2 * 2 * d - 4)) })));
/** Issue 11's grid: d ∈ {60, 80, 100}, 6 values of m in [0.8δ, 1.25δ]. */
const LARGE_GRID_CELLS = [60, 80, 100].flatMap((d) => [0.8, 0.89, 0.98, 1.07, 1.16, 1.25].map((c) => ({ ensemble: "gaussian", d, r: 2, m: Math.round(c * DELTA[d]) })));
function phaseGrid(cells: { ensemble: string; d: number; r: number; m: number }[], trials: number): void {
  const spec = { task: "recovery", axes: {}, cells, trials, seed: 7, settings: { truthSeed: 7, tol, regularity: false } };
  const one = gridInChild(spec, 1), two = gridInChild(spec, 2);
  // The reference solves the same instances one after the other, one instance per call (rows
  // through a binary file: at d = 100 the JSON of every instance at once would not fit a string).
  let refMs = 0;
  for (const j of gridJobs(spec)) {
    const { truth: M, A, b } = recoveryInstance(j.cell as unknown as RecoveryCell, j.seed, 7);
    const res = reference({ d: j.cell.d as number, m: A.m, A, b, M }, ["flat", "plain"]);
    refMs += res === null ? NaN : res.reduce((sum, x) => sum + x.ms, 0);
  }
  const same = JSON.stringify(one.success) === JSON.stringify(two.success);
  const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  console.log(`phase grid (${cells.length} cells × ${trials} trials × flat and plain = ${one.success.length} solves), each run in a fresh process loading only the engine:`);
  console.log(`  1 worker ${s(one.ms)} (CPU ${s(one.cpuMs)}, peak RSS ${one.peakMb} MB); 2 workers ${s(two.ms)} (CPU ${s(two.cpuMs)}, peak RSS ${two.peakMb} MB); speed-up ${(one.ms / two.ms).toFixed(2)}×, identical rows: ${same}`);
  console.log(`  NumPy reference, sequential: ${s(refMs)}; ratio 2 workers / NumPy = ${(two.ms / refMs).toFixed(2)}; capped solves: ${one.capped}`);
}

/**
 * One runGrid in a fresh Node process (no tsx, no tfjs, no earlier solve's memory): wall time, CPU
 * time of the whole process (its worker threads included), peak RSS sampled every 20 ms, and the
 * success column.
 */
function gridInChild(spec: object, workers: number): { ms: number; cpuMs: number; peakMb: number; success: number[]; capped: number } {
  const code = `
    const { runGrid } = require(${JSON.stringify(join(__dirname, "..", "dist", "experiments", "run.js"))});
    let peak = process.memoryUsage().rss;
    const timer = setInterval(() => { peak = Math.max(peak, process.memoryUsage().rss); }, 20);
    const t = performance.now(), c = process.cpuUsage();
    runGrid(${JSON.stringify(spec)}, { workers: ${workers} }).then((res) => {
      clearInterval(timer);
      const cu = process.cpuUsage(c);
      console.log(JSON.stringify({ ms: performance.now() - t, cpuMs: (cu.user + cu.system) / 1000, peakMb: Math.round(peak / 2 ** 20),
        success: res.rows.map((r) => r.success), capped: res.rows.filter((r) => r.converged === false).length }));
    });
  `;
  return JSON.parse(execFileSync(process.execPath, ["-e", code], { maxBuffer: 1 << 26 }).toString());
}
// `large` (or FLATLAB_BENCH_LARGE=1): the sizes of issue 11 (d = 50–120 near the phase transition),
// about 8 minutes with the NumPy runs; `grid-large`: the two-worker grid at d = 60–100.
const large = process.argv.includes("large") || process.env.FLATLAB_BENCH_LARGE === "1";
const largeGrid = process.argv.includes("grid-large");
if (process.argv.includes("profile")) profile();
else if (large || largeGrid) {
  if (large) largeTable();
  if (large) console.log(memory(true));
  if (largeGrid) phaseGrid(LARGE_GRID_CELLS, 3);
} else {
  solverTable();
  phaseGrid(SMALL_GRID_CELLS, 3);
  if (!quick) console.log(memory(false));
}


/** The NumPy reference on one instance (rows through a binary file); null when it fails. */
function reference(inst: { d: number; m: number; A: MeasurementOperator; b: Float64Array; M: Matrix }, programs: string[]): Row[] | null {
  const dir = mkdtempSync(join(tmpdir(), "flatlab-bench-"));
  try {
    const entry: Record<string, unknown> = { d: inst.d, m: inst.m, b: Array.from(inst.b), M: Array.from(inst.M.data), programs };
    if (inst.A.kind === "completion") {
      const c = inst.A as unknown as { rowIndex: Int32Array; colIndex: Int32Array };
      entry.maskRows = Array.from(c.rowIndex);
      entry.maskCols = Array.from(c.colIndex);
    } else {
      const rows = denseRowsOf(inst.A);
      entry.A_file = join(dir, "A.bin");
      writeFileSync(entry.A_file as string, new Uint8Array(rows.buffer, rows.byteOffset, rows.byteLength));
    }
    writeFileSync(join(dir, "instances.json"), JSON.stringify({ reps: 1, tol, instances: [entry] }));
    const out = execFileSync("/usr/bin/python3", [join(__dirname, "ref", "solvers_ref.py"), join(dir, "instances.json")], {
      env: { ...process.env, OPENBLAS_NUM_THREADS: "1", OMP_NUM_THREADS: "1", MKL_NUM_THREADS: "1" }, maxBuffer: 1 << 26,
    });
    return (JSON.parse(out.toString()) as { results: Row[] }).results;
  } catch (e) {
    console.log(`reference run failed: ${(e as Error).message.split("\n")[0]}`);
    return null;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** vec(A_i) as rows (m × d1·d2) for the reference: the Gaussian rows, or formed from a_i b_iᵀ, x_i x_iᵀ. */
function denseRowsOf(A: MeasurementOperator): Float64Array {
  if (A.kind === "gaussian") return (A as unknown as { rows: Matrix }).rows.data;
  const { m, d1, d2 } = A, out = new Float64Array(m * d1 * d2);
  const [a, b] = A.kind === "bilinear" ? [(A as unknown as { a: Matrix }).a, (A as unknown as { b: Matrix }).b] : [(A as unknown as { x: Matrix }).x, (A as unknown as { x: Matrix }).x];
  for (let i = 0; i < m; i++) for (let p = 0; p < d1; p++) for (let q = 0; q < d2; q++) out[i * d1 * d2 + p * d2 + q] = a.data[i * d1 + p] * b.data[i * d2 + q];
  return out;
}

/**
 * Issue 11's rows: one solve per program on each instance, ours (Anderson-accelerated ADMM) then
 * the NumPy reference (the plain ADMM, unchanged: the ratio compares against the same algorithm
 * as before, not an accelerated NumPy), interleaved instance by instance.
 */
function largeTable(): void {
  const cells: RecoveryCell[] = [];
  for (const ensemble of ["gaussian", "bilinear"] as const) for (const d of [50, 80, 100, 120]) for (const f of [1, 1.5]) cells.push({ ensemble, d, r: 2, m: Math.round(f * DELTA[d]) });
  // Completion at its transition and at twice it: notebook 04 measures p₅₀ = 0.162 (flat) and 0.188 (plain) at d = 100.
  for (const p of [0.19, 0.38]) cells.push({ ensemble: "completion", d: 100, r: 2, p });
  for (const f of [1, 1.5]) cells.push({ ensemble: "quadratic", d: 60, r: 3, m: Math.round(f * 540) });
  console.log(`solvers bench (large): one solve per row, tol ${tol}; ours: Anderson-accelerated ADMM; NumPy: THE PLAIN ADMM of bench/ref (1 BLAS thread)`);
  console.log("(s: CPU seconds of the solving process, user + system, set-up included; ratio of CPU times, wall-clock ratio after it: the machine is shared)");
  console.log("(warm: iterations whose thresholding came warm-started from the previous subspace, src/solvers/warm-threshold.ts)");
  console.log("ensemble    d     m      p program |  iters  warm   ours s  ‖est−M‖ |  NumPy iters  NumPy s  ‖est−M‖ | ratio  wall");
  // FLATLAB_BENCH_CELLS=gaussian:50,bilinear:80 runs only those ensembles and sizes.
  const only = process.env.FLATLAB_BENCH_CELLS?.split(",");
  const chosen = only === undefined ? cells : cells.filter((c) => only.includes(`${c.ensemble}:${c.d}`));
  // Warm-up: small solves of each ensemble and program, so that V8 has compiled and tiered up the
  // JavaScript and WebAssembly code paths before the timed solves (measured: the first flat solve
  // at d = 50, m = 630 took 0.79 s of CPU, the fourth 0.32 s).
  for (const cell of [{ ensemble: "gaussian", d: 30, r: 2, m: 300 }, { ensemble: "bilinear", d: 30, r: 2, m: 300 }, { ensemble: "completion", d: 30, r: 2, p: 0.5 }, { ensemble: "quadratic", d: 20, r: 3, m: 300 }] as RecoveryCell[]) {
    const { A, b } = recoveryInstance(cell, 1, 7);
    for (let k = 0; k < 4; k++) { flatRelaxation(A, b, { tol, recordHistory: false, onSingular: "skip" }); plainRelaxation(A, b, { tol, recordHistory: false }); }
  }
  let capped = 0, refCapped = 0, rows = 0;
  const ratios: number[] = [], above: string[] = [];
  for (const cell of chosen) {
    const { truth: M, A, b } = recoveryInstance(cell, 1, 7);
    const mine: Row[] = [];
    for (const [program, solve] of [["flat", flatRelaxation], ["plain", plainRelaxation]] as const) {
      const t = performance.now(), c = process.cpuUsage();
      const r = solve(A, b, { tol, recordHistory: false, onSingular: "skip" });
      const ms = performance.now() - t, cu = process.cpuUsage(c);
      mine.push({ d: cell.d, m: A.m, program, iterations: r.iterations, ms, cpuMs: (cu.user + cu.system) / 1000, err: r.estimate === null ? NaN : frobeniusNorm(sub(r.estimate, M)), converged: r.converged, warm: r.solver?.warmThresholds ?? 0,
        // Set-up: everything before the first iteration (flat: the rescaling too), wall ms.
        setupMs: r.solver === null ? undefined : r.timeMs - (r.solver.timeMs - r.solver.setupMs) });
    }
    const ref = reference({ d: cell.d, m: A.m, A, b, M }, ["flat", "plain"]);
    for (const r of mine) {
      const q = ref?.find((x) => x.program === r.program);
      rows++;
      if (!r.converged) capped++;
      if (q !== undefined && !q.converged) refCapped++;
      const ratio = q === undefined ? NaN : (r.cpuMs as number) / (q.cpuMs as number);
      if (q !== undefined) ratios.push(ratio);
      if (q !== undefined && ratio > 0.5) above.push(reason(cell, r, q));
      const e = (x: number) => (Number.isFinite(x) ? x.toExponential(1) : "  —  ").padStart(8);
      console.log(
        `${cell.ensemble.padEnd(10)} ${String(cell.d).padStart(4)} ${String(A.m).padStart(5)} ${cell.p === undefined ? "     " : cell.p.toFixed(3)} ${r.program.padEnd(7)} |` +
          ` ${String(r.iterations).padStart(6)}${r.converged ? " " : "*"} ${String(r.warm).padStart(5)} ${((r.cpuMs as number) / 1000).toFixed(2).padStart(7)} ${e(r.err)} |` +
          (q ? ` ${String(q.iterations).padStart(11)}${q.converged ? " " : "*"} ${((q.cpuMs as number) / 1000).toFixed(2).padStart(7)} ${e(q.err)} | ${ratio.toFixed(2).padStart(5)} ${(r.ms / q.ms).toFixed(2).padStart(5)}` : " (no reference)"),
      );
    }
  }
  const sorted = ratios.slice().sort((a, b) => a - b);
  console.log(`${rows} solves; hit the iteration cap (marked *): ours ${capped}, NumPy ${refCapped}; ratio median ${median(sorted)?.toFixed(2)}, range ${sorted[0]?.toFixed(2)}–${sorted.at(-1)?.toFixed(2)} (target ≤ 0.5)`);
  if (above.length > 0) {
    console.log(`rows above 0.5×, measured in these solves (ours / NumPy, wall clock; set-up: before the first iteration, rescaling included; per iteration: the rest over the iterations):`);
    for (const line of above) console.log(line);
  }
}

/**
 * Why a row is above 0.5×, from the two solves' own timings: the set-up of each side, the cost per
 * iteration and the iteration counts, and which of them keeps the ratio up (wall clock, as both
 * sides measure their set-up in wall time).
 */
function reason(cell: RecoveryCell, ours: Row, ref: Row): string {
  const label = `${cell.ensemble} d = ${cell.d}, m = ${ours.m} ${ours.program}`;
  if (ours.setupMs === undefined || ref.setupMs === undefined) return `  ${label}: no set-up timing`;
  const [sa, sb] = [ours.setupMs, ref.setupMs];
  const [a, b] = [(ours.ms - sa) / Math.max(ours.iterations, 1), (ref.ms - sb) / Math.max(ref.iterations, 1)];
  const x = (u: number, v: number) => `×${(u / v).toFixed(2)}`;
  // The ratio had our set-up cost NumPy's, and had our iterations cost NumPy's.
  const sameSetup = (sb + ours.iterations * a) / ref.ms, sameIteration = (sa + ours.iterations * b) / ref.ms;
  return `  ${label}: set-up ${sa.toFixed(0)} / ${sb.toFixed(0)} ms (${x(sa, sb)}), per iteration ${a.toFixed(2)} / ${b.toFixed(2)} ms (${x(a, b)}), ` +
    `iterations ${ours.iterations} / ${ref.iterations} (${x(ours.iterations, ref.iterations)}); with NumPy's set-up the ratio would be ${sameSetup.toFixed(2)}, with its cost per iteration ${sameIteration.toFixed(2)}`;
}

/**
 * Peak memory of one solve, d = 50, m = 2000 plain Gaussian (or d = 100, m = 1000 flat: issue 11's
 * target ≤ 300 MB), in a fresh Node process that loads only what the solve needs (no tsx, no
 * tfjs: the bench process itself starts at about 150 MB), sampled every iteration and every 5 ms.
 */
function memory(flat100: boolean): string {
  const dist = join(__dirname, "..", "dist");
  const code = `
    const D = ${JSON.stringify(dist)};
    const { sampleGaussianOperator } = require(D + "/problems/operators.js");
    const { flatRelaxation, plainRelaxation } = require(D + "/solvers/flat-relaxation.js");
    const { createRng } = require(D + "/random/rng.js");
    const { matmulNT, scale, frobeniusNorm, sub } = require(D + "/linalg/matrix.js");
    global.gc();
    const before = process.memoryUsage().rss;
    let peak = before;
    const sample = () => { peak = Math.max(peak, process.memoryUsage().rss); };
    const timer = setInterval(sample, 5);
    const [d, m, flat] = ${JSON.stringify(flat100 ? [100, 1000, true] : [50, 2000, false])};
    const rng = createRng(8);
    const M0 = matmulNT({ rows: d, cols: 2, data: rng.gaussians(2 * d) }, { rows: d, cols: 2, data: rng.gaussians(2 * d) });
    const M = scale(M0, 1 / frobeniusNorm(M0));
    const t = performance.now();
    const A = sampleGaussianOperator({ d1: d, d2: d, m, seed: 7 });
    sample();
    const r = (flat ? flatRelaxation : plainRelaxation)(A, A.apply(M), { tol: ${tol}, recordHistory: false, onIteration: sample });
    sample();
    clearInterval(timer);
    const mb = (x) => (x / 2 ** 20).toFixed(0);
    console.log("memory: d = " + d + ", m = " + m + " " + (flat ? "flat" : "plain") + " solve: peak RSS " + mb(peak) + " MB (process before the solve " + mb(before) +
      " MB, loading only the solver), " + r.iterations + " iterations, " + ((performance.now() - t) / 1000).toFixed(1) + " s, ‖X̂ − M‖_F = " + frobeniusNorm(sub(r.estimate, M)).toExponential(1));
  `;
  return execFileSync(process.execPath, ["--expose-gc", "-e", code]).toString().trimEnd();
}

/**
 * Where one flat Gaussian solve at d = 100, m = 922 (≈ δ) spends its time, phase by phase in CPU
 * milliseconds, beside the same phases of the NumPy reference on the same instance
 * (solvers_ref.py --profile). The thresholding is timed on a rank-2-plus-noise 100×100 iterate
 * keeping 2 pairs (what the solve's iterates look like), Anderson's step at memory 40; "rest" is
 * the whole solve minus the parts (the JavaScript passes over d² entries, residuals, the checks,
 * and the parts' slow-down in the solve, where each pass over A evicts the caches the thresholding
 * and Anderson's history use; on a shared machine it carries the noise of all the other rows).
 */
/** `profile [d m]`: the phases of one flat Gaussian solve (default d = 100, m = 922). */
function profile(): void {
  const at = process.argv.indexOf("profile"), d = Number(process.argv[at + 1] ?? 100), m0 = Number(process.argv[at + 2] ?? 922);
  if (!Number.isInteger(d) || !Number.isInteger(m0)) throw new RangeError("bench profile: expected two integers d and m after 'profile'");
  const cell: RecoveryCell = { ensemble: "gaussian", d, r: 2, m: m0 };
  const { A, b } = recoveryInstance(cell, 1, 7);
  const m = A.m, n = d * d, R = (A as unknown as { rows: Matrix }).rows.data;
  const cpu = () => { const c = process.cpuUsage(); return (c.user + c.system) / 1000; };
  const time = (f: () => void, reps = 1): number => { const c = cpu(); for (let i = 0; i < reps; i++) f(); return (cpu() - c) / reps; };
  // Warm-up of every code path on a small instance.
  for (let k = 0; k < 3; k++) { const w = recoveryInstance({ ensemble: "gaussian", d: 30, r: 2, m: 300 }, 1, 7); flatRelaxation(w.A, w.b, { tol, recordHistory: false }); }
  let solve: RelaxationResult | undefined;
  const total = time(() => { solve = flatRelaxation(A, b, { tol, recordHistory: false }); });
  const iterations = (solve as RelaxationResult).iterations;
  const ours: Record<string, number> = {};
  let P: Matrix | undefined, Q: Matrix | undefined;
  ours.moments = time(() => {
    const { D1, D2 } = rescalingMatrices(A);
    P = invertRescaling(D1, "D1", "row", "gaussian", 1e-10) as Matrix;
    Q = invertRescaling(D2, "D2", "column", "gaussian", 1e-10) as Matrix;
  });
  const arena = new Float64Arena(m * n + m * m + BLOCKED_GRAM_SCRATCH + 2 * n + 2 * m), k = arena.kernels;
  const rows = arena.alloc(m * n), G = arena.alloc(m * m), tile = arena.alloc(BLOCKED_GRAM_SCRATCH);
  const x = arena.alloc(n), y = arena.alloc(m), z = arena.alloc(n);
  // A fresh kernel arena's first touch (page faults) apart: NumPy's phases below reuse memory its
  // warm-up solve freed.
  ours.pageFaults = time(() => { rows.fill(0); G.fill(0); });
  ours.transform = time(() => transformBlocks(R, m, d, d, transpose(P as Matrix).data, transpose(Q as Matrix).data, rows));
  ours.gram = time(() => blockedGram(k, rows, m, n, G, tile));
  ours.cholesky = time(() => k.cholesky(G.byteOffset, m));
  x.fill(1e-3);
  ours.passes = time(() => { k.gemv(rows.byteOffset, m, n, x.byteOffset, y.byteOffset); k.gemvT(rows.byteOffset, m, n, y.byteOffset, z.byteOffset); }, 20);
  ours.triangular = time(() => { k.solveLower(G.byteOffset, m, y.byteOffset); k.solveLowerT(G.byteOffset, m, y.byteOffset); }, 50);
  const iterate = svtIterate(d), out = new Float64Array(n);
  ours.threshold = time(() => singularValueThreshold(iterate, 1.2, out), 200);
  const aa = new AndersonAcceleration(n, 40), zz = new Float64Array(n), ff = new Float64Array(n), next = new Float64Array(n);
  for (let i = 0; i < n; i++) { zz[i] = Math.sin(i); ff[i] = 1e-3 * Math.cos(i); }
  for (let t = 0; t < 45; t++) { aa.next(zz, ff, next); ff[t] *= 0.9; }
  ours.anderson = time(() => { aa.next(zz, ff, next); ff[7] *= 0.9; }, 100);
  aa.dispose();

  // NumPy: the same phases on the same instance and iterate.
  const dir = mkdtempSync(join(tmpdir(), "flatlab-bench-"));
  let ref: Record<string, number> | undefined;
  try {
    writeFileSync(join(dir, "A.bin"), new Uint8Array(R.buffer, R.byteOffset, R.byteLength));
    writeFileSync(join(dir, "Z.bin"), new Uint8Array(iterate.data.buffer));
    writeFileSync(join(dir, "profile.json"), JSON.stringify({ d, m, tol, b: Array.from(b), A_file: join(dir, "A.bin"), Z_file: join(dir, "Z.bin"), tau: 1.2 }));
    const outText = execFileSync("/usr/bin/python3", [join(__dirname, "ref", "solvers_ref.py"), "--profile", join(dir, "profile.json")], {
      env: { ...process.env, OPENBLAS_NUM_THREADS: "1", OMP_NUM_THREADS: "1", MKL_NUM_THREADS: "1" }, maxBuffer: 1 << 26,
    });
    ref = JSON.parse(outText.toString());
  } catch (e) {
    console.log(`reference run failed: ${(e as Error).message.split("\n")[0]}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const perIteration = (r: Record<string, number>) => r.passes + r.triangular + r.threshold + (r.anderson ?? 0);
  const setup = (r: Record<string, number>) => r.moments + (r.pageFaults ?? 0) + r.transform + r.gram + r.cholesky;
  ours.other = total - setup(ours) - iterations * perIteration(ours);
  if (ref !== undefined) ref.other = ref.total - setup(ref) - ref.iterations * perIteration(ref);
  console.log(`profile: one flat Gaussian solve, d = ${d}, m = ${m}, tol ${tol}, CPU ms (shared machine); ours ${iterations} iterations (Anderson), NumPy ${ref?.iterations ?? "?"} (plain ADMM)`);
  console.log("phase                                   |      ours |     NumPy | ratio");
  const line = (label: string, a: number, q: number | undefined) => console.log(`${label.padEnd(40)}| ${a.toFixed(2).padStart(9)} | ${q === undefined ? "        —" : q.toFixed(2).padStart(9)} | ${q === undefined || q === 0 ? "" : (a / q).toFixed(2)}`);
  line("moments Σ A_iA_iᵀ, Σ A_iᵀA_i; D1⁻¹, D2⁻¹", ours.moments, ref?.moments);
  line(`first touch of the ${Math.round((8 * (m * n + m * m)) / 1e6)} MB kernel arena`, ours.pageFaults, undefined);
  line("rescaled rows vec(Pᵀ A_i Qᵀ)", ours.transform, ref?.transform);
  line("Gram matrix AAᵀ", ours.gram, ref?.gram);
  line("Cholesky", ours.cholesky, ref?.cholesky);
  line("per iteration: A x and Aᵀ y", ours.passes, ref?.passes);
  line("per iteration: two triangular solves", ours.triangular, ref?.triangular);
  line("per iteration: thresholding (2 kept)", ours.threshold, ref?.threshold);
  line("per iteration: Anderson step (memory 40)", ours.anderson, undefined);
  line("set-up in all", setup(ours), ref === undefined ? undefined : setup(ref));
  line("iterations × per-iteration parts", iterations * perIteration(ours), ref === undefined ? undefined : ref.iterations * perIteration(ref));
  line("rest: whole − parts (noisy when shared)", ours.other, ref?.other);
  line("whole solve", total, ref?.total);
}

/** A rank-2-plus-noise d×d matrix with σ₁ ≈ 10: the thresholding's input in the profile. */
function svtIterate(d: number): Matrix {
  const rng = createRng(3), g = rng.gaussians(2 * d), h = rng.gaussians(2 * d), noise = rng.gaussians(d * d);
  const Z = new Float64Array(d * d);
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) Z[i * d + j] = (10 * (g[2 * i] * h[2 * j] + g[2 * i + 1] * h[2 * j + 1])) / d + 0.05 * noise[i * d + j];
  return { rows: d, cols: d, data: Z };
}
