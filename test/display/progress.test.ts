import { test } from "node:test";
import assert from "node:assert/strict";
import { formatDuration, progress } from "../../src/display/index.js";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { capture, fakeSink, withSink } from "./helpers.js";

function fakeClock(start = 1000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => void (t += ms) };
}

test("progress(total) sends at most 10 updates a second to the sink, all under one displayId", () => {
  const sink = fakeSink();
  const clock = fakeClock();
  const times: number[] = [];
  const wrapped = { display: (b: Record<string, unknown>, o?: object) => { times.push(clock.now()); sink.display(b, o); } };
  const p = progress(1000, { label: "trials", now: clock.now, sink: wrapped });
  for (let i = 0; i < 1000; i++) {
    clock.advance(2); // 500 ticks a second
    p.tick();
  }
  p.done();
  // 2 s of work: the first display, at most 10 updates a second, and the final summary.
  assert.ok(sink.sent.length <= 1 + 20 + 1, `${sink.sent.length} messages`);
  assert.ok(sink.sent.length >= 10, "updates were sent while working");
  for (let i = 2; i < times.length - 1; i++) assert.ok(times[i] - times[i - 1] >= 100, "at least 100 ms between updates");
  const ids = new Set(sink.sent.map((s) => s.options.displayId));
  assert.equal(ids.size, 1);
  assert.equal(sink.sent[0].options.update, false);
  assert.ok(sink.sent.slice(1).every((s) => s.options.update === true));
});

test("progress shows done/total, rate and time left while running", () => {
  const sink = fakeSink();
  const clock = fakeClock();
  const p = progress(100, { label: "grid cells", now: clock.now, sink });
  assert.equal(sink.sent[0].bundle["text/plain"], "grid cells: 0/100 (0%) · rate unknown · time left unknown");
  clock.advance(5000);
  p.set(50);
  assert.equal(p.count, 50);
  assert.equal(sink.sent[1].bundle["text/plain"], "grid cells: 50/100 (50%) · 10/s · 5.0 s left");
  assert.match(sink.sent[1].bundle["text/html"] as string, /<progress value="50" max="100"/);
});

test("progress.done() makes the final state a one-line text summary", () => {
  const sink = fakeSink();
  const clock = fakeClock();
  const p = progress(3, { label: "trials", now: clock.now, sink });
  for (let i = 0; i < 3; i++) { clock.advance(400); p.tick(); }
  p.done();
  p.done(); // idempotent
  p.tick(); // ignored after done
  const last = sink.sent[sink.sent.length - 1];
  assert.deepEqual(last.bundle, { "text/plain": "trials: 3/3 done in 1.2 s, 2.5/s" });
  assert.equal(last.options.update, true);
  assert.ok(!(last.bundle["text/plain"] as string).includes("\n"));
  assert.equal(sink.sent.filter((s) => !("text/html" in s.bundle)).length, 1, "one final message");
});

test("progress.done(summary) uses the caller's summary; stopping early says so", () => {
  const sink = fakeSink();
  const clock = fakeClock();
  const p = progress(10, { label: "trials", now: clock.now, sink });
  clock.advance(2000);
  p.tick(4);
  p.done();
  assert.equal(sink.sent.at(-1)!.bundle["text/plain"], "trials: stopped at 4/10 after 2.0 s, 2/s");
  const q = progress(10, { now: clock.now, sink });
  q.done("10 trials, 9 recovered");
  assert.equal(sink.sent.at(-1)!.bundle["text/plain"], "10 trials, 9 recovered");
});

test("progress outside Jupyter prints one final line when stderr is not a terminal", () => {
  const written: string[] = [];
  const clock = fakeClock();
  const p = progress(5, { label: "trials", now: clock.now, sink: null, stream: { write: (s) => written.push(s), isTTY: false } });
  for (let i = 0; i < 5; i++) { clock.advance(1000); p.tick(); }
  p.done();
  assert.deepEqual(written, ["trials: 5/5 done in 5.0 s, 1/s\n"]);
});

test("progress on a terminal rewrites one line with \\r and ends it with a newline", () => {
  const written: string[] = [];
  const clock = fakeClock();
  const p = progress(5, { label: "trials", now: clock.now, sink: null, stream: { write: (s) => written.push(s), isTTY: true } });
  for (let i = 0; i < 5; i++) { clock.advance(1000); p.tick(); }
  p.done();
  assert.ok(written.length >= 5);
  assert.ok(written.every((w) => w.startsWith("\r")));
  assert.ok(written.slice(0, -1).every((w) => !w.includes("\n")));
  assert.equal(written.at(-1), "\rtrials: 5/5 done in 5.0 s, 1/s\x1b[K\n");
});

test("progress outside a kernel, with the default stream, never throws", async () => {
  const { stderr } = await withSink(undefined, () => capture(() => {
    const p = progress(2);
    p.tick();
    p.tick();
    p.done();
  }));
  assert.match(stderr, /progress: 2\/2 done in/);
});

test("progress survives a sink that throws", () => {
  const p = progress(2, { sink: { display: () => { throw new Error("kernel gone"); } } });
  p.tick(2);
  p.done();
  assert.equal(p.count, 2);
});

test("progress names bad arguments", () => {
  assert.throws(() => progress(-1), /progress: total must be an integer ≥ 0; received -1\./);
  const p = progress(3, { sink: fakeSink() });
  assert.throws(() => p.tick(4), /progress\.tick: n must keep the count within total = 3; received 4 at count 0\./);
  assert.throws(() => p.set(5), /progress\.set: done must be an integer in \[0, 3\]; received 5\./);
  assert.throws(() => p.tick(0.5), /progress\.tick: n must be an integer ≥ 0; received 0\.5\./);
});

test("formatDuration writes seconds, minutes and hours compactly", () => {
  assert.equal(formatDuration(4.23), "4.2 s");
  assert.equal(formatDuration(42.4), "42 s");
  assert.equal(formatDuration(185), "3 min 05 s");
  assert.equal(formatDuration(3720), "1 h 02 min");
  assert.equal(formatDuration(Infinity), "unknown");
});

test("runExperiment's closing line says what the grid did (trials, solver time), not cache statistics", async () => {
  const { runExperiment } = await import("../../src/display/experiment.js");
  const { registerTask } = await import("../../src/experiments/tasks.js");
  const dir = mkdtempSync(join(tmpdir(), "flatlab-progress-"));
  try {
    const module = join(dir, "timed-task.js");
    writeFileSync(module, "exports.timed = (cell) => [{ a: cell.a, timeMs: 250 }];\n");
    registerTask("progress-test-task", module, "timed");
    const sink = fakeSink();
    const spec = { task: "progress-test-task", axes: { a: [1, 2, 3] }, trials: 2, seed: 1 };
    const cacheDir = join(dir, "cache");
    for (let run = 0; run < 2; run++) {
      // The second run reads every trial back from the cache and says the same.
      await withSink(sink, () => runExperiment(spec, { workers: 1, label: "demo grid", cacheDir }));
      assert.equal(sink.sent[sink.sent.length - 1].bundle["text/plain"], "demo grid: 6 trials done (6 rows), 1.5 s of solver time");
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
