/**
 * Extends tslab 1.0.22's own kernel in place, by wrapping its exported functions and prototype
 * methods before `startKernel` runs (issue 2 item 5, issue 6). Nothing of tslab is copied: its
 * compiler, executor, queue, sockets, completion, inspection and interrupt stay as they are.
 *
 * What changes, and where:
 * - `executor.createExecutor` gets our console: tslab hands a cell's last value to `log` and a
 *   failing cell's thrown value or compiler diagnostics to `error`; we keep them for the cell.
 * - `vm.runInThisContext` gives the script of cell n the file name "<cell n>", so stack frames
 *   say which cell they are in (only for tslab's cell wrapper, only while a cell runs).
 * - `JupyterHandlerImpl.prototype.handleExecute` (the queue around tslab's `handleExecuteImpl`)
 *   sends execute_input, execute_result and error messages, replies with ename/evalue/traceback
 *   and honours stop_on_error (AbortGate) instead of tslab's 200 ms blackout.
 * - `ZmqServer.prototype.handleExecute` records how to publish on iopub for each request.
 * - kernel_info, shutdown and comm_info replies are made schema-conformant.
 * - A DisplaySink (src/display/sink.ts) sends whole MIME bundles through tslab's current
 *   display writer (`lastWriteDisplayData`), one display_data or update_display_data each.
 * - Stray errors (a rejection nobody handles, an exception thrown in a timer) never end the
 *   process: the kernel's own listeners show them on stderr in the running cell, or in the next
 *   cell when none runs, and a listener that any library adds later for these events runs inside
 *   a try/catch (the Emscripten glue of tfjs-backend-wasm adds two that rethrow; issue 13 item 1).
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { format } from "node:util";
import vm = require("node:vm");
import { setSink, type DisplayOptions } from "../display/sink.js";
import { setInterruptHost } from "../util/interrupt.js";
import { displayMetadata, type MimeBundle } from "../util/displayable.js";
import { AbortGate, DRAIN_MS } from "./abortGate.js";
import { normalizeBundle, resultBundle } from "./bundles.js";
import {
  cellFileName,
  cellLabel,
  diagnosticsError,
  displayError,
  parseDiagnostic,
  thrownError,
  type CellDiagnostic,
  type CompiledCell,
  type ErrorContent,
} from "./cellErrors.js";
import { conformKernelInfo, type KernelFacts } from "./kernelInfo.js";

// ---- The parts of tslab's internals we touch (tslab/dist/{main,jupyter,executor}.js) ----

type Log = (...args: unknown[]) => void;
type WriteStream = (name: string, text: string) => void;
type WriteDisplayData = (content: Record<string, unknown>, update: boolean) => void;

interface ZmqMessage {
  header: Record<string, unknown>;
  content: Record<string, unknown>;
  createReply(): ZmqMessage;
  signAndSend(key: string, sock: unknown): void;
}

interface TslabServer {
  connInfo: { key: string };
  iopub: unknown;
}

interface TslabHandler {
  execCount: number;
  execQueue: { add<T>(fn: () => Promise<T>): Promise<T> };
  handleExecuteImpl(req: ExecuteRequest, writeStream: WriteStream, writeDisplayData: WriteDisplayData): Promise<unknown>;
}

export interface ExecuteRequest {
  code: string;
  silent?: boolean;
  store_history?: boolean;
  stop_on_error?: boolean;
}

interface Prototype {
  [method: string]: unknown;
}

export interface TslabInternals {
  main: { startKernel(options: { configPath: string; enableFindLocal?: boolean; jsKernel?: boolean }): void };
  jupyter: {
    JupyterHandlerImpl: { prototype: Prototype };
    ZmqServer: { prototype: Prototype };
    lastWriteDisplayData: WriteDisplayData | null;
  };
  executor: { createExecutor(rootDir: string, convs: unknown, console: { log: Log; error: Log }): unknown };
}

export function loadTslab(): TslabInternals {
  return {
    main: require("tslab/dist/main"),
    jupyter: require("tslab/dist/jupyter"),
    executor: require("tslab/dist/executor"),
  };
}

/** The wrappers tslab's executor puts around a cell's JavaScript (executor.js, execute()). */
const CELL_PREFIXES = ["(async function(exports, require) { ", "(function(exports, require) { "];

/** How many compiled cells we keep for mapping stack frames of functions defined in earlier cells. */
const KEPT_CELLS = 1000;

