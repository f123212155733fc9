/**
 * Per-cell summaries of tidy rows: the mean of a value (the success fraction when the value is
 * 0/1), and how many rows and non-null values went into it. Nulls (a skipped program) are left out
 * of the mean and counted apart, so a skipped cell shows as null, never as 0.
 */
import type { Row } from "./cache.js";

/** The grouping fields (as in the rows), then the summary. Grouping values are typed loosely for notebook use. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type SummaryRow = { readonly [field: string]: any } & { readonly mean: number | null; readonly count: number; readonly nulls: number };

export function summarize(rows: readonly Row[], by: readonly string[], value: string, reduce: "mean" | "median" = "mean"): SummaryRow[] {
  const groups = new Map<string, { key: Row; values: number[]; count: number; nulls: number }>();
  for (const r of rows) {
    const key = Object.fromEntries(by.map((b) => [b, r[b]]));
    const id = JSON.stringify(by.map((b) => r[b]));
    let g = groups.get(id);
    if (g === undefined) groups.set(id, (g = { key, values: [], count: 0, nulls: 0 }));
    g.count++;
    const v = r[value];
    if (typeof v === "number" && Number.isFinite(v)) g.values.push(v);
    else g.nulls++;
  }
  return [...groups.values()].map(({ key, values, count, nulls }) => {
    let mean: number | null = null;
    if (values.length > 0) {
      if (reduce === "mean") mean = values.reduce((a, b) => a + b, 0) / values.length;
      else {
        const s = values.slice().sort((a, b) => a - b);
        mean = s.length % 2 === 1 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
      }
    }
    return { ...key, mean, count, nulls };
  });
}
