/**
 * Heatmaps over an experiment grid, one cell per (x, y) grid point, optionally one panel per
 * method side by side (a column facet).
 *
 * - `recoveryMap`: paper Figure 3 [P]: empirical probability of exact recovery over a grid of
 *   (d, m), or (d, p) for completion, in gray scale with white = success 1 and black = 0.
 *   Whether the paper puts "flat" and "plain nuclear norm" side by side is [I]; we do.
 * - `regularityMap`: paper Figure 4 [P + NF]: a regularity measure of the flat solutions (near
 *   norm-minimality, near balancedness) in log₁₀ scale. The colour map is [NF]; our choice is
 *   the same gray scale with white = small (more regular), so "white = good" in both figures.
 *   Each panel has its own colour scale (the measures differ by orders of magnitude, issue 14).
 *   Cells without a value (the paper skips grid points where D₁ or D₂ is singular) are drawn
 *   pale red and values below the floor (exact zeros) pale blue, both named in a legend and
 *   kept off the grey scale, so neither is mistaken for a measured value nor stretches the scale.
 *
 * Which quantity is on the horizontal axis is [NF]; the caller chooses x and y. Grid values are
 * placed as ordered categories (equal cells whatever the spacing), y increasing upward.
 */
import { checkOneOf, fail } from "../util/validate.js";
import {
  type FigureOptions,
  type Row,
  type VegaLiteSpec,
  checkField,
  checkFields,
  checkNumericField,
  checkRows,
  checkSize,
  checkText,
  fieldRef,
  frame,
  isNumericField,
  tooltipEntry,
  tooltipList,
} from "./spec.js";

export const GRID_MAP_SCHEMES = ["greys", "viridis", "magma"] as const;
export type GridMapScheme = (typeof GRID_MAP_SCHEMES)[number];

export interface GridMapOptions extends FigureOptions {
  /** Grid field on the horizontal axis (for example "d"). */
  readonly x: string;
  /** Grid field on the vertical axis (for example "m" or "p"), increasing upward. */
  readonly y: string;
  /** Field holding the cell's value. */
  readonly value: string;
  /** Field whose values become side-by-side panels (for example "method"). */
  readonly facet?: string;
  /** Panel order; by default the order in which values first appear in the rows. */
  readonly facetOrder?: readonly string[];
  readonly xTitle?: string;
  readonly yTitle?: string;
  readonly valueTitle?: string;
  /** Colour map; "greys" by default (see the file comment for its direction). */
  readonly scheme?: GridMapScheme;
}

export interface RecoveryMapOptions extends GridMapOptions {
  /** Field with the number of trials in the cell, shown in the tooltip. */
  readonly trials?: string;
  /** Field with the number of successful trials in the cell, shown in the tooltip. */
  readonly successes?: string;
}

export interface RegularityMapOptions extends GridMapOptions {
  /**
   * Values below this (exact zeros included: a measure can vanish to the last bit) are drawn at
   * it, and the legend says so; default 1e-16, about float64 rounding.
   */
  readonly floor?: number;
}

const MISSING_FILL = "#f2c4c4";
const FLOOR_FILL = "#bcd7ee";

/** Figure 3 style map of a success fraction in [0, 1]: white = 1, black = 0. */
export function recoveryMap(rows: readonly Row[], options: RecoveryMapOptions): VegaLiteSpec {
  const fn = "recoveryMap";
  const g = checkGrid(fn, rows, options);
  checkNumericField(fn, "value", g.value, g.rows);
  g.rows.forEach((r, i) => {
    const v = r[g.value] as number;
    if (v < 0 || v > 1) throw new RangeError(`${fn}: value field ${JSON.stringify(g.value)} must hold a success fraction in [0, 1] in every row; received ${v} in rows[${i}].`);
  });
  const counts: [string, string | undefined][] = [];
  for (const arg of ["successes", "trials"] as const) {
    if (options[arg] === undefined) continue;
    const f = checkField(fn, arg, options[arg], g.rows);
    checkNumericField(fn, arg, f, g.rows);
    counts.push([f, arg]);
  }
  const valueTitle = checkText(fn, "valueTitle", options.valueTitle) ?? "success rate";
  // Figure 3's gray scale runs from black (0) to white (1): Vega's "greys" scheme runs the other way.
  const scale = g.scheme === "greys" ? { domain: [0, 1], range: ["black", "white"] } : { domain: [0, 1], scheme: g.scheme };
  const tooltip = tooltipList(g.rows, [...g.plotted, [g.value, valueTitle], ...counts], g.extra);
  const cells = {
    mark: { type: "rect", stroke: "#999999", strokeWidth: 0.4 },
    encoding: { color: { field: fieldRef(g.value), type: "quantitative", title: valueTitle, scale, legend: { format: ".1f" } }, tooltip },
  };
  return assemble(g, [cells]);
}

