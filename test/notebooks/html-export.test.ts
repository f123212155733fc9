/**
 * Issue 14, "Done when" 1: every committed notebook, exported to HTML by the nbconvert that
 * .ci/run installs (Debian 12's 6.5) and opened in headless Chromium with the network off, shows
 * every figure as a drawn image and leaves no math source ($, \|, \mathbf, _{…}) in the text once
 * MathJax (Debian's libjs-mathjax, which the export points at) has run.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { Browser } from "puppeteer-core";
import { pythonWith, tempDir } from "../kernel/jupyterHarness.js";
import {
  committedNotebooks, figureProblem, launchChromium, NOTEBOOKS_DIR, outputRole, pngWidth, probe, readNotebook, source, watchRequests,
} from "./browser.js";

/**
 * Math source left as text (code excluded): a dollar, a backslash command or escaped bar, or a
 * sub/superscript written with _ or ^ (‖M♮‖_F, R^{d×k}, x_i), which markdown turns into italics.
 */
const MATH_SOURCE = /\$|\\[A-Za-z]+|\\[|{}_^]|[_^]\{|[\p{L}\p{N})‖|♮*][_^][\p{L}\p{N}*{(]/u;

const WAIT_FOR_MATHJAX = `new Promise((resolve) => {
  if (!window.MathJax || !window.MathJax.Hub) return resolve(false);
  const timer = setTimeout(() => resolve("timeout"), 20000);
  // The hub's queue holds the page's own Typeset until MathJax has started; this runs after it.
  MathJax.Hub.Queue(() => { clearTimeout(timer); resolve(true); });
})`;

let skip: string | false = false;
let python: string | undefined;
let browser: Browser | undefined;
let htmlDir = "";

before(async () => {
  try {
    ({ skip, python } = await pythonWith(["nbconvert"]));
  } catch (e) {
    throw new Error(`${(e as Error).message}\nThis test needs nbconvert and MathJax (Debian: jupyter-nbconvert and libjs-mathjax, which sh scripts/install.sh installs)`);
  }
  if (skip) return;
  htmlDir = tempDir("html-export");
  const files = committedNotebooks().map((n) => join(NOTEBOOKS_DIR, n));
  const r = spawnSync(python!, ["-m", "nbconvert", "--to", "html", "--output-dir", htmlDir, ...files], { encoding: "utf8", timeout: 120_000 });
  assert.equal(r.status, 0, `nbconvert --to html failed (${r.status ?? r.signal}):\n${r.stderr}`);
  browser = await launchChromium(true);
});

after(async () => {
  await browser?.close();
});

for (const name of committedNotebooks()) {
  test(`${name} exported by nbconvert --to html shows every figure and typeset math, offline`, { timeout: 90_000 }, async (t) => {
    if (skip) return t.skip(skip);
    const html = join(htmlDir, name.replace(/\.ipynb$/, ".html"));
    assert.ok(existsSync(html), `nbconvert wrote no ${html}`);
    const nb = readNotebook(join(NOTEBOOKS_DIR, name));
    const page = await browser!.newPage();
    try {
      const refused = await watchRequests(page, /^(file|data|blob|about):/);
      await page.goto(pathToFileURL(html).href, { waitUntil: "load", timeout: 60_000 });
      const mathjaxRan = await page.evaluate(WAIT_FOR_MATHJAX);
      const seen = await probe(page, "nbconvert");
      const problems: string[] = [];
      const usesMath = nb.cells.some((c) => c.cell_type === "markdown" && source(c).includes("$"));
      if (usesMath && mathjaxRan !== true) {
        problems.push(mathjaxRan === false
          ? "MathJax did not load (the export points at file:///usr/share/javascript/mathjax/MathJax.js: Debian's libjs-mathjax, which sh scripts/install.sh installs)"
          : "MathJax did not finish typesetting within 20 s");
      }
      for (const e of seen.mathjax?.errors ?? []) problems.push(`MathJax error: ${e}`);
      if (refused.length > 0) problems.push(`the page asked the network for ${refused.slice(0, 3).join(", ")}`);
      // A committed notebook is an executed one: every code cell ran and at least one figure shows.
      const unexecuted = nb.cells.flatMap((c, i) => (c.cell_type === "code" && source(c).trim() !== "" && c.execution_count == null ? [i + 1] : []));
      assert.deepEqual(unexecuted, [], `${name} is committed with code cells that never ran (cells ${unexecuted.join(", ")})`);
      assert.ok(nb.cells.some((c) => (c.outputs ?? []).some((o) => outputRole(o) === "figure")), `${name} is committed without a figure`);
      assert.equal(seen.cells.length, nb.cells.length, `the page shows ${seen.cells.length} cells; the notebook has ${nb.cells.length}`);
      nb.cells.forEach((cell, i) => {
        const shown = seen.cells[i];
        const where = `cell ${i + 1}`;
        if (cell.cell_type === "markdown") {
          const m = MATH_SOURCE.exec(shown.text ?? "");
          if (m) problems.push(`${where} (markdown): math source left as text: …${shown.text!.slice(Math.max(0, m.index - 40), m.index + 40)}…`);
          return;
        }
        const outputs = cell.outputs ?? [];
        if (shown.outputs.length !== outputs.length) {
          problems.push(`${where}: the page shows ${shown.outputs.length} outputs; the notebook has ${outputs.length}`);
          return;
        }
        outputs.forEach((out, j) => {
          const role = outputRole(out);
          const at = `${where}, output ${j + 1} (${role})`;
          if (role === "figure") {
            const p = figureProblem(shown.outputs[j].images, pngWidth(out));
            if (p) problems.push(`${at} ${p}; text shown: ${JSON.stringify(shown.outputs[j].text.slice(0, 120))}`);
          } else if (role === "summary" || (out.data && "text/html" in out.data)) {
            // Summaries and tables: text a reader reads (stdout logs may hold identifiers).
            const prose = shown.outputs[j].prose;
            const m = MATH_SOURCE.exec(prose);
            if (m) problems.push(`${at}: math source left as text: …${prose.slice(Math.max(0, m.index - 40), m.index + 40)}…`);
          }
        });
      });
      assert.deepEqual(problems, [], `${name} as exported HTML:\n  ${problems.join("\n  ")}`);
    } finally {
      await page.close();
    }
  });
}
