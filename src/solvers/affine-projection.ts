/**
 * Exact Euclidean projection onto the affine set {X : A(X) = b} (paper-notes §7.5 [D]; our choice
 * of method, the paper names no solver [NF]):
 *
 *     P(Z) = Z − A*(μ),   μ = (AA*)⁺ (A(Z) − b).
 *
 * The m×m Gram matrix AA* is factored once per solve and every iteration costs one apply, one
 * adjoint and two triangular solves. A diagonal Gram matrix (completion masks, the identity map,
 * any operator with orthogonal A_i) is inverted entrywise instead, with zero entries treated as
 * unobserved coordinates (pseudo-inverse). A Gram matrix that is not positive definite (more
 * measurements than the dimension, or repeated measurements) falls back to an eigenvalue
 * pseudo-inverse; in every case b must lie in the range of A, which is checked once.
 */
import { checkMemory } from "../util/memory.js";
import { type Matrix, transpose } from "../linalg/matrix.js";
import { eigh } from "../linalg/eigh.js";
import type { MeasurementOperator } from "../problems/operator.js";
import { BLOCKED_GRAM_SCRATCH, Float64Arena, blockedGram, gramOfColumns, transformBlocks } from "../kernels/index.js";

/** Relative residual ‖A(P(0)) − b‖/‖b‖ above which b is declared outside the range of A. */
export const INCONSISTENCY_TOL = 1e-8;

export interface AffineProjector {
  readonly m: number;
  /** "diagonal", "cholesky" or "pseudo-inverse": how (AA*)⁺ is applied. */
  readonly method: "diagonal" | "cholesky" | "pseudo-inverse";
  /** Numerical rank of the Gram matrix (m when it is positive definite). */
  readonly gramRank: number;
  /** μ = (AA*)⁺ r for a residual r ∈ R^m (a new array). */
  solveGram(r: Float64Array): Float64Array;
  /**
   * Writes P(z) into out (length d1·d2, may alias z.data) and returns the multiplier μ, so that
   * P(z) = z − A*(μ) exactly in exact arithmetic.
   */
  project(z: Matrix, out: Float64Array): Float64Array;
  /** A(x) and A*(y): the operator's own, or the SIMD kernels on the projector's copy of a Gaussian operator's rows or of the factors a_i, b_i of a rank-one ensemble. */
  apply(x: Matrix): Float64Array;
  adjoint(y: Float64Array): Matrix;
  /**
   * Hands the kernel memory to the next projector (a fresh WebAssembly memory costs ~1 ms of page
   * faults at m = 290, d = 30, 4% of a solve); the projector must not be used afterwards.
   */
  dispose(): void;
}

/** Kernel memory of a disposed projector, reused by the next one it fits (at most 4× too big). */
let spareArena: Float64Arena | undefined;

function takeArena(capacity: number): Float64Arena {
  const spare = spareArena;
  // Let go of a spare that does not fit before the new memory is allocated, so that the two are
  // not held at once (two 100 MB arenas at d = 100).
  spareArena = undefined;
  if (spare !== undefined && spare.capacity >= capacity && spare.capacity <= 4 * capacity) {
    spare.reset();
    return spare;
  }
  return new Float64Arena(capacity);
}

/**
 * Factors AA* once and returns the projector onto {A(X) = b}. Throws (naming `fn`) when b is not
 * in the range of A.
 */
