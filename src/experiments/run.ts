/**
 * The experiment engine: runs every (cell, trial) of a grid on all cores (worker threads), reads
 * and writes the resumable cache, reports progress, stops cleanly on interrupt, and returns tidy
 * rows (one per task row, with the cell's parameters, the trial and its seed) ready for Vega-Lite.
 *
 * Rows come back in (cell, trial) order whatever the number of workers or the order in which they
 * finish, so 1 and N workers give identical rows. A task that throws stops the run with its cell,
 * trial and seed named; what finished before stays cached.
 */
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { join } from "node:path";
import { checkInteger, fail } from "../util/validate.js";
import { ResultCache, cacheKey, type Row } from "./cache.js";
import { checkGridSpec, gridJobs, type GridSpec, type Job } from "./grid.js";
import { loadTask, taskEntry, type TaskEntry } from "./tasks.js";

export interface RunProgress {
  /** Jobs finished (computed or read from the cache). */
  readonly done: number;
  readonly total: number;
  readonly cached: number;
  readonly elapsedMs: number;
}

export interface RunOptions {
  /** Worker threads (default: one per core). 1 runs in this thread. */
  readonly workers?: number;
  /** Cache folder (default: no cache). */
  readonly cacheDir?: string;
  /** Run only shard `index` of `count` (1-based): jobs whose position ≡ index − 1 (mod count). */
  readonly shard?: { readonly index: number; readonly count: number };
  /** Only read the cache; a missing entry is an error (assembling the shards of a cluster run). */
  readonly cachedOnly?: boolean;
  readonly onProgress?: (p: RunProgress) => void;
  /** Aborting stops the workers; SIGINT (Jupyter's interrupt) aborts too while the run lasts. */
  readonly signal?: AbortSignal;
}

export interface RunResult {
  readonly rows: Row[];
  /** Jobs computed in this run, and read from the cache. */
  readonly computed: number;
  readonly cached: number;
  readonly elapsedMs: number;
}

interface Outcome {
  rows?: Row[];
  error?: string;
}

export async function runGrid(spec: GridSpec, options: RunOptions = {}): Promise<RunResult> {
  const fn = "runGrid";
  checkGridSpec(fn, spec);
  const entry = taskEntry(fn, spec.task);
  const workers = options.workers === undefined ? availableParallelism() : checkInteger(fn, "options.workers", options.workers, 1);
  let jobs = gridJobs(spec);
  if (options.shard !== undefined) {
    const { index, count } = options.shard;
    checkInteger(fn, "options.shard.count", count, 1);
    checkInteger(fn, "options.shard.index", index, 1, count);
    jobs = jobs.filter((j) => j.index % count === index - 1);
  }
  const cache = options.cacheDir === undefined ? undefined : new ResultCache(options.cacheDir);
  const settings = (spec.settings ?? {}) as Record<string, unknown>;
  const t0 = performance.now();
  const results: (Row[] | undefined)[] = new Array(jobs.length);
  const keys = jobs.map((j) => cacheKey(spec.task, entry.version, j, settings));
  const todo: number[] = [];
  let cached = 0;
  jobs.forEach((_, i) => {
    const hit = cache?.read(keys[i]);
    if (hit !== undefined) {
      results[i] = hit;
      cached++;
    } else todo.push(i);
  });
  if (options.cachedOnly && todo.length > 0) {
    fail(fn, "options.cacheDir", `a cache holding every job of the grid (cachedOnly)`, `${todo.length} of ${jobs.length} missing, first: ${describe(jobs[todo[0]])}`);
  }
  let done = cached;
  const report = () => options.onProgress?.({ done, total: jobs.length, cached, elapsedMs: performance.now() - t0 });
  report();
  const finish = (i: number, rows: Row[]) => {
    results[i] = rows;
    cache?.write(keys[i], rows);
    done++;
    report();
  };
  if (todo.length > 0) {
    if (workers === 1) await runHere(entry, jobs, todo, settings, finish, options.signal);
    else await runInWorkers(entry, jobs, todo, settings, Math.min(workers, todo.length), finish, options.signal);
  }
  const rows: Row[] = [];
  jobs.forEach((job, i) => {
    for (const r of results[i] as Row[]) rows.push({ ...job.cell, trial: job.trial, seed: job.seed, ...r });
  });
  return { rows, computed: todo.length, cached, elapsedMs: performance.now() - t0 };
}

