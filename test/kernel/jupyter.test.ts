/**
 * The flatlab kernel through the real Jupyter protocol (jupyter_client over ZeroMQ), started from
 * a kernelspec as Jupyter starts it.
 */
import { before, test } from "node:test";
import assert from "node:assert/strict";
import { pythonWith, runCells, sourceKernelSpec, type CellTranscript } from "./jupyterHarness.js";

const FIGURE = `const figure = { [Symbol.for("Jupyter.display")]() { return {
  "application/vnd.vegalite.v5+json": { "$schema": "https://vega.github.io/schema/vega-lite/v5.json", mark: "point", data: { values: [{ x: 1 }] } },
  "image/svg+xml": "<svg xmlns='http://www.w3.org/2000/svg' width='10' height='10'/>",
  "text/plain": "a figure" }; } };
figure`;

let skip: string | false = false;
let transcript: ReturnType<typeof runCells>;
const of = (cell: CellTranscript, type: string) => cell.outputs.filter((o) => o.msg_type === type).map((o) => o.content);

before(async () => {
  const found = await pythonWith(["jupyter_client"]);
  skip = found.skip;
  if (skip) return;
  transcript = runCells(found.python!, sourceKernelSpec(), [
    [{ code: FIGURE }],
    [{ code: "console.log('before');\nthrow new Error('planned failure')" }],
    [{ code: "throw 'a string'", stop_on_error: false }, { code: "console.log('still running')", stop_on_error: false }],
    [{ code: "throw new Error('stop here')" }, { code: "console.log('never')" }],
    [{ code: "await new Promise((r) => setTimeout(r, 60000))" }],
    [{ code: "console.log('alive after interrupt')" }],
    [{ code: "let spins = 0;\nwhile (true) { spins++; }" }],
  ], { interrupt_after: { "4": 3, "6": 3 } });
});

test("a figure as last expression is ONE execute_result with vegalite (an object), svg and text", (t) => {
  if (skip) return t.skip(skip);
  const cell = transcript.cells[0];
  const results = of(cell, "execute_result");
  assert.equal(results.length, 1);
  assert.equal(of(cell, "display_data").length, 0);
  const data = results[0].data as Record<string, unknown>;
  assert.deepEqual(Object.keys(data).sort(), ["application/vnd.vegalite.v5+json", "image/svg+xml", "text/plain"]);
  assert.equal(typeof data["application/vnd.vegalite.v5+json"], "object");
  assert.equal(results[0].execution_count, cell.reply!.content.execution_count);
});

test("a failing cell sends an error message and an error reply naming the cell line", (t) => {
  if (skip) return t.skip(skip);
  const cell = transcript.cells[1];
  const [error] = of(cell, "error");
  assert.deepEqual([error.ename, error.evalue], ["Error", "planned failure"]);
  assert.ok((error.traceback as string[]).some((l) => /at cell \[\d+\], line 2/.test(l)), (error.traceback as string[]).join("\n"));
  assert.equal(cell.reply!.content.status, "error");
  assert.equal(cell.reply!.content.ename, "Error");
  assert.equal(of(cell, "stream")[0].text, "before\n");
});

test("stop_on_error false: the cell sent right after an error runs", (t) => {
  if (skip) return t.skip(skip);
  const [failed, next] = transcript.cells.slice(2, 4);
  assert.equal(failed.reply!.content.ename, "ThrownValue");
  assert.equal(next.reply!.content.status, "ok");
  assert.equal(of(next, "stream")[0].text, "still running\n");
});

test("stop_on_error true: the pending cell is answered 'aborted' and does not run", (t) => {
  if (skip) return t.skip(skip);
  const [failed, pending] = transcript.cells.slice(4, 6);
  assert.equal(failed.reply!.content.status, "error");
  assert.equal(pending.reply!.content.status, "aborted");
  assert.equal(pending.outputs.filter((o) => o.msg_type !== "execute_input").length, 0);
});

test("an interrupt stops a waiting cell with an error, and the kernel keeps working", (t) => {
  if (skip) return t.skip(skip);
  const [interrupted, after] = transcript.cells.slice(6, 8);
  assert.equal(interrupted.reply!.content.status, "error");
  assert.equal(interrupted.reply!.content.ename, "KeyboardInterrupt");
  assert.match(String(interrupted.reply!.content.evalue), /cell \[\d+\] was interrupted/);
  assert.equal(of(after, "stream")[0].text, "alive after interrupt\n");
});

test("an interrupt stops a busy synchronous loop, and the error says so", (t) => {
  if (skip) return t.skip(skip);
  const busy = transcript.cells[8];
  assert.equal(busy.reply!.content.ename, "KeyboardInterrupt");
  assert.match(String(busy.reply!.content.evalue), /^cell \[\d+\] was interrupted$/);
});

test("kernel_info_reply carries status ok and TypeScript 5.0", (t) => {
  if (skip) return t.skip(skip);
  assert.equal(transcript.kernel_info.status, "ok");
  assert.match(String((transcript.kernel_info.language_info as Record<string, unknown>).version), /^5\.0\./);
});
