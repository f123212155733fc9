/**
 * Scatter and line plots of one quantity against another, with an optional marked point. The
 * first notebook (paper Section 2, Lemmas 2.1 and 2.2 [P]) plots the scaled Hessian trace
 * against the imbalance ‖LᵀL − RᵀR‖_F along the minimizer set and marks the balanced point,
 * where the trace is smallest; later notebooks draw one line per series (a color field).
 */
import { fail } from "../util/validate.js";
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
  tooltipList,
} from "./spec.js";

/** Rows to draw on top of the others, for example the balanced point. */
export interface Highlight {
  /** A boolean field of the rows, or a predicate on a row and its index. */
  readonly where: string | ((row: Row, index: number) => boolean);
  /** Text written next to each marked point (none by default). */
  readonly label?: string;
}

export interface XYPlotOptions extends FigureOptions {
  /** Field on the horizontal axis (numbers). */
  readonly x: string;
  /** Field on the vertical axis (numbers). */
  readonly y: string;
  /** Field that splits the rows into series, one color each; one series by default. */
  readonly color?: string;
  readonly xTitle?: string;
  readonly yTitle?: string;
  readonly colorTitle?: string;
  /** Log scale on x (every x must then be positive); linear by default. */
  readonly logX?: boolean;
  /** Log scale on y (every y must then be positive); linear by default. */
  readonly logY?: boolean;
  /** Rows marked by a red diamond (and a label) on top of the plot. */
  readonly highlight?: Highlight;
  /** Series order in the legend (values of the color field); by default the order they first appear in. */
  readonly seriesOrder?: readonly (string | number)[];
  /**
   * Values of the color field drawn as dashed reference lines (a bound, a predicted value)
   * instead of data marks, sorted by x.
   */
  readonly references?: readonly (string | number)[];
}

const HIGHLIGHT_COLOR = "#d62728";

/**
 * Series are told apart by more than colour (issue 14): the Okabe–Ito palette, which stays
 * distinct under the common colour-vision deficiencies, plus a shape (points) or a dash pattern
 * (lines) per series, so two series drawn on the same values both stay visible.
 */
export const SERIES_COLORS = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#000000", "#F0E442"];
const SERIES_SHAPES = ["circle", "square", "triangle-up", "diamond", "cross", "triangle-down", "triangle-right", "triangle-left"];
const SERIES_DASHES = [[1, 0], [7, 3], [2, 2], [9, 3, 2, 3], [4, 4], [12, 4], [1, 3], [6, 2, 1, 2]];
const REFERENCE_DASHES = [[6, 4], [2, 3], [10, 3, 2, 3]];

/**
 * Points, one per row; rows already carry the numbers (nothing is computed here). With a color
 * field, each series has its own colour and shape, and the smaller series are drawn on top, so
 * a short series is never buried under a long one.
 */
export function scatterPlot(rows: readonly Row[], options: XYPlotOptions): VegaLiteSpec {
  return xyPlot("scatterPlot", rows, options, "point");
}

/** Lines through the points (sorted by x), one line per value of the color field, each with its own dash and point shape. */
export function linePlot(rows: readonly Row[], options: XYPlotOptions): VegaLiteSpec {
  return xyPlot("linePlot", rows, options, "line");
}

