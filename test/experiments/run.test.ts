import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, rmSync, writeFileSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runGrid, type RunProgress } from "../../src/experiments/run.js";
import { gridCells, gridJobs, type GridSpec } from "../../src/experiments/grid.js";
import { summarize } from "../../src/experiments/summarize.js";

const spec: GridSpec = { task: "demo", axes: { x: [0, 1, 2], y: ["a", "b"] }, trials: 3, seed: 11 };
const tmp = () => mkdtempSync(join(tmpdir(), "flatlab-grid-"));

test("gridCells takes the product of the axes with the first axis slowest, then explicit cells", () => {
  const cells = gridCells({ ...spec, fixed: { r: 2 }, cells: [{ x: 9, y: "z" }] });
  assert.equal(cells.length, 7);
  assert.deepEqual(cells[0], { r: 2, x: 0, y: "a" });
  assert.deepEqual(cells[1], { r: 2, x: 0, y: "b" });
  assert.deepEqual(cells[6], { r: 2, x: 9, y: "z" });
});

test("trial seeds depend on the cell's parameters, not its position in the grid", () => {
  const a = gridJobs(spec).find((j) => j.cell.x === 2 && j.cell.y === "b" && j.trial === 1)!;
  const b = gridJobs({ ...spec, axes: { x: [5, 2], y: ["b"] } }).find((j) => j.cell.x === 2 && j.trial === 1)!;
  assert.equal(a.seed, b.seed);
  assert.notEqual(a.seed, gridJobs(spec).find((j) => j.cell.x === 2 && j.cell.y === "b" && j.trial === 2)!.seed);
});

test("runGrid gives identical rows with 1 and 2 workers, in (cell, trial) order", async () => {
  const one = await runGrid(spec, { workers: 1 });
  const two = await runGrid(spec, { workers: 2 });
  assert.equal(one.rows.length, 18);
  assert.deepEqual(two.rows, one.rows);
  assert.deepEqual(one.rows.slice(0, 3).map((r) => r.trial), [0, 1, 2]);
  assert.equal(one.rows[0].x, 0);
});

test("an aborted run keeps what it finished and a rerun computes only the missing jobs", async () => {
  const dir = tmp();
  try {
    const controller = new AbortController();
    const slow = { ...spec, settings: { work: 2e5 } };
    await assert.rejects(
      runGrid(slow, { workers: 1, cacheDir: dir, signal: controller.signal, onProgress: (p: RunProgress) => { if (p.done === 7) controller.abort(); } }),
      /runGrid: interrupted \(aborted\) after 7 of 18 jobs/,
    );
    assert.equal(readdirSync(dir).filter((f) => f.endsWith(".json")).length, 7);
    const rerun = await runGrid(slow, { workers: 2, cacheDir: dir });
    assert.equal(rerun.cached, 7);
    assert.equal(rerun.computed, 11);
    assert.deepEqual(rerun.rows, (await runGrid(slow, { workers: 1 })).rows);
    const third = await runGrid(slow, { workers: 2, cacheDir: dir });
    assert.equal(third.computed, 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a truncated or foreign cache entry is detected and recomputed", async () => {
  const dir = tmp();
  try {
    const first = await runGrid(spec, { workers: 1, cacheDir: dir });
    const files = readdirSync(dir).filter((f) => f.endsWith(".json")).sort();
    const text = readFileSync(join(dir, files[0]), "utf8");
    writeFileSync(join(dir, files[0]), text.slice(0, text.length >> 1));
    writeFileSync(join(dir, files[1]), JSON.stringify({ key: "someone else", rows: [] }));
    const again = await runGrid(spec, { workers: 1, cacheDir: dir });
    assert.equal(again.computed, 2);
    assert.deepEqual(again.rows, first.rows);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("shards 1/2 and 2/2 together fill the cache that the whole grid reads back", async () => {
  const dir = tmp();
  try {
    const s1 = await runGrid(spec, { workers: 1, cacheDir: dir, shard: { index: 1, count: 2 } });
    const s2 = await runGrid(spec, { workers: 2, cacheDir: dir, shard: { index: 2, count: 2 } });
    assert.equal(s1.computed + s2.computed, 18);
    const merged = await runGrid(spec, { cacheDir: dir, cachedOnly: true });
    assert.equal(merged.computed, 0);
    assert.deepEqual(merged.rows, (await runGrid(spec, { workers: 1 })).rows);
    await assert.rejects(runGrid({ ...spec, trials: 4 }, { cacheDir: dir, cachedOnly: true }), /6 of 24 missing/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a failing task is reported with its cell, trial and seed, in a worker and in this thread", async () => {
  const failing = { ...spec, settings: { failOn: 1 } };
  for (const workers of [1, 2]) {
    await assert.rejects(runGrid(failing, { workers }), /runGrid: task "demoTrial" failed at cell \{"x":1,"y":"a"\}, trial 0, seed \d+: demo failure at x = 1/);
  }
});

test("runGrid rejects bad specs and options by name", async () => {
  await assert.rejects(runGrid({ ...spec, axes: { x: [] } }), /spec.axes.x must be a non-empty array/);
  await assert.rejects(runGrid({ ...spec, trials: 0 }), /spec.trials must be an integer ≥ 1; received 0/);
  await assert.rejects(runGrid({ ...spec, task: "nope" }), /spec.task must be one of "recovery"/);
  await assert.rejects(runGrid(spec, { shard: { index: 3, count: 2 } }), /options.shard.index must be an integer in \[1, 2\]; received 3/);
  await assert.rejects(runGrid({ task: "demo", axes: {}, trials: 1, seed: 1 }), /at least one cell/);
});

test("summarize gives per-cell means and keeps nulls out of them", () => {
  const rows = [{ c: 1, v: 1 }, { c: 1, v: 0 }, { c: 2, v: null }, { c: 2, v: 1 }];
  assert.deepEqual(summarize(rows, ["c"], "v"), [{ c: 1, mean: 0.5, count: 2, nulls: 0 }, { c: 2, mean: 1, count: 2, nulls: 1 }]);
});
