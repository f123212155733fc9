/**
 * Random initial factors for training runs (our extension; the paper has no initialization,
 * paper-notes §10 item 10): L₀ ∈ R^{d1×k} and R₀ ∈ R^{d2×k} with i.i.d. N(0, α²) entries, α =
 * `scale`. Small α starts near the origin, where gradient descent is known to be biased toward
 * low-rank, balanced factors; large α starts far from balance (‖L₀ᵀL₀ − R₀ᵀR₀‖ grows like α²),
 * and gradient flow conserves LᵀL − RᵀR, so that imbalance stays (a standard fact [D]:
 * d/dt LᵀL = −2ω(LᵀZR + RᵀZᵀL) = d/dt RᵀR with Z = A*(ρ)).
 */
import type { Matrix } from "../linalg/matrix.js";
import { createRng, deriveSeed } from "../random/rng.js";
import { checkInteger, checkNumber, fail } from "../util/validate.js";

export interface InitOptions {
  /** α, the standard deviation of every entry. */
  readonly scale: number;
  /** L₀ from deriveSeed(seed, 0), R₀ from deriveSeed(seed, 1). */
  readonly seed: number;
}

/** [L₀, R₀] with i.i.d. N(0, scale²) entries, shapes d1×k and d2×k. */
export function initialFactors(shape: { readonly d1: number; readonly d2: number; readonly k: number }, options: InitOptions): [Matrix, Matrix] {
  const fn = "initialFactors";
  if (typeof shape !== "object" || shape === null) fail(fn, "shape", "an object {d1, d2, k} (an instance works)", shape, TypeError);
  const d1 = checkInteger(fn, "shape.d1", shape.d1, 1), d2 = checkInteger(fn, "shape.d2", shape.d2, 1), k = checkInteger(fn, "shape.k", shape.k, 1);
  if (typeof options !== "object" || options === null) fail(fn, "options", "an object {scale, seed}", options, TypeError);
  const scale = checkNumber(fn, "options.scale", options.scale, { min: 0 });
  const seed = checkInteger(fn, "options.seed", options.seed, 0, 2 ** 32 - 1);
  const draw = (rows: number, label: number): Matrix => {
    const data = createRng(deriveSeed(seed, label)).gaussians(rows * k);
    for (let i = 0; i < data.length; i++) data[i] *= scale;
    return { rows, cols: k, data };
  };
  return [draw(d1, 0), draw(d2, 1)];
}
