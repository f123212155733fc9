/**
 * Export a figure to a file: static SVG or PNG, or a self-contained interactive HTML page.
 *
 * The HTML inlines the minified builds of vega, vega-lite and vega-embed read from
 * node_modules (about 830 KB), as Altair's "inline" template does, so it opens with no network:
 * no CDN, no script src, and vega-embed's "Open in Vega Editor" action (a network link) is off.
 *
 * Files are written atomically: a temporary file in the target folder, then a rename, so a
 * reader never sees half a file and a failed write leaves nothing behind.
 */
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { rename, stat, unlink, writeFile } from "node:fs/promises";
import { basename, dirname, extname, join, resolve } from "node:path";
import { type VegaLiteSpec } from "../figures/spec.js";
import { Figure, figure } from "./figure.js";

export const SAVE_FORMATS = [".svg", ".png", ".html"] as const;

export interface SaveOptions {
  /** PNG only: device pixels per SVG pixel (2 by default). */
  readonly scale?: number;
}

/** Writes the figure (or a Vega-Lite spec) to path; returns the absolute path written. */
export async function save(fig: Figure | VegaLiteSpec, path: string, options: SaveOptions = {}): Promise<string> {
  if (typeof path !== "string" || path.length === 0) throw new TypeError(`save: path must be a file path string; received ${JSON.stringify(path) ?? typeof path}.`);
  const ext = extname(path).toLowerCase();
  if (!(SAVE_FORMATS as readonly string[]).includes(ext)) {
    throw new RangeError(`save: path must end in one of ${SAVE_FORMATS.map((e) => `"${e}"`).join(", ")}; received ${JSON.stringify(path)}.`);
  }
  const f = figure(fig);
  const target = resolve(path);
  const folder = dirname(target);
  const info = await stat(folder).catch(() => undefined);
  if (info === undefined || !info.isDirectory()) {
    throw new Error(`save: cannot write ${JSON.stringify(path)}: ${JSON.stringify(folder)} ${info === undefined ? "does not exist" : "is not a folder"}.`);
  }
  // Render first, so a spec that fails to render leaves no file at all.
  const content: string | Uint8Array = ext === ".svg" ? await f.toSVG() : ext === ".png" ? await f.toPNG(options.scale) : await figureHTML(f);
  const temporary = join(folder, `.${basename(target)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
  try {
    await writeFile(temporary, content);
    await rename(temporary, target);
  } catch (e) {
    await unlink(temporary).catch(() => undefined);
    const err = e as NodeJS.ErrnoException;
    throw new Error(`save: cannot write ${JSON.stringify(path)}: ${err.code ?? err.message}${err.code ? ` (${err.message})` : ""}.`, { cause: e });
  }
  return target;
}

let libraries: string | undefined;

/** The three minified builds as inline scripts, read once per process. */
function inlineLibraries(): string {
  if (libraries === undefined) {
    // vega-embed's package "exports" hides its build folder: find it next to its CommonJS entry.
    const files = [
      require.resolve("vega/build/vega.min.js"),
      require.resolve("vega-lite/build/vega-lite.min.js"),
      join(dirname(require.resolve("vega-embed")), "vega-embed.min.js"),
    ];
    libraries = files.map((file) => `<script>\n${scriptSafe(readFileSync(file, "utf8"))}\n</script>`).join("\n");
  }
  return libraries;
}

/** A standalone HTML page that renders the figure interactively, offline. */
export async function figureHTML(fig: Figure | VegaLiteSpec): Promise<string> {
  const f = figure(fig);
  const spec = f.toVegaLite();
  const title = typeof spec.title === "string" ? spec.title : typeof spec.description === "string" ? spec.description : String(f);
  // "<" escaped as \u003c keeps any "</script>" inside the data from closing the tag.
  const specJSON = JSON.stringify(spec).replace(/</g, "\\u003c");
  const embedOptions = JSON.stringify({ renderer: "svg", actions: { export: true, source: true, compiled: true, editor: false } });
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeHtml(title)}</title>
<style>body { font-family: sans-serif; margin: 1.5em; } #flatlab-error { color: #b00; white-space: pre-wrap; }</style>
${inlineLibraries()}
</head>
<body>
<div id="vis"></div>
<pre id="flatlab-error"></pre>
<script>
(function () {
  var spec = ${specJSON};
  vegaEmbed("#vis", spec, ${embedOptions}).then(function () {
    document.body.setAttribute("data-flatlab-status", "rendered");
  }).catch(function (err) {
    document.body.setAttribute("data-flatlab-status", "failed");
    document.getElementById("flatlab-error").textContent = "The figure could not be rendered: " + err;
  });
})();
</script>
</body>
</html>
`;
}

/** "</script" inside an inlined script would end it early; "<\/script" means the same in JS strings and regexes. */
function scriptSafe(code: string): string {
  return code.replace(/<\/(script)/gi, "<\\/$1");
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}
