import { test } from "node:test";
import assert from "node:assert/strict";
import vm from "node:vm";
import {
  cellFileName, DIAGNOSTIC_FORMAT, diagnosticsError, displayError, parseDiagnostic, thrownError, type CompiledCell,
} from "../../src/kernel/cellErrors.js";

const none = () => undefined;

/** Runs `output` as cell `count` the way the launcher names cell scripts, returning what it threw. */
function throwFrom(output: string, count: number): unknown {
  try {
    vm.runInThisContext(output, { filename: cellFileName(count) });
  } catch (e) {
    return e;
  }
  assert.fail("the script did not throw");
}

test("parseDiagnostic recognises tslab's diagnostic call and nothing else", () => {
  assert.deepEqual(parseDiagnostic([DIAGNOSTIC_FORMAT, "", 2, 7, "Type 'string' is not assignable to type 'number'."]), {
    line: 2, column: 7, message: "Type 'string' is not assignable to type 'number'.",
  });
  assert.deepEqual(parseDiagnostic([DIAGNOSTIC_FORMAT, "mod.ts ", 1, 1, "x"]), { file: "mod.ts", line: 1, column: 1, message: "x" });
  assert.equal(parseDiagnostic([new Error("boom")]), undefined);
  assert.equal(parseDiagnostic(["%s", 1]), undefined);
});

test("a type error names the cell, the line and the column, and shows the line with a caret", () => {
  const err = diagnosticsError([{ line: 2, column: 7, message: "Type 'string' is not assignable to type 'number'." }], { count: 4, source: "let a = 1;\nconst x: number = 'a';" });
  assert.equal(err.ename, "TSError");
  assert.equal(err.evalue, "line 2, column 7: Type 'string' is not assignable to type 'number'.");
  assert.deepEqual(err.traceback.slice(1), [
    "    cell [4], line 2, column 7: Type 'string' is not assignable to type 'number'.",
    "        const x: number = 'a';",
    "              ^",
  ]);
});

test("several diagnostics are all listed and counted in evalue", () => {
  const err = diagnosticsError([{ line: 1, column: 1, message: "a" }, { line: 1, column: 3, message: "b" }], { count: 1, source: "x y" });
  assert.match(err.evalue, /\(and 1 more\)$/);
  assert.match(err.traceback[0], /2 errors/);
});

test("a thrown Error keeps its name and message and its stack names the cell line it was thrown on", () => {
  const source = "// comment\nfunction f(a: number) {\n  if (a > 0) throw new RangeError('bad ' + a);\n}\nf(2)";
  const output = "function f(a) {\n    if (a > 0)\n        throw new RangeError('bad ' + a);\n}\nf(2);";
  const cell: CompiledCell = { count: 3, source, output };
  const err = thrownError(throwFrom(output, 3), cell, none);
  assert.equal(err.ename, "RangeError");
  assert.equal(err.evalue, "bad 2");
  assert.equal(err.traceback[0], "RangeError: bad 2");
  assert.ok(err.traceback.includes("    at f (cell [3], line 3)"), err.traceback.join("\n"));
  assert.ok(err.traceback.includes("    at cell [3], line 5"), err.traceback.join("\n"));
  assert.ok(!err.traceback.some((l) => l.includes("<cell 3>")), "raw frames are rewritten");
});

test("a frame in a function defined by an earlier cell names that cell", () => {
  const earlier: CompiledCell = { count: 1, source: "function g() {\n  throw new Error('from g');\n}", output: "function g() {\n    throw new Error('from g');\n}\nglobalThis.__flatlabTestG = g;" };
  vm.runInThisContext(earlier.output, { filename: cellFileName(1) });
  const now: CompiledCell = { count: 2, source: "(globalThis as any).__flatlabTestG()", output: "globalThis.__flatlabTestG();" };
  const err = thrownError(throwFrom(now.output, 2), now, (n) => (n === 1 ? earlier : undefined));
  assert.ok(err.traceback.includes("    at g (cell [1], line 2)"), err.traceback.join("\n"));
  delete (globalThis as Record<string, unknown>).__flatlabTestG;
});

test("a thrown string, undefined or object becomes ThrownValue, printed, and located by the cell's throw", () => {
  const cell = (source: string): CompiledCell => ({ count: 7, source, output: source });
  const s = thrownError("boom", cell("const a = 1;\nthrow 'boom'"), none);
  assert.deepEqual([s.ename, s.evalue], ["ThrownValue", "'boom'"]);
  assert.ok(s.traceback.includes("    at cell [7], line 2 (the cell's only throw statement)"), s.traceback.join("\n"));
  const u = thrownError(undefined, cell("throw undefined"), none);
  assert.deepEqual([u.ename, u.evalue], ["ThrownValue", "undefined"]);
  assert.match(u.traceback[1], /undefined was thrown, not an Error/);
  const o = thrownError({ code: 42 }, cell("if (x) throw a;\nelse throw b;"), none);
  assert.equal(o.evalue, "{ code: 42 }");
  assert.ok(o.traceback.some((l) => l.includes("one of the throw statements at lines 1, 2")));
  const far = thrownError(null, cell("callSomething()"), none);
  assert.ok(far.traceback.some((l) => l.includes("thrown by code the cell called")));
});

test("a value whose printing throws still yields an error message", () => {
  const hostile = new Proxy({}, { get() { throw new Error("no access"); }, ownKeys() { throw new Error("no keys"); } });
  const err = thrownError(hostile, { count: 1, source: "throw p", output: "" }, none);
  assert.equal(err.ename, "ThrownValue");
  assert.equal(typeof err.evalue, "string");
});

test("an Error's cause is shown", () => {
  const err = thrownError(new Error("outer", { cause: "inner reason" }), { count: 1, source: "", output: "" }, none);
  assert.ok(err.traceback.includes("Caused by: 'inner reason'"));
});

test("a failed display names the cell", () => {
  const err = displayError(new TypeError('the value for MIME type "application/json" is not JSON-serializable'), { count: 5 });
  assert.equal(err.ename, "TypeError");
  assert.match(err.evalue, /^displaying the value of cell \[5\] failed: the value for MIME type "application\/json"/);
});
