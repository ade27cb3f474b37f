import type { ModelCard } from '../card-types';

/** Temperature-scaled softmax in float64 (max-subtracted, so large logits cannot overflow). */
export function calibratedProbabilities(logits: ArrayLike<number>, temperature: number): number[] {
  const z = Array.from(logits, (v) => v / temperature);
  const max = Math.max(...z);
  const e = z.map((v) => Math.exp(v - max));
  const sum = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / sum);
}

export interface Decision {
  label: string;
  probability: number;
  scores: Record<string, number>;
  positiveProbability: number;
  unsure: boolean;
}

/**
 * Binary cards: the positive label when its probability reaches the card's
 * threshold, else the other label. More classes: the most probable label.
 * "Unsure" is about the positive label's probability sitting in the card's band.
 */
export function decide(card: ModelCard, probabilities: number[]): Decision {
  const scores: Record<string, number> = {};
  card.labels.forEach((l, i) => (scores[l] = probabilities[i]));
  const positiveIndex = card.labels.indexOf(card.positiveLabel);
  const positiveProbability = probabilities[positiveIndex];
  let index: number;
  if (card.labels.length === 2) index = positiveProbability >= card.threshold ? positiveIndex : 1 - positiveIndex;
  else index = probabilities.indexOf(Math.max(...probabilities));
  return {
    label: card.labels[index],
    probability: probabilities[index],
    scores,
    positiveProbability,
    unsure: positiveProbability >= card.unsureBand.low && positiveProbability <= card.unsureBand.high,
  };
}