interface RunningCell {
  count: number;
  source: string;
  value?: { v: unknown };
  errorCalls: unknown[][];
  compiled?: CompiledCell;
  /** Set when SIGINT (Jupyter's interrupt) arrived while the cell ran. */
  interrupted?: boolean;
  /** The cell's stream writer (stderr for stray errors raised while it runs). */
  writeStream?: WriteStream;
  /** Aborted on SIGINT; library loops started by the cell poll it (src/util/interrupt.ts). */
  controller?: AbortController;
}

type Publish = (msgType: string, content: Record<string, unknown>) => void;

const EXTENDED = Symbol.for("flatlab.kernel.extended");

export interface ExtendOptions {
  facts: KernelFacts;
  /** The drain window of stop_on_error (see AbortGate). */
  drainMs?: number;
}

/** The error content of a failed cell from what tslab's executor passed to console.error. */
export function failedCellError(cell: RunningCell, cells: (n: number) => CompiledCell | undefined): ErrorContent {
  const diagnostics = cell.errorCalls.map(parseDiagnostic).filter((d): d is CellDiagnostic => d !== undefined);
  if (diagnostics.length > 0) return diagnosticsError(diagnostics, cell);
  const thrown = cell.errorCalls.find((args) => args.length === 1);
  if (thrown) return thrownError(thrown[0], cell.compiled ?? { count: cell.count, source: cell.source, output: "" }, cells);
  const text = cell.errorCalls.map((args) => format(...args)).join("\n") || "the cell failed without an error message";
  return { ename: "Error", evalue: text, traceback: [`Error: ${text}`] };
}

/** vm's breakOnSigint stops a busy script with this error before any SIGINT listener runs. */
function isSyncInterrupt(args: unknown[]): boolean {
  const e = args[0] as { code?: unknown } | null | undefined;
  return args.length === 1 && typeof e === "object" && e !== null && e.code === "ERR_SCRIPT_EXECUTION_INTERRUPTED";
}

function isExecutionCount(e: unknown): e is { count: number } {
  return typeof e === "object" && e !== null && !(e instanceof Error) && typeof (e as { count?: unknown }).count === "number";
}

/** An interrupted cell fails as IPython's do, with KeyboardInterrupt, keeping the frames. */
export function interruptedError(error: ErrorContent, cell: { count: number }): ErrorContent {
  const evalue = `${cellLabel(cell.count)} was interrupted`;
  return { ename: "KeyboardInterrupt", evalue, traceback: [`KeyboardInterrupt: ${evalue}`, ...error.traceback.slice(1).filter((l) => !l.startsWith("    (raised while"))] };
}

export interface Extension {
  /** Tells the extension that SIGINT arrived (the launcher forwards it; tslab interrupts the cell). */
  interrupted(): void;
  /**
   * Runs tslab's startKernel, then drops the uncaughtException/unhandledRejection listeners it
   * added (they print to whichever cell ran last); the extension's own listeners report instead.
   */
  start(startKernel: () => void): void;
}

/** Events whose listeners decide whether a stray error ends the process. */
const STRAY_EVENTS = ["uncaughtException", "unhandledRejection"] as const;
type StrayEvent = (typeof STRAY_EVENTS)[number];
type Listener = (...args: unknown[]) => unknown;

/**
 * From now on, a listener added for a stray-error event runs inside a try/catch: one that
 * rethrows (as Emscripten's do) would otherwise end the process, since Node exits when a listener
 * of uncaughtException throws. `listener` on the wrapper lets removeListener(original) find it,
 * as Node's own once() wrappers do.
 */
function guardStrayListeners(): void {
  const proc = process as unknown as Record<string, unknown>;
  for (const method of ["on", "addListener", "prependListener", "once", "prependOnceListener"]) {
    const original = proc[method] as (this: NodeJS.Process, event: string | symbol, listener: Listener) => NodeJS.Process;
    proc[method] = function (this: NodeJS.Process, event: string | symbol, listener: Listener) {
      if (!(STRAY_EVENTS as readonly (string | symbol)[]).includes(event) || typeof listener !== "function") return original.call(this, event, listener);
      const guarded = Object.assign(function (this: unknown, ...args: unknown[]) {
        try {
          return listener.apply(this, args);
        } catch {
          // The kernel's own listener has shown the error; rethrowing would end the process.
          return undefined;
        }
      }, { listener });
      return original.call(this, event, guarded);
    };
  }
}

