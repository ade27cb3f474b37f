import type { ModelCard } from '../card-types';
import type { DecodedImage } from '../../imaging/types';
import { prepareModelInput } from '../../imaging/preprocess';
import { gateDistance } from './distance';
import { gateFeatures } from './trunk';

export interface GateResult {
  /** Distance from the gate's training films, in the units of card.gate.threshold. */
  distance: number;
  refused: boolean;
}

function sameInput(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * The refusal gate for a batch of frames (the one function the page, the CLI
 * and the service run, via classifyBatch). `prepared` are the classifier's
 * inputs: reused when the gate asks for the same preprocessing, so the gate
 * costs one trunk pass and no second resize. undefined when the card has no gate.
 */
export async function assessGate(
  card: ModelCard,
  items: { image: DecodedImage; frame?: number }[],
  prepared?: Float32Array[],
): Promise<GateResult[] | undefined> {
  const spec = card.gate;
  if (!spec) return undefined;
  const reuse = prepared && sameInput(spec.input, card.input);
  const inputs = items.map(({ image, frame = 0 }, i) => (reuse ? prepared[i] : prepareModelInput(image, frame, spec.input)));
  const features = await gateFeatures(spec, inputs);
  return features.map((f) => {
    const distance = gateDistance(spec, f);
    return { distance, refused: distance > spec.threshold };
  });
}