function describe(job: Job): string {
  return `cell ${JSON.stringify(job.cell)}, trial ${job.trial}, seed ${job.seed}`;
}

function asRows(out: Row | Row[]): Row[] {
  return Array.isArray(out) ? out : [out];
}

/** Stops on abort or SIGINT; returns a function that removes the listeners. */
function watchInterrupt(signal: AbortSignal | undefined, onStop: (why: string) => void): () => void {
  const onSigint = () => onStop("interrupted (SIGINT)");
  const onAbort = () => onStop("interrupted (aborted)");
  process.on("SIGINT", onSigint);
  signal?.addEventListener("abort", onAbort);
  if (signal?.aborted) onAbort();
  return () => {
    process.off("SIGINT", onSigint);
    signal?.removeEventListener("abort", onAbort);
  };
}

async function runHere(entry: TaskEntry, jobs: Job[], todo: number[], settings: Record<string, unknown>, finish: (i: number, rows: Row[]) => void, signal?: AbortSignal): Promise<void> {
  const task = loadTask(entry);
  let stopped: string | null = null;
  const unwatch = watchInterrupt(signal, (why) => (stopped = why));
  try {
    let n = 0;
    for (const i of todo) {
      if (stopped !== null) throw new Error(`runGrid: ${stopped} after ${n} of ${todo.length} jobs; finished jobs are cached.`);
      const job = jobs[i];
      let rows: Row[];
      try {
        rows = asRows(await task(job.cell, job.trial, job.seed, settings));
      } catch (e) {
        throw new Error(`runGrid: task ${JSON.stringify(entry.exportName)} failed at ${describe(job)}: ${(e as Error)?.message ?? String(e)}`);
      }
      finish(i, rows);
      n++;
      // Let timers, SIGINT and abort handlers run between jobs.
      await new Promise((r) => setImmediate(r));
    }
  } finally {
    unwatch();
  }
}

function runInWorkers(entry: TaskEntry, jobs: Job[], todo: number[], settings: Record<string, unknown>, count: number, finish: (i: number, rows: Row[]) => void, signal?: AbortSignal): Promise<void> {
  const tsx = __filename.endsWith(".ts");
  const workerFile = join(__dirname, `worker${tsx ? ".ts" : ".js"}`);
  return new Promise<void>((resolve, reject) => {
    const pool: Worker[] = [];
    let next = 0, active = 0, finished = 0, failed = false;
    const stop = (err: Error) => {
      if (failed) return;
      failed = true;
      unwatch();
      void Promise.all(pool.map((w) => w.terminate())).then(() => reject(err));
    };
    const unwatch = watchInterrupt(signal, (why) => stop(new Error(`runGrid: ${why} after ${finished} of ${todo.length} jobs; finished jobs are cached.`)));
    const feed = (w: Worker) => {
      if (failed) return;
      if (next >= todo.length) {
        if (active === 0) {
          unwatch();
          void Promise.all(pool.map((x) => x.terminate())).then(() => resolve());
        }
        return;
      }
      const i = todo[next++];
      active++;
      w.postMessage({ i, job: jobs[i] });
    };
    for (let k = 0; k < count; k++) {
      // Under tsx (tests) the worker registers tsx's CommonJS hook before loading the TypeScript worker.
      const w = tsx
        ? new Worker(`require("tsx/cjs"); require(${JSON.stringify(workerFile)});`, { eval: true, workerData: { entry, settings } })
        : new Worker(workerFile, { workerData: { entry, settings } });
      pool.push(w);
      w.on("message", (msg: { i: number } & Outcome) => {
        active--;
        if (msg.error !== undefined) return stop(new Error(`runGrid: task ${JSON.stringify(entry.exportName)} failed at ${describe(jobs[msg.i])}: ${msg.error}`));
        finished++;
        finish(msg.i, msg.rows as Row[]);
        feed(w);
      });
      w.on("error", (e) => stop(new Error(`runGrid: a worker crashed: ${e.message}`)));
      w.on("exit", (code) => {
        if (code !== 0 && !failed) stop(new Error(`runGrid: a worker exited with code ${code}`));
      });
      feed(w);
    }
  });
}