export function affineProjector(fn: string, A: MeasurementOperator, b: Float64Array): AffineProjector {
  const m = A.m;
  const n = A.d1 * A.d2;
  const dense = denseRows(A);
  // A Gram matrix (of the smaller side) beside a copy of dense rows, unless it is known diagonal:
  // refuse before forming them.
  if (structuredGramDiagonal(A) === undefined) {
    checkMemory(fn, { m, "d1·d2": n }, "the Gram matrix of A and a copy of its rows", 8 * (Math.min(m, n) ** 2 + (dense !== undefined ? m * n : 0)));
  }
  if (m > n && structuredGramDiagonal(A) === undefined) return overdeterminedProjector(fn, A, b, dense);
  // A Gram matrix known to be diagonal (completion masks, the identity map) is never formed: for
  // d = 50 at p = 1 it would be 2500×2500 (50 MB) to read off its diagonal. Any other lives in a
  // kernel arena (src/kernels), factored there in place, beside the rows of a Gaussian operator or
  // the factors of a rank-one ensemble (whose Gram matrix is computed right there), so that every
  // projection runs in the SIMD kernels.
  const knownDiagonal = structuredGramDiagonal(A);
  const factored = dense === undefined ? rankOneFactors(A) : undefined;
  let G: Float64Array | undefined, arena: Float64Arena | undefined, map: KernelMap | undefined;
  let fillGram = (): void => {};
  if (knownDiagonal === undefined) {
    const { d1, d2 } = A;
    const extra = dense !== undefined ? m * n + BLOCKED_GRAM_SCRATCH : factored !== undefined ? m * m + 2 * m * d1 + 2 * m * d2 : 0;
    arena = takeArena(m * m + m + (extra > 0 ? extra + 2 * n + m : 0));
    const gram = arena.alloc(m * m), k = arena.kernels;
    if (dense !== undefined) {
      const R = arena.alloc(m * n), tile = arena.alloc(BLOCKED_GRAM_SCRATCH);
      dense(R);
      fillGram = () => blockedGram(k, R, m, n, gram, tile);
      map = {
        forward: (x, out) => k.gemv(R.byteOffset, m, n, x.byteOffset, out.byteOffset),
        backward: (y, out) => k.gemvT(R.byteOffset, m, n, y.byteOffset, out.byteOffset),
      };
    } else if (factored !== undefined) {
      // A_i = a_i b_iᵀ (bilinear; quadratic with a = b = x): A(X)_i = (a X)_i · b_i and
      // A*(y) = aᵀ diag(y) b, two products with the m×d factors (m·d1·d2 flops each, in cache)
      // instead of passes over m·d1·d2 stored entries; Gram matrix (a aᵀ) ∘ (b bᵀ).
      const fa = arena.alloc(m * d1, factored.a.data), fb = arena.alloc(m * d2, factored.b.data), faT = arena.alloc(d1 * m);
      for (let i = 0; i < m; i++) for (let p = 0; p < d1; p++) faT[p * m + i] = fa[i * d1 + p];
      const T = arena.alloc(m * d2), other = arena.alloc(m * m);
      fillGram = () => {
        k.gemmNT(fa.byteOffset, fa.byteOffset, gram.byteOffset, m, d1, m, 0, d1);
        k.gemmNT(fb.byteOffset, fb.byteOffset, other.byteOffset, m, d2, m, 0, d2);
        for (let t = 0; t < m * m; t++) gram[t] *= other[t];
      };
      map = {
        forward: (x, out) => {
          k.gemmNN(fa.byteOffset, x.byteOffset, T.byteOffset, m, d1, d2);
          for (let i = 0; i < m; i++) {
            let s = 0;
            for (let q = 0, o = i * d2; q < d2; q++) s += T[o + q] * fb[o + q];
            out[i] = s;
          }
        },
        backward: (y, out) => {
          for (let i = 0; i < m; i++) for (let q = 0, o = i * d2, yi = y[i]; q < d2; q++) T[o + q] = yi * fb[o + q];
          k.gemmNN(faT.byteOffset, T.byteOffset, out.byteOffset, d1, m, d2);
        },
      };
    } else {
      const g = A.gram();
      if (g.rows !== m || g.cols !== m) throw new RangeError(`${fn}: A.gram() must have shape [${m}, ${m}]; received [${g.rows}, ${g.cols}].`);
      fillGram = () => gram.set(g.data);
    }
    fillGram();
    G = gram;
  }
  const diagonal = knownDiagonal ?? new Float64Array(m);
  let maxDiag = 0, offDiagonal = false;
  for (let i = 0; i < m; i++) {
    if (G !== undefined) diagonal[i] = G[i * m + i];
    const gii = diagonal[i];
    if (!Number.isFinite(gii)) throw new RangeError(`${fn}: A.gram() must be finite; received ${gii} at diagonal entry ${i}.`);
    maxDiag = Math.max(maxDiag, gii);
    if (G !== undefined && !offDiagonal) for (let j = 0; j < m; j++) if (j !== i && G[i * m + j] !== 0) { offDiagonal = true; break; }
  }
  if (!(maxDiag > 0)) throw new RangeError(`${fn}: A must be a nonzero map; received a Gram matrix with zero diagonal.`);

  let solveGram: (r: Float64Array) => Float64Array;
  let method: AffineProjector["method"];
  let gramRank = m;
  let denseProject: AffineProjector["project"] | undefined;
  let apply = (x: Matrix): Float64Array => A.apply(x), adjoint = (y: Float64Array): Matrix => A.adjoint(y);
  if (!offDiagonal) {
    // Diagonal Gram: entries at or below m·eps·max are unobserved coordinates (A_i = 0).
    method = "diagonal";
    const inv = new Float64Array(m);
    const cut = m * 2.2e-16 * maxDiag;
    gramRank = 0;
    for (let i = 0; i < m; i++) if (diagonal[i] > cut) { inv[i] = 1 / diagonal[i]; gramRank++; }
    solveGram = (r) => { const mu = new Float64Array(m); for (let i = 0; i < m; i++) mu[i] = inv[i] * r[i]; return mu; };
    const mask = completionMask(A);
    if (mask !== undefined) {
      // A completion map changes only the observed entries: the same arithmetic as the general
      // projection below, without its validated apply, a d1×d2 adjoint and a pass over it per call
      // (bitwise the same result; these were about 5% of a completion iteration at d = 100).
      const { index, weights } = mask;
      denseProject = (z, out) => {
        const Z = z.data, mu = new Float64Array(m);
        if (out !== Z) out.set(Z);
        for (let k = 0; k < m; k++) {
          const t = index[k], w = weights === undefined ? 1 : weights[k];
          mu[k] = inv[k] * (w * Z[t] - b[k]);
          out[t] = Z[t] - w * mu[k];
        }
        return mu;
      };
    }
  } else {
    const L = G as Float64Array, k = (arena as Float64Arena).kernels, work = (arena as Float64Arena).alloc(m);
    const failedPivot = k.cholesky(L.byteOffset, m);
    // Cholesky succeeding on a nearly singular Gram matrix would amplify rounding by its condition
    // number; a tiny pivot ratio sends it to the pseudo-inverse, which drops the null directions.
    let minPivot = Infinity, maxPivot = 0;
    if (failedPivot < 0) for (let i = 0; i < m; i++) { const p = L[i * m + i]; minPivot = Math.min(minPivot, p); maxPivot = Math.max(maxPivot, p); }
    if (failedPivot < 0 && minPivot > 1e-7 * maxPivot) {
      method = "cholesky";
      const solveInPlace = () => { k.solveLower(L.byteOffset, m, work.byteOffset); k.solveLowerT(L.byteOffset, m, work.byteOffset); };
      solveGram = (r) => { work.set(r); solveInPlace(); return work.slice(); };
      if (map !== undefined) {
        const M = map, x = (arena as Float64Arena).alloc(n), correction = (arena as Float64Arena).alloc(n), ax = (arena as Float64Arena).alloc(m);
        apply = (v) => { x.set(v.data); M.forward(x, ax); return ax.slice(); };
        adjoint = (y) => { ax.set(y); M.backward(ax, correction); return { rows: A.d1, cols: A.d2, data: correction.slice() }; };
        denseProject = (z, out) => {
          x.set(z.data);
          M.forward(x, work);
          for (let i = 0; i < m; i++) work[i] -= b[i];
          solveInPlace();
          M.backward(work, correction);
          for (let i = 0; i < n; i++) out[i] = x[i] - correction[i];
          return work.slice();
        };
      }
    } else {
      method = "pseudo-inverse";
      fillGram(); // the failed factorization overwrote it
      const { values, vectors } = eigh({ rows: m, cols: m, data: L }, { symmetryTol: 1e-8 });
      const Q = vectors.data;
      const keep = positiveEigenvalues(values);
      gramRank = keep.length;
      solveGram = (r) => {
        const mu = new Float64Array(m);
        for (const k of keep) {
          let c = 0;
          for (let i = 0; i < m; i++) c += Q[i * m + k] * r[i];
          c /= values[k];
          for (let i = 0; i < m; i++) mu[i] += c * Q[i * m + k];
        }
        return mu;
      };
    }
  }

  const project: AffineProjector["project"] = denseProject ?? ((z: Matrix, out: Float64Array): Float64Array => {
    const res = A.apply(z);
    for (let i = 0; i < m; i++) res[i] -= b[i];
    const mu = solveGram(res);
    const corr = A.adjoint(mu).data;
    const Z = z.data;
    for (let i = 0; i < n; i++) out[i] = Z[i] - corr[i];
    return mu;
  });

  checkConsistency(fn, A, b, project, apply, `Gram rank ${gramRank} of ${m}, ${method}`);
  let disposed = false;
  const live = <F extends (...args: never[]) => unknown>(f: F): F => ((...args: Parameters<F>) => {
    if (disposed) throw new Error(`${fn}: the affine projector was used after dispose().`);
    return f(...args);
  }) as F;
  return {
    m, method, gramRank, solveGram: live(solveGram), project: live(project), apply: live(apply), adjoint: live(adjoint),
    dispose: () => {
      if (disposed) return;
      disposed = true;
      if (arena !== undefined) spareArena = arena;
    },
  };
}

