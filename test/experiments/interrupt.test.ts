import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

// tslab runs a cell's synchronous part through vm with breakOnSigint, next to its own SIGINT
// listener; this child process does the same, then receives a real SIGINT while the grid runs.
const child = (runModule: string, cacheDir: string) => `
const vm = require("node:vm");
const { runGrid } = require(${JSON.stringify(runModule)});
process.on("SIGINT", () => {});
globalThis.start = () => runGrid({ task: "demo", axes: { x: [0, 1, 2, 3, 4, 5, 6, 7] }, trials: 5, seed: 3, settings: { work: 1e7 } },
  { workers: 2, cacheDir: ${JSON.stringify(cacheDir)} })
  .then(() => { console.log("finished"); process.exit(0); }, (e) => { console.log(e.message); process.exit(7); });
vm.runInThisContext("start()", { breakOnSigint: true });
`;

test("runGrid started inside vm with breakOnSigint (a tslab cell) survives SIGINT and stops with an interrupt error", async () => {
  const dir = mkdtempSync(join(tmpdir(), "flatlab-interrupt-"));
  try {
    const script = join(dir, "child.ts"), cache = join(dir, "cache");
    writeFileSync(script, child(join(__dirname, "../../src/experiments/run.ts"), cache));
    const p = spawn(process.execPath, ["--import", "tsx", script], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    p.stdout.on("data", (b) => (out += b));
    p.stderr.on("data", (b) => (out += b));
    const exited = new Promise<[number | null, string | null]>((resolve) => p.on("exit", (code, signal) => resolve([code, signal])));
    const entries = () => { try { return readdirSync(cache).filter((f) => f.endsWith(".json")).length; } catch { return 0; } };
    while (entries() === 0) await new Promise((r) => setTimeout(r, 20));
    p.kill("SIGINT");
    assert.deepEqual(await exited, [7, null], `the child must exit by itself, not be killed by SIGINT; output: ${out}`);
    assert.match(out, /runGrid: interrupted \(SIGINT\) after \d+ of 40 jobs/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
