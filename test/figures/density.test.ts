import { test } from "node:test";
import assert from "node:assert/strict";
import { densityPlot, histogram } from "../../src/figures/index.js";
import { assertWellFormed, units } from "./helpers.js";

const curve = Array.from({ length: 101 }, (_, i) => {
  const lambda = -1 + i / 25;
  return { lambda, density: Math.exp(-lambda * lambda * 4) / Math.sqrt(Math.PI / 4) };
});

test("densityPlot(rows) draws one area with transparent hover points carrying the tooltip", () => {
  const spec = densityPlot(curve, { x: "lambda", y: "density", xTitle: "eigenvalue λ" });
  assertWellFormed(spec);
  const [area] = units(spec);
  assert.equal(area.mark, "area");
  assert.equal(area.markDef.point, "transparent");
  assert.equal(area.encoding.y.stack, null);
  assert.equal(area.encoding.x.title, "eigenvalue λ");
});

test("densityPlot(rows, {color}) draws lines by default, one per series", () => {
  const two = ["Hessian at flat", "Hessian at sharp"].flatMap((where) => curve.map((r) => ({ ...r, where })));
  const spec = densityPlot(two, { x: "lambda", y: "density", color: "where" });
  assertWellFormed(spec);
  const [line] = units(spec);
  assert.equal(line.mark, "line");
  assert.equal(line.encoding.color.field, "where");
  assert.equal(line.encoding.color.type, "nominal");
});

test("densityPlot rejects an unknown mark", () => {
  assert.throws(() => densityPlot(curve, { x: "lambda", y: "density", mark: "bar" as never }), /densityPlot: mark must be one of "area", "line"; received "bar"\./);
});

test("histogram(rows) bins x and counts rows per bin, with a binned tooltip", () => {
  const eigs = Array.from({ length: 200 }, (_, i) => ({ eigenvalue: Math.sin(i) * 3 }));
  const spec = histogram(eigs, { x: "eigenvalue", maxBins: 30 });
  assertWellFormed(spec);
  const [bars] = units(spec);
  assert.equal(bars.mark, "bar");
  assert.deepEqual(bars.encoding.x.bin, { maxbins: 30 });
  assert.equal(bars.encoding.y.aggregate, "count");
  const tip = bars.encoding.tooltip as unknown as Record<string, unknown>[];
  assert.deepEqual(tip[0].bin, { maxbins: 30 });
  assert.equal(tip[1].aggregate, "count");
});

test("histogram(rows, {weight}) sums quadrature weights per bin", () => {
  const ritz = [{ theta: 0.1, w: 0.5 }, { theta: 2, w: 0.3 }, { theta: 5, w: 0.2 }];
  const spec = histogram(ritz, { x: "theta", weight: "w" });
  assertWellFormed(spec);
  const [bars] = units(spec);
  assert.equal(bars.encoding.y.aggregate, "sum");
  assert.equal(bars.encoding.y.field, "w");
  assert.equal(bars.encoding.y.title, "total w");
});

test("histogram names a bad maxBins", () => {
  assert.throws(() => histogram(curve, { x: "lambda", maxBins: 1 }), /histogram: maxBins must be an integer in \[2, 1000\]; received 1\./);
});
