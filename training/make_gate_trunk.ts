import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { initBackend } from '../src/ml/runtime';
import { encodeJson, layersModelFiles, WEIGHTS_FILE } from '../src/ml/bundle/files';
import { buildTextureTrunk } from '../src/ml/trunk/build';
import { GATE_TRUNK } from '../src/ml/gate/recipe';

/**
 * Writes the refusal gate's trunk (model.json, weight shard, and a card with
 * the weights' sha256 and recipe) for fit_gate.py and gate_reference.py. It is
 * built by the function the page builds it with, so PyTorch reads the very
 * weights tfjs will run. Nothing here is shipped: the card's gate section
 * records the recipe and the sha256.
 * Usage: tsx training/make_gate_trunk.ts [out dir, default training/work/gate-trunk] [channels, e.g. 8,16,32,64,64] [seed]
 */
async function main(): Promise<void> {
  const [outArg, channelsArg, seedArg] = process.argv.slice(2);
  const out = outArg ?? join(import.meta.dirname, 'work', 'gate-trunk');
  const channels = channelsArg ? channelsArg.split(',').map(Number) : [...GATE_TRUNK.channels];
  const seed = seedArg ? Number(seedArg) : GATE_TRUNK.seed;
  if (!channels.length || !channels.every((c) => Number.isInteger(c) && c > 0) || !Number.isInteger(seed))
    throw new Error(`channels must be positive whole numbers and the seed a whole number (got ${channelsArg ?? ''} ${seedArg ?? ''})`);
  await initBackend(['cpu']);
  const model = buildTextureTrunk({ size: GATE_TRUNK.size, channels, seed });
  const { modelJson, weights, entry } = await layersModelFiles(model);
  model.dispose();
  await mkdir(out, { recursive: true });
  const card = { id: GATE_TRUNK.id, version: GATE_TRUNK.version, construction: { method: 'seeded Gaussian weights (src/ml/trunk/build.ts)', seed, channels }, weights: [entry] };
  await writeFile(join(out, 'model.json'), modelJson);
  await writeFile(join(out, WEIGHTS_FILE), weights);
  await writeFile(join(out, 'card.json'), encodeJson(card));
  console.error(`wrote ${out}: channels ${channels.join(',')}, seed ${seed}, weights sha256 ${entry.sha256}`);
}
main().catch((e) => {
  console.error(e);
  process.exit(1);
});
