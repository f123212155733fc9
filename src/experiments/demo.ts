/**
 * A cheap deterministic task for tests of the engine: draws from the trial's seed. Settings (all
 * optional): `work` uniform draws to spend time, `failOn` an x whose trial 0 throws, `crashOn` an x
 * whose trial 0 ends its worker thread (in the main thread it throws), `badOn` an x whose trial 0 returns NaN,
 * `clock` (true) adds the wall-clock time the job started. Its cost estimate is x (larger x first).
 */
import { isMainThread } from "node:worker_threads";
import { createRng } from "../random/rng.js";
import type { Cell } from "./grid.js";
import { checkKeys } from "./tasks.js";

/** The demo task's settings keys (any cell is accepted). */
export function checkDemoJob(fn: string, _cell: Cell, settings: Record<string, unknown>, where = "settings"): void {
  checkKeys(fn, where, settings, ["work", "failOn", "crashOn", "badOn", "clock"]);
}

export function demoCost(cell: Cell): number {
  return Number(cell.x ?? 0);
}

export function demoTrial(cell: Cell, trial: number, seed: number, settings: Record<string, unknown>) {
  const started = performance.timeOrigin + performance.now();
  const hit = (key: string) => settings[key] !== undefined && cell.x === settings[key] && trial === 0;
  if (hit("failOn")) throw new Error(`demo failure at x = ${String(cell.x)}`);
  // In a worker thread process.exit ends only that thread; never end the main process.
  if (hit("crashOn")) {
    if (isMainThread) throw new Error("demo crash asked for in the main thread");
    process.exit(3);
  }
  const rng = createRng(seed);
  let spin = 0;
  for (let i = 0; i < Number(settings.work ?? 0); i++) spin += rng.uniform();
  return { value: hit("badOn") ? NaN : rng.gaussian() + Number(cell.x ?? 0), spin: spin > -1 ? 1 : 0, ...(settings.clock === true ? { started } : {}) };
}
