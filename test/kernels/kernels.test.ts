import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { BLOCKED_GRAM_SCRATCH, Float64Arena, blockedGram, blockMoments, gramOfColumns, gramOfRows, transformBlocks } from "../../src/kernels/index.js";
import { createRng } from "../../src/random/rng.js";
import { sampleGaussianOperator } from "../../src/problems/index.js";
import { affineProjector } from "../../src/solvers/affine-projection.js";
import { relError } from "../helpers.js";

const rng = createRng(20261128);
const gaussians = (n: number) => rng.gaussians(n);

/** Plain-loop reference C = A Bᵀ (p×r) for A p×q, B r×q. */
function refNT(A: ArrayLike<number>, B: ArrayLike<number>, p: number, q: number, r: number): Float64Array {
  const C = new Float64Array(p * r);
  for (let i = 0; i < p; i++) for (let j = 0; j < r; j++) { let s = 0; for (let k = 0; k < q; k++) s += A[i * q + k] * B[j * q + k]; C[i * r + j] = s; }
  return C;
}

// Shapes that hit every tail: odd lengths, row counts not divisible by 4, a single row or column.
const SHAPES: [number, number][] = [[1, 1], [1, 5], [2, 3], [3, 2], [4, 4], [5, 7], [7, 1], [9, 10], [13, 31], [64, 33]];
// (gemm tests also use r in 1, 2, 3, 6, 9 and 13: every column tail of the 4-wide blocks)

