/**
 * Phase transitions against theory (issue 12): where the success rate of each program crosses 1/2,
 * set against the statistical dimension δ(d) of the nuclear norm's descent cone (ALMT 2014; see
 * src/theory) or, where no exact threshold is known, against the degrees of freedom.
 *
 * - `transitionMap`: the Figure 3 map on a grid whose y values may differ per column (m spanning
 *   [0.6δ, 1.5δ] at each d): cells drawn from midpoint to midpoint on a linear y axis, a reference
 *   curve (δ(d)) as a dashed line, and the fitted crossing of each panel's program as a diamond with
 *   its 95% interval (a triangle at the bound when the crossing lies beyond the grid). With per-trial
 *   errors it carries recoveryMap's threshold slider.
 * - `collapsePlot`: success rate against m/δ for every d on one plot (one panel per program): the
 *   curves should cross 1/2 near 1 and steepen with d.
 * - `transitionPlot`: fitted crossings with their intervals against d, one marker shape and colour
 *   per program, reference curves (δ(d), degrees of freedom, the line 1 for ratios) as dashed lines.
 *
 * Colours from the Okabe–Ito palette (colour-blind safe); every overlay on the gray map has a
 * white halo so it reads on black and on white cells. Nothing here computes δ or fits anything:
 * rows in, Vega-Lite out.
 */
import { fail } from "../util/validate.js";
import { type RecoveryMapOptions, gridAxis, successCells } from "./grid-map.js";
import {
  type FigureOptions,
  type Row,
  type VegaLiteSpec,
  checkField,
  checkNumericField,
  checkRows,
  checkSize,
  checkText,
  fieldRef,
  frame,
  isNumericField,
  tooltipList,
} from "./spec.js";

/** Okabe and Ito (2008) colours: blue, vermillion, bluish green, reddish purple, orange, sky blue, yellow, black. */
export const OKABE_ITO = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#000000"] as const;
const SHAPES = ["diamond", "circle", "square", "triangle-up", "triangle-down", "cross", "triangle-right", "triangle-left"];
const DASHES = [[6, 3], [2, 2], [8, 3, 2, 3], [1, 0]];
const REFERENCE_COLOR = OKABE_ITO[0], FIT_COLOR = OKABE_ITO[1];

/** A reference curve: one value per x (for example δ at each d). */
export interface ReferenceCurve {
  /** Legend label, for example "δ(d), statistical dimension". */
  readonly name: string;
  readonly points: readonly { readonly x: number; readonly value: number }[];
}

/** Fitted crossings as `fitTransitions` returns them: the x and facet fields, then x50, low, high, status. */
export type FitRow = Readonly<Record<string, unknown>> & {
  readonly x50: number | null;
  readonly low: number | null;
  readonly high: number | null;
  readonly status: string;
};

export interface TransitionMapOptions extends RecoveryMapOptions {
  /** Fitted crossings, one per (facet, x) column; drawn in their program's panel. */
  readonly fits?: readonly FitRow[];
  /** Curves drawn in every panel (the first dashed, later ones with other dashes). */
  readonly references?: readonly ReferenceCurve[];
  /** Name of the crossing in legends and tooltips (default "m₅₀"; "p₅₀" for completion). */
  readonly crossingName?: string;
  /** Legend label of the fitted points (default "m₅₀, fitted (95% interval)"). */
  readonly fitLabel?: string;
  /**
   * Log scale on y (default true when every y is positive): a grid spanning [0.6δ, 1.5δ] at each d
   * then has the same height in every column, from δ = 57 at d = 10 to δ = 920 at d = 100.
   */
  readonly logY?: boolean;
}

const KIND = "flatlab layer", EDGE_LOW = "cell lower edge", EDGE_HIGH = "cell upper edge", SERIES = "series";

