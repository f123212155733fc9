import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, rmSync, writeFileSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runGrid, type RunProgress } from "../../src/experiments/run.js";
import type { GridSpec } from "../../src/experiments/grid.js";
import { registerTask } from "../../src/experiments/tasks.js";

const spec: GridSpec = { task: "demo", axes: { x: [0, 1, 2], y: ["a", "b"] }, trials: 3, seed: 11 };
const tmp = () => mkdtempSync(join(tmpdir(), "flatlab-grid-"));
const entries = (dir: string) => readdirSync(dir).filter((f) => f.endsWith(".json")).sort();
async function withDir(body: (dir: string) => Promise<void>): Promise<void> {
  const dir = tmp();
  try {
    await body(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test("runGrid gives identical rows with 1 and 2 workers, in (cell, trial) order, with cell, trial and seed in each row", async () => {
  const one = await runGrid(spec, { workers: 1 });
  const two = await runGrid(spec, { workers: 2 });
  assert.equal(one.rows.length, 18);
  assert.deepEqual(two.rows, one.rows);
  assert.deepEqual(one.rows.slice(0, 4).map((r) => [r.x, r.y, r.trial]), [[0, "a", 0], [0, "a", 1], [0, "a", 2], [0, "b", 0]]);
  assert.equal(typeof one.rows[0].seed, "number");
  assert.deepEqual([one.total, one.computed, one.cached, one.failed], [18, 18, 0, 0]);
});

test("with 2 workers runGrid starts the costliest jobs first (the task's estimate) and still returns rows in grid order", async () => {
  // demoCost is x: the x = 2 jobs start first, the x = 0 jobs last.
  const res = await runGrid({ ...spec, settings: { clock: true, work: 20000 } }, { workers: 2 });
  assert.deepEqual(res.rows.slice(0, 2).map((r) => [r.x, r.y, r.trial]), [[0, "a", 0], [0, "a", 1]]);
  // The first job of each cost starts in cost order (a worker thread slow to start may hold one
  // early job while the other runs many, so later starts can interleave).
  const first = (x: number) => Math.min(...res.rows.filter((r) => r.x === x).map((r) => r.started as number));
  assert.ok(first(2) < first(1) && first(1) < first(0), `first starts by cost: x = 2 ${first(2)}, x = 1 ${first(1)}, x = 0 ${first(0)}`);
});

test("runGrid reports progress for every job, ending at done = total", async () => {
  const seen: RunProgress[] = [];
  await runGrid(spec, { workers: 2, onProgress: (p) => seen.push(p) });
  assert.equal(seen.length, 19);
  assert.deepEqual(seen.map((p) => p.done), Array.from({ length: 19 }, (_, i) => i));
  assert.ok(seen.every((p) => p.total === 18 && p.cached === 0));
});

test("an aborted run keeps what it finished and a rerun computes only the missing jobs", () =>
  withDir(async (dir) => {
    const controller = new AbortController();
    const slow = { ...spec, settings: { work: 2e5 } };
    await assert.rejects(
      runGrid(slow, { workers: 1, cacheDir: dir, signal: controller.signal, onProgress: (p: RunProgress) => { if (p.done === 7) controller.abort(); } }),
      (e: Error) => e.name === "AbortError" && /runGrid: interrupted \(aborted\) after 7 of 18 jobs \(0 from the cache\); finished jobs are cached/.test(e.message),
    );
    assert.equal(entries(dir).length, 7);
    const rerun = await runGrid(slow, { workers: 2, cacheDir: dir });
    assert.deepEqual([rerun.cached, rerun.computed], [7, 11]);
    assert.deepEqual(rerun.rows, (await runGrid(slow, { workers: 1 })).rows);
    const third = await runGrid(slow, { workers: 2, cacheDir: dir });
    assert.deepEqual([third.cached, third.computed], [18, 0]);
  }));

test("an abort while workers run terminates them; finished jobs are cached and a rerun completes the grid", () =>
  withDir(async (dir) => {
    const slow = { ...spec, settings: { work: 1e6 } };
    const controller = new AbortController();
    await assert.rejects(
      runGrid(slow, { workers: 2, cacheDir: dir, signal: controller.signal, onProgress: (p) => { if (p.done === 5) controller.abort(); } }),
      /interrupted \(aborted\) after 5 of 18 jobs/,
    );
    assert.equal(entries(dir).length, 5);
    const rerun = await runGrid(slow, { workers: 2, cacheDir: dir });
    assert.deepEqual([rerun.cached, rerun.computed], [5, 13]);
  }));

test("SIGINT during a run stops it (Jupyter's interrupt), and the run removes its SIGINT listener", async () => {
  const before = process.listenerCount("SIGINT");
  let sent = false;
  await assert.rejects(
    runGrid({ ...spec, settings: { work: 1e6 } }, { workers: 2, onProgress: (p) => { if (p.done === 2 && !sent) { sent = true; process.emit("SIGINT"); } } }),
    /runGrid: interrupted \(SIGINT\) after 2 of 18 jobs \(0 from the cache\); nothing was kept \(no cacheDir\)/,
  );
  assert.equal(process.listenerCount("SIGINT"), before);
  await runGrid(spec, { workers: 1 });
  assert.equal(process.listenerCount("SIGINT"), before);
});

test("a signal aborted before the run starts rejects without computing anything", () =>
  withDir(async (dir) => {
    await assert.rejects(runGrid(spec, { cacheDir: dir, signal: AbortSignal.abort() }), /interrupted \(aborted\) after 0 of 18 jobs/);
    assert.equal(entries(dir).length, 0);
  }));

test("a truncated, foreign or edited cache entry is detected and recomputed", () =>
  withDir(async (dir) => {
    const first = await runGrid(spec, { workers: 1, cacheDir: dir });
    const files = entries(dir);
    const text = readFileSync(join(dir, files[0]), "utf8");
    writeFileSync(join(dir, files[0]), text.slice(0, text.length >> 1));
    writeFileSync(join(dir, files[1]), JSON.stringify({ key: "someone else", rows: [] }));
    const edited = JSON.parse(readFileSync(join(dir, files[2]), "utf8"));
    edited.rows[0].value += 1;
    writeFileSync(join(dir, files[2]), JSON.stringify(edited));
    const again = await runGrid(spec, { workers: 1, cacheDir: dir });
    assert.deepEqual([again.computed, again.corrupt, again.cached], [3, 3, 15]);
    assert.deepEqual(again.rows, first.rows);
    const fixed = await runGrid(spec, { workers: 1, cacheDir: dir });
    assert.deepEqual([fixed.computed, fixed.corrupt], [0, 0]);
  }));

test("an entry whose checksum field was removed is damaged, not trusted: recomputed and counted", () =>
  withDir(async (dir) => {
    const first = await runGrid(spec, { workers: 1, cacheDir: dir });
    const file = join(dir, entries(dir)[0]);
    const entry = JSON.parse(readFileSync(file, "utf8"));
    delete entry.sum;
    entry.rows[0].value += 1;
    writeFileSync(file, JSON.stringify(entry));
    const again = await runGrid(spec, { workers: 1, cacheDir: dir });
    assert.deepEqual([again.computed, again.corrupt, again.cached], [1, 1, 17]);
    assert.deepEqual(again.rows, first.rows);
  }));

test("the cache key includes the settings and the spec's version tag", () =>
  withDir(async (dir) => {
    await runGrid(spec, { workers: 1, cacheDir: dir });
    assert.equal((await runGrid({ ...spec, version: "v2" }, { workers: 1, cacheDir: dir })).computed, 18);
    assert.equal((await runGrid({ ...spec, version: "v2" }, { workers: 1, cacheDir: dir })).computed, 0);
    assert.equal((await runGrid({ ...spec, settings: { work: 1 } }, { workers: 1, cacheDir: dir })).computed, 18);
    assert.equal((await runGrid(spec, { workers: 1, cacheDir: dir })).computed, 0);
  }));

test("shards 1/2 and 2/2, written to one cache or to two, assemble into the unsharded rows", () =>
  withDir(async (dir) => {
    const whole = await runGrid(spec, { workers: 1 });
    const s1 = await runGrid(spec, { workers: 1, cacheDir: join(dir, "one"), shard: { index: 1, count: 2 } });
    const s2 = await runGrid(spec, { workers: 2, cacheDir: join(dir, "two"), shard: { index: 2, count: 2 } });
    assert.deepEqual([s1.computed, s2.computed], [9, 9]);
    assert.deepEqual(s1.rows.map((r) => r.trial), [0, 2, 1, 0, 2, 1, 0, 2, 1]);
    const merged = await runGrid(spec, { cacheDir: [join(dir, "one"), join(dir, "two")], cachedOnly: true });
    assert.deepEqual([merged.computed, merged.cached], [0, 18]);
    assert.deepEqual(merged.rows, whole.rows);
    await assert.rejects(runGrid(spec, { cacheDir: join(dir, "one"), cachedOnly: true }), /options.cacheDir must be a cache holding every job .*; received one with 9 of 18 missing, first: cell \{"x":0,"y":"a"\}, trial 1, seed \d+\./);
    await assert.rejects(runGrid({ ...spec, trials: 4 }, { cacheDir: [join(dir, "one"), join(dir, "two")], cachedOnly: true }), /6 of 24 missing/);
  }));

test("a failing task is reported with its cell, trial and seed, in a worker and in this thread; finished jobs stay cached", () =>
  withDir(async (dir) => {
    const failing = { ...spec, settings: { failOn: 1 } };
    for (const workers of [1, 2]) {
      await assert.rejects(
        runGrid(failing, { workers, cacheDir: join(dir, String(workers)) }),
        /runGrid: task "demoTrial" failed at cell \{"x":1,"y":"a"\}, trial 0, seed \d+: demo failure at x = 1; the \d+ finished jobs of 18 are cached/,
      );
      // Jobs before the failing one (6 in (cell, trial) order) all finished before the run stopped.
      assert.ok(entries(join(dir, String(workers))).length >= 6);
    }
  }));

test("onError 'record' turns a failure into a row with the message, leaves it out of the cache, and a rerun retries it", () =>
  withDir(async (dir) => {
    const failing = { ...spec, settings: { failOn: 1 } };
    const run = await runGrid(failing, { workers: 2, cacheDir: dir, onError: "record" });
    assert.deepEqual([run.rows.length, run.failed, run.computed], [18, 2, 16]);
    const failed = run.rows.filter((r) => r.failure !== undefined);
    assert.deepEqual(failed.map((r) => [r.x, r.y, r.trial]), [[1, "a", 0], [1, "b", 0]]);
    assert.match(String(failed[0].failure), /failed at cell \{"x":1,"y":"a"\}, trial 0, seed \d+: demo failure/);
    assert.equal(failed[0].value, undefined);
    assert.equal(entries(dir).length, 16);
    assert.deepEqual([(await runGrid(failing, { workers: 1, cacheDir: dir, onError: "record" })).computed], [0]);
  }));

test("a worker that dies is reported with the job it ran; with onError 'record' a new worker takes over", async () => {
  const crashing = { ...spec, settings: { crashOn: 2 } };
  await assert.rejects(runGrid(crashing, { workers: 2 }), /runGrid: a worker crashed at cell \{"x":2,"y":"a"\}, trial 0, seed \d+: its worker exited with code 3/);
  const run = await runGrid(crashing, { workers: 2, onError: "record" });
  assert.equal(run.failed, 2);
  const clean = await runGrid(spec, { workers: 1 });
  run.rows.forEach((r, i) => { if (r.failure === undefined) assert.deepEqual(r, clean.rows[i]); });
});

test("a row with NaN is an error naming the field, not a silent null", async () => {
  for (const workers of [1, 2]) {
    await assert.rejects(runGrid({ ...spec, settings: { badOn: 0 } }, { workers }), /failed at cell \{"x":0,"y":"a"\}, trial 0, seed \d+: rows\[0\].value must be a finite number or null; received NaN/);
  }
});

test("a task registered by module path runs in this thread and in workers", () =>
  withDir(async (dir) => {
    const module = join(dir, "square-task.js");
    writeFileSync(module, "exports.square = (cell, trial, seed) => [{ y: cell.x * cell.x }, { y: -trial, s: seed % 7 }];\n");
    registerTask("square", module, "square", 3);
    const s: GridSpec = { task: "square", axes: { x: [2, 3] }, trials: 2, seed: 1 };
    const one = await runGrid(s, { workers: 1 });
    assert.deepEqual(one.rows.map((r) => r.y), [4, 0, 4, -1, 9, 0, 9, -1]);
    assert.deepEqual((await runGrid(s, { workers: 2 })).rows, one.rows);
    assert.throws(() => registerTask("x", "relative/path.js"), /registerTask: module must be an absolute path/);
    assert.throws(() => registerTask("x", join(dir, "missing.js")), /registerTask: module must be a module that exists/);
    registerTask("wrong-export", module, "nope");
    await assert.rejects(runGrid({ ...s, task: "wrong-export" }, { workers: 2 }), /must export a function nope; found undefined/);
  }));

test("runGrid rejects bad specs and options by name", async () => {
  await assert.rejects(runGrid({ ...spec, axes: { x: [] } }), /runGrid: spec.axes.x must be a non-empty array/);
  await assert.rejects(runGrid({ ...spec, trials: 0 }), /runGrid: spec.trials must be an integer ≥ 1; received 0/);
  await assert.rejects(runGrid({ ...spec, task: "nope" }), /runGrid: spec.task must be one of "recovery", .*"demo".*; received "nope"/);
  await assert.rejects(runGrid(spec, { shard: { index: 3, count: 2 } }), /options.shard.index must be an integer in \[1, 2\]; received 3/);
  await assert.rejects(runGrid(spec, { shard: { index: 0, count: 2 } }), /options.shard.index must be an integer in \[1, 2\]; received 0/);
  await assert.rejects(runGrid(spec, { workers: 0 }), /options.workers must be an integer ≥ 1; received 0/);
  await assert.rejects(runGrid(spec, { onError: "ignore" as "stop" }), /options.onError must be one of "stop", "record"; received "ignore"/);
  await assert.rejects(runGrid(spec, { cachedOnly: true }), /options.cacheDir must be set when options.cachedOnly is true/);
  await assert.rejects(runGrid(spec, { cachedOnly: true, cacheDir: "/nonexistent/flatlab-cache" }), /options.cacheDir must be existing folders where they are only read .*; received "\/nonexistent\/flatlab-cache"/);
});
