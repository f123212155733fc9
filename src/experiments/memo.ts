/**
 * A computation done once and read back afterwards, for the parts of a notebook that are not
 * grids (a sweep inside one cell, a set of training runs): same cache folder, same atomic and
 * checksummed entries as the engine (cache.ts), keyed by a name and every input the result depends
 * on. The value must be JSON data (rows of numbers and strings).
 */
import { ResultCache, type Row } from "./cache.js";
import { canonicalJSON, sha256 } from "./grid.js";
import { fail } from "../util/validate.js";

export interface MemoResult<T> {
  readonly value: T;
  /** True when the value came from the cache. */
  readonly cached: boolean;
}

export async function memo<T>(cacheDir: string, name: string, inputs: unknown, compute: () => T | Promise<T>): Promise<MemoResult<T>> {
  if (typeof cacheDir !== "string" || cacheDir === "") fail("memo", "cacheDir", "a folder path", cacheDir, TypeError);
  if (typeof name !== "string" || name === "") fail("memo", "name", "a non-empty string", name, TypeError);
  const cache = new ResultCache(cacheDir);
  const key = sha256(canonicalJSON({ memo: name, inputs: inputs ?? null }));
  const hit = cache.read(key);
  if (hit !== undefined) return { value: (hit[0] as { value: T }).value, cached: true };
  const value = await compute();
  // JSON would silently turn NaN and ±Infinity into null: a cached run would then differ from a fresh one.
  checkJSONData("memo", `value of ${JSON.stringify(name)}`, value);
  cache.write(key, [{ value } as Row]);
  return { value, cached: false };
}

/** Only plain JSON data with finite numbers round-trips through the cache unchanged. */
function checkJSONData(fn: string, where: string, v: unknown): void {
  if (typeof v === "number") {
    if (!Number.isFinite(v)) throw new RangeError(`${fn}: ${where} must be JSON data with finite numbers; received ${v}.`);
  } else if (Array.isArray(v)) v.forEach((x, i) => checkJSONData(fn, `${where}[${i}]`, x));
  else if (v !== null && typeof v === "object") {
    if (Object.getPrototypeOf(v) !== Object.prototype) throw new TypeError(`${fn}: ${where} must be plain JSON data; received a ${(v as object).constructor?.name ?? "object"}.`);
    for (const [k, x] of Object.entries(v)) checkJSONData(fn, `${where}.${k}`, x);
  } else if (!(typeof v === "string" || typeof v === "boolean" || v === null)) {
    throw new TypeError(`${fn}: ${where} must be JSON data; received ${typeof v}.`);
  }
}
