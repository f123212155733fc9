/**
 * Where a recovery experiment's success rate crosses 1/2: a logistic maximum-likelihood fit to the
 * success counts of one column (one program, one d) over m, or over p for completion, with a 95%
 * profile-likelihood interval for the crossing m₅₀ and the width of the transition.
 *
 * Model (our choice; the paper fits nothing [NF]): P(success at x) = σ(b(x − x₅₀)) with
 * σ(z) = 1/(1 + e^(−z)) and slope b ≥ 0 (success becomes likelier with more measurements). The
 * log-likelihood is concave in (a, b) = (−b·x₅₀, b), so for a fixed x₅₀ the best slope is a 1-D
 * concave maximization, and the profile ℓ_p(x₅₀) = max_b ℓ is quasi-concave (its superlevel sets
 * are images of convex sets under the linear-fractional map (a, b) ↦ −a/b), hence a golden-section
 * search finds its maximum and bisection its crossings of ℓ̂ − χ²₁(0.95)/2 = ℓ̂ − 1.9207, the
 * profile-likelihood interval (Venzon and Moolgavkar 1988). Width: x₉₀ − x₁₀ = 2 ln 9 / b̂.
 * Logistic rather than probit: log σ is exact in floating point without an erfc.
 *
 * Columns the model cannot fit are stated, never NaN:
 * - no success at all: m₅₀ lies above the grid; the profile still gives a lower bound;
 * - success everywhere: m₅₀ lies below the grid; an upper bound;
 * - a clean step (every failure below every success): m₅₀ is anywhere in the gap; its midpoint is
 *   reported with the gap (widened by the profile when a bordering cell has few trials);
 * - a single intermediate cell between all-failure and all-success cells: the fit converges to that
 *   cell (b → ∞), width below the grid's resolution;
 * - no increasing trend (the best fit is flat, the crossing runs off to ±∞): "not identifiable".
 */
import { withTable, withWideTable, type Cell } from "../util/displayable.js";
import { checkInteger, checkNumber, fail } from "../util/validate.js";
import { PROGRAM_LABELS } from "./summarize.js";

export const TRANSITION_STATUSES = ["fitted", "step", "no-successes", "all-successes", "not-identifiable"] as const;
export type TransitionStatus = (typeof TRANSITION_STATUSES)[number];

/** One grid point of a column: x (m or p), successes out of trials. */
export interface TransitionCell {
  readonly x: number;
  readonly successes: number;
  readonly trials: number;
}

export interface TransitionFitOptions {
  /** Confidence level of the profile-likelihood interval (default 0.95). */
  readonly level?: number;
}

export interface TransitionFit {
  readonly status: TransitionStatus;
  /** The crossing x₅₀ (m₅₀ or p₅₀); null when the data put it outside the grid or do not identify it. */
  readonly x50: number | null;
  /** Profile-likelihood interval; null on a side where it is unbounded (beyond the grid's range). */
  readonly low: number | null;
  readonly high: number | null;
  /** x₉₀ − x₁₀ of the fitted curve; null when the transition is sharper than the grid resolves or nothing was fitted. */
  readonly width: number | null;
  /** Fitted slope b (per unit of x); null when not fitted. */
  readonly slope: number | null;
  readonly level: number;
  readonly cells: number;
  readonly trials: number;
  readonly successes: number;
  /** One sentence on what the numbers mean for this column. */
  readonly note: string;
}

// Slopes are searched in [0, B_MAX/range]: a transition 10⁶ times narrower than the grid's range
// is a step as far as any grid can tell, and ℓ(b) has converged to its limit to ~e^(−10⁶·gap).
const B_MAX = 1e6;
// The crossing is searched in [x_min − range, x_max + range]: one grid range of extrapolation.
const REACH = 1;

/** Logistic fit to one column of success counts; see the file comment for the edge cases. */
export function fitTransition(cells: readonly TransitionCell[], options: TransitionFitOptions = {}): TransitionFit {
  const fit = fitColumn("fitTransition", cells, options);
  return withTable(fit, "Transition fit (success rate 1/2; logistic maximum likelihood)", (f) => [
    ["status", f.status],
    ["x₅₀", f.x50],
    [`${pct(f.level)} interval`, interval(f.low, f.high, 4)],
    ["width (10% → 90%)", f.width],
    ["slope b", f.slope],
    ["cells, trials, successes", `${f.cells}, ${f.trials}, ${f.successes}`],
    ["note", f.note],
  ]);
}