/** Figure 3 map with per-column y grids, a reference curve and the fitted crossings. */
export function transitionMap(rows: readonly Row[], options: TransitionMapOptions): VegaLiteSpec {
  const fn = "transitionMap";
  const { g, layer, slider } = successCells(fn, rows, options, [EDGE_LOW, EDGE_HIGH]);
  checkNumericField(fn, "y", g.y, g.rows);
  const cells: Row[] = withEdges(g.rows, g.facet, g.x, g.y).map((r) => ({ ...r, [KIND]: "cell" }));
  const facetValues = g.facet === undefined ? [undefined] : (g.facetOrder as unknown[]);
  const references = checkReferences(fn, options.references);
  const crossing = checkText(fn, "crossingName", options.crossingName) ?? "m₅₀";
  const fitLabel = checkText(fn, "fitLabel", options.fitLabel) ?? `${crossing}, fitted (95% interval)`;
  const aboveLabel = `${crossing} above the grid (95% lower bound)`, belowLabel = `${crossing} below the grid (95% upper bound)`;
  const overlay: Row[] = [];
  references.forEach((ref) => {
    for (const f of facetValues) for (const p of ref.points) overlay.push({ [KIND]: "reference", [SERIES]: ref.name, [g.x]: p.x, value: p.value, ...(g.facet === undefined ? {} : { [g.facet]: f }) });
  });
  for (const [i, f] of checkFits(fn, options.fits, g.x, g.facet).entries()) {
    const base = { [g.x]: f[g.x], ...(g.facet === undefined ? {} : { [g.facet]: f[g.facet] }), status: f.status, low: f.low, high: f.high };
    if (f.x50 !== null) overlay.push({ ...base, [KIND]: "fit", [SERIES]: fitLabel, value: f.x50 });
    else if (f.low !== null && f.high === null) overlay.push({ ...base, [KIND]: "bound", [SERIES]: aboveLabel, value: f.low });
    else if (f.high !== null && f.low === null) overlay.push({ ...base, [KIND]: "bound", [SERIES]: belowLabel, value: f.high });
    else if (f.status !== "not-identifiable") fail(fn, `fits[${i}]`, "a fit with x50, or a one-sided bound (low or high)", f);
  }
  const all: Row[] = [...cells, ...overlay];
  const ys = all.flatMap((r) => [r[EDGE_LOW], r[EDGE_HIGH], r.value, r.low, r.high]).filter((v): v is number => typeof v === "number");
  if (options.logY !== undefined && typeof options.logY !== "boolean") fail(fn, "logY", "a boolean", options.logY, TypeError);
  const logY = options.logY ?? ys.every((v) => v > 0);
  if (logY && ys.some((v) => v <= 0)) fail(fn, "logY", "false when a cell edge, fit or reference value is ≤ 0", true);
  const yScale = { type: logY ? "log" : "linear", domain: [Math.min(...ys), Math.max(...ys)], nice: false, ...(logY ? {} : { zero: false }) };
  const yTitle = g.yTitle;

  // Legend entries in drawing order, only for what is drawn.
  const entries: [string, string, number[], string][] = [
    ...references.map((r, i): [string, string, number[], string] => [r.name, REFERENCE_COLOR, DASHES[i % DASHES.length], "stroke"]),
    [fitLabel, FIT_COLOR, [1, 0], "diamond"],
    [aboveLabel, FIT_COLOR, [1, 0], "triangle-up"],
    [belowLabel, FIT_COLOR, [1, 0], "triangle-down"],
  ];
  const shown = entries.filter(([name]) => overlay.some((r) => r[SERIES] === name));
  const seriesScale = (k: 1 | 2 | 3) => ({ domain: shown.map((e) => e[0]), range: shown.map((e) => e[k]) });
  const legend = {
    stroke: { field: SERIES, type: "nominal", title: null, scale: seriesScale(1), legend: { orient: "bottom", direction: "vertical", symbolStrokeWidth: 2.5 } },
    strokeDash: { field: SERIES, type: "nominal", title: null, scale: seriesScale(2) },
    shape: { field: SERIES, type: "nominal", title: null, scale: seriesScale(3) },
  };
  const x = gridAxis(g.x, g.xTitle, g.rows, "ascending");
  // Log axes label every 1-2-…-9 tick by default; greedy overlap removal keeps them readable.
  const yAxis = { title: yTitle, labelOverlap: "greedy", tickCount: 6 };
  const y = { field: "value", type: "quantitative", axis: yAxis, scale: yScale };
  const only = (kind: string) => ({ filter: `datum[${JSON.stringify(KIND)}] === ${JSON.stringify(kind)}` });
  const fitTooltip = [
    { field: fieldRef(g.x), type: isNumericField(g.x, g.rows) ? "quantitative" : "nominal", title: g.xTitle },
    ...(g.facet === undefined ? [] : [{ field: fieldRef(g.facet), type: "nominal", title: g.facet }]),
    { field: "value", type: "quantitative", title: `${crossing} (or bound)`, format: ".4~g" },
    { field: "low", type: "quantitative", title: "95% interval from", format: ".4~g" },
    { field: "high", type: "quantitative", title: "95% interval to", format: ".4~g" },
    { field: "status", type: "nominal", title: "fit" },
  ];
  const halo = { stroke: "white", strokeOpacity: 0.85 };
  const layers: Record<string, unknown>[] = [
    {
      ...layer,
      transform: [only("cell"), ...(slider?.transform ?? [])],
      encoding: { ...(layer.encoding as object), x, y: { field: EDGE_LOW, type: "quantitative", axis: yAxis, scale: yScale }, y2: { field: EDGE_HIGH } },
    },
  ];
  if (references.length > 0) {
    const tooltip = [{ field: SERIES, title: "curve" }, { field: fieldRef(g.x), title: g.xTitle }, { field: "value", title: "value", format: ".4~g" }];
    layers.push(
      { transform: [only("reference")], mark: { type: "line", strokeWidth: 5, ...halo }, encoding: { x, y, detail: { field: SERIES }, tooltip } },
      { transform: [only("reference")], mark: { type: "line", strokeWidth: 2.5 }, encoding: { x, y, stroke: legend.stroke, strokeDash: legend.strokeDash, tooltip } },
    );
  }
  const intervals = { filter: `datum[${JSON.stringify(KIND)}] === "fit" && isValid(datum.low) && isValid(datum.high)` };
  layers.push(
    { transform: [intervals], mark: { type: "rule", strokeWidth: 6, ...halo }, encoding: { x, y: { field: "low", type: "quantitative", scale: yScale, axis: yAxis }, y2: { field: "high" }, tooltip: fitTooltip } },
    { transform: [intervals], mark: { type: "rule", strokeWidth: 3, color: FIT_COLOR }, encoding: { x, y: { field: "low", type: "quantitative", scale: yScale, axis: yAxis }, y2: { field: "high" }, tooltip: fitTooltip } },
    {
      transform: [{ filter: `datum[${JSON.stringify(KIND)}] === "fit" || datum[${JSON.stringify(KIND)}] === "bound"` }],
      mark: { type: "point", filled: true, size: 45, fill: FIT_COLOR, strokeWidth: 1 },
      encoding: { x, y, shape: legend.shape, stroke: legend.stroke, tooltip: fitTooltip },
    },
  );
  const inner: Record<string, unknown> = { width: g.width, height: g.height, layer: layers };
  const spec: VegaLiteSpec = wideFrame(g.title, all);
  if (slider !== undefined) {
    if (g.title !== undefined) spec.description = g.title;
    Object.assign(spec, { title: slider.title, params: slider.params });
  }
  if (g.facet === undefined) return { ...spec, ...inner };
  return {
    ...spec,
    facet: { column: { field: fieldRef(g.facet), type: "nominal", title: null, sort: g.facetOrder, header: { labelFontSize: 13 } } },
    spec: inner,
    resolve: { scale: { color: "shared" } },
  };
}

