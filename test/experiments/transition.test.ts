import { test } from "node:test";
import assert from "node:assert/strict";
import { compareTransitions, fitTransition, fitTransitions, type TransitionFit } from "../../src/experiments/transition.js";
import { PROGRAM_LABELS } from "../../src/experiments/summarize.js";
import { createRng } from "../../src/random/rng.js";
import { assertClose } from "../helpers.js";

const xs = [10, 20, 30, 40, 50, 60];
const column = (ks: number[], n = 10) => ks.map((k, i) => ({ x: xs[i], successes: k, trials: n }));

function logLik(cells: { x: number; successes: number; trials: number }[], mu: number, b: number): number {
  let l = 0;
  for (const c of cells) {
    const p = 1 / (1 + Math.exp(-b * (c.x - mu)));
    if (c.successes > 0) l += c.successes * Math.log(p);
    if (c.trials > c.successes) l += (c.trials - c.successes) * Math.log(1 - p);
  }
  return l;
}

/** max over b of ℓ(μ, b) on a fine log grid (brute force, independent of the library's bisection). */
function bruteProfile(cells: { x: number; successes: number; trials: number }[], mu: number): number {
  let best = -Infinity;
  for (let e = -4; e <= 1; e += 0.001) best = Math.max(best, logLik(cells, mu, 10 ** e));
  return best;
}

/** No NaN anywhere: every number finite, every missing value null. */
function assertNoNaN(fit: TransitionFit): void {
  for (const [k, v] of Object.entries(fit)) if (typeof v === "number") assert.ok(Number.isFinite(v), `${k} = ${v}`);
  assert.ok(JSON.stringify(fit).length > 0);
}

test("fitTransition recovers a known logistic transition from large counts (crossing, width, interval covering the truth)", () => {
  const rng = createRng(21);
  const mu = 237, b = 0.06, n = 3000;
  const cells = Array.from({ length: 16 }, (_, i) => {
    const x = 150 + 12 * i, p = 1 / (1 + Math.exp(-b * (x - mu)));
    let k = 0;
    for (let t = 0; t < n; t++) k += rng.uniform() < p ? 1 : 0;
    return { x, successes: k, trials: n };
  });
  const fit = fitTransition(cells);
  assert.equal(fit.status, "fitted");
  assertClose(fit.x50!, mu, 0.003);
  assert.ok(fit.low! < mu && mu < fit.high!, `[${fit.low}, ${fit.high}] covers ${mu}`);
  assertClose(fit.width!, (2 * Math.log(9)) / b, 0.05);
  assertClose(fit.slope!, b, 0.05);
});

test("fitTransition's x₅₀ maximizes the likelihood over a brute-force (x₅₀, b) grid, and ℓ_profile = ℓ̂ − χ²₁(0.95)/2 at the interval's ends", () => {
  const cells = column([0, 1, 3, 5, 8, 10]);
  const fit = fitTransition(cells);
  assert.equal(fit.status, "fitted");
  let best = { mu: 0, l: -Infinity };
  for (let mu = 34; mu <= 42; mu += 0.02) {
    const l = bruteProfile(cells, mu);
    if (l > best.l) best = { mu, l };
  }
  assertClose(fit.x50!, best.mu, 0, 0.03, "x₅₀ against the grid maximum");
  const lHat = logLik(cells, fit.x50!, fit.slope!);
  assertClose(lHat, best.l, 0, 1e-4, "maximum log-likelihood");
  for (const end of [fit.low!, fit.high!]) assertClose(bruteProfile(cells, end), lHat - 3.841458820694124 / 2, 0, 2e-3, `profile at ${end}`);
});

