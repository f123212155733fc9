/**
 * The factorized model shared by the identity map (Section 2), matrix and bilinear sensing
 * (Section 4) and matrix completion (Section 5): f(L, R) = ω‖A(LRᵀ) − b‖², with ω = 1/m the
 * paper's normalization (Section 1.1 [R]; ω = 1 for the identity map, Section 1.4 [I]).
 *
 * Float64 closed forms, at any point (L, R) with residual ρ = A(LRᵀ) − b:
 * - ∇_L f = 2ω A*(ρ) R,  ∇_R f = 2ω A*(ρ)ᵀ L;
 * - D²f[ΔL, ΔR] = 2ω‖A(ΔL Rᵀ + L ΔRᵀ)‖² + 4ω⟨A*(ρ), ΔL ΔRᵀ⟩  (Lemma 3.1 on S, where ρ = 0 [R]);
 * - the Hessian diagonal: the residual term vanishes on coordinate directions (ΔL ΔRᵀ = 0 when
 *   only one block moves), so entry (p, j) of the L block is 2ω Σ_i (A_i R)_{pj}² everywhere [D];
 *   hence tr D²f = 2ω Σ_i (‖A_i R‖² + ‖A_iᵀ L‖²) = 2ω(tr(Rᵀ ΣA_iᵀA_i R) + tr(Lᵀ ΣA_iA_iᵀ L)) and
 *   str D²f = 2‖D1 L‖² + 2‖D2 R‖² (eq. (16)) hold at every point, not only on S [D, checked
 *   numerically in the tests].
 */
import { deriveSeed } from "../random/rng.js";
import { type Matrix, matmul, matmulNT, matmulTN, add, dot, norm2 } from "../linalg/matrix.js";
import { checkInteger, checkNumber, fail } from "../util/validate.js";
import type { MeasurementOperator } from "./operator.js";
import { checkFactors, residualSmall, type Problem, type TfLoss } from "./problem.js";
import { rescalingMatrices, secondMoments, type RescalingMatrices, type SecondMoments } from "./rescaling.js";
import { tfFactorizedLoss } from "./tf-loss.js";
import { balancedFactors } from "./truth.js";
import { matrixToJSON, readHeader, readMatrix, readNumber, readSeed, readVector, SCHEMA_VERSION } from "./json.js";

/** Fields every factorized instance has. */
export interface FactorizedInstance {
  readonly problem: string;
  readonly d1: number;
  readonly d2: number;
  /** Rank of the ground truth. */
  readonly r: number;
  /** Width of the factors L, R (k ≥ r). */
  readonly k: number;
  /** ω in f = ω‖A(LRᵀ) − b‖². */
  readonly lossScale: number;
  /** The seed the instance was generated from (null for user data). */
  readonly seed: number | null;
  /** M♮, d1×d2. */
  readonly truth: Matrix;
  /** Observations b = A(M♮). */
  readonly b: Float64Array;
}

/** What each factorized problem module supplies. */
export interface FactorizedSpec<I extends FactorizedInstance, O> {
  readonly name: string;
  generate(options: O): I;
  /** Builds the measurement operator from the instance's data (called once per instance, cached). */
  operator(instance: I): MeasurementOperator;
  /** Operator data for JSON (beyond the common fields). */
  dataToJSON(instance: I): Record<string, unknown>;
  /** Rebuilds the instance from the common fields and the JSON object. */
  fromJSON(fn: string, common: FactorizedInstance, json: Record<string, unknown>): I;
}

interface Cache {
  readonly A: MeasurementOperator;
  moments?: SecondMoments;
  rescaling?: RescalingMatrices;
}