export interface CollapsePlotOptions extends FigureOptions {
  /** Grid coordinate (m). */
  readonly x: string;
  /** Success rate in [0, 1]. */
  readonly value: string;
  /** Field whose values become the curves (d). */
  readonly series: string;
  /** Field whose values become panels (the program); none by default. */
  readonly facet?: string;
  /** The divisor of x for each row (δ at the row's d); rows where it returns null are left out. */
  readonly reference: (row: Row) => number | null;
  /** Title of the horizontal axis (default "m/δ"). */
  readonly xTitle?: string;
  readonly yTitle?: string;
  readonly seriesTitle?: string;
}

/** Success rate against x/reference, one curve per series value, dashed rules at x/reference = 1 and rate 1/2. */
export function collapsePlot(rowsIn: readonly Row[], options: CollapsePlotOptions): VegaLiteSpec {
  const fn = "collapsePlot";
  if (typeof options !== "object" || options === null) fail(fn, "options", "an object {x, value, series, reference}", options, TypeError);
  const rows = checkRows(fn, rowsIn, options.maxRows);
  const x = checkField(fn, "x", options.x, rows), value = checkField(fn, "value", options.value, rows), series = checkField(fn, "series", options.series, rows);
  const facet = options.facet === undefined ? undefined : checkField(fn, "facet", options.facet, rows);
  checkNumericField(fn, "x", x, rows);
  checkNumericField(fn, "value", value, rows);
  if (typeof options.reference !== "function") fail(fn, "reference", "a function (row) => positive number or null", options.reference, TypeError);
  const xTitle = checkText(fn, "xTitle", options.xTitle) ?? "m/δ";
  const yTitle = checkText(fn, "yTitle", options.yTitle) ?? "success rate";
  const seriesTitle = checkText(fn, "seriesTitle", options.seriesTitle) ?? series;
  const RATIO = "x / reference";
  const data: Row[] = rows.flatMap((r, i): Row[] => {
    const ref = options.reference(r);
    if (ref === null) return [];
    if (typeof ref !== "number" || !(ref > 0) || !Number.isFinite(ref)) fail(fn, `reference(rows[${i}])`, "a positive finite number or null", ref);
    return [{ ...r, [RATIO]: (r[x] as number) / ref }];
  });
  if (data.length === 0) fail(fn, "reference", "a function that returns a number for at least one row", "null for every row");
  const seriesValues = [...new Set(data.map((r) => r[series]))].sort((a, b) => (typeof a === "number" && typeof b === "number" ? a - b : String(a).localeCompare(String(b))));
  const numeric = isNumericField(series, data);
  const tooltip = tooltipList(data, [[series, seriesTitle], [x, x], [RATIO, xTitle], [value, yTitle], ...(facet ? [[facet, facet] as [string, string]] : [])], []);
  const ordinal = { field: fieldRef(series), type: numeric ? "ordinal" : "nominal", title: seriesTitle, sort: seriesValues };
  const guide = (field: string, value: number, dash: number[], title: string) => ({
    data: { values: [{ [field]: value }] },
    mark: { type: "rule", strokeDash: dash, color: "#777777" },
    encoding: { [field === RATIO ? "x" : "y"]: { field: fieldRef(field), type: "quantitative" }, tooltip: [{ field: fieldRef(field), type: "quantitative", title }] },
  });
  const layers = [
    guide(RATIO, 1, [4, 4], `${xTitle} (theory's transition)`),
    guide(value, 0.5, [2, 3], yTitle),
    {
      mark: { type: "line", strokeWidth: 1.6, opacity: 0.85, point: { filled: true, size: 45 } },
      encoding: {
        x: { field: RATIO, type: "quantitative", title: xTitle, scale: { zero: false, nice: false, padding: 6 } },
        y: { field: fieldRef(value), type: "quantitative", title: yTitle, scale: { domain: [0, 1] } },
        color: { ...ordinal, scale: { scheme: "viridis", domain: seriesValues } },
        shape: { ...ordinal, type: "nominal", scale: { domain: seriesValues, range: SHAPES } },
        order: { field: RATIO },
        tooltip,
      },
    },
  ];
  const inner = { width: checkSize(fn, "width", options.width, 320), height: checkSize(fn, "height", options.height, 240), layer: layers };
  const base = wideFrame(checkText(fn, "title", options.title), data);
  if (facet === undefined) return { ...base, ...inner };
  return { ...base, facet: { column: { field: fieldRef(facet), type: "nominal", title: null, header: { labelFontSize: 13 } } }, spec: inner };
}

