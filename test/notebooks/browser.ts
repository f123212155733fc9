/**
 * Shared by the reader tests (html-export, classic-notebook): headless Chromium driven through
 * puppeteer-core (it drives the system's Chromium and downloads nothing), the page-side probe
 * (probe.js) and what a committed notebook says each output should show.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import puppeteer, { type Browser, type Page } from "puppeteer-core";

export const ROOT = join(__dirname, "..", "..");
/** The committed notebooks; FLATLAB_READER_NOTEBOOKS points the reader tests at another folder. */
export const NOTEBOOKS_DIR = process.env.FLATLAB_READER_NOTEBOOKS ? resolve(process.env.FLATLAB_READER_NOTEBOOKS) : join(ROOT, "notebooks");

const CHROMIUM_CANDIDATES = [process.env.FLATLAB_CHROMIUM, "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"];
const CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

export function chromiumPath(): string {
  const chromium = CHROMIUM_CANDIDATES.find((c) => c !== undefined && existsSync(c));
  if (chromium === undefined) {
    assert.fail("Chromium not found (looked for $FLATLAB_CHROMIUM, /usr/bin/chromium, /usr/bin/chromium-browser, /usr/bin/google-chrome). Install it (Debian: apt-get install chromium) or set FLATLAB_CHROMIUM; this test must not pass without rendering.");
  }
  return chromium;
}

/**
 * Chromium over a pipe. `offline`: started inside `unshare -rn` (a network namespace with only
 * loopback) where user namespaces work, and every page request that is not file: or data: is
 * refused and recorded anyway (see `watchRequests`).
 */
export async function launchChromium(offline: boolean): Promise<Browser> {
  const chromium = chromiumPath();
  const isolated = offline && spawnSync("unshare", ["-rn", "true"]).status === 0;
  const [executablePath, ...prefix] = isolated ? ["unshare", "-rn", chromium] : [chromium];
  return puppeteer.launch({
    executablePath: executablePath === "unshare" ? "/usr/bin/unshare" : executablePath,
    // Puppeteer's own defaults would go before `prefix` and break the unshare command line; it
    // still adds --remote-debugging-pipe and a temporary --user-data-dir at the end.
    ignoreDefaultArgs: true,
    pipe: true,
    args: [...prefix, ...CHROMIUM_FLAGS, "--window-size=1200,900", "--hide-scrollbars", "--mute-audio", "about:blank"],
    defaultViewport: { width: 1200, height: 900 },
    timeout: 30_000,
  });
}

/** Requests the page made outside `allowed`; each is aborted. */
export async function watchRequests(page: Page, allowed: RegExp): Promise<string[]> {
  const refused: string[] = [];
  await page.setRequestInterception(true);
  page.on("request", (request) => {
    if (allowed.test(request.url())) void request.continue();
    else {
      refused.push(request.url());
      void request.abort();
    }
  });
  return refused;
}

export interface ProbedImage {
  kind: string;
  shapes?: number;
  naturalWidth: number;
  naturalHeight: number;
  shownWidth: number;
  shownHeight: number;
  /** Fraction of pixels unlike the background. */
  ink: number;
  colours: number;
}

export interface ProbedOutput {
  classes: string;
  /** The first 400 characters of its text. */
  text: string;
  /** Its whole text without code, images and typeset math. */
  prose: string;
  tags: { li: number; strong: number; em: number; table: number; code: number };
  images: ProbedImage[];
}

export interface ProbedCell {
  kind: "markdown" | "code" | "raw";
  text?: string;
  outputs: ProbedOutput[];
}

export interface Probe {
  cells: ProbedCell[];
  mathjax: { version: string; typeset: number; errors: string[] } | null;
}

const PROBE = readFileSync(join(__dirname, "probe.js"), "utf8");

/** The rendered notebook read back from the page (probe.js). */
export function probe(page: Page, layout: "nbconvert" | "classic"): Promise<Probe> {
  return page.evaluate(`(${PROBE.replace(/;\s*$/, "")})(${JSON.stringify(layout)})`) as Promise<Probe>;
}

/**
 * A drawn figure: a decoded image shown at a real size with at least 2% of its pixels unlike the
 * background and 8 distinct colours. An <svg> whose children a sanitizer removed, a blank or
 * broken PNG fail (0% ink); the 20 figures of a quick run of every notebook measured 5.8% to
 * 46% ink (03's greyscale maps), 16 to about 250 colours. Given the output's metadata width (a 2× PNG is shown
 * at 1×), the image must not be shown wider than that. Only the renderer is judged here: whether
 * a figure shows every series is for the figure's own tests and a look at the picture.
 */
export function figureProblem(images: ProbedImage[], metadataWidth?: number): string | undefined {
  if (images.length === 0) return "shows no image";
  const best = images.reduce((a, b) => (b.ink > a.ink ? b : a));
  const where = `${best.kind} ${best.naturalWidth}×${best.naturalHeight} shown at ${best.shownWidth}×${best.shownHeight}, ${(100 * best.ink).toFixed(2)}% ink, ${best.colours} colours${best.shapes !== undefined ? `, ${best.shapes} SVG shapes` : ""}`;
  if (best.naturalWidth === 0 || best.naturalHeight === 0) return `has an image that did not decode (${where})`;
  if (best.shownWidth < 50 || best.shownHeight < 50) return `shows its image too small (${where})`;
  if (best.ink < 0.02 || best.colours < 8) return `shows an image without drawn content (${where})`;
  if (metadataWidth !== undefined && best.shownWidth > metadataWidth + 1) return `shows its image wider than the ${metadataWidth} px its metadata asks for (${where})`;
  return undefined;
}

/** The width an output's metadata gives its PNG (nbformat: metadata["image/png"].width). */
export function pngWidth(out: Output): number | undefined {
  const w = (out.metadata?.["image/png"] as { width?: unknown } | undefined)?.width;
  return typeof w === "number" && w > 0 ? w : undefined;
}

type Output = { output_type: string; name?: string; data?: Record<string, unknown>; metadata?: Record<string, unknown> };
type NotebookCell = { cell_type: string; source: string | string[]; outputs?: Output[]; execution_count?: number | null };
export type Notebook = { cells: NotebookCell[] };

export function readNotebook(file: string): Notebook {
  return JSON.parse(readFileSync(file, "utf8")) as Notebook;
}

/** nbformat may store a text value as a list of lines. */
export function joined(value: unknown): string {
  return Array.isArray(value) ? value.join("") : String(value);
}

export function source(cell: NotebookCell): string {
  return joined(cell.source);
}

const VEGALITE = "application/vnd.vegalite.v5+json";

/** What an output is to a reader: a figure (it holds a Vega-Lite spec), a summary (markdown) or other. */
export function outputRole(out: Output): "figure" | "summary" | "other" {
  if (out.data && VEGALITE in out.data) return "figure";
  if (out.data && "text/markdown" in out.data) return "summary";
  return "other";
}

/** The committed notebooks: notebooks/*.ipynb, sorted. */
export function committedNotebooks(): string[] {
  return readdirSync(NOTEBOOKS_DIR).filter((n) => n.endsWith(".ipynb")).sort();
}
