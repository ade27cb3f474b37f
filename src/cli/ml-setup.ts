import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { PROJECT_ROOT } from '../config';
import { initBackend, setWasmLocation, type BackendName, fsReader, Classifier, type LoadedModel, loadTransferBase, type TransferBase } from '../ml';

/** Node-side set-up shared by the classify and evaluate commands. */

export const DEFAULT_MODEL_ID = 'cxr-pneumonia';

/** The .wasm files ship in the installed package; Node reads them from disk, never a CDN. */
export function nodeWasmDir(): string {
  const pkg = createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm/package.json');
  return join(dirname(pkg), 'dist') + '/';
}

/**
 * --backend cpu|wasm; without it wasm (faster) with cpu as fallback. Returns
 * the backend in use.
 */
export async function initCliBackend(flag: string | true | undefined): Promise<BackendName> {
  if (flag === true || (flag !== undefined && flag !== 'cpu' && flag !== 'wasm'))
    throw new Error(`--backend must be cpu or wasm (got ${flag === true ? 'nothing' : flag})`);
  setWasmLocation(nodeWasmDir());
  const order: BackendName[] = flag ? [flag] : ['wasm', 'cpu'];
  const { backend } = await initBackend(order);
  return backend;
}

/** A model folder (holding card.json) or a bundled model id (public/models/<id>). */
export function resolveModelDir(ref: string | true | undefined): string {
  if (ref === true) throw new Error('--model needs a model folder or id');
  const name = ref ?? DEFAULT_MODEL_ID;
  if (existsSync(join(name, 'card.json'))) return resolve(name);
  const bundled = join(PROJECT_ROOT, 'public', 'models', name);
  if (existsSync(join(bundled, 'card.json'))) return bundled;
  throw new Error(`model "${name}" not found: neither a folder with card.json nor public/models/${name}/card.json`);
}

export async function loadCliModel(ref: string | true | undefined): Promise<Classifier> {
  return Classifier.load(fsReader(resolveModelDir(ref)));
}

/** A training base: a bundled classifier, a trunk (public/models/texture-trunk) or a model folder. */
export async function loadCliBase(ref: string): Promise<TransferBase | LoadedModel> {
  return loadTransferBase(fsReader(resolveModelDir(ref)));
}