function fitColumn(fn: string, cells: readonly TransitionCell[], options: TransitionFitOptions): TransitionFit {
  const level = options.level === undefined ? 0.95 : checkNumber(fn, "options.level", options.level, { min: 0, max: 1, minExclusive: true });
  if (level >= 1) fail(fn, "options.level", "a number in (0, 1)", level);
  const col = checkCells(fn, cells);
  const drop = chiSquare1Quantile(level) / 2;
  const total = col.reduce((a, c) => a + c.n, 0), succ = col.reduce((a, c) => a + c.k, 0);
  const xs = col.map((c) => c.x);
  const xmin = xs[0], xmax = xs[xs.length - 1];
  const range = xmax - xmin;
  const base = { level, cells: col.length, trials: total, successes: succ };
  const fmt = (v: number) => formatX(v, range);

  if (col.length === 1 && succ > 0 && succ < total) {
    return { ...base, status: "not-identifiable", x50: null, low: null, high: null, width: null, slope: null, note: `one grid point (x = ${fmt(xmin)}) with a success rate of ${fmt(succ / total)}: a crossing needs at least two grid points` };
  }
  const scale = range > 0 ? range : Math.max(Math.abs(xmin), 1);
  const lo = xmin - REACH * scale, hi = xmax + REACH * scale;
  const bMax = B_MAX / scale;
  const profile = (mu: number) => profileAt(col, mu, bMax);

  if (succ === 0 || succ === total) {
    // ℓ̂ = 0, reached by a step beyond the last (first) grid point; the profile bounds the crossing.
    const none = succ === 0;
    // Inner end: beyond the grid, where ℓ = 0 (at x_max itself the step would cost n·ln 2).
    const bound = crossing(profile, -drop, none ? lo : hi, none ? hi : lo);
    return {
      ...base, status: none ? "no-successes" : "all-successes", x50: null,
      low: none ? bound : null, high: none ? null : bound, width: null, slope: null,
      note: none
        ? `no success in ${total} trials: the crossing lies above the grid${bound === null ? "" : ` (above ${fmt(bound)} at ${pct(level)})`}`
        : `success in all ${total} trials: the crossing lies below the grid${bound === null ? "" : ` (below ${fmt(bound)} at ${pct(level)})`}`,
    };
  }

  const lastFailure = Math.max(...col.filter((c) => c.k < c.n).map((c) => c.x));
  const firstSuccess = Math.min(...col.filter((c) => c.k > 0).map((c) => c.x));
  if (lastFailure < firstSuccess) {
    // A clean step: ℓ = 0 for every crossing inside the gap, with b → ∞.
    const mid = (lastFailure + firstSuccess) / 2;
    const low = crossing(profile, -drop, lo, mid), high = crossing(profile, -drop, hi, mid);
    return {
      ...base, status: "step", x50: mid, low, high, width: null, slope: null,
      note: `every failure (up to x = ${fmt(lastFailure)}) lies below every success (from x = ${fmt(firstSuccess)}): the crossing is anywhere in between (midpoint reported); the transition is sharper than the grid resolves`,
    };
  }

  const intermediate = col.filter((c) => c.k > 0 && c.k < c.n);
  if (intermediate.length === 1 && col.every((c) => c.k === (c.x < intermediate[0].x ? 0 : c.x > intermediate[0].x ? c.n : c.k))) {
    // One intermediate cell between a clean step: the likelihood's supremum is the limit b → ∞ with
    // the crossing at that cell (the fit reproduces its rate exactly and the rest perfectly).
    const { x: xj, k, n } = intermediate[0];
    const target = k * Math.log(k / n) + (n - k) * Math.log(1 - k / n) - drop;
    return {
      ...base, status: "fitted", x50: xj, low: crossing(profile, target, lo, xj), high: crossing(profile, target, hi, xj), width: null, slope: null,
      note: `one intermediate grid point (x = ${fmt(xj)}, ${k}/${n}) between all failures and all successes: the crossing is there, and the transition is sharper than the grid resolves`,
    };
  }
  const best = goldenMax(profile, lo, hi);
  const edge = 1e-6 * (hi - lo);
  if (best.x - lo < edge || hi - best.x < edge) {
    return { ...base, status: "not-identifiable", x50: null, low: null, high: null, width: null, slope: null, note: `the counts show no increasing trend in x (best fit: a flat success rate of ${fmt(succ / total)}); the crossing is not identifiable` };
  }
  const target = best.value - drop;
  const low = crossing(profile, target, lo, best.x), high = crossing(profile, target, hi, best.x);
  const slope = bestSlope(col, best.x, bMax).b;
  const sharp = slope >= 0.5 * bMax;
  return {
    ...base, status: "fitted", x50: best.x, low, high,
    width: sharp ? null : (2 * Math.log(9)) / slope, slope: sharp ? null : slope,
    note: sharp
      ? "fitted; the transition is sharper than the grid resolves"
      : `fitted; the success rate rises from 10% to 90% over ${fmt((2 * Math.log(9)) / slope)}`,
  };
}

