/**
 * A figure: a Vega-Lite v5 spec (from src/figures) that renders itself. In Jupyter its MIME
 * bundle carries the spec as a JSON object (interactive in JupyterLab and VS Code), a static PNG
 * rendered here in Node, and a short text. Why PNG and not SVG as the static image (issue 14,
 * measured on Debian 12's clients): the classic Notebook 6.4 drops image/svg+xml from untrusted
 * notebooks (every fresh clone) but shows image/png; nbconvert 6.5's HTML templates strip every
 * child of an <svg> and prefer SVG over PNG, so an SVG beside the PNG would blank the figure;
 * `--to pdf` needs inkscape for SVG, not for PNG; GitHub shows PNG. JupyterLab and VS Code rank
 * the Vega-Lite renderer above images, so they stay interactive. The PNG is drawn at 2× and
 * its metadata gives the 1× size, so text is sharp and the figure keeps its size.
 *
 * The SVG comes from a headless Vega view (renderer "none", no browser, no canvas): Vega then
 * estimates text widths instead of measuring them, which keeps the output identical on every
 * machine. PNG is that SVG rasterized by resvg with the DejaVu fonts Debian ships, so text looks
 * the same wherever the PNG is made; where those files are absent resvg uses the system fonts.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { DISPLAY_METADATA, JUPYTER_DISPLAY, type MimeBundle } from "../util/displayable.js";
import { checkNumber, fail } from "../util/validate.js";
import { VEGA_LITE_SCHEMA, type VegaLiteSpec } from "../figures/spec.js";

export const VEGALITE_MIME = "application/vnd.vegalite.v5+json";
const INSPECT = Symbol.for("nodejs.util.inspect.custom");

const DEJAVU_DIR = "/usr/share/fonts/truetype/dejavu";
const DEJAVU_FILES = ["DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DejaVuSans-Oblique.ttf", "DejaVuSans-BoldOblique.ttf"];

/** A Vega-Lite spec with renderers. Build one with `figure(spec)`. */
export class Figure {
  readonly #json: string;
  readonly #text: string;
  #svg: Promise<string> | undefined;
  #pngSize: { width: number; height: number } | undefined;

  constructor(spec: VegaLiteSpec) {
    if (typeof spec !== "object" || spec === null || Array.isArray(spec)) fail("figure", "spec", "a Vega-Lite spec object", spec, TypeError);
    const schema = (spec as { $schema?: unknown }).$schema;
    if (schema !== undefined && schema !== VEGA_LITE_SCHEMA) {
      fail("figure", "spec.$schema", `${JSON.stringify(VEGA_LITE_SCHEMA)} (Vega-Lite v5, the version Jupyter renders)`, schema);
    }
    let json: string;
    try {
      const { $schema: _, ...rest } = spec;
      json = JSON.stringify({ $schema: VEGA_LITE_SCHEMA, ...rest });
    } catch (e) {
      throw new TypeError(`figure: spec must be JSON-serializable (numbers, strings, arrays, plain objects); JSON.stringify failed: ${(e as Error).message}.`);
    }
    // JSON would turn NaN and ±Infinity into null without a word: refuse them instead.
    const bad = firstNonFinite(spec, "spec");
    if (bad !== undefined) throw new RangeError(`figure: spec must hold only finite numbers; received ${bad.value} at ${bad.path}.`);
    this.#json = json;
    this.#text = describe(JSON.parse(json) as VegaLiteSpec);
  }

