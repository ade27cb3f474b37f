import type { DecodedImage } from '../imaging/types';
import { modelTag } from './card';
import type { ModelCard } from './card-types';
import { gradCam, type Heatmap } from './explain/gradcam';
import { classifyBatch, type Classification } from './inference/classify';
import { forwardPrepared, modelInput, type ForwardResult, type ModelInput } from './inference/forward';
import { classifyVolume, type VolumeClassification } from './inference/volume';
import { loadModel, type LoadedModel } from './model/load';
import type { BundleReader } from './model/reader';

/**
 * A verified model and every decision it makes: what the page's worker, the
 * CLI and the bench classify and explain with, so the same image gets the
 * same answer everywhere. It is a LoadedModel itself, so training and other
 * code that takes one (a fine-tune base, train-time scores) accepts it as is.
 */
export class Classifier implements LoadedModel {
  readonly card: ModelCard;
  readonly model: LoadedModel['model'];
  readonly source: string;

  constructor(loaded: LoadedModel) {
    this.card = loaded.card;
    this.model = loaded.model;
    this.source = loaded.source;
    this.dispose = () => loaded.dispose();
  }

  /** Reads, verifies (card, sha256 of every weight file, layer names, shapes) and loads a bundle. */
  static async load(reader: BundleReader): Promise<Classifier> {
    return new Classifier(await loadModel(reader));
  }

  readonly dispose: () => void;

  /** id@version, as every result names its model. */
  get tag(): string {
    return modelTag(this.card);
  }

  classify(image: DecodedImage, frame = 0): Promise<Classification> {
    return classifyBatch(this, [{ image, frame }]).then((r) => r[0]);
  }

  /** Many frames, a batch per forward pass; results keep the input order. */
  classifyBatch(items: ModelInput[], batchSize?: number): Promise<Classification[]> {
    return classifyBatch(this, items, batchSize);
  }

  /** Every frame scored; the slice with the highest positive probability stands for the volume. */
  classifyVolume(image: DecodedImage, onSlices?: (done: number, total: number) => void): Promise<VolumeClassification> {
    return classifyVolume(this, image, onSlices);
  }

  /** Grad-CAM at the card's `layers.gradcam` for `label` (default: the positive label). */
  explain(image: DecodedImage, frame = 0, label?: string): Promise<Heatmap> {
    return gradCam(this, image, frame, label);
  }

  /** Preprocessing alone (through the card), for timing it apart from the forward pass. */
  prepare(image: DecodedImage, frame = 0): Float32Array {
    return modelInput(this, image, frame);
  }

  /** The bare forward pass on prepared inputs: logits and features, no decision. */
  forward(inputs: Float32Array[]): Promise<ForwardResult[]> {
    return forwardPrepared(this, inputs);
  }
}
