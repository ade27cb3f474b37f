/**
 * Where a model bundle's files come from: an HTTP folder, memory (a zip or
 * files picked in the page) or, in Node, a folder on disk.
 */
export interface BundleReader {
  /** Where the bundle came from, for messages (URL, folder or file name). */
  describe: string;
  readJson(path: string): Promise<unknown>;
  readBytes(path: string): Promise<Uint8Array>;
}

function parseJson(text: string, path: string, describe: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new Error(`${path} in ${describe} is not valid JSON (${(e as Error).message})`);
  }
}

/** A model folder served over HTTP (same origin in the app; relative URLs resolve against the page). */
export function fetchReader(baseUrl: string): BundleReader {
  const base = baseUrl.endsWith('/') ? baseUrl : baseUrl + '/';
  async function get(path: string): Promise<Response> {
    const url = base + path;
    let res: Response;
    try {
      res = await fetch(url);
    } catch (e) {
      throw new Error(`could not fetch ${url}: ${(e as Error).message}`);
    }
    if (!res.ok) throw new Error(`could not fetch ${url}: HTTP ${res.status}`);
    return res;
  }
  return {
    describe: base,
    async readJson(path) {
      return parseJson(await (await get(path)).text(), path, base);
    },
    async readBytes(path) {
      return new Uint8Array(await (await get(path)).arrayBuffer());
    },
  };
}

/** Files already in memory, keyed by their path inside the bundle. */
export function memoryReader(files: Map<string, Uint8Array>, describe: string): BundleReader {
  function bytes(path: string): Uint8Array {
    const b = files.get(path);
    if (!b) throw new Error(`${describe} has no file ${path}`);
    return b;
  }
  return {
    describe,
    async readJson(path) {
      return parseJson(new TextDecoder().decode(bytes(path)), path, describe);
    },
    async readBytes(path) {
      return bytes(path);
    },
  };
}
