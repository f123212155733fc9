/**
 * A kernel that never dies under the user (issue 13 items 1 and 6), through the real Jupyter
 * protocol, in one kernel session:
 * - stray errors once the WebAssembly backend is loaded (whose glue adds process listeners that
 *   rethrow): a rejection nobody handles or an exception thrown in a timer shows on stderr in the
 *   running cell, or in the next cell when none runs, and every variable is kept;
 * - interrupts after an `await`: a synchronous solve that starts after an await, and an async loop
 *   of solves, both stop; the loop does not go on behind the next cells.
 */
import { before, test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { ROOT, pythonWith, runCells, sourceKernelSpec, type CellTranscript } from "./jupyterHarness.js";

let skip: string | false = false;
let transcript: ReturnType<typeof runCells>;
const stderr = (cell: CellTranscript) => cell.outputs.filter((o) => o.msg_type === "stream" && o.content.name === "stderr").map((o) => String(o.content.text)).join("");
const result = (cell: CellTranscript) => {
  const r = cell.outputs.find((o) => o.msg_type === "execute_result");
  return r ? (r.content.data as Record<string, unknown>)["text/plain"] : undefined;
};
const sleep = "await new Promise((r) => setTimeout(r, 300));";
// A random b that no low-rank matrix fits exactly, and a tolerance no solve reaches: it runs until stopped.
const forever = "{ tol: 1e-300, maxIter: 1e9, recordHistory: false }";

before(async () => {
  const found = await pythonWith(["jupyter_client"]);
  skip = found.skip;
  if (skip) return;
  const index = JSON.stringify(join(ROOT, "src", "index.ts"));
  transcript = runCells(found.python!, sourceKernelSpec(), [
    [{ code: `const lab = require(${index});\nconst kept = 42;\nconst A = lab.sampleGaussianOperator({ d1: 20, d2: 20, m: 150, seed: 1 });\nconst b = Array.from({ length: 150 }, (_, i) => Math.sin(i));\nconst counter = { rounds: 0, t0: 0 };\n(await lab.selectBackend("wasm")).backend` }],
    // Listeners that rethrow, as Emscripten's glue adds them, whoever adds them: the kernel's guard.
    [{ code: `process.on("unhandledRejection", (r) => { throw r; });\nprocess.on("uncaughtException", (e) => { throw e; });\nlab.tf.getBackend()` }],
    [{ code: `Promise.reject(new Error("x"));\n${sleep}\n"after x"` }],
    [{ code: `setTimeout(() => { throw new Error("y"); });\n${sleep}\n"after y"` }],
    [{ code: `setTimeout(() => { throw new Error("z"); }, 200);\n"z scheduled"` }],
    [{ code: "kept + 1" }],
    [{ code: `await new Promise((r) => setTimeout(r, 10));\ncounter.t0 = Date.now();\nlab.nuclearNormMin(A, b, ${forever})` }],
    [{ code: "for (;;) {\n  await new Promise((r) => setTimeout(r, 20));\n  lab.nuclearNormMin(A, b, { maxIter: 20, tol: 1e-300 });\n  counter.rounds++;\n}" }],
    [{ code: "const seen = counter.rounds;\nawait new Promise((r) => setTimeout(r, 500));\n[kept, seen > 0, counter.rounds === seen, Date.now() - counter.t0 < 20000]" }],
  ], { pause_before: { "5": 1, "8": 0.5 }, interrupt_after: { "6": 2, "7": 2 } });
});

test("the wasm backend loads in the kernel", (t) => {
  if (skip) return t.skip(skip);
  assert.equal(transcript.cells[0].reply!.content.status, "ok", JSON.stringify(transcript.cells[0]));
  assert.match(String(result(transcript.cells[0])), /wasm/);
  assert.match(String(result(transcript.cells[1])), /wasm/);
});

test("an unhandled rejection is shown in the running cell, which goes on", (t) => {
  if (skip) return t.skip(skip);
  const cell = transcript.cells[2];
  assert.equal(cell.reply!.content.status, "ok");
  assert.match(stderr(cell), /^Unhandled promise rejection; the kernel keeps running:\nError: x\n    at cell \[3\], line 1/);
  assert.match(String(result(cell)), /after x/);
});

test("an exception thrown in a timer is shown in the running cell, which goes on", (t) => {
  if (skip) return t.skip(skip);
  const cell = transcript.cells[3];
  assert.equal(cell.reply!.content.status, "ok");
  assert.match(stderr(cell), /^Uncaught exception \(in a timer or callback\); the kernel keeps running:\nError: y\n    at Timeout\._onTimeout \(cell \[4\], line 1\)/);
  assert.match(String(result(cell)), /after y/);
});

test("an exception thrown after its cell finished is shown in the next cell, whose variables are all there", (t) => {
  if (skip) return t.skip(skip);
  const [scheduled, next] = transcript.cells.slice(4);
  assert.equal(stderr(scheduled), "");
  assert.match(stderr(next), /Error: z[\s\S]*cell \[5\], line 1/);
  assert.equal(next.reply!.content.status, "ok");
  assert.equal(result(next), "43");
});

test("a solve that starts after an await stops on interrupt, as KeyboardInterrupt", (t) => {
  if (skip) return t.skip(skip);
  assert.equal(transcript.cells[0].reply!.content.status, "ok", JSON.stringify(transcript.cells[0]));
  const solve = transcript.cells[6];
  assert.equal(solve.reply!.content.ename, "KeyboardInterrupt", JSON.stringify(solve.reply));
});

test("an async loop of solves stops on interrupt and does not go on behind the next cells; variables are kept", (t) => {
  if (skip) return t.skip(skip);
  assert.equal(transcript.cells[7].reply!.content.ename, "KeyboardInterrupt");
  const check = transcript.cells[8];
  assert.equal(check.reply!.content.status, "ok", JSON.stringify(check));
  assert.equal(result(check), "[ 42, true, true, true ]");
});
