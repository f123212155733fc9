/**
 * Size guards (issue 13 item 4): generators, solvers and grids estimate what they are about to
 * allocate and refuse, before allocating anything, what cannot fit, naming the arguments, the
 * estimate and the limit. Without a guard, d1 = d2 = 1e6 failed with "Invalid typed array length",
 * and d = 20000, m = 10 allocated 3 GB for 27 s before failing.
 *
 * The limit (our choice): half of this machine's memory, raised or lowered with
 * setMemoryLimit(bytes) or the environment variable FLATLAB_MAX_BYTES. Estimates count the large
 * arrays only (8 bytes per float64 entry), so they are lower bounds of what a call needs.
 */
import { totalmem } from "node:os";

const ENV = "FLATLAB_MAX_BYTES";
let limit: number | undefined;

/** Sets the limit in bytes (undefined: back to FLATLAB_MAX_BYTES, else half the machine's memory). */
export function setMemoryLimit(bytes: number | undefined): void {
  if (bytes !== undefined && !(typeof bytes === "number" && Number.isFinite(bytes) && bytes > 0)) {
    throw new RangeError(`setMemoryLimit: bytes must be a finite number > 0 or undefined; received ${String(bytes)}.`);
  }
  limit = bytes;
}

/** The limit now in force and where it comes from. */
export function memoryLimit(): { bytes: number; source: string } {
  if (limit !== undefined) return { bytes: limit, source: "set with setMemoryLimit" };
  const env = Number(process.env[ENV]);
  if (process.env[ENV] && Number.isFinite(env) && env > 0) return { bytes: env, source: `from ${ENV}` };
  return { bytes: Math.floor(totalmem() / 2), source: "half of this machine's memory" };
}

export function formatBytes(bytes: number): string {
  const units = ["B", "kB", "MB", "GB", "TB", "PB"];
  let u = 0;
  while (bytes >= 1000 && u < units.length - 1) [bytes, u] = [bytes / 1000, u + 1];
  return `${bytes >= 100 ? bytes.toFixed(0) : bytes.toPrecision(2)} ${units[u]}`;
}

/**
 * Refuses an allocation of about `bytes`: `args` are the sizes that determine it (named as the
 * caller's arguments), `what` says what would be allocated.
 */
export function checkMemory(fn: string, args: Record<string, number>, what: string, bytes: number): void {
  const { bytes: max, source } = memoryLimit();
  if (bytes <= max) return;
  const named = Object.entries(args).map(([k, v]) => `${k} = ${v}`).join(", ");
  throw new RangeError(
    `${fn}: ${named} would need about ${formatBytes(bytes)} (${what}), more than the memory limit of ${formatBytes(max)} (${source}); ` +
      `use smaller sizes, or raise the limit with setMemoryLimit(bytes) or ${ENV}.`,
  );
}
