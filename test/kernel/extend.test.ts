/**
 * The launcher's hooks on tslab's real handler, executor and compiler, driven without Jupyter:
 * a fake ZeroMQ message records what tslab's server method would sign and send.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { AsyncLocalStorage } from "node:async_hooks";
import { extendTslab, loadTslab, type TslabInternals } from "../../src/kernel/extend.js";
import { currentSink } from "../../src/display/sink.js";

interface Sent { sock: unknown; type: string; content: Record<string, unknown> }

const tslab: TslabInternals = loadTslab();
extendTslab(tslab, { facts: { typescriptVersion: "5.0.4", tslabVersion: "1.0.22", readmeUrl: "file:///README.md" }, drainMs: 20 });

let converter: { close(): void };
let server: { connInfo: { key: string }; iopub: string; handler: Record<string, (...a: unknown[]) => unknown> };

before(() => {
  converter = require("tslab/dist/converter").createConverter({ isJS: false, isBrowser: false });
  const convs = { node: converter, browser: converter, close: () => converter.close() };
  const executor = tslab.executor.createExecutor(process.cwd(), convs, console);
  const Handler = tslab.jupyter.JupyterHandlerImpl as unknown as new (executor: unknown, isJs: boolean) => typeof server.handler;
  server = { connInfo: { key: "test" }, iopub: "iopub", handler: new Handler(executor, false) };
});

after(() => converter.close());

function message(content: Record<string, unknown>, sent: Sent[]) {
  return {
    header: { msg_type: "execute_request" },
    content,
    createReply() {
      const reply = {
        header: {} as Record<string, unknown>,
        content: {} as Record<string, unknown>,
        signAndSend(_key: string, sock: unknown) {
          sent.push({ sock, type: String(reply.header.msg_type), content: reply.content });
        },
      };
      return reply;
    },
  };
}

/**
 * tslab points process.stdout/stderr.write at the running cell; the test runner reports on the
 * same stdout. Writes made inside `execute` go to tslab's writer, all others to the real stream.
 */
const inCell = new AsyncLocalStorage<boolean>();
for (const stream of [process.stdout, process.stderr]) {
  const real = stream.write.bind(stream) as (...a: unknown[]) => boolean;
  let cellWrite: ((...a: unknown[]) => boolean) | undefined;
  Object.defineProperty(stream, "write", {
    configurable: true,
    get: () => (...a: unknown[]) => (inCell.getStore() && cellWrite ? cellWrite(...a) : real(...a)),
    set: (w: (...a: unknown[]) => boolean) => { cellWrite = w; },
  });
}

/** Sends one execute_request through tslab's (wrapped) server method; resolves with everything sent. */
async function execute(code: string, options: Record<string, unknown> = {}): Promise<Sent[]> {
  const sent: Sent[] = [];
  const handleExecute = tslab.jupyter.ZmqServer.prototype.handleExecute as (sock: unknown, msg: unknown) => Promise<void>;
  await inCell.run(true, () => handleExecute.call(server, "shell", message({ code, silent: false, store_history: true, stop_on_error: true, ...options }, sent)));
  return sent;
}

const iopub = (sent: Sent[], type: string) => sent.filter((s) => s.sock === "iopub" && s.type === type).map((s) => s.content);
const reply = (sent: Sent[]) => sent.find((s) => s.type === "execute_reply")!.content;

test("the last expression is one execute_result carrying the execution count", async () => {
  const sent = await execute("6 * 7");
  const [result] = iopub(sent, "execute_result");
  assert.deepEqual(result, { execution_count: reply(sent).execution_count, data: { "text/plain": "42" }, metadata: {} });
  assert.equal(iopub(sent, "stream").length, 0, "the value is not printed to stdout as tslab does");
  assert.equal(iopub(sent, "execute_input")[0].code, "6 * 7");
  assert.equal(reply(sent).status, "ok");
});

test("a figure-like last value yields ONE execute_result with its whole MIME bundle", async () => {
  const sent = await execute(`const fig = { [Symbol.for("Jupyter.display")]() { return Promise.resolve({
    "application/vnd.vegalite.v5+json": { mark: "point" }, "image/svg+xml": "<svg/>", "text/plain": "fig" }); } };
fig`);
  const results = iopub(sent, "execute_result");
  assert.equal(results.length, 1);
  const data = results[0].data as Record<string, unknown>;
  assert.deepEqual(Object.keys(data).sort(), ["application/vnd.vegalite.v5+json", "image/svg+xml", "text/plain"]);
  assert.deepEqual(data["application/vnd.vegalite.v5+json"], { mark: "point" });
});

test("null and undefined last values show nothing", async () => {
  for (const code of ["null", "undefined", "let quiet = 1;"]) assert.equal(iopub(await execute(code), "execute_result").length, 0, code);
});

test("a type error is an error message and an error reply with the same fields, naming the line", async () => {
  const sent = await execute("const ok = 1;\nconst bad: number = 'x';");
  const [error] = iopub(sent, "error");
  assert.equal(error.ename, "TSError");
  assert.match(String(error.evalue), /^line 2, column 7: Type 'string' is not assignable to type 'number'/);
  const r = reply(sent);
  assert.equal(r.status, "error");
  for (const key of ["ename", "evalue", "traceback"]) assert.deepEqual(r[key], error[key]);
  assert.equal(iopub(sent, "stream").length, 0, "no stderr blob besides the error message");
});