export interface FitTransitionsOptions extends TransitionFitOptions {
  /** Field of the rows holding the grid coordinate (for example "m" or "p"). */
  readonly x: string;
  /** Fields that define a column (for example ["ensemble", "program", "d"]). */
  readonly by: readonly string[];
  /** Field with the successes of a cell (default "successes", as successRates gives). */
  readonly successes?: string;
  /** Field with the trials of a cell (default "trials"). */
  readonly trials?: string;
  /** A reference location per column (for example δ(d)); adds x₅₀/reference to every fit. */
  readonly reference?: (key: Readonly<Record<string, unknown>>) => number | null;
  /** Its name in the table (default "reference"), for example "δ". */
  readonly referenceName?: string;
  /** Name of x in the table (default the field name), for example "m". */
  readonly xName?: string;
}

export type TransitionFitRow = TransitionFit & Readonly<Record<string, unknown>> & {
  readonly reference: number | null;
  /** x₅₀/reference and the interval divided by it (null where either is missing). */
  readonly ratio: number | null;
  readonly ratioLow: number | null;
  readonly ratioHigh: number | null;
};

/**
 * Fits every column of per-cell rows (as `successRates` returns them): one fit per value of the
 * `by` fields, in order of first appearance; the array displays as a table.
 */
export function fitTransitions(rows: readonly Readonly<Record<string, unknown>>[], options: FitTransitionsOptions): TransitionFitRow[] {
  const fn = "fitTransitions";
  if (!Array.isArray(rows) || rows.length === 0) fail(fn, "rows", "a non-empty array of per-cell rows", rows, TypeError);
  if (typeof options !== "object" || options === null) fail(fn, "options", "an object {x, by}", options, TypeError);
  const sField = options.successes ?? "successes", nField = options.trials ?? "trials";
  for (const f of [options.x, sField, nField, ...(Array.isArray(options.by) ? options.by : [])]) {
    if (typeof f !== "string" || !(f in rows[0])) fail(fn, "options", `field names of the rows (${Object.keys(rows[0]).join(", ")})`, f);
  }
  if (!Array.isArray(options.by)) fail(fn, "options.by", "an array of field names", options.by, TypeError);
  if (options.reference !== undefined && typeof options.reference !== "function") fail(fn, "options.reference", "a function (column key) => number", options.reference, TypeError);
  const groups = new Map<string, { key: Record<string, unknown>; cells: TransitionCell[] }>();
  for (const r of rows) {
    const key = Object.fromEntries(options.by.map((b) => [b, r[b]]));
    const id = JSON.stringify(options.by.map((b) => r[b]));
    let g = groups.get(id);
    if (g === undefined) groups.set(id, (g = { key, cells: [] }));
    g.cells.push({ x: r[options.x] as number, successes: r[sField] as number, trials: r[nField] as number });
  }
  const fits = [...groups.values()].map(({ key, cells }) => {
    const fit = fitColumn(fn, cells, options);
    const ref = options.reference?.(key) ?? null;
    if (ref !== null && !(typeof ref === "number" && Number.isFinite(ref) && ref > 0)) fail(fn, "options.reference", "a function returning a positive finite number or null", ref);
    const div = (v: number | null) => (v === null || ref === null ? null : v / ref);
    return { ...key, ...fit, reference: ref, ratio: div(fit.x50), ratioLow: div(fit.low), ratioHigh: div(fit.high) } as TransitionFitRow;
  });
  return attachFitTable(fits, options);
}

