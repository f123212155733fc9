import { test } from "node:test";
import assert from "node:assert/strict";
import * as vega from "vega";
import * as vegaLite from "vega-lite";
import { collapsePlot, transitionMap, transitionPlot, type VegaLiteSpec } from "../../src/figures/index.js";
import { figure } from "../../src/display/index.js";
import { assertWellFormed, units } from "./helpers.js";

// Two programs, two d with their own m grids (as in per-d grids around δ), 3 trials per cell.
const delta: Record<number, number> = { 10: 57, 20: 142 };
const cells = ["flat", "plain"].flatMap((program) =>
  [10, 20].flatMap((d) =>
    [0.6, 1, 1.5].map((f) => {
      const m = Math.round(f * delta[d]);
      return { program, d, m, errors: f === 0.6 ? [1e-3, 1e-3, null] : f === 1 ? [1e-9, 5e-7, 1e-3] : [1e-9, 1e-9, 1e-10] };
    }),
  ),
);
const fits = [
  { program: "flat", d: 10, x50: 56, low: 50, high: 62, status: "fitted" },
  { program: "plain", d: 10, x50: 58, low: 52, high: 63, status: "fitted" },
  { program: "flat", d: 20, x50: null, low: 213, high: null, status: "no-successes" },
  { program: "plain", d: 20, x50: null, low: null, high: 85, status: "all-successes" },
];
const references = [{ name: "δ(d), statistical dimension", points: [10, 20].map((d) => ({ x: d, value: delta[d] })) }];

async function viewData(spec: VegaLiteSpec, signal?: [string, number]): Promise<Map<string, Record<string, unknown>[]>> {
  const compiled = vegaLite.compile(spec as never).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: "none" });
  if (signal) view.signal(signal[0], signal[1]);
  await view.runAsync();
  const out = new Map((compiled.data ?? []).map((d) => [d.name as string, view.data(d.name as string) as Record<string, unknown>[]]));
  view.finalize();
  return out;
}

test("transitionMap draws cells from midpoint to midpoint of each column's own m grid, on a log axis by default", async () => {
  const spec = transitionMap(cells, { x: "d", y: "m", facet: "program", fits, references, title: "Map" });
  assertWellFormed(spec);
  const values = (spec.data as { values: Record<string, unknown>[] }).values;
  const column = values.filter((r) => r["flatlab layer"] === "cell" && r.program === "flat" && r.d === 20).map((r) => [r.m, r["cell lower edge"], r["cell upper edge"]]);
  // m = 85, 142, 213: edges at the midpoints, the ends extended by half the gap to their neighbour.
  assert.deepEqual(column, [[85, 56.5, 113.5], [142, 113.5, 177.5], [213, 177.5, 248.5]]);
  const [rects] = units(spec);
  assert.equal(rects.mark, "rect");
  assert.equal((rects.encoding.y.scale as { type: string }).type, "log");
  assert.equal(rects.encoding.y2.field, "cell upper edge");
  assert.equal((transitionMap(cells, { x: "d", y: "m", facet: "program", logY: false }).spec as { layer: { encoding: { y: { scale: { type: string } } } }[] }).layer[0].encoding.y.scale.type, "linear");
});

test("transitionMap puts the reference curve in every panel and each fit in its program's panel, bounds as triangles", () => {
  const spec = transitionMap(cells, { x: "d", y: "m", facet: "program", fits, references });
  const values = (spec.data as { values: Record<string, unknown>[] }).values;
  const refs = values.filter((r) => r["flatlab layer"] === "reference");
  assert.deepEqual(refs.map((r) => [r.program, r.d, r.value]), [["flat", 10, 57], ["flat", 20, 142], ["plain", 10, 57], ["plain", 20, 142]]);
  const overlays = values.filter((r) => r["flatlab layer"] === "fit" || r["flatlab layer"] === "bound").map((r) => [r.program, r.d, r.value, r.series]);
  assert.deepEqual(overlays, [
    ["flat", 10, 56, "m₅₀, fitted (95% interval)"],
    ["plain", 10, 58, "m₅₀, fitted (95% interval)"],
    ["flat", 20, 213, "m₅₀ above the grid (95% lower bound)"],
    ["plain", 20, 85, "m₅₀ below the grid (95% upper bound)"],
  ]);
  const marks = units(spec);
  const line = marks.find((u) => u.mark === "line" && u.encoding.strokeDash !== undefined)!;
  assert.deepEqual((line.encoding.strokeDash.scale as { range: unknown[] }).range[0], [6, 3], "the reference is dashed");
  const points = marks.find((u) => u.mark === "point")!;
  assert.deepEqual((points.encoding.shape.scale as { range: string[] }).range, ["stroke", "diamond", "triangle-up", "triangle-down"]);
  // Only what is drawn enters the legend.
  const noBounds = units(transitionMap(cells, { x: "d", y: "m", facet: "program", fits: fits.slice(0, 2) })).find((u) => u.mark === "point")!;
  assert.deepEqual((noBounds.encoding.shape.scale as { domain: string[] }).domain, ["m₅₀, fitted (95% interval)"]);
});

