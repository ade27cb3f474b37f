/**
 * The worker's backend start: a backend forced in Settings or the URL starts
 * as asked; otherwise src/ml's backend-select measures the real model on each
 * backend (once per device and model, cached in IndexedDB) and keeps the
 * fastest.
 */
import { chooseBackend, currentBackend, initBackend, IdbChoiceStore, forwardPrepared, IdbModelLibrary, type BackendName, type LoadedModel, type Classifier } from '../../ml';
import type { ModelRef } from '../state/model-ref';
import type { BackendInfo } from './protocol';
import { loadModelByRef } from './model-loading';

/** id@version and the weights' digests: a retrained model with the same version is measured again. */
async function modelIdentity(ref: ModelRef): Promise<string> {
  let text: string | undefined;
  if (ref.kind === 'bundled') {
    const res = await fetch(`${import.meta.env.BASE_URL}models/${ref.id}/card.json`);
    if (res.ok) text = await res.text();
  } else {
    const bytes = (await new IdbModelLibrary().getFiles(ref.id))?.get('card.json');
    if (bytes) text = new TextDecoder().decode(bytes);
  }
  if (!text) return `${ref.kind}:${ref.id}`;
  const card = JSON.parse(text) as { id?: string; version?: string; weights?: { sha256?: string }[] };
  return `${card.id}@${card.version} ${(card.weights ?? []).map((w) => (w.sha256 ?? '').slice(0, 12)).join(',')}`;
}

/** Deterministic values near a z-scored image: timing a CNN does not depend on what the pixels show. */
function syntheticInput(m: LoadedModel): Float32Array {
  const [h, w] = m.card.input.size;
  const x = new Float32Array(h * w * m.card.input.channels);
  let s = 12345;
  for (let i = 0; i < x.length; i++) {
    s = (s * 1103515245 + 12345) >>> 0;
    x[i] = (s / 2 ** 32) * 3.4 - 1.7;
  }
  return x;
}

/**
 * The model as loaded on the winning backend during the measurement, handed to
 * the first loadModel so it is not fetched, verified and uploaded twice.
 */
let measured: { ref: ModelRef; backend: BackendName; model: Classifier } | null = null;

export function takeMeasuredModel(ref: ModelRef, backend: BackendName): Classifier | null {
  const m = measured;
  measured = null;
  if (m && m.ref.kind === ref.kind && m.ref.id === ref.id && m.backend === backend) return m.model;
  m?.model.dispose();
  return null;
}

export async function startBackend(order: BackendName[] | undefined, ref: ModelRef | undefined, forcedBy?: 'url' | 'settings'): Promise<BackendInfo> {
  if (order || !ref) {
    const { backend, attempts } = await initBackend(order);
    const reason = forcedBy === 'settings' ? 'chosen in Settings' : forcedBy === 'url' ? 'forced by ?backend= in the address' : 'first that started';
    return { backend, attempts, choice: { how: 'forced', reason, timings: [] } };
  }
  const opened = new Map<BackendName, Classifier>();
  const { choice, attempts } = await chooseBackend({
    modelKey: await modelIdentity(ref),
    store: new IdbChoiceStore(),
    open: async () => {
      const backend = currentBackend();
      const m = await loadModelByRef(ref);
      const input = syntheticInput(m);
      // Kept until the winner is known; the losers are disposed below.
      return { run: () => forwardPrepared(m, [input]), dispose: () => void opened.set(backend, m) };
    },
  });
  for (const [backend, m] of opened) {
    if (backend === choice.backend) measured = { ref, backend, model: m };
    else m.dispose();
  }
  return { backend: choice.backend, attempts, choice: { how: choice.how, reason: choice.reason, timings: choice.timings, measuredAt: choice.measuredAt } };
}
