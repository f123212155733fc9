/**
 * The content of a Jupyter `error` message (ename, evalue, traceback) for a failing cell
 * (issue 6 item 2, and its "Bad input": thrown non-Error values). tslab 1.0.22 only prints a
 * failing cell's error to stderr; the launcher hands us what tslab would have printed (a thrown
 * value, or its compiler diagnostics) and sends the result as an `error` message instead.
 *
 * Every traceback names the cell as Jupyter does ("cell [n]", n the execution count) and the
 * line in the cell's TypeScript source.
 */
import { inspect } from "node:util";
import { sourceLineOf } from "./lineMap.js";

export interface ErrorContent {
  ename: string;
  evalue: string;
  traceback: string[];
}

/** One TypeScript diagnostic of a cell as tslab reports it (1-based line and column). */
export interface CellDiagnostic {
  /** Set only for diagnostics in another file (a `%%module` of the notebook). */
  file?: string;
  line: number;
  column: number;
  message: string;
}

/** A compiled cell: its execution count, its TypeScript source and the JavaScript that ran. */
export interface CompiledCell {
  count: number;
  source: string;
  output: string;
}

/** The format string tslab's executor passes to console.error for each diagnostic. */
export const DIAGNOSTIC_FORMAT = "%s%d:%d - %s";

/** The file name the launcher gives the script of cell `count`, so stack frames identify the cell. */
export function cellFileName(count: number): string {
  return `<cell ${count}>`;
}

const CELL_FRAME = /<cell (\d+)>:(\d+):(\d+)/;

export function cellLabel(count: number): string {
  return `cell [${count}]`;
}

/** Recognises tslab's `console.error("%s%d:%d - %s", file, line, column, message)` call. */
export function parseDiagnostic(args: readonly unknown[]): CellDiagnostic | undefined {
  if (args.length !== 5 || args[0] !== DIAGNOSTIC_FORMAT) return undefined;
  const [, file, line, column, message] = args;
  if (typeof line !== "number" || typeof column !== "number") return undefined;
  const name = typeof file === "string" ? file.trim() : "";
  return { ...(name ? { file: name } : {}), line, column, message: String(message) };
}

function sourceLine(source: string, line: number): string | undefined {
  const text = source.split("\n")[line - 1];
  return text === undefined ? undefined : text.replace(/\s+$/, "");
}

/** A cell that did not compile: every diagnostic with its line, the source line and a caret. */
export function diagnosticsError(diagnostics: readonly CellDiagnostic[], cell: { count: number; source: string }): ErrorContent {
  const label = cellLabel(cell.count);
  const where = (d: CellDiagnostic) => `${d.file ?? label}, line ${d.line}, column ${d.column}`;
  const traceback = [`TSError: ${label} did not compile (${diagnostics.length} ${diagnostics.length === 1 ? "error" : "errors"})`];
  for (const d of diagnostics) {
    traceback.push(`    ${where(d)}: ${d.message}`);
    const text = d.file ? undefined : sourceLine(cell.source, d.line);
    if (text !== undefined) {
      traceback.push(`        ${text}`);
      traceback.push(`        ${" ".repeat(Math.max(0, d.column - 1))}^`);
    }
  }
  const first = diagnostics[0];
  const more = diagnostics.length > 1 ? ` (and ${diagnostics.length - 1} more)` : "";
  const evalue = first ? `${first.file ? first.file + ", " : ""}line ${first.line}, column ${first.column}: ${first.message}${more}` : "the cell did not compile";
  return { ename: "TSError", evalue, traceback };
}

function safeInspect(value: unknown): string {
  try {
    return inspect(value, { depth: 3, breakLength: Infinity });
  } catch (e) {
    return `<a value that cannot be printed: ${e instanceof Error ? e.message : "unknown"}>`;
  }
}

function safeGet(obj: object, key: string): unknown {
  try {
    return (obj as Record<string, unknown>)[key];
  } catch {
    return undefined;
  }
}

function isErrorLike(value: unknown): value is Error {
  if (value instanceof Error) return true;
  return typeof value === "object" && value !== null && typeof safeGet(value, "stack") === "string" && typeof safeGet(value, "message") === "string";
}

