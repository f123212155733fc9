import { test } from "node:test";
import assert from "node:assert/strict";
import { recoveryMap, regularityMap } from "../../src/figures/index.js";
import { assertWellFormed, units } from "./helpers.js";

const methods = ["flat", "plain nuclear norm"];
const grid = methods.flatMap((method) =>
  [10, 20, 30].flatMap((d) =>
    [0.1, 0.2, 0.30000000000000004].map((p) => {
      const successes = Math.min(10, Math.round(d * p));
      return { method, d, p, rate: successes / 10, successes, trials: 10 };
    }),
  ),
);

test("recoveryMap(rows, {facet}) draws gray rects, white = 1 and black = 0, one column per method", () => {
  const spec = recoveryMap(grid, { x: "d", y: "p", value: "rate", facet: "method", trials: "trials", successes: "successes", title: "Figure 3 (c)" });
  assertWellFormed(spec);
  const facet = spec.facet as { column: { field: string; sort: string[] } };
  assert.equal(facet.column.field, "method");
  assert.deepEqual(facet.column.sort, methods);
  const [cells] = units(spec);
  assert.equal(cells.mark, "rect");
  assert.equal(cells.encoding.x.type, "ordinal");
  assert.equal(cells.encoding.y.sort, "descending", "larger y at the top");
  assert.deepEqual((cells.encoding.color.scale as object), { domain: [0, 1], range: ["black", "white"] });
  const tips = (cells.encoding.tooltip as unknown as { field: string }[]).map((t) => t.field);
  assert.deepEqual(tips, ["d", "p", "method", "rate", "successes", "trials"]);
  // Width and height belong to each panel of a faceted spec.
  assert.equal(typeof (spec.spec as { width: unknown }).width, "number");
  assert.equal((spec.resolve as { scale: { color: string } }).scale.color, "shared");
});

test("recoveryMap without facet is a single unit with fixed size", () => {
  const spec = recoveryMap(grid.filter((r) => r.method === "flat"), { x: "d", y: "p", value: "rate" });
  assertWellFormed(spec);
  assert.equal(spec.facet, undefined);
  assert.equal(typeof spec.width, "number");
  assert.equal(units(spec).length, 1);
});

test("recoveryMap formats numeric grid labels (0.30000000000000004 shows as 0.3)", () => {
  const [cells] = units(recoveryMap(grid, { x: "d", y: "p", value: "rate", facet: "method" }));
  assert.deepEqual(cells.encoding.y.axis, { title: "p", labelAngle: 0, format: "~g", formatType: "number" });
});

test("recoveryMap takes a scheme and facetOrder", () => {
  const spec = recoveryMap(grid, { x: "d", y: "p", value: "rate", facet: "method", facetOrder: ["plain nuclear norm", "flat"], scheme: "viridis" });
  assertWellFormed(spec);
  assert.deepEqual((spec.facet as { column: { sort: string[] } }).column.sort, ["plain nuclear norm", "flat"]);
  assert.deepEqual(units(spec)[0].encoding.color.scale, { domain: [0, 1], scheme: "viridis" });
});

test("recoveryMap names bad input", () => {
  assert.throws(() => recoveryMap(grid.map((r) => ({ ...r, rate: r.rate * 2 })), { x: "d", y: "p", value: "rate", facet: "method" }), /value field "rate" must hold a success fraction in \[0, 1\] in every row; received 1\.2 in rows\[\d+\]/);
  assert.throws(() => recoveryMap(grid, { x: "d", y: "p", value: "rate" }), /rows must hold one row per cell; rows\[0\] and rows\[9\] are both at \[null,10,0\.1\]/);
  assert.throws(() => recoveryMap(grid, { x: "d", y: "p", value: "rate", facet: "method", scheme: "virdis" as never }), /recoveryMap: scheme must be one of "greys", "viridis", "magma"; received "virdis"\./);
  assert.throws(() => recoveryMap(grid, { x: "d", y: "p", value: "rate", facet: "method", facetOrder: ["flat"] }), /facetOrder must list every value of "method"; missing "plain nuclear norm"/);
});

