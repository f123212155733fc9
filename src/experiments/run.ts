/**
 * The experiment engine: runs every (cell, trial) of a grid on all cores (worker threads), reads
 * and writes the resumable cache, reports progress, stops cleanly on interrupt, and returns tidy
 * rows (one per task row, with the cell's parameters, the trial and its seed) ready for Vega-Lite.
 *
 * Rows come back in (cell, trial) order whatever the number of workers or the order in which they
 * finish, so 1 and N workers give identical rows; rows computed now and rows read from the cache
 * are the same JSON.
 *
 * Failures (our choice of defaults):
 * - A task that throws (or returns something that is not JSON rows), or a worker that crashes:
 *   with `onError: "stop"` (default) no new job starts, the jobs already running finish and are
 *   cached, then the run rejects naming the cell, trial and seed of the first failure. With
 *   `onError: "record"` the run goes on and the failed job gives one row
 *   `{...cell, trial, seed, failure: message}`, which is not cached (a rerun tries again).
 * - Interrupt (`signal` aborted, or SIGINT while the run lasts): the workers are terminated at once
 *   and the run rejects with an AbortError "interrupted after N of M jobs"; every finished job is
 *   already cached. In Jupyter, tslab answers SIGINT by rejecting the running cell at once; our
 *   SIGINT listener is what stops the workers behind it. With `workers: 1` the tasks run in this
 *   thread, so an interrupt is seen between two jobs, not inside one.
 */
import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { join } from "node:path";
import { withTable } from "../util/displayable.js";
import { interruptRequested } from "../util/interrupt.js";
import { checkInteger, checkOneOf, fail } from "../util/validate.js";
import { ResultCache, cacheKey, type Row } from "./cache.js";
import { checkGridSpec, gridJobs, shardJobs, type GridSpec, type Job } from "./grid.js";
import { loadTask, loadTaskCost, normalizeRows, taskEntry, type TaskEntry, type TaskFunction } from "./tasks.js";

export interface RunProgress {
  /** Jobs finished (computed, read from the cache, or failed and recorded). */
  readonly done: number;
  readonly total: number;
  readonly cached: number;
  readonly failed: number;
  readonly elapsedMs: number;
}

export interface RunOptions {
  /** Worker threads (default: one per core, os.availableParallelism()). 1 runs in this thread. */
  readonly workers?: number;
  /**
   * Cache folder (default: no cache). Several folders: entries are read from each in turn and
   * written to the first (assembling the caches of a cluster run's shards without copying).
   */
  readonly cacheDir?: string | readonly string[];
  /** Run only shard `index` of `count` (1-based): jobs whose position ≡ index − 1 (mod count). */
  readonly shard?: { readonly index: number; readonly count: number };
  /** Only read the cache; a missing entry is an error (assembling the shards of a cluster run). */
  readonly cachedOnly?: boolean;
  /** "stop" (default): the first failure ends the run; "record": a failure becomes a row. */
  readonly onError?: "stop" | "record";
  readonly onProgress?: (p: RunProgress) => void;
  /** Aborting stops the workers; SIGINT (Jupyter's interrupt) aborts too while the run lasts. */
  readonly signal?: AbortSignal;
  /** The largest grid (cells × trials) accepted (default MAX_JOBS = 100000). */
  readonly maxJobs?: number;
}

export interface RunResult {
  readonly rows: Row[];
  /** Jobs of this run (the shard's, with `shard`). */
  readonly total: number;
  /** Jobs computed now, read from the cache, and failed (recorded as rows; onError "record"). */
  readonly computed: number;
  readonly cached: number;
  readonly failed: number;
  /** Cache entries that failed their checks (truncated, edited, foreign) and were recomputed. */
  readonly corrupt: number;
  readonly elapsedMs: number;
}

/** A job that could not produce rows; `crash` when its worker died rather than the task throwing. */
class JobFailure extends Error {
  constructor(message: string, readonly crash: boolean) {
    super(message);
  }
}

