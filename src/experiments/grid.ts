/**
 * Grid specifications: which cells, how many trials, which seeds (Section 8 [P]: a grid over
 * (d, m), or (d, p) for completion, 10 trials per cell).
 *
 * A spec is plain JSON, so a notebook, a cache key and a cluster job share one description. The
 * seed of a trial is `deriveSeed(spec.seed, hash(cell), trial)`: it depends only on the spec's seed,
 * the cell's own parameters and the trial number, never on the cell's position in the grid, the
 * number of workers or the order of execution (our choice over a seed from the cell's index: adding
 * a value to an axis then keeps every cached trial valid and every existing point of a figure).
 */
import { createHash } from "node:crypto";
import { deriveSeed } from "../random/rng.js";
import { checkInteger, fail } from "../util/validate.js";
import { loadTaskCheck, taskEntry } from "./tasks.js";

export type Value = number | string;
export type Cell = Readonly<Record<string, Value>>;

export interface GridSpec {
  /** Registered task name (src/experiments/tasks.ts). */
  readonly task: string;
  /** Axes of the grid: every combination is a cell, the first axis varying slowest. */
  readonly axes: Readonly<Record<string, readonly Value[]>>;
  /** Parameters shared by every cell (merged into each cell; an axis of the same name wins). */
  readonly fixed?: Readonly<Record<string, Value>>;
  /** Explicit extra cells (for grids that are not a product, e.g. m depending on d). */
  readonly cells?: readonly Cell[];
  /** Trials per cell (the paper: 10). */
  readonly trials: number;
  /** Seed of the whole grid, an integer in [0, 2³² − 1]. */
  readonly seed: number;
  /** Passed to every task call (solver tolerance, ...); plain JSON; part of the cache key. */
  readonly settings?: Readonly<Record<string, unknown>>;
  /**
   * A tag of the code that produced the results, part of the cache key: change it to recompute a
   * grid after a change that the task's own version (tasks.ts) does not record.
   */
  readonly version?: string | number;
  /** Free text for people reading the spec file; ignored by the engine and the cache. */
  readonly description?: string;
}

export interface Job {
  /** Position in (cell, trial) order over the whole grid (shards are taken by this index). */
  readonly index: number;
  readonly cellIndex: number;
  readonly cell: Cell;
  readonly trial: number;
  readonly seed: number;
}

const FIELDS = ["task", "axes", "fixed", "cells", "trials", "seed", "settings", "version", "description"];

/**
 * Jobs (cell, trial) a grid may have unless the caller raises the limit (our choice: a cache of
 * 10⁵ files, days of solves at the paper's sizes; 10⁹ trials or two 3000-value axes ended in a V8
 * out-of-memory abort before the guard).
 */
export const MAX_JOBS = 100_000;

export interface GridCheckOptions {
  /** The largest number of jobs accepted (default MAX_JOBS). */
  readonly maxJobs?: number;
}

/**
 * Checks a spec and names the offending field: its shape, its size (before any cell is built),
 * that its task is registered, and the task's own checks of every cell and of the settings, so
 * that every mistake is a named error before any solve runs.
 */
export function checkGridSpec(fn: string, spec: unknown, options: GridCheckOptions = {}): GridSpec {
  if (typeof spec !== "object" || spec === null || Array.isArray(spec)) fail(fn, "spec", "an object {task, axes, trials, seed}", spec, TypeError);
  const s = spec as Record<string, unknown>;
  // A misspelt field ("trial", "params") would otherwise be ignored silently.
  for (const field of Object.keys(s)) {
    if (!FIELDS.includes(field)) fail(fn, `spec.${field}`, `absent: a grid spec has only the fields ${FIELDS.join(", ")}`, s[field]);
  }
  if (typeof s.task !== "string" || s.task === "") fail(fn, "spec.task", "a task name", s.task, TypeError);
  checkInteger(fn, "spec.trials", s.trials, 1);
  checkInteger(fn, "spec.seed", s.seed, 0, 2 ** 32 - 1);
  const axes = s.axes ?? {};
  if (typeof axes !== "object" || axes === null || Array.isArray(axes)) fail(fn, "spec.axes", "an object of arrays", axes, TypeError);
  for (const [name, values] of Object.entries(axes)) {
    if (!Array.isArray(values) || values.length === 0) fail(fn, `spec.axes.${name}`, "a non-empty array", values, Array.isArray(values) ? RangeError : TypeError);
    values.forEach((v, i) => checkValue(fn, `spec.axes.${name}[${i}]`, v));
    const seen = new Set<Value>();
    for (const v of values as Value[]) {
      if (seen.has(v)) throw new RangeError(`${fn}: spec.axes.${name} must be an array of distinct values (a repeated value repeats the same trials); received ${JSON.stringify(v)} twice.`);
      seen.add(v);
    }
  }
  if (s.fixed !== undefined) checkCell(fn, "spec.fixed", s.fixed);
  if (s.cells !== undefined) {
    if (!Array.isArray(s.cells)) fail(fn, "spec.cells", "an array of cells", s.cells, TypeError);
    s.cells.forEach((c, i) => checkCell(fn, `spec.cells[${i}]`, c));
  }
  if (s.settings !== undefined) {
    if (typeof s.settings !== "object" || s.settings === null || Array.isArray(s.settings)) fail(fn, "spec.settings", "an object", s.settings, TypeError);
    checkJson(fn, "spec.settings", s.settings);
  }
  if (s.version !== undefined && typeof s.version !== "string" && !(typeof s.version === "number" && Number.isFinite(s.version))) {
    fail(fn, "spec.version", "a string or a finite number", s.version, TypeError);
  }
  if (s.description !== undefined && typeof s.description !== "string") fail(fn, "spec.description", "a string", s.description, TypeError);
  const spec_ = spec as GridSpec;
  const maxJobs = options.maxJobs === undefined ? MAX_JOBS : checkInteger(fn, "options.maxJobs", options.maxJobs, 1);
  const jobs = gridSize(spec_);
  if (jobs > maxJobs) {
    const counts = Object.entries(spec_.axes ?? {}).map(([k, v]) => `${v.length} ${k}`).concat(spec_.cells ? [`${spec_.cells.length} explicit cells`] : []);
    throw new RangeError(`${fn}: spec must have at most ${maxJobs} jobs (cells × trials; options.maxJobs raises the limit); received (${counts.join(" × ") || "no cells"}) × ${spec_.trials} trials = ${jobs} jobs.`);
  }
  const task = taskEntry(fn, spec_.task);
  const cells = gridCells(spec_);
  if (cells.length === 0) throw new RangeError(`${fn}: spec must be a grid with at least one cell (spec.axes or spec.cells); received none.`);
  const seen = new Set<string>();
  for (const c of cells) {
    const text = canonicalJSON(c);
    if (seen.has(text)) throw new RangeError(`${fn}: spec.cells must be cells distinct from each other and from the product of spec.axes (a repeated cell repeats the same trials); received ${text} twice.`);
    seen.add(text);
  }
  const check = loadTaskCheck(task);
  if (check !== undefined) {
    const settings = (spec_.settings ?? {}) as Record<string, unknown>;
    for (const cell of cells) check(fn, cell, settings, "spec.settings");
  }
  return spec_;
}

