// Figures of executed notebooks as files, and the static gallery (issue 2 item 4).
// A figure is an output (display_data or execute_result) holding image/svg+xml; it is written as
// <notebook>-<k>.svg, a PNG rendered from that SVG with resvg, and <notebook>-<k>.vl.json when
// the output also holds the Vega-Lite spec. out/index.html shows every figure in out/figures.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { basename, join, relative } from "node:path";
import { Resvg } from "@resvg/resvg-js";
import { writeFileAtomic } from "./jupyter-env.mjs";

export const VEGALITE = "application/vnd.vegalite.v5+json";
export const SVG = "image/svg+xml";

/** nbformat may store a text MIME value as a list of lines. */
function text(value) {
  return Array.isArray(value) ? value.join("") : String(value);
}

/** Every figure output of a notebook, in order: {cell (1-based), svg, vegalite?}. */
export function figureOutputs(nb) {
  const figures = [];
  nb.cells.forEach((cell, i) => {
    for (const out of cell.outputs ?? []) {
      if ((out.output_type === "display_data" || out.output_type === "execute_result") && out.data?.[SVG] !== undefined) {
        figures.push({ cell: i + 1, svg: text(out.data[SVG]), vegalite: out.data[VEGALITE] });
      }
    }
  });
  return figures;
}

/**
 * What --check asserts on an executed notebook (issue 2 item 7): each figure output carries the
 * Vega-Lite spec as a JSON object and an SVG, and every SVG is a whole <svg> element.
 */
export function checkFigureOutputs(nb) {
  const problems = [];
  nb.cells.forEach((cell, i) => {
    for (const out of cell.outputs ?? []) {
      const data = out.data ?? {};
      const where = `cell ${i + 1}`;
      if (VEGALITE in data) {
        const spec = data[VEGALITE];
        if (typeof spec !== "object" || spec === null || Array.isArray(spec)) problems.push(`${where}: the ${VEGALITE} output is not a JSON object (received ${typeof spec})`);
        if (!(SVG in data)) problems.push(`${where}: a figure output has ${VEGALITE} but no ${SVG}`);
      }
      if (SVG in data) {
        const svg = text(data[SVG]).trim();
        if (!/^(<\?xml[^>]*>\s*)?<svg[\s>]/.test(svg) || !svg.endsWith("</svg>")) problems.push(`${where}: the ${SVG} output is not a complete <svg> element`);
      }
    }
  });
  return problems;
}

const FONT_DIR = "/usr/share/fonts/truetype/dejavu";

export function svgToPng(svg) {
  const font = existsSync(FONT_DIR) ? { loadSystemFonts: true, sansSerifFamily: "DejaVu Sans", defaultFontFamily: "DejaVu Sans" } : { loadSystemFonts: true };
  return new Resvg(svg, { fitTo: { mode: "zoom", value: 2 }, background: "white", font }).render().asPng();
}

const FIGURE_FILE = /^(.+)-(\d+)\.(svg|png|vl\.json)$/;

/** Writes the figures of one executed notebook into `dir`, replacing that notebook's old ones. */
export function writeFigures(nb, stem, dir) {
  mkdirSync(dir, { recursive: true });
  for (const name of readdirSync(dir)) {
    const m = FIGURE_FILE.exec(name);
    if (m && m[1] === stem) rmSync(join(dir, name), { force: true });
  }
  const written = [];
  figureOutputs(nb).forEach((fig, k) => {
    const base = join(dir, `${stem}-${k + 1}`);
    writeFileAtomic(`${base}.svg`, fig.svg);
    writeFileAtomic(`${base}.png`, svgToPng(fig.svg));
    if (fig.vegalite !== undefined) writeFileAtomic(`${base}.vl.json`, JSON.stringify(fig.vegalite, null, 2) + "\n");
    written.push({ ...fig, file: `${base}.svg` });
  });
  return written;
}

function escapeHtml(s) {
  return String(s).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** out/index.html: every figure found in `figuresDir`, grouped by notebook. */
export function writeGallery(outDir, figuresDir, { mode } = {}) {
  const groups = new Map();
  const names = existsSync(figuresDir) ? readdirSync(figuresDir) : [];
  for (const name of names) {
    const m = FIGURE_FILE.exec(name);
    if (!m || m[3] !== "svg") continue;
    if (!groups.has(m[1])) groups.set(m[1], []);
    groups.get(m[1]).push({ k: Number(m[2]), name });
  }
  const rel = (name) => relative(outDir, join(figuresDir, name)).split("\\").join("/");
  const sections = [...groups.keys()].sort().map((stem) => {
    const figs = groups.get(stem).sort((a, b) => a.k - b.k).map(({ k, name }) => {
      const base = name.slice(0, -".svg".length);
      const links = [`<a href="${escapeHtml(rel(name))}">SVG</a>`];
      if (names.includes(`${base}.png`)) links.push(`<a href="${escapeHtml(rel(base + ".png"))}">PNG</a>`);
      if (names.includes(`${base}.vl.json`)) links.push(`<a href="${escapeHtml(rel(base + ".vl.json"))}">Vega-Lite</a>`);
      return `<figure><img src="${escapeHtml(rel(name))}" alt="${escapeHtml(`${stem}, figure ${k}`)}"><figcaption>Figure ${k} · ${links.join(" · ")}</figcaption></figure>`;
    });
    return `<section><h2>${escapeHtml(stem)}</h2>\n${figs.join("\n")}\n</section>`;
  });
  const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>flatlab figures</title>
<style>
body { font-family: system-ui, sans-serif; margin: 2rem; color: #222; }
figure { display: inline-block; margin: 0 1.5rem 1.5rem 0; vertical-align: top; }
figure img { max-width: 100%; border: 1px solid #ddd; background: white; }
figcaption { font-size: 0.9rem; color: #555; }
</style>
</head>
<body>
<h1>flatlab figures</h1>
<p>Figures of the notebooks, written by <code>npm run reproduce</code>${mode ? ` (last run in ${escapeHtml(mode)} mode)` : ""}. Each is the SVG the notebook displayed; PNG and Vega-Lite specs are linked.</p>
${sections.length ? sections.join("\n") : "<p>No figures yet.</p>"}
</body>
</html>
`;
  const file = join(outDir, "index.html");
  writeFileAtomic(file, html);
  return { file, count: [...groups.values()].reduce((n, g) => n + g.length, 0) };
}

export function readNotebook(file) {
  return JSON.parse(readFileSync(file, "utf8"));
}

export function notebookStem(file) {
  return basename(file).replace(/\.ipynb$/, "");
}
