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
  isNumericField,
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
}

const HIGHLIGHT_COLOR = "#d62728";

/** Points, one per row; rows already carry the numbers (nothing is computed here). */
export function scatterPlot(rows: readonly Row[], options: XYPlotOptions): VegaLiteSpec {
  return xyPlot("scatterPlot", rows, options, { type: "point", filled: true, size: 45, opacity: 0.85 });
}

/** Lines through the points (sorted by x), one line per value of the color field. */
export function linePlot(rows: readonly Row[], options: XYPlotOptions): VegaLiteSpec {
  return xyPlot("linePlot", rows, options, { type: "line", strokeWidth: 1.5, point: { filled: true, size: 30 } });
}

function xyPlot(fn: string, rowsIn: readonly Row[], options: XYPlotOptions, mark: Record<string, unknown>): VegaLiteSpec {
  if (typeof options !== "object" || options === null) fail(fn, "options", "an object with at least x and y", options, TypeError);
  const rows = checkRows(fn, rowsIn, options.maxRows);
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

  const base: Record<string, unknown> = { mark, encoding: { tooltip } };
  if (color !== undefined) {
    // Numeric series keys (d = 10, 20, ...) read best on an ordered scheme, names on categories.
    (base.encoding as Record<string, unknown>).color = {
      field: fieldRef(color),
      type: isNumericField(color, rows) ? "ordinal" : "nominal",
      title: colorTitle,
    };
  }
  const layer: Record<string, unknown>[] = [base];
  if (options.highlight !== undefined) layer.push(...highlightLayers(fn, rows, options.highlight, tooltip));

  return {
    ...frame(title, rows),
    width: checkSize(fn, "width", options.width, 420),
    height: checkSize(fn, "height", options.height, 300),
    encoding: {
      x: positional(x, xTitle, logX),
      y: positional(y, yTitle, logY),
    },
    layer,
  };
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
