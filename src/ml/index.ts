/**
 * The public face of src/ml: the page's worker, the CLI and the bench import
 * from here. Internals (split models, forward passes) stay in their modules.
 */
export { tf, initBackend, currentBackend, setWasmLocation, BACKEND_ORDER, type BackendName, type BackendAttempt } from './runtime';
export { withBackendRecovery, recoverBackend, backendHealthy, type BackendSwitch } from './backend-recovery';
export { StorageFault } from './store/storage-faults';
export type { DamagedEntry } from './store/library';
export type { ModelCard, Metrics } from './card-types';
export { validateCard, modelTag, CardError } from './card';
export { fetchReader, memoryReader, loadModel, sha256Hex, ModelIntegrityError, type BundleReader, type LoadedModel } from './model';
export { classifyImage, classifyBatch, assessOod, describeDomain, type Classification, type OodVerdict } from './inference';
export { gradCam, upsampleHeatmap, heatmapOnImage, regionName, type Heatmap } from './explain';
export * from './metrics';
