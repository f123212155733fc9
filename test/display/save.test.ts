import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { figure, save } from "../../src/display/index.js";
import { scatterPlot } from "../../src/figures/index.js";
import { assertWellFormedSVG, pngSize, svgSize } from "./helpers.js";
import { chromiumPath } from "../notebooks/browser.js";

const rows = Array.from({ length: 25 }, (_, i) => ({ imbalance: Math.abs(i - 12) / 4, trace: 4 + ((i - 12) / 6) ** 2, balanced: i === 12 }));
const fig = figure(scatterPlot(rows, { x: "imbalance", y: "trace", title: "Saved figure", highlight: { where: "balanced", label: "balanced" } }));

function tempFolder(): string {
  return mkdtempSync(join(tmpdir(), "flatlab-save-"));
}

test("save(fig, x.svg | x.png | x.html) writes each format and leaves no temporary file", async () => {
  const dir = tempFolder();
  try {
    const svgPath = await save(fig, join(dir, "fig.svg"));
    assert.equal(svgPath, join(dir, "fig.svg"));
    const svg = readFileSync(svgPath, "utf8");
    assertWellFormedSVG(svg);
    assert.equal(svg, await fig.toSVG());
    const png = readFileSync(await save(fig, join(dir, "fig.png"), { scale: 1 }));
    assert.deepEqual(pngSize(png), svgSize(svg));
    const html = readFileSync(await save(fig, join(dir, "FIG.HTML")), "utf8");
    assert.match(html, /^<!DOCTYPE html>/);
    assert.deepEqual(readdirSync(dir).sort(), ["FIG.HTML", "fig.png", "fig.svg"]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("save(fig, x.html) inlines vega, vega-lite and vega-embed and loads nothing from the network", async () => {
  const dir = tempFolder();
  try {
    const html = readFileSync(await save(fig, join(dir, "fig.html")), "utf8");
    assert.doesNotMatch(html, /<script[^>]*\ssrc\s*=/i, "no script src at all");
    assert.doesNotMatch(html, /<link[^>]*href\s*=\s*["']?https?:/i, "no remote stylesheet");
    assert.ok(html.length > 800_000, `the three libraries are inlined (${html.length} bytes)`);
    assert.ok(html.includes('"$schema":"https://vega.github.io/schema/vega-lite/v5.json"'), "spec embedded");
    assert.ok(html.includes('"editor":false'), "the Vega Editor action (a network link) is off");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("save(fig, path with an unknown extension) lists the valid ones, names the path and writes nothing", async () => {
  const dir = tempFolder();
  try {
    const path = join(dir, "fig.jpg");
    await assert.rejects(save(fig, path), (e: Error) => {
      assert.ok(e instanceof RangeError);
      assert.equal(e.message, `save: path must end in one of ".svg", ".png", ".html"; received ${JSON.stringify(path)}.`);
      return true;
    });
    assert.deepEqual(readdirSync(dir), []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("save(fig, path in a missing folder or under a file) names the path", async () => {
  const dir = tempFolder();
  try {
    const missing = join(dir, "no-such-folder", "fig.svg");
    await assert.rejects(save(fig, missing), new RegExp(`save: cannot write "${missing}": ".*no-such-folder" does not exist\\.`));
    writeFileSync(join(dir, "a-file"), "x");
    const underFile = join(dir, "a-file", "fig.svg");
    await assert.rejects(save(fig, underFile), new RegExp(`save: cannot write "${underFile}": ".*a-file" is not a folder\\.`));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("save(fig, path that cannot be replaced) names the path and leaves nothing half-written", async () => {
  const dir = tempFolder();
  try {
    // A folder named like the target: the final rename fails (EISDIR), even for root.
    mkdirSync(join(dir, "fig.svg"));
    mkdirSync(join(dir, "fig.svg", "inside"));
    const path = join(dir, "fig.svg");
    await assert.rejects(save(fig, path), new RegExp(`save: cannot write "${path}": E[A-Z]+ `));
    assert.deepEqual(readdirSync(dir), ["fig.svg"], "no temporary file left");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("save(fig, existing file) replaces it whole", async () => {
  const dir = tempFolder();
  try {
    const path = join(dir, "fig.svg");
    writeFileSync(path, "old");
    await save(fig, path);
    assert.equal(readFileSync(path, "utf8"), await fig.toSVG());
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});


test("an exported HTML figure renders in headless Chromium with the network off", async () => {
  const chromium = chromiumPath();
  const dir = tempFolder();
  try {
    const page = await save(fig, join(dir, "fig.html"));
    const args = [
      "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
      "--disable-component-update", "--disable-sync", `--user-data-dir=${join(dir, "profile")}`,
      // Network off: no name resolves and every proxied request goes to a closed port.
      "--host-resolver-rules=MAP * ~NOTFOUND", "--proxy-server=127.0.0.1:9", "--proxy-bypass-list=<-loopback>",
      "--virtual-time-budget=5000", "--dump-dom", `file://${page}`,
    ];
    // Where user namespaces work, also run it without any network interface but loopback.
    const isolated = spawnSync("unshare", ["-rn", "true"]).status === 0;
    const run = isolated ? spawnSync("unshare", ["-rn", chromium, ...args], { encoding: "utf8", timeout: 90_000, maxBuffer: 64 << 20 }) : spawnSync(chromium, args, { encoding: "utf8", timeout: 90_000, maxBuffer: 64 << 20 });
    assert.equal(run.status, 0, `chromium exited with ${run.status} ${run.signal ?? ""}: ${run.stderr?.slice(-2000)}`);
    const dom = run.stdout;
    assert.match(dom, /data-flatlab-status="rendered"/, `vegaEmbed did not finish: ${/id="flatlab-error">([^<]*)/.exec(dom)?.[1] ?? dom.slice(0, 500)}`);
    assert.match(dom, /<svg[^>]*class="marks"/, "vega drew an SVG");
    const symbols = /class="mark-symbol role-mark[^"]*"[^>]*>(.*?)<\/g>/s.exec(dom);
    assert.ok(symbols, "the point marks are in the DOM");
    const points = (symbols[1].match(/<path /g) ?? []).length;
    assert.equal(points, rows.length, "one drawn point per row");
    assert.match(dom, />Saved figure<\/text>/, "title drawn");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
