import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runGrid } from "../../src/experiments/run.js";
import { checkGridSpec, gridCells, gridJobs, gridSize, shardJobs, type GridSpec } from "../../src/experiments/grid.js";

const spec: GridSpec = { task: "demo", axes: { x: [0, 1, 2], y: ["a", "b"] }, trials: 3, seed: 11 };

test("gridCells takes the product of the axes with the first axis slowest, then explicit cells", () => {
  const cells = gridCells({ ...spec, fixed: { r: 2 }, cells: [{ x: 9, y: "z" }] });
  assert.equal(cells.length, 7);
  assert.deepEqual(cells[0], { r: 2, x: 0, y: "a" });
  assert.deepEqual(cells[1], { r: 2, x: 0, y: "b" });
  assert.deepEqual(cells[6], { r: 2, x: 9, y: "z" });
  assert.equal(gridSize(spec), 18);
});

test("gridJobs lists (cell, trial) in order, and trial seeds depend on the cell's parameters, not its position", () => {
  const jobs = gridJobs(spec);
  assert.deepEqual(jobs.slice(0, 4).map((j) => [j.index, j.cellIndex, j.trial]), [[0, 0, 0], [1, 0, 1], [2, 0, 2], [3, 1, 0]]);
  const a = jobs.find((j) => j.cell.x === 2 && j.cell.y === "b" && j.trial === 1)!;
  const b = gridJobs({ ...spec, axes: { x: [5, 2], y: ["b"] } }).find((j) => j.cell.x === 2 && j.trial === 1)!;
  assert.equal(a.seed, b.seed);
  assert.equal(new Set(jobs.map((j) => j.seed)).size, jobs.length, "every (cell, trial) gets its own seed");
  assert.notEqual(gridJobs({ ...spec, seed: 12 })[0].seed, jobs[0].seed);
});

test("shardJobs splits the jobs into disjoint round-robin shards that cover the grid", () => {
  const jobs = gridJobs(spec);
  const shards = [1, 2, 3, 4].map((index) => shardJobs(jobs, { index, count: 4 }));
  assert.deepEqual(shards.map((s) => s.length), [5, 5, 4, 4]);
  assert.deepEqual(shards.flat().map((j) => j.index).sort((p, q) => p - q), jobs.map((j) => j.index));
  assert.deepEqual(shards[1].map((j) => j.index), [1, 5, 9, 13, 17]);
});

test("checkGridSpec names the field at fault", () => {
  const bad: [unknown, RegExp][] = [
    [null, /f: spec must be an object/],
    [{ ...spec, axes: { x: [] } }, /f: spec.axes.x must be a non-empty array; received an array of length 0/],
    [{ ...spec, trials: 0 }, /f: spec.trials must be an integer ≥ 1; received 0/],
    [{ ...spec, trials: -2 }, /spec.trials must be an integer ≥ 1; received -2/],
    [{ ...spec, trials: 1.5 }, /spec.trials must be an integer ≥ 1; received 1.5/],
    [{ ...spec, seed: -1 }, /spec.seed must be an integer in \[0, 4294967295\]; received -1/],
    [{ ...spec, task: "" }, /spec.task must be a task name/],
    [{ ...spec, params: { x: [1] } }, /spec.params must be absent: a grid spec has only the fields task, axes/],
    [{ ...spec, axes: { x: [1, 2, 1] } }, /spec.axes.x must be an array of distinct values .*; received 1 twice/],
    [{ ...spec, axes: { x: [1, NaN] } }, /spec.axes.x\[1\] must be a finite number or a string; received NaN/],
    [{ ...spec, axes: { x: [1] }, cells: [{ x: 1, y: "a" }], fixed: { y: "a" } }, /spec.cells must be cells distinct .*\{"x":1,"y":"a"\} twice/],
    [{ ...spec, cells: [{ x: [1] }] }, /spec.cells\[0\].x must be a finite number or a string; received an array/],
    [{ ...spec, fixed: { r: null } }, /spec.fixed.r must be a finite number or a string; received null/],
    [{ ...spec, settings: { tol: NaN } }, /spec.settings.tol must be JSON data .*; received NaN/],
    [{ ...spec, settings: { depths: [2, () => 3] } }, /spec.settings.depths\[1\] must be JSON data .*; received function/],
    [{ ...spec, settings: { at: new Date(0) } }, /spec.settings.at must be JSON data/],
    [{ ...spec, version: {} }, /spec.version must be a string or a finite number/],
    [{ task: "demo", axes: {}, trials: 1, seed: 1 }, /spec must be a grid with at least one cell/],
  ];
  for (const [s, message] of bad) assert.throws(() => checkGridSpec("f", s), message);
  assert.doesNotThrow(() => checkGridSpec("f", { ...spec, settings: { work: 10, maxIter: undefined }, version: "v2", description: "ok" }));
});

