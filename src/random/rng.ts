/**
 * Seeded random source. Every random draw in flatlab comes from an `Rng` built from an explicit
 * seed, so the same seed gives the same instance, the same probes and the same figure.
 *
 * Generator: xoshiro128** (Blackman and Vigna 2018), state seeded through splitmix32; 32-bit
 * integer arithmetic only, so it is fast in V8 and identical on every platform. Doubles take 53
 * random bits from two outputs. Gaussians by the polar Box-Muller method (Marsaglia 1964).
 */
import { checkInteger, checkNumber } from "../util/validate.js";

export interface Rng {
  /** The seed this generator was built from (echoed into results). */
  readonly seed: number;
  /** Uniform on [0, 1) with 53 random bits. */
  uniform(): number;
  /** Standard normal N(0, 1). */
  gaussian(): number;
  /** ±1 with probability 1/2 each. */
  rademacher(): number;
  /** 1 with probability p, else 0. */
  bernoulli(p: number): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  /** Fills a new Float64Array of length n with N(0, 1) draws. */
  gaussians(n: number): Float64Array;
  /** An independent generator derived from this one and a label (for per-cell, per-trial streams). */
  fork(label: number): Rng;
}

function splitmix32(state: number): () => number {
  let s = state >>> 0;
  return () => {
    s = (s + 0x9e3779b9) | 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/** Mixes a seed and a label into one 32-bit seed (used for seeds per grid cell and trial). */
export function deriveSeed(seed: number, ...labels: number[]): number {
  let h = splitmix32(seed >>> 0)();
  for (const l of labels) h = splitmix32((h ^ Math.imul(l >>> 0, 0x9e3779b1)) >>> 0)();
  return h >>> 0;
}

export function createRng(seed: number): Rng {
  checkInteger("createRng", "seed", seed, 0, 2 ** 32 - 1);
  const sm = splitmix32(seed);
  let a = sm(), b = sm(), c = sm(), d = sm();
  if ((a | b | c | d) === 0) a = 1;
  const next = (): number => {
    const result = Math.imul(rotl(Math.imul(b, 5), 7), 9) >>> 0;
    const t = b << 9;
    c ^= a; d ^= b; b ^= c; a ^= d;
    c ^= t;
    d = rotl(d, 11);
    return result;
  };
  let spare: number | null = null;
  const uniform = (): number => ((next() >>> 5) * 67108864 + (next() >>> 6)) / 9007199254740992;
  const gaussian = (): number => {
    if (spare !== null) { const s = spare; spare = null; return s; }
    let u: number, v: number, s: number;
    do {
      u = 2 * uniform() - 1;
      v = 2 * uniform() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const f = Math.sqrt((-2 * Math.log(s)) / s);
    spare = v * f;
    return u * f;
  };
  return {
    seed,
    uniform,
    gaussian,
    rademacher: () => ((next() & 1) === 0 ? -1 : 1),
    bernoulli: (p: number) => (uniform() < checkNumber("Rng.bernoulli", "p", p, { min: 0, max: 1 }) ? 1 : 0),
    int: (n: number) => Math.floor(uniform() * checkInteger("Rng.int", "n", n, 1)),
    gaussians: (n: number) => {
      // The draws of n calls of gaussian(), in one loop on local copies of the state with next()
      // written out (a closure over the state costs a context access per step): measured at
      // n = 9.2·10⁶ (a d = 100 Gaussian ensemble at m = 922, drawn by every grid job) 0.63–0.87 s
      // through gaussian(), 0.35–0.53 s here (interleaved runs, shared machine; about 0.2 s of
      // either is the first touch of the 74 MB array).
      const out = new Float64Array(n);
      let i = 0;
      if (n > 0 && spare !== null) { out[i++] = spare; spare = null; }
      let sa = a, sb = b, sc = c, sd = d, t = 0, hi = 0, lo = 0, u = 0, v = 0, w = 0;
      while (i < n) {
        do {
          hi = Math.imul(rotl(Math.imul(sb, 5), 7), 9) >>> 0;
          t = sb << 9; sc ^= sa; sd ^= sb; sb ^= sc; sa ^= sd; sc ^= t; sd = rotl(sd, 11);
          lo = Math.imul(rotl(Math.imul(sb, 5), 7), 9) >>> 0;
          t = sb << 9; sc ^= sa; sd ^= sb; sb ^= sc; sa ^= sd; sc ^= t; sd = rotl(sd, 11);
          u = 2 * (((hi >>> 5) * 67108864 + (lo >>> 6)) / 9007199254740992) - 1;
          hi = Math.imul(rotl(Math.imul(sb, 5), 7), 9) >>> 0;
          t = sb << 9; sc ^= sa; sd ^= sb; sb ^= sc; sa ^= sd; sc ^= t; sd = rotl(sd, 11);
          lo = Math.imul(rotl(Math.imul(sb, 5), 7), 9) >>> 0;
          t = sb << 9; sc ^= sa; sd ^= sb; sb ^= sc; sa ^= sd; sc ^= t; sd = rotl(sd, 11);
          v = 2 * (((hi >>> 5) * 67108864 + (lo >>> 6)) / 9007199254740992) - 1;
          w = u * u + v * v;
        } while (w >= 1 || w === 0);
        const f = Math.sqrt((-2 * Math.log(w)) / w);
        out[i++] = u * f;
        if (i < n) out[i++] = v * f;
        else spare = v * f;
      }
      a = sa; b = sb; c = sc; d = sd;
      return out;
    },
    fork: (label: number) => createRng(deriveSeed(seed, label)),
  };
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