/** The cells of a grid: the product of the axes (with `fixed` merged in), then the explicit cells. */
export function gridCells(spec: GridSpec): Cell[] {
  const names = Object.keys(spec.axes ?? {});
  let cells: Record<string, Value>[] = names.length === 0 ? [] : [{}];
  for (const name of names) {
    const next: Record<string, Value>[] = [];
    for (const c of cells) for (const v of spec.axes[name]) next.push({ ...c, [name]: v });
    cells = next;
  }
  const fixed = spec.fixed ?? {};
  return [...cells.map((c) => ({ ...fixed, ...c })), ...(spec.cells ?? []).map((c) => ({ ...fixed, ...c }))];
}

/** Every (cell, trial) of the grid, in order, with its seed. */
export function gridJobs(spec: GridSpec): Job[] {
  const jobs: Job[] = [];
  gridCells(spec).forEach((cell, cellIndex) => {
    const cellHash = hash32(canonicalJSON(cell));
    for (let trial = 0; trial < spec.trials; trial++) {
      jobs.push({ index: jobs.length, cellIndex, cell, trial, seed: deriveSeed(spec.seed, cellHash, trial) });
    }
  });
  return jobs;
}

/** Number of task calls a spec makes (for progress bars), counted without building the cells. */
export function gridSize(spec: GridSpec): number {
  const axes = Object.values(spec.axes ?? {});
  const product = axes.length === 0 ? 0 : axes.reduce((n, values) => n * values.length, 1);
  return (product + (spec.cells?.length ?? 0)) * spec.trials;
}

/**
 * The jobs of shard `index` of `count` (1-based): those whose position in the whole grid is
 * ≡ index − 1 (mod count). Round robin over (cell, trial) spreads slow cells over every shard.
 */
export function shardJobs(jobs: readonly Job[], shard: { readonly index: number; readonly count: number }): Job[] {
  return jobs.filter((j) => j.index % shard.count === shard.index - 1);
}

/** JSON with object keys sorted, so equal values give equal text (cache keys, seeds). */
export function canonicalJSON(value: unknown): string {
  return JSON.stringify(value, (_key, v) =>
    v !== null && typeof v === "object" && !Array.isArray(v) ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, v[k]])) : v,
  );
}

export function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

function hash32(text: string): number {
  return parseInt(sha256(text).slice(0, 8), 16);
}

function checkValue(fn: string, arg: string, v: unknown): void {
  if (!(typeof v === "string" || (typeof v === "number" && Number.isFinite(v)))) fail(fn, arg, "a finite number or a string", v, typeof v === "number" ? RangeError : TypeError);
}

function checkCell(fn: string, arg: string, c: unknown): void {
  if (typeof c !== "object" || c === null || Array.isArray(c)) fail(fn, arg, "an object of numbers and strings", c, TypeError);
  for (const [k, v] of Object.entries(c)) checkValue(fn, `${arg}.${k}`, v);
}

/** Plain JSON data, so that the cache key and the copy sent to workers mean what the caller meant. */
function checkJson(fn: string, arg: string, v: unknown): void {
  if (v === null || typeof v === "string" || typeof v === "boolean") return;
  if (typeof v === "number") {
    if (!Number.isFinite(v)) fail(fn, arg, "JSON data (finite numbers, strings, booleans, null, arrays, plain objects)", v);
    return;
  }
  if (Array.isArray(v)) return v.forEach((x, i) => checkJson(fn, `${arg}[${i}]`, x));
  if (typeof v === "object" && (Object.getPrototypeOf(v) === Object.prototype || Object.getPrototypeOf(v) === null)) {
    // An undefined field is left out, as JSON.stringify does (an option the caller did not set).
    for (const [k, x] of Object.entries(v)) if (x !== undefined) checkJson(fn, `${arg}.${k}`, x);
    return;
  }
  fail(fn, arg, "JSON data (finite numbers, strings, booleans, null, arrays, plain objects)", v, TypeError);
}