function xyPlot(fn: string, rowsIn: readonly Row[], options: XYPlotOptions, kind: "point" | "line"): VegaLiteSpec {
  if (typeof options !== "object" || options === null) fail(fn, "options", "an object with at least x and y", options, TypeError);
  let rows = checkRows(fn, rowsIn, options.maxRows);
  const x = checkField(fn, "x", options.x, rows);
  const y = checkField(fn, "y", options.y, rows);
  const logX = checkFlag(fn, "logX", options.logX);
  const logY = checkFlag(fn, "logY", options.logY);
  checkNumericField(fn, "x", x, rows, { positive: logX });
  checkNumericField(fn, "y", y, rows, { positive: logY });
  const color = options.color === undefined ? undefined : checkField(fn, "color", options.color, rows);
  const extra = checkFields(fn, "tooltip", options.tooltip, rows);
  const title = checkText(fn, "title", options.title);
  const xTitle = checkText(fn, "xTitle", options.xTitle) ?? x;
  const yTitle = checkText(fn, "yTitle", options.yTitle) ?? y;
  const colorTitle = checkText(fn, "colorTitle", options.colorTitle) ?? color;

  const plotted: [string, string | undefined][] = [[x, xTitle], [y, yTitle]];
  if (color !== undefined) plotted.push([color, colorTitle]);
  const tooltip = tooltipList(rows, plotted, extra);

  const series = color === undefined ? [] : seriesDomain(fn, rows, color, options.seriesOrder);
  const references = color === undefined ? [] : checkReferences(fn, options.references, series);
  if (color !== undefined && kind === "point") {
    // Larger series first, so the smaller ones are drawn over them.
    const size = new Map(series.map((v) => [v, rows.filter((r) => r[color] === v).length]));
    const sizeOf = (r: Row) => size.get(r[color] as string | number)!;
    rows = rows.map((r, i) => ({ r, i })).sort((a, b) => sizeOf(b.r) - sizeOf(a.r) || a.i - b.i).map((e) => e.r);
  }

  const encoding: Record<string, unknown> = { tooltip };
  const layer: Record<string, unknown>[] = [];
  if (color === undefined) {
    layer.push({ mark: kind === "point" ? { type: "point", filled: true, size: 45, opacity: 0.8, color: SERIES_COLORS[0] } : { type: "line", strokeWidth: 1.5, color: SERIES_COLORS[0], point: { filled: true, size: 30, color: SERIES_COLORS[0] } }, encoding });
  } else {
    // Nominal, with the domain in series order: the colours are explicit, and Vega-Lite warns
    // that a shape or dash encoding of an ordinal field suggests an order it cannot show.
    const domain = series.filter((v) => !references.includes(v));
    const channel = (range: readonly unknown[], legend: Record<string, unknown> | null) => ({
      field: fieldRef(color), type: "nominal", title: colorTitle, scale: { domain, range: domain.map((_, i) => range[i % range.length]) }, legend,
    });
    const legend = legendFor(series, colorTitle);
    const data: { transform?: Record<string, unknown>[] } = references.length === 0 ? {} : { transform: [{ filter: { not: { field: fieldRef(color), oneOf: references } } }] };
    if (domain.length > 0 && kind === "point") {
      // The first series filled, the others hollow: two series on the same point both show
      // (notebook 02's flat and norm-minimal factors differ by 1e-4).
      const pointEncoding = { ...encoding, color: channel(SERIES_COLORS, legend), shape: channel(SERIES_SHAPES, legend) };
      const first = { filter: { field: fieldRef(color), equal: domain[0] } };
      layer.push({ transform: [first], mark: { type: "point", filled: true, size: 55, opacity: 0.8 }, encoding: pointEncoding });
      if (domain.length > 1) {
        layer.push({ ...data, transform: [...(data.transform ?? []), { filter: { not: first.filter } }], mark: { type: "point", filled: false, size: 55, strokeWidth: 1.6, opacity: 0.9 }, encoding: pointEncoding });
      }
    } else if (domain.length > 0) {
      // Earlier series are drawn wider, so a later one on the same values leaves them visible
      // on both sides (depth k = 3 and k = 4 coincide in notebook 07).
      // One layer per series, in legend order (scales are shared across layers).
      const lines = domain.map((v, i) => ({
        transform: [{ filter: { field: fieldRef(color), equal: v } }],
        mark: { type: "line", strokeWidth: Math.max(1.5, 4 - 1.1 * i), point: { filled: true, size: 30 } },
        encoding: { ...encoding, color: channel(SERIES_COLORS, { ...legend, symbolType: "stroke" }), strokeDash: channel(SERIES_DASHES, { ...legend, symbolType: "stroke" }) },
      }));
      // With reference lines, the series share one dash scale in a layer of their own, and the
      // references get an independent one (below): one shared scale would merge the two domains
      // and draw the references solid, with a second legend of every name (notebook 08). Colour
      // is made independent too, so the series' colour and dash legends still merge into one.
      if (references.length === 0) layer.push(...lines);
      else layer.push({ layer: lines });
    }
    if (references.length > 0) {
      // Reference lines have a legend of their own: dark dashed strokes, not data symbols.
      layer.push({
        transform: [{ filter: { field: fieldRef(color), oneOf: references } }],
        mark: { type: "line", strokeWidth: 1.8, color: "#444444" },
        encoding: {
          strokeDash: { field: fieldRef(color), type: "nominal", title: null, scale: { domain: references, range: references.map((_, i) => REFERENCE_DASHES[i % REFERENCE_DASHES.length]) }, legend: { ...legendFor(references, undefined), symbolType: "stroke", symbolStrokeColor: "#444444" } },
          order: { field: fieldRef(x), type: "quantitative" },
          tooltip,
        },
      });
    }
  }
  if (options.highlight !== undefined) layer.push(...highlightLayers(fn, rows, options.highlight, tooltip));

  const spec: VegaLiteSpec = {
    ...frame(title, rows),
    width: checkSize(fn, "width", options.width, 420),
    height: checkSize(fn, "height", options.height, 300),
    encoding: {
      x: positional(x, xTitle, logX),
      y: positional(y, yTitle, logY),
    },
    layer,
    ...(kind === "line" && references.length > 0 ? { resolve: { scale: { color: "independent", strokeDash: "independent" } } } : {}),
  };
  return spec;
}

