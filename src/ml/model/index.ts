export { type BundleReader, fetchReader, memoryReader } from './reader';
export { sha256Hex } from './sha256';
export { loadModel, readVerifiedWeights, ModelIntegrityError, type LoadedModel } from './load';