/**
 * Figure 4 style map of log10 of a nonnegative quantity (values below `floor` drawn at it); null or
 * missing values mark skipped cells.
 */
export function regularityMap(rows: readonly Row[], options: RegularityMapOptions): VegaLiteSpec {
  const fn = "regularityMap";
  const g = checkGrid(fn, rows, options);
  checkNumericField(fn, "value", g.value, g.rows, { nonnegative: true, allowMissing: true });
  const floor = options.floor ?? 1e-16;
  if (typeof floor !== "number" || !(floor > 0) || !Number.isFinite(floor)) throw new RangeError(`${fn}: floor must be a positive finite number; received ${String(floor)}.`);
  const valueTitle = checkText(fn, "valueTitle", options.valueTitle) ?? g.value;
  const logTitle = `log₁₀ ${valueTitle}`;
  const ref = `datum[${JSON.stringify(g.value)}]`;
  const scale = g.scheme === "greys" ? { range: ["white", "black"] } : { scheme: g.scheme };
  const measured = `isValid(${ref}) && ${ref} >= ${floor}`;
  const present = {
    transform: [{ filter: measured }, { calculate: `log(${ref}) / LN10`, as: "log10_value" }],
    mark: { type: "rect", stroke: "#999999", strokeWidth: 0.4 },
    encoding: {
      color: { field: "log10_value", type: "quantitative", title: logTitle, scale, legend: { format: ".1f" } },
      tooltip: [
        ...tooltipList(g.rows, [...g.plotted, [g.value, valueTitle]], []),
        { field: "log10_value", type: "quantitative", title: logTitle, format: ".3~f" },
        ...g.extra.filter((f) => f !== g.value).map((f) => tooltipEntry(f, g.rows)),
      ],
    },
  };
  const layers: Record<string, unknown>[] = [present];
  const status: [string, string, string][] = [];
  if (g.rows.some((r) => r[g.value] === null || r[g.value] === undefined)) status.push([`!isValid(${ref})`, "no usable trial", MISSING_FILL]);
  if (g.rows.some((r) => typeof r[g.value] === "number" && (r[g.value] as number) < floor)) status.push([`isValid(${ref}) && ${ref} < ${floor}`, `below ${floor} (zero to rounding)`, FLOOR_FILL]);
  if (status.length > 0) {
    // A nominal fill scale of its own, so these cells get legend entries without joining the grey scale.
    layers.push({
      transform: [{ calculate: status.map(([test, label]) => `${test} ? ${JSON.stringify(label)} : `).join("") + "null", as: "status" }, { filter: "datum.status !== null" }],
      mark: { type: "rect", stroke: "#999999", strokeWidth: 0.4 },
      encoding: {
        fill: { field: "status", type: "nominal", title: null, scale: { domain: status.map((s) => s[1]), range: status.map((s) => s[2]) }, legend: { orient: "bottom", labelLimit: 0 } },
        tooltip: [...tooltipList(g.rows, [...g.plotted, [g.value, valueTitle]], []), { field: "status", type: "nominal", title: "cell" }],
      },
    });
  }
  return assemble(g, layers, "independent");
}

interface Grid {
  readonly fn: string;
  readonly rows: Row[];
  readonly x: string;
  readonly y: string;
  readonly value: string;
  readonly facet?: string;
  readonly facetOrder?: readonly unknown[];
  readonly title?: string;
  readonly xTitle: string;
  readonly yTitle: string;
  readonly width: number;
  readonly height: number;
  readonly scheme: GridMapScheme;
  readonly plotted: [string, string | undefined][];
  readonly extra: string[];
}

