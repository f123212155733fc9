#!/usr/bin/env node
/**
 * `flatlab grid SPEC.json [--shard i/N] [--cache DIR] [--workers W] [--out ROWS.json] [--cached-only]`
 *
 * Runs a grid spec (src/experiments/grid.ts) from a terminal. With --shard i/N it runs only every
 * N-th job starting at the i-th, so a cluster's array jobs (Slurm job arrays, Kubernetes indexed
 * Jobs) split a full grid; each shard writes its own cache files, so copying the shards' cache
 * folders into one and running with --cached-only assembles the full result.
 */
import { readFileSync, renameSync, writeFileSync } from "node:fs";
import { runGrid } from "./experiments/run.js";
import type { GridSpec } from "./experiments/grid.js";

const USAGE = "usage: flatlab grid SPEC.json [--shard i/N] [--cache DIR] [--workers W] [--out ROWS.json] [--cached-only]";

export function parseShard(text: string): { index: number; count: number } {
  const m = /^(\d+)\/(\d+)$/.exec(text);
  const index = m ? Number(m[1]) : NaN, count = m ? Number(m[2]) : NaN;
  if (!m || count < 1 || index < 1 || index > count) {
    throw new RangeError(`flatlab grid: --shard must be i/N with 1 ≤ i ≤ N (e.g. 3/16); received ${JSON.stringify(text)}.`);
  }
  return { index, count };
}

export async function main(argv: string[]): Promise<number> {
  const [command, specPath, ...rest] = argv;
  if (command !== "grid" || specPath === undefined || specPath.startsWith("--")) {
    console.error(USAGE);
    return 2;
  }
  const opts: { shard?: { index: number; count: number }; cacheDir?: string; workers?: number; out?: string; cachedOnly?: boolean } = {};
  for (let i = 0; i < rest.length; i++) {
    const flag = rest[i], value = rest[i + 1];
    const need = () => {
      if (value === undefined) throw new RangeError(`flatlab grid: ${flag} needs a value. ${USAGE}`);
      i++;
      return value;
    };
    if (flag === "--shard") opts.shard = parseShard(need());
    else if (flag === "--cache") opts.cacheDir = need();
    else if (flag === "--workers") {
      const w = Number(need());
      if (!Number.isInteger(w) || w < 1) throw new RangeError(`flatlab grid: --workers must be a positive integer; received ${JSON.stringify(value)}.`);
      opts.workers = w;
    } else if (flag === "--out") opts.out = need();
    else if (flag === "--cached-only") opts.cachedOnly = true;
    else throw new RangeError(`flatlab grid: unknown option ${JSON.stringify(flag)}. ${USAGE}`);
  }
  let spec: GridSpec;
  try {
    spec = JSON.parse(readFileSync(specPath, "utf8")) as GridSpec;
  } catch (e) {
    throw new Error(`flatlab grid: cannot read the spec ${specPath}: ${(e as Error).message}`);
  }
  let last = 0;
  const result = await runGrid(spec, {
    ...opts,
    onProgress: (p) => {
      if (p.done === p.total || performance.now() - last > 2000) {
        last = performance.now();
        process.stderr.write(`flatlab grid: ${p.done}/${p.total} jobs (${p.cached} cached), ${(p.elapsedMs / 1000).toFixed(1)} s\n`);
      }
    },
  });
  const shard = opts.shard ? ` (shard ${opts.shard.index}/${opts.shard.count})` : "";
  process.stderr.write(`flatlab grid: done${shard}: ${result.computed} computed, ${result.cached} cached, ${result.rows.length} rows in ${(result.elapsedMs / 1000).toFixed(1)} s\n`);
  if (opts.out !== undefined) {
    const tmp = `${opts.out}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(result.rows));
    renameSync(tmp, opts.out);
  }
  return 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e: Error) => {
      console.error(e.message);
      process.exit(1);
    },
  );
}