test("a runtime error's traceback names the cell line; a rejected promise is an error too", async () => {
  const thrown = await execute("const limit = 2;\nfunction check(n: number) {\n  if (n > limit) throw new RangeError(`too big: ${n}`);\n}\ncheck(3);");
  const [error] = iopub(thrown, "error");
  assert.deepEqual([error.ename, error.evalue], ["RangeError", "too big: 3"]);
  const count = reply(thrown).execution_count;
  assert.ok((error.traceback as string[]).includes(`    at check (cell [${count}], line 3)`), (error.traceback as string[]).join("\n"));
  const rejected = await execute("await Promise.reject(new Error('nope'))");
  assert.deepEqual([iopub(rejected, "error")[0].ename, reply(rejected).evalue], ["Error", "nope"]);
});

test("thrown non-Error values (string, undefined, object) still give proper error messages", async () => {
  for (const [code, evalue] of [["throw 'boom'", "'boom'"], ["throw undefined", "undefined"], ["throw { code: 42 }", "{ code: 42 }"]]) {
    const sent = await execute(code);
    assert.deepEqual([iopub(sent, "error")[0]?.ename, iopub(sent, "error")[0]?.evalue], ["ThrownValue", evalue], code);
    assert.equal(reply(sent).status, "error");
  }
});

test("with stop_on_error, requests already waiting are aborted; a later request runs", async () => {
  const batch = await Promise.all([execute("throw new Error('first')"), execute("console.log('pending')"), execute("console.log('pending too')")]);
  assert.deepEqual(batch.map((s) => reply(s).status), ["error", "aborted", "aborted"]);
  assert.equal(iopub(batch[1], "stream").length, 0);
  const later = await execute("console.log('later')");
  assert.equal(reply(later).status, "ok");
  assert.equal(iopub(later, "stream")[0].text, "later\n");
});

test("with stop_on_error false, requests sent right after an error run (no 200 ms blackout)", async () => {
  const batch = await Promise.all([execute("throw new Error('first')", { stop_on_error: false }), execute("console.log('kept')", { stop_on_error: false })]);
  assert.deepEqual(batch.map((s) => reply(s).status), ["error", "ok"]);
  const next = await execute("console.log('next')");
  assert.equal(reply(next).status, "ok");
});

test("the display sink sends a whole bundle in one display_data, and updates by display id", async () => {
  const sent = await execute(`const sink = (globalThis as any)[Symbol.for("flatlab.display.sink")];
sink.display({ "image/svg+xml": "<svg/>", "text/plain": "a" }, { displayId: "p1" });
sink.display({ "text/plain": "b" }, { displayId: "p1", update: true });`);
  const [shown] = iopub(sent, "display_data");
  assert.deepEqual(shown, { data: { "image/svg+xml": "<svg/>", "text/plain": "a" }, metadata: {}, transient: { display_id: "p1" } });
  assert.deepEqual(iopub(sent, "update_display_data")[0].transient, { display_id: "p1" });
  assert.ok(currentSink(), "the sink is installed on globalThis");
});

test("a non-serializable display bundle names the MIME key and the kernel keeps working", async () => {
  const sent = await execute(`const o: any = {}; o.o = o;
(globalThis as any)[Symbol.for("flatlab.display.sink")].display({ "application/json": o })`);
  assert.match(String(reply(sent).evalue), /the value for MIME type "application\/json" is not JSON-serializable/);
  const bad = await execute(`({ [Symbol.for("Jupyter.display")]() { return { "application/json": { n: 10n } }; } })`);
  assert.match(String(reply(bad).evalue), /displaying the value of cell \[\d+\] failed: .*"application\/json"/);
  assert.equal(reply(await execute("1")).status, "ok");
});

test("tslab.display.* still works", async () => {
  const sent = await execute(`import * as tslab from "tslab";\ntslab.display.html("<b>hi</b>");`);
  assert.deepEqual(iopub(sent, "display_data")[0].data, { "text/html": "<b>hi</b>" });
});

test("kernel_info, shutdown and comm_info replies carry status ok", () => {
  const info = server.handler.handleKernel() as Record<string, unknown>;
  assert.equal(info.status, "ok");
  assert.equal((info.language_info as Record<string, unknown>).version, "5.0.4");
  assert.deepEqual(server.handler.handleShutdown({ restart: true }), { status: "ok", restart: true });
  const sent: Sent[] = [];
  (tslab.jupyter.ZmqServer.prototype.handleCommInfoRequest as (s: unknown, m: unknown) => void).call(server, "shell", message({}, sent));
  assert.deepEqual(sent[0], { sock: "shell", type: "comm_info_reply", content: { status: "ok", comms: {} } });
});

test("completion and inspection are tslab's own", () => {
  const complete = server.handler.handleComplete({ code: "Math.hyp", cursor_pos: 8 }) as Record<string, unknown>;
  assert.deepEqual(complete.matches, ["hypot"]);
  const inspect = server.handler.handleInspect({ code: "Math.max", cursor_pos: 6 }) as Record<string, unknown>;
  assert.equal(inspect.found, true);
});
