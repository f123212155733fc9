/** Figures: pure functions from result rows to Vega-Lite v5 specs (rendered by src/display). */
export { VEGA_LITE_SCHEMA, DEFAULT_MAX_ROWS, type VegaLiteSpec, type Row, type FigureOptions } from "./spec.js";
export { scatterPlot, linePlot, type XYPlotOptions, type Highlight } from "./xy-plot.js";
export {
  recoveryMap,
  regularityMap,
  THRESHOLD_PARAM,
  GRID_MAP_SCHEMES,
  type GridMapOptions,
  type GridMapScheme,
  type RecoveryMapOptions,
  type RegularityMapOptions,
} from "./grid-map.js";
export { densityPlot, histogram, type DensityPlotOptions, type HistogramOptions } from "./density.js";
export {
  transitionMap, collapsePlot, transitionPlot, OKABE_ITO,
  type TransitionMapOptions, type CollapsePlotOptions, type TransitionPlotOptions, type ReferenceCurve, type FitRow,
} from "./transition.js";
