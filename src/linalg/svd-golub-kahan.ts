/**
 * Golub–Kahan–Reinsch SVD kernel (unchecked): Householder bidiagonalization, then implicitly
 * shifted QR on the bidiagonal (Golub and Reinsch 1970; the LINPACK dsvdc / JAMA formulation,
 * followed step by step), on flat row-major Float64Arrays.
 *
 * Layout: the m×n input (m ≥ n) is held transposed, so column j of A is the contiguous row j of
 * `at`; U and V are built transposed too (row j of `ut`/`vt` is column j of U/V), so every
 * Householder update and every plane rotation streams contiguous memory.
 * Why our own: ml-matrix 6.15 runs the same algorithm through get/set calls in 3.1 ms (50×50) and
 * 12 ms (80×80); this flat version took 0.8-1.3 ms and 3.0-4.6 ms (NumPy/LAPACK, one thread:
 * 0.28 and 0.67 ms), see bench/linalg.bench.ts. Tried and dropped: applying each QR sweep's
 * rotations as row chains on row-major U, V (LAPACK dlasr style), or two rotations per pass over
 * three rows: each within ±5% here.
 */
import { hypot } from "./scalar.js";
import { axpy, dot, rotate } from "./blas1.js";

const EPS = 2 ** -52;
const TINY = 2 ** -966;

/**
 * On entry `at` (n×m, m ≥ n ≥ 1) holds Aᵀ (overwritten). On exit s holds the singular values
 * descending; when wantVectors, ut (n×m) holds Uᵀ and vt (n×n) holds Vᵀ, A = U diag(s) Vᵀ.
 * Throws when the QR iteration stalls (it converges in about 2 sweeps per value).
 */
export function golubKahanKernel(m: number, n: number, at: Float64Array, s: Float64Array, ut: Float64Array, vt: Float64Array, wantVectors: boolean): void {
  const e = new Float64Array(n);
  const nct = Math.min(m - 1, n);
  const nrt = Math.max(0, Math.min(n - 2, m));
  // Separate functions per phase: V8 optimizes small functions' loops better (measured 1.3x on
  // the bidiagonalization).
  bidiagonalize(m, n, at, s, e, ut, vt, wantVectors, nct, nrt);
  if (wantVectors) {
    generateU(m, n, s, ut, nct);
    generateV(n, e, vt, nrt);
  }
  bidiagonalQr(m, n, s, e, ut, vt, wantVectors);
}

/** Householder bidiagonalization: diagonal into s, superdiagonal into e; Householder vectors into ut, vt. */
function bidiagonalize(m: number, n: number, at: Float64Array, s: Float64Array, e: Float64Array, ut: Float64Array, vt: Float64Array, wantVectors: boolean, nct: number, nrt: number): void {
  const wantu = wantVectors, wantv = wantVectors;
  const work = new Float64Array(m);
  for (let k = 0, kmax = Math.max(nct, nrt); k < kmax; k++) {
    const rk = k * m;
    if (k < nct) {
      // Householder vector for column k (rows k..m-1), stored in place.
      let nrm = norm(at, rk + k, m - k);
      if (nrm !== 0) {
        if (at[rk + k] < 0) nrm = -nrm;
        const inv = 1 / nrm;
        for (let i = k; i < m; i++) at[rk + i] *= inv;
        at[rk + k] += 1;
      }
      s[k] = -nrm;
    }
    for (let j = k + 1; j < n; j++) {
      const rj = j * m;
      if (k < nct && s[k] !== 0) {
        // Apply the reflection to column j.
        const t = -dot(at, rk, at, rj, k, m) / at[rk + k];
        axpy(t, at, rk, at, rj, k, m);
      }
      // Row k of A, for the right reflection.
      e[j] = at[rj + k];
    }
    if (wantu && k < nct) for (let i = k; i < m; i++) ut[rk + i] = at[rk + i];
    if (k < nrt) {
      // Householder vector for row k (columns k+1..n-1), kept in e.
      let nrm = norm(e, k + 1, n - k - 1);
      if (nrm !== 0) {
        if (e[k + 1] < 0) nrm = -nrm;
        const inv = 1 / nrm;
        for (let i = k + 1; i < n; i++) e[i] *= inv;
        e[k + 1] += 1;
      }
      e[k] = -nrm;
      if (k + 1 < m && e[k] !== 0) {
        // Apply the reflection to rows k+1..m-1: work = A[k+1:, k+1:] e, then a rank-one update.
        for (let i = k + 1; i < m; i++) work[i] = 0;
        for (let j = k + 1; j < n; j++) axpy(e[j], at, j * m, work, 0, k + 1, m);
        const ek1 = e[k + 1];
        for (let j = k + 1; j < n; j++) axpy(-e[j] / ek1, work, 0, at, j * m, k + 1, m);
      }
      if (wantv) for (let i = k + 1; i < n; i++) vt[k * n + i] = e[i];
    }
  }

  // The bidiagonal of order p = n.
  const p = n;
  if (nct < n) s[nct] = at[nct * m + nct];
  if (nrt + 1 < p) e[nrt] = at[(p - 1) * m + nrt];
  e[p - 1] = 0;
}

