import { test } from "node:test";
import assert from "node:assert/strict";
import { assertClose } from "../helpers.js";
import { nuclearNorm, operatorNorm } from "../../src/linalg/norms.js";
import { diag, matmul, matmulNT, zeros } from "../../src/linalg/matrix.js";
import { randomOrthogonal } from "./fixtures.js";

test("nuclearNorm and operatorNorm equal the sum and maximum of prescribed singular values", () => {
  const sigma = [3, 2, 0.5, 0, 0];
  const a = matmulNT(matmul(randomOrthogonal(5, 1), diag(sigma)), randomOrthogonal(5, 2));
  assertClose(nuclearNorm(a), 5.5, 1e-14);
  assertClose(operatorNorm(a), 3, 1e-14);
});

test("nuclearNorm and operatorNorm of zero and empty matrices are 0", () => {
  assert.equal(nuclearNorm(zeros(3, 2)), 0);
  assert.equal(operatorNorm(zeros(3, 2)), 0);
  assert.equal(operatorNorm(zeros(0, 4)), 0);
});