/** The color field's values in legend order: `order` if given (it must list each one), else first appearance. */
function seriesDomain(fn: string, rows: readonly Row[], field: string, order: readonly (string | number)[] | undefined): (string | number)[] {
  const appearing = [...new Set(rows.map((r) => r[field]))] as (string | number)[];
  if (order === undefined) return appearing;
  if (!Array.isArray(order)) fail(fn, "seriesOrder", "an array of values of the color field", order, TypeError);
  const missing = appearing.filter((v) => !order.includes(v));
  if (missing.length > 0) throw new RangeError(`${fn}: seriesOrder must list every value of ${JSON.stringify(field)}; missing ${missing.map((v) => JSON.stringify(v)).join(", ")}.`);
  return order.filter((v) => appearing.includes(v));
}

function checkReferences(fn: string, references: unknown, series: readonly (string | number)[]): (string | number)[] {
  if (references === undefined) return [];
  if (!Array.isArray(references)) fail(fn, "references", "an array of values of the color field", references, TypeError);
  const unknown = references.filter((v) => !series.includes(v));
  if (unknown.length > 0) throw new RangeError(`${fn}: references must name series of the color field (${series.map((v) => JSON.stringify(v)).join(", ")}); received ${unknown.map((v) => JSON.stringify(v)).join(", ")}.`);
  return [...references];
}

/** Long labels go under the plot, one per line, never cut. */
function legendFor(domain: readonly (string | number)[], title: string | undefined): Record<string, unknown> {
  const longest = Math.max(...domain.map((v) => String(v).length), (title ?? "").length);
  return longest > 28 ? { orient: "bottom", direction: "vertical", labelLimit: 0 } : { labelLimit: 0 };
}

function positional(field: string, title: string, log: boolean): Record<string, unknown> {
  // zero: false, because traces and errors live far from 0 and a forced 0 squeezes them flat;
  // padding keeps points at the ends of the domain (often the marked one) off the axes.
  return { field: fieldRef(field), type: "quantitative", title, scale: log ? { type: "log", padding: 8, nice: false } : { zero: false, padding: 8, nice: false } };
}

function checkFlag(fn: string, arg: string, value: unknown): boolean {
  if (value !== undefined && typeof value !== "boolean") fail(fn, arg, "a boolean", value, TypeError);
  return value === true;
}

function highlightLayers(fn: string, rows: readonly Row[], highlight: Highlight, tooltip: readonly Record<string, unknown>[]): Record<string, unknown>[] {
  if (typeof highlight !== "object" || highlight === null) fail(fn, "highlight", "an object {where, label?}", highlight, TypeError);
  const { where } = highlight;
  const label = checkText(fn, "highlight.label", highlight.label);
  let marked: Row[];
  if (typeof where === "function") {
    marked = rows.filter((r, i) => where(r, i) === true);
  } else if (typeof where === "string") {
    checkField(fn, "highlight.where", where, rows);
    marked = rows.filter((r) => r[where] === true);
  } else {
    fail(fn, "highlight.where", "a boolean field name or a predicate (row, index) => boolean", where, TypeError);
  }
  if (marked.length === 0) {
    throw new RangeError(`${fn}: highlight.where must select at least one row; it selected none of ${rows.length}.`);
  }
  const layers: Record<string, unknown>[] = [
    {
      data: { values: marked },
      mark: { type: "point", shape: "diamond", size: 170, filled: true, color: HIGHLIGHT_COLOR, stroke: "black", strokeWidth: 0.6 },
      encoding: { tooltip },
    },
  ];
  if (label !== undefined) {
    layers.push({
      data: { values: marked },
      mark: { type: "text", align: "left", baseline: "bottom", dx: 8, dy: -6, fontWeight: "bold", color: HIGHLIGHT_COLOR },
      encoding: { text: { value: label }, tooltip },
    });
  }
  return layers;
}