/** U = H_0 ⋯ H_{nct-1} [I; 0], accumulated backwards in place of the Householder vectors (rows of ut). */
function generateU(m: number, n: number, s: Float64Array, ut: Float64Array, nct: number): void {
  const nu = n;
  {
    for (let j = nct; j < nu; j++) {
      ut.fill(0, j * m, (j + 1) * m);
      ut[j * m + j] = 1;
    }
    for (let k = nct - 1; k >= 0; k--) {
      const rk = k * m;
      if (s[k] !== 0) {
        for (let j = k + 1; j < nu; j++) {
          const rj = j * m;
          const t = -dot(ut, rk, ut, rj, k, m) / ut[rk + k];
          axpy(t, ut, rk, ut, rj, k, m);
        }
        for (let i = k; i < m; i++) ut[rk + i] = -ut[rk + i];
        ut[rk + k] += 1;
        for (let i = 0; i < k; i++) ut[rk + i] = 0;
      } else {
        ut.fill(0, rk, rk + m);
        ut[rk + k] = 1;
      }
    }
  }
}

/** V from the right Householder vectors (rows of vt), accumulated backwards. */
function generateV(n: number, e: Float64Array, vt: Float64Array, nrt: number): void {
  const nu = n;
  {
    for (let k = n - 1; k >= 0; k--) {
      const rk = k * n;
      if (k < nrt && e[k] !== 0) {
        for (let j = k + 1; j < nu; j++) {
          const rj = j * n;
          const t = -dot(vt, rk, vt, rj, k + 1, n) / vt[rk + k + 1];
          axpy(t, vt, rk, vt, rj, k + 1, n);
        }
      }
      vt.fill(0, rk, rk + n);
      vt[rk + k] = 1;
    }
  }

}

