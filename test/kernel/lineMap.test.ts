import { test } from "node:test";
import assert from "node:assert/strict";
import { alignLines, lineSimilarity, lineTokens, sourceLineOf } from "../../src/kernel/lineMap.js";

// What tslab 1.0.22 emits for this cell (converter.convert, target ES2022, CommonJS bookkeeping).
const SOURCE = [
  "// compute things",
  "const a: number = 1;",
  "",
  "interface Foo { x: number }",
  "function f(x: Foo): number {",
  "  // a comment",
  "  if (x.x > 0) {",
  '    throw new Error("bad " + x.x);',
  "  }",
  "  return x.x;",
  "}",
  "const big = [1, 2,",
  "  3].map((v) => v * a);",
  "f({ x: big[0] })",
].join("\n");
const OUTPUT = [
  'Object.defineProperty(exports, "__esModule", { value: true });',
  "exports.big = exports.a = exports.f = exports.tsLastExpr = void 0;",
  "// compute things",
  "const a = 1;",
  "exports.a = a;",
  "function f(x) {",
  "    // a comment",
  "    if (x.x > 0) {",
  '        throw new Error("bad " + x.x);',
  "    }",
  "    return x.x;",
  "}",
  "exports.f = f;",
  "const big = [1, 2,",
  "    3].map((v) => v * a);",
  "exports.big = big;",
  "exports.tsLastExpr = f({ x: big[0] });",
].join("\n");

test("lineTokens keeps identifiers, numbers and string contents but not tslab's bookkeeping names", () => {
  assert.deepEqual(lineTokens('exports.tsLastExpr = f({ x: "a" }, 2);'), ["f", "x", "str:a", "2"]);
  assert.deepEqual(lineTokens("throw new Error('bad');"), lineTokens('throw new Error("bad");'));
});

test("lineSimilarity is 1 for the same tokens and 0 for disjoint lines", () => {
  assert.equal(lineSimilarity(["a", "b"], ["b", "a"]), 1);
  assert.equal(lineSimilarity(["a"], ["b"]), 0);
  assert.equal(lineSimilarity([], ["b"]), 0);
});

test("every statement of the emitted JavaScript maps to the TypeScript line it came from", () => {
  // 1-based output line -> 1-based source line
  const expected: Record<number, number> = { 3: 1, 4: 2, 6: 5, 7: 6, 8: 7, 9: 8, 11: 10, 14: 12, 15: 13, 17: 14 };
  for (const [js, ts] of Object.entries(expected)) assert.equal(sourceLineOf(OUTPUT, SOURCE, Number(js)), ts, `output line ${js}`);
});

test("lines with no counterpart in the source map to nothing", () => {
  assert.equal(sourceLineOf(OUTPUT, SOURCE, 1), undefined);
  assert.equal(sourceLineOf(OUTPUT, SOURCE, 100), undefined);
});

test("several statements of a one-line cell all map to that line, and the alignment keeps order", () => {
  const source = "const s = make(); const o: any = {}; o.o = o; s.display({'application/json': o})";
  const output = ["const s = make();", "exports.s = s;", "const o = {};", "exports.o = o;", "o.o = o;", "s.display({ 'application/json': o });"].join("\n");
  assert.equal(sourceLineOf(output, source, 6), 1);
  const map = alignLines(OUTPUT, SOURCE).filter((j) => j >= 0);
  assert.deepEqual(map, [...map].sort((x, y) => x - y));
});
