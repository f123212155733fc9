/**
 * The cluster recipe on a real scheduler (issue 13): docs/slurm-grid.sh, the job script README.md
 * and docs/cluster.md quote verbatim, is submitted to a local Slurm cluster (scripts/slurm-local.sh;
 * .ci/run starts one) as a 4-task array; one task is cancelled while it runs and requeued; the
 * documented merge command assembles the shards, whose rows must equal one local run's (timings
 * aside). Without a Slurm cluster that takes jobs the test is skipped and says why.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { runGrid } from "../../src/experiments/run.js";
import type { GridSpec } from "../../src/experiments/grid.js";

const ROOT = resolve(__dirname, "..", "..");
const JOB_SCRIPT = join(ROOT, "docs", "slurm-grid.sh");
const MERGE = "npx flatlab merge spec.json $(printf -- '--cache %s ' cache/shard-*) --out rows.json";
const TASKS = 4;
// 96 recovery trials, 24 per shard (about 2 s of solves each): long enough to cancel one mid-run.
const spec: GridSpec = {
  task: "recovery", axes: { d: [12, 16], m: [80, 120] }, fixed: { ensemble: "gaussian", r: 1 },
  trials: 24, seed: 13, settings: { truthSeed: 13 },
};
const PER_SHARD = 24;

function sh(cmd: string, args: string[], cwd?: string): { ok: boolean; out: string } {
  const r = spawnSync(cmd, args, { cwd, encoding: "utf8", timeout: 30_000 });
  return { ok: r.status === 0, out: `${r.stdout ?? ""}${r.stderr ?? ""}${r.error ? r.error.message : ""}`.trim() };
}

/** Why Slurm cannot run the test here, or false. */
function slurmUnavailable(): string | false {
  const info = sh("sinfo", ["-h", "-o", "%T"]);
  if (!info.ok) return `no Slurm cluster answers (sinfo: ${info.out.split("\n")[0] || "failed"}); as root, scripts/slurm-local.sh starts one`;
  if (!/^(idle|mixed|allocated)/m.test(info.out)) return `no Slurm node takes jobs (node states: ${info.out.replace(/\n/g, ", ")})`;
  if (!existsSync(join(ROOT, "dist", "cli.js"))) return "dist/cli.js is missing (npm run build): the job runs the built flatlab command";
  return false;
}

/** JobState of one array task, "" once Slurm has forgotten it. */
function state(id: string): string {
  return /JobState=(\w+)/.exec(sh("scontrol", ["show", "job", id]).out)?.[1] ?? "";
}

async function until(what: string, deadlineMs: number, check: () => boolean): Promise<void> {
  const end = Date.now() + deadlineMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`slurm test: timed out after ${deadlineMs / 1000} s waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const stripTimes = (rows: Record<string, unknown>[]) => rows.map(({ timeMs: _t, ...rest }) => rest);

test("README and docs/cluster.md quote the job script docs/slurm-grid.sh verbatim", () => {
  const script = readFileSync(JOB_SCRIPT, "utf8");
  for (const doc of ["README.md", join("docs", "cluster.md")]) {
    const text = readFileSync(join(ROOT, doc), "utf8");
    assert.ok(text.includes("```sh\n" + script + "```"), `${doc} must quote docs/slurm-grid.sh verbatim in a sh block`);
    assert.ok(text.includes(MERGE), `${doc} must show the merge command the test runs: ${MERGE}`);
  }
});

test("the README's Slurm job array runs on a real Slurm: 4 tasks, one cancelled mid-run and requeued, merged rows equal a local run", { timeout: 240_000 }, async (t) => {
  const why = slurmUnavailable();
  if (why) {
    console.log(`# slurm test skipped: ${why}`);
    return t.skip(why);
  }
  const dir = mkdtempSync(join(tmpdir(), "flatlab-slurm-"));
  let job = "";
  try {
    mkdirSync(join(dir, "logs"));
    // A folder where flatlab is installed, as a user's project would be (npx finds the command there).
    symlinkSync(join(ROOT, "node_modules"), join(dir, "node_modules"));
    writeFileSync(join(dir, "spec.json"), JSON.stringify(spec));
    // Command-line options override the script's #SBATCH lines: 4 tasks that fit a small node.
    const submit = sh("sbatch", ["--parsable", `--array=1-${TASKS}`, "--cpus-per-task=1", "--mem=500M", "--time=10", JOB_SCRIPT], dir);
    assert.ok(submit.ok, `sbatch failed: ${submit.out}`);
    job = submit.out.split(";")[0];
    const shard1 = join(dir, "cache", "shard-1");
    const entries = () => (existsSync(shard1) ? readdirSync(shard1).filter((f) => f.endsWith(".json")).length : 0);

    await until("task 1 to run and cache its first trial", 120_000, () => state(`${job}_1`) === "RUNNING" && entries() >= 1);
    assert.ok(sh("scancel", [`${job}_1`]).ok);
    await until("task 1 to be cancelled", 30_000, () => state(`${job}_1`) === "CANCELLED");
    const kept = entries();
    assert.ok(kept >= 1 && kept < PER_SHARD, `task 1 must be cancelled mid-run; it had cached ${kept} of ${PER_SHARD} trials`);
    await new Promise((r) => setTimeout(r, 1000));
    assert.equal(entries(), kept, "no process of the cancelled task may go on writing");

    const requeue = sh("scontrol", ["requeue", `${job}_1`]);
    assert.ok(requeue.ok, `scontrol requeue failed: ${requeue.out}`);
    // Slurm makes a requeued job eligible only two minutes later; start it now.
    sh("scontrol", ["update", `jobid=${job}_1`, "StartTime=now"]);
    await until("all 4 tasks to complete", 150_000, () => [1, 2, 3, 4].every((k) => ["COMPLETED", "FAILED", "CANCELLED", "TIMEOUT"].includes(state(`${job}_${k}`))));
    for (let k = 1; k <= TASKS; k++) {
      const log = readFileSync(join(dir, "logs", `flatlab-grid-${k}.out`), "utf8");
      assert.equal(state(`${job}_${k}`), "COMPLETED", `task ${k}: ${log}`);
      assert.match(log, new RegExp(`done \\(shard ${k}/${TASKS}\\)`));
    }
    // The requeued task resumed from its cache: it computed only what the cancelled run had not.
    assert.match(readFileSync(join(dir, "logs", "flatlab-grid-1.out"), "utf8"), new RegExp(`${PER_SHARD - kept} computed, ${kept} cached`));

    const merge = sh("bash", ["-c", MERGE], dir);
    assert.ok(merge.ok, `merge failed: ${merge.out}`);
    const merged = JSON.parse(readFileSync(join(dir, "rows.json"), "utf8"));
    const local = await runGrid(spec, { workers: 2 });
    assert.equal(merged.length, 2 * 96);
    assert.deepEqual(stripTimes(merged), stripTimes(local.rows));
  } finally {
    if (job) sh("scancel", [job]);
    rmSync(dir, { recursive: true, force: true });
  }
});
