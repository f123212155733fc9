/**
 * The resumable on-disk cache of the experiment engine: one small JSON file per (cell, trial),
 * named by the SHA-256 of everything that determines its rows (task, task version, cell, trial,
 * seed, settings). Files are written to a temporary name in the same folder and renamed, so a crash
 * or two runs at once never leave a half-written entry; an entry that does not parse or whose
 * embedded key differs from its name (truncated, edited, from another version) is treated as
 * missing and recomputed. Shards of a grid write disjoint files, so merging caches is copying files.
 */
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { canonicalJSON, sha256, type Job } from "./grid.js";

export type Row = Record<string, unknown>;

export interface CacheEntry {
  readonly key: string;
  readonly rows: Row[];
}

/** The key of a job's entry. */
export function cacheKey(task: string, taskVersion: number, job: Job, settings: unknown): string {
  return sha256(canonicalJSON({ task, taskVersion, cell: job.cell, trial: job.trial, seed: job.seed, settings: settings ?? null }));
}

export class ResultCache {
  constructor(readonly dir: string) {
    mkdirSync(dir, { recursive: true });
  }

  private path(key: string): string {
    return join(this.dir, `${key}.json`);
  }

  /** The cached rows, or undefined when missing or corrupt (a corrupt file is removed). */
  read(key: string): Row[] | undefined {
    let text: string;
    try {
      text = readFileSync(this.path(key), "utf8");
    } catch {
      return undefined;
    }
    try {
      const entry = JSON.parse(text) as CacheEntry;
      if (entry.key === key && Array.isArray(entry.rows)) return entry.rows;
    } catch {
      // fall through: truncated or not JSON
    }
    rmSync(this.path(key), { force: true });
    return undefined;
  }

  write(key: string, rows: Row[]): void {
    const tmp = join(this.dir, `.${key}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`);
    try {
      writeFileSync(tmp, JSON.stringify({ key, rows } satisfies CacheEntry));
      renameSync(tmp, this.path(key));
    } catch (e) {
      rmSync(tmp, { force: true });
      throw new Error(`ResultCache: could not write ${this.path(key)}: ${(e as Error).message}`);
    }
  }
}
