import { fail, isObject, num, numArray, obj, str, validateInput, type Json } from '../card';

/** card.gate and card.population, when present: every array the right length, every scale positive. */
export function validateGateAndPopulation(card: Json): void {
  if (card.gate !== undefined) validateGate(obj(card, 'gate', 'gate'));
  if (card.population !== undefined) {
    const population = obj(card, 'population', 'population');
    const ages = obj(population, 'ageYears', 'population.ageYears');
    const min = num(ages, 'min', 'population.ageYears.min', [0, 150]);
    const max = num(ages, 'max', 'population.ageYears.max', [0, 150]);
    if (min > max) fail('population.ageYears', `min (${min}) must not exceed max (${max})`);
  }
}

function validateGate(gate: Json): void {
  for (const key of ['id', 'version', 'question', 'thresholdRule']) str(gate, key, `gate.${key}`);
  if (gate.method !== 'pca-mahalanobis') fail('gate.method', `must be "pca-mahalanobis" (got ${JSON.stringify(gate.method)})`);
  if (gate.transform !== 'log' && gate.transform !== 'identity') fail('gate.transform', 'must be "log" or "identity"');
  const trunk = obj(gate, 'trunk', 'gate.trunk');
  str(trunk, 'id', 'gate.trunk.id');
  if (!/^[0-9a-f]{64}$/.test(str(trunk, 'weightsSha256', 'gate.trunk.weightsSha256'))) fail('gate.trunk.weightsSha256', 'must be 64 hexadecimal digits');
  numArray(trunk, 'channels', 'gate.trunk.channels');
  num(trunk, 'seed', 'gate.trunk.seed');
  validateInput(gate, 'gate.input');
  const input = gate.input as Json;
  const size = input.size as number[];
  if (size[0] !== size[1]) fail('gate.input.size', 'the texture trunk takes square input');
  if (input.channels !== 1) fail('gate.input.channels', 'the texture trunk takes one grey channel');
  const center = numArray(gate, 'center', 'gate.center');
  const scale = numArray(gate, 'scale', 'gate.scale', center.length);
  if (scale.some((s) => !(s > 0))) fail('gate.scale', 'must be positive');
  const variances = numArray(gate, 'variances', 'gate.variances');
  if (variances.some((v) => !(v > 0))) fail('gate.variances', 'must be positive');
  numArray(gate, 'axes', 'gate.axes', variances.length * center.length);
  if (!(num(gate, 'residualVariance', 'gate.residualVariance') > 0)) fail('gate.residualVariance', 'must be positive');
  if (!(num(gate, 'threshold', 'gate.threshold') > 0)) fail('gate.threshold', 'must be positive');
  if (!isObject(gate.refusal)) fail('gate.refusal', 'must be an object of per-set refusal rates');
}
