import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { ModelCard } from '../../ml';
import { getMlClient } from '../worker/client';
import { BUNDLED_MODEL_IDS, DEFAULT_MODEL, parseRefKey, refKey, type ModelRef, type ModelSummary } from './model-ref';
import { listLocalModels } from './local-models';

export type { ModelRef, ModelSummary } from './model-ref';

interface ModelContextValue {
  active: ModelRef;
  setActive(ref: ModelRef): void;
  models: ModelSummary[];
  refresh(): Promise<void>;
}

const STORAGE_KEY = 'radlens.activeModel';

function savedActive(): ModelRef {
  try {
    const saved = localStorage.getItem(STORAGE_KEY);
    const ref = saved ? parseRefKey(saved) : null;
    if (ref) return ref;
  } catch {
    // Storage blocked: fall back to the bundled model.
  }
  return DEFAULT_MODEL;
}

async function bundledSummary(id: string): Promise<ModelSummary> {
  const ref: ModelRef = { kind: 'bundled', id };
  try {
    const response = await fetch(`${import.meta.env.BASE_URL}models/${id}/card.json`);
    if (!response.ok) throw new Error(`card.json: HTTP ${response.status}`);
    const card = (await response.json()) as ModelCard;
    return { ref, id: card.id ?? id, version: card.version ?? '?', name: card.name ?? id, card };
  } catch (e) {
    return { ref, id, version: '?', name: id, error: (e as Error).message };
  }
}

const ModelContext = createContext<ModelContextValue | null>(null);

export function ModelProvider({ children }: { children: ReactNode }) {
  const [active, setActiveState] = useState<ModelRef>(savedActive);
  const [models, setModels] = useState<ModelSummary[]>([]);

  const refresh = useCallback(async () => {
    const bundled = await Promise.all(BUNDLED_MODEL_IDS.map(bundledSummary));
    let local: ModelSummary[] = [];
    try {
      local = await listLocalModels();
    } catch {
      // The library is optional (IndexedDB may be unavailable); bundled models still work.
    }
    setModels([...bundled, ...local]);
  }, []);

  const setActive = useCallback((ref: ModelRef) => {
    setActiveState(ref);
    try {
      localStorage.setItem(STORAGE_KEY, refKey(ref));
    } catch {
      // Not persisted; holds for this session.
    }
  }, []);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  useEffect(() => {
    getMlClient().loadModel(active).catch(() => {
      // The failure is shown from the client's status (useMlStatus).
    });
  }, [active]);

  const value = useMemo(() => ({ active, setActive, models, refresh }), [active, setActive, models, refresh]);
  return <ModelContext.Provider value={value}>{children}</ModelContext.Provider>;
}

export function useModels(): ModelContextValue {
  const value = useContext(ModelContext);
  if (!value) throw new Error('useModels() needs a <ModelProvider> above it');
  return value;
}