test("fitTransition's 95% intervals cover the true crossing in about 95% of simulated 10-trial columns", () => {
  const rng = createRng(22);
  let covered = 0, fitted = 0;
  for (let rep = 0; rep < 300; rep++) {
    const mu = 100 + 20 * rng.uniform(), b = 0.1;
    const cells = Array.from({ length: 16 }, (_, i) => {
      const x = 60 + 5 * i, p = 1 / (1 + Math.exp(-b * (x - mu)));
      let k = 0;
      for (let t = 0; t < 10; t++) k += rng.uniform() < p ? 1 : 0;
      return { x, successes: k, trials: 10 };
    });
    const fit = fitTransition(cells);
    assertNoNaN(fit);
    if (fit.low === null || fit.high === null) continue;
    fitted++;
    if (fit.low <= mu && mu <= fit.high) covered++;
  }
  assert.ok(fitted >= 290, `${fitted} of 300 columns gave a two-sided interval`);
  const rate = covered / fitted;
  assert.ok(rate > 0.9 && rate < 0.99, `coverage ${rate} (${covered}/${fitted})`);
});

test("fitTransition on an all-failure column says the crossing lies above the grid, with a lower bound and no NaN", () => {
  const fit = fitTransition(column([0, 0, 0, 0, 0, 0]));
  assertNoNaN(fit);
  assert.equal(fit.status, "no-successes");
  assert.equal(fit.x50, null);
  assert.equal(fit.high, null);
  assert.ok(fit.low! > 59.9 && fit.low! <= 60.01, `lower bound ${fit.low}`);
  assert.match(fit.note, /lies above the grid/);
  // With a single trial per cell the bound moves below the last grid point (ln 2 < 1.92).
  assert.ok(fitTransition(column([0, 0, 0, 0, 0, 0], 1)).low! < 60);
});

test("fitTransition on an all-success column says the crossing lies below the grid, with an upper bound", () => {
  const fit = fitTransition(column([10, 10, 10, 10, 10, 10]));
  assertNoNaN(fit);
  assert.equal(fit.status, "all-successes");
  assert.equal(fit.x50, null);
  assert.equal(fit.low, null);
  assert.ok(fit.high! < 10.1 && fit.high! >= 9.99, `upper bound ${fit.high}`);
});

test("fitTransition on a clean step reports the gap's midpoint with the gap as interval", () => {
  const fit = fitTransition(column([0, 0, 0, 10, 10, 10]));
  assertNoNaN(fit);
  assert.equal(fit.status, "step");
  assert.equal(fit.x50, 35);
  assertClose(fit.low!, 30, 0, 1e-3);
  assertClose(fit.high!, 40, 0, 1e-3);
  assert.equal(fit.width, null);
});

test("fitTransition on a single intermediate cell puts the crossing at that cell, with a finite interval and no width", () => {
  const fit = fitTransition(column([0, 0, 4, 10, 10, 10]));
  assertNoNaN(fit);
  assert.equal(fit.status, "fitted");
  assert.equal(fit.x50, 30);
  assert.ok(fit.low! > 20 && fit.low! < 30 && fit.high! > 30 && fit.high! < 40, `[${fit.low}, ${fit.high}]`);
  assert.equal(fit.width, null);
  assert.match(fit.note, /one intermediate grid point/);
  // The interval is the profile's: at its ends the brute-force profile is ℓ_sup − 1.92.
  const sup = 4 * Math.log(0.4) + 6 * Math.log(0.6);
  for (const end of [fit.low!, fit.high!]) assertClose(bruteProfile(column([0, 0, 4, 10, 10, 10]), end), sup - 3.841458820694124 / 2, 0, 2e-3);
});

test("fitTransition on non-monotone counts gives a finite fit; on decreasing or flat counts it says 'not identifiable'", () => {
  const wobbly = fitTransition(column([0, 2, 1, 6, 5, 10]));
  assertNoNaN(wobbly);
  assert.equal(wobbly.status, "fitted");
  assert.ok(wobbly.x50! > 30 && wobbly.x50! < 50 && wobbly.low! < wobbly.x50! && wobbly.x50! < wobbly.high! && wobbly.width! > 0);
  for (const ks of [[10, 8, 6, 4, 2, 0], [5, 5, 5, 5, 5, 5]]) {
    const fit = fitTransition(column(ks));
    assertNoNaN(fit);
    assert.equal(fit.status, "not-identifiable");
    assert.equal(fit.x50, null);
    assert.match(fit.note, /not identifiable/);
  }
  const single = fitTransition([{ x: 5, successes: 3, trials: 10 }]);
  assert.equal(single.status, "not-identifiable");
});

