/**
 * Argument checks at the public edge. Every message has one shape:
 * `<function>: <argument> must be <expected>; received <value>.`
 * RangeError for values out of range, TypeError for the wrong kind of value.
 */
import type { Matrix } from "../linalg/matrix.js";

function show(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number" || typeof value === "boolean" || value === undefined || value === null) return String(value);
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  if (ArrayBuffer.isView(value)) return `a ${value.constructor.name}`;
  return typeof value === "object" ? "an object" : typeof value;
}

export function fail(fn: string, arg: string, expected: string, value: unknown, Err: typeof RangeError = RangeError): never {
  throw new Err(`${fn}: ${arg} must be ${expected}; received ${show(value)}.`);
}

/** A finite numeric vector of the given length (any ArrayLike; returned as is, not copied). */
export function checkVector(fn: string, arg: string, value: unknown, length: number): ArrayLike<number> {
  const v = value as ArrayLike<number>;
  if (typeof value !== "object" || value === null || typeof v.length !== "number") fail(fn, arg, `a vector of length ${length}`, value, TypeError);
  if (v.length !== length) fail(fn, `${arg}.length`, `${length}`, v.length);
  checkFinite(fn, arg, v);
  return v;
}

export function checkInteger(fn: string, arg: string, value: unknown, min: number, max = Infinity): number {
  if (typeof value !== "number" || !Number.isInteger(value)) {
    fail(fn, arg, max === Infinity ? `an integer ≥ ${min}` : `an integer in [${min}, ${max}]`, value, typeof value === "number" ? RangeError : TypeError);
  }
  if (value < min || value > max) fail(fn, arg, max === Infinity ? `an integer ≥ ${min}` : `an integer in [${min}, ${max}]`, value);
  return value;
}

export function checkNumber(fn: string, arg: string, value: unknown, opts: { min?: number; max?: number; minExclusive?: boolean } = {}): number {
  const { min = -Infinity, max = Infinity, minExclusive = false } = opts;
  const range = `a finite number${min > -Infinity ? (minExclusive ? ` > ${min}` : ` ≥ ${min}`) : ""}${max < Infinity ? ` and ≤ ${max}` : ""}`;
  if (typeof value !== "number") fail(fn, arg, range, value, TypeError);
  if (!Number.isFinite(value) || value < min || (minExclusive && value === min) || value > max) fail(fn, arg, range, value);
  return value;
}

export function checkOneOf<T extends string>(fn: string, arg: string, value: unknown, allowed: readonly T[]): T {
  if (typeof value !== "string" || !(allowed as readonly string[]).includes(value)) {
    fail(fn, arg, `one of ${allowed.map((a) => JSON.stringify(a)).join(", ")}`, value, typeof value === "string" ? RangeError : TypeError);
  }
  return value as T;
}

/** Every entry finite; the message names the first bad index. */
export function checkFinite(fn: string, arg: string, data: ArrayLike<number>): void {
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i])) throw new RangeError(`${fn}: ${arg} must be finite; received ${data[i]} at index ${i}.`);
  }
}

/** A well-formed Matrix with finite entries and, where given, the expected shape. */
export function checkMatrix(fn: string, arg: string, a: unknown, rows?: number, cols?: number): Matrix {
  const m = a as Matrix;
  if (typeof a !== "object" || a === null || !(m.data instanceof Float64Array) || !Number.isInteger(m.rows) || !Number.isInteger(m.cols)) {
    fail(fn, arg, "a Matrix {rows, cols, data: Float64Array}", a, TypeError);
  }
  if (m.data.length !== m.rows * m.cols) {
    throw new RangeError(`${fn}: ${arg} must have rows*cols = ${m.rows * m.cols} entries; received ${m.data.length}.`);
  }
  if ((rows !== undefined && m.rows !== rows) || (cols !== undefined && m.cols !== cols)) {
    throw new RangeError(`${fn}: ${arg} must have shape [${rows ?? m.rows}, ${cols ?? m.cols}]; received [${m.rows}, ${m.cols}].`);
  }
  checkFinite(fn, arg, m.data);
  return m;
}
