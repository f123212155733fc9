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
import { interruptible } from "../util/interrupt.js";
import { train as trainRun } from "./train.js";
export type { TrainOptions, RecordOptions, TrainingRow, TrainingResult } from "./train.js";
/** A training run; stops on a Jupyter interrupt wherever it stands (src/util/interrupt.ts). */
export const train = interruptible("train", trainRun);