test("fitTransitions fits one column per key, divides by the reference and displays a table", () => {
  const rows = [10, 20, 30, 40].flatMap((m, i) => [
    { d: 10, program: "flat", m, successes: [0, 5, 10, 9][i], trials: 10 },
    { d: 10, program: "plain", m, successes: [0, 0, 7, 10][i], trials: 10 },
  ]);
  const fits = fitTransitions(rows, { x: "m", by: ["d", "program"], reference: (key) => (key.d === 10 ? 25 : null), referenceName: "δ" });
  assert.deepEqual(fits.map((f) => f.program), ["flat", "plain"]);
  for (const f of fits) {
    assert.equal(f.reference, 25);
    assertClose(f.ratio!, f.x50! / 25, 1e-15);
    assertClose(f.ratioLow!, f.low! / 25, 1e-15);
  }
  const bundle = (fits as unknown as Record<symbol, () => Record<string, string>>)[Symbol.for("Jupyter.display")]();
  assert.match(bundle["text/plain"], /m₅₀\/δ/);
  assert.match(bundle["text/html"], /<td style="text-align:right">plain<\/td>/);
  assert.equal(JSON.parse(JSON.stringify(fits)).length, 2, "the array stays plain JSON");
});

test("fitTransition and fitTransitions name the bad argument", () => {
  assert.throws(() => fitTransition([]), /fitTransition: cells must be a non-empty array/);
  assert.throws(() => fitTransition([{ x: 1, successes: 11, trials: 10 }]), { message: "fitTransition: cells[0].successes must be an integer in [0, 10]; received 11." });
  assert.throws(() => fitTransition([{ x: 1, successes: 1, trials: 0 }]), /cells\[0\]\.trials must be an integer ≥ 1; received 0/);
  assert.throws(() => fitTransition([{ x: NaN, successes: 1, trials: 2 }]), /cells\[0\]\.x must be a finite number; received NaN/);
  assert.throws(() => fitTransition(column([0, 10, 10, 10, 10, 10]), { level: 1 }), /options\.level must be a number in \(0, 1\)/);
  assert.throws(() => fitTransitions([{ m: 1, successes: 0, trials: 1 }], { x: "n", by: [] }), /fitTransitions: options must be field names of the rows \(m, successes, trials\); received "n"/);
});

test("compareTransitions pairs the flat and plain fits of each d and says whether their intervals overlap", () => {
  const rows = [
    ...[[0, 0, 3, 7, 10, 10], [0, 0, 0, 0, 4, 10]].map((ks, i) => column(ks).map((c) => ({ ...c, d: 20, program: [PROGRAM_LABELS.flat, PROGRAM_LABELS.plain][i] }))),
    ...[[0, 0, 3, 7, 10, 10], [0, 0, 2, 8, 10, 10]].map((ks, i) => column(ks).map((c) => ({ ...c, d: 30, program: [PROGRAM_LABELS.flat, PROGRAM_LABELS.plain][i] }))),
  ].flat();
  const fits = fitTransitions(rows, { x: "x", by: ["program", "d"] });
  const pairs = compareTransitions(fits);
  assert.deepEqual(pairs.map((p) => [p.d, p.overlap]), [[20, false], [30, true]]);
  assert.deepEqual([pairs[0].flatLower, pairs[0].flatIntervalBelow, pairs[1].flatIntervalBelow], [true, true, false]);
  assert.equal(pairs[0].flat.program, PROGRAM_LABELS.flat);
  assert.throws(() => compareTransitions(fits.filter((f) => !(f.d === 30 && f.program === PROGRAM_LABELS.plain))),
    /compareTransitions: fits must be a flat and a plain fit at every d; received "none for plain at d = 30"/);
});