export interface TransitionPlotOptions extends FigureOptions {
  /** Field of the fits on the horizontal axis (d). */
  readonly x: string;
  /** Field telling the programs apart (one colour and marker shape each). */
  readonly series: string;
  /** Fields of the crossing and its interval (default "x50", "low", "high"; "ratio", "ratioLow", "ratioHigh" for x₅₀/δ). */
  readonly y?: string;
  readonly low?: string;
  readonly high?: string;
  /** Curves drawn as dashed lines (δ(d), degrees of freedom, the line 1 of a ratio plot). */
  readonly references?: readonly ReferenceCurve[];
  readonly xTitle?: string;
  readonly yTitle?: string;
  readonly seriesTitle?: string;
  /** Log scale on y (every plotted value must then be positive). */
  readonly logY?: boolean;
}

/** Fitted crossings with their intervals against d, per program, with reference curves. */
export function transitionPlot(fitsIn: readonly Row[], options: TransitionPlotOptions): VegaLiteSpec {
  const fn = "transitionPlot";
  if (typeof options !== "object" || options === null) fail(fn, "options", "an object {x, series}", options, TypeError);
  const fits = checkRows(fn, fitsIn, options.maxRows);
  const x = checkField(fn, "x", options.x, fits), series = checkField(fn, "series", options.series, fits);
  const [y, low, high] = (["y", "low", "high"] as const).map((k, i) => checkField(fn, k, options[k] ?? ["x50", "low", "high"][i], fits));
  checkNumericField(fn, "x", x, fits);
  for (const f of [y, low, high]) checkNumericField(fn, f === y ? "y" : f === low ? "low" : "high", f, fits, { allowMissing: true });
  const references = checkReferences(fn, options.references);
  const xTitle = checkText(fn, "xTitle", options.xTitle) ?? x, yTitle = checkText(fn, "yTitle", options.yTitle) ?? y;
  const seriesTitle = checkText(fn, "seriesTitle", options.seriesTitle) ?? series;
  const logY = options.logY === true;
  const programs = [...new Set(fits.map((f) => f[series]))];
  // Programs side by side at each x (an offset of 1% of the x range each), so no interval hides another.
  const xs = fits.map((f) => f[x] as number);
  const span = Math.max(...xs) - Math.min(...xs) || 1;
  const PLOT_X = "x (offset per program)";
  const data: Row[] = fits.filter((f) => typeof f[y] === "number").map((f) => ({ ...f, [PLOT_X]: (f[x] as number) + 0.012 * span * (programs.indexOf(f[series]) - (programs.length - 1) / 2) }));
  const refRows = references.flatMap((ref) => ref.points.map((p) => ({ [x]: p.x, [PLOT_X]: p.x, value: p.value, curve: ref.name })));
  const values = [...data.flatMap((r) => [r[y], r[low], r[high]]), ...refRows.map((r) => r.value)].filter((v): v is number => typeof v === "number");
  if (logY && values.some((v) => v <= 0)) fail(fn, "logY", "false when a plotted value is ≤ 0", true);
  const yScale = logY ? { type: "log", nice: false, padding: 8 } : { zero: false, nice: false, padding: 8, domain: [Math.min(...values), Math.max(...values)] };
  const xEnc = { field: PLOT_X, type: "quantitative", title: xTitle, scale: { zero: false, nice: false, padding: 12 }, axis: { values: [...new Set(xs)].sort((a, b) => a - b) } };
  const colour = { field: fieldRef(series), type: "nominal", title: seriesTitle, scale: { domain: programs, range: OKABE_ITO.slice(1) } };
  const tooltip = tooltipList(data.length ? data : fits, [[series, seriesTitle], [x, xTitle], [y, yTitle], [low, "95% interval from"], [high, "95% interval to"], ...(fits[0].status !== undefined ? [["status", "fit"] as [string, string]] : [])], []);
  const layers: Record<string, unknown>[] = [];
  if (references.length > 0) {
    layers.push({
      data: { values: refRows },
      mark: { type: "line", strokeWidth: 1.8, color: "#444444" },
      encoding: {
        x: xEnc, y: { field: "value", type: "quantitative", title: yTitle, scale: yScale },
        strokeDash: { field: "curve", type: "nominal", title: null, scale: { domain: references.map((r) => r.name), range: references.map((_, i) => DASHES[i % DASHES.length]) }, legend: { orient: "bottom", direction: "vertical", symbolStrokeWidth: 1.8 } },
        tooltip: [{ field: "curve" }, { field: fieldRef(x), title: xTitle }, { field: "value", format: ".4~g" }],
      },
    });
  }
  layers.push(
    { mark: { type: "rule", strokeWidth: 2 }, encoding: { x: xEnc, y: { field: fieldRef(low), type: "quantitative", title: yTitle, scale: yScale }, y2: { field: fieldRef(high) }, color: colour, tooltip } },
    {
      mark: { type: "point", filled: true, size: 90, opacity: 0.9, stroke: "white", strokeWidth: 0.8 },
      encoding: { x: xEnc, y: { field: fieldRef(y), type: "quantitative", title: yTitle, scale: yScale }, color: colour, shape: { field: fieldRef(series), type: "nominal", title: seriesTitle, scale: { domain: programs, range: SHAPES } }, tooltip },
    },
  );
  return {
    ...wideFrame(checkText(fn, "title", options.title), data),
    width: checkSize(fn, "width", options.width, 420),
    height: checkSize(fn, "height", options.height, 300),
    layer: layers,
  };
}