export async function runGrid(spec: GridSpec, options: RunOptions = {}): Promise<RunResult> {
  const fn = "runGrid";
  if (typeof options !== "object" || options === null) fail(fn, "options", "an object", options, TypeError);
  checkGridSpec(fn, spec, { maxJobs: options.maxJobs });
  const entry = taskEntry(fn, spec.task);
  const workers = options.workers === undefined ? availableParallelism() : checkInteger(fn, "options.workers", options.workers, 1);
  const onError = checkOneOf(fn, "options.onError", options.onError ?? "stop", ["stop", "record"] as const);
  let jobs = gridJobs(spec);
  if (options.shard !== undefined) {
    const { index, count } = options.shard;
    checkInteger(fn, "options.shard.count", count, 1);
    checkInteger(fn, "options.shard.index", index, 1, count);
    jobs = shardJobs(jobs, options.shard);
  }
  const dirs = options.cacheDir === undefined ? [] : typeof options.cacheDir === "string" ? [options.cacheDir] : options.cacheDir;
  if (!Array.isArray(dirs) || dirs.some((d) => typeof d !== "string" || d === "")) fail(fn, "options.cacheDir", "a folder path or an array of them", options.cacheDir, TypeError);
  if (options.cachedOnly && dirs.length === 0) fail(fn, "options.cacheDir", "set when options.cachedOnly is true", options.cacheDir);
  for (const d of options.cachedOnly ? dirs : dirs.slice(1)) {
    if (!existsSync(d)) fail(fn, "options.cacheDir", "existing folders where they are only read (a misspelt path would read as an empty cache)", d);
  }
  const cache = dirs.length === 0 ? undefined : new ResultCache(dirs[0], dirs.slice(1));
  const settings = (spec.settings ?? {}) as Record<string, unknown>;
  const t0 = performance.now();
  const results: (Row[] | undefined)[] = new Array(jobs.length);
  const failures: (string | undefined)[] = new Array(jobs.length);
  const keys = jobs.map((j) => cacheKey(spec.task, entry.version, j, settings, spec.version));
  const todo: number[] = [];
  let cached = 0, corrupt = 0;
  jobs.forEach((_, i) => {
    const found = cache?.lookup(keys[i]);
    if (found?.status === "hit") {
      results[i] = found.rows;
      cached++;
    } else {
      if (found?.status === "corrupt") corrupt++;
      todo.push(i);
    }
  });
  if (options.cachedOnly && todo.length > 0) {
    const bad = corrupt > 0 ? ` (${corrupt} of them corrupt)` : "";
    throw new RangeError(`${fn}: options.cacheDir must be a cache holding every job of the grid (cachedOnly); received one with ${todo.length} of ${jobs.length} missing${bad}, first: ${describe(jobs[todo[0]])}.`);
  }
  let done = cached, failed = 0;
  const report = () => options.onProgress?.({ done, total: jobs.length, cached, failed, elapsedMs: performance.now() - t0 });
  report();
  const finish = (i: number, rows: Row[]) => {
    results[i] = rows;
    cache?.write(keys[i], rows);
    done++;
    report();
  };
  const record = (i: number, message: string) => {
    failures[i] = message;
    failed++;
    done++;
    report();
  };
  if (todo.length > 0) {
    const count = workers === 1 ? 1 : Math.min(workers, todo.length);
    // Costliest jobs first (the task's estimate), ties in grid order: measured on issue 11's grid
    // (d = 60, 80, 100 in that order), the d = 100 jobs otherwise ran last, one worker finishing
    // alone.
    const cost = count > 1 ? loadTaskCost(entry) : undefined;
    if (cost !== undefined) {
      const c = new Map(todo.map((i) => [i, Number(cost(jobs[i].cell, settings))]));
      todo.sort((i, j) => ((c.get(j) as number) - (c.get(i) as number)) || i - j);
    }
    const makeExecutor = workers === 1 ? () => new ThreadExecutor(entry, settings) : () => new WorkerExecutor(entry, settings);
    await schedule({ entry, jobs, todo, count, makeExecutor, finish, record, onError, signal: options.signal, progress: () => ({ done, total: jobs.length, cached }), cached: cache !== undefined });
  }
  const rows: Row[] = [];
  jobs.forEach((job, i) => {
    const base = { ...job.cell, trial: job.trial, seed: job.seed };
    if (failures[i] !== undefined) rows.push({ ...base, failure: failures[i] });
    else for (const r of results[i] as Row[]) rows.push({ ...base, ...r });
  });
  const result: RunResult = { rows, total: jobs.length, computed: todo.length - failed, cached, failed, corrupt, elapsedMs: performance.now() - t0 };
  return withTable(result, `Grid run: task "${spec.task}"`, (r) => [
    ["rows", r.rows.length],
    ["jobs (cell, trial)", r.total],
    ["computed now", r.computed],
    ["from the cache", r.cached],
    ["failed (recorded)", r.failed],
    ["corrupt cache entries recomputed", r.corrupt],
    ["time (s)", r.elapsedMs / 1000],
  ]);
}

