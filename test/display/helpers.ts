/** Helpers for display tests: SVG and PNG checks, a fake sink, captured stdout/stderr. */
import assert from "node:assert/strict";
import type { MimeBundle } from "../../src/util/displayable.js";
import type { DisplayOptions, DisplaySink } from "../../src/display/index.js";
import { currentSink, setSink } from "../../src/display/sink.js";

/** Starts with <svg and the SVG namespace, ends with </svg>, and every tag closes in order. */
export function assertWellFormedSVG(svg: string): void {
  assert.ok(svg.startsWith("<svg"), `SVG starts with ${JSON.stringify(svg.slice(0, 20))}`);
  assert.match(svg.slice(0, 300), /xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
  assert.ok(svg.trimEnd().endsWith("</svg>"), "SVG ends with </svg>");
  const stack: string[] = [];
  for (const m of svg.matchAll(/<(\/?)([A-Za-z][\w:.-]*)(?:\s[^>]*?)?(\/?)>/g)) {
    const [, closing, name, selfClosing] = m;
    if (selfClosing) continue;
    if (closing) assert.equal(stack.pop(), name, `</${name}> closes the innermost open tag`);
    else stack.push(name);
  }
  assert.deepEqual(stack, [], "no tag left open");
}

export const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** Width and height from the PNG's IHDR chunk. */
export function pngSize(png: Uint8Array): { width: number; height: number } {
  assert.deepEqual([...png.subarray(0, 8)], PNG_MAGIC, "PNG magic bytes");
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

export function svgSize(svg: string): { width: number; height: number } {
  const m = /^<svg[^>]*\swidth="([\d.]+)"[^>]*\sheight="([\d.]+)"/.exec(svg);
  assert.ok(m, "SVG root has width and height");
  return { width: Number(m[1]), height: Number(m[2]) };
}

export interface Sent {
  bundle: MimeBundle;
  options: DisplayOptions;
}

/** A sink that records every message, like the kernel's. */
export function fakeSink(): DisplaySink & { sent: Sent[] } {
  const sent: Sent[] = [];
  return { sent, display: (bundle, options = {}) => void sent.push({ bundle, options }) };
}

/** Runs f with a sink installed (or none), restoring the previous one afterwards. */
export async function withSink<T>(sink: DisplaySink | undefined, f: () => Promise<T>): Promise<T> {
  const previous = currentSink();
  setSink(sink);
  try {
    return await f();
  } finally {
    setSink(previous);
  }
}

/** Runs f, capturing what it writes to stdout and stderr. */
export async function capture<T>(f: () => Promise<T> | T): Promise<{ value: T; stdout: string; stderr: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const writeOut = process.stdout.write;
  const writeErr = process.stderr.write;
  process.stdout.write = ((chunk: string | Uint8Array) => (out.push(String(chunk)), true)) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string | Uint8Array) => (err.push(String(chunk)), true)) as typeof process.stderr.write;
  try {
    const value = await f();
    return { value, stdout: out.join(""), stderr: err.join("") };
  } finally {
    process.stdout.write = writeOut;
    process.stderr.write = writeErr;
  }
}