test("regularityMap(rows) colors log10 of the value, one scale per panel, and marks skipped cells apart in a legend", () => {
  const rows = grid.map((r, i) => ({ ...r, gap: i % 4 === 0 ? null : 10 ** -(i % 7) }));
  const spec = regularityMap(rows, { x: "d", y: "p", value: "gap", facet: "method", valueTitle: "norm gap" });
  assertWellFormed(spec);
  const layers = (spec.spec as { layer: { transform: { calculate?: string; filter?: string; as?: string }[] }[] }).layer;
  assert.equal(layers.length, 2, "measured cells and skipped cells");
  assert.equal(layers[0].transform[1].calculate, 'log(datum["gap"]) / LN10');
  const [present, skipped] = units(spec);
  assert.equal(present.mark, "rect");
  assert.equal(present.encoding.color.field, "log10_value");
  assert.equal(present.encoding.color.title, "log₁₀ norm gap");
  assert.equal(skipped.mark, "rect");
  assert.equal(skipped.encoding.color, undefined);
  assert.deepEqual((skipped.encoding.fill as { scale: unknown }).scale, { domain: ["no usable trial"], range: ["#f2c4c4"] });
  // The measures differ by orders of magnitude: each panel gets its own colour scale (issue 14).
  assert.deepEqual(spec.resolve, { scale: { color: "independent", fill: "shared" } });
});

test("regularityMap has no skipped layer when every cell has a value", () => {
  const rows = grid.map((r) => ({ ...r, gap: 1e-3 }));
  const spec = regularityMap(rows, { x: "d", y: "p", value: "gap", facet: "method" });
  assertWellFormed(spec);
  assert.equal(units(spec).length, 1);
});

test("regularityMap keeps values below the floor (exact zeros too) off the grey scale, in a legend entry of their own", () => {
  const rows = grid.map((r, i) => ({ ...r, gap: i === 3 ? 0 : 10 ** -(i % 5) }));
  const spec = regularityMap(rows, { x: "d", y: "p", value: "gap", facet: "method", valueTitle: "norm gap" });
  assertWellFormed(spec);
  const layers = (spec.spec as { layer: { transform: { filter?: string; calculate?: string }[] }[] }).layer;
  assert.equal(layers[0].transform[0].filter, 'isValid(datum["gap"]) && datum["gap"] >= 1e-12', "the grey scale sees measured values only");
  const [, special] = units(spec);
  assert.deepEqual((special.encoding.fill as { scale: { domain: string[] } }).scale.domain, ["below 1e-12 (zero to rounding)"]);
  const other = units(regularityMap(rows, { x: "d", y: "p", value: "gap", facet: "method", floor: 1e-3 }))[1];
  assert.deepEqual((other.encoding.fill as { scale: { domain: string[] } }).scale.domain, ["below 0.001 (zero to rounding)"]);
});

test("regularityMap rejects values that have no log10 and a bad floor", () => {
  assert.throws(() => regularityMap(grid.map((r) => ({ ...r, gap: -1e-3 })), { x: "d", y: "p", value: "gap", facet: "method" }), /value field "gap" must hold a nonnegative finite number \(it is on a log scale\) in every row; received -0\.001 in rows\[0\]/);
  assert.throws(() => regularityMap(grid.map((r) => ({ ...r, gap: 1 })), { x: "d", y: "p", value: "gap", facet: "method", floor: 0 }), /regularityMap: floor must be a positive finite number; received 0\./);
});

const trialRows = methods.flatMap((method) =>
  [10, 20].flatMap((d) => [30, 60].map((m) => ({ method, d, m, errors: [1e-8, 1e-4, d === 10 ? null : 5e-7] }))),
);

