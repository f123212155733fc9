import { test } from "node:test";
import assert from "node:assert/strict";
import { inspect } from "node:util";
import { Figure, VEGALITE_MIME, figure } from "../../src/display/index.js";
import { recoveryMap, scatterPlot } from "../../src/figures/index.js";
import { DISPLAY_METADATA, JUPYTER_DISPLAY, displayMetadata } from "../../src/util/displayable.js";
import { assertWellFormedSVG, pngSize, svgSize } from "./helpers.js";

const rows = Array.from({ length: 21 }, (_, i) => ({ t: i, imbalance: Math.abs(i - 10), trace: 4 + Math.abs(i - 10) / 3, balanced: i === 10 }));
const spec = scatterPlot(rows, { x: "imbalance", y: "trace", title: "Trace against imbalance", highlight: { where: "balanced", label: "balanced" } });
const grid = ["flat", "plain nuclear norm"].flatMap((method) => [10, 20].flatMap((d) => [40, 80].map((m) => ({ method, d, m, rate: m > 4 * d ? 1 : 0 }))));

test("figure(spec)[Jupyter.display]() gives vegalite (an object with the v5 $schema), a 2× PNG with its 1× size as metadata, and text/plain", async () => {
  const f = figure(spec);
  assert.deepEqual(displayMetadata(f), {}, "no metadata before a bundle is made");
  const bundle = await f[JUPYTER_DISPLAY]();
  // No SVG: nbconvert 6.5 would prefer it to the PNG and strip it (issue 14).
  assert.deepEqual(Object.keys(bundle).sort(), [VEGALITE_MIME, "image/png", "text/plain"].sort());
  const vl = bundle[VEGALITE_MIME] as Record<string, unknown>;
  assert.equal(typeof vl, "object");
  assert.equal(vl.$schema, "https://vega.github.io/schema/vega-lite/v5.json");
  assert.deepEqual(vl, spec);
  const png = bundle["image/png"] as Uint8Array;
  const size = svgSize(await f.toSVG());
  assert.deepEqual(pngSize(png), { width: Math.round(size.width * 2), height: Math.round(size.height * 2) });
  assert.deepEqual(f[DISPLAY_METADATA](), { "image/png": { width: Math.round(size.width), height: Math.round(size.height) } });
  assert.equal(bundle["text/plain"], 'Figure "Trace against imbalance" (Vega-Lite v5: point + text, 21 data rows)');
});

test("Figure.toSVG() is well-formed SVG holding the title text", async () => {
  const svg = await figure(spec).toSVG();
  assertWellFormedSVG(svg);
  assert.ok(svg.includes(">Trace against imbalance</text>"), "title text present");
  assert.ok(svg.includes(">balanced</text>"), "highlight label present");
});

test("Figure.toSVG() gives the same text for the same spec, and distinct ids for distinct specs", async () => {
  const a = await figure(recoveryMap(grid, { x: "d", y: "m", value: "rate", facet: "method" })).toSVG();
  const b = await figure(recoveryMap(grid, { x: "d", y: "m", value: "rate", facet: "method" })).toSVG();
  assert.equal(a, b);
  const c = await figure(recoveryMap(grid, { x: "d", y: "m", value: "rate", facet: "method", title: "other" })).toSVG();
  const ids = (s: string) => [...s.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]);
  assert.ok(ids(a).length > 0, "the map has a gradient legend with an id");
  assert.deepEqual(ids(a).filter((id) => ids(c).includes(id)), [], "no id shared between two different figures");
  // Every url(#id) reference points at an id defined in the same SVG.
  for (const m of a.matchAll(/url\(#([^)]+)\)/g)) assert.ok(ids(a).includes(m[1]), `url(#${m[1]}) is defined`);
});

test("Figure.toPNG(scale) starts with the PNG magic bytes and is scale times the SVG size", async () => {
  const f = figure(spec);
  const size = svgSize(await f.toSVG());
  for (const scale of [1, 2]) {
    const png = await f.toPNG(scale);
    assert.ok(png instanceof Uint8Array);
    assert.deepEqual(pngSize(png), { width: Math.round(size.width * scale), height: Math.round(size.height * scale) });
  }
  await assert.rejects(f.toPNG(0), /Figure\.toPNG: scale must be a finite number > 0 and ≤ 10; received 0\./);
});

test("Figure prints as its short description in util.inspect and String()", () => {
  const f = figure(spec);
  assert.equal(inspect(f), String(f));
  assert.match(String(f), /^Figure "Trace against imbalance"/);
});

test("Figure.toVegaLite() returns a copy: changing it does not change the figure", () => {
  const f = figure(spec);
  const copy = f.toVegaLite();
  copy.title = "changed";
  assert.equal(f.toVegaLite().title, "Trace against imbalance");
  assert.equal(JSON.stringify(f), JSON.stringify(spec));
});

test("figure(spec) adds the v5 $schema when missing and returns a Figure unchanged", () => {
  const { $schema: _, ...rest } = spec;
  assert.equal(figure(rest as never).toVegaLite().$schema, "https://vega.github.io/schema/vega-lite/v5.json");
  const f = figure(spec);
  assert.equal(figure(f), f);
  assert.ok(f instanceof Figure);
});

test("figure(spec) names bad specs: another schema, non-finite numbers, unserializable values", () => {
  assert.throws(() => figure({ ...spec, $schema: "https://vega.github.io/schema/vega-lite/v6.json" }), /figure: spec\.\$schema must be "https:\/\/vega\.github\.io\/schema\/vega-lite\/v5\.json".*received "https:\/\/vega\.github\.io\/schema\/vega-lite\/v6\.json"/);
  assert.throws(() => figure({ ...spec, data: { values: [{ a: 1 }, { a: NaN }] } }), /figure: spec must hold only finite numbers; received NaN at spec\.data\.values\[1\]\.a\./);
  assert.throws(() => figure({ ...spec, data: { values: [{ a: 1n }] } }), /figure: spec must be JSON-serializable.*BigInt/);
  assert.throws(() => figure([] as never), TypeError);
});

test("Figure.toSVG() rejects with the figure named when Vega cannot render the spec", async () => {
  const f = figure({ $schema: "https://vega.github.io/schema/vega-lite/v5.json", title: "broken", mark: "nonsense" });
  await assert.rejects(f.toSVG(), /Figure\.toSVG: Vega could not render Figure "broken"/);
});
