/**
 * MIME bundles on their way to Jupyter (issue 2 item 5, issue 6 item 3 and "Bad input").
 * A cell's last value becomes the bundle of its `[Symbol.for("Jupyter.display")]()` (the Deno
 * convention, src/util/displayable.ts) or else util.inspect text; every bundle is checked key by
 * key before it is sent, so a value that cannot be serialized is reported by its MIME key
 * instead of throwing inside tslab's socket code.
 */
import { inspect } from "node:util";
import { isDisplayable, JUPYTER_DISPLAY, type MimeBundle } from "../util/displayable.js";

/** The MIME type pattern of the Jupyter message schema (msgspec v5 `mime_data`). */
const MIME_KEY = /^[\w\-+.]+\/[\w\-+.]+$/;

/** The text a value shows as `Out[n]` when it has no display of its own (what console.log would print). */
export function plainText(value: unknown): string {
  try {
    return inspect(value);
  } catch (e) {
    return `<a value that cannot be printed: ${e instanceof Error ? e.message : String(e)}>`;
  }
}

/**
 * Checks a bundle and makes it JSON-ready: binary values (Uint8Array, Buffer) become base64 as
 * Jupyter expects for image/png; anything else must survive JSON.stringify. `where` names the
 * caller in messages.
 */
export function normalizeBundle(bundle: unknown, where: string): MimeBundle {
  if (typeof bundle !== "object" || bundle === null || Array.isArray(bundle)) {
    throw new TypeError(`${where}: a MIME bundle must be an object mapping MIME types to values; received ${plainText(bundle)}.`);
  }
  const out: MimeBundle = {};
  for (const [key, value] of Object.entries(bundle)) {
    if (!MIME_KEY.test(key)) throw new TypeError(`${where}: bundle key ${JSON.stringify(key)} is not a MIME type (like "text/plain").`);
    if (value === undefined) throw new TypeError(`${where}: the value for MIME type "${key}" is undefined.`);
    if (value instanceof Uint8Array) {
      out[key] = Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString("base64");
      continue;
    }
    let json: string | undefined;
    try {
      json = JSON.stringify(value);
    } catch (e) {
      throw new TypeError(`${where}: the value for MIME type "${key}" is not JSON-serializable (${e instanceof Error ? e.message.split("\n")[0] : String(e)}).`);
    }
    if (json === undefined) throw new TypeError(`${where}: the value for MIME type "${key}" is not JSON-serializable (it is ${typeof value}).`);
    out[key] = value;
  }
  if (Object.keys(out).length === 0) throw new TypeError(`${where}: the MIME bundle is empty.`);
  return out;
}

/**
 * The `data` of a cell's execute_result: the value's own bundle when it has one (awaited if the
 * display method returns a Promise), with text/plain added when the bundle lacks it, else
 * text/plain from util.inspect.
 */
export async function resultBundle(value: unknown): Promise<MimeBundle> {
  if (!isDisplayable(value)) return { "text/plain": plainText(value) };
  const bundle = normalizeBundle(await value[JUPYTER_DISPLAY](), 'Symbol.for("Jupyter.display")');
  return "text/plain" in bundle ? bundle : { ...bundle, "text/plain": plainText(value) };
}
