import type { ModelCard, Metrics } from '../card-types';
import type { InputSpec } from '../../imaging/types';
import type { DatasetWarning } from './warnings';
import type { SplitName } from './split';

export interface TrainedCardFields {
  id: string;
  version: string;
  name: string;
  labels: string[];
  positiveLabel: string;
  modalities: string[];
  bodyPart: string;
  input: InputSpec;
  layers: ModelCard['layers'];
  threshold: number;
  unsureBand: ModelCard['unsureBand'];
  temperature: number;
  validation: Metrics;
  test?: Metrics;
  ece?: ModelCard['metrics']['ece'];
  reliability?: ModelCard['metrics']['reliability'];
  ood?: ModelCard['ood'];
  counts: Record<string, number>;
  splitCounts: Record<SplitName, Record<string, number>>;
  warnings: DatasetWarning[];
  description: string;
  mode: ModelCard['training']['mode'];
  baseModel?: string;
  augmentViews?: number;
  l2Penalty?: number;
  crossValidation?: ModelCard['training']['crossValidation'];
  finalFit?: ModelCard['training']['finalFit'];
  epochs: number;
  seconds: number;
  tool: string;
}

/** A model card for a model trained here; `weights` is filled by the bundle writer. */
export function buildTrainedCard(f: TrainedCardFields): ModelCard {
  const split = (['train', 'val', 'test'] as SplitName[])
    .map((s) => `${s}: ${Object.entries(f.splitCounts[s]).map(([l, n]) => `${l} ${n}`).join(', ') || 'none'}`)
    .join('; ');
  return {
    schema: 'radlens-model-card/1',
    id: f.id,
    version: f.version,
    name: f.name,
    task: `${f.labels.join(' vs ')} (${f.modalities.join('/')}, ${f.bodyPart.toLowerCase()})`,
    modalities: f.modalities,
    bodyPart: f.bodyPart,
    labels: f.labels,
    positiveLabel: f.positiveLabel,
    threshold: f.threshold,
    unsureBand: f.unsureBand,
    temperature: f.temperature,
    input: f.input,
    output: 'logits',
    layers: f.layers,
    metrics: { validation: f.validation, ...(f.test ? { test: f.test } : {}), ...(f.ece ? { ece: f.ece } : {}), ...(f.reliability ? { reliability: f.reliability } : {}) },
    ...(f.ood ? { ood: f.ood } : {}),
    intendedUse: 'Trained locally on this site\'s own images for research and quality assurance; not a medical device. A clinician makes every decision.',
    limitations: [
      'Validated only on a patient-level split of the same local dataset; performance on other scanners, sites or populations is unknown.',
      ...(f.finalFit ? [`The shipped head was refitted on all ${f.finalFit.images} labelled images after it was measured; the validation and test numbers, the threshold and the temperature come from the same recipe fitted on the training split alone.`] : []),
      ...f.warnings.map((w) => w.message),
    ],
    trainingData: {
      description: f.description,
      licence: 'local data of the site that trained the model',
      counts: f.counts,
      split: `patient-level split — ${split}`,
    },
    training: {
      date: new Date().toISOString(),
      mode: f.mode,
      ...(f.baseModel ? { baseModel: f.baseModel } : {}),
      ...(f.augmentViews ? { augmentViews: f.augmentViews } : {}),
      ...(f.l2Penalty !== undefined ? { l2Penalty: f.l2Penalty } : {}),
      ...(f.crossValidation ? { crossValidation: f.crossValidation } : {}),
      ...(f.finalFit ? { finalFit: f.finalFit } : {}),
      epochs: f.epochs,
      seconds: Math.round(f.seconds * 10) / 10,
      tool: f.tool,
    },
    weights: [],
  };
}
