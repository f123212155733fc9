import { test } from "node:test";
import assert from "node:assert/strict";
import { VEGALITE_MIME, figure, show, useTslab } from "../../src/display/index.js";
import { currentSink, setSink } from "../../src/display/sink.js";
import { scatterPlot } from "../../src/figures/index.js";
import { withTable } from "../../src/util/displayable.js";
import { capture, fakeSink, withSink } from "./helpers.js";

const DISPLAY = Symbol.for("Jupyter.display");
const fig = figure(scatterPlot([{ a: 1, b: 2 }, { a: 2, b: 3 }], { x: "a", y: "b", title: "tiny" }));

test("show(figure) sends the whole bundle in one message through the sink", async () => {
  const sink = fakeSink();
  await withSink(sink, () => show(fig));
  assert.equal(sink.sent.length, 1);
  const { bundle } = sink.sent[0];
  assert.deepEqual(Object.keys(bundle).sort(), [VEGALITE_MIME, "image/png", "text/plain"].sort());
  assert.equal((bundle[VEGALITE_MIME] as { $schema: string }).$schema, "https://vega.github.io/schema/vega-lite/v5.json");
  assert.match(bundle["image/png"] as string, /^iVBORw0KGgo/, "PNG bytes as base64");
  const size = (sink.sent[0].options?.metadata as Record<string, { width: number; height: number }>)["image/png"];
  assert.ok(size.width > 50 && size.height > 50, "the PNG's 1× size goes as output metadata");
});

test("show(x, {displayId, update}) passes the display options to the sink", async () => {
  const sink = fakeSink();
  await withSink(sink, () => show("step 2", { displayId: "abc", update: true }));
  assert.deepEqual(sink.sent, [{ bundle: { "text/plain": "step 2" }, options: { displayId: "abc", update: true } }]);
});

test("show(value without display method) sends util.inspect text; results with withTable send their table", async () => {
  const sink = fakeSink();
  const result = withTable({ estimate: 4.5 }, "trace", (r) => [["estimate", r.estimate]]);
  await withSink(sink, async () => {
    await show({ a: 1, b: [1, 2] });
    await show(result);
  });
  assert.deepEqual(sink.sent[0].bundle, { "text/plain": "{ a: 1, b: [ 1, 2 ] }" });
  assert.deepEqual(Object.keys(sink.sent[1].bundle).sort(), ["text/html", "text/plain"]);
});

test("show(x) outside a kernel prints text to stdout and does not throw", async () => {
  const { stdout } = await withSink(undefined, () => capture(async () => {
    await show(fig);
    await show({ a: 1 });
    await show(null);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    await show(cyclic);
  }));
  assert.equal(stdout, 'Figure "tiny" (Vega-Lite v5: point, 2 data rows)\n{ a: 1 }\nnull\n<ref *1> { self: [Circular *1] }\n');
});

test("show(x) reports a bundle value that is not JSON-serializable by its MIME key instead of throwing", async () => {
  const sink = fakeSink();
  const withBigInt = { [DISPLAY]: () => ({ "text/plain": "ok", "application/json": { n: 1n } }) };
  const cyclic: Record<string, unknown> = {};
  cyclic.self = cyclic;
  const withCycle = { [DISPLAY]: async () => ({ "application/vnd.custom+json": cyclic }) };
  const { stderr } = await withSink(sink, () => capture(async () => {
    await show(withBigInt);
    await show(withCycle);
  }));
  assert.equal(sink.sent.length, 2);
  assert.deepEqual(Object.keys(sink.sent[0].bundle), ["text/plain"]);
  assert.match(sink.sent[0].bundle["text/plain"] as string, /the value under MIME key "application\/json" is not JSON-serializable \(.*BigInt.*\)/);
  assert.match(sink.sent[1].bundle["text/plain"] as string, /MIME key "application\/vnd\.custom\+json" is not JSON-serializable \(.*circular.*\)/i);
  assert.match(stderr, /application\/json/, "the failure is also on stderr, where a notebook runner sees it");
});

test("show(x) reports a failing display method and a non-bundle return as text/plain", async () => {
  const sink = fakeSink();
  await withSink(sink, () => capture(async () => {
    await show({ [DISPLAY]: () => { throw new Error("boom"); } });
    await show({ [DISPLAY]: () => 42 });
  }));
  assert.match(sink.sent[0].bundle["text/plain"] as string, /the display method of an object failed: boom/);
  assert.match(sink.sent[1].bundle["text/plain"] as string, /must return a MIME bundle object; it returned number/);
});

test("show(x) sends bytes as base64 (Jupyter's JSON form of binary data)", async () => {
  const sink = fakeSink();
  await withSink(sink, () => show({ [DISPLAY]: () => ({ "image/png": new Uint8Array([1, 2, 3]) }) }));
  assert.equal(sink.sent[0].bundle["image/png"], "AQID");
});

test("show(x) survives a sink that throws", async () => {
  const { stderr } = await withSink({ display: () => { throw new Error("Not ready"); } }, () => capture(() => show("hello")));
  assert.match(stderr, /show: the display sink failed: Not ready/);
});

function fakeTslab() {
  const calls: { id: string | undefined; mime: string; data: unknown }[] = [];
  let next = 0;
  const make = (id?: string) => ({ raw: (mime: string, data: string | Uint8Array) => void calls.push({ id, mime, data }) });
  return { calls, module: { display: make(), newDisplay: () => make(`d${next++}`) } };
}

test("useTslab(tslab) sends one MIME per message: png by default, the spec object with prefer vegalite", async () => {
  const previous = currentSink();
  try {
    const t = fakeTslab();
    useTslab(t.module);
    await show(fig);
    assert.equal(t.calls.length, 1);
    assert.equal(t.calls[0].mime, "image/png");
    assert.match(t.calls[0].data as string, /^iVBORw0KGgo/);
    const v = fakeTslab();
    useTslab(v.module, { prefer: "vegalite" });
    await show(fig);
    await show({ a: 1 });
    assert.deepEqual(v.calls.map((c) => c.mime), [VEGALITE_MIME, "text/plain"]);
    assert.equal(typeof v.calls[0].data, "object");
  } finally {
    setSink(previous);
  }
});

test("useTslab routes updates with one displayId to one tslab display", async () => {
  const previous = currentSink();
  try {
    const t = fakeTslab();
    const sink = useTslab(t.module);
    sink.display({ "text/plain": "1/3" }, { displayId: "p" });
    sink.display({ "text/plain": "2/3" }, { displayId: "p", update: true });
    sink.display({ "text/plain": "other" }, { displayId: "q" });
    assert.deepEqual(t.calls.map((c) => c.id), ["d0", "d0", "d1"]);
  } finally {
    setSink(previous);
  }
});

test("useTslab names a wrong argument", () => {
  assert.throws(() => useTslab({} as never), /useTslab: tslab must be the tslab module/);
  assert.throws(() => useTslab(fakeTslab().module, { prefer: "svg" as never }), /useTslab: options\.prefer must be one of "png", "vegalite"; received "svg"\./);
});
