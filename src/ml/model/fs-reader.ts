import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { BundleReader } from './reader';

/** Node only: a model bundle in a folder on disk. */
export function fsReader(dir: string): BundleReader {
  const root = resolve(dir);
  async function bytes(path: string): Promise<Uint8Array> {
    try {
      const buf = await readFile(join(root, path));
      return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new Error(code === 'ENOENT' ? `${root} has no file ${path}` : `could not read ${join(root, path)}: ${(e as Error).message}`);
    }
  }
  return {
    describe: root,
    async readJson(path) {
      const text = new TextDecoder().decode(await bytes(path));
      try {
        return JSON.parse(text);
      } catch (e) {
        throw new Error(`${join(root, path)} is not valid JSON (${(e as Error).message})`);
      }
    },
    readBytes: bytes,
  };
}