function attachFitTable(fits: TransitionFitRow[], options: FitTransitionsOptions): TransitionFitRow[] {
  const x = options.xName ?? options.x, refName = options.referenceName ?? "reference";
  const hasRef = fits.some((f) => f.reference !== null);
  const sub = `${x}₅₀`;
  const header = [...options.by, sub, `${pct(fits[0].level)} interval`, "width (10% → 90%)", ...(hasRef ? [refName, `${sub}/${refName}`, "interval"] : []), "status"];
  return withWideTable(fits, `Transition fits: ${sub} where the success rate crosses 1/2 (logistic maximum likelihood, profile-likelihood interval)`, header, () =>
    fits.map((f) => {
      const digits = Math.abs(f.x50 ?? f.low ?? f.high ?? 1) < 2 ? 3 : 1;
      const cells: Cell[] = [...options.by.map((b) => f[b] as Cell), num(f.x50, digits), interval(f.low, f.high, digits), num(f.width, digits)];
      if (hasRef) cells.push(num(f.reference, digits), num(f.ratio, 3), interval(f.ratioLow, f.ratioHigh, 3));
      cells.push(f.status);
      return cells;
    }));
}

function num(v: number | null, digits: number): string {
  return v === null ? "—" : v.toFixed(digits);
}

function interval(a: number | null, b: number | null, digits: number): string {
  return `[${a === null ? "−∞" : a.toFixed(digits)}, ${b === null ? "∞" : b.toFixed(digits)}]`;
}

// ---------------------------------------------------------------------------------------------
// Likelihood pieces

interface Col { x: number; k: number; n: number }

function checkCells(fn: string, cells: unknown): Col[] {
  if (!Array.isArray(cells) || cells.length === 0) fail(fn, "cells", "a non-empty array of {x, successes, trials}", cells, TypeError);
  const byX = new Map<number, Col>();
  cells.forEach((c, i) => {
    if (typeof c !== "object" || c === null) fail(fn, `cells[${i}]`, "an object {x, successes, trials}", c, TypeError);
    const x = checkNumber(fn, `cells[${i}].x`, (c as TransitionCell).x);
    const n = checkInteger(fn, `cells[${i}].trials`, (c as TransitionCell).trials, 1);
    const k = checkInteger(fn, `cells[${i}].successes`, (c as TransitionCell).successes, 0, n);
    // Cells at the same x (two seeds of one grid point) are pooled: the model sees only x.
    const prev = byX.get(x);
    if (prev) { prev.k += k; prev.n += n; } else byX.set(x, { x, k, n });
  });
  return [...byX.values()].sort((a, b) => a.x - b.x);
}

/** log σ(z), exact for every z. */
function logSigmoid(z: number): number {
  return z >= 0 ? -Math.log1p(Math.exp(-z)) : z - Math.log1p(Math.exp(z));
}

function logLik(col: readonly Col[], mu: number, b: number): number {
  let l = 0;
  for (const c of col) {
    const z = b * (c.x - mu);
    if (c.k > 0) l += c.k * logSigmoid(z);
    if (c.n > c.k) l += (c.n - c.k) * logSigmoid(-z);
  }
  return l;
}

/** The best slope b ∈ [0, bMax] for a fixed crossing: ℓ is concave in b, so bisect ℓ′(b) = Σ tᵢ(kᵢ − nᵢσ(b tᵢ)). */
function bestSlope(col: readonly Col[], mu: number, bMax: number): { b: number; value: number } {
  const slope = (b: number) => {
    let g = 0;
    for (const c of col) {
      const t = c.x - mu;
      g += t * (c.k - c.n / (1 + Math.exp(-b * t)));
    }
    return g;
  };
  let b: number;
  if (slope(0) <= 0) b = 0;
  else if (slope(bMax) >= 0) b = bMax;
  else {
    // Bisection in log b between bMax·1e-16 and bMax (slopes below that are flat at any grid).
    let a = Math.log(bMax) - 37, c = Math.log(bMax);
    if (slope(Math.exp(a)) <= 0) b = 0;
    else {
      for (let i = 0; i < 80; i++) {
        const m = (a + c) / 2;
        if (slope(Math.exp(m)) > 0) a = m; else c = m;
      }
      b = Math.exp((a + c) / 2);
    }
  }
  return { b, value: logLik(col, mu, b) };
}

