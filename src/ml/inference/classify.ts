import { modelTag } from '../card';
import type { LoadedModel } from '../model/load';
import type { DecodedImage } from '../../imaging/types';
import { calibratedProbabilities, decide } from './decision';
import { forwardPrepared, modelInput, type ModelInput } from './forward';
import { assessOod, type OodFinding } from './ood';
import { assessGate, type GateResult } from '../gate/assess';
import { checkPopulation, type PopulationCheck } from './population';
import { timed, timedSync } from '../stage-timing';

export interface Classification {
  /** null when refused as out-of-distribution. */
  label: string | null;
  /** Calibrated probability of `label` (of the label the model would give, when refused). */
  probability: number;
  /** Calibrated probability of every label. */
  scores: Record<string, number>;
  threshold: number;
  unsure: boolean;
  /** The card's unsure band on the positive probability, for drawing it. */
  unsureBand?: { low: number; high: number };
  ood: boolean;
  oodReason?: string;
  /** The refusal as data, for wording it in the user's language. */
  oodFinding?: OodFinding;
  oodDistance?: number;
  /** Whether the patient's age could be compared with the card's population (absent when the card states none). */
  populationCheck?: PopulationCheck;
  /** Things the person should know about this result that are not a refusal (e.g. age could not be checked). */
  warnings?: string[];
  /** id@version */
  model: string;
}

/** Inputs per forward pass: large enough to amortize, small enough for a phone's GPU memory. */
export const DEFAULT_BATCH = 16;

export async function classifyImage(m: LoadedModel, image: DecodedImage, frame = 0): Promise<Classification> {
  return (await classifyBatch(m, [{ image, frame }]))[0];
}

/** Classifies many frames, `batchSize` per forward pass; results keep the input order. */
export async function classifyBatch(m: LoadedModel, items: ModelInput[], batchSize = DEFAULT_BATCH): Promise<Classification[]> {
  const results: Classification[] = [];
  for (let start = 0; start < items.length; start += batchSize) {
    const chunk = items.slice(start, start + batchSize);
    const inputs = timedSync('preprocess', () => chunk.map(({ image, frame = 0 }) => modelInput(m, image, frame)));
    const outputs = await timed('inference', () => forwardPrepared(m, inputs));
    // One 'ood' measure per chunk: the gate and every image's refusal decision together.
    const decided = await timed('ood', async () => {
      const gate = await assessGate(m.card, chunk, inputs);
      return chunk.map(({ image, frame = 0 }, i) => toClassification(m, image, frame, outputs[i].logits, outputs[i].features, gate?.[i]));
    });
    results.push(...decided);
  }
  return results;
}

function toClassification(
  m: LoadedModel, image: DecodedImage, frame: number, logits: Float32Array, features: Float32Array, gate?: GateResult,
): Classification {
  const { card } = m;
  const decision = decide(card, calibratedProbabilities(logits, card.temperature));
  const population = checkPopulation(card, image);
  const verdict = assessOod(card, image, frame, features, gate, population);
  return {
    label: verdict.ood ? null : decision.label,
    probability: decision.probability,
    scores: decision.scores,
    threshold: card.threshold,
    unsure: decision.unsure,
    unsureBand: { low: card.unsureBand.low, high: card.unsureBand.high },
    ood: verdict.ood,
    ...(verdict.reason ? { oodReason: verdict.reason } : {}),
    ...(verdict.finding ? { oodFinding: verdict.finding } : {}),
    ...(verdict.distance !== undefined ? { oodDistance: verdict.distance } : {}),
    ...(population ? { populationCheck: population } : {}),
    ...(population && !population.checked ? { warnings: [population.note] } : {}),
    model: modelTag(card),
  };
}
