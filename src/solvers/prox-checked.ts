/**
 * The proximal maps of prox.ts as the public API offers them: every argument checked and named
 * (issue 13 item 9: τ < 0 inflated the singular values, a short `out` or mismatched lengths gave
 * wrong numbers silently, q = 3 left the map's domain). The solvers call prox.ts directly, once
 * per iteration, with arguments they built themselves.
 */
import type { Matrix } from "../linalg/matrix.js";
import { checkFinite, checkMatrix, checkNumber, fail } from "../util/validate.js";
import * as prox from "./prox.js";

function checkOut(fn: string, out: unknown, length: number, z?: Float64Array): Float64Array {
  if (!(out instanceof Float64Array)) fail(fn, "out", `a Float64Array of length ${length}`, out, TypeError);
  if (out.length !== length) fail(fn, "out.length", `${length} (the entries of z)`, out.length);
  if (z !== undefined && out.buffer === z.buffer && out.byteOffset < z.byteOffset + z.byteLength && z.byteOffset < out.byteOffset + out.byteLength) {
    throw new RangeError(`${fn}: out must not overlap z.data (the map reads z while it writes out).`);
  }
  return out;
}

function checkTau(fn: string, tau: unknown): number {
  return checkNumber(fn, "tau", tau, { min: 0 });
}

/** out ← U diag((σ − τ)_+) Vᵀ, the prox of τ‖·‖_* (see prox.ts); τ ≥ 0, out of z's size, not aliasing z. */
export function singularValueThreshold(z: Matrix, tau: number, out: Float64Array): prox.ThresholdResult {
  const fn = "singularValueThreshold";
  checkMatrix(fn, "z", z);
  return prox.singularValueThreshold(z, checkTau(fn, tau), checkOut(fn, out, z.rows * z.cols, z.data));
}

/** The symmetric version (see prox.ts); z square. */
export function symmetricThreshold(z: Matrix, tau: number, out: Float64Array): prox.ThresholdResult {
  const fn = "symmetricThreshold";
  checkMatrix(fn, "z", z);
  if (z.rows !== z.cols) throw new RangeError(`${fn}: z must be square; received shape [${z.rows}, ${z.cols}].`);
  return prox.symmetricThreshold(z, checkTau(fn, tau), checkOut(fn, out, z.rows * z.cols, z.data));
}

/** out_i ← sign(v_i)(|v_i| − t_i)_+; v, t and out of one length, t ≥ 0 entrywise. */
export function softThreshold(v: Float64Array, t: Float64Array, out: Float64Array): void {
  const fn = "softThreshold";
  if (!(v instanceof Float64Array)) fail(fn, "v", "a Float64Array", v, TypeError);
  if (!(t instanceof Float64Array)) fail(fn, "t", `a Float64Array of length ${v.length}`, t, TypeError);
  if (t.length !== v.length) fail(fn, "t.length", `${v.length} (the length of v)`, t.length);
  checkFinite(fn, "v", v);
  for (let i = 0; i < t.length; i++) if (!(t[i] >= 0 && t[i] < Infinity)) throw new RangeError(`${fn}: t must be finite and ≥ 0; received ${t[i]} at index ${i}.`);
  if (!(out instanceof Float64Array)) fail(fn, "out", `a Float64Array of length ${v.length}`, out, TypeError);
  if (out.length !== v.length) fail(fn, "out.length", `${v.length} (the length of v)`, out.length);
  prox.softThreshold(v, t, out);
}

/** argmin_x t|x|^q + ½(x − v)² for 1 < q < 2 and t ≥ 0 (see prox.ts). */
export function proxPowerScalar(v: number, t: number, q: number): number {
  const fn = "proxPowerScalar";
  checkNumber(fn, "v", v);
  checkNumber(fn, "t", t, { min: 0 });
  if (!(typeof q === "number" && q > 1 && q < 2)) fail(fn, "q", "a number in (1, 2) (q = 1 is softThreshold; q ≥ 2 is smooth)", q, typeof q === "number" ? RangeError : TypeError);
  return prox.proxPowerScalar(v, t, q);
}