test("transitionMap carries the threshold slider: the rates at 10⁻⁶ by default and recomputed at another ε", async () => {
  const spec = transitionMap(cells, { x: "d", y: "m", facet: "program", fits, references, title: "Map" });
  assert.equal((spec.params as { name: string; value: number }[])[0].value, -6);
  const rate = async (signal?: [string, number]) => {
    const data = await viewData(spec, signal);
    const rows = [...data.values()].flat().filter((r) => r["success rate at ε"] !== undefined && r.d === 10);
    return [...new Map(rows.map((r) => [r.m, +(r["success rate at ε"] as number).toFixed(12)])).entries()].sort((a, b) => (a[0] as number) - (b[0] as number));
  };
  assert.deepEqual(await rate(), [[34, 0], [57, 0.666666666667], [86, 1]]);
  assert.deepEqual(await rate(["log10_threshold", -2]), [[34, 0.666666666667], [57, 1], [86, 1]]);
  assert.match(await figure(spec).toSVG(), /success: error &lt; 10⁻⁶|success: error < 10⁻⁶/);
});

test("collapsePlot divides m by δ(d), draws one curve per d and dashed guides at m/δ = 1 and rate 1/2", () => {
  const rates = cells.map((c) => ({ ...c, success: c.errors.filter((e) => e !== null && e < 1e-6).length / 3 }));
  const spec = collapsePlot(rates, { x: "m", value: "success", series: "d", facet: "program", reference: (r) => delta[r.d as number] ?? null, title: "Collapse" });
  assertWellFormed(spec);
  const values = (spec.data as { values: Record<string, unknown>[] }).values;
  assert.deepEqual(values.filter((r) => r.program === "flat" && r.d === 20).map((r) => +(r["x / reference"] as number).toFixed(3)), [0.599, 1, 1.5]);
  const [one, half, curves] = units(spec);
  assert.equal(one.mark, "rule");
  assert.deepEqual(one.markDef.strokeDash, [4, 4]);
  assert.equal(half.mark, "rule");
  assert.equal(curves.mark, "line");
  assert.deepEqual((curves.encoding.color.scale as { domain: number[] }).domain, [10, 20], "legend in increasing d");
  assert.throws(() => collapsePlot(rates, { x: "m", value: "success", series: "d", reference: () => -1 }), /collapsePlot: reference\(rows\[0\]\) must be a positive finite number or null; received -1/);
  assert.throws(() => collapsePlot(rates, { x: "m", value: "success", series: "d", reference: () => null }), /collapsePlot: reference must be a function that returns a number for at least one row/);
});

test("transitionPlot draws each program's crossings with intervals side by side and the references as dashed lines", () => {
  const rows = fits.filter((f) => f.x50 !== null);
  const spec = transitionPlot(rows, { x: "d", series: "program", references: [{ name: "degrees of freedom", points: [{ x: 10, value: 36 }, { x: 20, value: 76 }] }], yTitle: "m₅₀" });
  assertWellFormed(spec);
  const values = (spec.data as { values: Record<string, unknown>[] }).values;
  const offsets = values.map((r) => r["x (offset per program)"] as number);
  assert.ok(offsets[0] < 10 && offsets[1] > 10, `programs sit on either side of d = 10: ${offsets}`);
  const marks = units(spec);
  assert.deepEqual(marks.map((u) => u.mark), ["line", "rule", "point"]);
  assert.deepEqual((marks[0].encoding.strokeDash.scale as { range: number[][] }).range, [[6, 3]]);
  assert.throws(() => transitionPlot(rows.map((r) => ({ ...r, x50: -1 })), { x: "d", series: "program", logY: true }), /transitionPlot: logY must be false when a plotted value is ≤ 0/);
});

test("transitionMap names bad fits and references", () => {
  assert.throws(() => transitionMap(cells, { x: "d", y: "m", facet: "program", fits: [{ d: 10, x50: 5, low: 1, high: 9, status: "fitted" }] as never }), /transitionMap: fits\[0\] must be a row with the field "program"/);
  assert.throws(() => transitionMap(cells, { x: "d", y: "m", facet: "program", fits: [{ ...fits[0], x50: NaN }] }), /transitionMap: fits\[0\]\.x50 must be a finite number or null; received NaN/);
  assert.throws(() => transitionMap(cells, { x: "d", y: "m", facet: "program", references: [{ name: "δ", points: [{ x: 10, value: Infinity }] }] }), /transitionMap: references\[0\]\.points\[0\] must be \{x, value\} with finite numbers/);
  assert.throws(() => transitionMap(cells, { x: "d", y: "m", facet: "program", references: [{ name: "δ", points: [{ x: 10, value: -5 }] }], logY: true }), /transitionMap: logY must be false when a cell edge, fit or reference value is ≤ 0/);
});
