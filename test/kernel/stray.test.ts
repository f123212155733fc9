/**
 * Stray errors in the flatlab kernel (issue 13 item 1), through the real Jupyter protocol: once the
 * WebAssembly backend is loaded (whose glue adds process listeners that rethrow), a rejection
 * nobody handles or an exception thrown in a timer must not end the kernel. The error shows on
 * stderr in the running cell, or in the next cell when none runs, and every variable is kept.
 */
import { before, test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { ROOT, pythonWith, runCells, sourceKernelSpec, type CellTranscript } from "./jupyterHarness.js";

let skip: string | false = false;
let transcript: ReturnType<typeof runCells>;
const stderr = (cell: CellTranscript) => cell.outputs.filter((o) => o.msg_type === "stream" && o.content.name === "stderr").map((o) => String(o.content.text)).join("");
const sleep = "await new Promise((r) => setTimeout(r, 300));";

before(async () => {
  const found = await pythonWith(["jupyter_client"]);
  skip = found.skip;
  if (skip) return;
  const index = JSON.stringify(join(ROOT, "src", "index.ts"));
  transcript = runCells(found.python!, sourceKernelSpec(), [
    [{ code: `const lab = require(${index});\nconst kept = 42;\n(await lab.selectBackend("wasm")).backend` }],
    // Listeners that rethrow, as Emscripten's glue adds them, whoever adds them: the kernel's guard.
    [{ code: `process.on("unhandledRejection", (r) => { throw r; });\nprocess.on("uncaughtException", (e) => { throw e; });\nlab.tf.getBackend()` }],
    [{ code: `Promise.reject(new Error("x"));\n${sleep}\n"after x"` }],
    [{ code: `setTimeout(() => { throw new Error("y"); });\n${sleep}\n"after y"` }],
    [{ code: `setTimeout(() => { throw new Error("z"); }, 200);\n"z scheduled"` }],
    [{ code: "kept + 1" }],
  ], { pause_before: { "5": 1.5 } });
});

const result = (cell: CellTranscript) => {
  const r = cell.outputs.find((o) => o.msg_type === "execute_result");
  return r ? (r.content.data as Record<string, unknown>)["text/plain"] : undefined;
};

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
