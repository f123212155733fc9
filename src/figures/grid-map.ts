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
 *
 * A reader can move the success threshold: when the rows carry each trial's error (an array per
 * cell, null for a trial with no estimate), the spec recomputes the success rates in the viewer from
 * a slider over log₁₀ ε (a Vega-Lite parameter bound to a range input, ε from 10⁻¹⁰ to 10⁻² by
 * default) and names the threshold in the title. Static renders (SVG, PNG) use the parameter's
 * value, the paper's 10⁻⁶ [P] unless `threshold` says otherwise.
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

export interface RecoveryMapOptions extends Omit<GridMapOptions, "value"> {
  /** Field holding the success fraction in [0, 1]; not needed when `errors` is given (then unused). */
  readonly value?: string;
  /** Field with the number of trials in the cell, shown in the tooltip. */
  readonly trials?: string;
  /** Field with the number of successful trials in the cell, shown in the tooltip. */
  readonly successes?: string;
  /**
   * Field holding each trial's error (an array per cell; null counts as a failure). The map then
   * carries the threshold slider and computes the rates (and the successes and trials of the
   * tooltip) from it, so `value`, `successes` and `trials` are not used. Default: "errors" when the
   * rows have that field (as `successRates` gives them); false draws `value` without a slider.
   */
  readonly errors?: string | false;
  /** Threshold of a static render, and the slider's start (default 1e-6, the paper's [P]). */
  readonly threshold?: number;
  /** Range of the slider in log₁₀ ε (default [−10, −2]). */
  readonly thresholdRange?: readonly [number, number];
}

export interface RegularityMapOptions extends GridMapOptions {
  /**
   * Values below this are zero to rounding: drawn in a colour of their own with a legend entry,
   * off the grey scale. Default 1e-12: a measure that vanishes in exact arithmetic comes out of
   * float64 factorizations at 1e-16 to 1e-14 (notebook 04's p = 1 row, where flat = norm-minimal),
   * and the measures the figures show are 1e-6 and up.
   */
  readonly floor?: number;
}

const MISSING_FILL = "#f2c4c4";
const FLOOR_FILL = "#bcd7ee";

/** Figure 3 style map of a success fraction in [0, 1]: white = 1, black = 0. */
export function recoveryMap(rows: readonly Row[], options: RecoveryMapOptions): VegaLiteSpec {
  const { g, layer, slider } = successCells("recoveryMap", rows, options);
  return assemble(g, [layer], { slider });
}

/**
 * The checked grid and the layer of gray cells of a success map, from a value field or (with the
 * threshold slider) from per-trial errors; `groupExtra` names further per-cell fields the slider's
 * aggregate keeps (cell edges of a transition map).
 */
export function successCells(fn: string, rows: readonly Row[], options: RecoveryMapOptions, groupExtra: readonly string[] = []): { g: Grid; layer: Record<string, unknown>; slider?: ThresholdParts } {
  if (typeof options !== "object" || options === null) fail(fn, "options", "an object with at least x, y and value or errors", options, TypeError);
  const errorsOption = options.errors === false ? undefined : options.errors ?? (Array.isArray(rows?.[0]?.errors) ? "errors" : undefined);
  const g = checkGrid(fn, rows, { ...options, value: options.value ?? errorsOption ?? (undefined as unknown as string) });
  const valueTitle = checkText(fn, "valueTitle", options.valueTitle) ?? "success rate";
  // Figure 3's gray scale runs from black (0) to white (1): Vega's "greys" scheme runs the other way.
  const scale = g.scheme === "greys" ? { domain: [0, 1], range: ["black", "white"] } : { domain: [0, 1], scheme: g.scheme };
  const mark = { type: "rect", stroke: "#999999", strokeWidth: 0.4 };
  if (errorsOption !== undefined) {
    const slider = thresholdSlider(fn, g, errorsOption, options, groupExtra);
    const tooltip = [
      ...tooltipList(g.rows, g.plotted, []),
      { field: SUCCESS_RATE, type: "quantitative", title: valueTitle, format: ".2~f" },
      { field: SUCCESS_COUNT, type: "quantitative", title: "successes" },
      { field: TRIAL_COUNT, type: "quantitative", title: "trials" },
      { field: THRESHOLD, type: "quantitative", title: "threshold ε", format: ".1e" },
      ...g.extra.map((f) => tooltipEntry(f, g.rows)),
    ];
    return { g, slider, layer: { mark, encoding: { color: { field: SUCCESS_RATE, type: "quantitative", title: valueTitle, scale, legend: { format: ".1f" } }, tooltip } } };
  }
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
  const tooltip = tooltipList(g.rows, [...g.plotted, [g.value, valueTitle], ...counts], g.extra);
  return { g, layer: { mark, encoding: { color: { field: fieldRef(g.value), type: "quantitative", title: valueTitle, scale, legend: { format: ".1f" } }, tooltip } } };
}

/** Names of the fields the threshold slider computes (per cell, after the aggregate). */
const SUCCESS_RATE = "success rate at ε", SUCCESS_COUNT = "successes at ε", TRIAL_COUNT = "trials in cell", THRESHOLD = "threshold ε";
/** The Vega-Lite parameter holding log₁₀ ε (what the slider moves). */
export const THRESHOLD_PARAM = "log10_threshold";

export interface ThresholdParts {
  readonly params: Record<string, unknown>[];
  readonly transform: Record<string, unknown>[];
  readonly title: Record<string, unknown>;
}

/**
 * The slider: a parameter over log₁₀ ε bound to a range input, and transforms that flatten each
 * cell's errors, mark a trial a success when its error is below 10^log₁₀ε (null: failure) and
 * average per cell. The title's second line names ε, so a static image says which threshold it shows.
 */
