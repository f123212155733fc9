/**
 * Flatness estimators for any loss written in tfjs: a Hessian operator (autodiff with a
 * finite-difference fallback) and algorithms that accept any linear operator and return plain
 * result objects with diagnostics (paper-notes §1.3 and §8; hessian-eigenthings v1's layout).
 */
export { type LinearOperator, linearOperator, matrixOperator, scaledOperator } from "./operator.js";
export {
  type Loss,
  type HessianMethod,
  type HessianOperator,
  type HessianOperatorOptions,
  type ParameterBlock,
  HESSIAN_METHODS,
  DEFAULT_FD_STEP,
  hessianOperator,
  parameterWeights,
} from "./hessian.js";
export { type ExactTraceOptions, type ExactTraceResult, type ScaledTraceOptions, hessianTrace, scaledHessianTrace, scaledTraceWeights } from "./trace.js";
export { type ProbeDistribution, PROBE_DISTRIBUTIONS } from "./probes.js";
export { type StochasticTraceOptions, type StochasticTraceResult, hutchinson } from "./hutchinson.js";
export { hutchPlusPlus } from "./hutch-plus-plus.js";
export {
  type EigenResult,
  type LanczosOptions,
  type Tridiagonalization,
  type TridiagonalizationOptions,
  type Which,
  lanczos,
  lanczosTridiagonal,
  tridiagonalEigen,
} from "./lanczos.js";
export { type PowerIterationOptions, powerIteration } from "./power-iteration.js";
export { type SpectralDensityOptions, type SpectralDensityResult, spectralDensity } from "./spectral-density.js";
export { type SharpnessOptions, type AdaptiveSharpnessOptions, type SharpnessResult, samSharpness, adaptiveSharpness } from "./sharpness.js";
