import { test } from "node:test";
import assert from "node:assert/strict";
import { summarize } from "../../src/experiments/summarize.js";
import { assertClose } from "../helpers.js";

test("summarize gives per-cell means (success fractions), counts, and keeps nulls out of the mean", () => {
  const rows = [{ c: 1, v: 1 }, { c: 1, v: 0 }, { c: 2, v: null }, { c: 2, v: 1 }, { c: 3, v: true }, { c: 3, v: false }];
  const s = summarize(rows, ["c"], "v");
  assert.deepEqual(s.map(({ c, mean, count, nulls }) => ({ c, mean, count, nulls })), [
    { c: 1, mean: 0.5, count: 2, nulls: 0 },
    { c: 2, mean: 1, count: 2, nulls: 1 },
    { c: 3, mean: 0.5, count: 2, nulls: 0 },
  ]);
  assert.equal(s[1].stderr, null, "one value has no standard error");
});

test("summarize's standard error is s/√n: √(p(1 − p)/(n − 1)) for 0/1 values", () => {
  const rows = [1, 1, 1, 0, 0, 1, 0, 1, 1, 1].map((v) => ({ cell: "a", success: v }));
  const [s] = summarize(rows, ["cell"], "success");
  assert.equal(s.mean, 0.7);
  assertClose(s.stderr as number, Math.sqrt((0.7 * 0.3) / 9), 1e-15);
  const [g] = summarize([2, 4, 4, 4, 5, 5, 7, 9].map((v) => ({ v })), [], "v");
  assertClose(g.stderr as number, Math.sqrt(32 / 7 / 8), 1e-15);
});

test("summarize groups by several fields in order of first appearance and takes medians on request", () => {
  const rows = [
    { d: 10, program: "flat", e: 3 }, { d: 10, program: "plain", e: 1 },
    { d: 10, program: "flat", e: 1 }, { d: 10, program: "flat", e: 2 }, { d: 10, program: "flat", e: 10 },
  ];
  const s = summarize(rows, ["d", "program"], "e", "median");
  assert.deepEqual(s.map((r) => [r.d, r.program, r.mean, r.stderr, r.count]), [[10, "flat", 2.5, null, 4], [10, "plain", 1, null, 1]]);
});

test("summarize rejects misspelt fields and values that are not numbers", () => {
  const rows = [{ d: 1, success: 1, note: "x" }];
  assert.throws(() => summarize(rows, ["dd"], "success"), /summarize: by must be fields of the rows \(d, success, note\); received "dd"/);
  assert.throws(() => summarize(rows, ["d"], "sucess"), /summarize: value must be a field of the rows/);
  assert.throws(() => summarize(rows, ["d"], "note"), /summarize: rows\[\].note must be a finite number, a boolean or null; received "x"/);
  assert.throws(() => summarize(rows, ["d"], "success", "mode" as "mean"), /summarize: reduce must be one of "mean", "median"/);
  assert.deepEqual(summarize([], ["d"], "success"), []);
});

test("successRates gives Figure 3 rows per cell and program, and compareSuccess compares the programs", async () => {
  const { successRates, compareSuccess, PROGRAM_LABELS } = await import("../../src/experiments/summarize.js");
  const rows = [
    { d: 5, m: 10, program: "flat", success: 1 }, { d: 5, m: 10, program: "plain", success: 0 },
    { d: 5, m: 10, program: "flat", success: 1 }, { d: 5, m: 10, program: "plain", success: 1 },
    { d: 5, m: 20, program: "flat", success: 0 }, { d: 5, m: 20, program: "plain", success: 0 },
  ];
  const rates = successRates(rows, "d", "m");
  assert.deepEqual(rates.map((r) => [r.m, r.program, r.success, r.trials, r.successes]), [
    [10, PROGRAM_LABELS.flat, 1, 2, 2], [10, PROGRAM_LABELS.plain, 0.5, 2, 1], [20, PROGRAM_LABELS.flat, 0, 1, 0], [20, PROGRAM_LABELS.plain, 0, 1, 0],
  ]);
  assert.deepEqual(compareSuccess(rates, "d", "m"), { flat: 0.5, plain: 0.25, maxDifference: 0.5, cells: 2 });
  assert.throws(() => compareSuccess(rates.slice(0, 1), "d", "m"), /compareSuccess: rates must be successRates rows with both programs/);
  assert.equal(rates[0].errors, undefined, "no errors field when the rows have no error");
  const withErrors = successRates(rows.map((r, i) => ({ ...r, error: i === 1 ? null : i * 1e-7 })), "d", "m");
  assert.deepEqual(withErrors.map((r) => r.errors), [[0, 2e-7], [null, 3e-7], [4e-7], [5e-7]], "each trial's error per cell, in order (null kept)");
});

test("successRates counts the solves stopped by the iteration cap per cell (skipped programs and certified failures are not counted)", async () => {
  const { successRates, PROGRAM_LABELS } = await import("../../src/experiments/summarize.js");
  const rows = [
    { d: 5, m: 10, program: "flat", success: 0, converged: false, skipped: false },
    { d: 5, m: 10, program: "flat", success: 0, converged: false, skipped: false, certifiedFailure: true },
    { d: 5, m: 10, program: "flat", success: 1, converged: true, skipped: false },
    { d: 5, m: 10, program: "plain", success: 0, converged: false, skipped: false },
    { d: 5, m: 10, program: "plain", success: 0, converged: false, skipped: false },
    { d: 5, m: 20, program: "flat", success: 0, converged: false, skipped: true },
  ];
  assert.deepEqual(successRates(rows, "d", "m").map((r) => [r.m, r.program, r.capped]), [
    [10, PROGRAM_LABELS.flat, 1], [10, PROGRAM_LABELS.plain, 2], [20, PROGRAM_LABELS.flat, 0],
  ]);
});

test("successRates gives a certified failure's error to the threshold slider as null (a failure at every threshold)", async () => {
  const { successRates } = await import("../../src/experiments/summarize.js");
  const rows = [
    { d: 5, m: 10, program: "flat", success: 0, error: 3e-3, converged: false, skipped: false, certifiedFailure: true },
    { d: 5, m: 10, program: "flat", success: 1, error: 2e-10, converged: true, skipped: false, certifiedFailure: false },
  ];
  assert.deepEqual(successRates(rows, "d", "m").map((r) => [r.errors, r.capped]), [[[null, 2e-10], 0]]);
});
