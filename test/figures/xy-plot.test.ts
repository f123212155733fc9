import { test } from "node:test";
import assert from "node:assert/strict";
import { linePlot, scatterPlot } from "../../src/figures/index.js";
import { assertWellFormed, units } from "./helpers.js";

// Scaled trace against imbalance along (L B, R B^-T), the first notebook's figure.
const rows = Array.from({ length: 21 }, (_, i) => {
  const t = (i - 10) / 5;
  return { t, imbalance: Math.abs(2 * Math.sinh(2 * t)), "scaled trace": 4 * Math.cosh(t), balanced: i === 10 };
});

test("scatterPlot(rows, {x, y}) draws one point mark per row with x/y encodings and tooltips", () => {
  const spec = scatterPlot(rows, { x: "imbalance", y: "scaled trace", title: "trace vs imbalance" });
  assertWellFormed(spec);
  assert.equal(spec.title, "trace vs imbalance");
  assert.equal((spec.data as { values: unknown[] }).values.length, rows.length);
  assert.equal(typeof spec.width, "number");
  assert.equal(typeof spec.height, "number");
  const [base] = units(spec);
  assert.equal(base.mark, "point");
  assert.equal(base.encoding.x.field, "imbalance");
  // The space in the field name is kept; dots and brackets would be escaped.
  assert.equal(base.encoding.y.field, "scaled trace");
  assert.equal(base.encoding.x.type, "quantitative");
  assert.deepEqual((base.encoding.tooltip as unknown as { field: string }[]).map((t) => t.field), ["imbalance", "scaled trace"]);
});

test("scatterPlot marks the highlighted rows with a diamond and a label on top", () => {
  const spec = scatterPlot(rows, { x: "imbalance", y: "scaled trace", highlight: { where: "balanced", label: "balanced" } });
  assertWellFormed(spec);
  const all = units(spec);
  assert.deepEqual(all.map((u) => u.mark), ["point", "point", "text"]);
  assert.equal(all[1].markDef.shape, "diamond");
  const layer = spec.layer as { data?: { values: { t: number }[] } }[];
  assert.deepEqual(layer[1].data!.values.map((r) => r.t), [0]);
  assert.deepEqual(all[2].encoding.text, { value: "balanced" });
});

test("scatterPlot accepts a predicate as highlight.where", () => {
  const spec = scatterPlot(rows, { x: "imbalance", y: "scaled trace", highlight: { where: (r) => (r.imbalance as number) < 1e-12 } });
  const layer = spec.layer as { data?: { values: unknown[] } }[];
  assert.equal(layer.length, 2);
  assert.equal(layer[1].data!.values.length, 1);
});

test("scatterPlot rejects a highlight that selects no row", () => {
  assert.throws(() => scatterPlot(rows, { x: "imbalance", y: "scaled trace", highlight: { where: () => false } }), /highlight\.where must select at least one row; it selected none of 21/);
});

test("linePlot(rows, {color}) draws one line with points per series, each series a layer in legend order, earlier ones wider", () => {
  const series = [1, 2, 3].flatMap((k) => rows.map((r) => ({ ...r, k })));
  const spec = linePlot(series, { x: "t", y: "scaled trace", color: "k", colorTitle: "rank k", logY: true });
  assertWellFormed(spec);
  const lines = units(spec);
  assert.equal(lines.length, 3);
  const widths = lines.map((l) => l.markDef.strokeWidth as number);
  assert.ok(widths[0] > widths[1] && widths[1] > widths[2], `widths ${widths}`);
  const [line] = lines;
  assert.equal(line.mark, "line");
  assert.ok(line.markDef.point, "line has points");
  assert.equal(line.encoding.color.field, "k");
  assert.equal(line.encoding.color.title, "rank k");
  assert.equal(line.encoding.color.type, "nominal");
  // Told apart by colour, dash and shape, in the order the series appear (issue 14).
  for (const ch of ["color", "strokeDash"] as const) assert.deepEqual((line.encoding[ch] as { scale: { domain: unknown[] } }).scale.domain, [1, 2, 3]);
  const dashes = (line.encoding.strokeDash as { scale: { range: number[][] } }).scale.range;
  assert.equal(new Set(dashes.map((d) => d.join())).size, 3, "three distinct dash patterns");
  assert.deepEqual((line.encoding.y.scale as { type: string }).type, "log");
});

test("scatterPlot escapes dots and brackets in field names", () => {
  const spec = scatterPlot([{ "a.b": 1, "c[0]": 2 }], { x: "a.b", y: "c[0]" });
  assertWellFormed(spec);
  assert.equal((spec.encoding as Record<string, { field: string }>).x.field, "a\\.b");
  assert.equal((spec.encoding as Record<string, { field: string }>).y.field, "c\\[0\\]");
});

test("scatterPlot gives the same spec for the same rows", () => {
  const opts = { x: "imbalance", y: "scaled trace", highlight: { where: "balanced", label: "balanced" } } as const;
  assert.equal(JSON.stringify(scatterPlot(rows, opts)), JSON.stringify(scatterPlot(rows, opts)));
});

test("scatterPlot copies the rows, so later changes to them do not change the spec", () => {
  const mine = rows.map((r) => ({ ...r }));
  const spec = scatterPlot(mine, { x: "imbalance", y: "scaled trace" });
  mine[0].imbalance = -1;
  assert.notEqual((spec.data as { values: { imbalance: number }[] }).values[0].imbalance, -1);
});

