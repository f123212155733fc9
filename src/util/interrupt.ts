/**
 * Interrupting library work from a Jupyter kernel (issue 13 item 6). Two ways work can outlive an
 * interrupt, and one remedy for each:
 * - A long synchronous call that runs after an `await` in a cell: tslab stops a cell's synchronous
 *   part with vm's breakOnSigint, but code after an await runs outside it, and SIGINT's JavaScript
 *   listeners only run once the call returns. `interruptible` runs the call itself under
 *   breakOnSigint, so Node's watchdog thread stops it wherever it stands.
 * - An async loop of an interrupted cell: tslab rejects the cell, but the loop goes on in the
 *   background. The kernel gives each cell an AbortSignal (through AsyncLocalStorage, so it
 *   follows the cell's awaits) and aborts it on SIGINT; long loops call `checkInterrupted`.
 * Both act only inside the flatlab kernel, which registers itself with `setInterruptHost`; in a
 * script, Ctrl-C keeps Node's default behaviour.
 *
 * A known limit, Node's and not ours: a SIGINT that arrives while a breakOnSigint run starts or
 * stops its watchdog thread reaches neither the run nor the process's SIGINT listeners (Node
 * returns it as "pending" from an internal call that vm ignores; its REPL re-emits it through
 * internals we cannot use without replacing the process's signal handler). Measured on Node 20: 33
 * of 100 signals lost in a loop of 0.2 ms calls every 2 ms; in the kernel test's loop of short
 * solves every 20 ms, 2 of about 40 runs needed a second interrupt. A long solve is interrupted
 * at once; a loop of many short calls may need the interrupt pressed again.
 */
import vm = require("node:vm");

export interface InterruptHost {
  /** The signal of the cell whose code is running (undefined outside any cell). */
  signal(): AbortSignal | undefined;
}

// On globalThis, so the kernel and a second copy of the library (dist and src) share one host.
const HOST = Symbol.for("flatlab.interrupt.host");
const CALL = Symbol.for("flatlab.interrupt.call");
type Global = { [HOST]?: InterruptHost; [CALL]?: () => void };
const g = globalThis as Global;

export function setInterruptHost(host: InterruptHost | undefined): void {
  g[HOST] = host;
}

/** The error of work stopped by an interrupt (the kernel shows it as KeyboardInterrupt). */
export function interruptError(what: string): Error {
  return Object.assign(new Error(`${what}: interrupted`), { name: "AbortError", code: "ERR_SCRIPT_EXECUTION_INTERRUPTED" });
}

/** True when the cell this code belongs to was interrupted. */
export function interruptRequested(): boolean {
  return g[HOST]?.signal()?.aborted === true;
}

/** Throws when the cell this code belongs to was interrupted. */
export function checkInterrupted(what: string): void {
  if (interruptRequested()) throw interruptError(what);
}

// One compiled script reused by every call; it reads the function to run when it starts.
let script: vm.Script | undefined;

/**
 * `f` with the same signature, which inside the kernel refuses to start in an interrupted cell and
 * runs under breakOnSigint (an interrupt throws ERR_SCRIPT_EXECUTION_INTERRUPTED out of it).
 * Starting Node's watchdog thread costs 0.1 to 0.2 ms per call (measured on our 2-core machine
 * under load; a d = 6, 50-iteration solve takes 1.3 to 3 ms); where tslab's own watchdog already
 * runs (a cell's synchronous part) it is only a counter.
 */
export function interruptible<F extends (...args: never[]) => unknown>(what: string, f: F): F {
  const wrapped = function (this: unknown, ...args: Parameters<F>): ReturnType<F> {
    if (g[HOST] === undefined) return f.apply(this, args) as ReturnType<F>;
    checkInterrupted(what);
    let result: ReturnType<F> | undefined;
    g[CALL] = () => {
      result = f.apply(this, args) as ReturnType<F>;
    };
    script ??= new vm.Script(`globalThis[Symbol.for("flatlab.interrupt.call")]()`, { filename: "flatlab:interruptible" });
    script.runInThisContext({ breakOnSigint: true });
    return result as ReturnType<F>;
  };
  Object.defineProperty(wrapped, "name", { value: f.name });
  return wrapped as unknown as F;
}
