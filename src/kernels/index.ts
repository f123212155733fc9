/**
 * Float64 SIMD kernels (kernels.wat, WebAssembly f64x2) behind a small arena: the hot loops of the
 * convex solvers (Gram matrices, Cholesky, triangular solves, matrix-vector products) and of the
 * flat relaxation's set-up (second moments, rescaled measurement rows).
 *
 * Why: V8 runs JavaScript loops one float64 at a time; these kernels run two per instruction.
 * Measured on the project machine (d = 30, m = 290, n = 900): y = R x 0.17 → 0.043 ms, the
 * Gram matrix R Rᵀ 19 → 5 ms (bench/linalg.bench.ts prints the current ratios).
 *
 * Each Float64Arena owns a fixed-size WebAssembly memory and its own instance of the compiled
 * module, so arenas never share state (solves nest, worker threads each compile the module once)
 * and the garbage collector frees an arena with its last reference. Arrays handed out by alloc()
 * are views on that memory; a kernel takes their byteOffset as the pointer.
 */
import { KERNELS_WASM_BASE64 } from "./kernels-wasm.js";

/** The exports of kernels.wat; every pointer is a byteOffset into the arena's memory. */
export interface Kernels {
  dot(a: number, b: number, n: number): number;
  axpy(alpha: number, x: number, y: number, n: number): void;
  gemv(R: number, m: number, n: number, x: number, out: number): void;
  gemvT(R: number, m: number, n: number, y: number, out: number): void;
  syrk(R: number, m: number, n: number, out: number): void;
  syrkTAdd(R: number, m: number, n: number, out: number): void;
  gemmNN(A: number, B: number, C: number, p: number, q: number, r: number): void;
  gemmNT(A: number, B: number, C: number, p: number, q: number, r: number, lower: number, ld: number): void;
  cholesky(A: number, m: number): number;
  tridiagonalize(V: number, n: number, d: number, e: number, h: number): void;
  reflectRows(V: number, n: number, h: number, Y: number, count: number, u: number): void;
  solveLower(L: number, m: number, x: number): void;
  solveLowerT(L: number, m: number, x: number): void;
}

/** Largest arena: 2 GiB, so that byte offsets stay positive 32-bit integers in the kernels' arithmetic. */
const MAX_BYTES = 2 ** 31 - 65536;

// The WebAssembly API is typed by lib.dom, which this package does not load; the members used here:
interface WasmApi {
  Memory: new (descriptor: { initial: number; maximum: number }) => { readonly buffer: ArrayBuffer };
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { readonly exports: unknown };
}
const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
let compiled: object | undefined;

export class Float64Arena {
  readonly kernels: Kernels;
  private readonly buffer: ArrayBuffer;
  private readonly capacityBytes: number;
  private used = 0;
  /** Set by reset(): memory handed out again must be cleared. */
  private reused = false;

  /** An arena with room for `capacity` float64 values. */
  constructor(capacity: number) {
    const bytes = capacity * 8;
    if (!Number.isSafeInteger(capacity) || capacity < 0 || bytes > MAX_BYTES) {
      throw new RangeError(`Float64Arena: capacity must be an integer from 0 to ${MAX_BYTES / 8} float64 values (2 GiB); received ${capacity}.`);
    }
    const pages = Math.max(1, Math.ceil(bytes / 65536));
    const memory = new wasm.Memory({ initial: pages, maximum: pages });
    compiled ??= new wasm.Module(Buffer.from(KERNELS_WASM_BASE64, "base64"));
    this.kernels = new wasm.Instance(compiled, { env: { memory } }).exports as unknown as Kernels;
    this.buffer = memory.buffer;
    this.capacityBytes = bytes;
  }

  /** Room for this many float64 values in all. */
  get capacity(): number {
    return this.capacityBytes / 8;
  }

  /** Hands the whole arena out again; views given out before must not be used any more. */
  reset(): void {
    this.used = 0;
    this.reused = true;
  }

  /** A zero-filled view of n float64 values (contents optionally copied from `from`). */
  alloc(n: number, from?: ArrayLike<number>): Float64Array {
    if (!Number.isSafeInteger(n) || n < 0 || this.used + n * 8 > this.capacityBytes) {
      throw new RangeError(`Float64Arena: out of room (${n} values requested, ${(this.capacityBytes - this.used) / 8} left).`);
    }
    const view = new Float64Array(this.buffer, this.used, n);
    this.used += n * 8;
    if (from !== undefined) view.set(from);
    else if (this.reused) view.fill(0);
    return view;
  }
}

/**
 * One arena kept between the calls of one non-reentrant user (a module's scratch memory): a new
 * WebAssembly memory pays its page faults on every first touch (measured for the rescaled rows at
 * d = 30, m = 290: 5.1 ms with a new arena per call, 3.2 ms reusing one). Each user has its own
 * slot, so a user may call another while holding its views; views from take() are valid until the
 * same slot's next take().
 */
