/**
 * Results that display themselves. A MIME bundle is plain data, so any layer may attach one
 * without knowing about Jupyter: the kernel extension (src/display, src/kernel) sends the bundle
 * returned by `[Symbol.for("Jupyter.display")]()`, the convention of Deno's kernel, and Node's
 * `util.inspect` prints the text form.
 */

export const JUPYTER_DISPLAY = Symbol.for("Jupyter.display");
/**
 * Output metadata to send with the bundle (for example the 1× size of a 2× PNG). Deno's
 * convention has no place for it, so a value that wants some offers it under this symbol.
 */
export const DISPLAY_METADATA = Symbol.for("flatlab.display.metadata");
const INSPECT = Symbol.for("nodejs.util.inspect.custom");

export type MimeBundle = Record<string, unknown>;

export interface Displayable {
  [JUPYTER_DISPLAY](): MimeBundle | Promise<MimeBundle>;
}

export function isDisplayable(x: unknown): x is Displayable {
  return typeof x === "object" && x !== null && typeof (x as Record<symbol, unknown>)[JUPYTER_DISPLAY] === "function";
}

/** The output metadata x offers for its last displayed bundle, or {} (read after the bundle is made). */
export function displayMetadata(x: unknown): Record<string, unknown> {
  const f = typeof x === "object" && x !== null ? (x as Record<symbol, unknown>)[DISPLAY_METADATA] : undefined;
  const m: unknown = typeof f === "function" ? f.call(x) : undefined;
  return typeof m === "object" && m !== null && !Array.isArray(m) ? (m as Record<string, unknown>) : {};
}

export type Cell = string | number | boolean | null | undefined;

function formatCell(v: Cell): string {
  if (typeof v === "number") {
    if (Number.isInteger(v) && Math.abs(v) < 1e15) return String(v);
    const a = Math.abs(v);
    return a !== 0 && (a < 1e-3 || a >= 1e6) ? v.toExponential(4) : v.toPrecision(6);
  }
  return v === null || v === undefined ? "" : String(v);
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** A small two-column (or wider) table as text/plain and text/html. */
export function tableBundle(title: string, header: readonly string[], rows: readonly (readonly Cell[])[]): MimeBundle {
  const cells = rows.map((r) => r.map(formatCell));
  const widths = header.map((h, j) => Math.max(h.length, ...cells.map((r) => (r[j] ?? "").length)));
  const line = (r: readonly string[]) => r.map((c, j) => c.padEnd(widths[j])).join("  ").trimEnd();
  const text = [title, line(header), ...cells.map(line)].join("\n");
  const html =
    `<table><caption style="text-align:left"><b>${escapeHtml(title)}</b></caption>` +
    `<thead><tr>${header.map((h) => `<th>${escapeHtml(h)}</th>`).join("")}</tr></thead><tbody>` +
    cells.map((r) => `<tr>${r.map((c) => `<td style="text-align:right">${escapeHtml(c)}</td>`).join("")}</tr>`).join("") +
    `</tbody></table>`;
  return { "text/plain": text, "text/html": html };
}

/**
 * Attaches non-enumerable display and inspect methods to a plain result object, so it stays
 * JSON-ready (JSON.stringify and structuredClone ignore symbol keys) and prints as a table.
 * `rows` is computed lazily from the object each time it is shown.
 */
export function withTable<T extends object>(result: T, title: string, rows: (r: T) => readonly (readonly [string, Cell])[]): T {
  return attachDisplay(result, () => tableBundle(title, ["quantity", "value"], rows(result)));
}

/** Like withTable with any header; `rows` is computed from the object each time it is shown. */
export function withWideTable<T extends object>(result: T, title: string, header: readonly string[], rows: (r: T) => readonly (readonly Cell[])[]): T {
  return attachDisplay(result, () => tableBundle(title, header, rows(result)));
}

/** Non-enumerable display and inspect methods from one bundle function (the object stays JSON-ready). */
function attachDisplay<T extends object>(obj: T, bundle: () => MimeBundle): T & Displayable {
  Object.defineProperty(obj, JUPYTER_DISPLAY, { value: bundle, enumerable: false });
  Object.defineProperty(obj, INSPECT, { value: () => bundle()["text/plain"], enumerable: false });
  return obj as T & Displayable;
}

/** A table that displays itself (text/plain and text/html); `rows` stays readable as data. */
export function table(title: string, header: readonly string[], rows: readonly (readonly Cell[])[]): Displayable & { readonly title: string; readonly header: readonly string[]; readonly rows: readonly (readonly Cell[])[] } {
  return attachDisplay({ title, header, rows }, () => tableBundle(title, header, rows));
}

/**
 * Markdown text that displays itself (a notebook's closing statements, with computed numbers).
 * The bundle carries the HTML too: the classic Notebook drops text/markdown from untrusted
 * notebooks (every fresh clone) but shows sanitized text/html; text/plain drops the markup.
 */
export function markdown(text: string): Displayable & { readonly text: string } {
  if (typeof text !== "string") throw new TypeError(`markdown: text must be a string; received ${typeof text}.`);
  return attachDisplay({ text }, () => ({ "text/markdown": text, "text/html": markdownToHtml(text), "text/plain": markdownToText(text) }));
}

let renderer: { render(src: string): string } | undefined;

/** CommonMark to HTML (markdown-it, raw HTML off). */
export function markdownToHtml(text: string): string {
  if (renderer === undefined) {
    const MarkdownIt = require("markdown-it") as typeof import("markdown-it");
    renderer = new MarkdownIt({ html: false, linkify: false, typographer: false });
  }
  return renderer.render(text);
}

/** The text a plain-text reader should see: emphasis and code markers removed, lists kept. */
export function markdownToText(text: string): string {
  return text
    .replace(/\*\*([^*\n]+)\*\*/g, "$1")
    .replace(/(^|[^\w*])\*([^*\s][^*\n]*?)\*(?![\w*])/g, "$1$2")
    .replace(/`([^`\n]+)`/g, "$1");
}

/**
 * A claim a notebook makes about its own computed numbers. It throws when the numbers do not
 * support the claim, so `npm test`, which runs every notebook, fails instead of committing prose
 * that the figures contradict.
 */
export function assertClaim(holds: boolean, claim: string): void {
  if (!holds) throw new Error(`claim not supported by this run: ${claim}`);
}
