import type { BundleReader } from './reader';

/**
 * Node only: a model bundle in a folder on disk. It is exported from the
 * same front door as the browser readers, so Node's modules are reached only
 * when it is called: a worker bundle that never calls it never links them.
 */
type NodePath = typeof import('node:path');

function nodePath(): NodePath {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  const path = proc?.getBuiltinModule?.('node:path') as NodePath | undefined;
  if (!path) throw new Error('fsReader needs Node.js 20.16 or later');
  return path;
}

export function fsReader(dir: string): BundleReader {
  const { join, resolve } = nodePath();
  const root = resolve(dir);
  async function bytes(path: string): Promise<Uint8Array> {
    const { readFile } = await import('node:fs/promises');
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
