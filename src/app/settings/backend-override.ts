import type { BackendName } from '../../ml';

/**
 * The user's backend override from Settings, kept in localStorage (read by the
 * page's main thread before the ML worker starts). Absent = measured choice.
 */
export const BACKEND_OVERRIDE_KEY = 'radlens.backend';
const NAMES: BackendName[] = ['webgpu', 'webgl', 'wasm', 'cpu'];

export function backendOverride(storage: Pick<Storage, 'getItem'> | undefined = globalThis.localStorage): BackendName | null {
  try {
    const v = storage?.getItem(BACKEND_OVERRIDE_KEY);
    return v && (NAMES as string[]).includes(v) ? (v as BackendName) : null;
  } catch {
    return null; // storage blocked (some private modes)
  }
}

export function setBackendOverride(value: BackendName | null, storage: Pick<Storage, 'setItem' | 'removeItem'> | undefined = globalThis.localStorage): void {
  if (!storage) return;
  if (value) storage.setItem(BACKEND_OVERRIDE_KEY, value);
  else storage.removeItem(BACKEND_OVERRIDE_KEY);
}
