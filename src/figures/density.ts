/**
 * Spectral densities of Hessians: a curve sampled on a grid (`densityPlot`, for example the
 * Gaussian-smoothed stochastic Lanczos quadrature density) or a histogram of eigenvalues or of
 * weighted Ritz values (`histogram`). These are extensions of ours for the flatness notebooks;
 * the paper plots no spectrum [NF].
 */
import { checkInteger, fail } from "../util/validate.js";
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

export interface DensityPlotOptions extends FigureOptions {
  /** Field with the grid points (eigenvalue λ). */
  readonly x: string;
  /** Field with the density at each grid point. */
  readonly y: string;
  /** Field splitting rows into curves, one color each. */
  readonly color?: string;
  /** "area" (default for one curve) or "line" (default for several, so curves stay visible). */
  readonly mark?: "area" | "line";
  /** Log scale on the density (values must be positive), to see small outlying eigenvalues. */
  readonly logY?: boolean;
  readonly xTitle?: string;
  readonly yTitle?: string;
  readonly colorTitle?: string;
}

export interface HistogramOptions extends FigureOptions {
  /** Field binned on the horizontal axis (eigenvalues, or Ritz values). */
  readonly x: string;
  /** Field of weights summed per bin (quadrature weights); by default each row counts 1. */
  readonly weight?: string;
  /** Field splitting rows into overlaid histograms, one color each. */
  readonly color?: string;
  /** Upper bound on the number of bins (default 40). */
  readonly maxBins?: number;
  readonly xTitle?: string;
  readonly yTitle?: string;
  readonly colorTitle?: string;
}

/** A density curve (or several), drawn as an area or a line with hover points for tooltips. */
export function densityPlot(rowsIn: readonly Row[], options: DensityPlotOptions): VegaLiteSpec {
  const fn = "densityPlot";
  if (typeof options !== "object" || options === null) fail(fn, "options", "an object with at least x and y", options, TypeError);
  const rows = checkRows(fn, rowsIn, options.maxRows);
  const x = checkField(fn, "x", options.x, rows);
  const y = checkField(fn, "y", options.y, rows);
  const logY = options.logY === true;
  checkNumericField(fn, "x", x, rows);
  checkNumericField(fn, "y", y, rows, { positive: logY });
  const color = options.color === undefined ? undefined : checkField(fn, "color", options.color, rows);
  const markType = options.mark === undefined ? (color === undefined ? "area" : "line") : options.mark;
  if (markType !== "area" && markType !== "line") fail(fn, "mark", `one of "area", "line"`, markType);
  const xTitle = checkText(fn, "xTitle", options.xTitle) ?? x;
  const yTitle = checkText(fn, "yTitle", options.yTitle) ?? y;
  const colorTitle = checkText(fn, "colorTitle", options.colorTitle) ?? color;
  const plotted: [string, string | undefined][] = [[x, xTitle], [y, yTitle]];
  if (color !== undefined) plotted.push([color, colorTitle]);

  // Transparent points along the curve are the hover targets: a tooltip on the area itself
  // would show one arbitrary point of the whole curve.
  const mark = markType === "area" ? { type: "area", line: true, opacity: 0.35, point: "transparent" } : { type: "line", strokeWidth: 1.5, point: "transparent" };
  const encoding: Record<string, unknown> = {
    x: { field: fieldRef(x), type: "quantitative", title: xTitle, scale: { zero: false } },
    // stack: null, so several areas overlap instead of piling up.
    y: { field: fieldRef(y), type: "quantitative", title: yTitle, stack: null, scale: logY ? { type: "log" } : {} },
    tooltip: tooltipList(rows, plotted, checkFields(fn, "tooltip", options.tooltip, rows)),
  };
  if (color !== undefined) encoding.color = { field: fieldRef(color), type: isNumericField(color, rows) ? "ordinal" : "nominal", title: colorTitle };
  return {
    ...frame(checkText(fn, "title", options.title), rows),
    width: checkSize(fn, "width", options.width, 420),
    height: checkSize(fn, "height", options.height, 260),
    mark,
    encoding,
  };
}

/** Bars of counts (or of summed weights) per bin of x. */
export function histogram(rowsIn: readonly Row[], options: HistogramOptions): VegaLiteSpec {
  const fn = "histogram";
  if (typeof options !== "object" || options === null) fail(fn, "options", "an object with at least x", options, TypeError);
  const rows = checkRows(fn, rowsIn, options.maxRows);
  const x = checkField(fn, "x", options.x, rows);
  checkNumericField(fn, "x", x, rows);
  const weight = options.weight === undefined ? undefined : checkField(fn, "weight", options.weight, rows);
  if (weight !== undefined) checkNumericField(fn, "weight", weight, rows);
  const color = options.color === undefined ? undefined : checkField(fn, "color", options.color, rows);
  const maxbins = options.maxBins === undefined ? 40 : checkInteger(fn, "maxBins", options.maxBins, 2, 1000);
  const xTitle = checkText(fn, "xTitle", options.xTitle) ?? x;
  const yTitle = checkText(fn, "yTitle", options.yTitle) ?? (weight === undefined ? "count" : `total ${weight}`);
  const colorTitle = checkText(fn, "colorTitle", options.colorTitle) ?? color;

  const bin = { maxbins };
  const y = weight === undefined ? { aggregate: "count", type: "quantitative", title: yTitle } : { aggregate: "sum", field: fieldRef(weight), type: "quantitative", title: yTitle };
  const tooltip: Record<string, unknown>[] = [
    { field: fieldRef(x), bin, type: "quantitative", title: xTitle, format: ".4~g" },
    { ...y, format: ".4~g" },
  ];
  if (color !== undefined) tooltip.push(tooltipEntry(color, rows, colorTitle));
  const encoding: Record<string, unknown> = {
    x: { field: fieldRef(x), bin, type: "quantitative", title: xTitle },
    // Overlaid (stack: null) rather than stacked, so each histogram keeps its own shape.
    y: { ...y, stack: null },
    tooltip,
  };
  if (color !== undefined) encoding.color = { field: fieldRef(color), type: isNumericField(color, rows) ? "ordinal" : "nominal", title: colorTitle };
  return {
    ...frame(checkText(fn, "title", options.title), rows),
    width: checkSize(fn, "width", options.width, 420),
    height: checkSize(fn, "height", options.height, 260),
    mark: { type: "bar", opacity: color === undefined ? 0.9 : 0.55, binSpacing: 0 },
    encoding,
  };
}
