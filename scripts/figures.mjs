// Figures of executed notebooks as files, and the static gallery (issue 2 item 4, issue 14).
// A figure is an output (display_data or execute_result) holding the Vega-Lite spec and its PNG;
// it is written as <notebook>-<k>.png (the very image readers of the notebook see) and
// <notebook>-<k>.vl.json. out/index.html shows every figure in out/figures.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { basename, join, relative } from "node:path";
import { writeFileAtomic } from "./jupyter-env.mjs";

export const VEGALITE = "application/vnd.vegalite.v5+json";
export const PNG = "image/png";
export const SVG = "image/svg+xml";
const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** nbformat may store a text MIME value as a list of lines. */
function text(value) {
  return Array.isArray(value) ? value.join("") : String(value);
}

function pngBytes(value) {
  return Buffer.from(text(value).replace(/\s+/g, ""), "base64");
}

/** Every figure output of a notebook, in order: {cell (1-based), png (bytes), vegalite}. */
export function figureOutputs(nb) {
  const figures = [];
  nb.cells.forEach((cell, i) => {
    for (const out of cell.outputs ?? []) {
      if ((out.output_type === "display_data" || out.output_type === "execute_result") && out.data?.[VEGALITE] !== undefined && out.data?.[PNG] !== undefined) {
        figures.push({ cell: i + 1, png: pngBytes(out.data[PNG]), vegalite: out.data[VEGALITE] });
      }
    }
  });
  return figures;
}

/**
 * What --check asserts on an executed notebook (issues 2 and 14): each figure output carries the
 * Vega-Lite spec as a JSON object and a PNG with its 1× size in the metadata, and no SVG (which
 * nbconvert 6.5 would prefer to the PNG and then strip); no output is an error.
 */
export function checkFigureOutputs(nb) {
  const problems = [];
  nb.cells.forEach((cell, i) => {
    for (const out of cell.outputs ?? []) {
      const data = out.data ?? {};
      const where = `cell ${i + 1}`;
      if (out.output_type === "error") problems.push(`${where}: an error output (${out.ename}: ${out.evalue})`);
      if (VEGALITE in data) {
        const spec = data[VEGALITE];
        if (typeof spec !== "object" || spec === null || Array.isArray(spec)) problems.push(`${where}: the ${VEGALITE} output is not a JSON object (received ${typeof spec})`);
        if (!(PNG in data)) problems.push(`${where}: a figure output has ${VEGALITE} but no ${PNG}`);
        if (SVG in data) problems.push(`${where}: a figure output carries ${SVG}, which nbconvert 6.5 prefers to the PNG and strips`);
      }
      if (PNG in data) {
        const bytes = pngBytes(data[PNG]);
        if (bytes.length < 60 || !PNG_MAGIC.every((b, k) => bytes[k] === b)) problems.push(`${where}: the ${PNG} output is not a PNG image`);
        const size = out.metadata?.[PNG];
        if (VEGALITE in data && !(size?.width > 0 && size?.height > 0)) problems.push(`${where}: the figure's PNG has no width and height in its metadata`);
      }
    }
  });
  return problems;
}

const FIGURE_FILE = /^(.+)-(\d+)\.(png|svg|vl\.json)$/;

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
    writeFileAtomic(`${base}.png`, fig.png);
    writeFileAtomic(`${base}.vl.json`, JSON.stringify(fig.vegalite, null, 2) + "\n");
    written.push({ ...fig, file: `${base}.png` });
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
    if (!m || m[3] !== "png") continue;
    if (!groups.has(m[1])) groups.set(m[1], []);
    groups.get(m[1]).push({ k: Number(m[2]), name });
  }
  const rel = (name) => relative(outDir, join(figuresDir, name)).split("\\").join("/");
  const sections = [...groups.keys()].sort().map((stem) => {
    const figs = groups.get(stem).sort((a, b) => a.k - b.k).map(({ k, name }) => {
      const base = name.slice(0, -".png".length);
      const links = [`<a href="${escapeHtml(rel(name))}">PNG</a>`];
      if (names.includes(`${base}.vl.json`)) links.push(`<a href="${escapeHtml(rel(base + ".vl.json"))}">Vega-Lite</a>`);
      // The PNG is drawn at 2×: show it at its 1× width.
      const width = Math.round(readFileSync(join(figuresDir, name)).readUInt32BE(16) / 2);
      return `<figure><img src="${escapeHtml(rel(name))}" width="${width}" alt="${escapeHtml(`${stem}, figure ${k}`)}"><figcaption>Figure ${k} · ${links.join(" · ")}</figcaption></figure>`;
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
<p>Figures of the notebooks, written by <code>npm run reproduce</code>${mode ? ` (last run in ${escapeHtml(mode)} mode)` : ""}. Each is the image the notebook shows where Vega-Lite is not rendered; the Vega-Lite specs are linked.</p>
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