/** The least-norm point P(0) must satisfy A(X) = b, else b is outside the range of A. */
function checkConsistency(fn: string, A: MeasurementOperator, b: Float64Array, project: AffineProjector["project"], apply: AffineProjector["apply"], how: string): void {
  const { m } = A, n = A.d1 * A.d2;
  const x0 = new Float64Array(n);
  project({ rows: A.d1, cols: A.d2, data: new Float64Array(n) }, x0);
  const r0 = apply({ rows: A.d1, cols: A.d2, data: x0 });
  let num = 0, den = 0;
  for (let i = 0; i < m; i++) { num += (r0[i] - b[i]) ** 2; den += b[i] ** 2; }
  const rel = Math.sqrt(num) / Math.max(Math.sqrt(den), 1e-300);
  if (den > 0 && !(rel <= INCONSISTENCY_TOL)) {
    throw new RangeError(
      `${fn}: b must lie in the range of A (the system A(X) = b is inconsistent); received b with least-squares residual ‖A(A⁺b) − b‖/‖b‖ = ${rel.toExponential(2)} > ${INCONSISTENCY_TOL} (${how}).`,
    );
  }
}

/**
 * More measurements than unknowns (m > n = d1·d2): work with the n×n matrix N = A*A instead of the
 * m×m Gram matrix, which has rank ≤ n and would cost an m×m eigendecomposition (measured: m = 2000
 * takes over 20 s; N at n = 400 takes 0.1 s). With N⁺ from its eigendecomposition,
 * P(z) = z − N⁺A*(A(z) − b), and the multiplier μ = (AA*)⁺r = A(N⁺ N⁺ A*(r)) satisfies A*(μ) = N⁺A*(r).
 */
