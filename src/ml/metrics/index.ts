export { rocCurve, auc, prCurve, averagePrecision, type RocPoint, type PrPoint } from './roc';
export {
  confusionAt,
  metricsAt,
  thresholdForSensitivity,
  thresholdForSpecificity,
  type Confusion,
  type OperatingMetrics,
} from './confusion';
export { bootstrapAucCI, quantile, type BootstrapOptions } from './bootstrap';
export { seededRandom } from '../random';
export { reliabilityBins, expectedCalibrationError, type ReliabilityBins } from './calibration';