/** Implicit-shift QR on the bidiagonal (s, e) until every superdiagonal entry is negligible; rotations applied to ut, vt rows. */
function bidiagonalQr(m: number, n: number, s: Float64Array, e: Float64Array, ut: Float64Array, vt: Float64Array, wantVectors: boolean): void {
  const wantu = wantVectors, wantv = wantVectors;
  let p = n;
  const pp = p - 1;
  let totalIter = 0;
  const maxTotal = 75 * n + 100;
  while (p > 0) {
    let k: number;
    let kase: number;
    // Cases: 1 s[p-1] negligible; 2 s[k] negligible; 3 e[k-1] negligible, QR step; 4 e[p-2] negligible, converged.
    for (k = p - 2; k >= 0; k--) {
      if (Math.abs(e[k]) <= TINY + EPS * (Math.abs(s[k]) + Math.abs(s[k + 1]))) {
        e[k] = 0;
        break;
      }
    }
    if (k === p - 2) {
      kase = 4;
    } else {
      let ks: number;
      for (ks = p - 1; ks > k; ks--) {
        const t = (ks !== p ? Math.abs(e[ks]) : 0) + (ks !== k + 1 ? Math.abs(e[ks - 1]) : 0);
        if (Math.abs(s[ks]) <= TINY + EPS * t) {
          s[ks] = 0;
          break;
        }
      }
      if (ks === k) kase = 3;
      else if (ks === p - 1) kase = 1;
      else {
        kase = 2;
        k = ks;
      }
    }
    k++;

    if (kase === 1) {
      // Deflate a negligible s[p-1] by chasing e[p-2] up.
      let f = e[p - 2];
      e[p - 2] = 0;
      for (let j = p - 2; j >= k; j--) {
        const t = hypot(s[j], f);
        const cs = s[j] / t, sn = f / t;
        s[j] = t;
        if (j !== k) {
          f = -sn * e[j - 1];
          e[j - 1] = cs * e[j - 1];
        }
        if (wantv) rotate(vt, j * n, (p - 1) * n, n, cs, sn);
      }
    } else if (kase === 2) {
      // Split at a negligible s[k-1].
      let f = e[k - 1];
      e[k - 1] = 0;
      for (let j = k; j < p; j++) {
        const t = hypot(s[j], f);
        const cs = s[j] / t, sn = f / t;
        s[j] = t;
        f = -sn * e[j];
        e[j] = cs * e[j];
        if (wantu) rotate(ut, j * m, (k - 1) * m, m, cs, sn);
      }
    } else if (kase === 3) {
      if (++totalIter > maxTotal) {
        throw new RangeError(`svd: the bidiagonal QR iteration did not converge after ${maxTotal} steps for a ${m}×${n} matrix.`);
      }
      // One QR step with the Wilkinson-type shift from the trailing 2×2 block.
      const scale = Math.max(Math.abs(s[p - 1]), Math.abs(s[p - 2]), Math.abs(e[p - 2]), Math.abs(s[k]), Math.abs(e[k]));
      const sp = s[p - 1] / scale, spm1 = s[p - 2] / scale, epm1 = e[p - 2] / scale;
      const sk = s[k] / scale, ek = e[k] / scale;
      const b = ((spm1 + sp) * (spm1 - sp) + epm1 * epm1) / 2;
      const c = sp * epm1 * (sp * epm1);
      let shift = 0;
      if (b !== 0 || c !== 0) {
        shift = Math.sqrt(b * b + c);
        if (b < 0) shift = -shift;
        shift = c / (b + shift);
      }
      let f = (sk + sp) * (sk - sp) + shift;
      let g = sk * ek;
      for (let j = k; j < p - 1; j++) {
        let t = hypot(f, g);
        let cs = f / t, sn = g / t;
        if (j !== k) e[j - 1] = t;
        f = cs * s[j] + sn * e[j];
        e[j] = cs * e[j] - sn * s[j];
        g = sn * s[j + 1];
        s[j + 1] = cs * s[j + 1];
        if (wantv) rotate(vt, j * n, (j + 1) * n, n, cs, sn);
        t = hypot(f, g);
        cs = f / t;
        sn = g / t;
        s[j] = t;
        f = cs * e[j] + sn * s[j + 1];
        s[j + 1] = -sn * e[j] + cs * s[j + 1];
        g = sn * e[j + 1];
        e[j + 1] = cs * e[j + 1];
        if (wantu && j < m - 1) rotate(ut, j * m, (j + 1) * m, m, cs, sn);
      }
      e[p - 2] = f;
    } else {
      // Converged: make s[k] nonnegative, then bubble it into descending order.
      if (s[k] <= 0) {
        s[k] = s[k] < 0 ? -s[k] : 0;
        if (wantv) for (let i = 0; i <= pp; i++) vt[k * n + i] = -vt[k * n + i];
      }
      while (k < pp) {
        if (s[k] >= s[k + 1]) break;
        const t = s[k];
        s[k] = s[k + 1];
        s[k + 1] = t;
        if (wantv && k < n - 1) swap(vt, k * n, (k + 1) * n, n);
        if (wantu && k < m - 1) swap(ut, k * m, (k + 1) * m, m);
        k++;
      }
      p--;
    }
  }
}

function swap(X: Float64Array, a: number, b: number, len: number): void {
  for (let i = 0; i < len; i++) {
    const t = X[a + i];
    X[a + i] = X[b + i];
    X[b + i] = t;
  }
}

/** Euclidean norm of X[off..off+len), by plain sum of squares unless that over- or underflows. */
function norm(X: Float64Array, off: number, len: number): number {
  let ss = 0;
  for (let i = 0; i < len; i++) ss += X[off + i] * X[off + i];
  if (ss > 1e-280 && ss < 1e280) return Math.sqrt(ss);
  if (ss === 0) {
    // Either all zero or every square underflowed: redo with scaling.
    let any = false;
    for (let i = 0; i < len; i++) if (X[off + i] !== 0) { any = true; break; }
    if (!any) return 0;
  }
  let scale = 0;
  for (let i = 0; i < len; i++) scale = Math.max(scale, Math.abs(X[off + i]));
  let t = 0;
  for (let i = 0; i < len; i++) {
    const v = X[off + i] / scale;
    t += v * v;
  }
  return scale * Math.sqrt(t);
}
