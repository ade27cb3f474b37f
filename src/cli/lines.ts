import type { DecodedImage } from '../imaging/types';
import type { Classification, Classifier, LoadedModel } from '../ml';
import type { SrInput } from '../report/sr';

/**
 * The contract's classify line, built in one place for the command line and
 * the model service so both answer with the same JSON for the same file.
 */

export type Line = Record<string, unknown>;

/** What an SR needs beside the line: the reported classification and, for a volume, its summary. */
export interface Classified {
  line: Line;
  result: Classification;
  aggregate?: { maxFrame: number; meanProbability: number; slices: number };
}

export function resultLine(file: string, c: Classification, extra: Record<string, unknown> = {}): Line {
  return {
    file,
    model: c.model,
    label: c.label,
    probability: c.probability,
    scores: c.scores,
    threshold: c.threshold,
    unsure: c.unsure,
    ood: c.ood,
    ...(c.oodReason ? { oodReason: c.oodReason } : {}),
    ...(c.oodDistance !== undefined ? { oodDistance: c.oodDistance } : {}),
    ...(c.populationCheck ? { populationCheck: c.populationCheck } : {}),
    ...extra,
    // The result's own warnings (population check) and the caller's (volume geometry) both stand.
    ...(c.warnings?.length || Array.isArray(extra.warnings) ? { warnings: [...((extra.warnings as string[] | undefined) ?? []), ...(c.warnings ?? [])] } : {}),
  };
}

/**
 * Every slice of a volume (series, NIfTI, multi-frame) is classified; the line
 * reports the slice with the highest positive probability (a finding on one
 * slice is a finding) and the mean, like the page's series card.
 */
export async function classifyVolumeLine(model: Classifier, file: string, image: DecodedImage, extra: Record<string, unknown> = {}): Promise<Classified> {
  const { slices, aggregate } = await model.classifyVolume(image);
  const positive = model.card.positiveLabel;
  const warnings = [...(image.geometry?.warnings ?? []), ...(image.downsampled ? [image.downsampled] : [])];
  const line = resultLine(file, aggregate.representative, {
    ...extra,
    ...(warnings.length ? { warnings } : {}),
    slices: slices.length,
    aggregate: {
      positiveLabel: positive,
      maxSlice: aggregate.maxFrame,
      maxProbability: aggregate.maxProbability,
      meanProbability: aggregate.meanProbability,
    },
    sliceProbabilities: slices.map((c) => c.scores[positive] ?? 0),
  });
  return { line, result: aggregate.representative, aggregate: { maxFrame: aggregate.maxFrame, meanProbability: aggregate.meanProbability, slices: slices.length } };
}

/** One decoded file: a single image, or every frame of a multi-frame file or volume. */
export async function classifyDecoded(model: Classifier, file: string, image: DecodedImage): Promise<Classified> {
  if (image.frames.length > 1) return classifyVolumeLine(model, file, image);
  const [result] = await model.classifyBatch([{ image, frame: 0 }]);
  return { line: resultLine(file, result), result };
}

/** The SR input for a classified DICOM image; throws with the reason when the file cannot have one. */
export function srInputFor(image: DecodedImage, classified: Classified, model: LoadedModel, backend: string): SrInput {
  if (image.format !== 'dicom') throw new Error('a DICOM SR is made only for DICOM input');
  if (!image.dicom) throw new Error('the DICOM file lacks Study, Series or SOP Instance UID, so an SR could not be filed with it');
  return { source: image.dicom, result: classified.result, model: model.card, backend, aggregate: classified.aggregate };
}
