/**
 * Runs an experiment grid with a live progress display: the engine (src/experiments/run.ts) knows
 * nothing of Jupyter, so the display layer wires its progress events to an updatable output.
 */
import { gridJobs, gridSize, shardJobs, type GridSpec } from "../experiments/grid.js";
import { runGrid, type RunOptions, type RunResult } from "../experiments/run.js";
import { formatDuration, progress } from "./progress.js";

export async function runExperiment(spec: GridSpec, options: RunOptions & { readonly label?: string } = {}): Promise<RunResult> {
  const label = options.label ?? spec.task;
  const total = options.shard === undefined ? gridSize(spec) : shardJobs(gridJobs(spec), options.shard).length;
  const bar = progress(total, { label });
  try {
    const result = await runGrid(spec, { ...options, onProgress: (p) => { bar.set(p.done); options.onProgress?.(p); } });
    // What the run did, the same whether its trials were computed now or read back from the
    // cache (committed notebooks should not report cache statistics, issue 14).
    const solverMs = result.rows.reduce((s, r) => s + (typeof r.timeMs === "number" ? r.timeMs : 0), 0);
    const failed = result.failed > 0 ? `, ${result.failed} failed` : "";
    bar.done(`${label}: ${total} trials done (${result.rows.length} rows${failed})${solverMs > 0 ? `, ${formatDuration(solverMs / 1000)} of solver time` : ""}`);
    return result;
  } catch (e) {
    bar.done(`${label}: stopped after ${bar.count} of ${total}`);
    throw e;
  }
}
