/** Public surface of src/solvers: float64 convex programs of Sections 3, 6 and 9, factor recovery and Figure 4 measures. */
export { nuclearNormMin, type NuclearNormMinOptions, type NuclearNormMinResult } from "./nuclear-norm.js";
export { flatRelaxation, plainRelaxation, type RelaxationOptions, type RelaxationResult } from "./flat-relaxation.js";
export { robustPcaRelaxation, type RobustPcaResult } from "./robust-pca.js";
export { depthFlatSolution, type DepthFlatResult } from "./depth.js";
export {
  recoverFactors, recoverSymmetricFactors,
  type FactorRecoveryOptions, type RecoveredFactors, type RecoveredSymmetricFactors,
} from "./factor-recovery.js";
export { regularityMeasures, REGULARITY_DEFINITIONS, type RegularityMeasures, type RegularityOptions } from "./regularity.js";
export { singularValueThreshold, symmetricThreshold, softThreshold, proxPowerScalar, type ThresholdResult } from "./prox.js";
export { affineProjector, type AffineProjector } from "./affine-projection.js";
export type { SolverOptions, SolverResult, IterationInfo } from "./solver-result.js";
