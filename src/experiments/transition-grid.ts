/**
 * Grids that resolve the phase transition at every d (issue 12): the measurements m, or the
 * sampling probability p for completion, placed around where theory or calibration puts the
 * transition at that d, for a grid spec's explicit `cells` (one set of m values per d).
 *
 * Centres (all our choices; the paper's grids are [NF]):
 * - "gaussian", "bilinear": δ(d, d, r), the statistical dimension of the nuclear norm's descent cone
 *   (src/theory); for Gaussian measurements it is the transition of nuclear-norm minimization
 *   (ALMT 2014). Bilinear measurements are not Gaussian: δ is where to look, not a promise.
 * - "quadratic", "covariance": the symmetric variant δ(d, r) over symmetric matrices. For A_i = x_i x_iᵀ it is a
 *   reference, not a proven threshold; notebook 06's full grids (d = 10…60) put the measured crossings at
 *   1.08–1.22 times it for the network (r = 3) and 0.91–1.25 for covariance estimation (r = 2), inside the
 *   default span.
 * - "completion": r(2d − r)·ln d / d² (degrees of freedom times a coupon-collector log
 *   factor, as a fraction of the d² entries). No exact threshold is known; this centre was calibrated
 *   on notebook 04's first, coarse grid (d = 10…40, p every 0.1: 1.0–1.1 times it), and its full
 *   grid (d = 20…100, 16 values of p per d) measures p₅₀ at 0.89–1.11 times it.
 *
 * Default spans: m ∈ [0.6, 1.5]·centre, p ∈ [0.6, 1.6]·centre clipped to (0, 1]; 16 values, evenly
 * spaced, m rounded to integers (duplicates at small d dropped), p to 4 decimals.
 */
import { checkInteger, checkNumber, checkOneOf, fail } from "../util/validate.js";
import { statisticalDimension } from "../theory/statistical-dimension.js";
import { ENSEMBLES, type Ensemble } from "./recovery.js";

export interface TransitionGridOptions {
  readonly ensemble: Ensemble;
  /** The dimensions d (d₁ = d₂ = d). */
  readonly ds: readonly number[];
  /** Rank of M♮. */
  readonly r: number;
  /** Grid values per d (default 16). */
  readonly values?: number;
  /** The span as multiples of the centre (default [0.6, 1.5] for m, [0.6, 1.6] for p). */
  readonly span?: readonly [number, number];
  /** Monte Carlo samples for δ (default 400) and their seed (default 0). */
  readonly samples?: number;
  readonly seed?: number;
}

export interface TransitionCentre {
  readonly d: number;
  /** Where the grid is centred: δ, the symmetric δ, or the completion reference. */
  readonly value: number;
  /** Standard error of a Monte Carlo δ (null for the completion centre). */
  readonly stderr: number | null;
}

export interface TransitionGrid {
  /** Cells for a grid spec: {d, m} (or {d, p}), d ascending, then m (p) ascending. */
  readonly cells: readonly ({ readonly d: number; readonly m: number } | { readonly d: number; readonly p: number })[];
  /** The centre at each d, for reference lines and m₅₀/δ. */
  readonly centres: readonly TransitionCentre[];
  /** What the centre is, for a legend: "δ(d), statistical dimension", .... */
  readonly centreName: string;
  /** "m" or "p". */
  readonly axis: "m" | "p";
}

/** Per-d grid cells around the transition of one ensemble; see the file comment for the centres. */
export function transitionGrid(options: TransitionGridOptions): TransitionGrid {
  const fn = "transitionGrid";
  if (typeof options !== "object" || options === null) fail(fn, "options", "an object {ensemble, ds, r}", options, TypeError);
  const ensemble = checkOneOf(fn, "options.ensemble", options.ensemble, ENSEMBLES);
  if (!Array.isArray(options.ds) || options.ds.length === 0) fail(fn, "options.ds", "a non-empty array of dimensions", options.ds, TypeError);
  const ds = [...new Set(options.ds.map((d, i) => checkInteger(fn, `options.ds[${i}]`, d, 1)))].sort((a, b) => a - b);
  const r = checkInteger(fn, "options.r", options.r, 1, ds[0]);
  const count = options.values === undefined ? 16 : checkInteger(fn, "options.values", options.values, 2);
  const axis = ensemble === "completion" ? "p" : "m";
  const span = options.span ?? (axis === "p" ? [0.6, 1.6] : [0.6, 1.5]);
  if (!Array.isArray(span) || span.length !== 2) fail(fn, "options.span", "two multiples [low, high] of the centre", span, TypeError);
  const lo = checkNumber(fn, "options.span[0]", span[0], { min: 0, minExclusive: true });
  const hi = checkNumber(fn, "options.span[1]", span[1], { min: lo, minExclusive: true });
  const samples = options.samples ?? 400, seed = options.seed ?? 0;

  const symmetric = ensemble === "quadratic" || ensemble === "covariance";
  const centres: TransitionCentre[] = ds.map((d) => {
    if (axis === "p") return { d, value: Math.min(1, (r * (2 * d - r) * Math.log(d)) / (d * d)), stderr: null };
    const s = statisticalDimension(symmetric ? { d, r, symmetric: true } : { d1: d, d2: d, r }, { samples, seed });
    return { d, value: s.delta, stderr: s.stderr };
  });
  const cells = centres.flatMap(({ d, value }): TransitionGrid["cells"][number][] => {
    const a = lo * value, b = axis === "p" ? Math.min(1, hi * value) : hi * value;
    const grid = Array.from({ length: count }, (_, i) => a + ((b - a) * i) / (count - 1));
    if (axis === "p") return [...new Set(grid.map((p) => Math.round(p * 1e4) / 1e4))].filter((p) => p > 0).map((p) => ({ d, p }));
    return [...new Set(grid.map((m) => Math.max(1, Math.round(m))))].map((m) => ({ d, m }));
  });
  const centreName = axis === "p"
    ? "r(2d − r)·ln d / d² (calibrated reference, not a theorem)"
    : symmetric
      ? "δ(d) of symmetric matrices (reference, not a threshold for x xᵀ)"
      : "δ(d), statistical dimension";
  return { cells, centres, centreName, axis };
}
