/** Shared builders and measures for the decomposition tests (seeded; no test in this file). */
import { createRng } from "../../src/random/rng.js";
import { type Matrix, diag, frobeniusNorm, identity, matmul, matmulNT, matmulTN, sub } from "../../src/linalg/matrix.js";
import { qr } from "../../src/linalg/qr.js";

export function gaussianMatrix(rows: number, cols: number, seed: number): Matrix {
  return { rows, cols, data: createRng(seed).gaussians(rows * cols) };
}

/** A random n×n orthogonal matrix (Q of a Gaussian matrix). */
export function randomOrthogonal(n: number, seed: number): Matrix {
  return qr(gaussianMatrix(n, n, seed)).q;
}

/** Q diag(λ) Qᵀ for a random orthogonal Q, symmetrized exactly. */
export function withSpectrum(values: ArrayLike<number>, seed: number): Matrix {
  const q = randomOrthogonal(values.length, seed);
  const a = matmulNT(matmul(q, diag(values)), q);
  const n = a.rows;
  for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) {
    const s = 0.5 * (a.data[i * n + j] + a.data[j * n + i]);
    a.data[i * n + j] = a.data[j * n + i] = s;
  }
  return a;
}

/** ‖QᵀQ − I‖_F for a matrix with (supposedly) orthonormal columns. */
export function orthogonalityError(q: Matrix): number {
  return frobeniusNorm(sub(matmulTN(q, q), identity(q.cols)));
}

/** ‖u diag(s) vᵀ − a‖_F / max(‖a‖_F, tiny). */
export function reconstructionError(a: Matrix, u: Matrix, s: ArrayLike<number>, v: Matrix): number {
  return frobeniusNorm(sub(matmulNT(matmul(u, diag(s)), v), a)) / Math.max(frobeniusNorm(a), 1e-300);
}

export const EPS = 2 ** -52;