  /** The spec as a fresh plain object (changing it does not change the figure). */
  toVegaLite(): VegaLiteSpec {
    return JSON.parse(this.#json) as VegaLiteSpec;
  }

  /** `JSON.stringify(figure)` gives the spec. */
  toJSON(): VegaLiteSpec {
    return this.toVegaLite();
  }

  /** A standalone SVG document; the same spec always gives the same text. */
  toSVG(): Promise<string> {
    if (this.#svg === undefined) {
      this.#svg = renderSVG(this.toVegaLite(), `fl${fnv1a(this.#json)}-`);
      // A failed render is not cached, so a later call reports the error again.
      this.#svg.catch(() => (this.#svg = undefined));
    }
    return this.#svg;
  }

  /** PNG bytes of the SVG at `scale` device pixels per SVG pixel (2 by default, for sharp text), on white. */
  async toPNG(scale = 2): Promise<Uint8Array> {
    checkNumber("Figure.toPNG", "scale", scale, { min: 0, minExclusive: true, max: 10 });
    const svg = await this.toSVG();
    const { Resvg } = require("@resvg/resvg-js") as typeof import("@resvg/resvg-js");
    const image = new Resvg(svg, { fitTo: { mode: "zoom", value: scale }, background: "white", font: fontOptions() }).render();
    this.#pngSize = { width: Math.round(image.width / scale), height: Math.round(image.height / scale) };
    return image.asPng();
  }

  /** The short description used as text/plain. */
  toString(): string {
    return this.#text;
  }

  /** The MIME bundle Jupyter kernels send (Deno's convention, and flatlab's kernel). */
  async [JUPYTER_DISPLAY](): Promise<MimeBundle> {
    return { [VEGALITE_MIME]: this.toVegaLite(), "image/png": await this.toPNG(2), "text/plain": this.#text };
  }

  /** The PNG's size in CSS pixels (it is drawn at 2×), once the bundle has been made. */
  [DISPLAY_METADATA](): Record<string, unknown> {
    return this.#pngSize === undefined ? {} : { "image/png": { ...this.#pngSize } };
  }

  [INSPECT](): string {
    return this.#text;
  }
}

/** Wraps a Vega-Lite v5 spec (a Figure is returned unchanged). */
export function figure(spec: VegaLiteSpec | Figure): Figure {
  return spec instanceof Figure ? spec : new Figure(spec);
}

async function renderSVG(spec: VegaLiteSpec, idPrefix: string): Promise<string> {
  const vegaLite = require("vega-lite") as typeof import("vega-lite");
  const vega = require("vega") as typeof import("vega");
  let view: import("vega").View | undefined;
  try {
    const compiled = vegaLite.compile(spec as unknown as Parameters<typeof vegaLite.compile>[0]).spec;
    view = new vega.View(vega.parse(compiled), { renderer: "none" });
    return renameIds(await view.toSVG(), idPrefix);
  } catch (e) {
    throw new Error(`Figure.toSVG: Vega could not render ${describe(spec)}: ${(e as Error).message}`, { cause: e });
  } finally {
    view?.finalize();
  }
}

/**
 * Vega numbers gradients and clip paths with module-wide counters, so the second render of the
 * same spec says gradient_1 where the first said gradient_0. Renumbering the ids in order of
 * appearance makes the text a function of the spec; the prefix, a hash of the spec, keeps the
 * ids of different figures apart when a page (nbconvert HTML) inlines several SVGs.
 */
function renameIds(svg: string, prefix: string): string {
  const names = new Map<string, string>();
  for (const m of svg.matchAll(/\sid="([^"]+)"/g)) if (!names.has(m[1])) names.set(m[1], `${prefix}${names.size}`);
  if (names.size === 0) return svg;
  const rename = (id: string) => names.get(id) ?? id;
  return svg
    .replace(/(\sid=")([^"]+)(")/g, (_, a: string, id: string, b: string) => a + rename(id) + b)
    .replace(/url\(#([^)]+)\)/g, (_, id: string) => `url(#${rename(id)})`)
    .replace(/(href=")#([^"]+)(")/g, (_, a: string, id: string, b: string) => `${a}#${rename(id)}${b}`);
}

/** 32-bit FNV-1a hash as 8 hex digits (for id prefixes; not for security). */
function fnv1a(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, "0");
}

let fonts: { fontFiles?: string[]; loadSystemFonts: boolean; defaultFontFamily?: string; sansSerifFamily?: string } | undefined;

function fontOptions() {
  if (fonts === undefined) {
    const files = DEJAVU_FILES.map((f) => join(DEJAVU_DIR, f)).filter((f) => existsSync(f));
    // With the font files named, scanning the system fonts is not needed (and costs time).
    fonts = files.length > 0 ? { fontFiles: files, loadSystemFonts: false, defaultFontFamily: "DejaVu Sans", sansSerifFamily: "DejaVu Sans" } : { loadSystemFonts: true };
  }
  return fonts;
}

function firstNonFinite(x: unknown, path: string, depth = 0): { value: number; path: string } | undefined {
  if (typeof x === "number") return Number.isFinite(x) ? undefined : { value: x, path };
  if (typeof x !== "object" || x === null || depth > 64) return undefined;
  if (Array.isArray(x)) {
    for (let i = 0; i < x.length; i++) {
      const r = firstNonFinite(x[i], `${path}[${i}]`, depth + 1);
      if (r) return r;
    }
    return undefined;
  }
  for (const [k, v] of Object.entries(x)) {
    const r = firstNonFinite(v, /^[A-Za-z_$][\w$]*$/.test(k) ? `${path}.${k}` : `${path}[${JSON.stringify(k)}]`, depth + 1);
    if (r) return r;
  }
  return undefined;
}

/** `Figure "title" (Vega-Lite v5: point + text, 120 rows, 2 panels)`. */
function describe(spec: VegaLiteSpec): string {
  const t = spec.title;
  const drawn = typeof t === "string" ? t : typeof t === "object" && t !== null && typeof (t as { text?: unknown }).text === "string" ? (t as { text: string }).text : undefined;
  // A title computed in the viewer (an expression) keeps its plain text in the spec's description.
  const title = drawn ?? (typeof spec.description === "string" ? spec.description : undefined);
  const marks = new Set<string>();
  let rows = 0;
  const walk = (s: Record<string, unknown>) => {
    const m = s.mark;
    if (typeof m === "string") marks.add(m);
    else if (typeof m === "object" && m !== null && typeof (m as { type?: unknown }).type === "string") marks.add((m as { type: string }).type);
    const values = (s.data as { values?: unknown } | undefined)?.values;
    // The rows of the outermost data: layers drawing a few of them again do not count twice.
    if (Array.isArray(values) && rows === 0) rows += values.length;
    for (const key of ["layer", "hconcat", "vconcat", "concat"]) if (Array.isArray(s[key])) (s[key] as Record<string, unknown>[]).forEach(walk);
    if (typeof s.spec === "object" && s.spec !== null) walk(s.spec as Record<string, unknown>);
  };
  walk(spec);
  const parts = [marks.size > 0 ? [...marks].join(" + ") : "no marks", `${rows} data rows`];
  return `Figure${title === undefined ? "" : ` ${JSON.stringify(title)}`} (Vega-Lite v5: ${parts.join(", ")})`;
}