function checkGrid(fn: string, rowsIn: readonly Row[], options: GridMapOptions): Grid {
  if (typeof options !== "object" || options === null) fail(fn, "options", "an object with at least x, y and value", options, TypeError);
  const rows = checkRows(fn, rowsIn, options.maxRows);
  const x = checkField(fn, "x", options.x, rows);
  const y = checkField(fn, "y", options.y, rows);
  const value = checkField(fn, "value", options.value, rows);
  const facet = options.facet === undefined ? undefined : checkField(fn, "facet", options.facet, rows);
  const xTitle = checkText(fn, "xTitle", options.xTitle) ?? x;
  const yTitle = checkText(fn, "yTitle", options.yTitle) ?? y;
  const scheme = options.scheme === undefined ? "greys" : checkOneOf(fn, "scheme", options.scheme, GRID_MAP_SCHEMES);

  // One row per cell: a duplicate would be drawn under the other and silently hidden.
  const seen = new Map<string, number>();
  rows.forEach((r, i) => {
    const key = JSON.stringify([facet === undefined ? null : r[facet], r[x], r[y]]);
    const first = seen.get(key);
    if (first !== undefined) {
      throw new RangeError(`${fn}: rows must hold one row per ${facet === undefined ? "" : "(facet, x, y) "}cell; rows[${first}] and rows[${i}] are both at ${key}.`);
    }
    seen.set(key, i);
  });

  let facetOrder: unknown[] | undefined;
  if (facet !== undefined) {
    const appearing = [...new Set(rows.map((r) => r[facet]))];
    if (options.facetOrder === undefined) facetOrder = appearing;
    else {
      if (!Array.isArray(options.facetOrder)) fail(fn, "facetOrder", "an array of facet values", options.facetOrder, TypeError);
      const missing = appearing.filter((v) => !options.facetOrder!.includes(v as string));
      if (missing.length > 0) {
        throw new RangeError(`${fn}: facetOrder must list every value of ${JSON.stringify(facet)}; missing ${missing.map((v) => JSON.stringify(v)).join(", ")}.`);
      }
      facetOrder = [...options.facetOrder];
    }
  }
  const plotted: [string, string | undefined][] = [[x, xTitle], [y, yTitle]];
  if (facet !== undefined) plotted.push([facet, facet]);
  return {
    fn,
    rows,
    x,
    y,
    value,
    facet,
    facetOrder,
    title: checkText(fn, "title", options.title),
    xTitle,
    yTitle,
    width: checkSize(fn, "width", options.width, 260),
    height: checkSize(fn, "height", options.height, 220),
    scheme,
    plotted,
    extra: checkFields(fn, "tooltip", options.tooltip, rows),
  };
}

function gridAxis(field: string, title: string, rows: readonly Row[], sort: "ascending" | "descending"): Record<string, unknown> {
  const axis: Record<string, unknown> = { title, labelAngle: 0 };
  // Grid values such as 0.15000000000000002 print as 0.15.
  if (isNumericField(field, rows)) Object.assign(axis, { format: "~g", formatType: "number" });
  return { field: fieldRef(field), type: "ordinal", sort, axis };
}

function assemble(g: Grid, layers: Record<string, unknown>[], colorScales: "shared" | "independent" = "shared"): VegaLiteSpec {
  const inner: Record<string, unknown> = {
    width: g.width,
    height: g.height,
    encoding: { x: gridAxis(g.x, g.xTitle, g.rows, "ascending"), y: gridAxis(g.y, g.yTitle, g.rows, "descending") },
    layer: layers,
  };
  const outer = frame(g.title, g.rows);
  if (g.facet === undefined) return { ...outer, ...inner };
  return {
    ...outer,
    facet: { column: { field: fieldRef(g.facet), type: "nominal", title: null, sort: g.facetOrder, header: { labelFontSize: 13 } } },
    spec: inner,
    resolve: { scale: { color: colorScales, fill: "shared" } },
  };
}
