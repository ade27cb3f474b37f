/**
 * The tfjs backend of a page worker, chosen once per worker: both workers
 * (ML and training) call this. An explicit order (?backend=) wins; otherwise
 * `auto` picks it (the ML worker takes the default order, the training worker
 * passes a software GPU over for WASM).
 */
import { initBackend, setWasmLocation, type BackendName } from '../../ml';
import type { BackendInfo } from './protocol';
import { tfjsWasmUrls } from './tfjs-wasm-urls';
import { startBackend } from './backend-choice';
import type { ModelRef } from '../state/model-ref';

type Chooser = () => Promise<{ order?: BackendName[]; reason?: BackendInfo['reason'] }>;

let chosen: Promise<BackendInfo> | null = null;

export function ensureBackend(order?: BackendName[], auto: Chooser = async () => ({})): Promise<BackendInfo> {
  chosen ??= (async () => {
    // The page serves the .wasm files itself, never a CDN.
    setWasmLocation(tfjsWasmUrls);
    const pick = order ? { order } : await auto();
    return { ...(await initBackend(pick.order)), ...('reason' in pick && pick.reason ? { reason: pick.reason } : {}) };
  })();
  return chosen;
}

/**
 * The ML worker's start: a forced order starts as asked; otherwise the real
 * model is timed on each backend that passes its self-test (backend-choice.ts).
 */
export function ensureMeasuredBackend(order: BackendName[] | undefined, ref: ModelRef | undefined, forcedBy?: 'url' | 'settings'): Promise<BackendInfo> {
  chosen ??= (async () => {
    setWasmLocation(tfjsWasmUrls);
    return startBackend(order, ref, forcedBy);
  })();
  return chosen;
}

/** After a mid-batch recovery (backend-recovery.ts), later calls report the backend now in use. */
export function backendSwitched(info: BackendInfo): void {
  chosen = Promise.resolve(info);
}
