/**
 * One-sided Jacobi SVD kernel (unchecked): Hestenes 1958, with de Rijk's (1989) updates of the
 * column norms. Plane rotations are applied to pairs of columns of A until every pair is
 * orthogonal to working precision; the column norms are then the singular values, with high
 * relative accuracy even for tiny ones (Demmel and Veselić 1992).
 * Columns of A and of V are stored as rows of flat arrays, so every rotation streams contiguous
 * memory. Slower than Golub–Kahan (about 8 sweeps of n²/2 rotations): the `svd` method "jacobi".
 */

const EPS = 2 ** -52;
/** Sweeps before giving up; one-sided Jacobi converges quadratically, usually in 6 to 12 sweeps. */
const MAX_SWEEPS = 80;

/**
 * Unchecked one-sided Jacobi kernel. W (n×m, rows = columns of an m×n matrix B, m ≥ n) is
 * overwritten by B·V (orthogonal columns); Vt (n×n) is multiplied by the rotations when withV;
 * s receives the column norms of B·V (unsorted).
 */
export function jacobiKernel(m: number, n: number, W: Float64Array, Vt: Float64Array, s: Float64Array, withV: boolean): void {
  const norms = new Float64Array(n); // squared column norms, updated by each rotation
  const tol = EPS * Math.sqrt(m); // pairs with |cos angle| below this count as orthogonal
  let converged = false;
  for (let sweep = 0; sweep < MAX_SWEEPS && !converged; sweep++) {
    // Fresh norms each sweep so that rounding in the updates cannot accumulate.
    for (let j = 0; j < n; j++) {
      let t = 0;
      const r = j * m;
      for (let i = 0; i < m; i++) t += W[r + i] * W[r + i];
      norms[j] = t;
    }
    converged = true;
    for (let p = 0; p < n - 1; p++) {
      const rp = p * m;
      for (let q = p + 1; q < n; q++) {
        const alpha = norms[p], beta = norms[q];
        if (alpha === 0 || beta === 0) continue;
        const rq = q * m;
        let gamma = 0;
        for (let i = 0; i < m; i++) gamma += W[rp + i] * W[rq + i];
        if (Math.abs(gamma) <= tol * Math.sqrt(alpha * beta)) continue;
        converged = false;
        // Rotation that zeroes the (p, q) entry of BᵀB (Rutishauser's formulas).
        const zeta = (beta - alpha) / (2 * gamma);
        const t = (zeta >= 0 ? 1 : -1) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
        const c = 1 / Math.sqrt(1 + t * t), sn = c * t;
        for (let i = 0; i < m; i++) {
          const x = W[rp + i], y = W[rq + i];
          W[rp + i] = c * x - sn * y;
          W[rq + i] = sn * x + c * y;
        }
        norms[p] = alpha - t * gamma;
        norms[q] = beta + t * gamma;
        if (withV) {
          const vp = p * n, vq = q * n;
          for (let i = 0; i < n; i++) {
            const x = Vt[vp + i], y = Vt[vq + i];
            Vt[vp + i] = c * x - sn * y;
            Vt[vq + i] = sn * x + c * y;
          }
        }
      }
    }
  }
  if (!converged) throw new RangeError(`svd: one-sided Jacobi did not converge in ${MAX_SWEEPS} sweeps for a ${m}×${n} matrix.`);
  for (let j = 0; j < n; j++) {
    let t = 0;
    const r = j * m;
    for (let i = 0; i < m; i++) t += W[r + i] * W[r + i];
    s[j] = Math.sqrt(t);
  }
}

/**
 * Rows rank..k-1 of Q (k×m, first `rank` rows orthonormal) are filled with unit vectors
 * orthogonal to all earlier rows: each time the coordinate vector e_i with the largest component
 * outside the span so far (at least sqrt((m − r)/m) of it) goes through Gram–Schmidt twice.
 */
export function completeOrthonormalRows(Q: Float64Array, m: number, k: number, rank: number): void {
  const x = new Float64Array(m);
  for (let r = rank; r < k; r++) {
    // ‖P e_i‖² = 1 − Σ_j Q[j][i]² for the projector P onto the complement of rows 0..r-1.
    x.fill(1);
    for (let j = 0; j < r; j++) for (let i = 0; i < m; i++) x[i] -= Q[j * m + i] * Q[j * m + i];
    let best = 0;
    for (let i = 1; i < m; i++) if (x[i] > x[best]) best = i;
    x.fill(0);
    x[best] = 1;
    for (let pass = 0; pass < 2; pass++) {
      for (let j = 0; j < r; j++) {
        let d = 0;
        const o = j * m;
        for (let i = 0; i < m; i++) d += Q[o + i] * x[i];
        for (let i = 0; i < m; i++) x[i] -= d * Q[o + i];
      }
    }
    let nrm = 0;
    for (let i = 0; i < m; i++) nrm += x[i] * x[i];
    nrm = Math.sqrt(nrm);
    for (let i = 0; i < m; i++) Q[r * m + i] = x[i] / nrm;
  }
}