function describe(job: Job): string {
  return `cell ${JSON.stringify(job.cell)}, trial ${job.trial}, seed ${job.seed}`;
}

interface Executor {
  run(job: Job): Promise<Row[]>;
  close(): Promise<void>;
}

/** Runs jobs in this thread (workers: 1): no thread start-up, and tasks registered under any loader work. */
class ThreadExecutor implements Executor {
  private task?: TaskFunction;
  constructor(private readonly entry: TaskEntry, private readonly settings: Record<string, unknown>) {}
  async run(job: Job): Promise<Row[]> {
    try {
      this.task ??= loadTask(this.entry);
      return normalizeRows(await this.task(job.cell, job.trial, job.seed, this.settings));
    } catch (e) {
      throw new JobFailure((e as Error)?.message ?? String(e), false);
    }
  }
  async close(): Promise<void> {}
}

/** One worker thread running one job at a time. */
class WorkerExecutor implements Executor {
  private readonly worker: Worker;
  private pending?: { resolve: (rows: Row[]) => void; reject: (e: JobFailure) => void };
  private dead?: string;
  private closing = false;

  constructor(entry: TaskEntry, settings: Record<string, unknown>) {
    const tsx = __filename.endsWith(".ts");
    const workerFile = join(__dirname, `worker${tsx ? ".ts" : ".js"}`);
    // Under tsx (tests, sources) the worker registers tsx's CommonJS hook, then loads the .ts worker;
    // compiled, it loads dist/experiments/worker.js directly.
    this.worker = tsx
      ? new Worker(`require("tsx/cjs"); require(${JSON.stringify(workerFile)});`, { eval: true, workerData: { entry, settings } })
      : new Worker(workerFile, { workerData: { entry, settings } });
    this.worker.on("message", (msg: { rows?: Row[]; error?: string }) => {
      const p = this.pending;
      this.pending = undefined;
      if (msg.error !== undefined) p?.reject(new JobFailure(msg.error, false));
      else p?.resolve(msg.rows as Row[]);
    });
    this.worker.on("error", (e) => this.die(`its worker crashed: ${e.message}`));
    this.worker.on("exit", (code) => {
      if (!this.closing) this.die(`its worker exited with code ${code}`);
    });
  }

  private die(why: string): void {
    this.dead ??= why;
    const p = this.pending;
    this.pending = undefined;
    p?.reject(new JobFailure(why, true));
  }

  run(job: Job): Promise<Row[]> {
    if (this.dead !== undefined) return Promise.reject(new JobFailure(this.dead, true));
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject };
      this.worker.postMessage({ i: job.index, job });
    });
  }

  /** Terminates the worker; a job still running is rejected (its result is lost, never cached). */
  async close(): Promise<void> {
    this.closing = true;
    const p = this.pending;
    this.pending = undefined;
    p?.reject(new JobFailure("terminated", true));
    await this.worker.terminate();
  }
}

