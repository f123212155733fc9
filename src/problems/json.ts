/**
 * Versioned JSON for problem instances: `{schema: "flatlab.<problem>", version: 1, ...}` so an
 * experiment can be rerun from a file. Readers name the missing or malformed field; another schema
 * or version is rejected, never guessed at.
 */
import type { Matrix } from "../linalg/matrix.js";
import { fail } from "../util/validate.js";

export const SCHEMA_VERSION = 1;

export interface MatrixJSON {
  readonly rows: number;
  readonly cols: number;
  readonly data: number[];
}

export function matrixToJSON(a: Matrix): MatrixJSON {
  return { rows: a.rows, cols: a.cols, data: Array.from(a.data) };
}

/** Reads the JSON header and returns the object, after checking schema and version. */
export function readHeader(fn: string, json: unknown, schema: string): Record<string, unknown> {
  if (typeof json === "string") json = JSON.parse(json);
  if (typeof json !== "object" || json === null || Array.isArray(json)) fail(fn, "json", `an object with schema "${schema}"`, json, TypeError);
  const o = json as Record<string, unknown>;
  if (!("schema" in o)) fail(fn, "json.schema", `"${schema}" (field missing)`, undefined);
  if (o.schema !== schema) fail(fn, "json.schema", `"${schema}"`, o.schema);
  if (!("version" in o)) fail(fn, "json.version", `${SCHEMA_VERSION} (field missing)`, undefined);
  if (o.version !== SCHEMA_VERSION) fail(fn, "json.version", `${SCHEMA_VERSION}`, o.version);
  return o;
}

function field(fn: string, o: Record<string, unknown>, name: string, expected: string, prefix: string): unknown {
  if (!(name in o) || o[name] === undefined) fail(fn, `${prefix}.${name}`, `${expected} (field missing)`, undefined);
  return o[name];
}

export function readNumber(fn: string, o: Record<string, unknown>, name: string, integer = false, min = -Infinity, prefix = "json"): number {
  const expected = integer ? `an integer ≥ ${min}` : min > -Infinity ? `a finite number ≥ ${min}` : "a finite number";
  const v = field(fn, o, name, expected, prefix);
  if (typeof v !== "number" || !Number.isFinite(v) || (integer && !Number.isInteger(v)) || v < min) fail(fn, `${prefix}.${name}`, expected, v);
  return v;
}

/** A seed or null (instances built from user data have none). */
export function readSeed(fn: string, o: Record<string, unknown>): number | null {
  const v = field(fn, o, "seed", "an integer seed or null", "json");
  if (v === null) return null;
  if (typeof v !== "number" || !Number.isInteger(v) || v < 0) fail(fn, "json.seed", "an integer seed or null", v);
  return v;
}

export function readVector(fn: string, o: Record<string, unknown>, name: string, length?: number, prefix = "json"): Float64Array {
  const v = field(fn, o, name, "an array of finite numbers", prefix);
  if (!Array.isArray(v)) fail(fn, `${prefix}.${name}`, "an array of finite numbers", v, TypeError);
  if (length !== undefined && v.length !== length) fail(fn, `${prefix}.${name}.length`, `${length}`, v.length);
  const out = new Float64Array(v.length);
  for (let i = 0; i < v.length; i++) {
    if (typeof v[i] !== "number" || !Number.isFinite(v[i])) fail(fn, `${prefix}.${name}[${i}]`, "a finite number", v[i]);
    out[i] = v[i];
  }
  return out;
}

export function readIndices(fn: string, o: Record<string, unknown>, name: string, length?: number): Int32Array {
  const v = readVector(fn, o, name, length);
  for (let i = 0; i < v.length; i++) if (!Number.isInteger(v[i]) || v[i] < 0) fail(fn, `json.${name}[${i}]`, "a nonnegative integer", v[i]);
  return Int32Array.from(v);
}

export function readMatrix(fn: string, o: Record<string, unknown>, name: string, rows?: number, cols?: number): Matrix {
  const v = field(fn, o, name, "a matrix {rows, cols, data}", "json");
  if (typeof v !== "object" || v === null) fail(fn, `json.${name}`, "a matrix {rows, cols, data}", v, TypeError);
  const m = v as Record<string, unknown>;
  const r = readNumber(fn, m, "rows", true, 0, `json.${name}`), c = readNumber(fn, m, "cols", true, 0, `json.${name}`);
  if ((rows !== undefined && r !== rows) || (cols !== undefined && c !== cols)) {
    fail(fn, `json.${name}`, `a matrix of shape [${rows ?? r}, ${cols ?? c}]`, `shape [${r}, ${c}]`);
  }
  const data = readVector(fn, m, "data", r * c, `json.${name}`);
  return { rows: r, cols: c, data };
}
