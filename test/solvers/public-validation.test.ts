/**
 * Exported functions that used to skip validation (issue 13 item 9): each bad input is a named
 * error, never NaN entries, a silent zero matrix, inflated singular values or a raw TypeError.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as lab from "../../src/index.js";

const z: lab.linalg.Matrix = { rows: 2, cols: 3, data: Float64Array.from([3, 0, 0, 0, 1, 0]) };

test("sparseCorruption names d1, l and magnitude (was: 'Invalid typed array length: -3', NaN entries, a silent zero matrix)", () => {
  assert.throws(() => lab.sparseCorruption(-1, 3, 1, 1, 1), /^RangeError: sparseCorruption: d1 must be an integer ≥ 1; received -1\.$/);
  assert.throws(() => lab.sparseCorruption(3, 3, 1, NaN, 1), /sparseCorruption: magnitude must be a finite number > 0; received NaN/);
  assert.throws(() => lab.sparseCorruption(3, 3, -2, 1, 1), /sparseCorruption: l must be an integer in \[0, 3\]; received -2/);
  assert.throws(() => lab.sparseCorruption(3, 3, 4, 1, 1), /l must be an integer in \[0, 3\]; received 4/);
  assert.equal(lab.sparseCorruption(3, 3, 1, 1, 1).data.filter((v) => v !== 0).length, 3);
});

test("rescalingMatrices, secondMoments and rescaledOperator name A (was: 'Cannot read properties of null')", () => {
  for (const [name, call] of [
    ["rescalingMatrices", () => lab.rescalingMatrices(null as never)],
    ["secondMoments", () => lab.secondMoments(null as never)],
    ["rescaledOperator", () => lab.rescaledOperator(null as never, z, z)],
  ] as const) {
    assert.throws(call, new RegExp(`^TypeError: ${name}: A must be a MeasurementOperator .*; received null\\.$`));
  }
});

test("singularValueThreshold refuses τ < 0 (it inflated the singular values) and an out of the wrong length", () => {
  const out = new Float64Array(6);
  assert.throws(() => lab.singularValueThreshold(z, -1, out), /singularValueThreshold: tau must be a finite number ≥ 0; received -1/);
  assert.throws(() => lab.singularValueThreshold(z, 1, new Float64Array(4)), /singularValueThreshold: out\.length must be 6 \(the entries of z\); received 4/);
  assert.throws(() => lab.singularValueThreshold(z, 1, z.data), /out must not overlap z\.data/);
  assert.throws(() => lab.symmetricThreshold(z, 1, out), /symmetricThreshold: z must be square; received shape \[2, 3\]/);
  assert.equal(lab.singularValueThreshold(z, 1, out).rank, 1);
  assert.deepEqual(Array.from(out).map((v) => Math.round(v * 1e12) / 1e12), [2, 0, 0, 0, 0, 0]);
});

test("proxPowerScalar needs 1 < q < 2 and t ≥ 0; softThreshold needs lengths that match", () => {
  assert.throws(() => lab.proxPowerScalar(1, 0.5, 3), /proxPowerScalar: q must be a number in \(1, 2\).*; received 3/);
  assert.throws(() => lab.proxPowerScalar(1, -0.5, 1.5), /proxPowerScalar: t must be a finite number ≥ 0; received -0\.5/);
  assert.throws(() => lab.proxPowerScalar(NaN, 0.5, 1.5), /proxPowerScalar: v must be a finite number; received NaN/);
  const x = lab.proxPowerScalar(2, 0.5, 1.5);
  assert.ok(Math.abs(x + 0.5 * 1.5 * Math.sqrt(x) - 2) < 1e-12, "x + t q x^{q-1} = v");
  const v = Float64Array.from([3, -1, 0.5]);
  assert.throws(() => lab.softThreshold(v, new Float64Array(2), new Float64Array(3)), /softThreshold: t\.length must be 3 \(the length of v\); received 2/);
  assert.throws(() => lab.softThreshold(v, new Float64Array(3), new Float64Array(2)), /softThreshold: out\.length must be 3/);
  assert.throws(() => lab.softThreshold(v, Float64Array.from([1, -1, 0]), new Float64Array(3)), /softThreshold: t must be finite and ≥ 0; received -1 at index 1/);
  const out = new Float64Array(3);
  lab.softThreshold(v, Float64Array.from([1, 1, 1]), out);
  assert.deepEqual(Array.from(out), [2, 0, 0]);
});
