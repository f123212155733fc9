/** A worker thread of the experiment engine: loads the task once, then runs the jobs it is sent. */
import { parentPort, workerData } from "node:worker_threads";
import { loadTask, type TaskEntry } from "./tasks.js";
import type { Job } from "./grid.js";

const { entry, settings } = workerData as { entry: TaskEntry; settings: Record<string, unknown> };
const task = loadTask(entry);

parentPort?.on("message", async ({ i, job }: { i: number; job: Job }) => {
  try {
    const out = await task(job.cell, job.trial, job.seed, settings);
    parentPort?.postMessage({ i, rows: Array.isArray(out) ? out : [out] });
  } catch (e) {
    parentPort?.postMessage({ i, error: e instanceof Error ? e.message : String(e) });
  }
});
