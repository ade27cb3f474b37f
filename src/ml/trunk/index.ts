export { TEXTURE_TRUNK, SSL_TRUNK, DEFAULT_HEAD_BASE, BUNDLED_TRUNK_IDS, TRUNK_FEATURE_LAYER, TRUNK_GRADCAM_LAYER } from './constants';
export { buildTextureTrunk, textureFeatureDim, gaussianSource } from './build';
export { validateTrunkCard, isTrunkCardJson, TRUNK_SCHEMA } from './card';
export { loadTrunk, loadTransferBase, type LoadedTrunk, type TransferBase } from './load';
export type { TrunkCard, TransferBaseCard } from './types';