export class ArenaSlot {
  private kept: Float64Arena | undefined;
  /** Arenas above maxKept values are not kept (default: all). */
  constructor(private readonly maxKept = Infinity) {}

  /** An emptied arena with room for `capacity` values: the kept one if it is large enough. */
  take(capacity: number): Float64Arena {
    if (capacity > this.maxKept) return new Float64Arena(capacity);
    if (this.kept === undefined || this.kept.capacity < capacity) this.kept = new Float64Arena(capacity);
    this.kept.reset();
    return this.kept;
  }
}

/** The one-shot products below: they return copies, never views on it, and keep up to 16 MB. */
const SCRATCH_KEPT = 2 ** 21;
const scratch = new ArenaSlot(SCRATCH_KEPT);

/** R Rᵀ (m×m) for R stored m×n row-major. */
export function gramOfRows(R: Float64Array, m: number, n: number): Float64Array {
  const arena = scratch.take(m * n + m * m);
  const rows = arena.alloc(m * n, R.subarray(0, m * n)), out = arena.alloc(m * m);
  arena.kernels.syrk(rows.byteOffset, m, n, out.byteOffset);
  return out.slice();
}

/** Rows and columns of the tiles of blockedGram, and the length of their chunks of the inner index. */
const GRAM_TILE = 64, GRAM_CHUNK = 256;

/** Length of blockedGram's scratch tile. */
export const BLOCKED_GRAM_SCRATCH = GRAM_TILE * GRAM_TILE;

/**
 * out = R Rᵀ (m×m, exactly symmetric) for R (m×n), all three (and the scratch tile of
 * BLOCKED_GRAM_SCRATCH values) in the arena of the kernels k, by tiles of 64×64 entries summed
 * over chunks of 256 columns, so that the rows a tile reads stay in cache (2·64·256·8 = 256 KB).
 * Why: the one-pass syrk reads every pair of long rows from memory; measured at m = 922,
 * n = 10,000 (the d = 100 sensing Gram matrix): 2.3 s there, NumPy/OpenBLAS 0.22 s (see
 * bench/linalg.bench.ts for the current ratio). Short rows (n ≤ 2·256) go to syrk.
 */
export function blockedGram(k: Kernels, R: Float64Array, m: number, n: number, out: Float64Array, tile: Float64Array): void {
  if (n <= 2 * GRAM_CHUNK) {
    k.syrk(R.byteOffset, m, n, out.byteOffset);
    return;
  }
  out.fill(0);
  for (let i0 = 0; i0 < m; i0 += GRAM_TILE) {
    const ti = Math.min(GRAM_TILE, m - i0);
    for (let j0 = 0; j0 <= i0; j0 += GRAM_TILE) {
      const tj = Math.min(GRAM_TILE, m - j0), diagonal = i0 === j0 ? 1 : 0;
      for (let k0 = 0; k0 < n; k0 += GRAM_CHUNK) {
        const kc = Math.min(GRAM_CHUNK, n - k0);
        k.gemmNT(R.byteOffset + (i0 * n + k0) * 8, R.byteOffset + (j0 * n + k0) * 8, tile.byteOffset, ti, kc, tj, diagonal, n);
        for (let i = 0; i < ti; i++) {
          const o = (i0 + i) * m + j0, t = i * tj, jEnd = diagonal ? i + 1 : tj;
          for (let j = 0; j < jEnd; j++) out[o + j] += tile[t + j];
        }
      }
    }
  }
  for (let i = 0; i < m; i++) for (let j = 0; j < i; j++) out[j * m + i] = out[i * m + j];
}

/** Rᵀ R (n×n) for R stored m×n row-major. */
export function gramOfColumns(R: Float64Array, m: number, n: number): Float64Array {
  const arena = scratch.take(m * n + n * n);
  const rows = arena.alloc(m * n, R.subarray(0, m * n)), out = arena.alloc(n * n);
  arena.kernels.syrkTAdd(rows.byteOffset, m, n, out.byteOffset);
  return out.slice();
}

/*
 * Stacks of m blocks A_i (d1×d2 each, consecutive in R, row-major). Measured at d = 30, m = 290
 * against the block-by-block JavaScript products used before: the second moments 26 → 2.7 ms, the
 * rescaled blocks 44 → 3.2 ms.
 */

/** Values of each side-by-side batch of blockMoments (256 KB: the operands of its products stay in cache). */
const MOMENT_BATCH = 2 ** 15;

/**
 * Σ_i A_i A_iᵀ (d1×d1) and Σ_i A_iᵀ A_i (d2×d2) by batches of b blocks laid side by side,
 * [A_i … A_{i+b−1}] (d1 × b·d2) and [A_iᵀ … A_{i+b−1}ᵀ] (d2 × b·d1), each batch's Gram matrix by
 * gemmNT (lower triangle) and added up, then mirrored (exactly symmetric). Measured at d = 100,
 * m = 922 (same process, shared machine): 0.51 s block by block with A_iᵀA_i as rank-one updates
 * (syrkTAdd, one pass over a d2×d2 sum per row), 0.16 s here; NumPy's two einsums 0.54 s. At
 * d = 30, m = 290: 8.9 → 3.1 ms.
 */
