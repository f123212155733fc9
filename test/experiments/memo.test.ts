import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { memo } from "../../src/experiments/memo.js";

test("memo computes once per (name, inputs) and reads the value back afterwards", async () => {
  const dir = mkdtempSync(join(tmpdir(), "flatlab-memo-"));
  try {
    let calls = 0;
    const f = () => { calls++; return [{ m: 1, value: 0.5 }]; };
    const a = await memo(dir, "sweep", { ms: [1, 2] }, f);
    const b = await memo(dir, "sweep", { ms: [1, 2] }, f);
    const c = await memo(dir, "sweep", { ms: [1, 3] }, f);
    assert.deepEqual([a.cached, b.cached, c.cached, calls], [false, true, false, 2]);
    assert.deepEqual(b.value, a.value);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("memo refuses values that JSON would change (NaN, Infinity, class instances) and names where", async () => {
  const dir = mkdtempSync(join(tmpdir(), "flatlab-memo-"));
  try {
    await assert.rejects(memo(dir, "x", 1, () => ({ rows: [{ v: NaN }] })), /memo: value of "x".rows\[0\].v must be JSON data with finite numbers; received NaN/);
    await assert.rejects(memo(dir, "y", 1, () => ({ a: new Float64Array(2) })), /must be plain JSON data; received a Float64Array/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