test("checkGridSpec: one validation path for the task's settings and cells, every mistake named before any solve", async () => {
  const base = { task: "recovery", axes: { d: [4], m: [12] }, fixed: { ensemble: "gaussian", r: 1 }, trials: 2, seed: 1, settings: { truthSeed: 1 } };
  const bad: [Record<string, unknown>, RegExp][] = [
    [{ ...base, settings: { truthSeed: 1, programs: ["bogus"] } }, /f: spec\.settings\.programs\[0\] must be one of "flat", "plain"; received "bogus"/],
    [{ ...base, settings: { truthSeed: 1, programs: "flat" } }, /f: spec\.settings\.programs must be a non-empty array of "flat", "plain"; received "flat"/],
    [{ ...base, settings: { truthSeed: 1, programs: ["flat", "flat"] } }, /f: spec\.settings\.programs must be distinct programs/],
    [{ ...base, settings: { truthSeed: 1, tolerance: 1e-6 } }, /f: spec\.settings\.tolerance must be absent: the keys here are truthSeed, tol, maxIter, programs, regularity, certifyFailures; received 0\.000001/],
    [{ ...base, settings: { truthSeed: 1, tol: -1 } }, /f: spec\.settings\.tol must be a finite number > 0; received -1/],
    [{ ...base, settings: {} }, /f: spec\.settings\.truthSeed must be an integer/],
    [{ ...base, axes: { d: [4], m: [12], p: [0.5] } }, /f: cell\.p must be absent: the keys here are ensemble, d, r, m for the "gaussian" ensemble/],
    [{ ...base, axes: { d: [4], p: [0.5] }, fixed: { ensemble: "completion", r: 1, m: 3 } }, /f: cell\.m must be absent: the keys here are ensemble, d, r, p for the "completion" ensemble/],
    [{ ...base, task: "no-such-task" }, /f: spec\.task must be one of "recovery", "robust-pca", "depth", "demo"/],
    [{ task: "robust-pca", axes: { r: [1], l: [1] }, fixed: { d: 4, m: 3 }, trials: 1, seed: 1 }, /f: cell\.m must be absent: the keys here are d, r, l/],
    [{ task: "depth", axes: { m: [3] }, fixed: { d: 4, r: 1 }, trials: 1, seed: 1, settings: { depths: [1] } }, /f: spec\.settings\.depths\[0\] must be an integer ≥ 2; received 1/],
  ];
  for (const [spec, message] of bad) assert.throws(() => checkGridSpec("f", spec), message, JSON.stringify(spec));
  assert.doesNotThrow(() => checkGridSpec("f", base));
  // runGrid refuses before any job: nothing reaches the cache.
  const dir = mkdtempSync(join(tmpdir(), "flatlab-grid-"));
  try {
    await assert.rejects(runGrid({ ...base, settings: { truthSeed: 1, programs: ["bogus"] } }, { workers: 1, cacheDir: dir }), /runGrid: spec\.settings\.programs\[0\]/);
    assert.equal(readdirSync(dir).length, 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a grid states its size and refuses absurd ones before building any cell (trials 1e9; two 3000-value axes)", () => {
  const t0 = performance.now();
  assert.throws(() => checkGridSpec("f", { task: "demo", axes: { x: [1, 2] }, trials: 1e9, seed: 1 }), /f: spec must have at most 100000 jobs \(cells × trials; options\.maxJobs raises the limit\); received \(2 x\) × 1000000000 trials = 2000000000 jobs\./);
  const values = Array.from({ length: 3000 }, (_, i) => i);
  assert.throws(() => checkGridSpec("f", { task: "demo", axes: { x: values, y: values }, trials: 10, seed: 1 }), /received \(3000 x × 3000 y\) × 10 trials = 90000000 jobs/);
  assert.ok(performance.now() - t0 < 2000);
  assert.equal(gridSize({ task: "demo", axes: { x: values, y: values }, cells: [{ x: -1 }], trials: 10, seed: 1 }), 90000010);
  assert.doesNotThrow(() => checkGridSpec("f", { task: "demo", axes: { x: [1, 2] }, trials: 60000, seed: 1 }, { maxJobs: 200000 }));
});
