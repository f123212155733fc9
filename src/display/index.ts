/** The display layer: the only code that knows Jupyter (figures, show, progress, export). */
export { Figure, figure, VEGALITE_MIME } from "./figure.js";
export { show, bundleOf, useTslab, TSLAB_PREFERENCES, type ShowOptions, type TslabLike, type TslabDisplayLike } from "./show.js";
export { progress, formatDuration, type Progress, type ProgressOptions } from "./progress.js";
export { save, figureHTML, SAVE_FORMATS, type SaveOptions } from "./save.js";
export { runExperiment } from "./experiment.js";
export { type DisplaySink, type DisplayOptions } from "./sink.js";
