/**
 * Display layer costs: building specs, rendering SVG in Node (vega, renderer "none"), PNG through
 * resvg, and the self-contained HTML export, for the figures the notebooks draw.
 *
 * Run (after npm run build): node --import tsx bench/display.bench.ts [quick]
 * Times are medians over repetitions after a warm-up. No outside reference renders Vega-Lite on
 * these machines (no vl-convert, no matplotlib in Debian's Python), so the side-by-side ratio is
 * between the two resvg font set-ups figure.ts can use: DejaVu files only (what it does when
 * they exist) against a scan of the system fonts.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Resvg } from "@resvg/resvg-js";
import { figure, save } from "../dist/display/index.js";
import { type VegaLiteSpec, densityPlot, linePlot, recoveryMap, scatterPlot } from "../dist/figures/index.js";

const quick = process.argv.includes("quick");
const reps = quick ? 3 : 10;

async function median(f: () => Promise<unknown> | unknown, n = reps): Promise<number> {
  await f(); // warm-up
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await f();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

const trace = Array.from({ length: 201 }, (_, i) => {
  const t = (i - 100) / 50;
  return { t, imbalance: Math.abs(2 * Math.sinh(2 * t)), trace: 4 * Math.cosh(t), balanced: i === 100 };
});
const cells = ["flat", "plain nuclear norm"].flatMap((method) =>
  Array.from({ length: 20 }, (_, i) => 5 + 5 * i).flatMap((d) =>
    Array.from({ length: 20 }, (_, j) => 50 + 50 * j).map((m) => ({ method, d, m, rate: Math.max(0, Math.min(1, (m - 4 * d) / 200)), trials: 10 })),
  ),
);
const big = Array.from({ length: 5000 }, (_, i) => ({ x: i / 5000, y: Math.sin(i / 300), series: `s${i % 5}` }));
const density = Array.from({ length: 2000 }, (_, i) => ({ lambda: -1 + i / 500, density: Math.exp(-((-1 + i / 500) ** 2) * 4) }));

const cases: { name: string; spec: () => VegaLiteSpec }[] = [
  { name: "scatter, 201 points + highlight", spec: () => scatterPlot(trace, { x: "imbalance", y: "trace", highlight: { where: "balanced", label: "balanced" }, title: "trace vs imbalance" }) },
  { name: "recovery map, 2 × 20 × 20 cells", spec: () => recoveryMap(cells, { x: "d", y: "m", value: "rate", facet: "method", trials: "trials" }) },
  { name: "density, 2000 grid points", spec: () => densityPlot(density, { x: "lambda", y: "density" }) },
  { name: "line plot, 5000 rows, 5 series", spec: () => linePlot(big, { x: "x", y: "y", color: "series" }) },
];

async function main() {
  console.log(`display benchmarks (${quick ? "quick" : "full"}, median of ${reps}) — times in ms`);
  console.log(["figure".padEnd(34), "spec", "SVG", "PNG×2 DejaVu", "PNG×2 system", "system/DejaVu", "SVG KB"].join("  "));
  const dejavu = "/usr/share/fonts/truetype/dejavu";
  const files = ["DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DejaVuSans-Oblique.ttf", "DejaVuSans-BoldOblique.ttf"].map((f) => join(dejavu, f));
  for (const c of cases) {
    const specMs = await median(c.spec);
    const spec = c.spec();
    const svgMs = await median(() => figure(spec).toSVG()); // a new Figure each time: no cache
    const svg = await figure(spec).toSVG();
    const pngDejaVu = await median(() => new Resvg(svg, { fitTo: { mode: "zoom", value: 2 }, font: { fontFiles: files, loadSystemFonts: false, defaultFontFamily: "DejaVu Sans", sansSerifFamily: "DejaVu Sans" } }).render().asPng());
    const pngSystem = await median(() => new Resvg(svg, { fitTo: { mode: "zoom", value: 2 }, font: { loadSystemFonts: true, defaultFontFamily: "DejaVu Sans" } }).render().asPng());
    console.log(
      [c.name.padEnd(34), specMs.toFixed(2), svgMs.toFixed(1), pngDejaVu.toFixed(1).padStart(12), pngSystem.toFixed(1).padStart(12), (pngSystem / pngDejaVu).toFixed(2).padStart(13), (svg.length / 1024).toFixed(0).padStart(6)].join("  "),
    );
  }
  const dir = mkdtempSync(join(tmpdir(), "flatlab-bench-"));
  try {
    const f = figure(cases[0].spec());
    const html = await median(() => save(f, join(dir, "fig.html")));
    console.log(`save(.html), libraries inlined (read once, then cached): ${html.toFixed(1)} ms`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main();