/** Builds the Problem object of a factorized problem from its spec. */
export function factorizedProblem<I extends FactorizedInstance, O>(spec: FactorizedSpec<I, O>): Problem<I, O> & { operator(instance: I): MeasurementOperator } {
  const name = spec.name, schema = `flatlab.${name}`;
  // Messages name the exported object (sensingProblem.loss: …).
  const label = `${name}Problem`;
  const cache = new WeakMap<I, Cache>();
  const get = (inst: I): Cache => {
    let c = cache.get(inst);
    if (c === undefined) {
      c = { A: spec.operator(inst) };
      cache.set(inst, c);
    }
    return c;
  };
  const moments = (inst: I) => (get(inst).moments ??= secondMoments(get(inst).A));
  const factors = (fn: string, inst: I, f: unknown, arg = "factors") => checkFactors(`${label}.${fn}`, arg, f, [[inst.d1, inst.k], [inst.d2, inst.k]]) as [Matrix, Matrix];
  const residual = (inst: I, L: Matrix, R: Matrix): Float64Array => {
    const y = get(inst).A.apply(matmulNT(L, R));
    for (let i = 0; i < y.length; i++) y[i] -= inst.b[i];
    return y;
  };
  const blockSums = (inst: I, L: Matrix, R: Matrix) => {
    const { left, right } = moments(inst);
    // Σ_i ‖A_i R‖² = tr(Rᵀ (Σ A_iᵀA_i) R), Σ_i ‖A_iᵀ L‖² = tr(Lᵀ (Σ A_iA_iᵀ) L).
    return { lBlock: 2 * inst.lossScale * dot(R, matmul(right, R)), rBlock: 2 * inst.lossScale * dot(L, matmul(left, L)) };
  };
  return {
    name, schema, flatnessMeasure: "scaled-trace",
    generate: (options) => spec.generate(options),
    operator: (inst) => get(inst).A,
    loss(inst, f) {
      const [L, R] = factors("loss", inst, f);
      return inst.lossScale * norm2(residual(inst, L, R)) ** 2;
    },
    gradient(inst, f) {
      const [L, R] = factors("gradient", inst, f);
      const Z = get(inst).A.adjoint(residual(inst, L, R));
      const c = 2 * inst.lossScale;
      return [scaleInPlace(matmul(Z, R), c), scaleInPlace(matmulTN(Z, L), c)];
    },
    hessianForm(inst, f, direction) {
      const [L, R] = factors("hessianForm", inst, f);
      const [dL, dR] = factors("hessianForm", inst, direction, "direction");
      const A = get(inst).A;
      const first = norm2(A.apply(add(matmulNT(dL, R), matmulNT(L, dR)))) ** 2;
      const second = dot(A.adjoint(residual(inst, L, R)), matmulNT(dL, dR));
      return 2 * inst.lossScale * first + 4 * inst.lossScale * second;
    },
    hessianTrace(inst, f) {
      const [L, R] = factors("hessianTrace", inst, f);
      const { lBlock, rBlock } = blockSums(inst, L, R);
      return lBlock + rBlock;
    },
    scaledHessianTrace(inst, f) {
      const [L, R] = factors("scaledHessianTrace", inst, f);
      const { lBlock, rBlock } = blockSums(inst, L, R);
      return lBlock / inst.d1 + rBlock / inst.d2;
    },
    scaledTraceWeights: (inst) => [1 / inst.d1, 1 / inst.d2],
    rescaling(inst) {
      const c = get(inst);
      return (c.rescaling ??= rescalingMatrices(c.A, { lossScale: inst.lossScale }));
    },
    isMinimizer(inst, f, tol = 1e-8) {
      const [L, R] = factors("isMinimizer", inst, f);
      checkNumber(`${label}.isMinimizer`, "tol", tol, { min: 0 });
      return residualSmall(norm2(residual(inst, L, R)), norm2(inst.b), tol);
    },
    minimizer: (inst) => balancedFactors(`${label}.minimizer`, inst.truth, inst.k),
    tfLoss: (inst): TfLoss => tfFactorizedLoss(`${label}.tfLoss`, get(inst).A, inst.b, inst.lossScale, inst.k),
    toJSON(inst) {
      return {
        schema, version: SCHEMA_VERSION,
        d1: inst.d1, d2: inst.d2, r: inst.r, k: inst.k, lossScale: inst.lossScale, seed: inst.seed,
        truth: matrixToJSON(inst.truth), b: Array.from(inst.b),
        ...spec.dataToJSON(inst),
      };
    },
    fromJSON(json) {
      const fn = `${label}.fromJSON`;
      const o = readHeader(fn, json, schema);
      const d1 = readNumber(fn, o, "d1", true, 1), d2 = readNumber(fn, o, "d2", true, 1);
      const r = readNumber(fn, o, "r", true, 1), k = readNumber(fn, o, "k", true, 1);
      if (r > Math.min(d1, d2)) fail(fn, "json.r", `an integer in [1, ${Math.min(d1, d2)}]`, r);
      if (k < r) fail(fn, "json.k", `an integer ≥ r = ${r}`, k);
      const lossScale = readNumber(fn, o, "lossScale", false, 0);
      if (lossScale === 0) fail(fn, "json.lossScale", "a finite number > 0", 0);
      const common: FactorizedInstance = {
        problem: name, d1, d2, r, k, lossScale, seed: readSeed(fn, o),
        truth: readMatrix(fn, o, "truth", d1, d2), b: readVector(fn, o, "b"),
      };
      const inst = spec.fromJSON(fn, common, o);
      // Building the operator validates its data (indices in range, shapes); errors carry the operator's name.
      get(inst);
      return inst;
    },
  };
}

