/**
 * Run modes of the notebooks. `npm run reproduce` sets FLATLAB_MODE=full (paper-scale grids) and
 * `npm test` sets FLATLAB_MODE=quick (coarse grids, a few trials, under two minutes a notebook).
 * A notebook opened by hand without the variable runs in quick mode.
 */
import { checkOneOf } from "./validate.js";
import { table } from "./displayable.js";

export const MODES = ["quick", "full"] as const;
export type Mode = (typeof MODES)[number];

/** The mode from FLATLAB_MODE (or `override`), checked before any long computation starts. */
export function runMode(override?: string): Mode {
  const raw = override ?? process.env.FLATLAB_MODE ?? "quick";
  return checkOneOf("runMode", "FLATLAB_MODE", raw.trim().toLowerCase(), MODES);
}

/**
 * A notebook's parameters cell: picks the settings of the current mode. Both modes must list the
 * same keys, so a notebook never reads a setting that one mode forgot.
 */
export function notebookParams<T extends Record<string, unknown>>(byMode: { quick: T; full: T }, override?: string): T & { mode: Mode } {
  const mode = runMode(override);
  const quickKeys = Object.keys(byMode.quick).sort().join(",");
  const fullKeys = Object.keys(byMode.full).sort().join(",");
  if (quickKeys !== fullKeys) {
    throw new RangeError(`notebookParams: quick and full must list the same settings; received [${quickKeys}] and [${fullKeys}].`);
  }
  return { ...byMode[mode], mode };
}

/** The settings a notebook runs with, and the tfjs backend it chose, as a table (the parameters cell's output). */
export function runSettings(params: Record<string, unknown>, backend?: { backend: string; reason: string }) {
  const rows: [string, string][] = Object.entries(params).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]);
  if (backend !== undefined) rows.push(["tfjs backend", `${backend.backend} (${backend.reason})`]);
  return table("Run settings", ["setting", "value"], rows);
}
