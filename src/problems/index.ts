/** Public surface of src/problems: measurement operators, rescaling, and one module per problem of the paper. */
export type { MeasurementOperator } from "./operator.js";
export {
  gaussianOperator, bilinearOperator, completionOperator, completionOperatorFromMask, quadraticOperator, identityOperator,
  sampleGaussianOperator, sampleBilinearOperator, sampleCompletionOperator, sampleQuadraticOperator,
  type GaussianOperator, type BilinearOperator, type CompletionOperator, type QuadraticOperator, type IdentityOperator,
  type EnsembleOptions,
} from "./operators.js";
export {
  rescalingMatrices, rescaledOperator, secondMoments,
  type RescalingMatrices, type RescalingOptions, type RescaledOperator, type SecondMoments,
} from "./rescaling.js";
export { projectL1Ball, type L1Projection } from "./l1-ball.js";
export { type Problem, type TfLoss } from "./problem.js";
export { factorizedProblem, type FactorizedInstance, type FactorizedOptions, type FactorizedSpec } from "./factorized.js";
export { identityProblem, type IdentityInstance, type IdentityOptions } from "./identity.js";
export { sensingProblem, type SensingInstance, type SensingOptions } from "./sensing.js";
export { bilinearProblem, type BilinearInstance, type BilinearOptions } from "./bilinear.js";
export { completionProblem, type CompletionInstance, type CompletionOptions } from "./completion.js";
export {
  robustPcaProblem, robustPcaLocalModel, sparseCorruption,
  type RobustPcaInstance, type RobustPcaOptions, type RobustPcaLocalModel,
} from "./robust-pca.js";
export {
  quadraticNetProblem, covarianceEstimation, quadraticNetRescaling,
  type QuadraticNetInstance, type QuadraticNetOptions,
} from "./quadratic-net.js";
export { hadamardProblem, balancedHadamardFactors, type HadamardInstance, type HadamardOptions } from "./hadamard.js";
