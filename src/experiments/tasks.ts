/**
 * Tasks the experiment engine can run, by name. A task is a function
 * `(cell, trial, seed, settings) => row | rows` (or a promise of them) exported by a module; rows
 * are flat JSON objects (finite numbers, strings, booleans, null). Workers `require` the module
 * themselves by its absolute path, so only the name, path and export name cross the thread
 * boundary, and the engine never imports the solvers it runs.
 *
 * Adding a task of the library: one line in the table below (module file next to this one, export
 * name, version). Adding one of your own, e.g. from a notebook:
 *   registerTask("my-task", require.resolve("./my-task.js"), "myTrial");
 * (a compiled .js file, or a .ts file when the engine itself runs under tsx). The CLI knows only
 * the tasks of this table. Bump a task's version when its rows change meaning: the version is part
 * of every cache key, so old entries are then recomputed rather than reused.
 */
import { isAbsolute, join } from "node:path";
import { checkInteger, fail } from "../util/validate.js";
import type { Row } from "./cache.js";
import type { Cell } from "./grid.js";

export type TaskFunction = (cell: Cell, trial: number, seed: number, settings: Record<string, unknown>) => Row | Row[] | Promise<Row | Row[]>;

export interface TaskEntry {
  /** Absolute path of the module (compiled .js, or .ts under tsx). */
  readonly module: string;
  readonly exportName: string;
  readonly version: number;
  /**
   * A function of the same module that checks one cell and the settings, throwing named errors
   * (checkGridSpec calls it for every cell before any job runs; the task calls it too).
   */
  readonly checkName?: string;
  /**
   * A function of the same module `(cell, settings) => number`: a rough relative cost of one job.
   * With several workers the engine starts the costliest jobs first, so that no long job starts
   * last while the other workers sit idle; rows and cache entries do not depend on the order.
   */
  readonly costName?: string;
}

/** `(fn, cell, settings, settingsName)`: throws an error naming `cell.<key>` or `<settingsName>.<key>`. */
export type TaskCheck = (fn: string, cell: Cell, settings: Record<string, unknown>, settingsName: string) => void;

// Under tsx (tests) this file is src/experiments/tasks.ts and the modules are .ts; compiled, dist/….js.
const ext = __filename.endsWith(".ts") ? ".ts" : ".js";
const builtIn = (file: string, exportName: string, version: number, checkName: string, costName?: string): TaskEntry => ({ module: join(__dirname, file + ext), exportName, version, checkName, costName });

const registry = new Map<string, TaskEntry>([
  // Section 8: one draw, flat and plain programs, for every ensemble (src/experiments/recovery.ts).
  ["recovery", builtIn("recovery", "recoveryTrial", 1, "checkRecoveryJob", "recoveryCost")],
  // Section 6 (ours): robust PCA recovery.
  ["robust-pca", builtIn("extensions", "robustPcaTrial", 1, "checkRobustPcaJob")],
  // Section 9 (ours): depth k flat solutions of the Hadamard model.
  ["depth", builtIn("extensions", "depthTrial", 1, "checkDepthJob")],
  // Cheap and deterministic, for tests of the engine.
  ["demo", builtIn("demo", "demoTrial", 1, "checkDemoJob", "demoCost")],
]);

/**
 * Registers a task (or replaces one): `module` is an absolute path that `require` can load in a
 * worker thread, `exportName` the function it exports.
 */
export function registerTask(name: string, module: string, exportName = "default", version = 1): void {
  const fn = "registerTask";
  if (typeof name !== "string" || name === "") fail(fn, "name", "a non-empty string", name, TypeError);
  if (typeof module !== "string" || !isAbsolute(module)) fail(fn, "module", "an absolute path (workers require the module by path; use require.resolve)", module, typeof module === "string" ? RangeError : TypeError);
  if (typeof exportName !== "string" || exportName === "") fail(fn, "exportName", "a non-empty string", exportName, TypeError);
  checkInteger(fn, "version", version, 0);
  try {
    require.resolve(module);
  } catch {
    fail(fn, "module", "a module that exists", module);
  }
  registry.set(name, { module, exportName, version });
}

