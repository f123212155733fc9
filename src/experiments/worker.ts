/**
 * A worker thread of the experiment engine: loads the task once, then runs the jobs it is sent,
 * one at a time, answering each with its rows or its error message. A task that cannot be loaded
 * answers every job with the load error, so the run reports it like any task failure.
 */
import { parentPort, workerData } from "node:worker_threads";
import { loadTask, normalizeRows, type TaskEntry, type TaskFunction } from "./tasks.js";
import type { Job } from "./grid.js";

const { entry, settings } = workerData as { entry: TaskEntry; settings: Record<string, unknown> };
let task: TaskFunction | undefined;
let loadError: string | undefined;
try {
  task = loadTask(entry);
} catch (e) {
  loadError = (e as Error)?.message ?? String(e);
}

parentPort?.on("message", async ({ i, job }: { i: number; job: Job }) => {
  try {
    if (task === undefined) throw new Error(loadError);
    const rows = normalizeRows(await task(job.cell, job.trial, job.seed, settings));
    parentPort?.postMessage({ i, rows });
  } catch (e) {
    parentPort?.postMessage({ i, error: (e as Error)?.message ?? String(e) });
  }
});
