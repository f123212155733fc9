/**
 * Run modes of the notebooks. `npm run reproduce` sets FLATLAB_MODE=full (paper-scale grids) and
 * `npm test` sets FLATLAB_MODE=quick (coarse grids, a few trials, under two minutes a notebook).
 * A notebook opened by hand without the variable runs in quick mode.
 */
import { checkOneOf } from "./validate.js";

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