function overdeterminedProjector(fn: string, A: MeasurementOperator, b: Float64Array, dense: ((out: Float64Array) => void) | undefined): AffineProjector {
  const m = A.m, n = A.d1 * A.d2;
  const asMatrix = (data: Float64Array): Matrix => ({ rows: A.d1, cols: A.d2, data });
  let N: Matrix;
  if (dense !== undefined) {
    const rows = new Float64Array(m * n);
    dense(rows);
    N = { rows: n, cols: n, data: gramOfColumns(rows, m, n) };
  }
  else {
    N = { rows: n, cols: n, data: new Float64Array(n * n) };
    const e = new Float64Array(n);
    for (let j = 0; j < n; j++) {
      e.fill(0);
      e[j] = 1;
      const col = A.adjoint(A.apply(asMatrix(e))).data;
      for (let i = 0; i < n; i++) N.data[i * n + j] = col[i];
    }
  }
  // eigh symmetrizes N (built column by column, symmetric up to rounding).
  const { values, vectors } = eigh(N, { symmetryTol: 1e-8 });
  const keep = positiveEigenvalues(values);
  // N⁺ = V₊ diag(1/λ₊) V₊ᵀ, formed once (n×n).
  const Np = new Float64Array(n * n), V = vectors.data;
  for (const k of keep) {
    const inv = 1 / values[k];
    for (let i = 0; i < n; i++) {
      const vi = V[i * n + k] * inv;
      if (vi === 0) continue;
      for (let j = 0; j < n; j++) Np[i * n + j] += vi * V[j * n + k];
    }
  }
  const applyNp = (x: Float64Array): Float64Array => {
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) { let s = 0; for (let j = 0; j < n; j++) s += Np[i * n + j] * x[j]; out[i] = s; }
    return out;
  };
  const solveGram = (r: Float64Array): Float64Array => A.apply(asMatrix(applyNp(applyNp(A.adjoint(r).data))));
  const project = (z: Matrix, out: Float64Array): Float64Array => {
    const res = A.apply(z);
    for (let i = 0; i < m; i++) res[i] -= b[i];
    const c = applyNp(A.adjoint(res).data);
    const Z = z.data;
    for (let i = 0; i < n; i++) out[i] = Z[i] - c[i];
    return A.apply(asMatrix(applyNp(c)));
  };
  const apply = (x: Matrix): Float64Array => A.apply(x), adjoint = (y: Float64Array): Matrix => A.adjoint(y);
  checkConsistency(fn, A, b, project, apply, `A*A rank ${keep.length} of ${n}, pseudo-inverse of A*A`);
  return { m, method: "pseudo-inverse", gramRank: keep.length, solveGram, project, apply, adjoint, dispose: () => {} };
}