/** The shared frame with room for full legend labels (the curves' names are sentences). */
function wideFrame(title: string | undefined, rows: readonly Row[]): VegaLiteSpec {
  const spec = frame(title, rows);
  const config = spec.config as { legend: Record<string, unknown> };
  config.legend = { ...config.legend, labelLimit: 420 };
  return spec;
}

/** Rows with the lower and upper edge of each cell: midpoints to the neighbours in its column. */
function withEdges(rows: readonly Row[], facet: string | undefined, x: string, y: string): Row[] {
  const columns = new Map<string, number[]>();
  for (const r of rows) {
    const key = JSON.stringify([facet === undefined ? null : r[facet], r[x]]);
    const list = columns.get(key) ?? [];
    list.push(r[y] as number);
    columns.set(key, list);
  }
  for (const list of columns.values()) list.sort((a, b) => a - b);
  return rows.map((r) => {
    const ys = columns.get(JSON.stringify([facet === undefined ? null : r[facet], r[x]])) as number[];
    const i = ys.indexOf(r[y] as number), v = r[y] as number;
    // A lone cell spans ±5% of its value; the ends extend by half the gap to their neighbour.
    const gapBelow = i > 0 ? v - ys[i - 1] : ys.length > 1 ? ys[1] - v : 0.1 * Math.abs(v) || 1;
    const gapAbove = i < ys.length - 1 ? ys[i + 1] - v : ys.length > 1 ? v - ys[i - 1] : 0.1 * Math.abs(v) || 1;
    return { ...r, [EDGE_LOW]: v - gapBelow / 2, [EDGE_HIGH]: v + gapAbove / 2 };
  });
}

