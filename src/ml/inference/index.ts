export { classifyImage, classifyBatch, DEFAULT_BATCH, type Classification } from './classify';
export { calibratedProbabilities, decide, type Decision } from './decision';
export { forwardPrepared, modelInput, type ModelInput, type ForwardResult } from './forward';
export {
  assessOod,
  checkTags,
  checkImage,
  checkFeatures,
  colourFraction,
  mahalanobisDistance,
  describeDomain,
  MIN_SIDE,
  COLOUR_FRACTION_LIMIT,
  type OodVerdict,
} from './ood';
export { aggregateSlices, type SeriesAggregate } from './aggregate';
export { checkPopulation, parseDicomAge, ageFromDates, patientAge, type PopulationCheck, type PatientAge } from './population';
export { classifyVolume, type VolumeClassification } from './volume';
