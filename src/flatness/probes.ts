/**
 * Random probe vectors for the stochastic trace estimators. Rademacher probes (±1) give the
 * smaller variance, 2(‖A‖²_F − Σ A_ii²) per sample, against 2‖A‖²_F for Gaussian probes
 * (Hutchinson 1990; Avron and Toledo 2011), so they are the default.
 */
import type { Rng } from "../random/rng.js";
import { checkOneOf } from "../util/validate.js";

export const PROBE_DISTRIBUTIONS = ["rademacher", "gaussian"] as const;
export type ProbeDistribution = (typeof PROBE_DISTRIBUTIONS)[number];

export function checkDistribution(fn: string, value: unknown): ProbeDistribution {
  return checkOneOf(fn, "distribution", value, PROBE_DISTRIBUTIONS);
}

export function drawProbe(rng: Rng, n: number, distribution: ProbeDistribution): Float64Array {
  const z = new Float64Array(n);
  if (distribution === "rademacher") for (let i = 0; i < n; i++) z[i] = rng.rademacher();
  else for (let i = 0; i < n; i++) z[i] = rng.gaussian();
  return z;
}