function checkReferences(fn: string, refs: unknown): ReferenceCurve[] {
  if (refs === undefined) return [];
  if (!Array.isArray(refs)) fail(fn, "references", "an array of {name, points: [{x, value}]}", refs, TypeError);
  return refs.map((ref, i) => {
    if (typeof ref !== "object" || ref === null || typeof ref.name !== "string" || !Array.isArray(ref.points)) fail(fn, `references[${i}]`, "an object {name, points: [{x, value}]}", ref, TypeError);
    (ref.points as unknown[]).forEach((p, j) => {
      const q = p as { x?: unknown; value?: unknown };
      if (typeof q?.x !== "number" || typeof q.value !== "number" || !Number.isFinite(q.x) || !Number.isFinite(q.value)) fail(fn, `references[${i}].points[${j}]`, "{x, value} with finite numbers", p);
    });
    return ref as ReferenceCurve;
  });
}

function checkFits(fn: string, fits: unknown, x: string, facet: string | undefined): FitRow[] {
  if (fits === undefined) return [];
  if (!Array.isArray(fits)) fail(fn, "fits", "an array of fitTransitions rows", fits, TypeError);
  return fits.map((f, i) => {
    if (typeof f !== "object" || f === null) fail(fn, `fits[${i}]`, "a fitTransitions row", f, TypeError);
    for (const k of [x, ...(facet === undefined ? [] : [facet]), "x50", "low", "high", "status"]) if (!(k in f)) fail(fn, `fits[${i}]`, `a row with the field ${JSON.stringify(k)}`, f);
    for (const k of ["x50", "low", "high"]) if (f[k] !== null && !(typeof f[k] === "number" && Number.isFinite(f[k]))) fail(fn, `fits[${i}].${k}`, "a finite number or null", f[k]);
    return f as FitRow;
  });
}