function profileAt(col: readonly Col[], mu: number, bMax: number): number {
  return bestSlope(col, mu, bMax).value;
}

/** Golden-section maximum of a quasi-concave function on [a, b]. */
function goldenMax(f: (x: number) => number, a: number, b: number): { x: number; value: number } {
  const g = (Math.sqrt(5) - 1) / 2;
  let x1 = b - g * (b - a), x2 = a + g * (b - a), f1 = f(x1), f2 = f(x2);
  const tol = 1e-10 * (b - a);
  while (b - a > tol) {
    if (f1 >= f2) { b = x2; x2 = x1; f2 = f1; x1 = b - g * (b - a); f1 = f(x1); }
    else { a = x1; x1 = x2; f1 = f2; x2 = a + g * (b - a); f2 = f(x2); }
  }
  const x = (a + b) / 2;
  return { x, value: f(x) };
}

/**
 * The point between `outer` and `inner` where f falls to `target` (f(inner) ≥ target), by bisection;
 * null when f stays above the target all the way to `outer` (the interval is unbounded on that side).
 */
function crossing(f: (x: number) => number, target: number, outer: number, inner: number): number | null {
  if (f(outer) >= target) return null;
  let a = outer, b = inner;
  for (let i = 0; i < 100 && Math.abs(b - a) > 1e-12 * Math.max(1, Math.abs(a)); i++) {
    const m = (a + b) / 2;
    if (f(m) >= target) b = m; else a = m;
  }
  return (a + b) / 2;
}

/**
 * Flat against plain per d, from `fitTransitions` rows fitted by ["program", "d"] (the program
 * named as successRates names it): both fits, whether their intervals overlap (an unbounded side,
 * null, reaches as far as needed), whether the flat x₅₀ lies below the plain one (false when
 * either is missing) and whether the flat interval lies entirely below the plain one. One row per
 * d, in order of first appearance; a d missing either program is named in the error.
 */
export function compareTransitions(fits: readonly TransitionFitRow[]): {
  d: unknown; flat: TransitionFitRow; plain: TransitionFitRow; overlap: boolean; flatLower: boolean; flatIntervalBelow: boolean;
}[] {
  if (!Array.isArray(fits)) fail("compareTransitions", "fits", "fitTransitions rows fitted by program and d", fits, TypeError);
  return [...new Set(fits.map((f) => f.d))].map((d) => {
    const [flat, plain] = [PROGRAM_LABELS.flat, PROGRAM_LABELS.plain].map((p) => fits.find((f) => f.d === d && f.program === p));
    if (flat === undefined || plain === undefined) fail("compareTransitions", "fits", `a flat and a plain fit at every d`, `none for ${flat === undefined ? "flat" : "plain"} at d = ${String(d)}`);
    const overlap = (flat.low ?? -Infinity) <= (plain.high ?? Infinity) && (plain.low ?? -Infinity) <= (flat.high ?? Infinity);
    const flatLower = flat.x50 !== null && plain.x50 !== null && flat.x50 < plain.x50;
    const flatIntervalBelow = (flat.high ?? Infinity) < (plain.low ?? -Infinity);
    return { d, flat, plain, overlap, flatLower, flatIntervalBelow };
  });
}

/** χ²₁ quantile: the square of the standard normal's (1 + level)/2 quantile (Acklam's algorithm, relative error 1.2e-9). */
function chiSquare1Quantile(level: number): number {
  return normalQuantile((1 + level) / 2) ** 2;
}

function normalQuantile(p: number): number {
  const a = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
  const b = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
  const c = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
  const lowTail = 0.02425;
  if (p < lowTail) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  if (p > 1 - lowTail) return -normalQuantile(1 - p);
  const q = p - 0.5, r = q * q;
  return ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
}

function pct(level: number): string {
  return `${+(100 * level).toFixed(1)}%`;
}

function formatX(v: number, range: number): string {
  return Math.abs(v) >= 10 || range >= 10 ? v.toFixed(1) : String(+v.toPrecision(3));
}
