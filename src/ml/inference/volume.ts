import type { DecodedImage } from '../../imaging/types';
import type { LoadedModel } from '../model/load';
import { aggregateSlices, type SeriesAggregate } from './aggregate';
import { classifyBatch, DEFAULT_BATCH, type Classification } from './classify';

export interface VolumeClassification {
  /** One result per frame, in frame order. */
  slices: Classification[];
  /** The representative slice (the only one for a plain image) and the summary over slices. */
  aggregate: SeriesAggregate<Classification>;
}

/**
 * Every frame of an image or volume (series, NIfTI, multi-frame) is
 * classified, DEFAULT_BATCH per forward pass; the page, the CLI and the OOD
 * check all read a volume through this one loop.
 */
export async function classifyVolume(m: LoadedModel, image: DecodedImage, onSlices?: (done: number, total: number) => void): Promise<VolumeClassification> {
  const frames = image.frames.length;
  const slices: Classification[] = [];
  for (let start = 0; start < frames; start += DEFAULT_BATCH) {
    const chunk = Array.from({ length: Math.min(DEFAULT_BATCH, frames - start) }, (_, i) => ({ image, frame: start + i }));
    slices.push(...(await classifyBatch(m, chunk)));
    onSlices?.(slices.length, frames);
  }
  return { slices, aggregate: aggregateSlices(slices, m.card.positiveLabel) };
}
