/**
 * Grid specifications: which cells, how many trials, which seeds (Section 8 [P]: a grid over
 * (d, m), or (d, p) for completion, 10 trials per cell).
 *
 * A spec is plain JSON, so a notebook, a cache key and a cluster job share one description. The
 * seed of a trial depends only on the spec's seed, the cell's own parameters and the trial number
 * (never on its position in the grid or on the number of workers), so extending a grid keeps every
 * cached trial valid and the same spec always gives the same figure.
 */
import { createHash } from "node:crypto";
import { deriveSeed } from "../random/rng.js";
import { checkInteger, fail } from "../util/validate.js";

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
  /** Seed of the whole grid. */
  readonly seed: number;
  /** Passed to every task call (solver tolerance, ...); part of the cache key. */
  readonly settings?: Readonly<Record<string, unknown>>;
}

export interface Job {
  /** Position in (cell, trial) order. */
  readonly index: number;
  readonly cellIndex: number;
  readonly cell: Cell;
  readonly trial: number;
  readonly seed: number;
}

/** Checks a spec and names the offending field. */
export function checkGridSpec(fn: string, spec: unknown): GridSpec {
  if (typeof spec !== "object" || spec === null) fail(fn, "spec", "an object {task, axes, trials, seed}", spec, TypeError);
  const s = spec as Record<string, unknown>;
  if (typeof s.task !== "string" || s.task === "") fail(fn, "spec.task", "a task name", s.task, TypeError);
  checkInteger(fn, "spec.trials", s.trials, 1);
  checkInteger(fn, "spec.seed", s.seed, 0, 2 ** 32 - 1);
  const axes = s.axes ?? {};
  if (typeof axes !== "object" || axes === null || Array.isArray(axes)) fail(fn, "spec.axes", "an object of arrays", axes, TypeError);
  for (const [name, values] of Object.entries(axes)) {
    if (!Array.isArray(values) || values.length === 0) fail(fn, `spec.axes.${name}`, "a non-empty array", values);
    for (const v of values) {
      if (!(typeof v === "string" || (typeof v === "number" && Number.isFinite(v)))) fail(fn, `spec.axes.${name}`, "finite numbers or strings", v);
    }
  }
  if (s.cells !== undefined && !Array.isArray(s.cells)) fail(fn, "spec.cells", "an array of cells", s.cells, TypeError);
  const spec_ = spec as GridSpec;
  if (gridCells(spec_).length === 0) fail(fn, "spec", "a grid with at least one cell (axes or cells)", "none");
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

/** Number of task calls a spec makes (for progress bars). */
export function gridSize(spec: GridSpec): number {
  return gridCells(spec).length * spec.trials;
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
