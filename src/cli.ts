#!/usr/bin/env node
/**
 * The `flatlab` command: runs experiment grids (src/experiments) from a terminal or a cluster.
 *
 *   flatlab grid SPEC.json [--shard i/N] [--cache DIR] [--workers W] [--out ROWS.json] [--on-error stop|record] [--max-jobs N]
 *   flatlab merge SPEC.json --cache DIR [--cache DIR ...] [--out ROWS.json]
 *   (`flatlab grid SPEC.json --cache DIR --cached-only` is the same as merge with one folder)
 *
 * `grid --shard i/N` runs only the jobs whose position in (cell, trial) order is ≡ i − 1 (mod N),
 * so a cluster's array jobs (Slurm job arrays, Kubernetes indexed Jobs) split a full grid; each
 * shard writes its own cache files. `merge` reads the shards' caches (several --cache folders, or
 * one folder they were copied into), fails naming the first missing trial if a shard is
 * incomplete, and writes the full rows (to --out, or to stdout). `grid` without --out writes its
 * rows to stdout as well (a run that computed rows must put them somewhere), except a `--shard`
 * run, whose rows are its cache files (they are merged later). docs/cluster.md has a Slurm
 * script. Exit codes: 0 done, 1 failed, 2 bad command line, 130 interrupted (Ctrl-C).
 */
import { existsSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { runGrid, type RunOptions } from "./experiments/run.js";
import type { GridSpec } from "./experiments/grid.js";

const USAGE = [
  "usage: flatlab grid SPEC.json [--shard i/N] [--cache DIR] [--workers W] [--out ROWS.json] [--on-error stop|record] [--max-jobs N]",
  "       flatlab merge SPEC.json --cache DIR [--cache DIR ...] [--out ROWS.json]",
].join("\n");

/** A command-line mistake: reported with the usage, exit code 2. */
export class UsageError extends Error {
  override name = "UsageError";
}

export interface Command {
  readonly command: "grid" | "merge";
  readonly specPath: string;
  readonly shard?: { readonly index: number; readonly count: number };
  readonly cacheDirs: readonly string[];
  readonly workers?: number;
  readonly out?: string;
  readonly onError?: "stop" | "record";
  /** Raises the grid size limit (runGrid's options.maxJobs). */
  readonly maxJobs?: number;
}

/** Parses `i/N` with integers 1 ≤ i ≤ N. */
export function parseShard(text: string): { index: number; count: number } {
  const m = /^(\d+)\/(\d+)$/.exec(text);
  const index = m ? Number(m[1]) : NaN, count = m ? Number(m[2]) : NaN;
  if (!m || count < 1 || index < 1 || index > count || !Number.isSafeInteger(count)) {
    throw new UsageError(`flatlab grid: --shard must be i/N with integers 1 ≤ i ≤ N (e.g. 3/16); received ${JSON.stringify(text)}.`);
  }
  return { index, count };
}

/** Parses the arguments after `flatlab`; throws UsageError naming the flag at fault. */
export function parseArgs(argv: readonly string[]): Command {
  const [first, specPath, ...rest] = argv;
  if (first !== "grid" && first !== "merge") throw new UsageError(`flatlab: the command must be "grid" or "merge"; received ${JSON.stringify(first ?? "")}.`);
  let command: Command["command"] = first;
  if (specPath === undefined || specPath.startsWith("--")) throw new UsageError(`flatlab ${first}: the first argument must be a spec file (SPEC.json); received ${specPath === undefined ? "nothing" : JSON.stringify(specPath)}.`);
  const p = `flatlab ${first}`;
  const cacheDirs: string[] = [];
  let shard: Command["shard"], workers: number | undefined, out: string | undefined, onError: Command["onError"], maxJobs: number | undefined;
  for (let i = 0; i < rest.length; i++) {
    const flag = rest[i];
    const value = (): string => {
      const v = rest[++i];
      if (v === undefined || v.startsWith("--")) throw new UsageError(`${p}: ${flag} needs a value; received ${v === undefined ? "nothing" : JSON.stringify(v)}.`);
      return v;
    };
    const only = (cmd: string) => {
      if (first !== cmd) throw new UsageError(`${p}: ${flag} is an option of flatlab ${cmd} only.`);
    };
    if (flag === "--cache") cacheDirs.push(value());
    else if (flag === "--cached-only") {
      // The first name of merge, kept for scripts that use it: grid --cached-only = merge.
      only("grid");
      command = "merge";
    }
    else if (flag === "--out") out = value();
    else if (flag === "--shard") {
      only("grid");
      shard = parseShard(value());
    } else if (flag === "--workers") {
      only("grid");
      const text = value(), w = Number(text);
      if (!/^\d+$/.test(text) || w < 1) throw new UsageError(`${p}: --workers must be a positive integer; received ${JSON.stringify(text)}.`);
      workers = w;
    } else if (flag === "--max-jobs") {
      only("grid");
      const text = value(), n = Number(text);
      if (!/^\d+$/.test(text) || n < 1) throw new UsageError(`${p}: --max-jobs must be a positive integer; received ${JSON.stringify(text)}.`);
      maxJobs = n;
    } else if (flag === "--on-error") {
      only("grid");
      const v = value();
      if (v !== "stop" && v !== "record") throw new UsageError(`${p}: --on-error must be "stop" or "record"; received ${JSON.stringify(v)}.`);
      onError = v;
    } else throw new UsageError(`${p}: unknown option ${JSON.stringify(flag)}.`);
  }
  if (command === "grid" && cacheDirs.length > 1) throw new UsageError(`${p}: --cache must be given once for grid (merge reads several); received ${cacheDirs.length} folders.`);
  if (shard !== undefined && cacheDirs.length === 0) throw new UsageError(`${p}: --shard needs --cache DIR (a shard's rows are kept in its cache for merge).`);
  if (command === "merge" && cacheDirs.length === 0) throw new UsageError(`${p}: --cache DIR is required (the folder or folders the shards wrote).`);
  if (out !== undefined) checkOutPath(p, out);
  return { command, specPath, shard, cacheDirs, workers, out, onError, ...(maxJobs !== undefined ? { maxJobs } : {}) };
}

/** --out is checked before any trial runs, so a typo in its folder does not cost the whole grid. */
function checkOutPath(p: string, out: string): void {
  const folder = dirname(resolve(out));
  if (!existsSync(folder) || !statSync(folder).isDirectory()) {
    throw new UsageError(`${p}: --out must be a file in an existing folder; received ${JSON.stringify(out)}, whose folder ${folder} does not exist (create it first).`);
  }
}

/** Writes atomically, like the cache (a reader never sees half a file); errors name the user's path. */
function writeRows(p: string, out: string, text: string): void {
  const tmp = `${out}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, text);
    renameSync(tmp, out);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw new Error(`${p}: could not write the rows to --out ${out}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

function readSpec(p: string, path: string): GridSpec {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw new Error(`${p}: cannot read the spec ${path}: ${(e as Error).message}`);
  }
  try {
    return JSON.parse(text) as GridSpec;
  } catch (e) {
    throw new Error(`${p}: the spec ${path} is not valid JSON: ${(e as Error).message}`);
  }
}

/** Runs the command; resolves to the exit code. Progress and messages go to `log` (stderr), rows without --out to `write` (stdout). */
export async function main(
  argv: readonly string[],
  log: (line: string) => void = (l) => process.stderr.write(l + "\n"),
  write: (text: string) => void = (t) => process.stdout.write(t),
): Promise<number> {
  if (argv.length === 0 || argv.includes("--help") || argv.includes("-h") || argv[0] === "help") {
    process.stdout.write(USAGE + "\n");
    return argv.length === 0 ? 2 : 0;
  }
  let cmd: Command;
  try {
    cmd = parseArgs(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    log(`${e.message}\n${USAGE}`);
    return 2;
  }
  const p = `flatlab ${cmd.command}`;
  const spec = readSpec(p, cmd.specPath);
  let last = -Infinity;
  const options: RunOptions = {
    workers: cmd.workers,
    shard: cmd.shard,
    cacheDir: cmd.cacheDirs.length === 0 ? undefined : cmd.cacheDirs,
    cachedOnly: cmd.command === "merge",
    onError: cmd.onError,
    maxJobs: cmd.maxJobs,
    onProgress: (q) => {
      // A line every 10 s at most (cluster logs stay short), and the last one.
      if (q.done === q.total || performance.now() - last > 10_000) {
        last = performance.now();
        log(`${p}: ${q.done}/${q.total} jobs (${q.cached} cached${q.failed > 0 ? `, ${q.failed} failed` : ""}), ${(q.elapsedMs / 1000).toFixed(1)} s`);
      }
    },
  };
  let result: Awaited<ReturnType<typeof runGrid>>;
  try {
    result = await runGrid(spec, options);
  } catch (e) {
    if ((e as Error).name === "AbortError") {
      log((e as Error).message);
      return 130;
    }
    throw e;
  }
  const shard = cmd.shard ? ` (shard ${cmd.shard.index}/${cmd.shard.count})` : "";
  const damaged = result.corrupt > 0 ? `, ${result.corrupt} damaged cache ${result.corrupt === 1 ? "entry" : "entries"} recomputed` : "";
  log(`${p}: done${shard}: ${result.computed} computed, ${result.cached} cached, ${result.failed} failed${damaged}, ${result.rows.length} rows in ${(result.elapsedMs / 1000).toFixed(1)} s`);
  const text = JSON.stringify(result.rows);
  if (cmd.out !== undefined) writeRows(p, cmd.out, text);
  else if (cmd.shard === undefined) write(text + "\n");
  else log(`${p}: the shard's rows are in ${cmd.cacheDirs[0]}; assemble the shards with flatlab merge.`);
  return result.failed > 0 ? 1 : 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e: Error) => {
      console.error(e?.message ?? String(e));
      process.exitCode = 1;
    },
  );
}