/** Names of the registered tasks. */
export function taskNames(): string[] {
  return [...registry.keys()];
}

export function taskEntry(fn: string, name: string): TaskEntry {
  const entry = registry.get(name);
  if (entry === undefined) fail(fn, "spec.task", `one of ${taskNames().map((k) => JSON.stringify(k)).join(", ")} (or a task added with registerTask)`, name);
  return entry;
}

/** The task's check of a cell and the settings, if it has one. */
export function loadTaskCheck(entry: TaskEntry): TaskCheck | undefined {
  if (entry.checkName === undefined) return undefined;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const f = (require(entry.module) as Record<string, unknown>)[entry.checkName];
  if (typeof f !== "function") throw new TypeError(`loadTask: ${entry.module} must export a function ${entry.checkName}; found ${typeof f}.`);
  return f as TaskCheck;
}

/** The task's cost estimate of a job, if it has one (see TaskEntry.costName). */
export function loadTaskCost(entry: TaskEntry): ((cell: Cell, settings: Record<string, unknown>) => number) | undefined {
  if (entry.costName === undefined) return undefined;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const f = (require(entry.module) as Record<string, unknown>)[entry.costName];
  if (typeof f !== "function") throw new TypeError(`loadTask: ${entry.module} must export a function ${entry.costName}; found ${typeof f}.`);
  return f as (cell: Cell, settings: Record<string, unknown>) => number;
}

/** Names outside `allowed` (set to anything but undefined) are errors naming `<where>.<key>`: a misspelt option would be ignored. */
export function checkKeys(fn: string, where: string, value: Record<string, unknown>, allowed: readonly string[], why = ""): void {
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key) && value[key] !== undefined) fail(fn, `${where}.${key}`, `absent: the keys here are ${allowed.join(", ")}${why}`, value[key]);
  }
}

/** Loads a task function (in a worker or the main thread). */
export function loadTask(entry: TaskEntry): TaskFunction {
  let mod: Record<string, unknown>;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    mod = require(entry.module) as Record<string, unknown>;
  } catch (e) {
    throw new Error(`loadTask: cannot load ${entry.module}: ${(e as Error)?.message ?? String(e)}`);
  }
  const f = mod[entry.exportName];
  if (typeof f !== "function") throw new TypeError(`loadTask: ${entry.module} must export a function ${entry.exportName}; found ${typeof f}.`);
  return f as TaskFunction;
}

/**
 * Checks what a task returned and makes it plain JSON rows: an object or an array of objects whose
 * fields are finite numbers, strings, booleans, null, or arrays/objects of those. NaN and ±Infinity
 * are errors naming the field (JSON would turn them into null, so a fresh run and a cached one
 * would disagree); undefined fields are dropped, as in the cache.
 */
export function normalizeRows(out: unknown): Row[] {
  const rows = Array.isArray(out) ? out : [out];
  rows.forEach((r, i) => {
    if (typeof r !== "object" || r === null || Array.isArray(r)) {
      throw new TypeError(`the task must return a row object or an array of row objects; rows[${i}] is ${r === null ? "null" : Array.isArray(r) ? "an array" : typeof r}`);
    }
    checkRowValue(r, `rows[${i}]`);
  });
  return JSON.parse(JSON.stringify(rows)) as Row[];
}

function checkRowValue(v: unknown, where: string): void {
  if (v === null || v === undefined || typeof v === "string" || typeof v === "boolean") return;
  if (typeof v === "number") {
    if (!Number.isFinite(v)) throw new RangeError(`${where} must be a finite number or null; received ${v}`);
    return;
  }
  if (Array.isArray(v)) return v.forEach((x, i) => checkRowValue(x, `${where}[${i}]`));
  if (typeof v === "object" && !ArrayBuffer.isView(v)) {
    for (const [k, x] of Object.entries(v)) checkRowValue(x, `${where}.${k}`);
    return;
  }
  throw new TypeError(`${where} must be JSON data (a number, string, boolean, null, array or object); received ${ArrayBuffer.isView(v) ? `a ${v.constructor.name}` : typeof v}`);
}
