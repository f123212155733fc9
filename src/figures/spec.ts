/**
 * What every figure spec shares: the Vega-Lite v5 spec type, row checks with Altair's size guard,
 * field references, tooltips and axis formats. Figures are pure: plain rows in, a plain JSON spec
 * out, with fixed width and height and no randomness, so the same rows give the same spec and
 * (in src/display) the same SVG. Nothing here knows about Jupyter or renders anything.
 *
 * Choices of ours (the paper prescribes no plotting details [NF]): Vega-Lite v5, because it is
 * the newest version JupyterLab and VS Code render (see ecosystem notes §3); the 5000-row
 * default of Altair's `MaxRowsError`, because every row is embedded in the notebook twice
 * (as the spec and as the rendered SVG).
 */
import { checkInteger, fail } from "../util/validate.js";

export const VEGA_LITE_SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json";

/** A Vega-Lite v5 spec as a plain JSON object (no vega-lite types, so it stays valid for TS 5.0). */
export interface VegaLiteSpec {
  $schema: string;
  [key: string]: unknown;
}

/** One result row: field name to value. */
export type Row = Readonly<Record<string, unknown>>;

/** Options shared by every figure. */
export interface FigureOptions {
  /** Title above the plot; none by default. */
  readonly title?: string;
  /** Width of one plot (one facet panel) in pixels. */
  readonly width?: number;
  /** Height of one plot (one facet panel) in pixels. */
  readonly height?: number;
  /** Extra fields listed in the tooltip after the plotted ones. */
  readonly tooltip?: readonly string[];
  /** Largest number of rows embedded in the spec (default 5000, as in Altair). */
  readonly maxRows?: number;
}

export const DEFAULT_MAX_ROWS = 5000;

/**
 * Checks that rows is an array of plain objects within the size guard and returns a shallow copy
 * of each row, so later mutation of the caller's rows cannot change a spec already built.
 */
export function checkRows(fn: string, rows: unknown, maxRows: number | undefined): Row[] {
  const limit = maxRows === undefined ? DEFAULT_MAX_ROWS : checkInteger(fn, "maxRows", maxRows, 1);
  if (!Array.isArray(rows)) fail(fn, "rows", "an array of objects", rows, TypeError);
  if (rows.length === 0) fail(fn, "rows", "a non-empty array of objects", rows);
  if (rows.length > limit) {
    throw new RangeError(
      `${fn}: rows must have at most maxRows = ${limit} entries; received ${rows.length}. ` +
        `Downsample before plotting (keep one row in every ${Math.ceil(rows.length / limit)}, or average per grid cell ` +
        `or per bin), or pass a larger maxRows if the notebook may carry the extra size.`,
    );
  }
  return rows.map((r, i) => {
    if (typeof r !== "object" || r === null || Array.isArray(r)) fail(fn, `rows[${i}]`, "an object", r, TypeError);
    return { ...(r as Row) };
  });
}

/** Checks an option naming a field: a non-empty string present in the first row. */
export function checkField(fn: string, arg: string, field: unknown, rows: readonly Row[]): string {
  if (typeof field !== "string" || field.length === 0) fail(fn, arg, "a field name (a non-empty string)", field, TypeError);
  if (!(field in rows[0])) {
    const known = Object.keys(rows[0]).map((k) => JSON.stringify(k)).join(", ");
    throw new RangeError(`${fn}: ${arg} must name a field of the rows (${known}); received ${JSON.stringify(field)}.`);
  }
  return field;
}

/**
 * Checks that a field holds a finite number in every row: positive when it goes on a log scale,
 * nonnegative on a log scale with a floor; `allowMissing` lets null/undefined through for cells a
 * figure leaves blank.
 */
export function checkNumericField(fn: string, arg: string, field: string, rows: readonly Row[], opts: { positive?: boolean; nonnegative?: boolean; allowMissing?: boolean } = {}): void {
  rows.forEach((r, i) => {
    const v = r[field];
    if ((v === null || v === undefined) && opts.allowMissing) return;
    const ok = typeof v === "number" && Number.isFinite(v) && (opts.positive ? v > 0 : !opts.nonnegative || v >= 0);
    if (!ok) {
      const what = opts.positive ? "a positive finite number (it is on a log scale)" : opts.nonnegative ? "a nonnegative finite number (it is on a log scale)" : "a finite number";
      throw new RangeError(`${fn}: ${arg} field ${JSON.stringify(field)} must hold ${what} in every row; received ${String(v)} in rows[${i}].`);
    }
  });
}

/** Checks an optional list of field names. */
export function checkFields(fn: string, arg: string, fields: unknown, rows: readonly Row[]): string[] {
  if (fields === undefined) return [];
  if (!Array.isArray(fields)) fail(fn, arg, "an array of field names", fields, TypeError);
  return fields.map((f, i) => checkField(fn, `${arg}[${i}]`, f, rows));
}

/** Checks the optional title strings. */
export function checkText(fn: string, arg: string, value: unknown): string | undefined {
  if (value !== undefined && typeof value !== "string") fail(fn, arg, "a string", value, TypeError);
  return value as string | undefined;
}

export function checkSize(fn: string, arg: string, value: unknown, fallback: number): number {
  return value === undefined ? fallback : checkInteger(fn, arg, value, 20, 4000);
}

/**
 * A field reference for Vega-Lite. Dots and brackets in a field name mean nested access there,
 * so they are escaped: a column called "‖LᵀL − RᵀR‖_F" or "a.b" is read as one flat key.
 */
export function fieldRef(name: string): string {
  return name.replace(/([.[\]\\])/g, "\\$1");
}

/** Whether every row holds a number in this field (then axes and tooltips format numbers). */
export function isNumericField(field: string, rows: readonly Row[]): boolean {
  return rows.every((r) => typeof r[field] === "number" || r[field] === null || r[field] === undefined);
}

/** A tooltip entry; numbers get 4 significant digits so tooltips stay one line. */
export function tooltipEntry(field: string, rows: readonly Row[], title?: string): Record<string, unknown> {
  const numeric = isNumericField(field, rows);
  const entry: Record<string, unknown> = { field: fieldRef(field), type: numeric ? "quantitative" : "nominal", title: title ?? field };
  if (numeric) entry.format = ".4~g";
  return entry;
}

/** Tooltip list: the plotted fields with their titles, then the extra ones, each field once. */
export function tooltipList(rows: readonly Row[], plotted: readonly (readonly [string, string | undefined])[], extra: readonly string[]): Record<string, unknown>[] {
  const seen = new Set<string>();
  const out: Record<string, unknown>[] = [];
  for (const [field, title] of [...plotted, ...extra.map((f) => [f, undefined] as const)]) {
    if (seen.has(field)) continue;
    seen.add(field);
    out.push(tooltipEntry(field, rows, title));
  }
  return out;
}

/** The outer frame of every spec: schema, optional title, fixed size, shared config. */
export function frame(title: string | undefined, rows: readonly Row[]): VegaLiteSpec {
  const spec: VegaLiteSpec = { $schema: VEGA_LITE_SCHEMA };
  if (title !== undefined) spec.title = title;
  spec.data = { values: rows };
  // Label limits keep the layout the same whatever fonts the viewer has (Vega only estimates
  // text widths when it renders in Node without a canvas).
  spec.config = { axis: { labelLimit: 120 }, legend: { labelLimit: 160 } };
  return spec;
}
