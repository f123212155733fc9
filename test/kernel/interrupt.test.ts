/**
 * Interrupts reach library work after an `await` in a cell (issue 13 item 6), through the real
 * Jupyter protocol: a synchronous solve that starts after an await, and an async loop of solves,
 * both stop on interrupt; the kernel keeps its variables and the loop does not go on behind it.
 */
import { before, test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { ROOT, pythonWith, runCells, sourceKernelSpec, type CellTranscript } from "./jupyterHarness.js";

let skip: string | false = false;
let transcript: ReturnType<typeof runCells>;
const result = (cell: CellTranscript) => {
  const r = cell.outputs.find((o) => o.msg_type === "execute_result");
  return r ? (r.content.data as Record<string, unknown>)["text/plain"] : undefined;
};
// A random b that no low-rank matrix fits exactly, and a tolerance no solve reaches: it runs until stopped.
const forever = "{ tol: 1e-300, maxIter: 1e9, recordHistory: false }";

before(async () => {
  const found = await pythonWith(["jupyter_client"]);
  skip = found.skip;
  if (skip) return;
  const index = JSON.stringify(join(ROOT, "src", "index.ts"));
  transcript = runCells(found.python!, sourceKernelSpec(), [
    [{ code: `const lab = require(${index});\nconst A = lab.sampleGaussianOperator({ d1: 20, d2: 20, m: 150, seed: 1 });\nconst b = Array.from({ length: 150 }, (_, i) => Math.sin(i));\nconst kept = 7;\nconst counter = { rounds: 0, t0: 0 };\n(await lab.selectBackend("cpu")).backend` }],
    [{ code: `await new Promise((r) => setTimeout(r, 10));\ncounter.t0 = Date.now();\nlab.nuclearNormMin(A, b, ${forever})` }],
    [{ code: "for (;;) {\n  await new Promise((r) => setTimeout(r, 20));\n  lab.nuclearNormMin(A, b, { maxIter: 20, tol: 1e-300 });\n  counter.rounds++;\n}" }],
    [{ code: "const seen = counter.rounds;\nawait new Promise((r) => setTimeout(r, 500));\n[kept, seen > 0, counter.rounds === seen, Date.now() - counter.t0 < 20000]" }],
  ], { interrupt_after: { "1": 3, "2": 3 }, pause_before: { "3": 1 } });
});

test("a solve that starts after an await stops on interrupt, as KeyboardInterrupt", (t) => {
  if (skip) return t.skip(skip);
  assert.equal(transcript.cells[0].reply!.content.status, "ok", JSON.stringify(transcript.cells[0]));
  const solve = transcript.cells[1];
  assert.equal(solve.reply!.content.ename, "KeyboardInterrupt", JSON.stringify(solve.reply));
});

test("an async loop of solves stops on interrupt and does not go on behind the next cells; variables are kept", (t) => {
  if (skip) return t.skip(skip);
  assert.equal(transcript.cells[2].reply!.content.ename, "KeyboardInterrupt");
  const check = transcript.cells[3];
  assert.equal(check.reply!.content.status, "ok", JSON.stringify(check));
  assert.equal(result(check), "[ 7, true, true, true ]");
});
