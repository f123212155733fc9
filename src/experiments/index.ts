/** The experiment engine: grids, seeds, cache, workers, summaries, and the paper's trials. */
export { type GridSpec, type Cell, type Job, type Value, checkGridSpec, MAX_JOBS, gridCells, gridJobs, gridSize, shardJobs } from "./grid.js";
export { runGrid, type RunOptions, type RunProgress, type RunResult } from "./run.js";
export { registerTask, taskNames, type TaskFunction } from "./tasks.js";
export { summarize, successRates, stoppedAtCap, compareSuccess, PROGRAM_LABELS, type SummaryRow } from "./summarize.js";
export { recoveryTrial, recoveryInstance, certifiedFailureTest, checkRecoveryCell, checkRecoverySettings, ENSEMBLES, PROGRAMS, SUCCESS_TOL, type Ensemble, type Program, type RecoveryCell, type RecoveryRow, type RecoverySettings } from "./recovery.js";
export { memo, type MemoResult } from "./memo.js";
export {
  fitTransition, fitTransitions, compareTransitions, TRANSITION_STATUSES,
  type TransitionCell, type TransitionFit, type TransitionFitOptions, type TransitionFitRow, type TransitionStatus, type FitTransitionsOptions,
} from "./transition.js";
export { transitionGrid, type TransitionGrid, type TransitionGridOptions, type TransitionCentre } from "./transition-grid.js";
