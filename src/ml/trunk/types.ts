import type { InputSpec } from '../../imaging/types';
import type { ModelCard } from '../card-types';

/**
 * card.json of a feature trunk: a network that only turns images into feature
 * vectors for fast transfer. It has no labels, threshold or metrics, so it is
 * never offered as a classifier; the training page offers it as a base.
 */
export interface TrunkCard {
  schema: 'radlens-trunk-card/1';
  id: string;
  version: string;
  name: string;
  description: string;
  input: InputSpec;
  layers: { features: string; gradcam: string };
  /** Number of values the feature layer gives per image. */
  featureDim: number;
  /** How the weights were made (for a fixed trunk: the generator and its seed). */
  construction: { method: string; seed?: number; tool: string };
  /** A trained trunk: what it learned from, with licences (a fixed trunk saw no data). */
  trainingData?: { sources: { source: string; images: number; description: string }[]; excluded?: string };
  intendedUse: string;
  limitations: string[];
  weights: ModelCard['weights'];
}

/**
 * What head and fine-tune training need from a base: a bundled classifier's
 * card satisfies it, and so does a trunk card. Modalities and body part are
 * absent for a trunk, which is made for none in particular.
 */
export interface TransferBaseCard {
  id: string;
  version: string;
  input: InputSpec;
  layers: { features: string; gradcam: string };
  modalities?: string[];
  bodyPart?: string;
}
