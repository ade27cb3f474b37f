/**
 * The one front door of src/ml: the page (worker and UI), the CLI and the
 * bench import from here and nowhere else below src/ml (src/ml/front-door.test.ts
 * checks it). Classify and explain through a `Classifier`; train through
 * `trainModel`. Everything else here is the data those two take and give
 * (cards, readers, datasets, metrics, the model library).
 *
 * The UI thread imports this file too, for pure helpers (metrics, dataset
 * checks, the library): the build treats src/ml as free of side effects
 * (vite.config.ts), so a bundle holds only what it uses, and the UI's never
 * reaches TensorFlow.js.
 */

// Backends
export { tf, initBackend, currentBackend, setWasmLocation, BACKEND_ORDER, type BackendName, type BackendAttempt } from './runtime';
export { withBackendRecovery, recoverBackend, backendHealthy, type BackendSwitch } from './backend-recovery';
export { StorageFault } from './store/storage-faults';
export type { DamagedEntry } from './store/library';

// Models: cards, bundles on disk / over HTTP / in memory, verified loading
export type { ModelCard, Metrics } from './card-types';
export { validateCard, modelTag, CardError, encodeCard, decodeCard, cardOf, withCard } from './card';
export { fetchReader, memoryReader, loadModel, sha256Hex, ModelIntegrityError, type BundleReader, type LoadedModel } from './model';
export { fsReader } from './model/fs-reader';
export { modelToFiles, exportBundleZip, importBundleZip } from './bundle';

// Classification and explanation
export { Classifier } from './classifier';
export { classifyImage, classifyBatch, assessOod, describeDomain, DEFAULT_BATCH, type Classification, type OodVerdict, type VolumeClassification } from './inference';
// The refusal gate and the population check: classifyBatch runs both, so page, CLI and service decide alike.
export { assessGate, gateDistance, type GateResult, type GateSpec } from './gate';
export { checkPopulation, aggregateSlices, type PopulationCheck } from './inference';
export { gradCam, upsampleHeatmap, heatmapOnImage, regionName, type Heatmap } from './explain';

// Metrics (ROC/PR, operating points, bootstrap, calibration; seededRandom)
export * from './metrics';

// Training: the pipeline, its options' defaults, dataset reading and checks
export { trainModel, type TrainModelResult, type HeldOutScores } from './training/pipeline';
export { TRAINING_MODES, TRAINING_MODE_NAMES, isTrainingMode, modeBackendProblem, pageModes, cliBackends, type TrainingMode, type TrainingModeSpec } from './training/modes';
export type { EpochStats } from './training/loop';
export { VIEW_BUDGET_SECONDS, DEFAULT_HEAD_VIEWS } from './training/defaults';
export { DEFAULT_AUGMENT } from './training/augment';
export { DEFAULT_VIEW_RECIPE } from './training/feature-views';
export { MemoryFeatureCache, type FeatureCache } from './training/feature-cache';
export { classNames, datasetItem, duplicateGroups, guessPositiveLabel, labelsFromCsv, labelsFromFolders, type DatasetItem, type LabelledFile } from './training/dataset';
export { DEFAULT_PATIENT_PATTERNS, userPatientPattern, type PatientPattern } from './training/patient';
export { DEFAULT_SPLIT, splitByPatient, splitCounts, type SplitName, type SplitRatios } from './training/split';
export { datasetWarnings, type DatasetWarning } from './training/warnings';
export { TEXTURE_TRUNK, SSL_TRUNK, DEFAULT_HEAD_BASE, BUNDLED_TRUNK_IDS, loadTransferBase, type TransferBase } from './trunk';

// The model library (IndexedDB in the page) and intranet model servers
export { IdbModelLibrary, IdbFeatureCache, DB_NAME } from './store/idb-library';
export { libraryKey, parseCardBytes, type ModelLibrary, type RemovedCounts } from './store/library';
export { loadIntranetIndex, fetchIntranetModel, type IntranetModelEntry } from './store/intranet';

// Choosing the backend by measurement, and compiling shaders at model load
export { chooseBackend, describeChoice, trainingBackendOrder, type BackendChoice, type BackendTiming, type ChoiceHow } from './backend-select';
export { IdbChoiceStore, CHOICE_DB_NAME } from './store/backend-choice-store';
export { forwardPrepared } from './inference';
export { calibratedProbabilities } from './inference/decision';
export { warmUp } from './warmup';
export { timed, timedSync } from './stage-timing';
