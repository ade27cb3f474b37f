import type { ModelCard } from '../card-types';
import type { DecodedImage } from '../../imaging/types';
import type { GateResult } from '../gate/assess';
import { checkPopulation, describeAgeRefusal, type PopulationCheck } from './population';

/**
 * Out-of-distribution refusal: the model only answers for images like the
 * ones it was trained on. Three independent kinds of evidence, cheapest first:
 * the DICOM header, simple image properties, and the distance of the
 * network's own penultimate features from the training distribution.
 * Reasons are written for the person looking at the result.
 */

export const MIN_SIDE = 64;

/** Projection radiography modalities: a model for these reads single 2-D films. */
const RADIOGRAPHY = new Set(['CR', 'DX', 'DR', 'RG', 'RF', 'MG', 'PX', 'IO']);

/** Header body-part values that name the same region (DICOM PS3.16 CID 4031 plus common vendor spellings). */
const BODY_PART_SYNONYMS: Record<string, string[]> = {
  CHEST: ['CHEST', 'THORAX', 'LUNG', 'LUNGS', 'PORTABLE CHEST', 'CHEST PA', 'CHEST AP', 'TORSO'],
};

/**
 * Why an image was refused, as data: the page words it in the user's
 * language from `code` and `params`; `describeFinding` gives the English text
 * that the CLI prints.
 */
export interface OodFinding {
  code: 'modality' | 'body-part' | 'view' | 'age' | 'too-small' | 'volume' | 'colour' | 'gate' | 'features';
  params: Record<string, string | number>;
}

export interface OodVerdict {
  ood: boolean;
  reason?: string;
  finding?: OodFinding;
  distance?: number;
}

function isRadiographyModel(card: ModelCard): boolean {
  return card.modalities.every((m) => RADIOGRAPHY.has(m.toUpperCase()));
}

/** "chest radiographs (CR, DX)" — what the model reads, in words. */
export function describeDomain(card: ModelCard, withModalities = true): string {
  const body = card.bodyPart.toLowerCase();
  const kind = isRadiographyModel(card) ? `${body} radiographs` : `${body} ${card.modalities.join('/')} images`;
  return withModalities ? `${kind} (${card.modalities.join(', ')})` : kind;
}

function bodyPartMatches(card: ModelCard, bodyPart: string): boolean {
  const want = card.bodyPart.trim().toUpperCase();
  const got = bodyPart.trim().toUpperCase();
  return got === want || (BODY_PART_SYNONYMS[want] ?? []).includes(got);
}

/** ViewPosition values of a side-on projection; a frontal film model has never seen one. */
const LATERAL_VIEWS = new Set(['LL', 'RL', 'LATERAL', 'LAT']);

/** DICOM header evidence: wrong modality, wrong body part, or a lateral view for a film model. */
export function tagFinding(card: ModelCard, image: DecodedImage): OodFinding | undefined {
  const modality = image.modality?.trim().toUpperCase();
  if (modality && !card.modalities.map((m) => m.toUpperCase()).includes(modality)) return { code: 'modality', params: { modality } };
  const part = image.bodyPart?.trim();
  if (part && !bodyPartMatches(card, part)) return { code: 'body-part', params: { part: part.toUpperCase() } };
  const view = image.viewPosition?.trim().toUpperCase();
  if (view && LATERAL_VIEWS.has(view) && isRadiographyModel(card)) return { code: 'view', params: { view } };
  return undefined;
}

export function checkTags(card: ModelCard, image: DecodedImage): string | undefined {
  const finding = tagFinding(card, image);
  return finding && describeFinding(card, finding);
}

/**
 * Fraction of clearly coloured pixels: saturation (max−min)/max above 0.25 on
 * pixels that are not near black. JPEG chroma noise on a grey film stays far below.
 */
export function colourFraction(image: DecodedImage, frame = 0): number {
  if (image.samplesPerPixel !== 3) return 0;
  const px = image.frames[frame];
  let top = 0;
  for (let i = 0; i < px.length; i++) if (px[i] > top) top = px[i];
  if (top <= 0) return 0;
  const count = image.rows * image.columns;
  let coloured = 0;
  for (let i = 0; i < count; i++) {
    const r = px[i * 3], g = px[i * 3 + 1], b = px[i * 3 + 2];
    const max = Math.max(r, g, b), min = Math.min(r, g, b);
    if (max > 0.15 * top && (max - min) / max > 0.25) coloured++;
  }
  return coloured / count;
}

export const COLOUR_FRACTION_LIMIT = 0.05;

/** Image evidence: a colour photograph, a thumbnail, or a volume given to a film model. */
export function imageFinding(card: ModelCard, image: DecodedImage, frame = 0): OodFinding | undefined {
  if (Math.min(image.rows, image.columns) < MIN_SIDE)
    return { code: 'too-small', params: { width: image.columns, height: image.rows, min: MIN_SIDE } };
  if (image.frames.length > 1 && isRadiographyModel(card)) return { code: 'volume', params: { slices: image.frames.length } };
  const colour = colourFraction(image, frame);
  if (colour > COLOUR_FRACTION_LIMIT) return { code: 'colour', params: { percent: Math.round(colour * 100) } };
  return undefined;
}

