import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../src/config';
import { initBackend } from '../src/ml/runtime';
import { TEXTURE_TRUNK } from '../src/ml/trunk/constants';
import { textureTrunkFiles } from '../src/ml/trunk/files';

/**
 * npm run trunk:build — writes public/models/texture-trunk/ from
 * src/ml/trunk/constants.ts. The weights are a pure function of the seed, so
 * this reproduces the shipped bytes exactly (src/ml/trunk/trunk.test.ts checks).
 */
async function main(): Promise<void> {
  await initBackend(['cpu']);
  const dir = join(PROJECT_ROOT, 'public', 'models', TEXTURE_TRUNK.id);
  await mkdir(dir, { recursive: true });
  for (const [name, bytes] of await textureTrunkFiles()) await writeFile(join(dir, name), bytes);
  console.error(`wrote ${dir}`);
}
main().catch((e) => {
  console.error(e);
  process.exit(1);
});
