/** A cheap deterministic task for tests of the engine: draws from the trial's seed. */
import { createRng } from "../random/rng.js";
import type { Cell } from "./grid.js";

export function demoTrial(cell: Cell, trial: number, seed: number, settings: Record<string, unknown>) {
  if (settings.failOn !== undefined && cell.x === settings.failOn && trial === 0) throw new Error(`demo failure at x = ${String(cell.x)}`);
  const rng = createRng(seed);
  let spin = 0;
  for (let i = 0; i < Number(settings.work ?? 0); i++) spin += rng.uniform();
  return { value: rng.gaussian() + Number(cell.x ?? 0), spin: spin > -1 ? 1 : 0 };
}
