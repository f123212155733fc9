/** Public surface of src/solvers: float64 convex programs of Sections 3, 6 and 9, factor recovery and Figure 4 measures. */
import { interruptible } from "../util/interrupt.js";
import * as nuclear from "./nuclear-norm.js";
import * as relaxation from "./flat-relaxation.js";
import * as robust from "./robust-pca.js";
import * as depth from "./depth.js";
export type { NuclearNormMinOptions, NuclearNormMinResult } from "./nuclear-norm.js";
export type { RelaxationOptions, RelaxationResult } from "./flat-relaxation.js";
export type { RobustPcaResult } from "./robust-pca.js";
export type { DepthFlatResult } from "./depth.js";
// The long solves stop on a Jupyter interrupt wherever they stand, after an await too (src/util/interrupt.ts).
export const nuclearNormMin = interruptible("nuclearNormMin", nuclear.nuclearNormMin);
export const flatRelaxation = interruptible("flatRelaxation", relaxation.flatRelaxation);
export const plainRelaxation = interruptible("plainRelaxation", relaxation.plainRelaxation);
export const robustPcaRelaxation = interruptible("robustPcaRelaxation", robust.robustPcaRelaxation);
export const depthFlatSolution = interruptible("depthFlatSolution", depth.depthFlatSolution);
export {
  recoverFactors, recoverSymmetricFactors,
  type FactorRecoveryOptions, type RecoveredFactors, type RecoveredSymmetricFactors,
} from "./factor-recovery.js";
export { regularityMeasures, REGULARITY_DEFINITIONS, type RegularityMeasures, type RegularityOptions } from "./regularity.js";
export { singularValueThreshold, symmetricThreshold, softThreshold, proxPowerScalar } from "./prox-checked.js";
export type { ThresholdResult } from "./prox.js";
export { affineProjector, type AffineProjector } from "./affine-projection.js";
export type { SolverOptions, SolverResult, IterationInfo } from "./solver-result.js";
