/** Theory to set experiments against: the statistical dimension of the nuclear norm's descent cone. */
export {
  statisticalDimension, asymptoticStatisticalDimension, nuclearNormDegreesOfFreedom,
  type NuclearNormShape, type StatisticalDimensionOptions, type StatisticalDimensionResult,
} from "./statistical-dimension.js";