/** Indices of the eigenvalues a pseudo-inverse keeps: above size·1e-13 times the largest magnitude. */
function positiveEigenvalues(values: Float64Array): number[] {
  const n = values.length;
  const top = Math.max(Math.abs(values[0]), Math.abs(values[n - 1]));
  const keep: number[] = [];
  for (let k = 0; k < n; k++) if (values[k] > n * 1e-13 * top) keep.push(k);
  return keep;
}

/**
 * The diagonal of AA* for operators whose A_i are known to be orthogonal: completion maps
 * (A_k = w_k e_i e_jᵀ over distinct entries, src/problems completionOperator) and the identity.
 */
function structuredGramDiagonal(A: MeasurementOperator): Float64Array | undefined {
  if (A.kind === "identity" && A.m === A.d1 * A.d2) return new Float64Array(A.m).fill(1);
  if (A.kind !== "completion") return undefined;
  const { rowIndex, weights } = A as { rowIndex?: unknown; weights?: unknown };
  if (!(rowIndex instanceof Int32Array) || rowIndex.length !== A.m) return undefined;
  if (weights === undefined) return new Float64Array(A.m).fill(1);
  if (!(weights instanceof Float64Array) || weights.length !== A.m) return undefined;
  return weights.map((w) => w * w);
}

/** The observed entries (row-major indices into d1×d2) and weights of a completion map. */
function completionMask(A: MeasurementOperator): { index: Int32Array; weights: Float64Array | undefined } | undefined {
  if (A.kind !== "completion" || structuredGramDiagonal(A) === undefined) return undefined;
  const { rowIndex, colIndex, weights } = A as unknown as { rowIndex: Int32Array; colIndex?: unknown; weights?: Float64Array };
  if (!(colIndex instanceof Int32Array) || colIndex.length !== A.m) return undefined;
  const index = new Int32Array(A.m);
  for (let k = 0; k < A.m; k++) index[k] = rowIndex[k] * A.d2 + colIndex[k];
  return { index, weights };
}

/** A and A* in the SIMD kernels on arena arrays (x: d1·d2, y: m). */
interface KernelMap {
  forward(x: Float64Array, out: Float64Array): void;
  backward(y: Float64Array, out: Float64Array): void;
}

/** The factors a (m×d1), b (m×d2) of A_i = a_i b_iᵀ: bilinear (src/problems) a, b; quadratic x, x. */
function rankOneFactors(A: MeasurementOperator): { a: Matrix; b: Matrix } | undefined {
  const ok = (f: unknown, cols: number): f is Matrix =>
    typeof f === "object" && f !== null && (f as Matrix).data instanceof Float64Array && (f as Matrix).rows === A.m && (f as Matrix).cols === cols;
  if (A.kind === "bilinear") {
    const { a, b } = A as { a?: unknown; b?: unknown };
    return ok(a, A.d1) && ok(b, A.d2) ? { a, b } : undefined;
  }
  if (A.kind === "quadratic") {
    const { x } = A as { x?: unknown };
    return ok(x, A.d1) && A.d1 === A.d2 ? { a: x, b: x } : undefined;
  }
  return undefined;
}

/**
 * Writes the m×(d1·d2) row matrix of a Gaussian-ensemble operator (src/problems GaussianOperator.rows)
 * into `out`, or of its rescaling B_i = Pᵀ A_i Qᵀ (src/problems RescaledOperator with a Gaussian
 * base: the flat program, eq. (20)), formed right there so that it exists only in the kernel arena;
 * undefined for other operators.
 */
function denseRows(A: MeasurementOperator): ((out: Float64Array) => void) | undefined {
  const { m, d1, d2 } = A;
  const rowsOf = (G: MeasurementOperator): Float64Array | undefined => {
    const rows = (G as { rows?: Matrix }).rows;
    if (G.kind !== "gaussian" || rows === undefined || !(rows.data instanceof Float64Array) || rows.rows !== m || rows.cols !== d1 * d2) return undefined;
    return rows.data;
  };
  if (A.kind === "gaussian") {
    const R = rowsOf(A);
    return R === undefined ? undefined : (out) => out.set(R);
  }
  if (A.kind !== "rescaled") return undefined;
  const { base, left, right } = A as { base?: MeasurementOperator; left?: Matrix; right?: Matrix };
  const R = base === undefined || base.d1 !== d1 || base.d2 !== d2 || base.m !== m ? undefined : rowsOf(base);
  if (R === undefined || left?.rows !== d1 || left.cols !== d1 || right?.rows !== d2 || right.cols !== d2) return undefined;
  return (out) => transformBlocks(R, m, d1, d2, transpose(left).data, transpose(right).data, out);
}