export function checkImage(card: ModelCard, image: DecodedImage, frame = 0): string | undefined {
  const finding = imageFinding(card, image, frame);
  return finding && describeFinding(card, finding);
}

/** The English sentence for a finding (CLI output, logs, and the page's fallback). */
export function describeFinding(card: ModelCard, { code, params: p }: OodFinding): string {
  switch (code) {
    case 'modality':
      return `modality ${p.modality}: this model reads ${describeDomain(card)}`;
    case 'body-part':
      return `body part ${p.part}: this model reads ${describeDomain(card, false)}`;
    case 'view':
      return `view ${p.view}: this model reads frontal (PA/AP) ${card.bodyPart.toLowerCase()} films`;
    case 'too-small':
      return `image is only ${p.width}×${p.height} pixels: too small to read (at least ${p.min} on each side)`;
    case 'volume':
      return `a volume of ${p.slices} slices: this model reads single ${describeDomain(card, false)}, not volumes`;
    case 'colour':
      return `image is in colour (${p.percent}% of pixels clearly coloured): this model reads greyscale ${describeDomain(card, false)}`;
    case 'age':
      return describeAgeRefusal({ text: String(p.age) }, { min: Number(p.min), max: Number(p.max) });
    case 'gate':
      return `image does not look like a frontal ${describeDomain(card, false).replace(/s$/, '')} of the kind this model was made for (refusal gate distance ${p.distance} > ${p.threshold})`;
    case 'features':
      return `image looks unlike the ${describeDomain(card, false)} this model was trained on (feature distance ${p.distance} > ${p.threshold})`;
  }
}

/** sqrt((f − mean)ᵀ · precision · (f − mean)), in the units of card.ood.threshold. */
export function mahalanobisDistance(features: ArrayLike<number>, mean: number[], precision: number[]): number {
  const d = mean.length;
  if (features.length !== d) throw new Error(`features have ${features.length} values, the card's ood mean has ${d}`);
  const diff = new Float64Array(d);
  for (let i = 0; i < d; i++) diff[i] = features[i] - mean[i];
  let sum = 0;
  for (let i = 0; i < d; i++) {
    let row = 0;
    for (let j = 0; j < d; j++) row += precision[i * d + j] * diff[j];
    sum += diff[i] * row;
  }
  return Math.sqrt(Math.max(0, sum));
}

/** axes·(f − center): the principal-component coordinates the card's statistics use. */
export function projectFeatures(features: ArrayLike<number>, projection: { center: number[]; axes: number[]; dim: number }): Float64Array {
  const d = projection.center.length;
  if (features.length !== d) throw new Error(`features have ${features.length} values, the card's ood projection expects ${d}`);
  const out = new Float64Array(projection.dim);
  for (let r = 0; r < projection.dim; r++) {
    let sum = 0;
    for (let j = 0; j < d; j++) sum += projection.axes[r * d + j] * (features[j] - projection.center[j]);
    out[r] = sum;
  }
  return out;
}

/** Feature-space evidence; undefined distance when the card has no ood block. */
export function checkFeatures(card: ModelCard, features: ArrayLike<number>): { distance?: number; reason?: string; finding?: OodFinding } {
  if (!card.ood) return {};
  const { projection } = card.ood;
  const distance = mahalanobisDistance(projection ? projectFeatures(features, projection) : features, card.ood.mean, card.ood.precision);
  if (distance > card.ood.threshold) {
    const finding: OodFinding = { code: 'features', params: { distance: distance.toFixed(1), threshold: card.ood.threshold.toFixed(1) } };
    return { distance, finding, reason: describeFinding(card, finding) };
  }
  return { distance };
}

/** Header evidence about the patient: an age outside the card's population. */
export function populationFinding(card: ModelCard, image: DecodedImage, check: PopulationCheck | undefined = checkPopulation(card, image)): OodFinding | undefined {
  if (!check?.outside || !check.age || !check.ageYears) return undefined;
  return { code: 'age', params: { age: check.age.text, min: check.ageYears.min, max: check.ageYears.max } };
}

function gateFinding(card: ModelCard, gate: GateResult | undefined): OodFinding | undefined {
  if (!gate?.refused || !card.gate) return undefined;
  return { code: 'gate', params: { distance: gate.distance.toFixed(1), threshold: card.gate.threshold.toFixed(1) } };
}

/**
 * All the evidence together; the first reason found is the one reported:
 * header (modality, body part, view, then patient age), image properties,
 * the refusal gate, then the classifier's own feature distance (cards that have one).
 * `population`: the caller's checkPopulation result, when it has one already.
 */
export function assessOod(
  card: ModelCard, image: DecodedImage, frame: number, features?: ArrayLike<number>, gate?: GateResult, population: PopulationCheck | undefined = checkPopulation(card, image),
): OodVerdict {
  const feature = features ? checkFeatures(card, features) : {};
  const finding =
    tagFinding(card, image) ?? populationFinding(card, image, population) ?? imageFinding(card, image, frame) ?? gateFinding(card, gate) ?? feature.finding;
  const distance = gate?.distance ?? feature.distance;
  return {
    ood: finding !== undefined,
    ...(finding ? { finding, reason: describeFinding(card, finding) } : {}),
    ...(distance !== undefined ? { distance } : {}),
  };
}