/** The text shown for a stray error: its traceback, rewritten to cell lines where it can be. */
export function strayErrorText(event: StrayEvent, value: unknown, where: { count: number; running: boolean }, cells: (n: number) => CompiledCell | undefined): string {
  const kind = event === "unhandledRejection" ? "Unhandled promise rejection" : "Uncaught exception (in a timer or callback)";
  const error = thrownError(value, cells(where.count) ?? { count: where.count, source: "", output: "" }, cells);
  const lines = error.traceback.map((l) => (l.startsWith("    (raised while running") ? (where.running ? l : `    (raised after ${cellLabel(where.count)} had finished)`) : l));
  return `${kind}; the kernel keeps running:\n${lines.join("\n")}\n`;
}

export function extendTslab(tslab: TslabInternals, options: ExtendOptions): Extension {
  const jupyter = tslab.jupyter as TslabInternals["jupyter"] & { [EXTENDED]?: Extension };
  if (jupyter[EXTENDED]) return jupyter[EXTENDED];

  const drainMs = options.drainMs ?? DRAIN_MS;
  const compiled = new Map<number, CompiledCell>();
  const gate = new AbortGate();
  const publishers = new WeakMap<object, Publish>();
  let running: RunningCell | undefined;
  let lastCount = 0;
  /** Stray errors raised while no cell ran: shown at the start of the next cell. */
  const strays: string[] = [];

  const onStray = (event: StrayEvent) => (value: unknown) => {
    try {
      const text = strayErrorText(event, value, { count: running?.count ?? lastCount, running: running !== undefined }, (n) => compiled.get(n));
      if (running?.writeStream) running.writeStream("stderr", text);
      else strays.push(text);
    } catch {
      // Never throw from here: Node would end the process.
    }
  };
  const strayListeners = STRAY_EVENTS.map((event) => [event, onStray(event)] as const);
  /** (Re)installs the kernel's listeners first in line; a library's clean-up may have removed them. */
  const listenForStrays = () => {
    for (const [event, listener] of strayListeners) if (!process.rawListeners(event).includes(listener)) process.prependListener(event as "uncaughtException", listener);
  };
  listenForStrays();
  guardStrayListeners();

  // Each cell's code, and whatever it starts, sees the cell's own AbortSignal through its awaits.
  const cellScope = new AsyncLocalStorage<AbortController>();
  setInterruptHost({ signal: () => cellScope.getStore()?.signal });

  // The executor's console: the last value and the failure of the running cell.
  const createExecutor = tslab.executor.createExecutor;
  tslab.executor.createExecutor = function (rootDir, convs, con) {
    return createExecutor.call(this, rootDir, convs, {
      log: (...args: unknown[]) => {
        if (running && args.length === 1) running.value = { v: args[0] };
        else con.log(...args);
      },
      error: (...args: unknown[]) => {
        if (running) running.errorCalls.push(args);
        else con.error(...args);
      },
    });
  };

  // File names for cell scripts, so a stack frame names its cell.
  const vmModule = vm as unknown as { runInThisContext: (code: string, options?: vm.RunningScriptOptions | string) => unknown };
  const runInThisContext = vmModule.runInThisContext;
  vmModule.runInThisContext = function (code, opts) {
    const prefix = running && typeof code === "string" && (opts === undefined || (typeof opts === "object" && !opts.filename)) ? CELL_PREFIXES.find((p) => code.startsWith(p)) : undefined;
    if (running && prefix !== undefined) {
      const cell: CompiledCell = { count: running.count, source: running.source, output: code.slice(prefix.length) };
      running.compiled = cell;
      compiled.set(cell.count, cell);
      if (compiled.size > KEPT_CELLS) compiled.delete(compiled.keys().next().value as number);
      opts = { ...(opts as vm.RunningScriptOptions | undefined), filename: cellFileName(cell.count) };
    }
    return runInThisContext.call(this, code, opts);
  };

  // Per request, how to publish on iopub with the request as parent.
  const server = tslab.jupyter.ZmqServer.prototype;
  const serverHandleExecute = server.handleExecute as (this: TslabServer, sock: unknown, msg: ZmqMessage) => Promise<void>;
  server.handleExecute = function (this: TslabServer, sock: unknown, msg: ZmqMessage) {
    publishers.set(msg.content, (msgType, content) => {
      const m = msg.createReply();
      m.header.msg_type = msgType;
      m.content = content;
      m.signAndSend(this.connInfo.key, this.iopub);
    });
    return serverHandleExecute.call(this, sock, msg);
  };

  // comm_info_reply: tslab sends it with msg_type "complete_reply" and no status.
  server.handleCommInfoRequest = function (this: TslabServer, sock: unknown, msg: ZmqMessage) {
    const reply = msg.createReply();
    reply.header.msg_type = "comm_info_reply";
    reply.content = { status: "ok", comms: {} };
    reply.signAndSend(this.connInfo.key, sock);
  };

  const handler = tslab.jupyter.JupyterHandlerImpl.prototype;
  const handleKernel = handler.handleKernel as (this: unknown) => Record<string, unknown>;
  handler.handleKernel = function (this: unknown) {
    return conformKernelInfo(handleKernel.call(this), options.facts);
  };
  handler.handleShutdown = function (req: { restart?: unknown }) {
    return { status: "ok", restart: req?.restart === true };
  };

  handler.handleExecute = function (this: TslabHandler, req: ExecuteRequest, writeStream: WriteStream, writeDisplayData: WriteDisplayData) {
    const publish: Publish = publishers.get(req as object) ?? (() => {});
    const ticket = gate.arrive();
    // The task never rejects: a rejected task would make tslab's queue cancel every later one.
    return this.execQueue.add(() => runCell.call(this, req, ticket, publish, writeStream, writeDisplayData).catch((e: unknown) => {
      const evalue = `the flatlab kernel extension failed: ${e instanceof Error ? e.stack ?? e.message : String(e)}`;
      return { status: "error", execution_count: this.execCount, ename: "KernelError", evalue, traceback: [evalue] };
    }));
  };

  async function runCell(this: TslabHandler, req: ExecuteRequest, ticket: number, publish: Publish, writeStream: WriteStream, writeDisplayData: WriteDisplayData): Promise<Record<string, unknown>> {
    if (gate.shouldAbort(ticket)) return { status: "aborted" };
    const cell: RunningCell = { count: this.execCount + 1, source: req.code, errorCalls: [], writeStream, controller: new AbortController() };
    if (!req.silent) publish("execute_input", { code: req.code, execution_count: cell.count });
    listenForStrays();
    for (const text of strays.splice(0)) writeStream("stderr", text);
    let error: ErrorContent | undefined;
    running = cell;
    try {
      await cellScope.run(cell.controller!, () => this.handleExecuteImpl(req, writeStream, writeDisplayData));
    } catch (e) {
      error = isExecutionCount(e) ? failedCellError(cell, (n) => compiled.get(n)) : thrownError(e, { count: cell.count, source: cell.source, output: "" }, (n) => compiled.get(n));
      if (cell.interrupted || cell.errorCalls.some(isSyncInterrupt)) error = interruptedError(error, cell);
    } finally {
      running = undefined;
      lastCount = cell.count;
    }
    const count = this.execCount;
    if (!error && cell.value && !req.silent) {
      try {
        const data = await resultBundle(cell.value.v);
        publish("execute_result", { execution_count: count, data, metadata: displayMetadata(cell.value.v) });
      } catch (e) {
        error = displayError(e, cell);
      }
    }
    if (!error) {
      // A %%module cell compiles with diagnostics and still succeeds: show them as tslab does.
      for (const args of cell.errorCalls) writeStream("stderr", format(...args) + "\n");
      return { status: "ok", execution_count: count, payload: [], user_expressions: {} };
    }
    publish("error", { ...error });
    if (req.stop_on_error !== false) await gate.abortPending(drainMs);
    return { status: "error", execution_count: count, ...error };
  }

  setSink({
    display(bundle: MimeBundle, opts: DisplayOptions = {}) {
      const write = tslab.jupyter.lastWriteDisplayData;
      if (!write) throw new Error("display: the flatlab kernel has not run a cell yet, so there is no output to display into.");
      if (opts.update && !opts.displayId) throw new TypeError("display: options.update needs options.displayId (the display to update).");
      const data = normalizeBundle(bundle, "display");
      const metadata = opts.metadata ?? {};
      try {
        JSON.stringify(metadata);
      } catch (e) {
        throw new TypeError(`display: options.metadata is not JSON-serializable (${e instanceof Error ? e.message.split("\n")[0] : String(e)}).`);
      }
      write({ data, metadata, transient: opts.displayId ? { display_id: opts.displayId } : {} }, opts.update === true);
    },
  });

  const extension: Extension = {
    interrupted() {
      if (!running) return;
      running.interrupted = true;
      running.controller?.abort();
    },
    start(startKernel) {
      const ours = new Set<unknown>(strayListeners.map(([, l]) => l));
      const before = STRAY_EVENTS.map((event) => process.rawListeners(event));
      startKernel();
      STRAY_EVENTS.forEach((event, i) => {
        for (const l of process.rawListeners(event)) if (!before[i].includes(l) && !ours.has(l)) process.removeListener(event, l as Listener);
      });
    },
  };
  jupyter[EXTENDED] = extension;
  return extension;
}
