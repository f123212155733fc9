/**
 * Where display messages go. The flatlab kernel launcher (src/kernel) installs a sink on
 * `globalThis[DISPLAY_SINK]` that writes whole MIME bundles as one display_data (or
 * update_display_data) message; outside such a kernel there is no sink and the display layer
 * falls back to text. This file is the whole contract between the display layer and the kernel.
 */
import type { MimeBundle } from "../util/displayable.js";

export const DISPLAY_SINK = Symbol.for("flatlab.display.sink");

export interface DisplayOptions {
  /** Ties this output to an id; a later call with the same id and `update: true` replaces it. */
  displayId?: string;
  /** Send update_display_data for `displayId` instead of a new display_data. */
  update?: boolean;
  /** Output metadata (for example `{ "application/vnd.vegalite.v5+json": { embed_options } }`). */
  metadata?: Record<string, unknown>;
}

export interface DisplaySink {
  display(bundle: MimeBundle, options?: DisplayOptions): void;
}

export function currentSink(): DisplaySink | undefined {
  return (globalThis as Record<symbol, unknown>)[DISPLAY_SINK] as DisplaySink | undefined;
}

export function setSink(sink: DisplaySink | undefined): void {
  (globalThis as Record<symbol, unknown>)[DISPLAY_SINK] = sink;
}
