/**
 * The success-threshold slider of the recovery and transition maps works in a real browser: the exported HTML opens
 * in headless Chromium (every network request refused), the test moves the slider with the
 * keyboard, as a reader would, and the drawn success rates and the title change.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import puppeteer from "puppeteer-core";
import { save } from "../../src/display/index.js";
import { recoveryMap, transitionMap } from "../../src/figures/index.js";

const CHROMIUM_CANDIDATES = [process.env.FLATLAB_CHROMIUM, "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"];

// Two panels × 2 × 2 cells of 4 trials. Errors 1e-8 succeed at every threshold of the slider's
// range above it, 1e-4 only once ε > 1e-4, null never: at ε = 10⁻⁶ the rates are 1/4 per 1e-8 trial.
const errorsOf = (tiny: number, medium: number, missing: number) => [...Array(tiny).fill(1e-8), ...Array(medium).fill(1e-4), ...Array(missing).fill(null)];
const rows = ["flat", "plain"].flatMap((program) =>
  [10, 20].flatMap((d) =>
    [30, 60].map((m) => {
      const tiny = (d === 10 ? 1 : 0) + (m === 60 ? 2 : 0), missing = program === "flat" && d === 20 && m === 30 ? 1 : 0;
      return { program, d, m, errors: errorsOf(tiny, 4 - tiny - missing, missing) };
    }),
  ),
);
// Expected rates, in row order, at ε = 10⁻⁶ (only the 1e-8 trials) and at ε = 10⁻³ (all but null).
const at6 = rows.map((r) => r.errors.filter((e) => e !== null && e < 1e-6).length / 4);
const at3 = rows.map((r) => r.errors.filter((e) => e !== null && e < 1e-3).length / 4);

/** The gray level of a fill (the map runs black = 0 → white = 1, monotone in between). */
function grayOf(fill: string): number {
  const hex = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(fill);
  const rgb = /^rgb\((\d+), ?(\d+), ?(\d+)\)$/.exec(fill);
  assert.ok(hex || rgb, `a fill colour: ${fill}`);
  const [r, g, b] = hex ? hex.slice(1).map((h) => parseInt(h, 16)) : rgb!.slice(1).map(Number);
  assert.ok(r === g && g === b, `a gray: ${fill}`);
  return r / 255;
}

/** The drawn grays show these rates: black for 0, white for 1, and a gray strictly increasing with the rate. */
function assertShows(fills: string[], rates: number[], what: string): void {
  const grays = fills.map(grayOf);
  assert.equal(grays.length, rates.length, what);
  rates.forEach((r, i) => {
    if (r === 0) assert.equal(grays[i], 0, `${what}: cell ${i} (rate 0) is black`);
    if (r === 1) assert.equal(grays[i], 1, `${what}: cell ${i} (rate 1) is white`);
    rates.forEach((s, j) => assert.equal(Math.sign(grays[i] - grays[j]), Math.sign(r - s), `${what}: cells ${i}, ${j} (rates ${r}, ${s}; grays ${grays[i]}, ${grays[j]})`));
  });
}

test("moving the threshold slider of exported recovery and transition maps in headless Chromium redraws the success rates", { timeout: 90_000 }, async () => {
  const chromium = CHROMIUM_CANDIDATES.find((c) => c !== undefined && existsSync(c));
  if (chromium === undefined) {
    assert.fail("Chromium not found (looked for $FLATLAB_CHROMIUM, /usr/bin/chromium, /usr/bin/chromium-browser, /usr/bin/google-chrome). Install it (Debian: apt-get install chromium) or set FLATLAB_CHROMIUM; this test must not pass without a browser.");
  }
  const dir = mkdtempSync(join(tmpdir(), "flatlab-slider-"));
  const maps = {
    recoveryMap: recoveryMap(rows, { x: "d", y: "m", facet: "program", title: "Slider test" }),
    transitionMap: transitionMap(rows, {
      x: "d", y: "m", facet: "program", title: "Slider test",
      references: [{ name: "δ(d)", points: [{ x: 10, value: 40 }, { x: 20, value: 50 }] }],
      fits: [{ program: "flat", d: 10, x50: 45, low: 35, high: 55, status: "fitted" }],
    }),
  };
  const browser = await puppeteer.launch({
    executablePath: chromium,
    headless: true,
    pipe: true,
    userDataDir: join(dir, "profile"),
    args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--host-resolver-rules=MAP * ~NOTFOUND", "--proxy-server=127.0.0.1:9"],
  });
  try {
    for (const [name, spec] of Object.entries(maps)) {
      const page = await save(spec, join(dir, `${name}.html`));
      const tab = await browser.newPage();
      const external: string[] = [];
      await tab.setRequestInterception(true);
      tab.on("request", (request) => {
        if (request.url().startsWith("file://")) void request.continue();
        else { external.push(request.url()); void request.abort(); }
      });
      await tab.goto(`file://${page}`);
      await tab.waitForSelector('body[data-flatlab-status="rendered"]', { timeout: 20_000 });

      // Cells in drawing order: panel by panel, each in the order of the rows (vega keeps it).
      // (Page code as strings: it runs in the browser, and the tests compile without the DOM's types.)
      const read = () => tab.evaluate(`({
        cells: [...document.querySelectorAll("g.mark-rect.role-mark path")].map((p) => p.getAttribute("fill") ?? ""),
        title: [...document.querySelectorAll("g.role-title-text text")].map((t) => t.textContent ?? "").join(" | "),
      })`) as Promise<{ cells: string[]; title: string }>;
      const before = await read();
      assert.equal(before.cells.length, rows.length, `${name}: one drawn cell per grid cell: ${JSON.stringify(before.cells)}`);
      assert.match(before.title, /Slider test ?success: error < 10⁻⁶/);
      assertShows(before.cells, at6, `${name} at 10⁻⁶`);

      // A reader moves the slider: focus it and press → twelve times (step 0.25: from −6 to −3).
      const slider = await tab.$('input[type="range"]');
      assert.ok(slider, `${name}: the page has a range input`);
      await slider.focus();
      for (let i = 0; i < 12; i++) await tab.keyboard.press("ArrowRight");
      await tab.waitForFunction(`[...document.querySelectorAll("g.role-title-text text")].some((t) => t.textContent.includes("10⁻³"))`, { timeout: 10_000 });
      const after = await read();
      assert.match(after.title, /success: error < 10⁻³/);
      assertShows(after.cells, at3, `${name} at 10⁻³`);
      assert.notDeepEqual(after.cells, before.cells, `${name}: the drawn cells changed`);
      assert.deepEqual(external, [], `${name}: no request left the machine`);
      await tab.close();
    }
  } finally {
    await browser.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
