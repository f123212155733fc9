/**
 * Dense float64 matrices: the one data type every float64 path of flatlab shares.
 *
 * A `Matrix` is plain data, `{rows, cols, data}` with `data` a row-major Float64Array of length
 * rows*cols, so it serializes to JSON, crosses worker threads and wraps into ml-matrix or tfjs
 * without a copy of the logic. Functions here are small and allocate their result; kernels that
 * must not allocate live beside the decompositions.
 */

export interface Matrix {
  readonly rows: number;
  readonly cols: number;
  /** Row-major entries: entry (i, j) is data[i * cols + j]. */
  readonly data: Float64Array;
}

/** Shape as printed in error messages: [rows, cols]. */
export function shapeOf(a: Matrix): string {
  return `[${a.rows}, ${a.cols}]`;
}

export function zeros(rows: number, cols: number): Matrix {
  return { rows, cols, data: new Float64Array(rows * cols) };
}

export function identity(n: number): Matrix {
  const out = zeros(n, n);
  for (let i = 0; i < n; i++) out.data[i * n + i] = 1;
  return out;
}

/** A matrix from nested arrays (rows of equal length). */
export function fromRows(rows: ArrayLike<ArrayLike<number>>): Matrix {
  const r = rows.length;
  const c = r === 0 ? 0 : rows[0].length;
  const out = zeros(r, c);
  for (let i = 0; i < r; i++) {
    if (rows[i].length !== c) {
      throw new RangeError(`fromRows: every row must have ${c} entries; row ${i} has ${rows[i].length}.`);
    }
    for (let j = 0; j < c; j++) out.data[i * c + j] = rows[i][j];
  }
  return out;
}

export function toRows(a: Matrix): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < a.rows; i++) out.push(Array.from(a.data.subarray(i * a.cols, (i + 1) * a.cols)));
  return out;
}

export function diag(values: ArrayLike<number>): Matrix {
  const n = values.length;
  const out = zeros(n, n);
  for (let i = 0; i < n; i++) out.data[i * n + i] = values[i];
  return out;
}

export function clone(a: Matrix): Matrix {
  return { rows: a.rows, cols: a.cols, data: a.data.slice() };
}

export function transpose(a: Matrix): Matrix {
  const out = zeros(a.cols, a.rows);
  const { rows, cols, data } = a;
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out.data[j * rows + i] = data[i * cols + j];
  return out;
}

/** C = A B. The i-k-j loop order streams rows of B (about 3x faster than i-j-k here). */
export function matmul(a: Matrix, b: Matrix): Matrix {
  if (a.cols !== b.rows) {
    throw new RangeError(`matmul: inner dimensions must agree; received ${shapeOf(a)} and ${shapeOf(b)}.`);
  }
  const n = a.rows, p = a.cols, q = b.cols;
  const out = new Float64Array(n * q);
  const A = a.data, B = b.data;
  for (let i = 0; i < n; i++) {
    const ci = i * q;
    for (let k = 0; k < p; k++) {
      const aik = A[i * p + k];
      if (aik === 0) continue;
      const bk = k * q;
      for (let j = 0; j < q; j++) out[ci + j] += aik * B[bk + j];
    }
  }
  return { rows: n, cols: q, data: out };
}

/** C = Aᵀ B without forming Aᵀ. */
export function matmulTN(a: Matrix, b: Matrix): Matrix {
  if (a.rows !== b.rows) {
    throw new RangeError(`matmulTN: row counts must agree; received ${shapeOf(a)} and ${shapeOf(b)}.`);
  }
  const n = a.cols, p = a.rows, q = b.cols;
  const out = new Float64Array(n * q);
  const A = a.data, B = b.data;
  for (let k = 0; k < p; k++) {
    const bk = k * q;
    for (let i = 0; i < n; i++) {
      const aki = A[k * n + i];
      if (aki === 0) continue;
      const ci = i * q;
      for (let j = 0; j < q; j++) out[ci + j] += aki * B[bk + j];
    }
  }
  return { rows: n, cols: q, data: out };
}

/** C = A Bᵀ without forming Bᵀ. */
export function matmulNT(a: Matrix, b: Matrix): Matrix {
  if (a.cols !== b.cols) {
    throw new RangeError(`matmulNT: column counts must agree; received ${shapeOf(a)} and ${shapeOf(b)}.`);
  }
  const n = a.rows, p = a.cols, q = b.rows;
  const out = new Float64Array(n * q);
  const A = a.data, B = b.data;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < q; j++) {
      let s = 0;
      for (let k = 0; k < p; k++) s += A[i * p + k] * B[j * p + k];
      out[i * q + j] = s;
    }
  }
  return { rows: n, cols: q, data: out };
}

