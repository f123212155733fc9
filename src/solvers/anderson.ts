/**
 * Anderson acceleration (type II) of a fixed-point iteration z ← T(z), with the safeguard of
 * Zhang, O'Donoghue and Boyd 2020 ("Globally convergent type-I Anderson acceleration for
 * nonsmooth fixed-point iterations", SIAM J. Optim. 30(4)) and SCS 3 (O'Donoghue 2021): an
 * extrapolated point whose residual grew by more than a factor is rejected, and the plain step
 * taken instead. Our choice of method [D; not from the paper, which names no solver [NF]].
 *
 * With residuals f_j = T(z_j) − z_j and the last `memory` differences S_j = z_{j+1} − z_j,
 * F_j = f_{j+1} − f_j, the next point is
 *     z⁺ = z + f − (S + F) γ,   γ = argmin_γ ‖f − F γ‖₂   (regularized normal equations),
 * i.e. T(z) minus the same combination of the differences of T: for an affine T it is the
 * minimal-residual (GMRES-like) combination of the last iterates. γ = 0 gives the plain step.
 *
 * Why (measured, bench/solvers.bench.ts): near the phase transition the Douglas–Rachford
 * iteration of nuclear-norm minimization converges linearly at a rate close to 1 (thousands of
 * iterations at d = 100, m ≈ δ); locally, once the rank of the thresholded iterate has settled,
 * T is affine and acceleration removes most of them.
 */

/** Tikhonov regularization of the normal equations, relative to their trace. */
const REGULARIZATION = 1e-10;

export class AndersonAcceleration {
  /** Differences of the points (S) and of the residuals (F), `memory` rows of n, ring order. */
  private readonly S: Float64Array;
  private readonly F: Float64Array;
  /** FᵀF of the stored rows (memory × memory, ring-indexed). */
  private readonly gram: Float64Array;
  private readonly prevZ: Float64Array;
  private readonly prevF: Float64Array;
  private count = 0;
  private head = 0;
  private hasPrevious = false;

  constructor(readonly n: number, readonly memory: number) {
    this.S = new Float64Array(memory * n);
    this.F = new Float64Array(memory * n);
    this.gram = new Float64Array(memory * memory);
    this.prevZ = new Float64Array(n);
    this.prevF = new Float64Array(n);
  }

  /** Forgets the history (after the map changed, e.g. a new penalty, or a rejected step). */
  reset(): void {
    this.count = 0;
    this.head = 0;
    this.hasPrevious = false;
  }

  /**
   * Records the point z and its residual f = T(z) − z, and writes the next point into out (may
   * not alias z or f). Returns false when out is the plain step T(z) = z + f.
   */
  next(z: Float64Array, f: Float64Array, out: Float64Array): boolean {
    const { n, memory, S, F, gram } = this;
    if (this.hasPrevious) {
      const row = this.head, o = row * n;
      for (let i = 0; i < n; i++) {
        S[o + i] = z[i] - this.prevZ[i];
        F[o + i] = f[i] - this.prevF[i];
      }
      this.head = (row + 1) % memory;
      this.count = Math.min(this.count + 1, memory);
      for (let j = 0; j < this.count; j++) {
        const oj = j * n;
        let s = 0;
        for (let i = 0; i < n; i++) s += F[o + i] * F[oj + i];
        gram[row * memory + j] = s;
        gram[j * memory + row] = s;
      }
    }
    this.prevZ.set(z);
    this.prevF.set(f);
    this.hasPrevious = true;
    const k = this.count;
    const gamma = k === 0 ? undefined : this.coefficients(f);
    for (let i = 0; i < n; i++) out[i] = z[i] + f[i];
    if (gamma === undefined) return false;
    for (let j = 0; j < k; j++) {
      const g = gamma[j], oj = j * n;
      if (g === 0) continue;
      for (let i = 0; i < n; i++) out[i] -= g * (S[oj + i] + F[oj + i]);
    }
    return true;
  }

  /** γ = (FᵀF + ηI)⁻¹ Fᵀf by Cholesky on the k×k system; undefined when it is not usable. */
  private coefficients(f: Float64Array): Float64Array | undefined {
    const { n, memory, F, gram } = this, k = this.count;
    const a = new Float64Array(k * k), g = new Float64Array(k);
    let trace = 0;
    for (let j = 0; j < k; j++) trace += gram[j * memory + j];
    if (!(trace > 0) || !Number.isFinite(trace)) return undefined;
    const eta = REGULARIZATION * trace;
    for (let i = 0; i < k; i++) {
      for (let j = 0; j < k; j++) a[i * k + j] = gram[i * memory + j];
      a[i * k + i] += eta;
      let s = 0;
      const oi = i * n;
      for (let t = 0; t < n; t++) s += F[oi + t] * f[t];
      g[i] = s;
    }
    // In-place Cholesky and two triangular solves (k ≤ memory, a few dozen flops).
    for (let i = 0; i < k; i++) {
      for (let j = 0; j <= i; j++) {
        let s = a[i * k + j];
        for (let t = 0; t < j; t++) s -= a[i * k + t] * a[j * k + t];
        if (i === j) {
          if (!(s > 0)) return undefined;
          a[i * k + i] = Math.sqrt(s);
        } else a[i * k + j] = s / a[j * k + j];
      }
    }
    for (let i = 0; i < k; i++) { let s = g[i]; for (let t = 0; t < i; t++) s -= a[i * k + t] * g[t]; g[i] = s / a[i * k + i]; }
    for (let i = k - 1; i >= 0; i--) { let s = g[i]; for (let t = i + 1; t < k; t++) s -= a[t * k + i] * g[t]; g[i] = s / a[i * k + i]; }
    for (let i = 0; i < k; i++) if (!Number.isFinite(g[i])) return undefined;
    return g;
  }
}
