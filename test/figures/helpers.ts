/** Helpers for spec tests: compile with vega-lite (collecting warnings) and list the unit specs. */
import assert from "node:assert/strict";
import * as vegaLite from "vega-lite";
import type { VegaLiteSpec } from "../../src/figures/index.js";

/** Compiles to Vega; returns the warnings vega-lite would print (a valid spec gives none). */
export function compileWarnings(spec: VegaLiteSpec): string[] {
  const warnings: string[] = [];
  const logger = {
    level(): number { return 0; },
    warn(...args: unknown[]) { warnings.push(args.map(String).join(" ")); return logger; },
    info() { return logger; },
    debug() { return logger; },
    error(...args: unknown[]) { throw new Error(args.map(String).join(" ")); },
  };
  vegaLite.compile(spec as never, { logger: logger as never });
  return warnings;
}

export interface Unit {
  mark: string;
  markDef: Record<string, unknown>;
  encoding: Record<string, Record<string, unknown>>;
}

/** Every unit (mark-bearing) spec, with the encodings it inherits from enclosing layers merged in. */
export function units(spec: Record<string, unknown>, inherited: Record<string, Record<string, unknown>> = {}): Unit[] {
  const encoding = { ...inherited, ...((spec.encoding as Record<string, Record<string, unknown>>) ?? {}) };
  const out: Unit[] = [];
  if (spec.mark !== undefined) {
    const markDef = typeof spec.mark === "string" ? { type: spec.mark } : (spec.mark as Record<string, unknown>);
    out.push({ mark: markDef.type as string, markDef, encoding });
  }
  for (const child of (spec.layer as Record<string, unknown>[] | undefined) ?? []) out.push(...units(child, encoding));
  if (spec.spec !== undefined) out.push(...units(spec.spec as Record<string, unknown>, encoding));
  return out;
}

export function assertTooltipsEverywhere(spec: VegaLiteSpec): void {
  const all = units(spec);
  assert.ok(all.length > 0, "spec has no marks");
  for (const u of all) {
    const t = u.encoding.tooltip as unknown;
    assert.ok(Array.isArray(t) && t.length > 0, `the ${u.mark} mark has no tooltip encoding`);
  }
}

export function assertWellFormed(spec: VegaLiteSpec): void {
  assert.equal(spec.$schema, "https://vega.github.io/schema/vega-lite/v5.json");
  assert.deepEqual(compileWarnings(spec), []);
  assertTooltipsEverywhere(spec);
  // JSON round trip loses nothing: no functions, undefined or non-finite numbers inside.
  assert.deepEqual(JSON.parse(JSON.stringify(spec)), spec);
}