test("the committed kernels-wasm.ts is assembled from the committed kernels.wat", () => {
  const r = spawnSync(process.execPath, [join(__dirname, "..", "..", "scripts", "build-wasm.mjs"), "--check"], { encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
});

test("dot, axpy, gemv and gemvT equal plain loops on every tail shape", () => {
  for (const [m, n] of SHAPES) {
    const a = new Float64Arena(m * n + 2 * n + 2 * m);
    const k = a.kernels;
    const R = a.alloc(m * n, gaussians(m * n)), x = a.alloc(n, gaussians(n)), y = a.alloc(m, gaussians(m));
    const out = a.alloc(m), outT = a.alloc(n, gaussians(n)); // outT starts dirty: gemvT must overwrite it
    k.gemv(R.byteOffset, m, n, x.byteOffset, out.byteOffset);
    k.gemvT(R.byteOffset, m, n, y.byteOffset, outT.byteOffset);
    assert.ok(relError(out, refNT(R, x, m, n, 1)) < 1e-14, `gemv ${m}×${n}`);
    const Rt = new Float64Array(n * m);
    for (let i = 0; i < m; i++) for (let t = 0; t < n; t++) Rt[t * m + i] = R[i * n + t];
    assert.ok(relError(outT, refNT(Rt, y, n, m, 1)) < 1e-14, `gemvT ${m}×${n}`);
    assert.ok(Math.abs(k.dot(R.byteOffset, x.byteOffset, n) - refNT(R, x, 1, n, 1)[0]) < 1e-13 * n, `dot ${n}`);
    const before = Float64Array.from(x);
    k.axpy(-2.5, R.byteOffset, x.byteOffset, n);
    for (let t = 0; t < n; t++) assert.ok(Math.abs(x[t] - (before[t] - 2.5 * R[t])) < 1e-15 * (1 + Math.abs(x[t])), `axpy ${n}`);
  }
});

test("gemmNT (full and lower) and syrk equal plain loops; syrk is exactly symmetric", () => {
  for (const [p, q] of SHAPES) {
    for (const r of [1, 2, 3, 6, 9, 13]) {
      const a = new Float64Arena(p * q + 2 * r * q + p * r);
      // The transpose of B (r×q) in the same arena.
      const a2 = (B: Float64Array, rows: number, cols: number) => {
        const t = a.alloc(rows * cols);
        for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) t[j * rows + i] = B[i * cols + j];
        return t;
      };
      const A = a.alloc(p * q, gaussians(p * q)), B = a.alloc(r * q, gaussians(r * q)), C = a.alloc(p * r);
      a.kernels.gemmNT(A.byteOffset, B.byteOffset, C.byteOffset, p, q, r, 0, q);
      assert.ok(relError(C, refNT(A, B, p, q, r)) < 1e-14, `gemmNT ${p}×${q}·(${r}×${q})ᵀ`);
      // gemmNN with Bᵀ stored row-major gives the same product; C starts dirty and is overwritten.
      const Bt = a2(B, r, q);
      C.fill(7);
      a.kernels.gemmNN(A.byteOffset, Bt.byteOffset, C.byteOffset, p, q, r);
      assert.ok(relError(C, refNT(A, B, p, q, r)) < 1e-14, `gemmNN ${p}×${q}·${q}×${r}`);
    }
    const R = gaussians(p * q);
    const G = gramOfRows(R, p, q), ref = refNT(R, R, p, q, p);
    assert.ok(relError(G, ref) < 1e-14, `syrk ${p}×${q}`);
    for (let i = 0; i < p; i++) for (let j = 0; j < i; j++) assert.equal(G[i * p + j], G[j * p + i]);
    const Rt = new Float64Array(q * p);
    for (let i = 0; i < p; i++) for (let t = 0; t < q; t++) Rt[t * p + i] = R[i * q + t];
    assert.ok(relError(gramOfColumns(R, p, q), refNT(Rt, Rt, q, p, q)) < 1e-14, `syrkTAdd ${p}×${q}`);
  }
});

test("cholesky factors in place and the two triangular solves invert L Lᵀ; a bad pivot is reported", () => {
  for (const m of [1, 2, 5, 8, 33, 100]) {
    const g = gaussians(m * (m + 3));
    const S = refNT(g, g, m, m + 3, m);
    for (let i = 0; i < m; i++) S[i * m + i] += 0.1;
    const a = new Float64Arena(m * m + m);
    const L = a.alloc(m * m, S), x = a.alloc(m, gaussians(m));
    const rhs = Float64Array.from(x);
    assert.equal(a.kernels.cholesky(L.byteOffset, m), -1);
    for (let i = 0; i < m; i++) for (let j = i + 1; j < m; j++) assert.equal(L[i * m + j], 0, "upper triangle zeroed");
    assert.ok(relError(refNT(L, L, m, m, m), S) < 1e-14, `L Lᵀ = S, m = ${m}`);
    a.kernels.solveLower(L.byteOffset, m, x.byteOffset);
    a.kernels.solveLowerT(L.byteOffset, m, x.byteOffset);
    assert.ok(relError(refNT(S, x, m, m, 1), rhs) < 1e-10, `S x = b, m = ${m}`);
  }
  // Indefinite: pivot 2 fails (the leading 2×2 block is positive definite, the 3×3 is not).
  const a = new Float64Arena(9);
  const A = a.alloc(9, [4, 2, 0, 2, 5, 3, 0, 3, 1]);
  assert.equal(a.kernels.cholesky(A.byteOffset, 3), 2);
  const b = new Float64Arena(4);
  assert.equal(b.kernels.cholesky(b.alloc(4, [NaN, 0, 0, 1]).byteOffset, 2), 0, "a NaN pivot is a failed pivot");
});

test("blockMoments and transformBlocks equal block-by-block products", () => {
  // The last shape (2·m·d1·d2 > 2²¹) takes transformBlocks' block-by-block route.
  for (const [m, d1, d2] of [[1, 1, 1], [3, 2, 5], [7, 5, 3], [20, 6, 6], [560, 41, 47]]) {
    const n = d1 * d2, R = gaussians(m * n), P = gaussians(d1 * d1), Q = gaussians(d2 * d2);
    const left = new Float64Array(d1 * d1), right = new Float64Array(d2 * d2), transformed = new Float64Array(m * n);
    for (let i = 0; i < m; i++) {
      const Ai = R.subarray(i * n, (i + 1) * n);
      const AiT = new Float64Array(n);
      for (let p = 0; p < d1; p++) for (let j = 0; j < d2; j++) AiT[j * d1 + p] = Ai[p * d2 + j];
      refNT(Ai, Ai, d1, d2, d1).forEach((v, t) => { left[t] += v; });
      refNT(AiT, AiT, d2, d1, d2).forEach((v, t) => { right[t] += v; });
      const Qt = new Float64Array(d2 * d2);
      for (let j = 0; j < d2; j++) for (let c = 0; c < d2; c++) Qt[c * d2 + j] = Q[j * d2 + c];
      const AQ = refNT(Ai, Qt, d1, d2, d2); // A_i Q
      const AQt = new Float64Array(n);
      for (let p = 0; p < d1; p++) for (let c = 0; c < d2; c++) AQt[c * d1 + p] = AQ[p * d2 + c];
      transformed.set(refNT(P, AQt, d1, d1, d2), i * n);
    }
    const moments = blockMoments(R, m, d1, d2);
    assert.ok(relError(moments.left, left) < 1e-14 && relError(moments.right, right) < 1e-14, `moments ${m}×${d1}×${d2}`);
    assert.ok(relError(transformBlocks(R, m, d1, d2, P, Q), transformed) < 1e-14, `transform ${m}×${d1}×${d2}`);
  }
});

test("Float64Arena: bad capacities and overflow are errors naming the argument", () => {
  assert.throws(() => new Float64Arena(-1), /capacity must be an integer from 0/);
  assert.throws(() => new Float64Arena(1.5), /capacity must be an integer/);
  assert.throws(() => new Float64Arena(2 ** 28), /capacity must be an integer from 0 to .* \(2 GiB\); received 268435456/);
  const a = new Float64Arena(10);
  a.alloc(8);
  assert.throws(() => a.alloc(3), /out of room \(3 values requested, 2 left\)/);
  // Arenas are independent: writing one never shows in another.
  const b = new Float64Arena(10), c = new Float64Arena(10);
  b.alloc(10).fill(7);
  assert.deepEqual(Array.from(c.alloc(10)), new Array(10).fill(0));
});

test("Gaussian projections run through the Cholesky kernels", () => {
  const A = sampleGaussianOperator({ d1: 6, d2: 5, m: 17, seed: 3 });
  const b = A.apply({ rows: 6, cols: 5, data: gaussians(30) });
  const P = affineProjector("test", A, b);
  assert.equal(P.method, "cholesky");
  const out = new Float64Array(30);
  const z = { rows: 6, cols: 5, data: gaussians(30) };
  P.project(z, out);
  assert.ok(relError(A.apply({ rows: 6, cols: 5, data: out }), b) < 1e-13, "P(z) is feasible");
  // Its A and A* (the kernels on its copy of the rows) equal the operator's own.
  const y = gaussians(17);
  assert.ok(relError(P.apply(z), A.apply(z)) < 1e-14);
  assert.ok(relError(P.adjoint(y).data, A.adjoint(y).data) < 1e-14);
  // Projecting a feasible point leaves it in place.
  const again = new Float64Array(30);
  P.project({ rows: 6, cols: 5, data: out }, again);
  assert.ok(relError(again, out) < 1e-13);
  // After dispose its kernel memory may belong to the next projector: any use is an error.
  P.dispose();
  assert.throws(() => P.project(z, out), /test: the affine projector was used after dispose\(\)/);
  const P2 = affineProjector("test", A, b);
  P2.project(z, out);
  assert.ok(relError(A.apply({ rows: 6, cols: 5, data: out }), b) < 1e-13, "the next projector, on the reused memory, is exact");
});

test("blockedGram (tiles of 64 rows, chunks of 256 columns, ragged edges) equals plain loops and is exactly symmetric", () => {
  for (const [m, n] of [[131, 777], [64, 1024], [200, 513], [65, 3000]]) {
    const a = new Float64Arena(m * n + m * m + BLOCKED_GRAM_SCRATCH);
    const R = a.alloc(m * n, gaussians(m * n)), G = a.alloc(m * m), tile = a.alloc(BLOCKED_GRAM_SCRATCH);
    G.fill(3); // overwritten, not accumulated into
    blockedGram(a.kernels, R, m, n, G, tile);
    assert.ok(relError(G, refNT(R, R, m, n, m)) < 1e-14, `blockedGram ${m}×${n}`);
    for (let i = 0; i < m; i++) for (let j = 0; j < i; j++) assert.equal(G[i * m + j], G[j * m + i]);
  }
});
