/**
 * Runs an experiment grid with a live progress display: the engine (src/experiments/run.ts) knows
 * nothing of Jupyter, so the display layer wires its progress events to an updatable output.
 */
import { gridJobs, gridSize, shardJobs, type GridSpec } from "../experiments/grid.js";
import { runGrid, type RunOptions, type RunResult } from "../experiments/run.js";
import { progress } from "./progress.js";

export async function runExperiment(spec: GridSpec, options: RunOptions & { readonly label?: string } = {}): Promise<RunResult> {
  const label = options.label ?? spec.task;
  const total = options.shard === undefined ? gridSize(spec) : shardJobs(gridJobs(spec), options.shard).length;
  const bar = progress(total, { label });
  try {
    const result = await runGrid(spec, { ...options, onProgress: (p) => { bar.set(p.done); options.onProgress?.(p); } });
    bar.done(`${label}: ${result.rows.length} rows, ${result.computed} computed and ${result.cached} from the cache in ${(result.elapsedMs / 1000).toFixed(1)} s`);
    return result;
  } catch (e) {
    bar.done(`${label}: stopped after ${bar.count} of ${total}`);
    throw e;
  }
}