test("recoveryMap with per-trial errors carries a log₁₀ ε slider (10⁻¹⁰ … 10⁻², start 10⁻⁶) and recomputes the rates from the errors", () => {
  const spec = recoveryMap(trialRows, { x: "d", y: "m", facet: "method", title: "Map" });
  assertWellFormed(spec);
  assert.deepEqual(spec.params, [{ name: "log10_threshold", value: -6, bind: { input: "range", min: -10, max: -2, step: 0.25, name: "success threshold: log₁₀ ε " } }]);
  const transforms = spec.transform as Record<string, unknown>[];
  assert.deepEqual(transforms[0], { flatten: ["errors"], as: ["flatlab trial error"] });
  assert.match(String(transforms[1].calculate), /isValid\(.*\) && .* < pow\(10, log10_threshold\) \? 1 : 0/);
  assert.equal(spec.description, "Map", "the plain title is kept for text/plain");
  const [cells] = units(spec);
  assert.equal(cells.encoding.color.field, "success rate at ε");
  // Rows from successRates carry both the rate at 10⁻⁶ and the errors: the slider wins unless errors: false.
  const both = trialRows.map((r) => ({ ...r, success: 0.5 }));
  assert.equal(units(recoveryMap(both, { x: "d", y: "m", facet: "method", value: "success" }))[0].encoding.color.field, "success rate at ε");
  assert.equal(units(recoveryMap(both, { x: "d", y: "m", facet: "method", value: "success", errors: false }))[0].encoding.color.field, "success");
  const custom = recoveryMap(trialRows, { x: "d", y: "m", facet: "method", errors: "errors", threshold: 1e-3, thresholdRange: [-8, -1] });
  assert.deepEqual((custom.params as { value: number; bind: { min: number } }[])[0].value, -3);
  assert.equal((custom.params as { bind: { min: number } }[])[0].bind.min, -8);
});

test("recoveryMap's static render with errors shows the rates at 10⁻⁶ and names the threshold in its title", async () => {
  const { figure } = await import("../../src/display/index.js");
  const vega = await import("vega");
  const vegaLite = await import("vega-lite");
  const spec = recoveryMap(trialRows, { x: "d", y: "m", facet: "method", title: "Map" });
  const view = new vega.View(vega.parse(vegaLite.compile(spec as never).spec), { renderer: "none" });
  await view.runAsync();
  const cells = () => (view.data("data_0") as Record<string, unknown>[]).map((r) => [r.d, r.m, +(r["success rate at ε"] as number).toFixed(12), r["successes at ε"], r["trials in cell"]]);
  // At 10⁻⁶: 1e-8 succeeds, 1e-4 fails, 5e-7 succeeds, null fails (both panels hold the same errors).
  assert.deepEqual(cells(), [[10, 30, 0.333333333333, 1, 3], [10, 60, 0.333333333333, 1, 3], [20, 30, 0.666666666667, 2, 3], [20, 60, 0.666666666667, 2, 3]]);
  view.signal("log10_threshold", -7);
  await view.runAsync();
  assert.deepEqual(cells().map((c) => c[3]), [1, 1, 1, 1], "5e-7 fails at 10⁻⁷");
  view.finalize();
  const svg = await figure(spec).toSVG();
  assert.match(svg, /success: error &lt; 10⁻⁶|success: error < 10⁻⁶/);
  assert.equal(String(figure(spec)), 'Figure "Map" (Vega-Lite v5: rect, 8 data rows)');
});

test("recoveryMap names bad per-trial errors and thresholds", () => {
  assert.throws(() => recoveryMap(trialRows.map((r, i) => (i === 2 ? { ...r, errors: [] } : r)), { x: "d", y: "m", facet: "method" }), /recoveryMap: rows\[2\]\.errors must be a non-empty array of trial errors/);
  assert.throws(() => recoveryMap(trialRows.map((r, i) => (i === 1 ? { ...r, errors: [-1] } : r)), { x: "d", y: "m", facet: "method" }), /rows\[1\]\.errors must be a non-empty array of trial errors \(nonnegative finite numbers, or null/);
  assert.throws(() => recoveryMap(trialRows, { x: "d", y: "m", facet: "method", threshold: 0 }), /recoveryMap: threshold must be a positive finite number; received 0\./);
  assert.throws(() => recoveryMap(trialRows, { x: "d", y: "m", facet: "method", threshold: 1 }), /threshold must be within the slider's range \[1e-10, 1e-2\]; received 1\./);
  assert.throws(() => recoveryMap(trialRows, { x: "d", y: "m", facet: "method", thresholdRange: [-2, -10] }), /thresholdRange must be two increasing integers/);
  assert.throws(() => recoveryMap(grid, { x: "d", y: "p", facet: "method" }), /recoveryMap: value must be a field name/);
});
