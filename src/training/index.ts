/** Public surface of src/training (our extension, notebook 08): float64 optimizers on the factorized loss, runs and their records. */
export { initialFactors, type InitOptions } from "./init.js";
export {
  trainingModel, checkTrainingFactors,
  type FactorizedTrainable, type TrainingModel, type TrainingModelOptions, type TrainingMetrics, type LossAndGradient,
} from "./model.js";
export {
  gradientDescent, sam, labelNoiseSgd, TRAINING_METHODS,
  type TrainingMethod, type TrainingState, type StepResult, type Optimizer,
  type GradientDescentOptions, type SamOptions, type LabelNoiseSgdOptions,
} from "./optimizers.js";
export { train, type TrainOptions, type RecordOptions, type TrainingRow, type TrainingResult } from "./train.js";