test("scatterPlot names the bad argument", () => {
  assert.throws(() => scatterPlot(rows, { x: "imbalanse", y: "scaled trace" }), /scatterPlot: x must name a field of the rows \("t", "imbalance", "scaled trace", "balanced"\); received "imbalanse"\./);
  assert.throws(() => scatterPlot(rows, { x: "balanced", y: "t" }), /scatterPlot: x field "balanced" must hold a finite number in every row; received false in rows\[0\]\./);
  assert.throws(() => scatterPlot([{ a: 0, b: 1 }], { x: "a", y: "b", logX: true }), /must hold a positive finite number \(it is on a log scale\).*received 0 in rows\[0\]/);
  assert.throws(() => scatterPlot([{ a: NaN, b: 1 }], { x: "a", y: "b" }), /received NaN in rows\[0\]/);
  assert.throws(() => scatterPlot([], { x: "a", y: "b" }), /rows must be a non-empty array/);
  assert.throws(() => scatterPlot("rows" as never, { x: "a", y: "b" }), TypeError);
  assert.throws(() => scatterPlot(rows, { x: "t", y: "t", width: 5 }), /width must be an integer in \[20, 4000\]; received 5/);
});

test("scatterPlot refuses more than maxRows rows and says how to downsample", () => {
  const many = Array.from({ length: 5001 }, (_, i) => ({ a: i, b: i }));
  assert.throws(() => scatterPlot(many, { x: "a", y: "b" }), (e: Error) => {
    assert.ok(e instanceof RangeError);
    assert.match(e.message, /rows must have at most maxRows = 5000 entries; received 5001\. Downsample before plotting \(keep one row in every 2,/);
    assert.match(e.message, /or pass a larger maxRows/);
    return true;
  });
  assert.equal((scatterPlot(many, { x: "a", y: "b", maxRows: 6000 }).data as { values: unknown[] }).values.length, 5001);
});

test("scatterPlot draws the first series filled and the others hollow on top, smaller over larger, in legend order, with reference series as dashed lines", () => {
  const many = Array.from({ length: 30 }, (_, i) => ({ kind: "random", x: i + 1, y: i + 2 }));
  const few = [{ kind: "flat", x: 3, y: 4 }];
  const bound = [1, 10, 30].map((x) => ({ kind: "bound", x, y: 2 * x }));
  const spec = scatterPlot([...few, ...many, ...bound], { x: "x", y: "y", color: "kind", references: ["bound"], seriesOrder: ["flat", "random", "bound"] });
  assertWellFormed(spec);
  const values = (spec.data as { values: { kind: string }[] }).values;
  assert.equal(values[values.length - 1].kind, "flat", "the one-point series is drawn last, on top");
  const [points, hollow, reference] = units(spec);
  assert.equal(points.mark, "point");
  assert.deepEqual([points.markDef.filled, hollow.markDef.filled], [true, false]);
  assert.deepEqual((points.encoding.color as { scale: { domain: string[] } }).scale.domain, ["flat", "random"]);
  assert.equal(reference.mark, "line");
  assert.deepEqual((reference.encoding.strokeDash as { scale: unknown }).scale, { domain: ["bound"], range: [[6, 4]] });
  assert.deepEqual((points.encoding.shape as { scale: { domain: string[] } }).scale.domain, ["flat", "random"], "reference series have no point symbol");
  assert.throws(() => scatterPlot(many, { x: "x", y: "y", color: "kind", references: ["nope"] }), /scatterPlot: references must name series of the color field \("random"\); received "nope"\./);
  assert.throws(() => scatterPlot([...few, ...many], { x: "x", y: "y", color: "kind", seriesOrder: ["flat"] }), /scatterPlot: seriesOrder must list every value of "kind"; missing "random"\./);
});

test("long series names put the legend under the plot with labels never cut", () => {
  const spec = linePlot([{ s: "a rather long series name that would be cut", x: 1, y: 1 }, { s: "short", x: 2, y: 2 }], { x: "x", y: "y", color: "s" });
  const [line] = units(spec);
  const legend = (line.encoding.color as { legend: Record<string, unknown> }).legend;
  assert.deepEqual([legend.orient, legend.labelLimit], ["bottom", 0]);
});

test("linePlot draws reference series as dashed lines on a dash scale of their own", () => {
  const series = ["a", "b"].flatMap((s, i) => [1, 2, 3].map((x) => ({ s, x, y: x + i })));
  const bound = [1, 3].map((x) => ({ s: "bound", x, y: 5 }));
  const spec = linePlot([...series, ...bound], { x: "x", y: "y", color: "s", references: ["bound"], seriesOrder: ["a", "b", "bound"] });
  assertWellFormed(spec);
  const all = units(spec);
  assert.deepEqual(all.map((u) => u.mark), ["line", "line", "line"]);
  assert.deepEqual((all[0].encoding.strokeDash as { scale: { domain: string[] } }).scale.domain, ["a", "b"]);
  assert.deepEqual((all[2].encoding.strokeDash as { scale: unknown }).scale, { domain: ["bound"], range: [[6, 4]] });
});
