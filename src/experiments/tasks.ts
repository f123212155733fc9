/**
 * Tasks the experiment engine can run, by name. A task is a function
 * `(cell, trial, seed, settings) => row | rows` exported by a module; workers load the module
 * themselves, so only its name crosses the thread boundary. Bump `version` when a task's results
 * change meaning: it is part of every cache key.
 */
import { join } from "node:path";
import { fail } from "../util/validate.js";
import type { Row } from "./cache.js";
import type { Cell } from "./grid.js";

export type TaskFunction = (cell: Cell, trial: number, seed: number, settings: Record<string, unknown>) => Row | Row[] | Promise<Row | Row[]>;

export interface TaskEntry {
  /** Absolute path of the module (compiled .js, or .ts under tsx). */
  readonly module: string;
  readonly exportName: string;
  readonly version: number;
}

const ext = __filename.endsWith(".ts") ? ".ts" : ".js";
const builtIn = (file: string, exportName: string, version: number): TaskEntry => ({ module: join(__dirname, file + ext), exportName, version });

const registry = new Map<string, TaskEntry>([
  // Section 8: one draw, flat and plain programs (src/experiments/recovery.ts).
  ["recovery", builtIn("recovery", "recoveryTrial", 1)],
  // Section 6 (ours): robust PCA recovery.
  ["robust-pca", builtIn("extensions", "robustPcaTrial", 1)],
  // Section 9 (ours): depth k flat solutions of the Hadamard model.
  ["depth", builtIn("extensions", "depthTrial", 1)],
  // Cheap and deterministic, for tests of the engine.
  ["demo", builtIn("demo", "demoTrial", 1)],
]);

/** Registers a task of your own (a module exporting `exportName`), e.g. from a notebook folder. */
export function registerTask(name: string, module: string, exportName = "default", version = 1): void {
  registry.set(name, { module, exportName, version });
}

export function taskEntry(fn: string, name: string): TaskEntry {
  const entry = registry.get(name);
  if (entry === undefined) fail(fn, "spec.task", `one of ${[...registry.keys()].map((k) => JSON.stringify(k)).join(", ")} (or a task added with registerTask)`, name);
  return entry;
}

/** Loads a task function (in a worker or the main thread). */
export function loadTask(entry: TaskEntry): TaskFunction {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require(entry.module) as Record<string, unknown>;
  const f = mod[entry.exportName];
  if (typeof f !== "function") throw new TypeError(`loadTask: ${entry.module} must export a function ${entry.exportName}; found ${typeof f}.`);
  return f as TaskFunction;
}
