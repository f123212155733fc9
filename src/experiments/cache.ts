/**
 * The resumable on-disk cache of the experiment engine: one small JSON file per (cell, trial),
 * named by the SHA-256 of everything that determines its rows (task, task version, the spec's
 * version tag, cell, trial, seed, settings).
 *
 * Written atomically: a temporary file in the same folder, then a rename, so a crash or two runs
 * at once never leave a half-written entry under a real name (two runs computing the same entry
 * write the same rows; the last rename wins). An entry is trusted only if it parses, its embedded
 * key equals its name and its embedded checksum is present and matches its rows; anything else
 * (truncated, edited, copied from another version, checksum removed) counts as corrupt and is
 * recomputed. Shards of a grid write disjoint files, so merging caches is reading several folders, or copying files into one.
 */
import { mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { canonicalJSON, sha256, type Job } from "./grid.js";

export type Row = Record<string, unknown>;

export interface CacheEntry {
  readonly key: string;
  readonly rows: Row[];
  /** SHA-256 of JSON.stringify(rows); an entry without it is damaged (recomputed), never trusted. */
  readonly sum: string;
}

/** What a lookup found: the rows, nothing, or a file that failed its checks. */
export type CacheLookup = { readonly status: "hit"; readonly rows: Row[] } | { readonly status: "missing" | "corrupt" };

/** Temporary files older than this are left over from a crash (a write takes milliseconds); our choice. */
const STALE_TMP_MS = 60 * 60 * 1000;

/**
 * The key of a job's entry. `version` joins the key only when set, so entries written before
 * spec versions existed keep their names.
 */
export function cacheKey(task: string, taskVersion: number, job: Job, settings: unknown, version?: string | number): string {
  const what: Record<string, unknown> = { task, taskVersion, cell: job.cell, trial: job.trial, seed: job.seed, settings: settings ?? null };
  if (version !== undefined) what.version = version;
  return sha256(canonicalJSON(what));
}

export class ResultCache {
  /** Entries are written to `dir` and read from `dir`, then from each of `readDirs` (other shards' folders). */
  constructor(readonly dir: string, readonly readDirs: readonly string[] = []) {
    mkdirSync(dir, { recursive: true });
    removeStaleTemporaries(dir);
  }

  /** Looks a key up in every folder; a corrupt file is reported (and later overwritten by a write). */
  lookup(key: string): CacheLookup {
    let corrupt = false;
    for (const dir of [this.dir, ...this.readDirs]) {
      const found = readEntry(join(dir, `${key}.json`), key);
      if (found.status === "hit") return found;
      if (found.status === "corrupt") corrupt = true;
    }
    return { status: corrupt ? "corrupt" : "missing" };
  }

  /** The cached rows, or undefined when missing or corrupt. */
  read(key: string): Row[] | undefined {
    const found = this.lookup(key);
    return found.status === "hit" ? found.rows : undefined;
  }

  write(key: string, rows: Row[]): void {
    const path = join(this.dir, `${key}.json`);
    const tmp = join(this.dir, `.${key}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`);
    const text = JSON.stringify(rows);
    try {
      writeFileSync(tmp, `{"key":${JSON.stringify(key)},"sum":"${sha256(text)}","rows":${text}}`);
      renameSync(tmp, path);
    } catch (e) {
      rmSync(tmp, { force: true });
      throw new Error(`ResultCache: could not write ${path}: ${(e as Error).message}`);
    }
  }
}

function readEntry(path: string, key: string): CacheLookup {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    return { status: "missing" };
  }
  try {
    const entry = JSON.parse(text) as CacheEntry;
    if (entry.key === key && Array.isArray(entry.rows) && typeof entry.sum === "string" && entry.sum === sha256(JSON.stringify(entry.rows))) {
      return { status: "hit", rows: entry.rows };
    }
  } catch {
    // truncated or not JSON: corrupt
  }
  return { status: "corrupt" };
}

function removeStaleTemporaries(dir: string): void {
  const now = Date.now();
  for (const name of readdirSync(dir)) {
    if (!name.startsWith(".") || !name.endsWith(".tmp")) continue;
    const path = join(dir, name);
    try {
      if (now - statSync(path).mtimeMs > STALE_TMP_MS) rmSync(path, { force: true });
    } catch {
      // another run removed or renamed it meanwhile
    }
  }
}
