import type { Classification } from './classify';

type SliceScore = Pick<Classification, 'scores' | 'ood'>;

export interface SeriesAggregate<T> {
  maxFrame: number;
  maxProbability: number;
  meanProbability: number;
  positiveLabel: string;
  representative: T;
}

/**
 * A volume's result: the slice with the highest probability of the positive
 * label stands for the series (a finding on one slice is a finding), and the
 * mean over slices is reported beside it. Refused (ood) slices still count in
 * the mean so a refusal never hides a score.
 */
export function aggregateSlices<T extends SliceScore>(slices: T[], positiveLabel: string): SeriesAggregate<T> {
  if (!slices.length) throw new Error('no slices to aggregate');
  let maxFrame = 0;
  let maxProbability = -1;
  let sum = 0;
  slices.forEach((s, i) => {
    const p = s.scores[positiveLabel] ?? 0;
    sum += p;
    if (p > maxProbability) {
      maxProbability = p;
      maxFrame = i;
    }
  });
  const inDistribution = slices.filter((s) => !s.ood);
  // The series is refused only when every slice is; otherwise the top in-distribution slice represents it.
  let representative = slices[maxFrame];
  if (representative.ood && inDistribution.length) {
    representative = inDistribution.reduce((a, b) => ((b.scores[positiveLabel] ?? 0) > (a.scores[positiveLabel] ?? 0) ? b : a));
    maxFrame = slices.indexOf(representative);
    maxProbability = representative.scores[positiveLabel] ?? 0;
  }
  return { maxFrame, maxProbability, meanProbability: sum / slices.length, positiveLabel, representative };
}
