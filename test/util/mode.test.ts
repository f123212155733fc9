import { test } from "node:test";
import assert from "node:assert/strict";
import { notebookParams, runMode } from "../../src/util/mode.js";
import { checkInteger, checkMatrix, checkNumber, checkOneOf } from "../../src/util/validate.js";
import { tableBundle, withTable, JUPYTER_DISPLAY } from "../../src/util/displayable.js";
import { inspect } from "node:util";

test("runMode reads FLATLAB_MODE, defaults to quick, and rejects an unknown mode by name", () => {
  assert.equal(runMode("full"), "full");
  assert.equal(runMode(" Quick "), "quick");
  const saved = process.env.FLATLAB_MODE;
  delete process.env.FLATLAB_MODE;
  assert.equal(runMode(), "quick");
  process.env.FLATLAB_MODE = "fast";
  assert.throws(() => runMode(), /runMode: FLATLAB_MODE must be one of "quick", "full"; received "fast"/);
  if (saved === undefined) delete process.env.FLATLAB_MODE; else process.env.FLATLAB_MODE = saved;
});

test("notebookParams picks the mode's settings and requires both modes to list the same keys", () => {
  assert.deepEqual(notebookParams({ quick: { trials: 2 }, full: { trials: 10 } }, "full"), { trials: 10, mode: "full" });
  assert.throws(() => notebookParams({ quick: { trials: 2 }, full: { trials: 10, grid: 1 } } as never, "quick"), /same settings/);
});

test("argument checks name the function, the argument, the expectation and the value", () => {
  assert.throws(() => checkInteger("f", "k", 0, 1), /^RangeError: f: k must be an integer ≥ 1; received 0\.$/);
  assert.throws(() => checkInteger("f", "k", 2.5, 1, 3), /f: k must be an integer in \[1, 3\]; received 2.5/);
  assert.throws(() => checkInteger("f", "k", "2", 1), TypeError);
  assert.throws(() => checkNumber("f", "p", 0, { min: 0, max: 1, minExclusive: true }), /f: p must be a finite number > 0 and ≤ 1; received 0/);
  assert.throws(() => checkNumber("f", "p", NaN), /received NaN/);
  assert.throws(() => checkOneOf("f", "dist", "normal", ["rademacher", "gaussian"]), /one of "rademacher", "gaussian"; received "normal"/);
  const bad = { rows: 1, cols: 2, data: new Float64Array([1, Infinity]) };
  assert.throws(() => checkMatrix("f", "X", bad), /f: X must be finite; received Infinity at index 1/);
  assert.throws(() => checkMatrix("f", "X", { rows: 1, cols: 2, data: new Float64Array(2) }, 2, 2), /X must have shape \[2, 2\]; received \[1, 2\]/);
});

test("withTable keeps a result JSON-ready and gives it a table display", () => {
  const r = withTable({ estimate: 1.5, stderr: 0.01 }, "Hutchinson", (x) => [["estimate", x.estimate], ["stderr", x.stderr]]);
  assert.equal(JSON.stringify(r), '{"estimate":1.5,"stderr":0.01}');
  const bundle = (r as unknown as Record<symbol, () => Record<string, string>>)[JUPYTER_DISPLAY]();
  assert.match(bundle["text/html"], /<td style="text-align:right">1\.50000<\/td>/);
  assert.match(inspect(r), /Hutchinson\nquantity\s+value\nestimate\s+1\.50000/);
  assert.match(tableBundle("t", ["a"], [["<b>"]])["text/html"] as string, /&lt;b&gt;/);
});

test("table, markdown and assertClaim", async () => {
  const { table, markdown, assertClaim } = await import("../../src/util/displayable.js");
  const t = table("T", ["a", "b"], [[1, "x"]]);
  assert.deepEqual(JSON.parse(JSON.stringify(t)), { title: "T", header: ["a", "b"], rows: [[1, "x"]] });
  assert.match(inspect(t), /T\na\s+b\n1\s+x/);
  const md = markdown("**3** points");
  // HTML for the untrusted classic Notebook (which drops text/markdown), plain text without markup.
  assert.deepEqual((md as unknown as Record<symbol, () => unknown>)[JUPYTER_DISPLAY](), {
    "text/markdown": "**3** points", "text/html": "<p><strong>3</strong> points</p>\n", "text/plain": "3 points",
  });
  const list = markdown("- *a* and `b` for ‖X‖∗ < 2\n- 2 * 3 = 6, x_1 and y_2");
  const bundle = (list as unknown as Record<symbol, () => Record<string, string>>)[JUPYTER_DISPLAY]();
  assert.equal(bundle["text/html"], "<ul>\n<li><em>a</em> and <code>b</code> for ‖X‖∗ &lt; 2</li>\n<li>2 * 3 = 6, x_1 and y_2</li>\n</ul>\n");
  assert.equal(bundle["text/plain"], "- a and b for ‖X‖∗ < 2\n- 2 * 3 = 6, x_1 and y_2");
  assert.throws(() => markdown(3 as never), /markdown: text must be a string; received number\./);
  assert.doesNotThrow(() => assertClaim(true, "ok"));
  assert.throws(() => assertClaim(false, "the minimum is balanced"), /claim not supported by this run: the minimum is balanced/);
});

test("runSettings lists every parameter and the backend with its reason", async () => {
  const { runSettings } = await import("../../src/util/mode.js");
  const t = runSettings({ mode: "quick", grid: [1, 2] }, { backend: "wasm", reason: "automatic choice" });
  assert.deepEqual(t.rows, [["mode", "quick"], ["grid", "[1,2]"], ["tfjs backend", "wasm (automatic choice)"]]);
});
