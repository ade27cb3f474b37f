import { CardError, fail, isObject, num, obj, str, validateInput, validateWeights } from '../card';
import type { TrunkCard } from './types';

export const TRUNK_SCHEMA = 'radlens-trunk-card/1';

export function isTrunkCardJson(json: unknown): boolean {
  return isObject(json) && json.schema === TRUNK_SCHEMA;
}

/** Checks a trunk's card.json; every failure names the field, as for model cards. */
export function validateTrunkCard(json: unknown): TrunkCard {
  if (!isObject(json)) throw new CardError('trunk card: card.json must hold a JSON object');
  if (json.schema !== TRUNK_SCHEMA) fail('schema', `must be "${TRUNK_SCHEMA}" (got ${JSON.stringify(json.schema)})`);
  for (const key of ['id', 'version', 'name', 'description', 'intendedUse']) str(json, key, key);
  validateInput(json);
  const layers = obj(json, 'layers', 'layers');
  str(layers, 'features', 'layers.features');
  str(layers, 'gradcam', 'layers.gradcam');
  const dim = num(json, 'featureDim', 'featureDim');
  if (!Number.isInteger(dim) || dim <= 0) fail('featureDim', 'must be a positive integer');
  const construction = obj(json, 'construction', 'construction');
  str(construction, 'method', 'construction.method');
  if (!Array.isArray(json.limitations)) fail('limitations', 'must be a list');
  validateWeights(json);
  return json as unknown as TrunkCard;
}
