import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs, parseShard } from "../../src/cli.js";
import { runGrid } from "../../src/experiments/run.js";
import type { GridSpec } from "../../src/experiments/grid.js";

const cli = join(__dirname, "../../src/cli.ts");
const run = (args: string[]) => spawnSync(process.execPath, ["--import", "tsx", cli, ...args], { encoding: "utf8" });

test("flatlab grid runs shards 1/2 and 2/2 into two caches, and flatlab merge assembles the unsharded rows", async () => {
  const dir = mkdtempSync(join(tmpdir(), "flatlab-cli-"));
  try {
    const spec: GridSpec = { task: "demo", axes: { x: [1, 2, 3] }, trials: 2, seed: 5 };
    const specPath = join(dir, "spec.json");
    writeFileSync(specPath, JSON.stringify(spec));
    for (const shard of ["1/2", "2/2"]) {
      const r = run(["grid", specPath, "--shard", shard, "--cache", join(dir, `cache-${shard[0]}`), "--workers", "2"]);
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stderr, new RegExp(`done \\(shard ${shard.replace("/", "\\/")}\\): 3 computed, 0 cached, 0 failed, 3 rows`));
      assert.equal(readdirSync(join(dir, `cache-${shard[0]}`)).length, 3);
    }
    const out = join(dir, "rows.json");
    const r = run(["merge", specPath, "--cache", join(dir, "cache-1"), "--cache", join(dir, "cache-2"), "--out", out]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /0 computed, 6 cached, 0 failed, 6 rows/);
    assert.deepEqual(JSON.parse(readFileSync(out, "utf8")), (await runGrid(spec, { workers: 1 })).rows);
    const incomplete = run(["merge", specPath, "--cache", join(dir, "cache-1")]);
    assert.equal(incomplete.status, 1);
    assert.match(incomplete.stderr, /3 of 6 missing, first: cell \{"x":1\}, trial 1/);
    assert.equal(incomplete.stdout, "");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("parseShard accepts i/N with 1 ≤ i ≤ N only, naming --shard", () => {
  assert.deepEqual(parseShard("3/16"), { index: 3, count: 16 });
  assert.deepEqual(parseShard("16/16"), { index: 16, count: 16 });
  for (const bad of ["0/4", "5/4", "1.5/4", "1/0", "-1/4", "x", "3", "3/16/2", ""]) assert.throws(() => parseShard(bad), /flatlab grid: --shard must be i\/N with integers 1 ≤ i ≤ N/);
});

test("parseArgs names the flag at fault", () => {
  assert.deepEqual(parseArgs(["grid", "s.json", "--shard", "2/8", "--cache", "c", "--workers", "4", "--on-error", "record"]), {
    command: "grid", specPath: "s.json", shard: { index: 2, count: 8 }, cacheDirs: ["c"], workers: 4, out: undefined, onError: "record",
  });
  assert.equal(parseArgs(["grid", "s.json", "--cache", "c", "--cached-only"]).command, "merge");
  const bad: [string[], RegExp][] = [
    [["frobnicate"], /the command must be "grid" or "merge"; received "frobnicate"/],
    [["grid"], /flatlab grid: the first argument must be a spec file/],
    [["grid", "s.json", "--workers", "0"], /--workers must be a positive integer; received "0"/],
    [["grid", "s.json", "--workers", "2.5"], /--workers must be a positive integer; received "2.5"/],
    [["grid", "s.json", "--shard", "1/2"], /--shard needs --cache DIR/],
    [["grid", "s.json", "--cache"], /--cache needs a value; received nothing/],
    [["grid", "s.json", "--shard", "--cache", "c"], /--shard needs a value; received "--cache"/],
    [["grid", "s.json", "--on-error", "ignore"], /--on-error must be "stop" or "record"; received "ignore"/],
    [["grid", "s.json", "--bogus"], /unknown option "--bogus"/],
    [["merge", "s.json"], /flatlab merge: --cache DIR is required/],
    [["merge", "s.json", "--cache", "c", "--shard", "1/2"], /--shard is an option of flatlab grid only/],
    [["grid", "s.json", "--cache", "a", "--cache", "b"], /--cache must be given once for grid/],
  ];
  for (const [argv, message] of bad) assert.throws(() => parseArgs(argv), message);
});

test("the flatlab command exits 2 on a bad command line and 1 on a bad spec, with the reason on stderr", () => {
  const dir = mkdtempSync(join(tmpdir(), "flatlab-cli-"));
  try {
    const shard = run(["grid", "spec.json", "--shard", "0/4", "--cache", dir]);
    assert.equal(shard.status, 2);
    assert.match(shard.stderr, /--shard must be i\/N .*received "0\/4"[\s\S]*usage: flatlab grid/);
    const missing = run(["grid", join(dir, "nonexistent.json")]);
    assert.equal(missing.status, 1);
    assert.match(missing.stderr, /cannot read the spec .*nonexistent.json/);
    const specPath = join(dir, "bad.json");
    writeFileSync(specPath, JSON.stringify({ task: "demo", axes: { x: [] }, trials: 1, seed: 1 }));
    const empty = run(["grid", specPath]);
    assert.equal(empty.status, 1);
    assert.match(empty.stderr, /^runGrid: spec.axes.x must be a non-empty array; received an array of length 0\.\n$/);
    assert.equal(run(["--help"]).status, 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("Ctrl-C (SIGINT) stops flatlab grid with exit code 130; the finished trials stay cached and a rerun completes them", async () => {
  const dir = mkdtempSync(join(tmpdir(), "flatlab-cli-"));
  try {
    const spec: GridSpec = { task: "demo", axes: { x: [1, 2, 3, 4] }, trials: 5, seed: 5, settings: { work: 1e7 } };
    const specPath = join(dir, "spec.json"), cache = join(dir, "cache");
    writeFileSync(specPath, JSON.stringify(spec));
    const child = spawn(process.execPath, ["--import", "tsx", cli, "grid", specPath, "--cache", cache, "--workers", "2"], { stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (b) => (stderr += b));
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    const entries = () => { try { return readdirSync(cache).filter((f) => f.endsWith(".json")).length; } catch { return 0; } };
    while (entries() === 0) await new Promise((r) => setTimeout(r, 20));
    child.kill("SIGINT");
    assert.equal(await exited, 130, stderr);
    assert.match(stderr, /runGrid: interrupted \(SIGINT\) after \d+ of 20 jobs/);
    const kept = entries();
    assert.ok(kept >= 1 && kept < 20, `${kept} entries`);
    const rerun = await runGrid(spec, { workers: 2, cacheDir: cache });
    assert.deepEqual([rerun.cached, rerun.computed], [kept, 20 - kept]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("flatlab grid without --out writes its rows to stdout; a --shard run points at its cache instead", async () => {
  const dir = mkdtempSync(join(tmpdir(), "flatlab-cli-"));
  try {
    const spec: GridSpec = { task: "demo", axes: { x: [1, 2] }, trials: 2, seed: 9 };
    const specPath = join(dir, "spec.json");
    writeFileSync(specPath, JSON.stringify(spec));
    const r = run(["grid", specPath, "--workers", "1"]);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), (await runGrid(spec, { workers: 1 })).rows);
    const shard = run(["grid", specPath, "--shard", "1/2", "--cache", join(dir, "c"), "--workers", "1"]);
    assert.equal(shard.status, 0, shard.stderr);
    assert.equal(shard.stdout, "");
    assert.match(shard.stderr, /the shard's rows are in .*c; assemble the shards with flatlab merge/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("--out into a missing folder is refused before any trial runs, naming the path given", () => {
  const dir = mkdtempSync(join(tmpdir(), "flatlab-cli-"));
  try {
    const specPath = join(dir, "spec.json");
    writeFileSync(specPath, JSON.stringify({ task: "demo", axes: { x: [1, 2] }, trials: 2, seed: 9 }));
    const out = join(dir, "no-such-folder", "rows.json");
    const r = run(["grid", specPath, "--cache", join(dir, "cache"), "--out", out]);
    assert.equal(r.status, 2);
    assert.ok(r.stderr.includes(`--out must be a file in an existing folder; received ${JSON.stringify(out)}`), r.stderr);
    assert.doesNotMatch(r.stderr, /\.tmp/);
    assert.throws(() => readdirSync(join(dir, "cache")), /ENOENT/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("flatlab grid says how many damaged cache entries (checksum removed) it recomputed", () => {
  const dir = mkdtempSync(join(tmpdir(), "flatlab-cli-"));
  try {
    const specPath = join(dir, "spec.json"), cache = join(dir, "cache");
    writeFileSync(specPath, JSON.stringify({ task: "demo", axes: { x: [1, 2] }, trials: 2, seed: 9 }));
    assert.equal(run(["grid", specPath, "--cache", cache, "--out", join(dir, "a.json")]).status, 0);
    for (const name of readdirSync(cache).slice(0, 2)) {
      const entry = JSON.parse(readFileSync(join(cache, name), "utf8"));
      delete entry.sum;
      entry.rows[0].value = 0;
      writeFileSync(join(cache, name), JSON.stringify(entry));
    }
    const merge = run(["merge", specPath, "--cache", cache]);
    assert.equal(merge.status, 1);
    assert.match(merge.stderr, /2 of 4 missing \(2 of them corrupt\)/);
    const r = run(["grid", specPath, "--cache", cache, "--out", join(dir, "b.json")]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /2 computed, 2 cached, 0 failed, 2 damaged cache entries recomputed, 4 rows/);
    assert.equal(readFileSync(join(dir, "a.json"), "utf8"), readFileSync(join(dir, "b.json"), "utf8"));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("--max-jobs raises the grid size limit; a grid over it is refused naming its size", () => {
  assert.equal(parseArgs(["grid", "s.json", "--max-jobs", "500000"]).maxJobs, 500000);
  assert.throws(() => parseArgs(["grid", "s.json", "--max-jobs", "0"]), /--max-jobs must be a positive integer; received "0"/);
  const dir = mkdtempSync(join(tmpdir(), "flatlab-cli-"));
  try {
    const specPath = join(dir, "spec.json");
    writeFileSync(specPath, JSON.stringify({ task: "demo", axes: { x: [1, 2] }, trials: 3, seed: 9 }));
    const r = run(["grid", specPath, "--max-jobs", "5"]);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /spec must have at most 5 jobs .*received \(2 x\) × 3 trials = 6 jobs/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
