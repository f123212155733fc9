/**
 * `show(x)`: sends x's whole MIME bundle as one display message through the display sink the
 * flatlab kernel installs (src/display/sink.ts). Values without a display method go as
 * text/plain. Outside a kernel (plain Node, tests) the text is printed to stdout and nothing
 * throws.
 *
 * `useTslab(tslab)` is for users of plain tslab: it installs a sink over tslab's public display
 * API, which sends one MIME type per message, so one representation is chosen per bundle.
 * The user passes the tslab module in (the convention of tslab-plotly): a library that
 * required tslab itself could load a second copy whose display is "Not ready".
 */
import { inspect } from "node:util";
import { JUPYTER_DISPLAY, displayMetadata, isDisplayable, type MimeBundle } from "../util/displayable.js";
import { checkOneOf, fail } from "../util/validate.js";
import { type DisplayOptions, type DisplaySink, currentSink, setSink } from "./sink.js";
import { VEGALITE_MIME } from "./figure.js";

export type ShowOptions = DisplayOptions;

/**
 * Displays x. Await it in a cell (`await show(fig)`), so the output lands in that cell. A bundle
 * value that cannot be serialized, or a display method that fails, becomes a text/plain error
 * output naming the MIME key (and a line on stderr) instead of an exception in the kernel.
 */
export async function show(x: unknown, options: ShowOptions = {}): Promise<void> {
  const sink = currentSink();
  if (sink === undefined) {
    writeLine(process.stdout, plainText(x));
    return;
  }
  const bundle = await bundleOf(x);
  const own = displayMetadata(x);
  try {
    sink.display(bundle, Object.keys(own).length > 0 ? { ...options, metadata: { ...own, ...options.metadata } } : options);
  } catch (e) {
    writeLine(process.stderr, `show: the display sink failed: ${errorText(e)}`);
  }
}

/**
 * The bundle sent for x: its own bundle made JSON-ready (bytes as base64), or util.inspect text.
 * Never throws: failures come back as a text/plain bundle that names what failed.
 */
export async function bundleOf(x: unknown): Promise<MimeBundle> {
  if (!isDisplayable(x)) return { "text/plain": plainText(x) };
  let raw: unknown;
  try {
    raw = await x[JUPYTER_DISPLAY]();
  } catch (e) {
    return reportFailure(`show: the display method of ${shortName(x)} failed: ${errorText(e)}`);
  }
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    return reportFailure(`show: the display method of ${shortName(x)} must return a MIME bundle object; it returned ${typeof raw === "object" ? String(raw) : typeof raw}.`);
  }
  const out: MimeBundle = {};
  for (const [mime, value] of Object.entries(raw)) {
    if (typeof value === "string") {
      out[mime] = value;
    } else if (value instanceof Uint8Array) {
      out[mime] = Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString("base64");
    } else {
      const problem = serializationProblem(value);
      if (problem !== undefined) return reportFailure(`show: could not send the display of ${shortName(x)}: the value under MIME key "${mime}" is not JSON-serializable (${problem}).`);
      out[mime] = value;
    }
  }
  if (Object.keys(out).length === 0) return { "text/plain": plainText(x) };
  return out;
}

export const TSLAB_PREFERENCES = ["png", "vegalite"] as const;

/** The part of tslab's public API used here (its `Display` has more methods). */
export interface TslabDisplayLike {
  raw(contentType: string, data: string | Uint8Array): unknown;
}
export interface TslabLike {
  display: TslabDisplayLike;
  newDisplay(): TslabDisplayLike;
}

/**
 * Routes `show`, `progress` and figures through plain tslab's public display API. tslab sends
 * one MIME type per message, so each bundle sends one representation: "png" (default) renders
 * everywhere, GitHub, nbconvert and the untrusted classic Notebook included; "vegalite" is
 * interactive in JupyterLab and VS Code.
 * Returns the installed sink.
 */
export function useTslab(tslab: TslabLike, options: { prefer?: (typeof TSLAB_PREFERENCES)[number] } = {}): DisplaySink {
  if (typeof tslab !== "object" || tslab === null || typeof tslab.newDisplay !== "function" || typeof tslab.display?.raw !== "function") {
    fail("useTslab", "tslab", "the tslab module (the value of `import * as tslab from \"tslab\"` in a cell)", tslab, TypeError);
  }
  const prefer = options.prefer === undefined ? "png" : checkOneOf("useTslab", "options.prefer", options.prefer, TSLAB_PREFERENCES);
  const order =
    prefer === "png"
      ? ["image/png", "image/svg+xml", VEGALITE_MIME, "text/html", "text/markdown", "text/plain"]
      : [VEGALITE_MIME, "image/png", "image/svg+xml", "text/html", "text/markdown", "text/plain"];
  const displays = new Map<string, TslabDisplayLike>();
  const sink: DisplaySink = {
    display(bundle, opts = {}) {
      const mime = order.find((m) => m in bundle) ?? Object.keys(bundle)[0];
      if (mime === undefined) return;
      let target = tslab.display;
      if (opts.displayId !== undefined) {
        // tslab's updatable displays make their own ids: keep one per id of ours.
        let d = displays.get(opts.displayId);
        if (d === undefined) displays.set(opts.displayId, (d = tslab.newDisplay()));
        target = d;
      }
      // tslab types raw's data as string | Uint8Array, but passes any JSON value through,
      // which is how the Vega-Lite spec goes as an object.
      target.raw(mime, bundle[mime] as string);
    },
  };
  setSink(sink);
  return sink;
}

function plainText(x: unknown): string {
  if (typeof x === "string") return x;
  try {
    return inspect(x, { depth: 4, breakLength: 100 });
  } catch (e) {
    return `[value that util.inspect cannot print: ${errorText(e)}]`;
  }
}

function serializationProblem(value: unknown): string | undefined {
  try {
    return JSON.stringify(value) === undefined ? `JSON.stringify gives nothing for a ${typeof value}` : undefined;
  } catch (e) {
    return errorText(e);
  }
}

function reportFailure(message: string): MimeBundle {
  writeLine(process.stderr, message);
  return { "text/plain": message };
}

function shortName(x: object): string {
  const name = x.constructor?.name;
  return name && name !== "Object" ? `a ${name}` : "an object";
}

/** The error's message on one line (V8's circular-structure message spans three). */
function errorText(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).replace(/\s*\n\s*/g, " ");
}

function writeLine(stream: NodeJS.WriteStream, text: string): void {
  try {
    stream.write(text.endsWith("\n") ? text : `${text}\n`);
  } catch {
    // Nowhere left to report to; display must never break the computation.
  }
}