interface ScheduleArgs {
  entry: TaskEntry;
  jobs: Job[];
  todo: number[];
  count: number;
  makeExecutor: () => Executor;
  finish: (i: number, rows: Row[]) => void;
  record: (i: number, message: string) => void;
  onError: "stop" | "record";
  signal?: AbortSignal;
  progress: () => { done: number; total: number; cached: number };
  cached: boolean;
}

/** Feeds the jobs to `count` executors in order; settles after every executor is closed. */
async function schedule(a: ScheduleArgs): Promise<void> {
  const executors: Executor[] = [];
  let next = 0;
  // The failure to report: the earliest in (cell, trial) order among those seen before stopping,
  // so the message does not depend on which worker was faster.
  let stopError: Error | undefined;
  let stopIndex = Infinity;
  const stopWith = (index: number, e: Error) => {
    if (index < stopIndex) [stopIndex, stopError] = [index, e];
  };
  let interrupted: Error | undefined;
  const onStop = (why: string) => {
    if (interrupted !== undefined) return;
    const { done, total, cached } = a.progress();
    const kept = a.cached ? "finished jobs are cached: run again to continue" : "nothing was kept (no cacheDir)";
    interrupted = Object.assign(new Error(`runGrid: ${why} after ${done} of ${total} jobs (${cached} from the cache); ${kept}.`), { name: "AbortError" });
    // Terminating rejects the jobs running in workers; the loops below then see `interrupted`.
    for (const ex of executors) void ex.close();
  };
  const onSigint = () => onStop("interrupted (SIGINT)");
  const onAbort = () => onStop("interrupted (aborted)");
  // Listen only after the caller's synchronous code has returned: tslab runs a cell's synchronous
  // part in vm with breakOnSigint, whose watchdog restores SIGINT's default action when it ends,
  // so a listener added during that part leaves the process to be killed by the next interrupt
  // (seen with tslab 1.0.22 on Node 20: the kernel died). One turn of the event loop is enough.
  await new Promise((r) => setImmediate(r));
  process.on("SIGINT", onSigint);
  a.signal?.addEventListener("abort", onAbort);
  if (a.signal?.aborted) onAbort();

  const loop = async (slot: number): Promise<void> => {
    while (interrupted === undefined && stopError === undefined && next < a.todo.length) {
      // The Jupyter cell that started the run was interrupted (src/util/interrupt.ts).
      if (interruptRequested()) return onStop("interrupted (the cell was interrupted)");
      const i = a.todo[next++];
      const job = a.jobs[i];
      let rows: Row[];
      try {
        rows = await executors[slot].run(job);
      } catch (e) {
        if (interrupted !== undefined) return;
        const f = e as JobFailure;
        const what = f.crash ? `a worker crashed at ${describe(job)}` : `task ${JSON.stringify(a.entry.exportName)} failed at ${describe(job)}`;
        if (f.crash) {
          // A crashed worker is replaced, so the other jobs still run (onError "record").
          void executors[slot].close();
          executors[slot] = a.makeExecutor();
        }
        if (a.onError === "record") {
          a.record(i, `${what}: ${f.message}`);
          continue;
        }
        stopWith(i, new Error(`runGrid: ${what}: ${f.message}`));
        return;
      }
      try {
        a.finish(i, rows);
      } catch (e) {
        // The cache could not be written, or onProgress threw: nothing to retry.
        stopWith(-1, e as Error);
        return;
      }
      // Let timers, SIGINT and abort handlers (and progress output) run between jobs.
      await new Promise((r) => setImmediate(r));
    }
  };

  try {
    if (interrupted === undefined) {
      for (let k = 0; k < a.count; k++) executors.push(a.makeExecutor());
      await Promise.all(executors.map((_, slot) => loop(slot)));
    }
  } finally {
    process.off("SIGINT", onSigint);
    a.signal?.removeEventListener("abort", onAbort);
    await Promise.all(executors.map((ex) => ex.close()));
  }
  if (interrupted !== undefined) throw interrupted;
  if (stopError !== undefined) {
    const { done, total } = a.progress();
    const kept = a.cached ? `; the ${done} finished jobs of ${total} are cached` : "";
    stopError.message += kept;
    throw stopError;
  }
}
