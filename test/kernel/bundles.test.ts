import { test } from "node:test";
import assert from "node:assert/strict";
import { normalizeBundle, plainText, resultBundle } from "../../src/kernel/bundles.js";
import { JUPYTER_DISPLAY, withTable } from "../../src/util/displayable.js";

const VL = "application/vnd.vegalite.v5+json";

test("a value with Symbol.for('Jupyter.display') yields its whole bundle, the spec staying an object", async () => {
  const spec = { mark: "point", data: { values: [{ x: 1 }] } };
  const fig = { [JUPYTER_DISPLAY]: () => ({ [VL]: spec, "image/svg+xml": "<svg/>", "text/plain": "figure" }) };
  const b = await resultBundle(fig);
  assert.deepEqual(Object.keys(b).sort(), [VL, "image/svg+xml", "text/plain"]);
  assert.deepEqual(b[VL], spec);
});

test("a display method returning a Promise is awaited", async () => {
  const fig = { [JUPYTER_DISPLAY]: async () => ({ "image/svg+xml": "<svg/>" }) };
  const b = await resultBundle(fig);
  assert.equal(b["image/svg+xml"], "<svg/>");
  assert.match(String(b["text/plain"]), /Symbol\(Jupyter\.display\)/, "text/plain is added when the bundle lacks it");
});

test("a plain value shows as util.inspect text, and a withTable result as its table", async () => {
  assert.deepEqual(await resultBundle(42), { "text/plain": "42" });
  assert.deepEqual(await resultBundle("flat"), { "text/plain": "'flat'" });
  const r = withTable({ estimate: 2 }, "Trace", (x) => [["estimate", x.estimate]]);
  assert.match(String((await resultBundle(r))["text/html"]), /<table>/);
});

test("binary values are sent as base64", () => {
  assert.deepEqual(normalizeBundle({ "image/png": new Uint8Array([1, 2, 3]) }, "t"), { "image/png": "AQID" });
});

test("a value that cannot be serialized is reported by its MIME key", () => {
  const circular: Record<string, unknown> = {};
  circular.self = circular;
  assert.throws(() => normalizeBundle({ "text/plain": "ok", "application/json": circular }, "display"), /^TypeError: display: the value for MIME type "application\/json" is not JSON-serializable \(Converting circular structure to JSON\)\.$/);
  assert.throws(() => normalizeBundle({ "application/json": { n: 10n } }, "display"), /"application\/json" is not JSON-serializable.*BigInt/);
  assert.throws(() => normalizeBundle({ "application/json": () => 1 }, "display"), /"application\/json" is not JSON-serializable \(it is function\)/);
  assert.throws(() => normalizeBundle({ "text/plain": undefined }, "display"), /"text\/plain" is undefined/);
});

test("a bundle that is not an object of MIME types is rejected by name", async () => {
  assert.throws(() => normalizeBundle("svg", "display"), /a MIME bundle must be an object/);
  assert.throws(() => normalizeBundle({ svg: "<svg/>" }, "display"), /bundle key "svg" is not a MIME type/);
  assert.throws(() => normalizeBundle({}, "display"), /empty/);
  await assert.rejects(resultBundle({ [JUPYTER_DISPLAY]: () => null }), /Jupyter\.display"\): a MIME bundle must be an object/);
});

test("plainText never throws", () => {
  const hostile = new Proxy({}, { ownKeys() { throw new Error("no keys"); } });
  assert.equal(typeof plainText(hostile), "string");
});