function sameShape(name: string, a: Matrix, b: Matrix): void {
  if (a.rows !== b.rows || a.cols !== b.cols) {
    throw new RangeError(`${name}: shapes must agree; received ${shapeOf(a)} and ${shapeOf(b)}.`);
  }
}

/** alpha*A + beta*B. */
export function axpby(alpha: number, a: Matrix, beta: number, b: Matrix): Matrix {
  sameShape("axpby", a, b);
  const out = new Float64Array(a.data.length);
  for (let i = 0; i < out.length; i++) out[i] = alpha * a.data[i] + beta * b.data[i];
  return { rows: a.rows, cols: a.cols, data: out };
}

export function add(a: Matrix, b: Matrix): Matrix {
  return axpby(1, a, 1, b);
}

export function sub(a: Matrix, b: Matrix): Matrix {
  return axpby(1, a, -1, b);
}

export function scale(a: Matrix, s: number): Matrix {
  const out = new Float64Array(a.data.length);
  for (let i = 0; i < out.length; i++) out[i] = s * a.data[i];
  return { rows: a.rows, cols: a.cols, data: out };
}

/** ⟨A, B⟩ = tr(AᵀB). */
export function dot(a: Matrix, b: Matrix): number {
  sameShape("dot", a, b);
  let s = 0;
  for (let i = 0; i < a.data.length; i++) s += a.data[i] * b.data[i];
  return s;
}

/** Euclidean norm of a vector, by scaled sum of squares so that tiny or huge entries neither underflow nor overflow. */
export function norm2(x: ArrayLike<number>): number {
  let scaleV = 0, ssq = 1;
  for (let i = 0; i < x.length; i++) {
    const v = Math.abs(x[i]);
    if (v === 0) continue;
    if (scaleV < v) {
      ssq = 1 + ssq * (scaleV / v) * (scaleV / v);
      scaleV = v;
    } else {
      ssq += (v / scaleV) * (v / scaleV);
    }
  }
  return scaleV * Math.sqrt(ssq);
}

export function frobeniusNorm(a: Matrix): number {
  return norm2(a.data);
}

export function trace(a: Matrix): number {
  if (a.rows !== a.cols) throw new RangeError(`trace: matrix must be square; received ${shapeOf(a)}.`);
  let s = 0;
  for (let i = 0; i < a.rows; i++) s += a.data[i * a.cols + i];
  return s;
}

/** Columns j0..j1-1 of A. */
export function columns(a: Matrix, j0: number, j1: number): Matrix {
  const out = zeros(a.rows, j1 - j0);
  for (let i = 0; i < a.rows; i++) for (let j = j0; j < j1; j++) out.data[i * out.cols + j - j0] = a.data[i * a.cols + j];
  return out;
}

/** [A, B] side by side. */
export function hstack(a: Matrix, b: Matrix): Matrix {
  if (a.rows !== b.rows) throw new RangeError(`hstack: row counts must agree; received ${shapeOf(a)} and ${shapeOf(b)}.`);
  const out = zeros(a.rows, a.cols + b.cols);
  for (let i = 0; i < a.rows; i++) {
    out.data.set(a.data.subarray(i * a.cols, (i + 1) * a.cols), i * out.cols);
    out.data.set(b.data.subarray(i * b.cols, (i + 1) * b.cols), i * out.cols + a.cols);
  }
  return out;
}

/** [A; B] stacked. */
export function vstack(a: Matrix, b: Matrix): Matrix {
  if (a.cols !== b.cols) throw new RangeError(`vstack: column counts must agree; received ${shapeOf(a)} and ${shapeOf(b)}.`);
  const data = new Float64Array(a.data.length + b.data.length);
  data.set(a.data, 0);
  data.set(b.data, a.data.length);
  return { rows: a.rows + b.rows, cols: a.cols, data };
}

/** Pads A with zero columns up to k columns (Theorem 3.2: factors padded to any width). */
export function padColumns(a: Matrix, k: number): Matrix {
  if (k < a.cols) throw new RangeError(`padColumns: k must be at least ${a.cols}; received ${k}.`);
  return k === a.cols ? a : hstack(a, zeros(a.rows, k - a.cols));
}
