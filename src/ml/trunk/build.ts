import { tf } from '../runtime';
import { seededRandom } from '../random';
import { TEXTURE_TRUNK, TRUNK_FEATURE_LAYER } from './constants';

/**
 * The texture trunk: five 3×3 convolution stages with ReLU and fixed seeded
 * Gaussian weights (He-scaled, no bias), 2×2 average pooling between
 * them. Each stage contributes the spatial mean, maximum and mean square of
 * every channel, so the feature vector describes texture at five scales.
 *
 * Why untrained weights: random convolutional features are a long-standing,
 * data-free image descriptor (Jarrett et al. 2009; Saxe et al. 2011). With no
 * training data in them they carry no patient data and no licence, and no
 * bias towards one modality or one hospital's scanner; a small clinic dataset
 * then trains only the head. On COVID-CT they transferred better than the
 * chest X-ray classifier's trunk and than an ImageNet-derived MobileNetV2
 * (training/README.md has the comparison).
 */

export interface TextureTrunkConfig {
  size: number;
  channels: readonly number[];
  seed: number;
}

/** Standard normal draws from mulberry32 by Box–Muller, so every engine makes the same weights. */
export function gaussianSource(seed: number): () => number {
  const uniform = seededRandom(seed);
  let spare: number | undefined;
  return () => {
    if (spare !== undefined) {
      const v = spare;
      spare = undefined;
      return v;
    }
    const u = 1 - uniform(), v = uniform();
    const r = Math.sqrt(-2 * Math.log(u));
    spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  };
}

export function buildTextureTrunk(config: TextureTrunkConfig = TEXTURE_TRUNK): tf.LayersModel {
  const gauss = gaussianSource(config.seed);
  const input = tf.input({ shape: [config.size, config.size, 1], name: 'image' });
  let x: tf.SymbolicTensor = input;
  let cin = 1;
  const stats: tf.SymbolicTensor[] = [];
  const convs: { layer: tf.layers.Layer; cin: number; cout: number }[] = [];
  config.channels.forEach((cout, i) => {
    const stage = i + 1;
    const conv = tf.layers.conv2d({ filters: cout, kernelSize: 3, padding: 'same', activation: 'relu', useBias: false, name: `conv${stage}` });
    x = conv.apply(x) as tf.SymbolicTensor;
    convs.push({ layer: conv, cin, cout });
    // tfjs's executor frees a tensor early when one layer takes it twice, so the square multiplies x by an identity copy.
    const copy = tf.layers.activation({ activation: 'linear', name: `copy${stage}` }).apply(x) as tf.SymbolicTensor;
    const square = tf.layers.multiply({ name: `square${stage}` }).apply([x, copy]) as tf.SymbolicTensor;
    stats.push(
      tf.layers.globalAveragePooling2d({ name: `mean${stage}` }).apply(x) as tf.SymbolicTensor,
      tf.layers.globalMaxPooling2d({ name: `max${stage}` }).apply(x) as tf.SymbolicTensor,
      tf.layers.globalAveragePooling2d({ name: `meansq${stage}` }).apply(square) as tf.SymbolicTensor,
    );
    if (stage < config.channels.length) x = tf.layers.averagePooling2d({ poolSize: 2, name: `pool${stage}` }).apply(x) as tf.SymbolicTensor;
    cin = cout;
  });
  const features = tf.layers.concatenate({ name: TRUNK_FEATURE_LAYER }).apply(stats) as tf.SymbolicTensor;
  const model = tf.model({ inputs: input, outputs: features, name: 'texture_trunk' });
  for (const { layer, cin: inC, cout } of convs) {
    const n = 9 * inC * cout;
    // He scaling keeps activations near unit size through the ReLUs; without bias the features would only scale, but float32 prefers this.
    const scale = Math.sqrt(2 / (9 * inC));
    const kernel = new Float32Array(n);
    for (let k = 0; k < n; k++) kernel[k] = gauss() * scale;
    const tensor = tf.tensor4d(kernel, [3, 3, inC, cout]);
    layer.setWeights([tensor]);
    tensor.dispose();
  }
  return model;
}

/** Feature length: mean, max and mean square of every channel of every stage. */
export function textureFeatureDim(config: Pick<TextureTrunkConfig, 'channels'> = TEXTURE_TRUNK): number {
  return 3 * config.channels.reduce((a, b) => a + b, 0);
}
