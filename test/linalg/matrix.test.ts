import { test } from "node:test";
import assert from "node:assert/strict";
import { assertClose } from "../helpers.js";
import { fromRows, matmul, matmulNT, matmulTN, transpose, frobeniusNorm, norm2 } from "../../src/linalg/matrix.js";

test("matmul, matmulTN and matmulNT agree with the explicit transpose", () => {
  const a = fromRows([[1, 2, 3], [4, 5, 6]]);
  const b = fromRows([[1, 0], [2, 1], [0, 3]]);
  assert.deepEqual(Array.from(matmul(a, b).data), [5, 11, 14, 23]);
  assert.deepEqual(matmulTN(transpose(a), b), matmul(a, b));
  assert.deepEqual(matmulNT(a, transpose(b)), matmul(a, b));
});

test("matmul rejects mismatched inner dimensions and names both shapes", () => {
  const a = fromRows([[1, 2]]);
  assert.throws(() => matmul(a, a), /matmul: inner dimensions must agree; received \[1, 2\] and \[1, 2\]/);
});

test("norm2 neither overflows nor underflows", () => {
  assertClose(norm2([3e200, 4e200]), 5e200, 1e-15);
  assertClose(norm2([3e-200, 4e-200]), 5e-200, 1e-15);
  assert.equal(frobeniusNorm(fromRows([[3, 4]])), 5);
});
