import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { initBackend } from '../src/ml/runtime';
import { buildTextureTrunk } from '../src/ml/trunk/build';
import { builtTrunkFiles } from '../src/ml/trunk/files';
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
  const card = { id: GATE_TRUNK.id, version: GATE_TRUNK.version, construction: { method: 'seeded Gaussian weights (src/ml/trunk/build.ts)', seed, channels } };
  const files = await builtTrunkFiles(buildTextureTrunk({ size: GATE_TRUNK.size, channels, seed }), card);
  await mkdir(out, { recursive: true });
  for (const [name, bytes] of files) await writeFile(join(out, name), bytes);
  console.error(`wrote ${out}: channels ${channels.join(',')}, seed ${seed}`);
}
main().catch((e) => {
  console.error(e);
  process.exit(1);
});