/** Frames inside tslab or Node's internals say nothing about the user's code. */
function isPlumbing(frame: string): boolean {
  return /node_modules[\\/](?:tslab|tsx)[\\/]|\(node:internal|at node:internal|node:vm:|\(vm\.js:/.test(frame) || frame.includes(__dirname);
}

/**
 * Rewrites one stack frame that points into a cell ("<cell 3>:8:15") into the cell's source line,
 * using the JavaScript that ran to find it. Frames elsewhere are kept as they are.
 */
function rewriteFrame(frame: string, cells: (count: number) => CompiledCell | undefined): string[] {
  const m = CELL_FRAME.exec(frame);
  if (!m) return [frame];
  const count = Number(m[1]);
  const cell = cells(count);
  const line = cell ? sourceLineOf(cell.output, cell.source, Number(m[2])) : undefined;
  const fn = /^\s*at (?:async )?(.+?) \(/.exec(frame)?.[1];
  // The anonymous frame of tslab's wrapper call has no source line: it says nothing.
  if (!line && !fn) return [];
  const head = `    at ${fn ? fn + " (" : ""}${cellLabel(count)}${line ? `, line ${line}` : ""}${fn ? ")" : ""}`;
  const text = cell && line ? sourceLine(cell.source, line) : undefined;
  return text ? [head, `        ${text.trim()}`] : [head];
}

/** Statement lines of the cell that contain `throw` (a comment-blind scan, good enough to point at). */
function throwLines(source: string): number[] {
  const lines: number[] = [];
  source.split("\n").forEach((text, i) => {
    const code = text.replace(/\/\/.*$/, "");
    if (/(^|[^\w$.])throw\b/.test(code)) lines.push(i + 1);
  });
  return lines;
}

/**
 * A thrown value (or the reason of a rejected promise): an Error keeps its name, message and a
 * stack rewritten to cell lines; any other value (a string, undefined, an object) is named
 * "ThrownValue", printed with util.inspect, and located by the cell's `throw` statements since
 * it carries no stack.
 */
export function thrownError(value: unknown, cell: CompiledCell, cells: (count: number) => CompiledCell | undefined): ErrorContent {
  const lookup = (n: number) => (n === cell.count ? cell : cells(n));
  if (isErrorLike(value)) {
    const name = String(safeGet(value, "name") ?? "Error") || "Error";
    const message = String(safeGet(value, "message") ?? "");
    const stack = String(safeGet(value, "stack") ?? "");
    // Node prefixes errors thrown inside vm scripts with "file:line", the code line and a caret;
    // the stack proper starts at the line naming the error.
    let lines = stack.split("\n");
    const start = lines.findIndex((l) => l.startsWith(name));
    if (start > 0) lines = lines.slice(start);
    const firstFrame = lines.findIndex((l) => /^\s+at /.test(l));
    const head = firstFrame < 0 ? [`${name}: ${message}`] : lines.slice(0, firstFrame);
    const frames = firstFrame < 0 ? [] : lines.slice(firstFrame).filter((f) => !isPlumbing(f));
    const traceback = [...head, ...frames.flatMap((f) => rewriteFrame(f, lookup))];
    if (!traceback.some((l) => l.includes(cellLabel(cell.count)))) traceback.push(`    (raised while running ${cellLabel(cell.count)})`);
    const cause = safeGet(value, "cause");
    if (cause !== undefined) traceback.push(`Caused by: ${isErrorLike(cause) ? String(safeGet(cause, "stack") ?? cause) : safeInspect(cause)}`);
    return { ename: name, evalue: message, traceback };
  }
  const shown = safeInspect(value);
  const kind = value === null || value === undefined ? String(value) : Array.isArray(value) ? "an array" : typeof value === "object" ? "an object" : `a ${typeof value}`;
  const throws = throwLines(cell.source);
  const label = cellLabel(cell.count);
  const traceback = [`ThrownValue: ${shown}`, `    ${kind} was thrown, not an Error, so there is no stack trace; throw new Error(...) to get one.`];
  if (throws.length === 1) {
    traceback.push(`    at ${label}, line ${throws[0]} (the cell's only throw statement)`, `        ${sourceLine(cell.source, throws[0])?.trim() ?? ""}`);
  } else if (throws.length > 1) {
    traceback.push(`    at ${label}, one of the throw statements at lines ${throws.join(", ")}`);
  } else {
    traceback.push(`    at ${label}: thrown by code the cell called (the cell itself has no throw statement)`);
  }
  return { ename: "ThrownValue", evalue: shown, traceback };
}

/** The cell ran but its value could not be turned into a MIME bundle. */
export function displayError(error: unknown, cell: { count: number }): ErrorContent {
  const message = isErrorLike(error) ? String(safeGet(error, "message")) : safeInspect(error);
  const name = isErrorLike(error) ? String(safeGet(error, "name") ?? "Error") : "ThrownValue";
  const evalue = `displaying the value of ${cellLabel(cell.count)} failed: ${message}`;
  return { ename: name, evalue, traceback: [`${name}: ${evalue}`] };
}
