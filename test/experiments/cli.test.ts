import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseShard } from "../../src/cli.js";

const cli = join(__dirname, "../../src/cli.ts");
const run = (args: string[]) => spawnSync(process.execPath, ["--import", "tsx", cli, ...args], { encoding: "utf8" });

test("flatlab grid runs two shards into one cache and assembles them with --cached-only", () => {
  const dir = mkdtempSync(join(tmpdir(), "flatlab-cli-"));
  try {
    const spec = join(dir, "spec.json");
    writeFileSync(spec, JSON.stringify({ task: "demo", axes: { x: [1, 2, 3] }, trials: 2, seed: 5 }));
    const cache = join(dir, "cache");
    for (const shard of ["1/2", "2/2"]) {
      const r = run(["grid", spec, "--shard", shard, "--cache", cache, "--workers", "1"]);
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stderr, new RegExp(`done \\(shard ${shard.replace("/", "\\/")}\\): 3 computed`));
    }
    const out = join(dir, "rows.json");
    const r = run(["grid", spec, "--cache", cache, "--cached-only", "--out", out]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /0 computed, 6 cached, 6 rows/);
    assert.equal(JSON.parse(readFileSync(out, "utf8")).length, 6);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("--shard must be i/N with 1 ≤ i ≤ N, and errors exit non-zero with the flag named", () => {
  assert.deepEqual(parseShard("3/16"), { index: 3, count: 16 });
  for (const bad of ["0/4", "5/4", "1.5/4", "x"]) assert.throws(() => parseShard(bad), /--shard must be i\/N/);
  const r = run(["grid", "/nonexistent.json"]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /cannot read the spec \/nonexistent.json/);
  assert.equal(run(["frobnicate"]).status, 2);
});
