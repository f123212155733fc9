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
import { Float64Arena, type Kernels } from "../kernels/index.js";

/** Tikhonov regularization of the normal equations, relative to their trace. */
const REGULARIZATION = 1e-10;

/** Kernel memory of a disposed instance, reused by the next one it fits. */
let spare: Float64Arena | undefined;

export class AndersonAcceleration {
  private readonly kernels: Kernels;
  private readonly arena: Float64Arena;
  /**
   * Differences of the residuals (F) and of the points plus residuals (S + F, what the update
   * combines), `memory` rows of n in ring order, in the kernels' arena: the products with all rows
   * are one gemv or gemvT each (four rows per pass), not one dot or axpy per row.
   */
  private readonly F: Float64Array;
  private readonly SF: Float64Array;
  private readonly z: Float64Array;
  private readonly f: Float64Array;
  private readonly prevZ: Float64Array;
  private readonly prevF: Float64Array;
  private readonly out: Float64Array;
  private readonly combination: Float64Array;
  /** The newest row of F and f side by side (2×n), so that one gemmNT pass over F gives both FᵀF's new row and Fᵀf. */
  private readonly pair: Float64Array;
  /** F·[new row, f] (memory×2, row-major). */
  private readonly products: Float64Array;
  private readonly gamma: Float64Array;
  /** FᵀF of the stored rows (memory × memory, ring-indexed). */
  private readonly gram: Float64Array;
  /** The regularized system and its Cholesky factor, k×k in place (memory² values, reused). */
  private readonly system: Float64Array;
  private count = 0;
  private head = 0;
  private hasPrevious = false;

  constructor(readonly n: number, readonly memory: number) {
    // Measured at n = 10⁴ (d = 100), memory 40: one dot and two axpys per stored row took 22% of a
    // completion solve (whose iterations are cheap); three passes of gemv/gemvT take about a third.
    // The new row of FᵀF and Fᵀf come from one gemmNT pass over F, not two gemv passes: next()
    // 0.21 → 0.18 ms at n = 10⁴, memory 40 (best of 6 interleaved runs, shared machine).
    const capacity = (2 * memory + 8) * n + 3 * memory;
    // A finished solve's arena is reused when it fits (a new WebAssembly memory and instance per
    // solve cost more than a whole d = 10 solve's iterations).
    const arena = spare !== undefined && spare.capacity >= capacity && spare.capacity <= 4 * capacity ? spare : new Float64Arena(capacity);
    if (arena === spare) { spare = undefined; arena.reset(); }
    this.arena = arena;
    this.kernels = arena.kernels;
    this.F = arena.alloc(memory * n);
    this.SF = arena.alloc(memory * n);
    this.z = arena.alloc(n);
    this.f = arena.alloc(n);
    this.prevZ = arena.alloc(n);
    this.prevF = arena.alloc(n);
    this.out = arena.alloc(n);
    this.combination = arena.alloc(n);
    this.pair = arena.alloc(2 * n);
    this.products = arena.alloc(2 * memory);
    this.gamma = arena.alloc(memory);
    this.gram = new Float64Array(memory * memory);
    this.system = new Float64Array(memory * memory);
  }

  /** Hands the kernel memory to the next instance; this one must not be used afterwards. */
  dispose(): void {
    spare = this.arena;
  }

  /** Forgets the history (after the map changed, e.g. a new penalty, or a rejected step). */
  reset(): void {
    this.count = 0;
    this.head = 0;
    this.hasPrevious = false;
  }

  /**
   * Records the point z and its residual f = T(z) − z, and writes the next point into out.
   * Returns false when out is the plain step T(z) = z + f.
   */
  next(zIn: ArrayLike<number>, fIn: ArrayLike<number>, outArray: Float64Array): boolean {
    const { n, memory, F, SF, z, f, prevZ, prevF, out, gram, pair, products, kernels: k } = this;
    z.set(zIn);
    f.set(fIn);
    if (this.hasPrevious) {
      const row = this.head, o = row * n;
      const fr = F.subarray(o, o + n), sfr = SF.subarray(o, o + n);
      fr.set(f);
      k.axpy(-1, prevF.byteOffset, fr.byteOffset, n);
      sfr.set(z);
      k.axpy(-1, prevZ.byteOffset, sfr.byteOffset, n);
      k.axpy(1, fr.byteOffset, sfr.byteOffset, n);
      this.head = (row + 1) % memory;
      this.count = Math.min(this.count + 1, memory);
      // Rows 0..count−1 are all filled (the ring fills in order before it wraps). One pass over F:
      // column 0 of the products is FᵀF's new row, column 1 is Fᵀf (read by coefficients()).
      pair.set(fr);
      pair.set(f, n);
      k.gemmNT(F.byteOffset, pair.byteOffset, products.byteOffset, this.count, n, 2, 0, n);
      for (let j = 0; j < this.count; j++) {
        const c = products[2 * j];
        gram[row * memory + j] = c;
        gram[j * memory + row] = c;
      }
    }
    prevZ.set(z);
    prevF.set(f);
    this.hasPrevious = true;
    const gamma = this.count === 0 ? undefined : this.coefficients();
    out.set(z);
    k.axpy(1, f.byteOffset, out.byteOffset, n);
    if (gamma !== undefined) {
      // out −= (S + F)ᵀ γ over the stored rows.
      k.gemvT(SF.byteOffset, this.count, n, gamma.byteOffset, this.combination.byteOffset);
      k.axpy(-1, this.combination.byteOffset, out.byteOffset, n);
    }
    outArray.set(out);
    return gamma !== undefined;
  }

  /** γ = (FᵀF + ηI)⁻¹ Fᵀf by Cholesky on the k×k system; undefined when it is not usable. */
  private coefficients(): Float64Array | undefined {
    const { memory, gram, products } = this, k = this.count;
    const a = this.system, g = this.gamma.subarray(0, k);
    let trace = 0;
    for (let j = 0; j < k; j++) trace += gram[j * memory + j];
    if (!(trace > 0) || !Number.isFinite(trace)) return undefined;
    const eta = REGULARIZATION * trace;
    for (let i = 0; i < k; i++) {
      for (let j = 0; j < k; j++) a[i * k + j] = gram[i * memory + j];
      a[i * k + i] += eta;
      g[i] = products[2 * i + 1];
    }
    // In-place Cholesky and two triangular solves (k ≤ memory: negligible next to the kernels).
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

