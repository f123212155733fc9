/**
 * Unchecked dense kernels for the Gaussian ensemble's exact projection (affine-projection.ts):
 * y = R x and x = Rᵀ y for R stored m×n row-major (row i = vec(A_i)).
 *
 * Why here and not through the operator's apply/adjoint: one ADMM iteration does one of each,
 * and they dominate a Gaussian solve. Measured on this machine (d = 30, m = 290, n = 900, best of
 * 7 runs of 300 calls): the operator's single-accumulator loops took 0.43 ms (apply) and 0.53 ms
 * (adjoint); these kernels 0.15 ms and 0.18 ms; NumPy/OpenBLAS 0.03 ms each. They work on 4 rows
 * at a time: 4 independent accumulators hide the floating-point add latency and x is loaded once
 * per 4 rows; the transposed product reads and writes `out` once per 4 rows. (8 rows was slower,
 * 0.17 / 0.12 ms: register pressure.) A 4×4-tiled Gram matrix ran no faster than the operator's
 * gram() (19 ms at m = 290, about 2 GFMA/s, the scalar ceiling here; NumPy 1.6 ms), so gram() is used.
 */

/** out_i = Σ_t R[i, t] x_t for i < m. */
export function gemvRows(R: Float64Array, m: number, n: number, x: Float64Array, out: Float64Array): void {
  let i = 0;
  for (; i + 3 < m; i += 4) {
    const o0 = i * n, o1 = o0 + n, o2 = o1 + n, o3 = o2 + n;
    let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    for (let t = 0; t < n; t++) {
      const xt = x[t];
      s0 += R[o0 + t] * xt;
      s1 += R[o1 + t] * xt;
      s2 += R[o2 + t] * xt;
      s3 += R[o3 + t] * xt;
    }
    out[i] = s0; out[i + 1] = s1; out[i + 2] = s2; out[i + 3] = s3;
  }
  for (; i < m; i++) {
    const o = i * n;
    let s0 = 0, s1 = 0;
    let t = 0;
    for (; t + 1 < n; t += 2) { s0 += R[o + t] * x[t]; s1 += R[o + t + 1] * x[t + 1]; }
    if (t < n) s0 += R[o + t] * x[t];
    out[i] = s0 + s1;
  }
}

/** out_t = Σ_i y_i R[i, t] (out is overwritten). */
export function gemvTransRows(R: Float64Array, m: number, n: number, y: ArrayLike<number>, out: Float64Array): void {
  out.fill(0);
  let i = 0;
  for (; i + 3 < m; i += 4) {
    const o0 = i * n, o1 = o0 + n, o2 = o1 + n, o3 = o2 + n;
    const y0 = y[i], y1 = y[i + 1], y2 = y[i + 2], y3 = y[i + 3];
    for (let t = 0; t < n; t++) out[t] += y0 * R[o0 + t] + y1 * R[o1 + t] + y2 * R[o2 + t] + y3 * R[o3 + t];
  }
  for (; i < m; i++) {
    const o = i * n, yi = y[i];
    for (let t = 0; t < n; t++) out[t] += yi * R[o + t];
  }
}