export function blockMoments(R: Float64Array, m: number, d1: number, d2: number): { left: Float64Array; right: Float64Array } {
  const n = d1 * d2, b = Math.max(1, Math.min(m, Math.floor(MOMENT_BATCH / n)));
  const arena = scratch.take(2 * b * n + 2 * d1 * d1 + 2 * d2 * d2);
  const k = arena.kernels;
  const rows = arena.alloc(b * n), cols = arena.alloc(b * n);
  const product1 = arena.alloc(d1 * d1), product2 = arena.alloc(d2 * d2), left = arena.alloc(d1 * d1), right = arena.alloc(d2 * d2);
  for (let i0 = 0; i0 < m; i0 += b) {
    const c = Math.min(b, m - i0), w1 = c * d2, w2 = c * d1;
    for (let j = 0; j < c; j++) {
      const o = (i0 + j) * n;
      for (let p = 0; p < d1; p++) {
        rows.set(R.subarray(o + p * d2, o + (p + 1) * d2), p * w1 + j * d2);
        for (let q = 0; q < d2; q++) cols[q * w2 + j * d1 + p] = R[o + p * d2 + q];
      }
    }
    k.gemmNT(rows.byteOffset, rows.byteOffset, product1.byteOffset, d1, w1, d1, 1, w1);
    k.gemmNT(cols.byteOffset, cols.byteOffset, product2.byteOffset, d2, w2, d2, 1, w2);
    for (let p = 0; p < d1; p++) for (let r = 0; r <= p; r++) left[p * d1 + r] += product1[p * d1 + r];
    for (let p = 0; p < d2; p++) for (let r = 0; r <= p; r++) right[p * d2 + r] += product2[p * d2 + r];
  }
  for (let p = 0; p < d1; p++) for (let r = 0; r < p; r++) left[r * d1 + p] = left[p * d1 + r];
  for (let p = 0; p < d2; p++) for (let r = 0; r < p; r++) right[r * d2 + p] = right[p * d2 + r];
  return { left: left.slice(), right: right.slice() };
}

/**
 * The blocks P A_i Q (P d1×d1, Q d2×d2), stacked like R, written into `out` (default a new array;
 * the affine projector passes its kernel arena, so the rescaled rows of the flat program exist
 * once, not also as a JavaScript copy). A stack that fits the scratch slot
 * (2·m·d1·d2 ≤ 2²¹ values) is done as one product A_i Q of the whole stack, then P (A_i Q) per
 * block (d = 30, m = 290: 3.2 ms; block by block 8 ms); a larger one block by block in a small
 * arena (d = 100, m = 922: 1.0–1.25 s as one product, its 150 MB arena paged in anew on every
 * call, 0.2 s block by block; NumPy's P @ Am @ Q 0.23 s).
 */
export function transformBlocks(R: Float64Array, m: number, d1: number, d2: number, P: Float64Array, Q: Float64Array, out: Float64Array = new Float64Array(m * d1 * d2)): Float64Array {
  const n = d1 * d2;
  if (2 * m * n <= SCRATCH_KEPT) {
    const arena = scratch.take(2 * m * n + d1 * d1 + d2 * d2);
    const k = arena.kernels;
    const blocks = arena.alloc(m * n, R.subarray(0, m * n)), aq = arena.alloc(m * n);
    const p = arena.alloc(d1 * d1, P), q = arena.alloc(d2 * d2, Q);
    // Stacking A_1; …; A_m vertically is R read as (m·d1)×d2, so one product gives every A_i Q.
    k.gemmNN(blocks.byteOffset, q.byteOffset, aq.byteOffset, m * d1, d2, d2);
    for (let i = 0; i < m; i++) k.gemmNN(p.byteOffset, aq.byteOffset + i * n * 8, blocks.byteOffset + i * n * 8, d1, d1, d2);
    out.set(blocks);
    return out;
  }
  const arena = scratch.take(2 * n + d1 * d1 + d2 * d2);
  const k = arena.kernels;
  const block = arena.alloc(n), aq = arena.alloc(n);
  const p = arena.alloc(d1 * d1, P), q = arena.alloc(d2 * d2, Q);
  for (let i = 0; i < m; i++) {
    block.set(R.subarray(i * n, (i + 1) * n));
    k.gemmNN(block.byteOffset, q.byteOffset, aq.byteOffset, d1, d2, d2);
    k.gemmNN(p.byteOffset, aq.byteOffset, block.byteOffset, d1, d1, d2);
    out.set(block, i * n);
  }
  return out;
}
