/**
 * Per-cell summaries of tidy rows: the mean of a value (the success fraction when the value is
 * 0/1) with its standard error, and how many rows and non-null values went into it. Nulls (a
 * skipped program, a recorded failure) are left out of the mean and counted apart, so a skipped
 * cell shows as null, never as 0.
 *
 * Standard error: s/√n with s the sample standard deviation (n − 1 in the denominator); for 0/1
 * values that is √(p̂(1 − p̂)/(n − 1)). Null for n < 2 and for medians (our choice: no bootstrap).
 */
import { checkOneOf, fail } from "../util/validate.js";
import type { Row } from "./cache.js";

/** The grouping fields (as in the rows), then the summary. Grouping values are typed loosely for notebook use. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type SummaryRow = { readonly [field: string]: any } & {
  readonly mean: number | null;
  readonly stderr: number | null;
  /** Rows in the group, and those among them whose value is null or missing. */
  readonly count: number;
  readonly nulls: number;
};

/** Groups rows by the `by` fields (in order of first appearance) and reduces `value` in each group. */
export function summarize(rows: readonly Row[], by: readonly string[], value: string, reduce: "mean" | "median" = "mean"): SummaryRow[] {
  const fn = "summarize";
  if (!Array.isArray(rows)) fail(fn, "rows", "an array of row objects", rows, TypeError);
  if (!Array.isArray(by) || by.some((b) => typeof b !== "string")) fail(fn, "by", "an array of field names", by, TypeError);
  if (typeof value !== "string") fail(fn, "value", "a field name", value, TypeError);
  checkOneOf(fn, "reduce", reduce, ["mean", "median"] as const);
  // A misspelt field would otherwise make one group of everything, or a column of nulls.
  if (rows.length > 0) {
    for (const b of by) if (!rows.some((r) => b in r)) fail(fn, "by", `fields of the rows (${fieldList(rows)})`, b);
    if (!rows.some((r) => value in r)) fail(fn, "value", `a field of the rows (${fieldList(rows)})`, value);
  }
  const groups = new Map<string, { key: Row; values: number[]; count: number; nulls: number }>();
  for (const r of rows) {
    const key = Object.fromEntries(by.map((b) => [b, r[b]]));
    const id = JSON.stringify(by.map((b) => r[b]));
    let g = groups.get(id);
    if (g === undefined) groups.set(id, (g = { key, values: [], count: 0, nulls: 0 }));
    g.count++;
    const v = typeof r[value] === "boolean" ? Number(r[value]) : r[value];
    if (typeof v === "number" && Number.isFinite(v)) g.values.push(v);
    else if (v === null || v === undefined) g.nulls++;
    else fail(fn, `rows[].${value}`, "a finite number, a boolean or null", v);
  }
  return [...groups.values()].map(({ key, values, count, nulls }) => {
    const n = values.length;
    let mean: number | null = null, stderr: number | null = null;
    if (n > 0 && reduce === "mean") {
      mean = values.reduce((a, b) => a + b, 0) / n;
      if (n > 1) {
        let ss = 0;
        for (const v of values) ss += (v - (mean as number)) ** 2;
        stderr = Math.sqrt(ss / (n - 1) / n);
      }
    } else if (n > 0) {
      const s = values.slice().sort((a, b) => a - b);
      mean = n % 2 === 1 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }
    return { ...key, mean, stderr, count, nulls };
  });
}

function fieldList(rows: readonly Row[]): string {
  const names = Object.keys(rows[0]);
  return names.length > 12 ? `${names.slice(0, 12).join(", ")}, ...` : names.join(", ");
}

/** A solve that stopped at the iteration cap: not converged, not skipped, not a certified failure (recoveryTrial's rows). */
export function stoppedAtCap(row: { readonly converged?: unknown; readonly skipped?: unknown; readonly certifiedFailure?: unknown }): boolean {
  return row.converged === false && row.skipped !== true && row.certifiedFailure !== true;
}

/** The panel names of the two programs in Figure 3 style maps. */
export const PROGRAM_LABELS: Readonly<Record<string, string>> = { flat: "flat (relaxation (20))", plain: "plain nuclear norm" };

/**
 * Figure 3 rows from recovery trials: per (x, y, program) the success rate, the trials and the
 * successes, with the program named for the map's panels; `capped`: the solves that stopped at
 * the iteration cap (converged false, not skipped, not a certified failure), whose verdict the cap
 * may have decided; and (when the rows have an `error` field) `errors`, each trial's error in order
 * (null for a certified failure), for recoveryMap's threshold slider.
 */
export function successRates(rows: readonly Row[], x: string, y: string): SummaryRow[] {
  const capped = new Map<string, number>();
  // Each trial's error (null: no estimate) goes along, so recoveryMap can move the threshold.
  const errors = new Map<string, (number | null)[]>();
  const withErrors = rows.some((r) => "error" in r);
  for (const r of rows) {
    const id = JSON.stringify([r[x], r[y], r.program]);
    if (stoppedAtCap(r)) capped.set(id, (capped.get(id) ?? 0) + 1);
    if (withErrors) {
      // A certified failure (settings.certifyFailures) enters the slider as null, a failure at every
      // threshold: exact up to its certificate's 10⁻⁵ (maps of such rows keep thresholdRange ≤ [-10, -5]).
      const e = r.certifiedFailure !== true && typeof r.error === "number" && Number.isFinite(r.error) ? r.error : null;
      const list = errors.get(id);
      if (list === undefined) errors.set(id, [e]); else list.push(e);
    }
  }
  return summarize(rows, [x, y, "program"], "success").map((s) => ({
    [x]: s[x], [y]: s[y], program: PROGRAM_LABELS[String(s.program)] ?? String(s.program),
    success: s.mean, trials: s.count, successes: Math.round((s.mean ?? 0) * s.count),
    capped: capped.get(JSON.stringify([s[x], s[y], s.program])) ?? 0,
    mean: s.mean, stderr: s.stderr, count: s.count, nulls: s.nulls,
    ...(withErrors ? { errors: errors.get(JSON.stringify([s[x], s[y], s.program])) } : {}),
  }));
}

/** Flat against plain over the cells of `successRates` rows: mean success rates and the largest difference in one cell. */
export function compareSuccess(rates: readonly SummaryRow[], x: string, y: string): { flat: number; plain: number; maxDifference: number; cells: number } {
  const flat = rates.filter((r) => r.program === PROGRAM_LABELS.flat), plain = rates.filter((r) => r.program === PROGRAM_LABELS.plain);
  if (flat.length === 0 || flat.length !== plain.length) fail("compareSuccess", "rates", "successRates rows with both programs in every cell", `${flat.length} flat and ${plain.length} plain cells`);
  const mean = (xs: readonly SummaryRow[]) => xs.reduce((a, r) => a + (r.success ?? 0), 0) / xs.length;
  const maxDifference = Math.max(...flat.map((f) => Math.abs((f.success ?? 0) - (plain.find((p) => p[x] === f[x] && p[y] === f[y])?.success ?? 0))));
  return { flat: mean(flat), plain: mean(plain), maxDifference, cells: flat.length };
}