/** Shared checks of the generator options: d1, d2 ≥ 1, r ∈ [1, min(d1, d2)], k ≥ r, seed, ω > 0. */
/** The generator options every [L, R] problem shares (identity, sensing, bilinear, completion). */
export interface FactorizedOptions {
  readonly d1: number;
  readonly d2: number;
  /** Rank of M♮, in [1, min(d1, d2)]. */
  readonly r: number;
  /** Width of the factors (default r). */
  readonly k?: number;
  readonly seed: number;
  /** Seed of M♮ alone (default deriveSeed(seed, 0)): trials of one grid cell share it (Section 8). */
  readonly truthSeed?: number;
  /** ω in f = ω‖A(LRᵀ) − b‖² (default 1/m, the paper's; 1 for the identity map, Section 1.4 [I]). */
  readonly lossScale?: number;
}

export function checkCommon(fn: string, o: FactorizedOptions) {
  if (typeof o !== "object" || o === null) fail(fn, "options", "an object", o, TypeError);
  const d1 = checkInteger(fn, "d1", o.d1, 1), d2 = checkInteger(fn, "d2", o.d2, 1);
  const r = checkInteger(fn, "r", o.r, 1, Math.min(d1, d2));
  const k = o.k === undefined ? r : checkInteger(fn, "k", o.k, r);
  const seed = checkInteger(fn, "seed", o.seed, 0, 2 ** 32 - 1);
  const lossScale = o.lossScale === undefined ? undefined : checkNumber(fn, "lossScale", o.lossScale, { min: 0, minExclusive: true });
  return { d1, d2, r, k, seed, truthSeed: truthSeedOf(fn, o.truthSeed, seed), lossScale };
}

/**
 * The seed of the ground truth: `truthSeed` when given, else deriveSeed(seed, 0). The paper draws
 * one M♮ per grid cell and ten measurement ensembles for it (Section 8 [P]): trials of a cell share
 * truthSeed and differ in seed.
 */
export function truthSeedOf(fn: string, truthSeed: unknown, seed: number): number {
  return truthSeed === undefined ? deriveSeed(seed, 0) : checkInteger(fn, "truthSeed", truthSeed, 0, 2 ** 32 - 1);
}

/** b must have one entry per measurement. */
export function checkObservations(fn: string, b: Float64Array, m: number): void {
  if (b.length !== m) fail(fn, "json.b.length", `${m} (the number of measurements)`, b.length);
}

/** A redundant count in the JSON (kept for readers) must match the data. */
export function checkCount(fn: string, o: Record<string, unknown>, name: string, expected: number): void {
  const v = readNumber(fn, o, name, true, 1);
  if (v !== expected) fail(fn, `json.${name}`, `${expected} (the length of the data)`, v);
}

function scaleInPlace(a: Matrix, c: number): Matrix {
  for (let i = 0; i < a.data.length; i++) a.data[i] *= c;
  return a;
}