function thresholdSlider(fn: string, g: Grid, errors: string, options: RecoveryMapOptions, groupExtra: readonly string[] = []): ThresholdParts {
  const field = checkField(fn, "errors", errors, g.rows);
  g.rows.forEach((r, i) => {
    const v = r[field];
    const ok = Array.isArray(v) && v.length > 0 && v.every((e) => e === null || (typeof e === "number" && Number.isFinite(e) && e >= 0));
    if (!ok) fail(fn, `rows[${i}].${field}`, "a non-empty array of trial errors (nonnegative finite numbers, or null for a trial without an estimate)", v, Array.isArray(v) ? RangeError : TypeError);
  });
  const threshold = options.threshold === undefined ? 1e-6 : options.threshold;
  if (typeof threshold !== "number" || !(threshold > 0) || !Number.isFinite(threshold)) fail(fn, "threshold", "a positive finite number", threshold);
  const range = options.thresholdRange ?? [-10, -2];
  if (!Array.isArray(range) || range.length !== 2 || !range.every((e) => Number.isInteger(e)) || !(range[0] < range[1])) fail(fn, "thresholdRange", "two increasing integers [min, max] of log₁₀ ε", range);
  const start = Math.log10(threshold);
  if (start < range[0] || start > range[1]) fail(fn, "threshold", `within the slider's range [1e${range[0]}, 1e${range[1]}]`, threshold);
  const e = `datum[${JSON.stringify("flatlab trial error")}]`;
  const groupby = [...new Set([g.facet, g.x, g.y, ...g.extra, ...groupExtra].filter((f): f is string => f !== undefined))];
  const title = checkText(fn, "title", options.title);
  return {
    params: [{ name: THRESHOLD_PARAM, value: start, bind: { input: "range", min: range[0], max: range[1], step: 0.25, name: "success threshold: log₁₀ ε " } }],
    transform: [
      { flatten: [fieldRef(field)], as: ["flatlab trial error"] },
      { calculate: `isValid(${e}) && ${e} < pow(10, ${THRESHOLD_PARAM}) ? 1 : 0`, as: "flatlab trial success" },
      {
        aggregate: [
          { op: "mean", field: "flatlab trial success", as: SUCCESS_RATE },
          { op: "sum", field: "flatlab trial success", as: SUCCESS_COUNT },
          { op: "count", as: TRIAL_COUNT },
        ],
        groupby: groupby.map(fieldRef),
      },
      { calculate: `pow(10, ${THRESHOLD_PARAM})`, as: THRESHOLD },
    ],
    title: { text: { expr: `[${title === undefined ? "" : `${JSON.stringify(title)}, `}'success: error < ' + ${thresholdText(THRESHOLD_PARAM)}]` } },
  };
}

/** A Vega expression writing 10^e in Unicode: "10⁻⁶", or "3.2 × 10⁻⁷" between integer exponents. */
function thresholdText(param: string): string {
  const sup: Record<string, string> = { "-": "⁻", "0": "⁰", "1": "¹", "2": "²", "3": "³", "4": "⁴", "5": "⁵", "6": "⁶", "7": "⁷", "8": "⁸", "9": "⁹" };
  let exponent = `'' + floor(${param})`;
  for (const [from, to] of Object.entries(sup)) exponent = `replace(${exponent}, regexp('${from}', 'g'), '${to}')`;
  const mantissa = `pow(10, ${param} - floor(${param}))`;
  return `(${mantissa} > 1.0001 ? format(${mantissa}, '.2') + ' × ' : '') + '10' + ${exponent}`;
}

/**
 * Figure 4 style map of log10 of a nonnegative quantity (values below `floor` drawn at it); null or
 * missing values mark skipped cells.
 */
export function regularityMap(rows: readonly Row[], options: RegularityMapOptions): VegaLiteSpec {
  const fn = "regularityMap";
  const g = checkGrid(fn, rows, options);
  checkNumericField(fn, "value", g.value, g.rows, { nonnegative: true, allowMissing: true });
  const floor = options.floor ?? 1e-12;
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
  return assemble(g, layers, { colorScales: "independent" });
}

export interface Grid {
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

export function gridAxis(field: string, title: string, rows: readonly Row[], sort: "ascending" | "descending"): Record<string, unknown> {
  const axis: Record<string, unknown> = { title, labelAngle: 0 };
  // Grid values such as 0.15000000000000002 print as 0.15.
  if (isNumericField(field, rows)) Object.assign(axis, { format: "~g", formatType: "number" });
  return { field: fieldRef(field), type: "ordinal", sort, axis };
}

function assemble(g: Grid, layers: Record<string, unknown>[], opts: { slider?: ThresholdParts; colorScales?: "shared" | "independent" } = {}): VegaLiteSpec {
  const { slider, colorScales = "shared" } = opts;
  const inner: Record<string, unknown> = {
    width: g.width,
    height: g.height,
    encoding: { x: gridAxis(g.x, g.xTitle, g.rows, "ascending"), y: gridAxis(g.y, g.yTitle, g.rows, "descending") },
    layer: layers,
  };
  const outer = frame(g.title, g.rows);
  if (slider !== undefined) {
    // The plain title stays in `description` (text/plain, the HTML page's title); the drawn one adds ε.
    if (g.title !== undefined) outer.description = g.title;
    Object.assign(outer, { title: slider.title, params: slider.params, transform: slider.transform });
  }
  if (g.facet === undefined) return { ...outer, ...inner };
  return {
    ...outer,
    facet: { column: { field: fieldRef(g.facet), type: "nominal", title: null, sort: g.facetOrder, header: { labelFontSize: 13 } } },
    spec: inner,
    resolve: { scale: { color: colorScales, fill: "shared" } },
  };
}
