/**
 * The general-purpose transfer trunk shipped in public/models/texture-trunk.
 * Changing any of these changes the weights, so bump `version` with them: the
 * feature cache and every model trained on the trunk name it by id@version.
 */
export const TEXTURE_TRUNK = {
  id: 'texture-trunk',
  version: '1.0.0',
  /** Square input side; 224 keeps fine lung texture that 128 loses. */
  size: 224,
  /** Output channels of the five 3×3 convolution stages; 2×2 average pooling between stages. */
  channels: [16, 32, 64, 128, 128],
  /** mulberry32 seed of the Gaussian weights. */
  seed: 20200325,
} as const;

export const TRUNK_FEATURE_LAYER = 'features';
/** Last convolution stage (14×14 at 224): what Grad-CAM weighs. */
export const TRUNK_GRADCAM_LAYER = 'conv5';

/**
 * The self-supervised radiology trunk in public/models/radiology-ssl-trunk:
 * the texture trunk's shape, pretrained without labels on licence-clean CT
 * slices and chest films (training/train_ssl_trunk.py; `npm run trunk:ssl`).
 */
export const SSL_TRUNK = { id: 'radiology-ssl-trunk', version: '2.0.0' } as const;

/** Bundled trunks (public/models/<id>/ with a radlens-trunk-card/1 card.json). */
export const BUNDLED_TRUNK_IDS = [TEXTURE_TRUNK.id, SSL_TRUNK.id] as const;

/**
 * The base head mode uses unless told otherwise (CLI and Training page): the
 * texture trunk again since 2026-12-02. On the one check that crosses sources
 * the way another site does (COVID-CT's official val folder, later papers and
 * other web sources than the train folder) it beat the self-supervised trunk
 * in every recipe tried (0.860 vs 0.810 with the shipped recipe). The checks
 * that favoured the SSL trunk (pooled cross-validation, chest films) also
 * favoured turning the augmented views off, which that check showed to be
 * source memorisation. The SSL trunk stays a choice: it is better on chest
 * films. training/README.md has the tables.
 */
export const DEFAULT_HEAD_BASE: string = TEXTURE_TRUNK.id;
