import { test } from "node:test";
import assert from "node:assert/strict";
import { totalmem } from "node:os";
import { checkMemory, formatBytes, memoryLimit, setMemoryLimit } from "../../src/util/memory.js";
import { sensingProblem } from "../../src/problems/sensing.js";
import { bilinearProblem } from "../../src/problems/bilinear.js";
import { completionProblem } from "../../src/problems/completion.js";
import { robustPcaProblem } from "../../src/problems/robust-pca.js";
import { quadraticNetProblem } from "../../src/problems/quadratic-net.js";
import { hadamardProblem } from "../../src/problems/hadamard.js";
import { identityProblem } from "../../src/problems/identity.js";
import { sampleGaussianOperator, sampleQuadraticOperator } from "../../src/problems/operators.js";
import { nuclearNormMin } from "../../src/solvers/nuclear-norm.js";

function withLimit<T>(bytes: number | undefined, f: () => T): T {
  setMemoryLimit(bytes);
  try {
    return f();
  } finally {
    setMemoryLimit(undefined);
  }
}

test("the memory limit is half the machine's memory unless set; its messages name the sizes, the estimate and the limit", () => {
  assert.deepEqual(memoryLimit(), { bytes: Math.floor(totalmem() / 2), source: "half of this machine's memory" });
  assert.equal(formatBytes(8e12), "8.0 TB");
  assert.equal(formatBytes(123456), "123 kB");
  withLimit(1000, () => {
    assert.throws(() => checkMemory("f", { n: 200 }, "a vector", 1600), {
      name: "RangeError",
      message: "f: n = 200 would need about 1.6 kB (a vector), more than the memory limit of 1.0 kB (set with setMemoryLimit); use smaller sizes, or raise the limit with setMemoryLimit(bytes) or FLATLAB_MAX_BYTES.",
    });
    checkMemory("f", { n: 100 }, "a vector", 800);
  });
  assert.throws(() => setMemoryLimit(-1), /setMemoryLimit: bytes must be a finite number > 0 or undefined; received -1/);
});

test("generators refuse what cannot fit before allocating, at once (d1 = d2 = 1e6; d = 20000, m = 10)", () => {
  const t0 = performance.now();
  assert.throws(() => sensingProblem.generate({ d1: 1e6, d2: 1e6, r: 1, m: 1, seed: 1 }), /^RangeError: sensingProblem\.generate: d1 = 1000000, d2 = 1000000, m = 1 would need about 16 TB \(the d1×d2 truth and m Gaussian d1×d2 measurement matrices\), more than the memory limit/);
  assert.throws(() => sensingProblem.generate({ d1: 20000, d2: 20000, r: 1, m: 10, seed: 1 }), /d1 = 20000, d2 = 20000, m = 10 would need about 35 GB/);
  assert.ok(performance.now() - t0 < 100, "refused without allocating");
  withLimit(1e5, () => {
    const big = { seed: 1, r: 1 };
    assert.throws(() => sensingProblem.generate({ ...big, d1: 20, d2: 20, m: 40 }), /sensingProblem\.generate: d1 = 20, d2 = 20, m = 40/);
    assert.throws(() => bilinearProblem.generate({ ...big, d1: 200, d2: 200, m: 4 }), /bilinearProblem\.generate: d1 = 200, d2 = 200, m = 4/);
    assert.throws(() => completionProblem.generate({ ...big, d1: 200, d2: 200, p: 0.5 }), /completionProblem\.generate: d1 = 200, d2 = 200/);
    assert.throws(() => robustPcaProblem.generate({ ...big, d1: 200, d2: 200, l: 1 }), /robustPcaProblem\.generate: d1 = 200, d2 = 200/);
    assert.throws(() => identityProblem.generate({ ...big, d1: 200, d2: 200 }), /identityProblem\.generate: d1 = 200, d2 = 200/);
    assert.throws(() => quadraticNetProblem.generate({ d: 200, r1: 1, m: 4, seed: 1 }), /quadraticNetProblem\.generate: d = 200, m = 4/);
    assert.throws(() => hadamardProblem.generate({ d: 200, r: 1, k: 2, m: 100, seed: 1 }), /hadamardProblem\.generate: d = 200, m = 100/);
    assert.throws(() => sampleQuadraticOperator({ d: 200, m: 100, seed: 1 }), /sampleQuadraticOperator: d = 200, m = 100/);
  });
  withLimit(1e9, () => assert.equal(sensingProblem.generate({ d1: 20, d2: 20, r: 1, m: 40, seed: 1 }).m, 40));
});

test("a solve refuses a Gram matrix that cannot fit, naming m and d1·d2", () => {
  const A = sampleGaussianOperator({ d1: 10, d2: 10, m: 50, seed: 2 });
  const b = new Float64Array(50).fill(1);
  withLimit(5e4, () => assert.throws(() => nuclearNormMin(A, b, { maxIter: 5 }), /nuclearNormMin: m = 50, d1·d2 = 100 would need about 60 kB \(the Gram matrix of A and a copy of its rows\)/));
  assert.equal(nuclearNormMin(A, b, { maxIter: 5 }).iterations, 5);
});
